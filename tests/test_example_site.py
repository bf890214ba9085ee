"""End to end: the example site as a resident would find it, hosted under a sub-path."""

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .conftest import SUB_PATH_URL, build_project

BASE_PATH = urlsplit(SUB_PATH_URL).path


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("href", "src", "action"):
            if attrs.get(name):
                self.links.append(attrs[name])
        if attrs.get("id"):
            self.ids.add(attrs["id"])

    def handle_data(self, data):
        self.text.append(data)


def parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def text_of(site: Path, page: str) -> str:
    return re.sub(r"\s+", " ", "".join(parse(site / page / "index.html").text))


def target_file(site: Path, href: str) -> Path:
    path = href.split("#")[0].removeprefix(BASE_PATH)
    return site / path / "index.html" if path == "" or path.endswith("/") else site / path


PAGES = [
    "", "overenskommelser/samverkan-2020-2023/", "overenskommelser/samverkan-2024-2027/",
    "medborgarloften/", "medborgarloften/2021/", "medborgarloften/2026/",
    "uppfoljningar/uppfoljning-2021/", "est/", "est/sockerbruket-resecentrum-biblioteket/",
    "est/margretelund-anghagen/", "rapportera/", "om-webbplatsen/",
]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_type_exists_with_header_breadcrumbs_dates_and_footer(example_site, path):
    html = (example_site / path / "index.html").read_text(encoding="utf-8")
    assert '<html lang="sv">' in html
    assert html.count("<h1>") == 1
    assert "Lidköpings kommun" in html
    assert "Publicerad" in html and "Senast uppdaterad" in html
    assert 'class="site-footer"' in html
    if path:
        assert 'aria-label="Du är här"' in html
    assert f'<link rel="canonical" href="{SUB_PATH_URL}{path}">' in html


def test_every_internal_link_leads_to_a_file_and_fragment_that_exist(example_site):
    pages = sorted(example_site.rglob("*.html"))
    assert len(pages) >= 20
    ids = {path: parse(path).ids for path in pages}
    broken = []
    for path in pages:
        for href in parse(path).links:
            if href.startswith(("https://", "http://", "mailto:", "tel:")):
                continue
            if href.startswith("#"):
                if href[1:] not in ids[path]:
                    broken.append((path, href))
                continue
            if not href.startswith(BASE_PATH):
                broken.append((path, href))
                continue
            target = target_file(example_site, href)
            fragment = href.split("#")[1] if "#" in href else None
            if not target.is_file() or (fragment and fragment not in ids.get(target, set())):
                broken.append((path, href))
    assert broken == []


def test_the_landing_page_shows_agreement_promise_and_both_est_areas(example_site):
    text = text_of(example_site, "")
    assert "Medborgarlöfte 2026" in text
    assert "Samverkansöverenskommelse 2024–2027" in text
    assert "Sockerbruket/Resecentrum och Biblioteket" in text
    assert "Margretelund och Änghagen" in text


def test_attachments_show_type_and_size_computed_from_the_file(example_site):
    size = (example_site / "filer/medborgarlofte-2021.pdf").stat().st_size
    kb = f"{size / 1000:.1f}".replace(".", ",")
    text = text_of(example_site, "medborgarloften/2021")
    assert f"Medborgarlöftet 2021 Pdf, {kb} kB" in text


def test_dates_are_written_in_swedish(example_site):
    text = text_of(example_site, "medborgarloften/2021")
    assert re.search(r"Publicerad: \d{1,2} (januari|februari|mars|april|maj|juni|juli|augusti|"
                     r"september|oktober|november|december) \d{4}", text)
    assert "31 december 2021" in text


def test_an_ended_agreement_says_so_and_links_its_successor(example_site):
    text = text_of(example_site, "overenskommelser/samverkan-2020-2023")
    assert "har upphört" in text
    assert "Den ersätts av Samverkansöverenskommelse 2024–2027" in text


def test_the_landing_page_warns_when_the_current_agreement_has_ended(project, tmp_path):
    (project / "data/agreements/samverkan-2024-2027.yaml").unlink()
    for year in (2024, 2025, 2026):
        (project / f"data/promises/{year}.yaml").unlink()
    for year in (2024, 2025):
        (project / f"data/follow-ups/uppfoljning-{year}.yaml").unlink()
    page = project / "content/rapportera.md"
    page.write_text(page.read_text(encoding="utf-8").replace("/medborgarloften/2026/",
                                                             "/medborgarloften/"),
                    encoding="utf-8")
    path = project / "data/agreements/samverkan-2020-2023.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "successor: samverkan-2024-2027", "revision_note: En ny överenskommelse tas fram."),
        encoding="utf-8")
    build_project(project, tmp_path / "out", today=dt.date(2024, 3, 1))
    text = re.sub(r"\s+", " ", (tmp_path / "out/index.html").read_text(encoding="utf-8"))
    assert "har upphört" in text
    assert "En ny överenskommelse tas fram." in text


def test_a_promise_pairs_what_residents_said_with_what_was_promised(example_site):
    html = (example_site / "medborgarloften/2021/index.html").read_text(encoding="utf-8")
    assert "Ni sa, vi gjorde" in html
    assert "Ni sa</th><th scope=\"col\">Vi gjorde" in html


def test_upcoming_dialogues_show_only_those_still_ahead(example_site):
    text = text_of(example_site, "medborgarloften/2026")
    assert "Kommande medborgardialoger" in text
    assert "11 november 2026" not in text.split("Kommande medborgardialoger")[1]


def test_invented_figures_are_labelled_as_example_data(example_site):
    for page in ("medborgarloften/2021", "uppfoljningar/uppfoljning-2021",
                 "est/margretelund-anghagen"):
        assert "Exempeldata" in text_of(example_site, page)


def test_building_twice_gives_identical_bytes(project, tmp_path):
    build_project(project, tmp_path / "one", base_url=SUB_PATH_URL)
    build_project(project, tmp_path / "two", base_url=SUB_PATH_URL)
    one = {p.relative_to(tmp_path / "one"): p.read_bytes()
           for p in (tmp_path / "one").rglob("*") if p.is_file()}
    two = {p.relative_to(tmp_path / "two"): p.read_bytes()
           for p in (tmp_path / "two").rglob("*") if p.is_file()}
    assert one == two
