"""WRITE: put the outputs into a fresh folder, then swap it in place of the site folder.

A failed build never touches the previous site. A folder that this tool did not create is
never cleared or replaced.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from .errors import InputError, InputErrors
from .i18n import N_
from .render import Output

MARKER = ".insyn-site"
"""A file in every folder this tool builds, so it knows which folders it may replace."""
MARKER_TEXT = b"Built by insyn. This whole folder is replaced on every build.\n"


def _temporary_prefix(out: Path) -> str:
    return f".{out.name}.insyn-tmp-"


def is_ours(folder: Path) -> bool:
    return (folder / MARKER).is_file()


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
    """Leftovers of an interrupted build (Ctrl-C, killed) are removed on the next run."""
    if not out.parent.is_dir():
        return
    for leftover in out.parent.glob(_temporary_prefix(out) + "*"):
        if leftover.is_dir() and is_ours(leftover):
            shutil.rmtree(leftover, ignore_errors=True)


def write_site(outputs: list[Output], out: Path,
               finish: Callable[[Path], None] | None = None) -> None:
    """Write every output into a temporary folder beside `out`, then swap it into place.

    `finish` runs on the complete temporary folder before the swap (the search index is made
    from the written pages); if it fails, nothing is swapped.
    """
    errors = check_outputs(outputs) + check_destination(out)
    if errors:
        raise InputErrors(errors)
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(out)
    staging = Path(tempfile.mkdtemp(prefix=_temporary_prefix(out), dir=out.parent))
    try:
        (staging / MARKER).write_bytes(MARKER_TEXT)
        os.chmod(staging, 0o755)
        made: set[Path] = set()
        for output in outputs:
            target = staging / output.path
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            if output.source is not None:
                shutil.copyfile(output.source, target)
            else:
                target.write_bytes(output.data or b"")
        if finish is not None:
            finish(staging)
        _swap_into_place(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _swap_into_place(staging: Path, out: Path) -> None:
    if not out.exists():
        staging.rename(out)
        return
    retired = out.parent / (_temporary_prefix(out) + "old")
    if retired.exists():
        shutil.rmtree(retired)
    if not any(out.iterdir()):
        out.rmdir()
        staging.rename(out)
        return
    out.rename(retired)
    staging.rename(out)
    shutil.rmtree(retired, ignore_errors=True)
