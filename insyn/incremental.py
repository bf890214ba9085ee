"""Rendering pages incrementally and in parallel: render only what changed, on every core.

A page's key is a hash of everything that can change its HTML: the tool's code and templates,
data/site.yaml, the build options, the menu, the addresses of every page and file (a link to
a missing one is an error), its own date and place (title, breadcrumbs, language versions),
and its sources: its Markdown file, or, for a page drawn from data, every data file and
attachment. Add the site's structure (every page's title and kind) for a page whose last
rendering read more of the site than every page does (lists of pages, and every page drawn
from data): a page of text is then not made again when another page's title changes. A page
whose key and output are unchanged is not rendered again. The cache under .insyn-cache/ is
safe to delete: without it every page is rendered, and the output is the same.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import InputError
from .output import Staging, digest_of
from .quick import TEXT_PAGE_KIND, Layout
from .render import Renderer
from .site import Page, Site
from .workers import can_fork, chunks, fork_pool, parent_gone

PARALLEL_FROM = 300
"""Below this many pages to render, starting worker processes costs more than it saves."""


def hash_files(root: Path, paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _files_under(folder: Path, pattern: str = "*") -> list[Path]:
    return [p for p in folder.rglob(pattern) if p.is_file()] if folder.is_dir() else []


@dataclass(frozen=True)
class Keys:
    """The parts of every page's key that are shared, computed once per build."""

    shared: str
    """What every page depends on, the whole site's structure included."""
    local: str
    """What every page depends on, less the titles and kinds of the other pages."""
    data: str
    code: str
    """The tool's own code and translations."""
    title_languages: dict[str, str] = field(default_factory=dict, repr=False)
    """Page path -> the language of its title, which breadcrumbs mark."""

    digests: dict[str, str] = field(default_factory=dict)
    """Source path -> SHA-256 of its bytes, as read by the load stage."""

    @classmethod
    def of(cls, site: Site, root: Path, templates: Path, digests: dict[str, str]) -> Keys:
        package = Path(__file__).parent
        code = hash_files(package, [*package.glob("*.py"),
                                    *_files_under(package / "locale", "*.po")])
        local = hashlib.sha256("\0".join([
            code, hash_files(root, _files_under(templates)),
            hash_files(root, [root / "data" / "site.yaml"]),
            json.dumps([(link.title, link.url) for link in site.navigation]),
            site.base_url, site.today.isoformat(), site.feedback_endpoint or ""]).encode()
        ).hexdigest()
        structure = json.dumps([(p.path, p.title, p.kind) for p in site.pages])
        shared = hashlib.sha256(f"{local}\0{structure}".encode()).hexdigest()
        data_digests = sorted((rel, d) for rel, d in digests.items() if rel.startswith("data/"))
        data = hashlib.sha256(json.dumps(data_digests).encode()
                              + hash_files(root, _files_under(root / "files")).encode()).hexdigest()
        return cls(shared, local, data, code, {p.path: p.title_language for p in site.pages},
                   digests)

    def knowing(self, known_paths: Iterable[str]) -> Keys:
        """The keys of pages whose links are checked against these addresses: a link to a page
        or file that has gone is an error, so every page is checked again when one goes."""
        paths = hashlib.sha256(json.dumps(sorted(known_paths)).encode()).hexdigest()
        return replace(self, shared=hashlib.sha256(f"{self.shared}\0{paths}".encode()).hexdigest(),
                       local=hashlib.sha256(f"{self.local}\0{paths}".encode()).hexdigest())

    def page(self, page: Page, root: Path, reads_whole_site: bool = True) -> str:
        """A page of text depends on its own file and place; any other page on its files
        (the front page's Markdown, say), on all the data and on the whole site."""
        own = "".join(self.digests.get(source) or hash_files(root, [root / source])
                      for source in page.sources if source.startswith("content/"))
        if page.kind != TEXT_PAGE_KIND:
            reads_whole_site = True
        if reads_whole_site:
            own += self.data
        place = json.dumps([page.path, page.title, page.summary, page.breadcrumbs,
                            [self.title_languages.get(path, "") for _, path in page.breadcrumbs],
                            page.versions, page.language, page.title_language,
                            page.summary_language, page.indexable])
        common = self.shared if reads_whole_site else self.local
        return hashlib.sha256(f"{common}\0{own}\0{page.updated}\0{place}".encode()).hexdigest()


CachedPage = tuple[str, str, "Layout | None", bool]
"""A rendered page's key, the digest of its HTML, where its body sits (see insyn.quick), and
whether it read more of the site than every page does."""


