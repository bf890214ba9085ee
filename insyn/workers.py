"""Worker processes for the CPU-heavy stages (rendering pages, drawing charts).

Forked, so that they inherit the site already in memory and only small indices cross between
processes. Ctrl-C is the build's to handle; a worker stops when the build does, and dies with
it when the build is killed, instead of writing on into a folder nobody will use.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import multiprocessing.pool
import os
import signal
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

PR_SET_PDEATHSIG = 1
"""Linux prctl option: the signal a process gets when its parent dies."""

parent_pid = 0
"""In a worker: the build process that started it."""


def can_fork(workers: int) -> bool:
    return workers > 1 and "fork" in multiprocessing.get_all_start_methods()


def fork_pool(workers: int) -> multiprocessing.pool.Pool:
    return multiprocessing.get_context("fork").Pool(
        workers, initializer=_worker_start, initargs=(os.getpid(),))


def chunks(items: list[T], processes: int, smallest: int = 8) -> list[list[T]]:
    """`items` cut into runs in order, each a share of what is left (guided scheduling): large
    runs first, so that few cross between processes, and small ones at the end, so that no
    worker is left with a long run while the others wait."""
    runs, start = [], 0
    while start < len(items):
        size = max(smallest, -(-(len(items) - start) // (2 * processes)))
        runs.append(items[start:start + size])
        start += size
    return runs


_task: tuple[Callable[[Any], Any], Sequence[Any]] | None = None
"""The function and items of the running forked_map, inherited by its workers."""


def _run_chunk(indices: list[int]) -> list[Any]:
    assert _task is not None
    function, items = _task
    if parent_gone():
        os._exit(1)  # the build was killed
    return [function(items[i]) for i in indices]


def forked_map(function: Callable[[T], R], items: Sequence[T], processes: int,
               smallest: int = 8, meanwhile: Callable[[], object] | None = None) -> list[R]:
    """[function(item) for item in items], on `processes` forked workers. The function and
    the items are inherited when the workers are forked: only indices and results cross.

    `meanwhile()` is run here once the workers have started, while they work (the pool's own
    threads collect their results)."""
    global _task
    _task = (function, items)
    try:
        with fork_pool(processes) as pool:
            runs = chunks(list(range(len(items))), processes, smallest)
            results = pool.imap(_run_chunk, runs)
            if meanwhile is not None:
                meanwhile()
            return [result for run in results for result in run]
    finally:
        _task = None


def in_background(function: Callable[[], object]) -> Callable[[], None]:
    """Run `function` in a forked process, on a core the build leaves idle; returns a function
    that waits for it. What it makes must be shared through files: nothing comes back."""
    pid = os.fork()
    if pid == 0:  # the forked process
        code = 1
        try:
            _worker_start(os.getppid())
            function()
            code = 0
        finally:
            os._exit(code)
    return lambda: _reap(pid)


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


def parent_gone() -> bool:
    """In a worker: has the build that started it stopped?"""
    return bool(parent_pid) and os.getppid() != parent_pid


def _worker_start(parent: int) -> None:
    global parent_pid
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent_pid = parent
    _die_with_parent()
    if parent_gone():  # killed before the line above took effect
        os._exit(1)


def _die_with_parent() -> None:
    """Linux's PR_SET_PDEATHSIG; elsewhere callers check parent_gone() between items."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
