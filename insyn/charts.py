"""CHARTS: indicator series and EST reports as accessible, deterministic SVG charts.

A chart is a `Chart`: the SVG, a text alternative that states the trend in words, a caption, the
same numbers as table rows and as CSV. Everything but the SVG is plain Python computed from the
data. The SVG is drawn with matplotlib only when the `ChartCache` does not already hold it, and
matplotlib is imported only then, so a build whose charts are unchanged never loads it.

Design choices:

- Phone first: the figure is 4.5 in (324 SVG units) wide, which a 360 px wide phone shows at
  about 1:1, so 13-unit text reads as 13 px there. The SVG has a viewBox and width="100%" and no
  fixed size: the page decides how wide it is (a max-width in CSS keeps text moderate on desktop).
- Text stays text (`svg.fonttype = 'none'`): selectable, translatable, small. It is laid out with
  matplotlib's bundled DejaVu Sans, the widest of the usual sans fonts, and shown in the site's
  system font stack, so the browser's (narrower) font always fits where DejaVu fitted.
- Determinism: no date or creator metadata, a fixed `svg.hashsalt` for the ids matplotlib
  derives, ticks and labels computed here rather than by locators, and ids that nothing refers
  to removed (the rest are prefixed with a content hash, so two charts inlined on one page never
  share an id).
- Honest scales: the value axis starts at zero for data that are never negative.
- Colour is never the only cue: an indicator is one line in the brand colour with its target as
  a labelled dashed line; EST reports are small multiples, each panel titled with its category,
  coloured from the Okabe-Ito palette, which stays distinct with the common colour-vision
  deficiencies.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import html
import importlib.metadata
import io
import json
import math
import os
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .workers import can_fork, forked_map

if TYPE_CHECKING:
    from .models import EstArea, Indicator

STYLE_VERSION = "1"
"""Part of every cache key: bump it when the drawing changes, so cached charts are drawn again."""

BRAND = "#1b4f72"
INK = "#1a1a1a"
MUTED = "#4a4a4a"
GRID = "#d5dde4"
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000")
"""Okabe-Ito, darkest and most distinct first, for categories and multiple series."""
FONT_STACK = ("system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, "
              "'DejaVu Sans', sans-serif")
"""The site's font stack (site.css), put on the SVG so its text matches the page."""

WIDTH_IN = 4.5
FONT_SIZE = 14
SMALL_FONT_SIZE = 13

_RC: dict[str, Any] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "insyn-charts",
    "font.family": ["DejaVu Sans"],
    "font.size": FONT_SIZE,
    "text.color": INK,
    "axes.edgecolor": MUTED,
    "axes.linewidth": 1.0,
    "axes.facecolor": "white",
    "figure.facecolor": "white",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.spines.left": False,
    "axes.axisbelow": True,
    "xtick.color": MUTED,
    "ytick.color": MUTED,
    "xtick.labelcolor": INK,
    "ytick.labelcolor": INK,
    "xtick.labelsize": SMALL_FONT_SIZE,
    "ytick.labelsize": SMALL_FONT_SIZE,
    "ytick.major.size": 0,
    "ytick.major.pad": 4,
    "figure.constrained_layout.w_pad": 0.06,
    "figure.constrained_layout.h_pad": 0.06,
    "path.simplify": False,
}
_SVG_METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}
_DRAW_LOCK = threading.Lock()
"""matplotlib's rcParams are global: one chart is drawn at a time."""

Language = Literal["sv", "en"]


# --- the result -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Chart:
    """One chart and everything a page needs to present it accessibly."""

    svg: bytes
    """A standalone SVG file (UTF-8) with role="img" and the alt text as aria-label and <title>."""
    alt: str
    """The trend in words, for <img alt> and for readers who cannot see the chart."""
    caption: str
    """For <figcaption>: what is shown, the periods and the source."""
    table_header: tuple[str, ...]
    table_rows: tuple[tuple[str, ...], ...]
    """The chart's numbers, formatted for the site's language (first cell: the period)."""
    csv: str
    """The data as comma-separated UTF-8 text with a header row and ISO-like periods."""
    filename_stem: str
    """For the chart's files, for example trygghet-centrum (.svg, .csv)."""
    width: int
    height: int
    """The SVG's viewBox size, for <img width height> so the page reserves the space."""
    content_columns: tuple[int, ...] = ()
    """Columns whose cells are written by the organisation (an indicator's notes), not by the
    tool: the page marks them with the language of the content."""
    content_header_columns: tuple[int, ...] = ()
    """Header cells written by the organisation (an EST area's report categories)."""

    @property
    def inline_svg(self) -> str:
        """The SVG without its XML declaration, to put straight into HTML."""
        return self.svg.decode("utf-8").split("?>", 1)[-1].strip()


# --- the cache ------------------------------------------------------------------------------


@functools.cache
def _renderer_version() -> str:
    try:
        return importlib.metadata.version("matplotlib")
    except importlib.metadata.PackageNotFoundError:
        return "none"