@dataclass
class PageCache:
    """Page address -> CachedPage from the last successful build."""

    path: Path
    entries: dict[str, list] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> PageCache:
        try:
            return cls(path, dict(json.loads(path.read_text(encoding="utf-8"))))
        except (OSError, ValueError, TypeError):
            return cls(path)

    def last(self, page_path: str) -> CachedPage | None:
        """The page as the last build rendered it."""
        entry = self.entries.get(page_path)
        if not entry or len(entry) != 4:
            return None
        layout = entry[2]
        return (entry[0], entry[1], (layout[0], layout[1], tuple(layout[2])) if layout else None,
                bool(entry[3]))

    def save(self, results: dict[str, CachedPage]) -> None:
        entries = {k: [v[0], v[1], [v[2][0], v[2][1], list(v[2][2])] if v[2] else None, v[3]]
                   for k, v in sorted(results.items())}
        if entries == self.entries:
            return  # nothing changed: nothing written
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(entries), encoding="utf-8")
        os.replace(temporary, self.path)


@dataclass
class RenderStats:
    written: int = 0
    """Pages whose HTML differs from the site's copy."""
    unchanged: int = 0
    rendered: int = 0
    """Pages rendered (the rest were known unchanged from the cache)."""
    errors: list[InputError] = field(default_factory=list)
    results: dict[str, CachedPage] = field(default_factory=dict)
    """Page address -> (key, digest, layout, reads whole site), for the next build's cache."""
    processes: int = 1


# The worker processes inherit these from the parent when they are forked.
_worker_renderer: Renderer | None = None
_worker_staging: Staging | None = None


def _render_chunk(indices: list[int],
                  ) -> tuple[list[tuple[str, str, bool, Layout | None, bool]], list[InputError]]:
    """In a worker: render the pages with these indices, and stage what changed.

    Only indices cross to the worker, and only digests come back: the site itself was
    inherited when the worker was forked, and the HTML goes straight into the staging folder.
    """
    renderer, staging = _worker_renderer, _worker_staging
    assert renderer is not None
    known_errors = len(renderer.errors)
    done = []
    for page in (renderer.site.pages[i] for i in indices):
        if parent_gone():
            os._exit(1)  # the build was killed: stop writing into its staging folder
        data, layout, whole = renderer.render_page_and_layout(page)
        digest = digest_of(data)
        changed = staging is not None and not staging.unchanged(page.output_path, digest)
        if changed:
            staging.write(page.output_path, data)
        done.append((page.output_path, digest, changed, layout, whole))
    return done, renderer.errors[known_errors:]


def render_pages(renderer: Renderer, staging: Staging | None, keys: Keys, root: Path,
                 cache: PageCache, *, processes: int | None = None,
                 progress: Callable[[int, int], None] | None = None) -> RenderStats:
    """Render every page that may have changed (in parallel when there are many) and stage it."""
    global _worker_renderer, _worker_staging
    stats = RenderStats()
    pending: list[tuple[int, Page]] = []
    for index, page in enumerate(renderer.site.pages):
        # Keyed as it read the site when it was last rendered: what it read depends only on
        # what its key covers (the templates, the code, its own file).
        last = cache.last(page.output_path)
        known = last is not None and last[0] == keys.page(page, root, last[3])
        if known and (staging is None or staging.unchanged(page.output_path, last[1])):
            stats.unchanged += 1
            stats.results[page.output_path] = last
            if staging is not None:
                staging.record(page.output_path, last[1], changed=False)
        else:
            pending.append((index, page))
    total = len(pending)
    processes = processes or os.cpu_count() or 1
    parallel = total >= PARALLEL_FROM and can_fork(processes)
    by_path = {page.output_path: page for _, page in pending}
    if parallel:
        stats.processes = processes
        _worker_renderer, _worker_staging = renderer, staging
        try:
            # Pages drawn from data (lists, charts, the list of all pages) take longer than pages of
            # text: they go first, so that the last runs are short and end together.
            pending.sort(key=lambda item: item[1].kind == TEXT_PAGE_KIND)
            runs = chunks([index for index, _ in pending], processes)
            with fork_pool(processes) as pool:
                finished = 0
                for done, errors in pool.imap(_render_chunk, runs):
                    stats.errors += errors
                    for path, digest, changed, layout, whole in done:
                        key = keys.page(by_path[path], root, whole)
                        _count(stats, staging, path, (key, digest, layout, whole), changed)
                    finished += len(done)
                    if progress:
                        progress(finished, total)
        finally:
            _worker_renderer = _worker_staging = None
    else:
        for i, (_, page) in enumerate(pending, 1):
            data, layout, whole = renderer.render_page_and_layout(page)
            digest = digest_of(data)
            changed = False
            if staging is not None:
                changed = staging.put_page(page.output_path, data, digest)
            key = keys.page(page, root, whole)
            _count(stats, None, page.output_path, (key, digest, layout, whole), changed)
            if progress and i % 100 == 0:
                progress(i, total)
        stats.errors += renderer.errors
    return stats


def _count(stats: RenderStats, staging: Staging | None, path: str, result: CachedPage,
           changed: bool) -> None:
    if staging is not None:
        staging.record(path, result[1], changed=changed)
    stats.rendered += 1
    stats.written += changed
    stats.unchanged += not changed
    stats.results[path] = result
