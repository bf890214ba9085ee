"""The scenarios of issue 9: cold builds, rebuilds, the data-heavy site and save-to-page latency.

Each group of scenarios is one round-robin: every (scenario, tool) pair runs once per round, so a
slow moment of the shared machine is spread over all of them instead of hitting one tool.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import datagen
import peers
import sitegen
from measure import Contender, Summary, round_robin, run_timed, summarise
from sites import Project
from toolchain import Toolchain

COLD, UNCHANGED, EDIT_PAGE = "cold build", "rebuild, nothing changed", "rebuild after editing one page"
EDIT_TITLE = "rebuild after editing one page's title"
"""A change to the front matter: insyn's quick rebuild of a page's text does not apply, so this
shows the rebuild that makes the site's model again."""
DATA_COLD = "data-heavy site, cold build"
DATA_WARM = "data-heavy site, rebuild, nothing changed (warm)"
DATA_EDIT = "data-heavy site, rebuild after editing one follow-up YAML"
EDITED_PAGE = sitegen.slug_of(7)


@dataclass(frozen=True)
class Row:
    scenario: str
    tool: str
    summary: Summary


@dataclass(frozen=True)
class ServeRow:
    site: str
    edit: str
    latencies: list[float]
    """Seconds from the save to the page on disk showing it."""
    builds: list[float]
    """The rebuilds' own times as the server printed them (the rest is noticing the save)."""
    peak_mb: float


_BUILT = re.compile(rb"^\[\d\d:\d\d:\d\d\] \S+ \d+ .*? ([\d.]+) s\.$", re.MULTILINE)
"""The server's line after each build, in any language: "[22:03:47] Built 110 pages in 1.54 s."."""


def _build_times(log: Path) -> list[float]:
    """The times of the builds the server has reported so far."""
    return [float(m.group(1)) for m in _BUILT.finditer(log.read_bytes())]


class Editor:
    """Changes one file so that a marker word shows up on one page; restores it afterwards.

    Each change is made to the file as it is, not as it was: two editors of one file (a page's
    text and its title) must not undo each other's change, or editing the text would also
    change the title back."""

    def __init__(self, path: Path, change: Callable[[str, str], str]) -> None:
        self.path = path
        self.change = change
        self.original = path.read_text(encoding="utf-8")

    def apply(self, marker: str) -> None:
        self.path.write_text(self.change(self.path.read_text(encoding="utf-8"), marker),
                             encoding="utf-8")

    def restore(self) -> None:
        self.path.write_text(self.original, encoding="utf-8")


def page_editor(project: Project) -> Editor:
    """Adds a sentence at the end of one Markdown page."""
    return Editor(project.tool.source(project.root, EDITED_PAGE),
                  lambda text, marker: f"{text}\nÄndrad i körning {marker}.\n")


def title_editor(project: Project) -> Editor:
    """Adds a word to the title of the same page (its front matter)."""
    def change(text: str, marker: str) -> str:
        # YAML front matter (title: "...") for most tools, Pelican's own (Title: ...).
        changed, count = re.subn(r'^(title: "[^"\n]*)"$|^(Title: .*)$',
                                 lambda m: f'{m[1]} {marker}"' if m[1] else f"{m[2]} {marker}",
                                 text, count=1, flags=re.MULTILINE)
        if not count:
            raise RuntimeError("the page has no title line to edit")
        return changed
    return Editor(project.tool.source(project.root, EDITED_PAGE), change)


def follow_up_editor(root: Path) -> Editor:
    """Adds a sentence to the summary of one follow-up."""
    def change(text: str, marker: str) -> str:
        return re.sub(r"^summary: (.*)$", rf"summary: \1 Ändrad i körning {marker}.", text, count=1,
                      flags=re.MULTILINE)
    return Editor(datagen.follow_up_file(root / "data"), change)


FOLLOW_UP_PAGE = Path("uppfoljningar") / f"uppfoljning-{datagen.FOLLOW_UP_LAST_YEAR}" / "index.html"


def _marker(run: int) -> str:
    return f"markor{run + 1}x{time.monotonic_ns() % 10**9}"


TRASH = Path(__file__).resolve().parent / ".work" / "trash"
"""Where a cold run's old output and caches go. Deleting 10,000 files between runs made every
later file creation slower on this machine's disk (ext4 with online discard: the kernel time
of writing 10,000 small files grew from 0.7 s to 17 s over a session, whichever tool wrote
them), so the timings measured the disk's backlog more than the tools. Moving them aside is
one rename; they are deleted once, after the last measurement."""


def _clean(project: Project) -> None:
    for path in (project.out, *(project.root / leftover  # the tools' caches
                                for leftover in (".insyn-cache", "resources", ".hugo_build.lock"))):
        if path.exists() or path.is_symlink():
            TRASH.mkdir(parents=True, exist_ok=True)
            path.rename(TRASH / f"{time.monotonic_ns()}-{path.name}")


def empty_trash() -> None:
    shutil.rmtree(TRASH, ignore_errors=True)


def _edit_then_check(editor: Editor, page: Path) -> tuple[Callable[[int], None], Callable[[], None]]:
    """prepare (edit with a fresh marker) and check (the built page shows it) for one contender."""
    current = {"marker": ""}

    def prepare(run: int) -> None:
        current["marker"] = _marker(run)
        editor.apply(current["marker"])

    def check() -> None:
        if current["marker"] not in page.read_text(encoding="utf-8"):
            raise RuntimeError(f"{page} was not rebuilt with the edit")
    return prepare, check