class ChartCache:
    """SVG files kept by a hash of what they show, so an unchanged chart is not drawn again.

    `hits` and `misses` count the charts taken from the folder and the charts drawn.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.hits = 0
        self.misses = 0
        self._used: set[str] = set()
        self._lock = threading.Lock()

    @staticmethod
    def key(key_data: Any) -> str:
        """The hash of the data (anything JSON can write), the style and the matplotlib version."""
        text = json.dumps({"style": STYLE_VERSION, "matplotlib": _renderer_version(),
                           "data": key_data}, sort_keys=True, ensure_ascii=False,
                          separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def _stored(self, key: str) -> bytes | None:
        path = self.folder / f"{key}.svg"
        with self._lock:
            self._used.add(path.name)
        if path.is_file():
            data = path.read_bytes()
            if data.rstrip().endswith(b"</svg>"):
                return data
        return None

    def has(self, key_data: Any) -> bool:
        return self._stored(self.key(key_data)) is not None

    def get_or_draw(self, key_data: Any, draw: Callable[[], bytes]) -> bytes:
        """The stored SVG for `key_data`, or the result of `draw()`, which is then stored."""
        key = self.key(key_data)
        data = self._stored(key)
        if data is not None:
            with self._lock:
                self.hits += 1
            return data
        data = draw()
        self.store(key_data, data)
        return data

    def store(self, key_data: Any, data: bytes) -> None:
        """Keep a chart drawn for `key_data` (counted as drawn)."""
        key = self.key(key_data)
        path = self.folder / f"{key}.svg"
        with self._lock:
            self.misses += 1
            self._used.add(path.name)
        temporary = path.with_name(f".{key}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(data)
            os.replace(temporary, path)
        except OSError:
            pass  # a cache that cannot be written costs time, never the build

    def prune(self) -> int:
        """Delete the cached charts this run did not use; return how many."""
        if not self.folder.is_dir():
            return 0
        removed = 0
        for path in self.folder.glob("*.svg"):
            if re.fullmatch(r"[0-9a-f]{64}\.svg", path.name) and path.name not in self._used:
                path.unlink()
                removed += 1
        return removed


# --- words and numbers ----------------------------------------------------------------------

_ORDINALS = ("första", "andra", "tredje", "fjärde")
_SHORT_MONTHS = {
    "sv": ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}
_NUMBER_WORDS = {
    "sv": ("noll", "en", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio", "elva",
           "tolv"),
    "en": ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
           "eleven", "twelve"),
}
_ENGLISH_UNITS = {"procent": "percent", "anmälningar": "reports", "rapporter": "reports"}


def format_number(value: float, decimals: int | None = None, language: Language = "sv") -> str:
    """insyn.render.format_number (imported here, not at the top, so either module may import
    the other first)."""
    from .render import format_number as render_number

    return render_number(value, decimals, language)


def format_month(month: str, language: Language = "sv") -> str:
    """insyn.render.format_month: "2024-03" -> "mars 2024"."""
    from .render import format_month as render_month

    return render_month(month, language)


def parse_period(period: int | str) -> tuple[int, int | None]:
    """2022 -> (2022, None); "2022-Q3" -> (2022, 3)."""
    year, _, quarter = str(period).partition("-Q")
    return int(year), int(quarter) if quarter else None


def period_label(period: int | str, language: Language = "sv") -> str:
    """For tables and captions: "2022", "kvartal 3 2022" (English "Q3 2022")."""
    year, quarter = parse_period(period)
    if quarter is None:
        return str(year)
    return f"kvartal {quarter} {year}" if language == "sv" else f"Q{quarter} {year}"


def period_phrase(period: int | str, language: Language = "sv") -> str:
    """As a period reads in a sentence: "2022", "tredje kvartalet 2022"; "in 2022", "in Q3 2022"."""
    year, quarter = parse_period(period)
    if language == "en":
        return f"in {period_label(period, language)}"
    return str(year) if quarter is None else f"{_ORDINALS[quarter - 1]} kvartalet {year}"


def short_month(month: str, language: Language = "sv") -> str:
    """"2024-03" -> "mar" (English "Mar")."""
    return _SHORT_MONTHS[language][int(month[5:7]) - 1]


def unit_after_number(unit: str, language: Language = "sv") -> str:
    """The unit as it follows a number: "antal anmälningar" -> "anmälningar" (58 anmälningar)."""
    words = unit.strip()
    for prefix in ("antal ", "number of "):
        if words.lower().startswith(prefix) and len(words) > len(prefix):
            words = words[len(prefix):]
            break
    if language == "en":
        words = _ENGLISH_UNITS.get(words.lower(), words)
    return words


def number_text(value: float, language: Language = "sv") -> str:
    """A value as people read it: 62, 61,5, 0,35, 1 234, −3 (as many decimals as it has, up to
    two, and a true minus sign)."""
    decimals = next((d for d in (0, 1) if abs(value - round(value, d)) < 1e-9), 2)
    return format_number(value, decimals, language).replace("-", "\u2212")


def quantity(value: float, unit: str, language: Language = "sv") -> str:
    """62 procent, 1 234 anmälningar: a number and its unit that never break apart."""
    return f"{number_text(value, language)}\u00a0{unit_after_number(unit, language)}"


def axis_number(value: float, decimals: int, language: Language = "sv") -> str:
    """A tick label: Swedish number format with a true minus sign."""
    if abs(value) < 10 ** -(decimals + 3):
        value = 0.0
    return format_number(value, decimals, language).replace("-", "\u2212")


def nice_ticks(low: float, high: float, max_ticks: int = 5, integer: bool = False) -> list[float]:
    """Round, evenly spaced ticks from at or below `low` to at or above `high`, at most `max_ticks`."""
    if high <= low:
        high = low + 1
    raw = (high - low) / max(max_ticks - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    while True:
        for factor in (1, 2, 2.5, 5):
            step = factor * magnitude
            if integer and (step < 1 or not float(step).is_integer()):
                continue
            start = math.floor(low / step + 1e-9) * step
            stop = math.ceil(high / step - 1e-9) * step
            count = round((stop - start) / step) + 1
            if step >= raw and count <= max_ticks:
                return [round(start + i * step, 10) for i in range(count)]
        magnitude *= 10


def tick_decimals(ticks: Sequence[float]) -> int:
    """How many decimals the tick labels need (0 for 0, 20, 40; 1 for 0, 0.5, 1)."""
    for decimals in range(4):
        if all(abs(t * 10 ** decimals - round(t * 10 ** decimals)) < 1e-6 for t in ticks):
            return decimals
    return 4


def _count_word(count: int, language: Language) -> str:
    words = _NUMBER_WORDS[language]
    return words[count] if 0 <= count < len(words) else str(count)


def _lower_first(text: str) -> str:
    """"Nedskräpning" -> "nedskräpning", but "EST-möten" stays as it is."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def _range_text(first: str, last: str) -> str:
    """2019–2025, but "maj 2025 – oktober 2026" (a spaced dash between terms with spaces)."""
    if first == last:
        return first
    return f"{first} – {last}" if " " in first + last else f"{first}–{last}"


