"""What a build is asked to do (BuildOptions) and what it did (BuildResult).

Apart from the pipeline so that the command line, and the quick rebuild of an edited page
(insyn/quick.py), can use them without importing every stage.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InputError

if TYPE_CHECKING:
    from .plain_language import PageReadability
    from .site import Site


CACHE_FOLDER = ".insyn-cache"
"""Under the project: what can be made again but need not be (parsed sources, page keys,
charts, open data, the search index, compiled templates). Safe to delete."""


@dataclass(frozen=True)
class BuildOptions:
    root: Path
    """The project folder, holding content/, data/, files/ and templates/."""
    out: Path
    today: dt.date
    """Decides which agreement and promise are current; --today makes builds reproducible."""
    base_url: str | None = None
    feedback_endpoint: str | None = None
    write: bool = True
    """False for `check`: validate everything, write nothing."""
    strict: bool = False
    """Warnings fail the build too."""
    plain_language: bool = False
    """Also check that the texts are easy to read (what `check` does)."""
    search: bool = True
    """Make the search index (--no-search skips it for quick previews)."""
    quick: bool = True
    """Try the quick rebuild first (insyn/quick.py): when only page texts changed, just those
    pages are made again. False makes every stage run."""
    progress: Callable[[int, int], None] | None = field(default=None, compare=False)
    """Told (pages done, pages to render) while rendering, for a progress bar."""


@dataclass
class BuildResult:
    pages: int = 0
    files: int = 0
    seconds: float = 0.0
    charts_drawn: int = 0
    pages_written: int = 0
    """Pages whose HTML changed (all of them on a first build)."""
    pages_unchanged: int = 0
    files_written: int = 0
    render_processes: int = 1
    quick: bool = False
    """Made by the quick rebuild: only page texts had changed."""
    timings: dict[str, float] = field(default_factory=dict)
    warnings: list[InputError] = field(default_factory=list)
    site: Site | None = None
    readability: list[PageReadability] = field(default_factory=list)
    """Per page and data file, when the texts were checked for plain language."""
