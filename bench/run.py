#!/usr/bin/env python3
"""The benchmark of issue 9: insyn against Hugo, Eleventy, MkDocs and Pelican.

    python bench/run.py            # the full run (about 20 minutes), updates bench/README.md
    python bench/run.py --quick    # a small smoke run (about 1-2 minutes), writes bench/.work/ only

See bench/README.md for what is measured and how.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import shlex
import sys
import time
from pathlib import Path

import peers
import report
import scenarios
import sites
from report import Results
from toolchain import Toolchain, ensure_toolchain, versions

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
BIG = 5000
"""Sizes from here on use --big-runs, no warm-up, and rebuilds only with --big-rebuilds."""


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: 50 and 200 pages, 2 runs, a small data-heavy site")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000],
                        help="page counts of the synthetic sites (default: 1000 10000)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per scenario (default 5)")
    parser.add_argument("--big-runs", type=int, default=3,
                        help=f"timed runs for sizes of {BIG:,} pages and more (default 3)")
    parser.add_argument("--warmup", type=int, default=1,
                        help="untimed runs per scenario before timing, small sizes only (default 1)")
    parser.add_argument("--tools", default=",".join(peers.BY_NAME),
                        help=f"comma-separated tools to run (default: {','.join(peers.BY_NAME)})")
    parser.add_argument("--indicators", type=int, default=400,
                        help="indicator series in the data-heavy site (default 400)")
    parser.add_argument("--serve-trials", type=int, default=5,
                        help="saves timed through build.py serve per site (default 5; 0 skips)")
    parser.add_argument("--serve-big", action="store_true",
                        help="also time save-to-page latency on the largest synthetic site")
    parser.add_argument("--work", type=Path, default=BENCH / ".work",
                        help="where the generated projects and outputs go (default bench/.work)")
    parser.add_argument("--no-readme", action="store_true",
                        help="do not write the results into bench/README.md")
    parser.add_argument("--report-only", action="store_true",
                        help="measure nothing: format bench/results.json again into "
                             "bench/results.md and the README")
    parser.add_argument("--big-rebuilds", action="store_true",
                        help="also time rebuilds (insyn, insyn --no-search, Hugo, Hugo + "
                             f"Pagefind) at {BIG:,} pages and more")
    parser.add_argument("--insyn", default="HEAD", metavar="REVISION",
                        help="which insyn to measure: a git revision, copied at the start "
                             "(default HEAD); 'worktree' copies the working tree as it is; 'live' "
                             "builds with the working tree while others may change it")
    args = parser.parse_args(argv)
    if args.quick:  # overrides the sizes, runs and trials given
        args.sizes, args.runs, args.big_runs, args.warmup = [50, 200], 2, 2, 0
        args.indicators, args.serve_trials = 40, 2
    return args


def _tools(spec: str) -> list[peers.Tool]:
    names = [name.strip().lower() for name in spec.split(",") if name.strip()]
    unknown = [n for n in names if n not in peers.BY_NAME]
    if unknown:
        raise SystemExit(f"unknown tool(s): {', '.join(unknown)}; known: {', '.join(peers.BY_NAME)}")
    return [peers.BY_NAME[n] for n in names]


def _pages_scenarios(args: argparse.Namespace, chain: Toolchain, tools: list[peers.Tool],
                     results: Results) -> None:
    for size in sorted(args.sizes):
        big = size >= BIG
        print(f"\n== {size:,} pages", flush=True)
        projects = sites.page_projects(args.work, size, tools)
        big_rebuilds = ({"insyn", "insyn --no-search", "Hugo", "Hugo + Pagefind"}
                        if args.big_rebuilds else set())
        rebuild = big_rebuilds if big else {
            t.name for t in tools}
        for project in projects:
            if project.tool.name in rebuild and not project.out.is_dir():
                scenarios.build_once(chain, project)
        results.rows += scenarios.pages_group(chain, projects, size, rebuild,
                                              args.big_runs if big else args.runs,
                                              0 if big else args.warmup)
        insyn = next((p for p in projects if p.tool is peers.INSYN), None)
        serve_here = args.serve_trials and insyn and (size == min(args.sizes) or args.serve_big)
        if serve_here:
            print(f"  serve: {size:,} pages", flush=True)
            results.serve.append(scenarios.serve_latency(
                insyn, scenarios.page_editor(insyn), Path(scenarios.EDITED_PAGE) / "index.html",
                f"{size:,} pages", "one Markdown page",
                args.serve_trials if not big else min(args.serve_trials, 3)))


def _data_scenarios(args: argparse.Namespace, chain: Toolchain, results: Results) -> None:
    print(f"\n== data-heavy site ({args.indicators} indicator series)", flush=True)
    project = sites.data_project(args.work, args.indicators)
    check = scenarios.run_timed([sys.executable, str(peers.INSYN_BUILD), "check", "--root",
                                 str(project.root), "--today", "2026-11-25"],
                                project.root, project.log)
    print(f"  build.py check passed in {check.seconds:.2f} s", flush=True)
    scenarios.build_once(chain, project)
    results.rows += scenarios.data_group(chain, project, args.runs, args.warmup)
    if args.serve_trials:
        print("  serve: data-heavy site", flush=True)
        results.serve.append(scenarios.serve_latency(
            project, scenarios.follow_up_editor(project.root), scenarios.FOLLOW_UP_PAGE,
            "data-heavy site", "one follow-up YAML", args.serve_trials))


def _write(results: Results, args: argparse.Namespace) -> Path:
    text = report.markdown(results, max(args.sizes))
    target = args.work / "quick-results.md" if args.quick else BENCH / "results.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    raw = target.with_suffix(".json")
    raw.write_text(json.dumps(dataclasses.asdict(results), indent=1, ensure_ascii=False),
                   encoding="utf-8")
    if not args.quick and not args.no_readme:
        report.update_readme(BENCH / "README.md", text)
    return target


def _choose_insyn(which: str, snapshot: Path) -> str:
    """Point the benchmark at the insyn to measure; describe it for the report."""
    if which == "live":
        peers.use_insyn(REPO)
        return report.insyn_commit(REPO) + ", built live from the working tree"
    peers.snapshot_insyn(snapshot, None if which == "worktree" else which)
    if which == "worktree":
        return report.insyn_commit(REPO) + ", copied at the start"
    return report.revision(REPO, which) + " (committed code only, copied at the start)"


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if args.report_only:
        results = report.load(BENCH / "results.json")
        sizes = [int(r.scenario.rsplit(", ", 1)[1].split()[0].replace(",", ""))
                 for r in results.rows if r.scenario.startswith(scenarios.COLD)]
        args.sizes = sizes or args.sizes
        print(f"Written to {_write(results, args)}")
        return 0
    started = time.perf_counter()
    tools = _tools(args.tools)
    measured = _choose_insyn(args.insyn, args.work / "insyn-snapshot")
    print("Installing or checking the peers in bench/.venv and bench/node_modules", flush=True)
    chain = ensure_toolchain()
    settings = "python bench/run.py " + shlex.join(argv) if argv else "python bench/run.py"
    results = Results(report.run_info(measured, versions(chain), settings.strip()))
    scenarios.empty_trash()  # a stopped run's; before the first measurement
    try:
        _pages_scenarios(args, chain, tools, results)
        if peers.INSYN in tools:
            _data_scenarios(args, chain, results)
    finally:
        results.info.load_after = report.load_average()
        scenarios.empty_trash()
    results.info.minutes = (time.perf_counter() - started) / 60
    target = _write(results, args)
    print(f"\n{target.read_text(encoding='utf-8')}\nWritten to {target}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