def _csv_number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _csv_text(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


# --- indicators: the words --------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    period: str
    """As written in the data: "2022" or "2022-Q3"."""
    value: float
    note: str | None = None

    @property
    def x(self) -> int:
        """Position on the time axis: the year, or four steps a year for quarters."""
        year, quarter = parse_period(self.period)
        return year if quarter is None else year * 4 + quarter - 1


def series_points(indicator: Indicator) -> list[Point]:
    """The indicator's values in time order."""
    points = [Point(str(v.period), float(v.value), v.note) for v in indicator.values]
    return sorted(points, key=lambda p: p.x)


def compared_points(points: Sequence[Point]) -> tuple[Point, Point]:
    """The two values the trend compares: first and last, but for quarters the same quarter as
    the last in the first year that has it, so that seasons do not pass for a trend."""
    last = points[-1]
    quarter = parse_period(last.period)[1]
    if quarter is not None:
        for point in points[:-1]:
            if parse_period(point.period)[1] == quarter:
                return point, last
    return points[0], last


def trend(first: float, last: float) -> Literal["up", "down", "flat"]:
    """"flat" when the change is at most 1 % of the larger value."""
    if abs(last - first) <= 0.01 * max(abs(first), abs(last)):
        return "flat"
    return "up" if last > first else "down"


def target_met(value: float, target: float, higher_is_better: bool) -> bool:
    return value >= target if higher_is_better else value <= target


def indicator_alt(indicator: Indicator, language: Language = "sv") -> str:
    """The trend in words, for example "Trygga i centrum på kvällen: ökade från 62 procent 2019
    till 73 procent 2025, en förbättring. Målet är minst 75 procent och nåddes inte 2025."."""
    points = series_points(indicator)
    first, last = compared_points(points)
    sv = language == "sv"

    def q(value: float) -> str:
        return quantity(value, indicator.unit, language)

    def ph(point: Point) -> str:
        return period_phrase(point.period, language)

    title = indicator.title
    if first is last:
        sentences = [f"{title}: {q(last.value)} {ph(last)}."]
    else:
        direction = trend(first.value, last.value)
        if direction == "flat" and number_text(first.value) == number_text(last.value):
            sentences = [f"{title}: oförändrat, {q(last.value)} både {ph(first)} och {ph(last)}." if sv
                         else f"{title}: unchanged at {q(last.value)} {ph(first)} and {ph(last)}."]
        elif direction == "flat":
            sentences = [f"{title}: i stort sett oförändrat, {q(first.value)} {ph(first)} och "
                         f"{q(last.value)} {ph(last)}." if sv else
                         f"{title}: roughly unchanged, {q(first.value)} {ph(first)} and "
                         f"{q(last.value)} {ph(last)}."]
        else:
            better = (direction == "up") == indicator.higher_is_better
            if sv:
                verb = "ökade" if direction == "up" else "minskade"
                verdict = "en förbättring" if better else "en försämring"
                sentences = [f"{title}: {verb} från {q(first.value)} {ph(first)} till "
                             f"{q(last.value)} {ph(last)}, {verdict}."]
            else:
                verb = "rose" if direction == "up" else "fell"
                verdict = "an improvement" if better else "a change for the worse"
                sentences = [f"{title}: {verb} from {q(first.value)} {ph(first)} to "
                             f"{q(last.value)} {ph(last)}, {verdict}."]
        sentences.append(_extremes_sentence(points, first, last, q, ph, language))
    if indicator.target is not None:
        met = target_met(last.value, indicator.target, indicator.higher_is_better)
        if sv:
            bound = "minst" if indicator.higher_is_better else "högst"
            reached = "nåddes" if met else "nåddes inte"
            sentences.append(f"Målet är {bound} {q(indicator.target)} och {reached} {ph(last)}.")
        else:
            bound = "at least" if indicator.higher_is_better else "at most"
            reached = "was reached" if met else "was not reached"
            sentences.append(f"The target is {bound} {q(indicator.target)} and {reached} {ph(last)}.")
    return " ".join(s for s in sentences if s)


def _extremes_sentence(points: Sequence[Point], first: Point, last: Point,
                       q: Callable[[float], str], ph: Callable[[Point], str],
                       language: Language) -> str:
    """The highest and lowest values, when they lie between the two compared ones."""
    highest = max(points, key=lambda p: p.value)
    lowest = min(points, key=lambda p: p.value)
    high = highest if highest.value > max(first.value, last.value) else None
    low = lowest if lowest.value < min(first.value, last.value) else None
    sv = language == "sv"
    if high and low:
        return (f"Det högsta värdet var {q(high.value)} {ph(high)} och det lägsta {q(low.value)} "
                f"{ph(low)}." if sv else f"The highest value was {q(high.value)} {ph(high)} and "
                f"the lowest {q(low.value)} {ph(low)}.")
    if high:
        return (f"Det högsta värdet var {q(high.value)} {ph(high)}." if sv
                else f"The highest value was {q(high.value)} {ph(high)}.")
    if low:
        return (f"Det lägsta värdet var {q(low.value)} {ph(low)}." if sv
                else f"The lowest value was {q(low.value)} {ph(low)}.")
    return ""


def indicator_caption(indicator: Indicator, language: Language = "sv") -> str:
    points = series_points(indicator)
    periods = _range_text(period_label(points[0].period, language),
                          period_label(points[-1].period, language))
    source = indicator.source.rstrip(".")
    label = "Källa" if language == "sv" else "Source"
    return f"{indicator.title} ({indicator.unit}), {periods}. {label}: {source}."


def indicator_table(indicator: Indicator, language: Language = "sv"
                    ) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """Header and rows: period, value and, when any value has one, the note."""
    points = series_points(indicator)
    quarterly = indicator.frequency == "quarter"
    if language == "sv":
        header = ("Kvartal" if quarterly else "År", f"Värde ({indicator.unit})", "Kommentar")
    else:
        header = ("Quarter" if quarterly else "Year", f"Value ({indicator.unit})", "Note")
    with_notes = any(p.note for p in points)
    rows = tuple(
        (period_label(p.period, language), number_text(p.value, language))
        + ((p.note or "",) if with_notes else ())
        for p in points)
    return header[:3 if with_notes else 2], rows


def indicator_csv(indicator: Indicator) -> str:
    """period,value,unit,target,source,note with ISO-like periods (2022, 2022-Q3)."""
    rows = [(p.period, _csv_number(p.value), indicator.unit, _csv_number(indicator.target),
             indicator.source, p.note or "") for p in series_points(indicator)]
    return _csv_text(("period", "value", "unit", "target", "source", "note"), rows)


# --- indicators: the drawing --------------------------------------------------------------------


def time_ticks(points: Sequence[Point], max_labels: int = 7
               ) -> tuple[list[float], list[str], list[float]]:
    """Labelled tick positions, their labels, and year separators (for quarters).

    Years are labelled every year, or every n-th counted back from the last so that at most
    `max_labels` show; quarterly series are labelled by year, centred under its quarters.
    """
    years = sorted({parse_period(p.period)[0] for p in points})
    step = math.ceil(len(range(years[0], years[-1] + 1)) / max_labels)
    shown = sorted(range(years[-1], years[0] - 1, -step))
    if parse_period(points[0].period)[1] is None:
        return [float(y) for y in shown], [str(y) for y in shown], []
    first_x, last_x = points[0].x, points[-1].x
    centres = [(max(y * 4, first_x) + min(y * 4 + 3, last_x)) / 2 for y in shown]
    separators = [y * 4 - 0.5 for y in range(years[0] + 1, years[-1] + 1)]
    return centres, [str(y) for y in shown], separators


def value_axis(values: Sequence[float], unit: str, integer: bool) -> list[float]:
    """Ticks for the value axis: from zero (unless values are negative), with room above."""
    low = min(0.0, *values)
    high = max(values)
    high += 0.1 * (high - low or 1)
    if unit.strip().lower() in ("procent", "%", "percent") and max(values) <= 100 and low >= 0:
        high = min(high, 100.0)
    return nice_ticks(low, high, 5, integer)


Obstacle = tuple[float, float, float]
"""Something drawn at x from y_low to y_high: a point of the line or a value label."""


def target_label_place(obstacles: Sequence[Obstacle], target: float, last_value: float,
                       x_range: tuple[float, float], y_range: tuple[float, float]
                       ) -> tuple[Literal["left", "right"], Literal["above", "below"]]:
    """Where the target's label collides least with what is drawn: at which end, on which side.

    The label takes about a third of the width and an eighth of the height next to the line.
    Preferred: the right end, on the side away from the last value.
    """
    width = 0.35 * (x_range[1] - x_range[0])
    height = 0.13 * (y_range[1] - y_range[0])
    away: Literal["above", "below"] = "below" if last_value > target else "above"
    toward: Literal["above", "below"] = "above" if away == "below" else "below"
    candidates: list[tuple[Literal["left", "right"], Literal["above", "below"]]] = [
        ("right", away), ("left", away), ("right", toward), ("left", toward)]

    def collisions(end: str, side: str) -> int:
        x_low, x_high = ((x_range[1] - width, x_range[1]) if end == "right"
                         else (x_range[0], x_range[0] + width))
        y_low, y_high = (target, target + height) if side == "above" else (target - height, target)
        return sum(1 for x, low, high in obstacles
                   if x_low <= x <= x_high and low <= y_high and high >= y_low)

    return min(candidates, key=lambda c: collisions(*c))


def value_labels(xs: Sequence[float], ys: Sequence[float], target: float | None, height: float,
                 language: Language = "sv") -> list[dict[str, Any]]:
    """The first and the last value written at their points: above a point that is higher than
    its neighbour, below one that is lower, and away from the target line."""
    labels = []
    for i in sorted({0, len(ys) - 1}):
        neighbour = ys[min(i + 1, len(ys) - 1)] if i == 0 else ys[i - 1]
        above = ys[i] >= neighbour
        if target is not None and (ys[i] < target <= ys[i] + height if above
                                   else ys[i] - height <= target < ys[i]):
            above = not above
        labels.append({"x": xs[i], "y": ys[i], "above": above,
                       "text": number_text(ys[i], language)})
    return labels


def indicator_spec(indicator: Indicator, language: Language = "sv") -> dict[str, Any]:
    """Everything the drawing shows, as plain JSON-able values (also the chart's cache key)."""
    points = series_points(indicator)
    xs = [float(p.x) for p in points]
    ys = [p.value for p in points]
    target = indicator.target
    integer = all(y.is_integer() for y in ys) and (target is None or float(target).is_integer())
    y_ticks = value_axis(ys + ([target] if target is not None else []), indicator.unit, integer)
    y_range = (y_ticks[0], y_ticks[-1])
    label_height = 0.17 * (y_range[1] - y_range[0])
    decimals = tick_decimals(y_ticks)
    tick_x, tick_labels, separators = time_ticks(points)
    margin = 0.45 if indicator.frequency == "year" else 0.9
    x_range = (xs[0] - margin, xs[-1] + margin)
    labels = value_labels(xs, ys, target, label_height, language)
    spec: dict[str, Any] = {
        "kind": "indicator",
        "alt": indicator_alt(indicator, language),
        "x": xs, "y": ys, "quarterly": indicator.frequency == "quarter",
        "x_range": x_range, "x_ticks": tick_x, "x_labels": tick_labels, "x_separators": separators,
        "y_ticks": y_ticks, "y_labels": [axis_number(t, decimals, language) for t in y_ticks],
        "unit": indicator.unit[:1].upper() + indicator.unit[1:],
        "value_labels": labels, "target": None,
    }
    if target is not None:
        obstacles = [(x, y, y) for x, y in zip(xs, ys, strict=True)]
        obstacles += [((xs[i] + xs[i + 1]) / 2, min(ys[i], ys[i + 1]), max(ys[i], ys[i + 1]))
                      for i in range(len(xs) - 1)]
        obstacles += [(label["x"], label["y"], label["y"] + label_height) if label["above"]
                      else (label["x"], label["y"] - label_height, label["y"]) for label in labels]
        end, side = target_label_place(obstacles, target, ys[-1], x_range, y_range)
        word = "Mål" if language == "sv" else "Target"
        spec["target"] = {"y": target, "end": end, "side": side,
                          "text": f"{word}: {number_text(target, language)}"}
    return spec


def draw_indicator(spec: dict[str, Any]) -> bytes:
    """The SVG of an indicator spec (imports matplotlib)."""
    import matplotlib
    from matplotlib.figure import Figure

    with _DRAW_LOCK, matplotlib.rc_context(_RC):
        fig = Figure(figsize=(WIDTH_IN, 3.2), layout="constrained")
        ax = fig.add_subplot()
        fig.suptitle(spec["unit"], x=0.02, ha="left", fontsize=SMALL_FONT_SIZE, color=MUTED)
        ax.set_xlim(*spec["x_range"])
        ax.set_ylim(spec["y_ticks"][0], spec["y_ticks"][-1])
        ax.set_yticks(spec["y_ticks"], spec["y_labels"])
        ax.grid(axis="y", color=GRID, linewidth=0.8)
        ax.set_xticks(spec["x_ticks"], spec["x_labels"])
        if spec["quarterly"]:
            ax.tick_params(axis="x", which="major", length=0, pad=6)
            ax.set_xticks(spec["x_separators"], minor=True)
            ax.tick_params(axis="x", which="minor", length=8, width=1, color=MUTED)
        else:
            ax.tick_params(axis="x", length=4)
        target = spec["target"]
        if target:
            ax.axhline(target["y"], color=INK, linewidth=1.4, linestyle=(0, (5, 3)), zorder=2)
            x = spec["x_range"][1] if target["end"] == "right" else spec["x_range"][0]
            ax.annotate(target["text"], (x, target["y"]),
                        xytext=(-3 if target["end"] == "right" else 3,
                                5 if target["side"] == "above" else -5),
                        textcoords="offset points", fontsize=SMALL_FONT_SIZE, color=INK,
                        ha=target["end"], va="bottom" if target["side"] == "above" else "top",
                        bbox={"boxstyle": "square,pad=0.1", "facecolor": "white",
                              "edgecolor": "none"}, zorder=3)
        small = spec["quarterly"] or len(spec["x"]) > 12
        ax.plot(spec["x"], spec["y"], color=BRAND, linewidth=2.5, marker="o",
                markersize=4.5 if small else 7, markeredgecolor="white", markeredgewidth=1.2,
                solid_joinstyle="round", zorder=4, clip_on=False)
        for label in spec["value_labels"]:
            ax.annotate(label["text"], (label["x"], label["y"]),
                        xytext=(0, 8 if label["above"] else -9), textcoords="offset points",
                        ha="center", va="bottom" if label["above"] else "top",
                        fontsize=FONT_SIZE, fontweight="bold", color=BRAND, zorder=5)
        return _save(fig)


# --- EST reports ------------------------------------------------------------------------------


def _est_data(area: EstArea) -> tuple[list[str], list[tuple[str, str]], list[list[int]]]:
    """Months in order, categories (id, label) and counts[category][month]."""
    reports = sorted(area.reports, key=lambda r: r.month)
    categories = [(c.id, c.label) for c in area.report_categories]
    known = {c for c, _ in categories}
    extra = sorted({c for r in reports for c in r.counts} - known)
    categories += [(c, c) for c in extra]
    counts = [[r.counts.get(c, 0) for r in reports] for c, _ in categories]
    return [r.month for r in reports], categories, counts


def month_ticks(months: Sequence[str], language: Language = "sv") -> tuple[list[int], list[str]]:
    """Labelled months: every month up to six, otherwise the starts of quarters, half-years or
    years; the year is written under the first label and under each January."""
    numbers = [int(m[5:7]) for m in months]
    if len(months) <= 6:
        chosen = list(range(len(months)))
    else:
        chosen = []
        for step in (3, 6, 12):
            chosen = [i for i, n in enumerate(numbers) if (n - 1) % step == 0]
            if len(chosen) <= 7:
                break
        chosen = chosen[::math.ceil(len(chosen) / 7)] if chosen else chosen
    labels = []
    for k, i in enumerate(chosen):
        text = short_month(months[i], language)
        if k == 0 or numbers[i] == 1:
            text += f"\n{months[i][:4]}"
        labels.append(text)
    return chosen, labels


def calendar_months(months: Sequence[str]) -> list[str]:
    """Every month from the first to the last, so that a month without a report shows as a gap."""
    first = int(months[0][:4]) * 12 + int(months[0][5:7]) - 1
    last = int(months[-1][:4]) * 12 + int(months[-1][5:7]) - 1
    return [f"{m // 12}-{m % 12 + 1:02d}" for m in range(first, last + 1)]


def _windows(totals: Sequence[int]) -> tuple[int, int, int] | None:
    """(window, recent, previous): the last months against as many before (at most six)."""
    window = min(6, len(totals) // 2)
    if window == 0:
        return None
    return window, sum(totals[-window:]), sum(totals[-2 * window:-window])


def est_alt(area: EstArea, language: Language = "sv") -> str:
    """The totals and trend in words."""
    months, categories, counts = _est_data(area)
    totals = [sum(c[i] for c in counts) for i in range(len(months))]
    total = sum(totals)
    sv = language == "sv"

    def month(m: str) -> str:
        return format_month(m, language)

    def n(value: int) -> str:
        return format_number(value, 0, language)

    def reports(value: int) -> str:
        word = ("rapport" if value == 1 else "rapporter") if sv else (
            "report" if value == 1 else "reports")
        return f"{n(value)}\u00a0{word}"

    when = (f"i {month(months[0])}" if sv else f"in {month(months[0])}") if len(months) == 1 else (
        f"från {month(months[0])} till {month(months[-1])}" if sv
        else f"from {month(months[0])} to {month(months[-1])}")
    sentences = [f"Inrapporterade händelser i {area.title} {when}: totalt {reports(total)}." if sv
                 else f"Reported incidents in {area.title} {when}: {reports(total)} in total."]
    by_category = sorted(((sum(c), label) for (_, label), c in zip(categories, counts, strict=True)
                          if sum(c)), key=lambda t: -t[0])
    if len(by_category) == 1:
        label = _lower_first(by_category[0][1])
        sentences.append(f"Alla gällde {label}." if sv else f"All concerned {label}.")
    elif by_category:
        joined = ", därefter " if sv else ", followed by "
        named = joined.join(f"{_lower_first(label)} ({n(count)})" for count, label in by_category[:2])
        sentences.append(f"Flest gällde {named}." if sv else f"Most concerned {named}.")
    if len(set(totals)) > 1:
        high = totals.index(max(totals))
        low = totals.index(min(totals))
        sentences.append(
            f"Flest rapporter kom i {month(months[high])} ({n(totals[high])}) och färst i "
            f"{month(months[low])} ({n(totals[low])})." if sv else
            f"Most reports came in {month(months[high])} ({n(totals[high])}) and fewest in "
            f"{month(months[low])} ({n(totals[low])}).")
    windows = _windows(totals)
    if windows:
        window, recent, previous = windows
        sentences.append(_window_sentence(window, recent, previous, reports, n, language))
    return " ".join(sentences)


def _window_sentence(window: int, recent: int, previous: int, reports: Callable[[int], str],
                     n: Callable[[int], str], language: Language) -> str:
    difference = recent - previous
    if language == "sv":
        period = ("Den senaste månaden", "månaden före") if window == 1 else (
            f"De senaste {_count_word(window, language)} månaderna",
            f"de {_count_word(window, language)} månaderna före")
        change = (f"{n(difference)} fler än" if difference > 0 else
                  f"{n(-difference)} färre än" if difference < 0 else "lika många som")
        return f"{period[0]} kom {reports(recent)}, {change} {period[1]} ({n(previous)})."
    period = ("The last month", "the month before") if window == 1 else (
        f"The last {_count_word(window, language)} months",
        f"the {_count_word(window, language)} months before")
    change = (f"{n(difference)} more than" if difference > 0 else
              f"{n(-difference)} fewer than" if difference < 0 else "as many as")
    return f"{period[0]} had {reports(recent)}, {change} {period[1]} ({n(previous)})."


def est_caption(area: EstArea, language: Language = "sv") -> str:
    months, _, _ = _est_data(area)
    periods = _range_text(format_month(months[0], language),
                          format_month(months[-1], language))
    if language == "sv":
        return (f"Inrapporterade händelser per månad i {area.title}, {periods}. Det översta "
                "diagrammet visar alla rapporter, de andra en kategori var.")
    return (f"Reported incidents per month in {area.title}, {periods}. The top chart shows all "
            "reports, the others one category each.")


def est_table(area: EstArea, language: Language = "sv"
              ) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    months, categories, counts = _est_data(area)
    header = ("Månad" if language == "sv" else "Month", *(label for _, label in categories),
              "Totalt" if language == "sv" else "Total")
    rows = tuple(
        (format_month(m, language),
         *(format_number(c[i], 0, language) for c in counts),
         format_number(sum(c[i] for c in counts), 0, language))
        for i, m in enumerate(months))
    return header, rows


def est_csv(area: EstArea) -> str:
    """Tidy rows: month,category,category_label,reports."""
    months, categories, counts = _est_data(area)
    rows = [(m, cid, label, str(c[i])) for i, m in enumerate(months)
            for (cid, label), c in zip(categories, counts, strict=True)]
    return _csv_text(("month", "category", "category_label", "reports"), rows)


def panel_axis(highest: int, max_ticks: int) -> tuple[list[float], float]:
    """Ticks and the top of a small panel's axis: round ticks up to the data, the top just
    above the highest bar (a tick at 20 for a highest value of 12 would waste the panel)."""
    top = max(highest, 1) * 1.08
    ticks = [t for t in nice_ticks(0, max(highest, 1), max_ticks, integer=True) if t <= top]
    return ticks, max(top, ticks[-1])


def est_spec(area: EstArea, language: Language = "sv") -> dict[str, Any]:
    """Everything the EST drawing shows, as plain JSON-able values (also the cache key)."""
    months, categories, counts = _est_data(area)
    calendar = calendar_months(months)
    place = {m: i for i, m in enumerate(months)}

    def on_calendar(values: Sequence[int]) -> list[int]:
        return [values[place[m]] if m in place else 0 for m in calendar]

    counts = [on_calendar(c) for c in counts]
    totals = [sum(c[i] for c in counts) for i in range(len(calendar))]
    ticks, labels = month_ticks(calendar, language)
    shared = max((max(c) for c in counts), default=0)
    panels = [{"label": "Alla rapporter" if language == "sv" else "All reports",
               "values": totals, "color": BRAND, "axis": panel_axis(max(totals), 5)}]
    panels += [{"label": label, "values": c, "color": PALETTE[i % len(PALETTE)],
                "axis": panel_axis(shared, 3)}
               for i, ((_, label), c) in enumerate(zip(categories, counts, strict=True))]
    for panel in panels:
        panel["tick_labels"] = [axis_number(t, 0, language) for t in panel["axis"][0]]
    return {"kind": "est", "alt": est_alt(area, language), "months": len(calendar),
            "x_ticks": ticks, "x_labels": labels, "panels": panels}


def draw_est(spec: dict[str, Any]) -> bytes:
    """The SVG of an EST spec: small multiples, one panel per category under the total."""
    import matplotlib
    from matplotlib.collections import PolyCollection
    from matplotlib.figure import Figure

    panels = spec["panels"]
    heights = [1.5] + [1.0] * (len(panels) - 1)
    half = 0.36
    with _DRAW_LOCK, matplotlib.rc_context(_RC):
        fig = Figure(figsize=(WIDTH_IN, 0.5 + 1.05 * sum(heights)), layout="constrained")
        axes = fig.subplots(len(panels), 1, height_ratios=heights, squeeze=False)[:, 0]
        for ax, panel in zip(axes, panels, strict=True):
            bars = [[(x - half, 0), (x - half, v), (x + half, v), (x + half, 0)]
                    for x, v in enumerate(panel["values"]) if v]
            ax.add_collection(PolyCollection(bars, facecolors=panel["color"], edgecolors=INK,
                                             linewidths=0.5, zorder=3), autolim=False)
            ax.set_title(panel["label"], loc="left", fontsize=FONT_SIZE, fontweight="bold",
                         color=INK, pad=4)
            ticks, top = panel["axis"]
            ax.set_xlim(-0.6, spec["months"] - 0.4)
            ax.set_ylim(0, top)
            ax.set_yticks(ticks, panel["tick_labels"])
            ax.set_xticks([])
            ax.grid(axis="y", color=GRID, linewidth=0.8)
        ax = axes[-1]
        ax.set_xticks(spec["x_ticks"], spec["x_labels"])
        ax.set_xticks(range(spec["months"]), minor=True)
        ax.tick_params(axis="x", which="minor", length=3, color=MUTED)
        ax.tick_params(axis="x", which="major", length=6, color=MUTED)
        return _save(fig)


# --- SVG ----------------------------------------------------------------------------------------


def _save(fig: Any) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="svg", metadata=_SVG_METADATA)
    return out.getvalue()


def finish_svg(raw: bytes, alt: str) -> bytes:
    """Make matplotlib's SVG scalable, accessible, free of stray ids, in the site's fonts."""
    text = raw.decode("utf-8")
    text = re.sub(r"<!DOCTYPE[^>]*>\s*", "", text)
    text = text.replace("font-family: 'DejaVu Sans'; ", "").replace("; font-family: 'DejaVu Sans'", "")
    referenced = set(re.findall(r'(?:href="#|url\(#)([^")]+)', text))
    text = re.sub(r' id="([^"]+)"', lambda m: m.group(0) if m.group(1) in referenced else "", text)
    prefix = "c" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:8] + "-"
    text = re.sub(r'( id="|href="#|url\(#)([^")]+)',
                  lambda m: m.group(1) + (prefix + m.group(2) if m.group(2) in referenced else m.group(2)),
                  text)
    label = html.escape(alt, quote=True)

    def root(match: re.Match[str]) -> str:
        attributes = re.sub(r'\s(width|height)="[^"]*"', "", match.group(1))
        return (f'<svg{attributes} width="100%" role="img" aria-label="{label}" '
                f'style="font-family: {FONT_STACK}">\n <title>{html.escape(alt, quote=False)}</title>')

    text = re.sub(r"<svg([^>]*)>", root, text, count=1)
    return text.encode("utf-8")


