"""CHARTS: accessible, deterministic SVG charts of indicators and EST reports, drawn only when needed."""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from insyn import charts
from insyn.charts import ChartCache, est_reports_chart, indicator_chart
from insyn.models import EstArea, Indicator

ROOT = Path(__file__).resolve().parent.parent


def load_indicator(name: str) -> Indicator:
    return Indicator.model_validate(yaml.safe_load((ROOT / "data/indicators" / f"{name}.yaml").read_text()))


def load_area(name: str) -> EstArea:
    return EstArea.model_validate(yaml.safe_load((ROOT / "data/est" / f"{name}.yaml").read_text()))


def series(values, *, higher_is_better=True, target=None, frequency="year", unit="procent"):
    return Indicator.model_validate({
        "id": "test-serie", "title": "Trygga i parken", "unit": unit, "source": "Enkäten",
        "frequency": frequency, "higher_is_better": higher_is_better, "target": target,
        "values": [{"period": period, "value": value} for period, value in values]})


def svg_texts(svg: bytes) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg.decode("utf-8"))


def run_python(code: str, **env: str) -> str:
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                            env={**os.environ, **env}, check=True)
    return result.stdout.strip()


CENTRUM = load_indicator("trygghet-centrum")


# --- the SVG ---------------------------------------------------------------------------------


def test_the_same_chart_gives_identical_bytes_even_in_another_process():
    first = indicator_chart(CENTRUM).svg
    assert indicator_chart(CENTRUM).svg == first
    area = load_area("margretelund-anghagen")
    assert est_reports_chart(area).svg == est_reports_chart(area).svg
    elsewhere = run_python(
        "import hashlib, yaml; from insyn.models import Indicator; from insyn.charts import indicator_chart; "
        "i = Indicator.model_validate(yaml.safe_load(open('data/indicators/trygghet-centrum.yaml').read())); "
        "print(hashlib.sha256(indicator_chart(i).svg).hexdigest())", PYTHONHASHSEED="123")
    import hashlib

    assert elsewhere == hashlib.sha256(first).hexdigest()


def test_svg_scales_to_its_container_and_carries_its_text_alternative():
    chart = indicator_chart(CENTRUM)
    text = chart.svg.decode("utf-8")
    root = re.search(r"<svg[^>]*>", text).group(0)
    assert 'viewBox="0 0 ' in root and 'width="100%"' in root
    assert "pt" not in re.sub(r'aria-label="[^"]*"|style="[^"]*"', "", root)  # no fixed size
    assert 'role="img"' in root and f'aria-label="{chart.alt}"' in root
    assert f"<title>{chart.alt}</title>" in text
    assert "system-ui" in root  # the site's fonts
    assert "Date" not in text and "dc:date" not in text and "<metadata>" not in text
    assert (chart.width, chart.height) == charts.svg_size(chart.svg) and chart.width == 324
    assert chart.inline_svg.startswith("<svg")


def test_svg_is_well_formed_xml_even_with_quotes_and_ampersands_in_the_title():
    import xml.etree.ElementTree as ET

    tricky = series([(2024, 50), (2025, 55)]).model_copy(update={"title": 'Parken "Ljuset" & <torget>'})
    chart = indicator_chart(tricky)
    root = ET.fromstring(chart.svg)
    assert root.get("aria-label") == chart.alt and chart.alt.startswith('Parken "Ljuset" & <torget>:')
    assert root.find("{http://www.w3.org/2000/svg}title").text == chart.alt
    ET.fromstring(est_reports_chart(load_area("margretelund-anghagen")).svg)


def test_text_stays_selectable_text_in_swedish_number_format():
    chart = indicator_chart(series([(2023, 58.5), (2024, 60.0), (2025, 61.5)], target=65))
    texts = svg_texts(chart.svg)
    assert "58,5" in texts and "61,5" in texts  # the first and last value, with a decimal comma
    assert "Mål: 65" in texts
    big = indicator_chart(series([(2024, 1200), (2025, 14500)], unit="antal besökare"))
    assert "15\u00a0000" in svg_texts(big.svg)  # a tick, with a non-breaking space


def test_values_keep_their_decimals_and_negative_values_a_true_minus():
    chart = indicator_chart(series([(2024, -3), (2025, 0.35)], unit="grader"))
    assert chart.table_rows == (("2024", "\u22123"), ("2025", "0,35"))
    assert "från \u22123\u00a0grader 2024 till 0,35\u00a0grader 2025" in chart.alt
    assert "\u22123" in svg_texts(chart.svg) and "0,35" in svg_texts(chart.svg)
    assert chart.csv.splitlines()[1].startswith("2024,-3,grader")


