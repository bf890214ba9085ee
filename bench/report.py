"""Results as Markdown: the table of medians and ratios, save-to-page latency, and the targets."""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from measure import Summary
from scenarios import COLD, EDIT_PAGE, EDIT_TITLE, UNCHANGED, Row, ServeRow

README_START, README_END = "<!-- results:start -->", "<!-- results:end -->"


@dataclass
class RunInfo:
    date: str
    machine: str
    python: str
    insyn_commit: str
    versions: dict[str, str]
    settings: str
    load_before: str
    load_after: str = ""
    minutes: float = 0.0


@dataclass
class Results:
    info: RunInfo
    rows: list[Row] = field(default_factory=list)
    serve: list[ServeRow] = field(default_factory=list)


def _output(argv: list[str], cwd: Path | None = None) -> str:
    run = subprocess.run(argv, capture_output=True, text=True, check=False, cwd=cwd)
    return run.stdout.strip() if run.returncode == 0 else "?"


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "?"


def memory_gib() -> str:
    for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
        if line.startswith("MemTotal:"):
            return f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
    return "?"


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text(encoding="utf-8").split()[:3])


def revision(repo: Path, name: str) -> str:
    commit = _output(["git", "rev-parse", "--short", name], repo)
    subject = _output(["git", "log", "-1", "--format=%s", name], repo)
    return f"{commit} ({subject})"


def insyn_commit(repo: Path) -> str:
    commit = _output(["git", "rev-parse", "--short", "HEAD"], repo)
    dirty = _output(["git", "status", "--porcelain", "--untracked-files=no", "--", "insyn",
                     "templates"], repo)
    return f"{commit}" + (" plus uncommitted changes to insyn/ or templates/" if dirty else "")


def run_info(measured: str, versions: dict[str, str], settings: str) -> RunInfo:
    return RunInfo(
        date=_output(["date", "+%Y-%m-%d %H:%M %Z"]),
        machine=f"{os.cpu_count()} cores, {cpu_model()}, {memory_gib()}, "
                f"{platform.system()} {platform.release()}",
        python=platform.python_version(),
        insyn_commit=measured,
        versions=versions,
        settings=settings,
        load_before=load_average(),
    )


# --- formatting ------------------------------------------------------------------------------

def _s(seconds: float) -> str:
    return f"{seconds:.2f}" if seconds < 10 else f"{seconds:.1f}"


def _ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}×"


def _hugo_median(rows: list[Row], scenario: str) -> float | None:
    return next((r.summary.median for r in rows if r.scenario == scenario and r.tool == "Hugo"), None)


