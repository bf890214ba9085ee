"""An interrupted build (Ctrl-C, or the process killed) leaves the previous site/ exactly as it
was, and the next successful build leaves no temporary folder (.site.insyn-tmp-*) behind.

To interrupt a build reliably without changing the tool, the example project gets hundreds of
small Markdown pages, so that rendering and writing them takes a second or more, and every page
changes between builds (the site's name is on each); the signal is sent once pages are being
written into the build's temporary folder beside site/.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from insyn.output import MARKER

from .conftest import ROOT, build_project

PAGES = 600
TODAY = "2026-11-25"
TEMPORARY = ".site.insyn-tmp-"


def add_pages(project: Path, count: int = PAGES) -> None:
    folder = project / "content" / "arkiv"
    folder.mkdir()
    for i in range(count):
        (folder / f"notis-{i:04d}.md").write_text(
            f"---\ntitle: Notis {i}\nsummary: En kort notis från arkivet.\n"
            f"published: 2024-01-01\n---\nNotis nummer {i}. Läs mer om [EST](/est/).\n",
            encoding="utf-8")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(project: Path) -> list[str]:
    return sorted(p.name for p in project.glob(TEMPORARY + "*"))


STARTED: list[subprocess.Popen] = []


def start_build(project: Path, *, driver: Path | None = None, **env: str) -> subprocess.Popen:
    """The command in its own process group, as a terminal runs it in the foreground."""
    script = driver or ROOT / "build.py"
    process = subprocess.Popen([sys.executable, str(script), "--today", TODAY], cwd=project,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, **env}, start_new_session=True)
    STARTED.append(process)
    return process


def group_alive(group: int) -> bool:
    """Is a process of this group still running? (While one is, the id cannot be reused.)"""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError):
            state, _, process_group = stat.read_text().rsplit(")", 1)[1].split()[:3]
            if int(process_group) == group and state != "Z":
                return True
    return False


@pytest.fixture(autouse=True)
def _no_process_outlives_its_test():
    yield
    while STARTED:
        process = STARTED.pop()
        if group_alive(process.pid):  # a worker left behind by the build this test started
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        process.communicate()


def wait_for_writing(project: Path, process: subprocess.Popen, timeout: float = 60) -> Path:
    """The build's temporary folder, once pages are being written into it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for folder in project.glob(TEMPORARY + "*"):
            if folder.name == TEMPORARY + "old" or not (folder / MARKER).is_file():
                continue
            try:
                if sum(1 for _ in (folder / "arkiv").iterdir()) >= 20:
                    return folder
            except FileNotFoundError:  # not yet written, or already renamed into place
                pass
        assert process.poll() is None, f"the build ended before writing: {process.stderr.read()}"
        time.sleep(0.002)
    process.kill()
    raise AssertionError("the build never started writing")


def rebuild(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "--today", TODAY], cwd=project,
                          capture_output=True, text=True, timeout=120)


NEW_NAME = "Trygghet i Lidköpings kommun"


def rename_site(project: Path) -> None:
    """A change that reaches every page: the site's name is in each page's header."""
    site = project / "data/site.yaml"
    text = site.read_text(encoding="utf-8")
    assert "site_name: Trygghet i Lidköping\n" in text
    site.write_text(text.replace("site_name: Trygghet i Lidköping\n", f"site_name: {NEW_NAME}\n"),
                    encoding="utf-8")


@pytest.fixture
def big_project(project: Path) -> Path:
    """The example with many pages, built once (site/ is the previous site), then changed."""
    add_pages(project)
    build_project(project)
    rename_site(project)
    return project


def ctrl_c(process: subprocess.Popen) -> None:
    """What Ctrl-C in a terminal does: SIGINT to every process of the foreground group."""
    os.killpg(process.pid, signal.SIGINT)


def test_ctrl_c_while_writing_leaves_the_previous_site_and_the_next_build_no_leftovers(
        big_project):
    before = snapshot(big_project / "site")
    build = start_build(big_project)
    wait_for_writing(big_project, build)
    ctrl_c(build)
    _, stderr = build.communicate(timeout=60)

    assert build.returncode == 130, stderr
    assert "Avbrutet; den tidigare webbplatsen är oförändrad." in stderr.splitlines()
    assert snapshot(big_project / "site") == before

    result = rebuild(big_project)
    assert result.returncode == 0, result.stderr
    assert leftovers(big_project) == []
    assert NEW_NAME in (big_project / "site/index.html").read_text("utf-8")


def test_a_killed_build_leaves_the_previous_site_and_the_next_build_removes_its_leftovers(
        big_project):
    before = snapshot(big_project / "site")
    build = start_build(big_project)
    staging = wait_for_writing(big_project, build)
    os.killpg(build.pid, signal.SIGKILL)  # the build and its workers: no chance to clean up
    build.communicate(timeout=60)

    assert build.returncode == -signal.SIGKILL
    assert snapshot(big_project / "site") == before
    assert leftovers(big_project) == [staging.name]

    result = rebuild(big_project)
    assert result.returncode == 0, result.stderr
    assert leftovers(big_project) == []
    assert NEW_NAME in (big_project / "site/index.html").read_text("utf-8")