def test_target_is_a_labelled_dashed_line():
    text = indicator_chart(CENTRUM).svg.decode("utf-8")
    assert "stroke-dasharray" in text
    assert "Mål: 75" in svg_texts(indicator_chart(CENTRUM).svg)
    without = indicator_chart(series([(2024, 50), (2025, 55)]))
    assert "stroke-dasharray" not in without.svg.decode("utf-8")


def test_two_charts_inlined_on_one_page_share_no_id():
    one = indicator_chart(CENTRUM).inline_svg
    other = indicator_chart(load_indicator("unga-alkohol")).inline_svg
    ids_one = set(re.findall(r' id="([^"]+)"', one))
    ids_other = set(re.findall(r' id="([^"]+)"', other))
    assert ids_one and not ids_one & ids_other
    for name in ids_one:  # every id that is kept is used
        assert f"#{name}" in one


# --- words -------------------------------------------------------------------------------------


def test_rising_series_is_described_with_its_numbers_and_its_target():
    assert indicator_chart(CENTRUM).alt == (
        "Trygga i centrum på kvällen: ökade från 62\u00a0procent 2019 till 73\u00a0procent 2025, "
        "en förbättring. Det lägsta värdet var 60\u00a0procent 2020. "
        "Målet är minst 75\u00a0procent och nåddes inte 2025.")


def test_falling_is_an_improvement_when_lower_is_better():
    alt = indicator_chart(load_indicator("unga-alkohol")).alt
    assert "minskade från 41\u00a0procent 2019 till 29\u00a0procent 2025, en förbättring" in alt
    assert "Målet är högst 25\u00a0procent och nåddes inte 2025." in alt
    worse = indicator_chart(series([(2024, 70), (2025, 60)], target=55)).alt
    assert "minskade från 70\u00a0procent 2024 till 60\u00a0procent 2025, en försämring." in worse
    assert "Målet är minst 55\u00a0procent och nåddes 2025." in worse


def test_flat_series_is_called_unchanged():
    assert "oförändrat, 60\u00a0procent både 2023 och 2025" in indicator_chart(
        series([(2023, 60), (2024, 64), (2025, 60)])).alt
    assert "i stort sett oförändrat, 80\u00a0procent 2024 och 80,5\u00a0procent 2025" in indicator_chart(
        series([(2024, 80), (2025, 80.5)])).alt


def test_english_text_alternative():
    chart = indicator_chart(CENTRUM, language="en")
    assert chart.alt.startswith("Trygga i centrum på kvällen: rose from 62\u00a0percent in 2019 to "
                                "73\u00a0percent in 2025, an improvement.")
    assert chart.alt.endswith("The target is at least 75\u00a0percent and was not reached in 2025.")
    assert chart.caption.endswith("Source: Polisens trygghetsmätning i Lidköping (exempeldata).")
    assert chart.table_header == ("Year", "Value (procent)")


def test_quarterly_series_reads_as_quarters_and_compares_the_same_quarter():
    chart = indicator_chart(load_indicator("anmalda-skadegorelse"))
    assert chart.table_header == ("Kvartal", "Värde (antal anmälningar)", "Kommentar")
    assert chart.table_rows[0] == ("kvartal 1 2021", "58", "")
    assert chart.table_rows[14][2].startswith("Flera anmälningar")
    # Q4 against Q4, so that the season does not pass for a trend; "antal" drops after a number
    assert chart.alt.startswith("Anmälda skadegörelsebrott: minskade från 62\u00a0anmälningar fjärde "
                                "kvartalet 2021 till 43\u00a0anmälningar fjärde kvartalet 2025")
    assert "Det högsta värdet var 76\u00a0anmälningar tredje kvartalet 2021." in chart.alt
    assert "kvartal 1 2021 – kvartal 4 2025" in chart.caption
    assert [t for t in svg_texts(chart.svg) if t.startswith("20")] == [
        "2021", "2022", "2023", "2024", "2025"]  # one label a year, not twenty
    english = indicator_chart(load_indicator("anmalda-skadegorelse"), language="en")
    assert english.table_rows[0][0] == "Q1 2021"


