"""QUICK REBUILD: when only the text of Markdown pages changed, splice it into their HTML.

Most saves change the body of one page and nothing else. Then the site's model (every page's
address, title, dates and menus) is the one the last build made, and so is every byte of that
page's HTML around its body. So a full build records, in .insyn-cache/quick.pickle, what it
was built from: the stamp (times and size) of every input file and of the tool's code, the git
dates, the options, the site folder's marker, and where each Markdown page's body sits in its
HTML file. The next build checks that record first, before the stages are even imported. When
only page bodies changed (each front matter byte for byte the same), it renders just those
bodies, splices them into their pages, and writes them through the same staging as any build.

Anything else falls back to the full build: a changed front matter, data file, template,
attachment or piece of the code, a file added or removed, other options or another day, new
git dates, a broken link in the new text, a site folder touched since, or a stamp too close
to the record's own time to be trusted. So the quick rebuild never gives other bytes than a
full build would; the tests hold it to that. Like every cache here, the record is safe to
delete.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import InputError, InputErrors
from .markdown import leads_somewhere, render_markdown
from .options import BuildOptions, BuildResult
from .output import (
    MARKER,
    PAGE_VERSION_BYTES,
    VERSION_LENGTH,
    Staging,
    commit_site,
    digest_of,
    has_leftovers,
    version_places,
    with_page_version,
)
from .sources import (
    decode,
    files_under_as_text,
    git_dates,
    head_digest,
    keep_pickled,
    read_bytes,
    split_page,
    stamp_of,
)

RECORD = "quick.pickle"
"""The record's file name under the cache folder."""
FORMAT = 1
"""Raised whenever the record changes shape, so an older one is ignored, never misread."""
INPUT_FOLDERS = ("content", "data", "files", "templates")
RACY_NS = 2_000_000_000
"""A file whose modification time is this close to the moment its stamp was taken may have
changed again within the same tick of the file system's clock: its stamp proves nothing."""

Stamp = tuple[int, int, int]
Layout = tuple[int, int, tuple[int, ...]]
"""Where a page's body sits in its HTML file (start, end), and where its version stands."""

TEXT_PAGE_KIND = "page"
"""The kind of page made of its Markdown file alone (the front page also shows the data)."""


# --- where the body sits in a page -----------------------------------------------------------

def body_layout(html: bytes, body: bytes, places: list[int] | None = None) -> Layout | None:
    """Where `body` will sit in the page once its version is filled in, from the page's HTML
    with the version placeholders (standing at `places`, when known); None unless the body
    stands exactly once (then a changed body could not be put in by position)."""
    start = _only_place(html, body) if body else -1
    if start < 0:
        return None
    placeholders = version_places(html) if places is None else places
    shrink = len(PAGE_VERSION_BYTES) - VERSION_LENGTH
    before = sum(1 for p in placeholders if p < start)
    versions = tuple(p - shrink * i for i, p in enumerate(placeholders))
    return (start - shrink * before, start - shrink * before + len(body), versions)


def _only_place(html: bytes, body: bytes) -> int:
    """Where `body` stands in `html`; -1 unless exactly once."""
    # Searching for a long text costs a pass over it first: its start is searched for instead.
    # Where the start stands once, the body can stand nowhere else.
    probe = body[:64]
    start = html.find(probe)
    if start >= 0 and html.find(probe, start + 1) < 0:
        return start if html.startswith(body, start) else -1
    start = html.find(body)
    return start if start >= 0 and html.find(body, start + 1) < 0 else -1


def splice(page: bytes, layout: Layout, body: bytes) -> tuple[bytes, Layout]:
    """The page with another body, its version made again; and the new layout."""
    start, end, versions = layout
    html = bytearray(page[:start] + body + page[end:])
    moved = len(body) - (end - start)
    new_versions = tuple(v if v < start else v + moved for v in versions)
    for at in reversed(new_versions):  # from the end, so that earlier offsets stay right
        html[at:at + VERSION_LENGTH] = PAGE_VERSION_BYTES
    return with_page_version(bytes(html)), (start, start + len(body), new_versions)


# --- the record -------------------------------------------------------------------------------

@dataclass(frozen=True)
class PageRecord:
    """A Markdown page as the last build made it."""

    output_path: str
    source_digest: str
    head_digest: str
    output_digest: str
    layout: Layout


@dataclass
class Record:
    options: tuple
    stamps: dict[str, Stamp]
    stamped_at: int
    """time.time_ns() just before the stamps were taken."""
    dates: dict
    marker: Stamp
    base_path: str
    known_paths: frozenset[str]
    pages: dict[str, PageRecord]
    """Markdown file (content/...) -> its page."""
    page_count: int
    file_count: int
    warnings: list[InputError] = field(default_factory=list)
    search_language: str | None = None
    """The language the search index is forced to, if any (see insyn.search)."""
    format: int = FORMAT


def options_key(options: BuildOptions) -> tuple:
    """The options that shape the output; a quick rebuild needs the same as the last build."""
    return (str(options.root), str(options.out), options.today, options.base_url,
            options.feedback_endpoint, options.strict)


def code_files() -> list[str]:
    package = Path(__file__).parent
    return [*files_under_as_text(package, (".py",)),
            *files_under_as_text(package / "locale", (".po",))]


def input_stamps(root: Path) -> dict[str, Stamp]:
    """The stamp of every input file and of the tool's code, by path."""
    stamps = {}
    for path in [p for folder in INPUT_FOLDERS for p in files_under_as_text(root / folder)
                 ] + code_files():
        stamps[path] = stamp_of(path)
    return stamps


def _marker_stamp(out: Path) -> Stamp:
    try:
        return stamp_of(out / MARKER)
    except OSError:
        return (0, 0, -1)