def results_table(rows: list[Row]) -> str:
    lines = ["| scenario | tool | runs | median (s) | min–max (s) | time ÷ Hugo's | CPU (s) | "
             "peak memory (MiB) |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for row in rows:
        s, hugo = row.summary, _hugo_median(rows, row.scenario)
        ratio = s.median / hugo if hugo else None
        lines.append(f"| {row.scenario} | {row.tool} | {s.runs} | {_s(s.median)} | "
                     f"{_s(s.low)}–{_s(s.high)} | {_ratio(ratio)} | {_s(s.cpu_median)} | "
                     f"{s.peak_mb:.0f} |")
    return "\n".join(lines)


def serve_table(rows: list[ServeRow]) -> str:
    lines = ["| site | file saved | saves | median save → page on disk (s) | min–max (s) | "
             "the server's whole rebuild, median (s) | server peak memory (MiB) |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: |"]
    for row in rows:
        lat = row.latencies
        build = _s(statistics.median(row.builds)) if row.builds else "?"
        lines.append(f"| {row.site} | {row.edit} | {len(lat)} | {_s(statistics.median(lat))} | "
                     f"{_s(min(lat))}–{_s(max(lat))} | {build} | {row.peak_mb:.0f} |")
    return "\n".join(lines)


def _median(rows: list[Row], scenario: str, tool: str) -> float | None:
    return next((r.summary.median for r in rows if r.scenario == scenario and r.tool == tool), None)


def _peak(rows: list[Row], scenario: str, tool: str) -> float | None:
    return next((r.summary.peak_mb for r in rows if r.scenario == scenario and r.tool == tool), None)


def _verdict(ok: bool | None) -> str:
    return "—" if ok is None else ("met" if ok else "**not met**")


def targets_table(rows: list[Row], serve: list[ServeRow], largest: int) -> str:
    """Issue 9's targets for insyn (and insyn without search, when run), with measured ratios."""
    label = f"{largest:,} pages"
    cold = f"{COLD}, {label}"
    lines = ["| target (issue 9) | measured | verdict |", "| --- | --- | --- |"]
    for insyn in ("insyn", "insyn --no-search"):
        if _median(rows, cold, insyn) is not None:
            lines += _targets_of(rows, insyn, label)
    lines += _search_targets(rows, label)
    for row in serve:
        lines.append(f"| save → page on disk, {row.site}, {row.edit} (see issue 9) | "
                     f"{_s(statistics.median(row.latencies))} s median | — |")
    return "\n".join(lines)


def _targets_of(rows: list[Row], insyn: str, label: str) -> list[str]:
    cold = f"{COLD}, {label}"
    mine = _median(rows, cold, insyn) or 0.0
    lines = []
    hugo = _median(rows, cold, "Hugo")
    if hugo:
        ratio = mine / hugo
        lines.append(f"| cold build of {label} no slower than Hugo | {insyn} takes {ratio:.2f}× "
                     f"Hugo's time ({_s(mine)} s vs {_s(hugo)} s) | {_verdict(ratio <= 1)} |")
        lines.append(f"| aim: cold build of {label} in half of Hugo's time | {insyn}: {ratio:.2f}× "
                     f"| {_verdict(ratio <= 0.5)} |")
    for tool in ("MkDocs", "Pelican"):
        other = _median(rows, cold, tool)
        if other:
            speed = (f"{other / mine:.2f}× faster" if other >= mine
                     else f"{mine / other:.2f}× slower")
            lines.append(f"| cold build of {label} at least 4× faster than {tool} | {insyn} is "
                         f"{speed} ({_s(mine)} s vs {_s(other)} s) | "
                         f"{_verdict(other / mine >= 4)} |")
    edited = _median(rows, f"{EDIT_PAGE}, {label}", insyn)
    if edited and hugo:
        lines.append(f"| rebuild after editing one page of {label} in under a tenth of Hugo's "
                     f"cold build | {insyn} takes {edited / hugo:.2f}× Hugo's cold build "
                     f"({_s(edited)} s vs {_s(hugo)} s) | {_verdict(edited / hugo < 0.1)} |")
    titled = _median(rows, f"{EDIT_TITLE}, {label}", insyn)
    if titled and hugo:
        lines.append(f"| rebuild after editing one page's title (its front matter) of {label} (no "
                     f"target: the model is made again) | {insyn} takes {titled / hugo:.2f}× "
                     f"Hugo's cold build ({_s(titled)} s) | — |")
    lines += _own_rebuilds(rows, label, insyn, "Hugo")
    sizes = sorted({int(r.scenario.rsplit(", ", 1)[1].split()[0].replace(",", ""))
                    for r in rows if r.scenario.startswith(f"{COLD}, ") and r.tool == insyn})
    if len(sizes) > 1:
        small, large = (_peak(rows, f"{COLD}, {n:,} pages", insyn) for n in (sizes[0], sizes[-1]))
        if small and large:
            lines.append(f"| peak memory flat as the site grows | {insyn}: {_s(small)} MiB at "
                         f"{sizes[0]:,} pages, {_s(large)} MiB at {sizes[-1]:,} "
                         f"({large / small:.1f}× for {sizes[-1] / sizes[0]:.0f}× the pages) | — |")
    return lines


def _search_targets(rows: list[Row], label: str) -> list[str]:
    """Plain insyn makes a Pagefind index, which plain Hugo does not: against Hugo followed by
    the same Pagefind, the same targets like for like."""
    peer = "Hugo + Pagefind"
    cold = f"{COLD}, {label}"
    mine, theirs = _median(rows, cold, "insyn"), _median(rows, cold, peer)
    if not mine or not theirs:
        return []
    lines = [f"| with search: cold build of {label} no slower than {peer} | insyn takes "
             f"{mine / theirs:.2f}× {peer}'s time ({_s(mine)} s vs {_s(theirs)} s) | "
             f"{_verdict(mine <= theirs)} |"]
    edited = _median(rows, f"{EDIT_PAGE}, {label}", "insyn")
    if edited:
        lines.append(f"| with search: rebuild after editing one page of {label} in under a tenth "
                     f"of {peer}'s cold build | insyn takes {edited / theirs:.2f}× ({_s(edited)} s "
                     f"vs {_s(theirs)} s) | {_verdict(edited / theirs < 0.1)} |")
    return lines + _own_rebuilds(rows, label, "insyn", peer, "with search: ")


def _own_rebuilds(rows: list[Row], label: str, tool: str, peer: str,
                  prefix: str = "") -> list[str]:
    """Each rebuild scenario of `tool` against the same rebuild of `peer` (no target)."""
    lines = []
    for scenario in (f"{UNCHANGED}, {label}", f"{EDIT_PAGE}, {label}", f"{EDIT_TITLE}, {label}"):
        own, other = _median(rows, scenario, tool), _median(rows, scenario, peer)
        if own and other:
            lines.append(f"| {prefix}{scenario}, compared with {peer}'s own rebuild (no target) "
                         f"| {tool} takes {own / other:.2f}× {peer}'s time ({_s(own)} s vs "
                         f"{_s(other)} s) | — |")
    return lines


def markdown(results: Results, largest: int) -> str:
    info = results.info
    versions = ", ".join(f"{name} {version}" for name, version in info.versions.items())
    parts = [
        f"Run of {info.date}, {info.minutes:.0f} minutes, `{info.settings}`.",
        "",
        f"- Machine: {info.machine}; Python {info.python}. Load average (1, 5, 15 min) before: "
        f"{info.load_before}, after: {info.load_after} (the machine is shared: other work ran "
        "at the same time, so compare ratios from the same run, not absolute times).",
        f"- insyn: commit {info.insyn_commit}.",
        f"- Peers: {versions}.",
        "",
        "#### Targets",
        "",
        targets_table(results.rows, results.serve, largest),
        "",
        "#### Build times",
        "",
        results_table(results.rows),
    ]
    if results.serve:
        parts += ["", "#### `build.py serve`: from saving a file to the rebuilt page on disk", "",
                  serve_table(results.serve)]
    return "\n".join(parts) + "\n"


def load(raw: Path) -> Results:
    """Results written by a run (results.json), to format them again."""
    data = json.loads(raw.read_text(encoding="utf-8"))
    rows = [Row(r["scenario"], r["tool"], Summary(**r["summary"])) for r in data["rows"]]
    serve = [ServeRow(**row) for row in data["serve"]]
    return Results(RunInfo(**data["info"]), rows, serve)


def update_readme(readme: Path, text: str) -> None:
    """Replace what stands between the results markers in the README."""
    current = readme.read_text(encoding="utf-8")
    start, end = current.index(README_START), current.index(README_END)
    readme.write_text(current[:start + len(README_START)] + "\n" + text + current[end:],
                      encoding="utf-8")
