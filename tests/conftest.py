"""Shared fixtures: a private copy of the example project, and builds of it."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from insyn.pipeline import CACHE_FOLDER, BuildOptions, build

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ("content", "data", "files", "templates")
TODAY = dt.date(2026, 11, 25)
SUB_PATH_URL = "https://www.example.se/trygghet/"

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def copy_project(target: Path) -> Path:
    """A copy of the example project that a test may change freely."""
    for part in PROJECT_PARTS:
        shutil.copytree(ROOT / part, target / part)
    return target


@pytest.fixture(scope="session")
def drawn_charts(tmp_path_factory) -> Path:
    """The chart cache of a build of the example project."""
    root = copy_project(tmp_path_factory.mktemp("charts") / "project")
    build_project(root, write=False)
    return root / CACHE_FOLDER / "charts"


@pytest.fixture
def project(tmp_path: Path, drawn_charts: Path) -> Path:
    """A copy of the example project that a test may change freely, with the charts of its last
    build in the cache, as a project has them after its first build: a build takes them from
    there (drawing them takes most of a second each time), and a changed number draws that chart
    again. Tests of drawing itself start from copy_project(), with no cache."""
    root = copy_project(tmp_path / "project")
    shutil.copytree(drawn_charts, root / CACHE_FOLDER / "charts")
    return root


def build_project(root: Path, out: Path | None = None, **options):
    options.setdefault("today", TODAY)
    return build(BuildOptions(root=root, out=out or root / "site", **options))


@pytest.fixture(scope="session")
def example_site(tmp_path_factory) -> Path:
    """The example site built once under a sub-path, for tests that only read it."""
    base = tmp_path_factory.mktemp("example")
    root = copy_project(base / "project")
    build_project(root, base / "site", base_url=SUB_PATH_URL)
    return base / "site"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's chromium: Playwright's own browser download cannot work here."""
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium",
            "args": CHROMIUM_ARGS}