def svg_size(svg: bytes) -> tuple[int, int]:
    """The viewBox width and height of an SVG, rounded up."""
    match = re.search(rb'viewBox="([\d.\s-]+)"', svg)
    if not match:
        return 0, 0
    _, _, width, height = (float(v) for v in match.group(1).split())
    return math.ceil(width), math.ceil(height)


def _svg(spec: dict[str, Any], draw: Callable[[dict[str, Any]], bytes],
         cache: ChartCache | None) -> bytes:
    def drawn() -> bytes:
        return finish_svg(draw(spec), spec["alt"])

    return cache.get_or_draw(spec, drawn) if cache else drawn()


# --- the public API ---------------------------------------------------------------------------


def indicator_chart(indicator: Indicator, *, language: Language = "sv",
                    cache: ChartCache | None = None) -> Chart:
    """An indicator's series as a line chart, with its target as a labelled dashed line."""
    spec = indicator_spec(indicator, language)
    svg = _svg(spec, draw_indicator, cache)
    header, rows = indicator_table(indicator, language)
    width, height = svg_size(svg)
    return Chart(svg=svg, alt=spec["alt"], caption=indicator_caption(indicator, language),
                 table_header=header, table_rows=rows, csv=indicator_csv(indicator),
                 filename_stem=indicator.id, width=width, height=height,
                 content_columns=(2,) if len(header) > 2 else ())


