"""Full-text search with Pagefind: an index of the written pages, made before the site goes live.

Pagefind reads the built HTML (only what is inside `data-pagefind-body`, so navigation, footer
and the feedback form are left out), stems words by the page's `lang`, and writes a static
index under pagefind/ that the search page queries in the browser, with no server and no
third-party request.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

from .errors import InputError, InputErrors
from .i18n import N_

KIND_FILTERS = {
    "agreement": N_("Agreement"),
    "promise": N_("Citizen promise"),
    "follow-up": N_("Follow-up"),
    "est-area": N_("EST area"),
    "commitment": N_("Commitment"),
    "indicator": N_("Indicator"),
}
"""The kinds of page residents can narrow a search to (messages, shown in the page's language);
every other page is a "Page"."""
OTHER_KIND = N_("Page")
NOT_INDEXED = {"search", "all-pages", "not-found", "thanks"}
"""Pages that would only clutter the results."""


def available() -> bool:
    return importlib.util.find_spec("pagefind") is not None


def index_key(files: dict[str, str], force_language: str | None = None) -> str:
    """What a search index depends on: every page (path -> SHA-256 of its HTML, as the write
    stage already knows them), the language stemmed by, and Pagefind's version."""
    digest = hashlib.sha256(f"{_pagefind_version()}\0{force_language or ''}\0".encode())
    for path, page_digest in sorted(files.items()):
        if path.endswith(".html"):
            digest.update(f"{path}\0{page_digest}\0".encode())
    return digest.hexdigest()


def _pagefind_version() -> str:
    try:
        return importlib.metadata.version("pagefind")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def index_site(folder: Path, key: str, cache_folder: Path | None = None,
               force_language: str | None = None) -> None:
    """Index the HTML under `folder`, writing folder/pagefind/. Raises InputErrors on failure.

    `key` is the pages' `index_key`. Pagefind's filter and metadata files differ between two
    runs over the same pages (an upstream limitation, Pagefind issue #638), so the last index is
    kept in `cache_folder` and reused while the key holds: the same input gives the same bytes.
    """
    cached = cache_folder / "pagefind" if cache_folder else None
    if cached and cached.is_dir() and (cache_folder / "key").read_text() == key:
        shutil.copytree(cached, folder / "pagefind", copy_function=_link_or_copy)
        return
    _run_pagefind(folder, force_language)
    if cache_folder:
        shutil.rmtree(cache_folder, ignore_errors=True)
        shutil.copytree(folder / "pagefind", cached, copy_function=_link_or_copy)
        (cache_folder / "key").write_text(key)


def _link_or_copy(source: str, target: str) -> None:
    """The index has a file per page: linked, not copied (nothing rewrites a file in place:
    every build writes new files and renames them)."""
    try:
        os.link(source, target)
    except OSError:  # another file system, or none with hard links
        shutil.copy2(source, target)


def _run_pagefind(folder: Path, force_language: str | None = None) -> None:
    if not available():
        raise InputErrors([InputError.at(
            "(search)", 0, 0, N_("Pagefind is not installed, so the search index cannot be made"),
            N_("install it with: pip install 'pagefind[bin]', or build with --no-search"))])
    # Pagefind stems by each page's <html lang>. When the interface is in one language and the
    # content in another, the content's language is the one to stem by.
    forced = ["--force-language", force_language] if force_language else []
    run = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(folder), "--silent",
                          *forced],
                         capture_output=True, text=True, timeout=600)
    if run.returncode != 0:
        raise InputErrors([InputError.at(
            "(search)", 0, 0, N_("Pagefind could not index the site: {problem}"),
            problem=(run.stderr or run.stdout).strip()[-500:])])