def test_table_and_csv_hold_the_same_numbers():
    chart = indicator_chart(series([(2024, 61.5), (2025, 1234)], target=70))
    assert chart.table_rows == (("2024", "61,5"), ("2025", "1\u00a0234"))
    rows = list(csv.DictReader(io.StringIO(chart.csv)))
    assert chart.csv.splitlines()[0] == "period,value,unit,target,source,note"
    assert [(r["period"], r["value"], r["target"]) for r in rows] == [("2024", "61.5", "70"),
                                                                    ("2025", "1234", "70")]
    quarterly = indicator_chart(load_indicator("anmalda-skadegorelse"))
    assert quarterly.csv.splitlines()[1].startswith("2021-Q1,58,antal anmälningar,,")
    assert quarterly.filename_stem == "anmalda-skadegorelse"


def test_ticks_are_few_and_round():
    assert charts.nice_ticks(0, 82.5) == [0, 25, 50, 75, 100]
    assert charts.nice_ticks(0, 3.3, integer=True) == [0, 1, 2, 3, 4]
    assert charts.nice_ticks(0, 0.9) == [0, 0.25, 0.5, 0.75, 1]
    assert charts.tick_decimals([0, 0.25, 0.5]) == 2
    many_years = series([(year, 50) for year in range(2008, 2026)])
    labels = [t for t in svg_texts(indicator_chart(many_years).svg) if re.fullmatch(r"20\d\d", t)]
    assert len(labels) <= 7 and labels[-1] == "2025"


def test_target_label_avoids_the_data():
    # data just under the target at the right end: the label goes above the line
    assert charts.target_label_place([(9, 74, 74)], 75, 74, (0, 10), (0, 100)) == ("right", "above")
    # data just above the target on the right: the label moves away from it
    end, side = charts.target_label_place([(9, 76, 90)], 75, 70, (0, 10), (0, 100))
    assert (end, side) != ("right", "above")


# --- EST -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["margretelund-anghagen", "sockerbruket-resecentrum-biblioteket"])
def test_est_chart_for_the_example_areas(name):
    area = load_area(name)
    chart = est_reports_chart(area)
    texts = svg_texts(chart.svg)
    for category in area.report_categories:  # each panel is labelled: colour is not the only cue
        assert category.label in texts
    assert "Alla rapporter" in texts
    assert {"jan", "apr", "jul", "okt"} <= set(texts)  # Swedish short month names
    total = sum(sum(r.counts.values()) for r in area.reports)
    assert f"totalt {total}\u00a0rapporter" in chart.alt
    assert chart.alt.startswith(f"Inrapporterade händelser i {area.title} från maj 2025 till oktober 2026")
    assert len(chart.table_rows) == len(area.reports)
    assert chart.table_header[0] == "Månad" and chart.table_header[-1] == "Totalt"
    assert chart.table_rows[0][0] == "maj 2025"
    assert chart.table_rows[0][-1] == str(sum(area.reports[0].counts.values()))
    rows = list(csv.DictReader(io.StringIO(chart.csv)))
    assert len(rows) == len(area.reports) * len(area.report_categories)
    assert rows[0]["month"] == "2025-05" and sum(int(r["reports"]) for r in rows) == total
    assert chart.filename_stem == f"est-{name}"


def test_est_text_names_the_largest_categories_and_the_recent_trend():
    area = load_area("margretelund-anghagen")
    alt = charts.est_alt(area)
    assert "Flest gällde nedskräpning (104), därefter skadegörelse och klotter (90)." in alt
    assert "Flest rapporter kom i augusti 2025 (27) och färst i maj 2025 (10)." in alt
    assert alt.endswith("De senaste sex månaderna kom 115\u00a0rapporter, 17 fler än de sex "
                        "månaderna före (98).")
    english = charts.est_alt(area, language="en")
    assert "The last six months had 115\u00a0reports, 17 more than the six months before (98)." in english


def test_est_area_without_reports_has_no_chart():
    area = load_area("margretelund-anghagen").model_copy(update={"reports": []})
    assert est_reports_chart(area) is None


def test_month_ticks_label_quarter_starts_with_the_year_under_january():
    months = [f"2025-{m:02d}" for m in range(5, 13)] + [f"2026-{m:02d}" for m in range(1, 11)]
    positions, labels = charts.month_ticks(months)
    assert labels == ["jul\n2025", "okt", "jan\n2026", "apr", "jul", "okt"]
    assert [months[i] for i in positions] == ["2025-07", "2025-10", "2026-01", "2026-04", "2026-07",
                                             "2026-10"]
    assert charts.month_ticks(["2026-02", "2026-03"])[1] == ["feb\n2026", "mar"]
    ten_years = charts.calendar_months(["2016-01", "2025-12"])
    assert len(ten_years) == 120 and len(charts.month_ticks(ten_years)[0]) <= 7