# --- stopped at the worst moments -----------------------------------------------------

DRIVER = textwrap.dedent("""\
    # Runs the command, but stops the process at one moment of the write stage.
    import os, signal, sys, tempfile
    from pathlib import Path

    sys.path.insert(0, {root!r})
    at, how = os.environ["STOP_AT"], os.environ["STOP_HOW"]


    def stop():
        os.kill(os.getpid(), signal.SIGKILL if how == "kill" else signal.SIGINT)


    real_mkdtemp = tempfile.mkdtemp


    def mkdtemp(*args, **kwargs):
        folder = real_mkdtemp(*args, **kwargs)
        if at == "made-temporary-folder" and kwargs.get("prefix", "").startswith({temporary!r}):
            stop()
        return folder


    tempfile.mkdtemp = mkdtemp
    import insyn.output
    from insyn.cli import main

    real_exchange = insyn.output._exchange


    def exchange(a, b):
        if at == "before-the-swap":
            stop()
        swapped = real_exchange(a, b)
        if at == "after-the-swap":
            stop()
        return swapped


    insyn.output._exchange = exchange

    sys.exit(main(sys.argv[1:]))
    """)


def run_stopped(project: Path, tmp_path: Path, at: str, how: str) -> subprocess.CompletedProcess:
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER.format(root=str(ROOT), temporary=TEMPORARY), encoding="utf-8")
    build = start_build(project, driver=driver, STOP_AT=at, STOP_HOW=how)
    stdout, stderr = build.communicate(timeout=120)
    return subprocess.CompletedProcess(build.args, build.returncode, stdout, stderr)


@pytest.fixture
def built(project: Path) -> Path:
    build_project(project)
    rename_site(project)
    return project


@pytest.mark.parametrize("at", ["before-the-swap", "after-the-swap"])
@pytest.mark.parametrize("how", ["ctrl-c", "kill"])
def test_stopped_at_the_swap_the_site_is_whole_and_the_message_true(built, tmp_path, how, at):
    """The new site replaces the old in one atomic exchange, and Ctrl-C is held back around
    it: whenever the build stops, site/ is either the previous site or the new one, whole."""
    before = snapshot(built / "site")
    result = run_stopped(built, tmp_path, at, how)
    assert "Traceback" not in result.stderr
    assert (built / "site").is_dir(), f"site/ is gone; left beside it: {leftovers(built)}"
    now = snapshot(built / "site")
    if how == "kill":
        assert result.returncode == -signal.SIGKILL
        assert now == before if at == "before-the-swap" else NEW_NAME in now["index.html"].decode()
    else:  # Ctrl-C at that moment is held back: the build ends normally, the site is new
        assert result.returncode == 0, result.stderr
        assert NEW_NAME in now["index.html"].decode()
    pages = {p for p in now if not p.startswith("pagefind/")}  # the index's names are hashes
    assert pages == {p for p in before if not p.startswith("pagefind/")}

    assert rebuild(built).returncode == 0
    assert leftovers(built) == []
    assert NEW_NAME in (built / "site/index.html").read_text("utf-8")


def test_killed_right_after_making_its_temporary_folder_the_next_build_removes_it(built, tmp_path):
    before = snapshot(built / "site")
    result = run_stopped(built, tmp_path, "made-temporary-folder", "kill")
    assert result.returncode == -signal.SIGKILL
    assert snapshot(built / "site") == before
    assert len(leftovers(built)) == 1

    assert rebuild(built).returncode == 0
    assert leftovers(built) == []


# --- the worker processes that render a large site in parallel ----------------------------------

many_workers = pytest.mark.skipif((os.cpu_count() or 1) < 2,
                                  reason="with one core the pages are rendered in one process")


@many_workers
def test_ctrl_c_while_rendering_in_parallel_shows_no_traceback(big_project):
    build = start_build(big_project)
    wait_for_writing(big_project, build)
    ctrl_c(build)
    _, stderr = build.communicate(timeout=60)
    assert build.returncode == 130
    assert stderr.splitlines() == ["Avbrutet; den tidigare webbplatsen är oförändrad."]


@many_workers
def test_when_only_the_build_process_is_killed_its_workers_stop_quietly(big_project):
    build = start_build(big_project)
    staging = wait_for_writing(big_project, build)
    build.kill()
    build.wait(timeout=60)
    time.sleep(0.3)  # the workers were told to die when the build died; they may be mid-page
    written_after_death = sum(1 for _ in staging.rglob("*"))
    time.sleep(1)
    assert sum(1 for _ in staging.rglob("*")) == written_after_death, "workers wrote on"
    _, stderr = build.communicate(timeout=60)  # ends when every process holding stderr has
    assert "Traceback" not in stderr
