#!/usr/bin/env python3
"""Profile one cold insyn build of the synthetic sites with cProfile.

    python bench/profile_build.py                 # 1,000 and 10,000 pages, insyn at HEAD
    python bench/profile_build.py --sizes 1000 --top 30 --insyn worktree

For each size it writes bench/.work/profile-<size>.prof (open it with `python -m pstats` or
snakeviz) and bench/.work/profile-<size>.txt: own time per package, then the top functions by
cumulative and by own time.

insyn renders, parses and draws charts in worker processes on large sites, and cProfile sees
only the main process. So the build is profiled serially: a small driver raises the thresholds
(PARALLEL_FROM, PARALLEL_LOAD_FROM, PARALLEL_CHARTS_FROM) before calling insyn's command line
(insyn itself is not changed). --parallel profiles it as it runs.
"""

from __future__ import annotations

import argparse
import io
import os
import pstats
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import peers
import sites
from sitegen import TODAY

BENCH = Path(__file__).resolve().parent


SERIAL_DRIVER = """
import sys
import insyn.charts, insyn.incremental, insyn.sources
from insyn.cli import main
insyn.incremental.PARALLEL_FROM = 10**9
insyn.sources.PARALLEL_LOAD_FROM = 10**9
insyn.charts.PARALLEL_CHARTS_FROM = 10**9
sys.exit(main(sys.argv[1:]))
"""


def profile(work: Path, size: int, serial: bool) -> Path:
    """One cold build under cProfile; returns the .prof file."""
    project = sites.page_projects(work, size, [peers.INSYN])[0]
    shutil.rmtree(project.out, ignore_errors=True)
    shutil.rmtree(project.root / ".insyn-cache", ignore_errors=True)
    prof = work / f"profile-{size}.prof"
    driver = work / "profile_driver.py"
    driver.write_text(SERIAL_DRIVER, encoding="utf-8")
    target = [str(driver)] if serial else [str(peers.INSYN_BUILD)]
    argv = [sys.executable, "-m", "cProfile", "-o", str(prof), *target,
            "--root", str(project.root), "--out", str(project.out), "--today", TODAY]
    env = {**os.environ, "PYTHONPATH": str(peers.INSYN_BUILD.parent)}
    started = time.perf_counter()
    subprocess.run(argv, check=True, cwd=project.root, env=env)
    print(f"{size:,} pages: profiled build took {time.perf_counter() - started:.1f} s", flush=True)
    return prof


def _area(filename: str) -> str:
    """Where a function lives: a package under site-packages, insyn, a template, or Python."""
    path = Path(filename)
    if "site-packages" in path.parts:
        return path.parts[path.parts.index("site-packages") + 1]
    if filename.endswith(".html"):
        return "templates (compiled Jinja)"
    if "insyn" in path.parts:
        return "insyn"
    return "Python and its standard library"


def by_area(stats: pstats.Stats) -> str:
    """Own time (tottime) added up per package, largest first."""
    totals: dict[str, float] = defaultdict(float)
    for (filename, _, _), (_, _, tottime, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        totals[_area(filename)] += tottime
    whole = sum(totals.values())
    lines = ["=== own time by package ===", f"{'seconds':>9} {'share':>6}  package"]
    lines += [f"{seconds:9.2f} {seconds / whole:6.1%}  {area}"
              for area, seconds in sorted(totals.items(), key=lambda item: -item[1])]
    return "\n".join(lines) + "\n"


def summary(prof: Path, top: int) -> str:
    """Own time per package, then the top functions by cumulative and by own time."""
    text = io.StringIO()
    stats = pstats.Stats(str(prof), stream=text)
    text.write(by_area(stats))
    stats.strip_dirs()
    for key in ("cumulative", "tottime"):
        text.write(f"\n=== sorted by {key} ===\n")
        stats.sort_stats(key).print_stats(top)
    return text.getvalue()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--work", type=Path, default=BENCH / ".work")
    parser.add_argument("--insyn", default="HEAD", metavar="REVISION",
                        help="a git revision to copy and profile (default HEAD), or 'worktree'")
    parser.add_argument("--parallel", action="store_true",
                        help="profile insyn as it runs (its worker processes stay unseen)")
    args = parser.parse_args(argv)
    peers.snapshot_insyn(args.work / "profile-snapshot",
                         None if args.insyn == "worktree" else args.insyn)
    for size in args.sizes:
        prof = profile(args.work, size, serial=not args.parallel)
        report = prof.with_suffix(".txt")
        report.write_text(summary(prof, args.top), encoding="utf-8")
        print(f"  written {prof} and {report}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
