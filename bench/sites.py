"""The benchmark's working folders: one project per tool and size, plus the data-heavy site.

Generated projects are kept between runs (regenerated when the generator's code changes); the
insyn projects always get a fresh copy of the real templates/ and a data/site.yaml that the
current model accepts. Each insyn project is its own git
repository with one commit, as a real site is, so insyn's "Senast uppdaterad" lookup in git is
part of what is measured.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import datagen
import peers
import sitegen
from peers import Tool

BENCH = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Project:
    tool: Tool
    root: Path
    out: Path
    log: Path


def _fingerprint(*parts: object, files: tuple[str, ...] = ("peers.py",)) -> str:
    """Changes when the generated files would: the parameters, a sample of the pages, the code."""
    sample = [(p.title, p.summary, p.body) for p in sitegen.make_pages(3)]
    digest = hashlib.sha256(repr((parts, sample)).encode())
    for name in files:
        digest.update((BENCH / name).read_bytes())
    return digest.hexdigest()


def _fresh(folder: Path, fingerprint: str) -> bool:
    stamp = folder / ".bench-stamp"
    return stamp.is_file() and stamp.read_text(encoding="utf-8") == fingerprint


def _stamp(folder: Path, fingerprint: str) -> None:
    (folder / ".bench-stamp").write_text(fingerprint, encoding="utf-8")


def git_snapshot(root: Path) -> None:
    """Make `root` a git repository with everything committed once, on a fixed date."""
    shutil.rmtree(root / ".git", ignore_errors=True)
    env = {**os.environ, "GIT_AUTHOR_DATE": "2026-01-05T12:00:00", "GIT_COMMITTER_DATE":
           "2026-01-05T12:00:00", "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.se",
           "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.se"}
    for argv in (["git", "init", "-q"], ["git", "add", "-A"],
                 ["git", "commit", "-q", "-m", "synthetic site"]):
        subprocess.run(argv, cwd=root, env=env, check=True, stdout=subprocess.DEVNULL)


def _gitignore(root: Path) -> None:
    (root / ".gitignore").write_text(".bench-stamp\n.insyn-cache/\n", encoding="utf-8")


def page_projects(work: Path, size: int, tools: list[Tool]) -> list[Project]:
    """Each tool's project holding the same `size` synthetic pages (plus a front page)."""
    pages: list[sitegen.SyntheticPage] | None = None
    projects = []
    for tool in tools:
        folder = work / f"pages-{size}" / tool.key
        root = folder / "project"
        fingerprint = _fingerprint(size, tool.name)
        if not _fresh(root, fingerprint):
            pages = pages or sitegen.make_pages(size)
            print(f"  writing {size} pages for {tool.name}", flush=True)
            peers.write_project(tool, root, pages)
            if tool.is_insyn:
                _gitignore(root)
                git_snapshot(root)
            _stamp(root, fingerprint)
        if tool.is_insyn:
            sitegen.refresh_insyn_project(root, peers.TEMPLATES)
        projects.append(Project(tool, root, folder / "out", folder / "build.log"))
    return projects


def data_project(work: Path, indicators: int) -> Project:
    """The data-heavy insyn site."""
    folder = work / f"data-{indicators}"
    root = folder / "project"
    fingerprint = _fingerprint("data", indicators, files=("datagen.py",))
    if not _fresh(root, fingerprint):
        print(f"  writing the data-heavy site ({indicators} indicator series)", flush=True)
        shutil.rmtree(root, ignore_errors=True)
        datagen.write_data_heavy_project(root, peers.TEMPLATES, indicators)
        _gitignore(root)
        git_snapshot(root)
        _stamp(root, fingerprint)
    sitegen.refresh_insyn_project(root, peers.TEMPLATES)
    return Project(peers.INSYN, root, folder / "out", folder / "build.log")
