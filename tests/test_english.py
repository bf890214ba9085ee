"""Issue 8, a second interface language: the example site built with `language: en`.

The whole interface is English while the content stays Swedish and says so with its own `lang`;
no Swedish word of the catalogue is left where the page speaks English; dates are English; the
page written in both languages links its versions both ways; and the English build passes the
same axe-core and Nu Html Checker checks as the Swedish one.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from babel.messages.pofile import read_po

from insyn.i18n import catalogue_path

from .a11y import (
    AXE_LANDMARK_RULES,
    DESKTOP,
    axe_violations,
    open_page,
    page_file,
    representative_pages,
    serve,
    site_pages,
    structure_problems,
    vnu_errors,
)
from .conftest import SUB_PATH_URL, build_project, copy_project

BASE_PATH = urlsplit(SUB_PATH_URL).path
ENGLISH = "language: en\ncontent_language: sv\n"


def english_project(root: Path, settings: str = ENGLISH) -> Path:
    """A copy of the example project whose data/site.yaml asks for the English interface."""
    copy_project(root)
    site_yaml = root / "data/site.yaml"
    text = site_yaml.read_text(encoding="utf-8")
    assert "\nlanguage: sv\n" in text
    site_yaml.write_text(text.replace("\nlanguage: sv\n", "\n" + settings), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def english_site(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("english")
    build_project(english_project(base / "project"), base / "site", base_url=SUB_PATH_URL)
    return base / "site"


def html_of(site: Path, path: str) -> str:
    return page_file(site, path).read_text(encoding="utf-8")


# -- what the interface says, and in which language ---------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
SHOWN_ATTRIBUTES = ("aria-label", "alt", "title", "data-search-label")
NOT_SHOWN = ("script", "style", "title")
OTHER = "\u00a7"
"""Stands for a stretch of text marked with another language than the page's."""


