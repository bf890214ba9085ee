"""Follow-up tracker and charts: whether promises were kept, readable in seconds, never by colour."""

import datetime as dt
import re

import yaml

from .conftest import ROOT, SUB_PATH_URL, build_project, copy_project


def text_of(site, path):
    html = (site / path / "index.html").read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def statuses_in(follow_up_file):
    data = yaml.safe_load((ROOT / "data/follow-ups" / follow_up_file).read_text(encoding="utf-8"))
    return [o["status"] for o in data["outcomes"]]


def test_a_promise_shows_its_commitments_by_status_in_words_with_the_as_of_date(example_site):
    statuses = statuses_in("uppfoljning-2021.yaml")
    text = text_of(example_site, "medborgarloften/2021")
    total = len(statuses)
    assert f"Genomfört {statuses.count('done')} av {total}" in text
    assert f"Delvis genomfört {statuses.count('partly-done')} av {total}" in text
    assert text.count("uppföljt till och med 15 februari 2022") >= total
    html = (example_site / "medborgarloften/2021/index.html").read_text(encoding="utf-8")
    assert 'class="status-marks" aria-hidden="true"' in html  # the visual repeats the words


def test_a_cancelled_commitment_stays_visible_and_says_why(example_site):
    text = text_of(example_site, "medborgarloften/2022")
    assert "Avbrutet" in text
    assert "Varför:" in text


def test_overdue_follows_the_build_date_without_editing_any_status(project, tmp_path):
    early, late = tmp_path / "early", tmp_path / "late"
    build_project(project, early, today=dt.date(2021, 5, 1))
    build_project(project, late, today=dt.date(2026, 11, 25))
    assert "Försenat" not in text_of(early, "medborgarloften/2021")
    assert "Försenat: skulle vara klart 15 juni 2021" in text_of(late, "medborgarloften/2021")


def test_a_carried_on_commitment_keeps_its_id_and_its_page_shows_the_whole_chain(example_site):
    text = text_of(example_site, "atagande/narvaro-resecentrum")
    for year in (2021, 2022, 2023, 2024):
        assert f"Medborgarlöfte {year}" in text
    assert "Fortsätter i medborgarlöfte 2022" in text_of(example_site, "medborgarloften/2021")


def test_views_by_party_show_only_what_that_party_promised(example_site):
    police = text_of(example_site, "ansvar/polisen")
    municipality_only = "Kommunen sätter upp bättre belysning på de fem gång- och cykelvägar"
    assert "Kommunpolisen har öppet hus" in police
    assert municipality_only not in police
    assert municipality_only in text_of(example_site, "ansvar/kommunen")


def test_the_method_page_explains_every_configured_status(example_site):
    site_yaml = yaml.safe_load((ROOT / "data/site.yaml").read_text(encoding="utf-8"))
    text = text_of(example_site, "sa-foljer-vi-upp")
    from insyn.i18n import translate
    from insyn.models import DEFAULT_STATUSES
    for status in site_yaml.get("statuses") or [s.model_dump() for s in DEFAULT_STATUSES]:
        # The default statuses' words are messages, shown in the site's language.
        label, description = (translate(status[k], "sv") for k in ("label", "description"))
        assert label in text and description in text
    assert "Försenat" in text


def test_the_landing_page_and_archive_show_how_many_were_kept_per_year(example_site):
    done_2021 = statuses_in("uppfoljning-2021.yaml").count("done")
    for path in ("", "medborgarloften"):
        text = text_of(example_site, path)
        assert re.search(rf"2021 {done_2021} av 4", text), path
        assert "2026 Inte uppföljt än" in text


def test_every_indicator_has_a_chart_with_words_a_table_and_a_csv(example_site):
    html = (example_site / "indikatorer/trygghet-centrum/index.html").read_text(encoding="utf-8")
    svg_path = "diagram/trygghet-centrum.svg"
    assert f'src="/trygghet/{svg_path}"' in html
    assert re.search(r'<img [^>]*alt="[^"]*(ökade|minskade|oförändrat)[^"]*"', html)
    assert "<figcaption>" in html and "<summary>Visa siffrorna som tabell</summary>" in html
    assert (example_site / svg_path).read_bytes().startswith(b"<?xml")
    csv_text = (example_site / "diagram/trygghet-centrum.csv").read_text(encoding="utf-8")
    data = yaml.safe_load((ROOT / "data/indicators/trygghet-centrum.yaml").read_text("utf-8"))
    assert len(csv_text.strip().splitlines()) == len(data["values"]) + 1
    for ind in (ROOT / "data/indicators").glob("*.yaml"):
        assert (example_site / f"diagram/{ind.stem}.svg").is_file()
    assert (example_site / "diagram/est-margretelund-anghagen.svg").is_file()
    assert SUB_PATH_URL  # the site above is built under the sub-path


def test_an_unchanged_rebuild_draws_no_chart(tmp_path):
    project = copy_project(tmp_path / "project")  # no charts in its cache yet
    first = build_project(project, tmp_path / "one")
    second = build_project(project, tmp_path / "two")
    assert first.charts_drawn == 7
    assert second.charts_drawn == 0
    svg = "diagram/anmalda-skadegorelse.svg"
    assert (tmp_path / "one" / svg).read_bytes() == (tmp_path / "two" / svg).read_bytes()
    path = project / "data/indicators/trygghet-centrum.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("target: ", "target: 1"),
                    encoding="utf-8")
    assert build_project(project, tmp_path / "three").charts_drawn == 1
