"""The stages in order, timed: load -> validate -> model -> render -> write."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import pickle
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from . import quick
from .errors import InputError, InputErrors
from .options import CACHE_FOLDER, BuildOptions, BuildResult
from .output import Output, Staging, check_destination, commit_site
from .sources import GitDates, keep_pickled, load_project

if TYPE_CHECKING:
    from .incremental import CachedPage, Keys
    from .site import Site
    from .sources import ProjectSources

LATER_STAGES = ("models", "site", "charts", "render", "incremental")
"""The modules of the stages after loading. Importing them (pydantic, Jinja, Babel, ...) takes
0.2 s: a large site's first build does it while worker processes parse its files."""


def _import_later_stages() -> None:
    for name in LATER_STAGES:
        importlib.import_module(f".{name}", __package__)


def _stage(result: BuildResult, name: str, run: Callable):
    started = time.perf_counter()
    value = run()
    result.timings[name] = time.perf_counter() - started
    return value


def _stop_on_errors(result: BuildResult, errors: list[InputError], strict: bool = False) -> None:
    """Raise when any error is an error (or, when strict, a warning), with the warnings found
    so far; otherwise keep the warnings for the end of the build."""
    found = result.warnings + errors
    if any(e.severity == "error" or strict for e in found):
        raise InputErrors(found)
    result.warnings = found


def _cached(cache_file: Path, key: str, make: Callable):
    """What `make` made in an earlier build with the same key, or what it makes now (and keeps)."""
    try:
        with cache_file.open("rb") as file:
            stored_key, made = pickle.load(file)
        if stored_key == key:
            return made
    except Exception:  # noqa: BLE001 - a missing, damaged or foreign cache is simply not used
        pass
    made = make()
    keep_pickled(cache_file, (key, made))
    return made


def _exports(site: Site, keys: Keys, dates: dict[str, dt.date], cache_file: Path):
    """The open data (datasets and their files), taken from the last build while nothing it
    is made from changed: the data, site.yaml, the code, the options and the git dates."""
    def make():
        from .exports import build_exports  # rdflib and all: only when the data changed

        return build_exports(site)

    key = hashlib.sha256(f"{keys.shared}\0{keys.data}\0{sorted(dates.items())}".encode()
                         ).hexdigest()
    return _cached(cache_file, key, make)


def _text_pages(site: Site, rendered: dict[str, CachedPage]) -> dict[str, quick.PageRecord]:
    """The pages a quick rebuild can give a new body: Markdown file -> its page."""
    pages = {}
    for page in site.pages:
        source = page.body_file
        _, digest, layout, _ = rendered[page.output_path]
        if page.kind == quick.TEXT_PAGE_KIND and source is not None and layout is not None:
            pages[source.rel] = quick.PageRecord(page.output_path, source.digest,
                                                 source.head_digest, digest, layout)
    return pages


def search_language(site: Site) -> str | None:
    """The language the search index must treat every page as, when the content is written in
    another language than the interface (None: each page's own)."""
    content_language = site.config.content_language or site.language
    return content_language if content_language != site.language else None


def _compile_templates_meanwhile(site: Site, root: Path) -> Callable[[], None]:
    """On a large site's first build, the templates are compiled by another process while
    charts, open data and keys are made, so that the render workers find them compiled
    (each took 0.1 s to compile them itself). Returns what waits for that process."""
    from .incremental import PARALLEL_FROM
    from .render import Renderer
    from .workers import can_fork, in_background

    compiled = root / CACHE_FOLDER / "templates"
    if len(site.pages) < PARALLEL_FROM or not can_fork(2) or (
            compiled.is_dir() and any(compiled.iterdir())):
        return lambda: None
    return in_background(lambda: Renderer(site, root / "templates",
                                          cache_folder=compiled).compile_templates())


