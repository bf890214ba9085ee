"""Timing whole processes: wall time, CPU time and peak memory of each build, round-robin.

`os.wait4` hands back the resource usage of exactly the child it reaped (with its own waited-for
children, such as insyn's `git` calls), so peak memory is per build, not per benchmark.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Sample:
    seconds: float
    """Wall time of the whole process, start to exit."""
    cpu_seconds: float
    """User plus system time of the process and its children (above `seconds` = parallel)."""
    peak_mb: float
    """Largest resident set of the process (or of its largest child), in MiB."""


class BuildFailed(RuntimeError):
    pass


def run_timed(argv: list[str], cwd: Path, log: Path, env: dict[str, str] | None = None) -> Sample:
    """Run one build to the end; raise BuildFailed (with its log) when it exits non-zero."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        started = time.perf_counter()
        process = subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-2000:]
        raise BuildFailed(f"{' '.join(argv)} exited {process.returncode}:\n{tail}")
    return Sample(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


@dataclass
class Contender:
    """One tool in one scenario: its build command and what to do (untimed) before each run."""

    name: str
    argv: list[str]
    cwd: Path
    log: Path
    prepare: Callable[[int], None] = lambda run: None
    """Called with the run number before every timed run (-1 for warm-up runs)."""
    check: Callable[[], None] = lambda: None
    """Called after every run: raises when the build did not do what the scenario expects."""
    env: dict[str, str] | None = None
    samples: list[Sample] = field(default_factory=list)

    def run_once(self, run: int) -> Sample:
        self.prepare(run)
        # What earlier runs wrote (other tools' 10,000 files) is flushed first, untimed: else
        # the kernel writes it back while this run goes on (close to a GB waited here at
        # times), on the same two cores, and a run pays for the one before it.
        os.sync()
        sample = run_timed(self.argv, self.cwd, self.log, self.env)
        self.check()
        return sample


def _print(line: str) -> None:
    print(line, flush=True)


def balanced_orders(count: int, rounds: int) -> list[list[int]]:
    """The order of `count` tools in each of `rounds` rounds, as a Williams design: over
    `count` rounds each tool runs right after every other tool exactly once (for an even count).

    A heavy build can leave the machine slower for the next one (insyn --no-search used 9.8 s
    of CPU right after plain insyn's Pagefind run, 6.8 s elsewhere), so a plain rotation, where
    the same tool always follows the same other, makes one tool pay for another. Fewer rounds
    than tools never repeat a pair (for an even count)."""
    first = [0]
    low, high = 1, count - 1
    while low <= high:
        first.append(low)
        if low != high:
            first.append(high)
        low, high = low + 1, high - 1
    return [[(place + shift) % count for place in first] for shift in range(rounds)]


def round_robin(contenders: list[Contender], runs: int, warmup: int = 0,
                progress: Callable[[str], None] = _print) -> None:
    """Run every contender `runs` times, one run of each in turn, in a balanced order per round
    (`balanced_orders`), so that a slow patch of a shared machine, or a heavy tool's aftermath,
    hits all tools alike."""
    for _ in range(warmup):
        for contender in contenders:
            contender.run_once(-1)
    for run, order in enumerate(balanced_orders(len(contenders), runs)):
        for contender in (contenders[index] for index in order):
            sample = contender.run_once(run)
            contender.samples.append(sample)
            progress(f"    run {run + 1}/{runs} {contender.name:<9} {sample.seconds:7.2f} s "
                     f"{sample.peak_mb:6.0f} MiB")


@dataclass(frozen=True)
class Summary:
    runs: int
    median: float
    low: float
    high: float
    cpu_median: float
    peak_mb: float
    """The largest peak over all runs."""


def summarise(samples: list[Sample]) -> Summary:
    seconds = [s.seconds for s in samples]
    return Summary(runs=len(samples), median=statistics.median(seconds), low=min(seconds),
                   high=max(seconds), cpu_median=statistics.median(s.cpu_seconds for s in samples),
                   peak_mb=max(s.peak_mb for s in samples))