def est_reports_chart(area: EstArea, *, language: Language = "sv",
                      cache: ChartCache | None = None) -> Chart | None:
    """An EST area's reports per month by category, or None when it has no reports."""
    if not area.reports:
        return None
    spec = est_spec(area, language)
    svg = _svg(spec, draw_est, cache)
    header, rows = est_table(area, language)
    width, height = svg_size(svg)
    return Chart(svg=svg, alt=spec["alt"], caption=est_caption(area, language),
                 table_header=header, table_rows=rows, csv=est_csv(area),
                 filename_stem=f"est-{area.id}", width=width, height=height,
                 content_header_columns=tuple(range(1, len(header) - 1)))


# --- every chart of a site ----------------------------------------------------------------------

PARALLEL_CHARTS_FROM = 8
"""Fewer charts than this are drawn in the build process: starting workers (each importing
matplotlib) would cost more than it saves."""

def _draw_missing_in_parallel(jobs: list[tuple[dict[str, Any], Callable[[dict[str, Any]], bytes]]],
                              cache: ChartCache, processes: int | None = None) -> None:
    """Draw the charts the cache lacks on every core, into the cache; the charts are then
    made from the cache one by one, exactly as when they were drawn in the build process."""
    missing = [job for job in jobs if not cache.has(job[0])]
    processes = processes or os.cpu_count() or 1
    if len(missing) < PARALLEL_CHARTS_FROM or not can_fork(processes):
        return
    # Down to single charts at the end: a chart takes a tenth of a second.
    drawn = forked_map(lambda job: finish_svg(job[1](job[0]), job[0]["alt"]), missing, processes,
                       smallest=1)
    for (spec, _), svg in zip(missing, drawn, strict=True):
        cache.store(spec, svg)