def test_a_month_without_reports_shows_as_a_gap():
    assert charts.calendar_months(["2025-11", "2026-02"]) == ["2025-11", "2025-12", "2026-01", "2026-02"]
    area = load_area("margretelund-anghagen")
    gappy = area.model_copy(update={"reports": [r for r in area.reports if r.month != "2025-12"]})
    spec = charts.est_spec(gappy)
    assert spec["months"] == 18 and spec["panels"][0]["values"][7] == 0
    assert len(est_reports_chart(gappy).table_rows) == 17


# --- cache and lazy import ---------------------------------------------------------------------------


def test_cache_hit_does_not_draw_again_but_a_changed_value_or_target_does(tmp_path, monkeypatch):
    cache = ChartCache(tmp_path / "charts")
    first = indicator_chart(CENTRUM, cache=cache)
    assert (cache.hits, cache.misses) == (0, 1)
    assert len(list((tmp_path / "charts").glob("*.svg"))) == 1

    def no_drawing(spec):
        raise AssertionError("an unchanged chart was drawn again")

    monkeypatch.setattr(charts, "draw_indicator", no_drawing)
    assert indicator_chart(CENTRUM, cache=cache) == first
    assert (cache.hits, cache.misses) == (1, 0 + 1)
    monkeypatch.undo()

    values = [v.model_copy(update={"value": 74}) if v.period == 2025 else v for v in CENTRUM.values]
    indicator_chart(CENTRUM.model_copy(update={"values": values}), cache=cache)
    indicator_chart(CENTRUM.model_copy(update={"target": 80}), cache=cache)
    assert (cache.hits, cache.misses) == (1, 3)
    indicator_chart(CENTRUM, language="en", cache=cache)
    assert cache.misses == 4


def test_cache_redraws_a_damaged_file_and_prunes_unused_ones(tmp_path):
    folder = tmp_path / "charts"
    cache = ChartCache(folder)
    chart = indicator_chart(CENTRUM, cache=cache)
    stored = next(folder.glob("*.svg"))
    stored.write_bytes(b"<svg")  # cut short
    fresh = ChartCache(folder)
    assert indicator_chart(CENTRUM, cache=fresh).svg == chart.svg and fresh.misses == 1
    old = folder / ("0" * 64 + ".svg")
    old.write_bytes(b"<svg/>")
    (folder / "notes.svg").write_text("not ours")
    assert fresh.prune() == 1
    assert not old.exists() and stored.exists() and (folder / "notes.svg").exists()


def test_matplotlib_is_imported_only_to_draw(tmp_path):
    check = "import sys; print('matplotlib' in sys.modules)"
    assert run_python(f"import insyn.charts; {check}") == "False"
    draw = (
        "import sys, yaml; from pathlib import Path; from insyn.models import Indicator; "
        "from insyn.charts import ChartCache, indicator_chart; "
        "i = Indicator.model_validate(yaml.safe_load(open('data/indicators/trygghet-centrum.yaml').read())); "
        f"c = ChartCache(Path({str(tmp_path)!r})); indicator_chart(i, cache=c); "
        "print(c.misses, 'matplotlib' in sys.modules)")
    assert run_python(draw) == "1 True"  # a cold cache draws
    assert run_python(draw) == "0 False"  # a warm cache does not even import matplotlib


def test_charts_drawn_by_worker_processes_are_the_charts_drawn_in_one(tmp_path, monkeypatch):
    indicators = [CENTRUM, *(series([(2022, 40 + i), (2023, 50), (2024, 45 + 2 * i)], target=60)
                             .model_copy(update={"id": f"serie-{i}"}) for i in range(9))]
    areas = [load_area("margretelund-anghagen")]
    one, _ = charts.draw_site_charts(indicators, areas, cache_folder=tmp_path / "one")
    monkeypatch.setattr(charts, "PARALLEL_CHARTS_FROM", 1)
    monkeypatch.setattr(charts, "can_fork", lambda processes: True)
    many, files = charts.draw_site_charts(indicators, areas, cache_folder=tmp_path / "many")
    assert many == one
    assert many.drawn == one.drawn == 11
    again, _ = charts.draw_site_charts(indicators, areas, cache_folder=tmp_path / "many")
    assert again.drawn == 0