def _contender(scenario: str, project: Project, chain: Toolchain,
               prepare: Callable[[int], None] = lambda run: None,
               check: Callable[[], None] = lambda: None) -> Contender:
    return Contender(name=f"{project.tool.name}: {scenario}",
                     argv=project.tool.command(chain, project.root, project.out),
                     cwd=project.root, log=project.log, prepare=prepare, check=check)


def pages_group(chain: Toolchain, projects: list[Project], size: int, rebuild_tools: set[str],
                runs: int, warmup: int) -> list[Row]:
    """Cold builds for every tool; unchanged and edited rebuilds for `rebuild_tools`."""
    label = f"{size:,} pages"
    entries: list[tuple[str, Contender]] = []
    editors = []
    for project in projects:
        scenario = f"{COLD}, {label}"
        entries.append((scenario, _contender(scenario, project, chain,
                                             lambda run, p=project: _clean(p))))
        if project.tool.name not in rebuild_tools:
            continue
        scenario = f"{UNCHANGED}, {label}"
        entries.append((scenario, _contender(scenario, project, chain)))
        page = project.tool.page_html(project.out, EDITED_PAGE)
        for scenario, editor in ((EDIT_PAGE, page_editor(project)),
                                 (EDIT_TITLE, title_editor(project))):
            editors.append(editor)
            prepare, check = _edit_then_check(editor, page)
            scenario = f"{scenario}, {label}"
            entries.append((scenario, _contender(scenario, project, chain, prepare, check)))
    return _run_group(entries, runs, warmup, editors)


def data_group(chain: Toolchain, project: Project, runs: int, warmup: int) -> list[Row]:
    """The data-heavy insyn site: cold, a second build with nothing changed, one follow-up edited."""
    editor = follow_up_editor(project.root)
    prepare, check = _edit_then_check(editor, project.out / FOLLOW_UP_PAGE)
    scenarios = [(DATA_COLD, lambda run: _clean(project), lambda: None),
                 (DATA_WARM, lambda run: None, lambda: None),
                 (DATA_EDIT, prepare, check)]
    entries = [(name, _contender(name, project, chain, before, after))
               for name, before, after in scenarios]
    return _run_group(entries, runs, warmup, [editor])


def _run_group(entries: list[tuple[str, Contender]], runs: int, warmup: int,
               editors: list[Editor]) -> list[Row]:
    """Run the group round-robin; the edited files are restored whatever happens."""
    try:
        round_robin([contender for _, contender in entries], runs, warmup)
    finally:
        for editor in editors:
            editor.restore()
    return [Row(scenario, contender.name.split(":")[0], summarise(contender.samples))
            for scenario, contender in entries]


# --- save-to-page latency through `build.py serve` -------------------------------------------

def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(predicate: Callable[[], bool], timeout: float, what: str, poll: float = 0.005) -> None:
    deadline = time.perf_counter() + timeout
    while not predicate():
        if time.perf_counter() > deadline:
            raise TimeoutError(f"gave up waiting for {what}")
        time.sleep(poll)


def _listening(port: int, server: subprocess.Popen) -> bool:
    if server.poll() is not None:
        raise RuntimeError(f"the server exited with {server.returncode} before it was ready")
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _contains(path: Path, marker: str) -> bool:
    try:
        return marker in path.read_text(encoding="utf-8")
    except OSError:
        return False  # between the old folder's removal and the new one's arrival


def serve_latency(project: Project, editor: Editor, page: Path, site: str, edit: str,
                  trials: int) -> ServeRow:
    """Start `build.py serve`, save the file `trials` times, time each save until the page shows it."""
    out = project.out.parent / "serve-out"
    shutil.rmtree(out, ignore_errors=True)
    log = project.out.parent / "serve.log"
    port = _free_port()
    argv = [sys.executable, str(peers.INSYN_BUILD), "serve", "--root", str(project.root),
            "--out", str(out), "--port", str(port), "--today", sitegen.TODAY]
    latencies: list[float] = []
    builds: list[float] = []
    with log.open("wb") as sink:
        server = subprocess.Popen(argv, stdout=sink, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL)
        try:
            _wait_for(lambda: _listening(port, server), 600, "the server to start", 0.1)
            for trial in range(trials):
                time.sleep(1.0)  # let the watcher settle between saves
                marker = _marker(trial)
                reported = len(_build_times(log))
                editor.apply(marker)
                saved = time.perf_counter()
                _wait_for(lambda m=marker: _contains(out / page, m), 600, "the rebuilt page")
                latencies.append(time.perf_counter() - saved)
                _wait_for(lambda n=reported: len(_build_times(log)) > n, 10, "the build's report")
                builds.append(_build_times(log)[-1])
                print(f"    save {trial + 1}/{trials}: page on disk after {latencies[-1]:.2f} s",
                      flush=True)
            editor.restore()
            _wait_for(lambda: not _contains(out / page, marker), 600, "the restoring rebuild")
        finally:
            editor.restore()
            server.terminate()
        _, status, usage = os.wait4(server.pid, 0)
        server.returncode = os.waitstatus_to_exitcode(status)
    return ServeRow(site, edit, latencies, builds, usage.ru_maxrss / 1024)


def build_once(chain: Toolchain, project: Project) -> None:
    """An untimed build, so a rebuild scenario has an output to rebuild."""
    run_timed(project.tool.command(chain, project.root, project.out), project.root, project.log)
