"""WRITE: stage what changed beside the site folder, then put it in place only when all succeeded.

Every build is written into a fresh folder beside the site. Each file is compared with the
manifest of the previous build (kept in the marker file), and only files that differ are
written: a build that changes nothing writes nothing. Nothing reaches the site before the whole
build has succeeded; then

- a first build, or one that makes a search index (which needs every page in one folder), has
  its unchanged files hard-linked into the new folder, which is renamed into place whole;
- any other rebuild moves just the changed files into the site and deletes the removed ones,
  each file replaced atomically, after writing down what it is about to do: a rebuild that
  edits one page of ten thousand touches two files, not ten thousand. Stopped midway
  (killed), the next build finishes the job before it starts.

A failed or interrupted build never touches the previous site; leftovers of an interrupted one
are removed by the next. A folder that this tool did not create is never cleared.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from .errors import InputError, InputErrors
from .i18n import N_


@dataclass(frozen=True)
class Output:
    """One file of the built site."""

    path: str
    """Relative to the output folder, for example medborgarloften/2021/index.html."""
    data: bytes | None = None
    source: Path | None = None
    """Copy this file instead of writing `data`."""


PAGE_VERSION_PLACEHOLDER = "\0page-version\0"
"""Stands for the page's version while its HTML is hashed. No source text can hold a NUL: YAML
refuses control characters, and Markdown turns NUL into U+FFFD."""
PAGE_VERSION_BYTES = PAGE_VERSION_PLACEHOLDER.encode()
VERSION_LENGTH = 12
"""Hex digits of the page's SHA-256 that make its version."""


def version_places(html: bytes) -> list[int]:
    """Where the page version's placeholder stands in the page's HTML."""
    places = []
    at = html.find(PAGE_VERSION_BYTES)
    while at >= 0:
        places.append(at)
        at = html.find(PAGE_VERSION_BYTES, at + len(PAGE_VERSION_BYTES))
    return places


def with_page_version(html: bytes, places: list[int] | None = None) -> bytes:
    """The page with its version (sent with feedback) filled in: the start of a SHA-256 of the
    HTML itself, so it changes exactly when the page does, whatever else was committed.
    `places` are the placeholder's, when already known."""
    places = version_places(html) if places is None else places
    if not places:
        return html
    version = hashlib.sha256(html).hexdigest()[:VERSION_LENGTH].encode()
    parts, last = [], 0
    for at in places:
        parts += [html[last:at], version]
        last = at + len(PAGE_VERSION_BYTES)
    parts.append(html[last:])
    return b"".join(parts)


MARKER = ".insyn-site"
"""A file in every folder this tool builds: it says the folder may be replaced, and lists the
files of the last build with their digests (the manifest)."""
MARKER_NOTE = "Built by insyn. This folder is rewritten by every build; do not edit it by hand."
PLAN = ".insyn-plan"
"""In a staging folder whose build succeeded: the files it is moving into the site and the
files it is deleting there. A staging folder with a plan is finished, never thrown away."""


def _temporary_prefix(out: Path) -> str:
    return f".{out.name}.insyn-tmp-"


def is_ours(folder: Path) -> bool:
    return (folder / MARKER).is_file()


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_marker(out: Path) -> dict:
    try:
        marker = json.loads((out / MARKER).read_text(encoding="utf-8"))
        return marker if isinstance(marker, dict) else {}
    except (OSError, ValueError):
        return {}


def read_manifest(out: Path) -> dict[str, str]:
    """Path -> digest of every file the last build wrote into `out` (empty when unknown)."""
    try:
        return dict(_read_marker(out)["files"])
    except (KeyError, TypeError, ValueError):
        return {}


def _marker_text(files: dict[str, str], search_key: str | None = None) -> str:
    marker = {"note": MARKER_NOTE, "files": dict(sorted(files.items())), "search": search_key}
    return json.dumps(marker, indent=0) + "\n"


def check_outputs(outputs: list[Output]) -> list[InputError]:
    """Two outputs on one path would silently overwrite each other: refuse it."""
    seen: set[str] = set()
    errors = []
    for output in outputs:
        if output.path in seen:
            errors.append(InputError.at(output.path, 0, 0,
                                        N_("two things would be written to {path}"),
                                        N_("rename one of the pages or files"), path=output.path))
        seen.add(output.path)
    return errors