CHART_FOLDER = "diagram/"


@dataclass(frozen=True)
class SiteCharts:
    """The charts the pages show: one per indicator and one per EST area with reports."""

    indicators: dict[str, Chart]
    est_areas: dict[str, Chart]
    drawn: int
    """How many had to be drawn; the rest came from the cache."""

    def svg_path(self, chart: Chart) -> str:
        return f"{CHART_FOLDER}{chart.filename_stem}.svg"

    def csv_path(self, chart: Chart) -> str:
        return f"{CHART_FOLDER}{chart.filename_stem}.csv"


def draw_site_charts(indicators: Iterable[Indicator], est_areas: Iterable[EstArea], *,
                     language: Language = "sv", cache_folder: Path | None = None,
                     ) -> tuple[SiteCharts, list[tuple[str, bytes]]]:
    """Every chart, and its files as (site path, bytes): the SVG and the CSV of its numbers."""
    cache = ChartCache(cache_folder) if cache_folder else None
    indicators, est_areas = list(indicators), list(est_areas)
    if cache:
        _draw_missing_in_parallel(
            [(indicator_spec(i, language), draw_indicator) for i in indicators]
            + [(est_spec(a, language), draw_est) for a in est_areas if a.reports], cache)
    by_indicator = {i.id: indicator_chart(i, language=language, cache=cache) for i in indicators}
    by_area = {}
    for area in est_areas:
        chart = est_reports_chart(area, language=language, cache=cache)
        if chart is not None:
            by_area[area.id] = chart
    charts = SiteCharts(by_indicator, by_area, cache.misses if cache else
                        len(by_indicator) + len(by_area))
    files = []
    for chart in (*by_indicator.values(), *by_area.values()):
        files.append((charts.svg_path(chart), chart.svg))
        files.append((charts.csv_path(chart), chart.csv.encode("utf-8")))
    if cache:
        cache.prune()
    return charts, files