def build(options: BuildOptions) -> BuildResult:
    """Run every stage; raises InputErrors (with all problems found) instead of writing.

    When only the texts of pages changed since the last build, the quick rebuild does instead.
    """
    made_quickly = quick.quick_build(options, CACHE_FOLDER)
    if made_quickly is not None:
        return made_quickly
    started = time.perf_counter()
    result = BuildResult()
    root = options.root
    stamped_at, stamps = time.time_ns(), {}  # before any input is read: later changes are seen
    if options.write:
        _stop_on_errors(result, check_destination(options.out))
        stamps = quick.input_stamps(root)  # for the quick rebuild's record, and the load stage

    sources, load_errors = _stage(result, "load", lambda: load_project(
        root, root / CACHE_FOLDER / "sources.pickle", stamps, meanwhile=_import_later_stages))
    # Imported while the files were parsed (see LATER_STAGES).
    from .models import validate_project
    from .site import build_site, check_references

    asked_git = GitDates(root, options.today)  # git answers while the input is validated
    try:
        docs, validation_errors = _stage(result, "validate", lambda: validate_project(sources))
        reference_errors = _stage(result, "references", lambda: check_references(docs))
        # All errors of loading, validating and cross-checking are reported together.
        _stop_on_errors(result, load_errors + validation_errors + reference_errors, options.strict)

        if options.plain_language and docs.site is not None:
            from .plain_language import check_project  # only `check` reads the texts this way

            settings, language = docs.site.model.plain_language, docs.site.model.language
            warnings, result.readability = _stage(result, "plain language", lambda: check_project(
                sources, threshold=settings.lix_threshold, explained=settings.explained,
                language=language))
            _stop_on_errors(result, warnings, options.strict)

        dates = _stage(result, "git", asked_git.result)
    finally:
        asked_git.close()
    site, model_errors = _stage(result, "model", lambda: build_site(
        docs, today=options.today, base_url=options.base_url,
        feedback_endpoint=options.feedback_endpoint, dates=dates))
    _stop_on_errors(result, model_errors, options.strict)
    assert site is not None
    result.site = site
    compiled = _compile_templates_meanwhile(site, root)
    try:
        _make_outputs(options, result, site, sources, dates, stamped_at, stamps)
    finally:
        compiled()
    result.seconds = time.perf_counter() - started
    return result


def _make_outputs(options: BuildOptions, result: BuildResult, site: Site, sources: ProjectSources,
                  dates: dict[str, dt.date], stamped_at: int, stamps: dict[str, quick.Stamp],
                  ) -> None:
    """Charts, open data, pages and the other files, written into the site (the stages after
    the model); `stamped_at` and `stamps` are the inputs' as the build began, for the quick
    rebuild's record."""
    from .charts import draw_site_charts
    from .incremental import Keys, PageCache, render_pages
    from .render import Renderer, schema_outputs

    root = options.root
    charts, chart_files = _stage(result, "charts", lambda: draw_site_charts(
        site.indicators.values(), site.est_areas, language=site.language,
        cache_folder=root / CACHE_FOLDER / "charts"))
    result.charts_drawn = charts.drawn
    digests = {source.rel: source.digest
               for source in [*sources.pages, *(s for kind in sources.data.values() for s in kind)]}
    keys = Keys.of(site, root, root / "templates", digests)
    datasets, data_files = _stage(result, "exports", lambda: _exports(
        site, keys, dates, root / CACHE_FOLDER / "exports.pickle"))
    schema_files = _cached(root / CACHE_FOLDER / "schemas.pickle", keys.code, schema_outputs)
    data_files = data_files + schema_files + [Output(path, data) for path, data in chart_files]
    renderer = Renderer(site, root / "templates", context={"datasets": datasets, "charts": charts},
                        other_paths=[f.path for f in data_files],
                        cache_folder=root / CACHE_FOLDER / "templates")
    keys = keys.knowing(renderer.known_paths)
    staging = Staging(options.out) if options.write else None
    try:
        page_cache = PageCache.load(root / CACHE_FOLDER / "pages.json")
        stats = _stage(result, "render", lambda: render_pages(
            renderer, staging, keys, root, page_cache, progress=options.progress))
        _stop_on_errors(result, stats.errors, options.strict)
        others = renderer.other_outputs() + data_files
        result.pages, result.files = len(site.pages), len(site.pages) + len(others)
        result.pages_written, result.pages_unchanged = stats.written, stats.unchanged
        result.render_processes = stats.processes
        if staging is not None:
            def write() -> None:
                for output in others:
                    staging.put(output)
                commit_site(staging, search=options.search, cache_folder=root / CACHE_FOLDER,
                            search_language=search_language(site))
                keep_pickled(quick.record_path(options, CACHE_FOLDER), quick.make_record(
                    options, stamps, stamped_at, dates, site.base_path,
                    frozenset(renderer.known_paths), _text_pages(site, stats.results),
                    result.pages, result.files, result.warnings, search_language(site)))
            _stage(result, "write", write)
            result.files_written = len(staging.changed)
    except BaseException:
        if staging is not None:
            staging.abort()
        raise
    page_cache.save(stats.results)