def check_destination(out: Path) -> list[InputError]:
    """The output folder must be new, empty, or one this tool built before."""
    if out.exists() and not out.is_dir():
        return [InputError.at(str(out), 0, 0, N_("the output path exists and is not a folder"),
                              N_("choose another --out"))]
    if out.is_dir() and any(out.iterdir()) and not is_ours(out):
        return [InputError.at(str(out), 0, 0,
                              N_("this folder was not created by insyn; refusing to replace it"),
                              N_("choose an empty or new folder with --out"))]
    return []


def remove_stale_temporaries(out: Path) -> None:
    """Leftovers of an interrupted build (Ctrl-C, killed) are removed on the next run.

    A build stopped between the two renames of the swap leaves the previous site under its
    retired name and no site at all: that site is put back first.
    """
    if not out.parent.is_dir():
        return
    retired = out.parent / (_temporary_prefix(out) + "old")
    if not out.exists() and retired.is_dir() and is_ours(retired):
        retired.rename(out)
    for leftover in out.parent.glob(_temporary_prefix(out) + "*"):
        if (leftover / PLAN).is_file() and is_ours(out):
            _carry_out_plan(leftover, out)  # a build that succeeded but was stopped midway
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)


def has_leftovers(out: Path) -> bool:
    """Is anything left of an interrupted build beside the site folder?"""
    return any(out.parent.glob(_temporary_prefix(out) + "*"))


