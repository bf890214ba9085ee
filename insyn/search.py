"""Full-text search with Pagefind: an index of the written pages, made before the site goes live.

Pagefind reads the built HTML (only what is inside `data-pagefind-body`, so navigation, footer
and the feedback form are left out), stems words by the page's `lang`, and writes a static
index under pagefind/ that the search page queries in the browser, with no server and no
third-party request.
"""

from __future__ import annotations

import bisect
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import zlib
from collections.abc import Iterable
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
               force_language: str | None = None, pages: dict[str, str] | None = None) -> None:
    """Index the HTML under `folder`, writing folder/pagefind/. Raises InputErrors on failure.

    `key` is the pages' `index_key`, and `pages` the digests it was made from. Pagefind's filter
    and metadata files differ between two runs over the same pages (an upstream limitation,
    Pagefind issue #638), so the last index is kept in `cache_folder` and reused while the key
    holds: the same input gives the same bytes. When some pages changed, the fragments of the
    pages that did not are put in place first (`reusable_fragments`), and Pagefind, which
    leaves a file named by its content alone when it is there, does not compress them again.
    """
    cached = cache_folder / "pagefind" if cache_folder else None
    if cached and cached.is_dir() and (cache_folder / "key").read_text() == key:
        shutil.copytree(cached, folder / "pagefind", copy_function=_link_or_copy)
        return
    index = folder / "pagefind"
    pages = pages or {}
    setting = _setting(force_language)
    known = _known_fragments(cache_folder, setting) if cache_folder and pages else {}
    reused = {}
    if known and cached and cached.is_dir():
        reused = _put_in_place(reusable_fragments(known, pages), cached, index)
    _run_pagefind(folder, force_language)
    if reused and not fragments_reused_as_themselves(index, set(reused)):
        shutil.rmtree(index)
        _run_pagefind(folder, force_language)
        reused = {}
    if cache_folder:
        shutil.rmtree(cache_folder, ignore_errors=True)
        shutil.copytree(index, cached, copy_function=_link_or_copy)
        fragments = {**reused, **_new_fragments(index, set(reused), pages)}
        (cache_folder / FRAGMENT_PAGES).write_text(
            json.dumps({"setting": setting, "fragments": fragments}), encoding="utf-8")
        (cache_folder / "key").write_text(key)


FRAGMENTS = "fragment"
FRAGMENT_SUFFIX = ".pf_fragment"
FRAGMENT_PAGES = "fragments.json"
"""In the search cache: which page, at which digest, each fragment file of the last index is."""


def _setting(force_language: str | None) -> str:
    """What a fragment depends on besides its page."""
    return f"{_pagefind_version()}\0{force_language or ''}"


def _known_fragments(cache_folder: Path, setting: str) -> dict[str, list[str]]:
    try:
        kept = json.loads((cache_folder / FRAGMENT_PAGES).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(kept, dict) or kept.get("setting") != setting:
        return {}
    fragments = kept.get("fragments")
    return fragments if isinstance(fragments, dict) else {}


def reusable_fragments(known: dict[str, list[str]], pages: dict[str, str]) -> dict[str, list[str]]:
    """The fragments of the last index that this one will have as they are: those of pages
    whose HTML is the same, unless their name shares its start with another fragment's.

    Pagefind names a fragment by the first hex digits of its content's hash, and gives a longer
    name to one of two that start alike, in whichever order it met them: such a name does not
    always belong to the same page, so it is made again."""
    stems = _Stems(known)
    return {name: entry for name, entry in known.items()
            if isinstance(entry, list) and len(entry) == 2 and pages.get(entry[0]) == entry[1]
            and not stems.shares_start(name)}


class _Stems:
    """Fragment names without their suffix, to find those that start like another."""

    def __init__(self, names: Iterable[str]) -> None:
        self.sorted = sorted(name.removesuffix(FRAGMENT_SUFFIX) for name in names)
        self.present = set(self.sorted)

    def __len__(self) -> int:
        return len(self.sorted)

    def shares_start(self, name: str) -> bool:
        """Whether another name starts with this one, or this one with another."""
        stem = name.removesuffix(FRAGMENT_SUFFIX)
        if any(stem[:length] in self.present for length in range(1, len(stem))):
            return True
        after = bisect.bisect_right(self.sorted, stem)  # a name that starts with stem sorts next
        return after < len(self.sorted) and self.sorted[after].startswith(stem)


def _put_in_place(fragments: dict[str, list[str]], cached: Path,
                  index: Path) -> dict[str, list[str]]:
    """Link the cached fragment files into the new index; those that are gone are left out."""
    (index / FRAGMENTS).mkdir(parents=True, exist_ok=True)
    placed = {}
    for name, entry in fragments.items():
        try:
            _link_or_copy(str(cached / FRAGMENTS / name), str(index / FRAGMENTS / name))
        except OSError:
            continue
        placed[name] = entry
    return placed


def fragments_reused_as_themselves(index: Path, reused: set[str]) -> bool:
    """After Pagefind ran over the reused fragments: whether each is still the fragment of its
    own page alone. False when a page's fragment got a name that starts like a reused one (two
    pages' hashes started alike, so Pagefind may have taken a reused file for another page), or
    when there are more fragment files than pages indexed (a reused one belongs to no page)."""
    stems = _Stems(_fragment_files(index))
    return (not any(stems.shares_start(name) for name in reused)
            and len(stems) == _pages_indexed(index))


def _fragment_files(index: Path) -> list[str]:
    try:
        return os.listdir(index / FRAGMENTS)
    except FileNotFoundError:  # no page to index
        return []


def _pages_indexed(index: Path) -> int:
    try:
        entry = json.loads((index / "pagefind-entry.json").read_text(encoding="utf-8"))
        return sum(language["page_count"] for language in entry["languages"].values())
    except (OSError, ValueError, KeyError, TypeError):
        return -1


_FRAGMENT_URL = re.compile(rb'pagefind_dcd\{"url":("(?:[^"\\]|\\.)*")')


def _new_fragments(index: Path, reused: set[str], pages: dict[str, str]) -> dict[str, list[str]]:
    """Which page (and its digest) each fragment Pagefind wrote in this run is, from the URL at
    its start: the first bytes of each are inflated, not the whole file."""
    found = {}
    for name in _fragment_files(index):
        if name in reused:
            continue
        with open(index / FRAGMENTS / name, "rb") as file:
            start = zlib.decompressobj(wbits=31).decompress(file.read(1024), 1024)
        match = _FRAGMENT_URL.match(start)
        if not match:
            continue
        url = json.loads(match[1])
        path = url[1:] + "index.html" if url.endswith("/") else url[1:]
        if path in pages:
            found[name] = [path, pages[path]]
    return found


def _link_or_copy(source: str, target: str) -> None:
    """The index has a file per page: linked, not copied (nothing rewrites a file in place:
    every build writes new files and renames them, and Pagefind never rewrites a fragment)."""
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