def record_path(options: BuildOptions, cache_folder: str) -> Path:
    return options.root / cache_folder / RECORD


def _load(path: Path) -> Record | None:
    try:
        with path.open("rb") as file:
            record = pickle.load(file)
    except Exception:  # noqa: BLE001 - a missing, damaged or foreign record is simply not used
        return None
    return record if isinstance(record, Record) and record.format == FORMAT else None


def make_record(options: BuildOptions, stamps: dict[str, Stamp], stamped_at: int, dates: dict,
                base_path: str, known_paths: frozenset[str], pages: dict[str, PageRecord],
                page_count: int, file_count: int, warnings: list[InputError],
                search_language: str | None) -> Record:
    """The record of a build that just put its site in place."""
    return Record(options_key(options), stamps, stamped_at, dates, _marker_stamp(options.out),
                  base_path, known_paths, pages, page_count, file_count, list(warnings),
                  search_language)


# --- the quick rebuild ------------------------------------------------------------------------

@dataclass(frozen=True)
class _Edit:
    rel: str
    page: PageRecord
    body: str
    source_digest: str


def _edits(record: Record, stamps: dict[str, Stamp], root: Path) -> tuple[list[_Edit], int] | None:
    """The pages whose body alone changed, and how many more files were read to be sure they
    had not; None when anything else may have changed."""
    if stamps.keys() != record.stamps.keys():
        return None
    edits = []
    verified = 0
    racy_from = record.stamped_at - RACY_NS
    for path, stamp in stamps.items():
        old = record.stamps[path]
        # A write after the stamp sets the modification time to that moment, which differs
        # from the one recorded unless that one was itself within a tick of the stamp.
        if stamp == old and old[0] < racy_from:
            continue
        rel = os.path.relpath(path, root).replace(os.sep, "/")
        page = record.pages.get(rel)
        if page is None:
            return None  # not a Markdown page's body: only the full build knows what it changes
        raw = read_bytes(path)
        digest = hashlib.sha256(raw).hexdigest()
        if digest == page.source_digest:
            verified += 1  # touched, or a stamp too recent to trust, but the same bytes
            continue
        try:
            parts = split_page(decode(raw, rel))
        except InputErrors:
            return None
        if parts is None or head_digest(parts[0]) != page.head_digest:
            return None
        edits.append(_Edit(rel, page, parts[1], digest))
    return edits, verified


def _body_html(text: str, record: Record, static: Path) -> str | None:
    """The page's new body as HTML; None when it links to a page that does not exist."""
    broken: list[str] = []

    def check_link(href: str, _line: int) -> None:
        if not leads_somewhere(href, record.known_paths, static):
            broken.append(href)

    body = render_markdown(text, record.base_path, check_link)
    return None if broken else body


def _spliced(edits: list[_Edit], record: Record, options: BuildOptions,
             ) -> tuple[dict[str, bytes], dict[str, PageRecord]] | None:
    """The edited pages' new HTML by output path, and the record's pages after them; None when
    a new text links to no page (the full build reports it) or a page in the site folder is
    not the one the record describes (changed by hand)."""
    pages = dict(record.pages)
    new_html: dict[str, bytes] = {}
    static = options.root / "templates" / "static"
    for edit in edits:
        body = _body_html(edit.body, record, static)
        try:
            old = (options.out / edit.page.output_path).read_bytes()
        except OSError:
            return None
        if body is None or digest_of(old) != edit.page.output_digest:
            return None
        html, layout = splice(old, edit.page.layout, body.encode("utf-8"))
        new_html[edit.page.output_path] = html
        pages[edit.rel] = replace(edit.page, source_digest=edit.source_digest,
                                  output_digest=digest_of(html), layout=layout)
    return new_html, pages


def _site_intact(staging: Staging) -> bool:
    """Is every file of the last build still in the site? (Someone may have deleted one by
    hand; the full build puts it back.)"""
    out = staging.out
    return all(os.path.isfile(f"{out}/{path}") for path in staging.previous)


def quick_build(options: BuildOptions, cache_folder: str) -> BuildResult | None:
    """Rebuild the pages whose text alone changed since the last build; None (and nothing
    written) when the full build is needed."""
    started = time.perf_counter()
    if not options.quick or not options.write or options.plain_language:
        return None
    path = record_path(options, cache_folder)
    record = _load(path)
    if record is None or record.options != options_key(options):
        return None
    stamped_at = time.time_ns()
    stamps = input_stamps(options.root)
    found = _edits(record, stamps, options.root)
    out = options.out
    if (found is None or _marker_stamp(out) != record.marker or has_leftovers(out)
            or git_dates(options.root, options.today) != record.dates):
        return None
    edits, verified = found
    spliced = _spliced(edits, record, options)
    if spliced is None:
        return None
    new_html, pages = spliced
    staging = Staging(out)
    try:
        if not _site_intact(staging):
            staging.abort()
            return None
        changed = {p for p, html in new_html.items() if staging.previous.get(p) != digest_of(html)}
        staging.keep_previous(except_for=changed)
        for page_path in sorted(changed):
            staging.put_page(page_path, new_html[page_path], digest_of(new_html[page_path]))
        commit_site(staging, search=options.search, cache_folder=options.root / cache_folder,
                    search_language=record.search_language)
    except BaseException:
        staging.abort()
        raise
    if edits or verified:
        keep_pickled(path, replace(record, stamps=stamps, stamped_at=stamped_at,
                                   marker=_marker_stamp(out), pages=pages))
    return BuildResult(pages=record.page_count, files=record.file_count,
                       seconds=time.perf_counter() - started, pages_written=len(changed),
                       pages_unchanged=record.page_count - len(changed),
                       files_written=len(staging.changed), warnings=list(record.warnings),
                       quick=True)