class InterfaceText(HTMLParser):
    """The words a page shows in its own language (<html lang>): the text of <body> outside every
    element marked with another lang (each such stretch becomes OTHER), and the attributes that
    are read aloud."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page_lang = ""
        self.open: list[tuple[str, str]] = []
        """(tag, lang) of the elements open here."""
        self.texts: list[str] = []
        self.attributes: list[str] = []

    def _lang(self) -> str:
        return self.open[-1][1] if self.open else self.page_lang

    def _inside(self, *tags: str) -> bool:
        return any(tag in tags for tag, _ in self.open)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        lang = attributes.get("lang") or self._lang()
        if tag == "html":
            self.page_lang = lang
            return
        if lang == self.page_lang and (self._inside("body") or tag in ("body", "link")):
            self.attributes += [attributes[a] for a in SHOWN_ATTRIBUTES if attributes.get(a)]
        if tag not in VOID:
            self.open.append((tag, lang))

    def handle_endtag(self, tag):
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i][0] == tag:
                del self.open[i:]
                return

    def handle_data(self, data):
        if self._inside("body") and not self._inside(*NOT_SHOWN):
            self.texts.append(data if self._lang() == self.page_lang else OTHER)


def interface_text(html: str) -> InterfaceText:
    parser = InterfaceText()
    parser.feed(html)
    return parser


def swedish_pattern(swedish: str) -> re.Pattern:
    """A Swedish translation as it can appear on a page: its markup left out, each placeholder
    standing for any text. A single word must be a whole text or attribute of its own."""
    text = re.sub(r"<[^>]+>", "", swedish)
    parts = re.split(r"%\(\w+\)[sd]|\{\w+\}", text)
    if len(parts) == 1 and len(text.split()) == 1:
        return re.compile(r"^\s*" + re.escape(text) + r"\s*$")
    literal = [re.sub(r"(\\\s)+|\s+", r"\\s+", re.escape(part)) for part in parts]
    return re.compile(r"(?<!\w)" + ".+?".join(literal) + r"(?!\w)")


def longest_word(swedish: str) -> str:
    """A word the text must contain wherever the translation is shown: a quick first test."""
    text = re.sub(r"<[^>]+>|%\(\w+\)[sd]|\{\w+\}", " ", swedish)
    return max(text.split(), key=len, default="")


def swedish_translations() -> dict[str, re.Pattern]:
    """Every Swedish translation of the catalogue that differs from its English message."""
    with catalogue_path("sv").open("rb") as file:
        catalogue = read_po(file, locale="sv")
    return {m.string: swedish_pattern(m.string) for m in catalogue
            if m.id and m.string and m.string != m.id}


def swedish_interface_strings(html: str, patterns: dict[str, re.Pattern]) -> list[str]:
    found = interface_text(html)
    text = re.sub(r"\s+", " ", "".join(found.texts))
    everything = " ".join([text, *found.attributes])
    whole = [t.strip() for t in found.texts] + found.attributes
    return [swedish for swedish, pattern in patterns.items()
            if longest_word(swedish) in everything
            and (any(pattern.match(t) for t in whole) if pattern.pattern.startswith("^")
                 else pattern.search(text) or any(pattern.search(a) for a in found.attributes))]


def test_the_check_finds_the_swedish_interface_of_the_swedish_site(example_site):
    """The check below is worth something: on the Swedish site it finds the Swedish words."""
    patterns = swedish_translations()
    found = swedish_interface_strings(html_of(example_site, "medborgarloften/2021/"), patterns)
    assert {"Publicerad:", "Senast uppdaterad:", "Hjälp oss att förbättra sidan", "Sök",
            "Gå direkt till innehållet", "uppföljt till och med %(date)s"} <= set(found)


def test_no_swedish_interface_string_is_left_on_any_page(english_site):
    patterns = swedish_translations()
    assert len(patterns) > 300
    pages = site_pages(english_site)
    assert len(pages) >= 20
    left = {path or "/": found for path in pages
            if (found := swedish_interface_strings(html_of(english_site, path), patterns))}
    assert left == {}


@pytest.mark.parametrize("path", ["", "medborgarloften/2021/", "uppfoljningar/uppfoljning-2021/",
                                  "est/margretelund-anghagen/", "rapportera/", "oppna-data/"])
def test_the_interface_is_english_and_the_content_swedish(english_site, path):
    html = html_of(english_site, path)
    text = re.sub(r"\s+", " ", "".join(interface_text(html).texts))
    assert '<html lang="en">' in html
    assert "Published:" in text and "Last updated:" in text and "Skip to the content" in text
    assert "Help us improve this page" in text and "Did the information on this page" in text
    for swedish in ("Publicerad", "Senast uppdaterad", "Tyck till", "Hjälpte informationen",
                    "Gå direkt till innehållet"):
        assert swedish not in html
    assert re.search(r'<h1 lang="sv">', html) or path == "oppna-data/"
    assert '<span class="brand-site" lang="sv">Trygghet i Lidköping</span>' in html


def test_dates_and_sizes_are_written_in_english(english_site):
    text = re.sub(r"\s+", " ", "".join(interface_text(html_of(english_site, "rapportera/")).texts))
    assert "Published: 1 February 2021" in text
    html = html_of(english_site, "medborgarloften/2021/")
    assert "31 December 2021" in html
    assert re.search(r'<span class="attachment-meta">PDF, \d+\.\d kB</span>', html)


def test_the_default_texts_of_site_yaml_are_english_and_the_statuses_too(english_site):
    method = html_of(english_site, "sa-foljer-vi-upp/")
    assert "What we promised has been done." in method and ">Done</span>" in method
    privacy = html_of(english_site, "personuppgifter/")
    assert "<h1>How we handle your personal data</h1>" in privacy
    script = re.search(r'<script type="application/json" id="feedback-texts">(.*?)</script>',
                       html_of(english_site, "rapportera/"), re.S).group(1)
    texts = json.loads(script)
    assert texts["submit"] == "Send" and texts["counter"] == "{used} of {limit} characters"
    assert texts["rating_labels"][0] == "Very dissatisfied"


def test_text_the_organisation_wrote_in_site_yaml_stays_as_written_and_is_marked(tmp_path):
    root = english_project(tmp_path / "project")
    site_yaml = root / "data/site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8").replace(
        "  services_url: https://www.lidkoping.se/synpunkter\n",
        "  services_url: https://www.lidkoping.se/synpunkter\n"
        "  texts:\n    heading: Tyck till om sidan\n"), encoding="utf-8")
    build_project(root, tmp_path / "site", search=False)
    html = (tmp_path / "site/rapportera/index.html").read_text(encoding="utf-8")
    assert '<h2 id="feedback-heading"><span lang="sv">Tyck till om sidan</span></h2>' in html
    assert "Did the information on this page help you?" in html


def test_without_content_language_the_content_is_taken_to_be_in_the_interface_language(
        tmp_path):
    root = english_project(tmp_path / "project", "language: en\n")
    build_project(root, tmp_path / "site", search=False)
    html = (tmp_path / "site/medborgarloften/2021/index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in html and 'lang="sv"' not in html


def test_the_swedish_site_marks_no_language_but_that_of_the_english_page(example_site):
    """Content and interface agree, so only the English version and links to it are marked."""
    for path in site_pages(example_site):
        page_lang, rest = html_of(example_site, path).removeprefix("<!doctype html>\n").split(
            "\n", 1)
        assert page_lang == ('<html lang="en">' if path.startswith("en/") else '<html lang="sv">')
        marked = set(re.findall(r'\slang="(\w+)"', rest))
        assert marked <= ({"sv"} if path.startswith("en/") else {"en"}), (path, marked)


# -- a page in both languages ---------------------------------------------------------------------

def alternates(html: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="(\w+)" href="([^"]+)">', html))


@pytest.mark.parametrize("site_fixture", ["example_site", "english_site"])
def test_a_page_and_its_english_version_link_each_other(request, site_fixture):
    site = request.getfixturevalue(site_fixture)
    swedish, english = html_of(site, "rapportera/"), html_of(site, "en/rapportera/")
    versions = {"sv": f"{SUB_PATH_URL}rapportera/", "en": f"{SUB_PATH_URL}en/rapportera/"}
    assert alternates(swedish) == versions and alternates(english) == versions
    assert (f'<a href="{BASE_PATH}en/rapportera/" hreflang="en" lang="en">In English</a>'
            in swedish)
    assert f'<a href="{BASE_PATH}rapportera/" hreflang="sv" lang="sv">På svenska</a>' in english
    assert english.startswith('<!doctype html>\n<html lang="en">')
    assert "<h1>How to report problems</h1>" in english and "Published:" in english
    assert f'<link rel="canonical" href="{SUB_PATH_URL}en/rapportera/">' in english


def test_the_english_page_returns_its_form_to_an_english_thank_you_page(example_site):
    english, swedish = html_of(example_site, "en/rapportera/"), html_of(example_site, "rapportera/")
    assert f'name="return_url" value="{SUB_PATH_URL}en/tack/"' in english
    assert f'name="return_url" value="{SUB_PATH_URL}tack/"' in swedish
    thanks = html_of(example_site, "en/tack/")
    assert thanks.startswith('<!doctype html>\n<html lang="en">')
    assert "<h1>Thank you for your answer</h1>" in thanks and "To the front page" in thanks


def test_the_english_version_is_not_in_the_menu_but_in_the_list_of_all_pages(example_site):
    front = html_of(example_site, "")
    assert "en/rapportera/" not in front
    all_pages = html_of(example_site, "alla-sidor/")
    assert f'<a href="{BASE_PATH}en/rapportera/" lang="en">How to report problems</a>' in all_pages


# -- accessibility of the English build ----------------------------------------------------------

def test_the_english_build_passes_the_nu_html_checker(english_site):
    assert vnu_errors(english_site) == []


def test_the_english_build_passes_axe_on_one_page_of_each_kind(browser, english_site):
    """axe-core's WCAG A and AA rules (among them valid-lang and html-lang-valid) and the
    landmark, heading and lang checks of the Swedish suite, on one page of each kind."""
    pages = representative_pages(english_site, site_pages(english_site))
    assert "en/rapportera/" in pages and len(pages) >= 10
    found: dict[str, list[str]] = {}
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    try:
        with serve(english_site, BASE_PATH) as url:
            for path in pages:
                open_page(page, url + path)
                problems = (axe_violations(page, rules=AXE_LANDMARK_RULES)
                            + structure_problems(page, with_axe=False))
                if problems:
                    found[path or "/"] = problems
    finally:
        context.close()
    assert found == {}