class Staging:
    """Collects a build's files; nothing reaches the site folder before `commit`."""

    def __init__(self, out: Path) -> None:
        errors = check_destination(out)
        if errors:
            raise InputErrors(errors)
        out.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(out)
        self.out = out
        self.previous = read_manifest(out) if is_ours(out) else {}
        self.previous_search = _read_marker(out).get("search") if self.previous else None
        """The key of the pages the site's search index was made from (None: no index)."""
        self.fresh = not self.previous
        """No usable previous build: everything is written and the folder swapped in whole."""
        self.folder = Path(tempfile.mkdtemp(prefix=_temporary_prefix(out), dir=out.parent))
        os.chmod(self.folder, 0o755)
        # Marks the staging folder as ours before anything else is in it.
        (self.folder / MARKER).write_text(_marker_text({}), encoding="utf-8")
        self.files: dict[str, str] = {}
        self.changed: list[str] = []

    def unchanged(self, path: str, digest: str) -> bool:
        """Is this file already in the site with these bytes? (The manifest says so, and the
        file is still there: someone may have deleted files from the site by hand.)"""
        return (not self.fresh and self.previous.get(path) == digest
                and os.path.isfile(f"{self.out}/{path}"))

    def put(self, output: Output) -> bool:
        """Stage one output; returns whether it differs from the site's copy."""
        data = output.data if output.source is None else output.source.read_bytes()
        data = data or b""
        return self.put_page(output.path, data, digest_of(data))

    def put_page(self, path: str, data: bytes, digest: str) -> bool:
        """Stage bytes whose digest is known; returns whether they differ from the site's copy."""
        if self.unchanged(path, digest):
            self.record(path, digest, changed=False)
            return False
        self.write(path, data)
        self.record(path, digest, changed=True)
        return True

    def write(self, path: str, data: bytes) -> None:
        """Write one file into the staging folder (from any process). Plain os calls on text
        paths: pathlib's took half again as long, 13 µs a page."""
        target = f"{self.folder}/{path}"
        folder = os.path.dirname(target)
        try:
            os.mkdir(folder)
        except FileExistsError:
            pass
        except FileNotFoundError:
            os.makedirs(folder, exist_ok=True)
        descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        try:
            written = os.write(descriptor, data)
            while written < len(data):  # a regular file takes all at once, but may not
                written += os.write(descriptor, memoryview(data)[written:])
        finally:
            os.close(descriptor)

    def keep_previous(self, *, except_for: set[str]) -> None:
        """Note every file of the previous build as unchanged, but these."""
        for path, digest in self.previous.items():
            if path not in except_for:
                self.record(path, digest, changed=False)

    def record(self, path: str, digest: str, *, changed: bool) -> None:
        """Note a file staged by someone else (a worker process) or known to be unchanged."""
        if path in self.files:
            raise InputErrors(check_outputs([Output(path), Output(path)]))
        self.files[path] = digest
        if changed:
            self.changed.append(path)

    @property
    def removed(self) -> list[str]:
        return sorted(set(self.previous) - set(self.files))

    def commit(self, finish: Callable[[Path], None] | None = None,
               search_key: str | None = None) -> None:
        """Put the staged build in place; when nothing changed at all, no file is written.

        `finish(folder)` makes the search index for the pages whose key is `search_key`: it
        runs on a complete new folder (unchanged files linked from the current site), which is
        then swapped in by one rename, unless the site's index already has that key. Without
        `finish`, only the changed files are moved into the site, and the site's search index,
        if any, stays as it was.
        """
        search_stale = finish is not None and search_key != self.previous_search
        if not self.fresh and not self.changed and not self.removed and not search_stale:
            self.abort()
            return
        if not self.fresh and finish is None:
            self._update_in_place()
            return
        changed = set(self.changed)
        for path in self.files:
            if path not in changed:
                _link(self.out / path, self.folder / path)
        (self.folder / MARKER).write_text(
            _marker_text(self.files, search_key if finish is not None else None),
            encoding="utf-8")
        if finish is not None:
            finish(self.folder)
        with _ctrl_c_held_back():
            _swap_into_place(self.folder, self.out)

    def abort(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def _update_in_place(self) -> None:
        """Move the changed files into the site and delete the removed ones, after writing the
        plan down, so that a build stopped midway is finished by the next one."""
        (self.folder / MARKER).write_text(_marker_text(self.files, self.previous_search),
                                          encoding="utf-8")
        plan = self.folder / (PLAN + ".tmp")
        plan.write_text(json.dumps({"changed": self.changed, "removed": self.removed}),
                        encoding="utf-8")
        os.replace(plan, self.folder / PLAN)
        with _ctrl_c_held_back():
            _carry_out_plan(self.folder, self.out)


@contextmanager
def _ctrl_c_held_back() -> Iterator[None]:
    """Ctrl-C while the changed files are moved in (milliseconds) would leave the site half
    updated until the next build: it is ignored for that moment instead."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _carry_out_plan(staging: Path, out: Path) -> None:
    """Apply a staging folder's plan to the site; safe to run again after any interruption."""
    plan = json.loads((staging / PLAN).read_text(encoding="utf-8"))
    for path in plan["removed"]:
        target = out / path
        target.unlink(missing_ok=True)
        _remove_empty_folders(target.parent, out)
    for path in plan["changed"]:
        source, target = staging / path, out / path
        if not source.exists():
            continue  # moved before the interruption
        if target.is_dir():
            shutil.rmtree(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, target)
    if (staging / MARKER).exists():
        os.replace(staging / MARKER, out / MARKER)
    shutil.rmtree(staging, ignore_errors=True)


def _remove_empty_folders(folder: Path, out: Path) -> None:
    while folder != out and folder.is_relative_to(out):
        try:
            folder.rmdir()
        except OSError:  # not empty, or already gone
            if folder.exists():
                return
        folder = folder.parent


def _link(existing: Path, new: Path) -> None:
    new.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(existing, new)
    except OSError:  # a file system without hard links
        shutil.copy2(existing, new)


def commit_site(staging: Staging, *, search: bool, cache_folder: Path,
                search_language: str | None) -> None:
    """Put the staged files in place, with a search index made for exactly these pages unless
    the build was asked for none (then the site keeps its last index)."""
    if not search:
        staging.commit()
        return
    from .search import index_key, index_site

    key = index_key(staging.files, search_language)
    staging.commit(search_key=key, finish=partial(
        index_site, key=key, cache_folder=cache_folder / "search", force_language=search_language,
        pages=staging.files))


def write_site(outputs: Iterable[Output], out: Path,
               finish: Callable[[Path], None] | None = None) -> Staging:
    """Stage every output and commit; on any failure the previous site stays as it was."""
    staging = Staging(out)
    try:
        for output in outputs:
            staging.put(output)
        staging.commit(finish)
    except BaseException:
        staging.abort()
        raise
    return staging


RENAME_EXCHANGE = 2
AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one atomic step (Linux renameat2); False where that is not
    possible, and nothing changed."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    return renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0


def _swap_into_place(staging: Path, out: Path) -> None:
    if not out.exists():
        staging.rename(out)
        return
    if any(out.iterdir()) and _exchange(staging, out):
        shutil.rmtree(staging, ignore_errors=True)  # it holds the previous site now
        return
    retired = out.parent / (_temporary_prefix(out) + "old")
    if retired.exists():
        shutil.rmtree(retired)
    if not any(out.iterdir()):
        out.rmdir()
        staging.rename(out)
        return
    out.rename(retired)
    try:
        staging.rename(out)
    except BaseException:
        retired.rename(out)  # interrupted between the renames: the previous site comes back
        raise
    shutil.rmtree(retired, ignore_errors=True)
