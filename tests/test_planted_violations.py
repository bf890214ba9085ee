"""A single accessibility or validity fault fails the suite: each checker of tests/a11y.py is run
on a copy of the example project with faults planted, and reports exactly the planted fault.

Each plant is one small edit of a template, a stylesheet or a Markdown page, the kind of change
that could land by mistake. To build only twice, the plants share two copies: one with the HTML
plants, each on a page of its own, and one with the stylesheet plants, each seen by one check.
The copies are served with the headers the build writes (`_headers`: a strict CSP), as the
example site is, and one browser tab opens their pages test after test: each test loads its page
afresh, at the window size and media it asks for.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .a11y import (
    DESKTOP,
    PAPER,
    PHONE,
    axe_violations,
    disclosure_problems,
    focus_visibility_problems,
    layout_problems,
    motion_problems,
    open_page,
    print_problems,
    serve,
    structure_problems,
    tab_order_problems,
    vnu_errors,
)
from .conftest import SUB_PATH_URL, build_project, copy_project

BASE_PATH = urlsplit(SUB_PATH_URL).path
END = None
"""As the text to replace: add the new text at the end of the file."""

PROSE = '<div class="prose"{{ lang_attr(page.title_language) }}>\n{{ body_html | safe }}\n</div>'
PLANTS: dict[str, list[tuple[str, str | None, str]]] = {
    # In the HTML, on the page named.
    "image without alt (front page)": [("templates/landing.html", PROSE, PROSE + (
        "\n<img class=\"planted\" src=\"{{ url('static/favicon.svg') }}\" width=\"40\" height=\"40\">"))],
    "too wide for a phone (front page)": [
        ("templates/landing.html", PROSE, PROSE + '\n<p class="planted-wide">Bred rad</p>'),
        ("templates/static/site.css", END, "\n.planted-wide { width: 30rem; }\n")],
    "invalid nesting (medborgarloften/)": [("templates/archive.html", "{% block content %}",
                                            '{% block content %}\n<p class="planted">Alla år '
                                            '<div>i ordning</div></p>')],
    "skipped heading (om-webbplatsen/)": [("content/om-webbplatsen.md", END,
                                           "\n#### Planterad rubrik\n\nEn rubrik som hoppar "
                                           "över en nivå.\n")],
    "positive tabindex (footer)": [("templates/partials/footer.html",
                                    '<li>{{ _("E-mail:") }} <a href="mailto:',
                                    '<li>{{ _("E-mail:") }} <a tabindex="1" href="mailto:')],
    "disclosure without keyboard (content pages)": [("templates/page.html", PROSE, PROSE + (
        '\n<details><summary>Mer om sidan</summary><p>Fler detaljer.</p></details>'
        '\n<div class="planted-toggle" role="button" tabindex="0" aria-expanded="false">'
        'Visa mer</div>'))],
    # In the stylesheet: each seen by one check only.
    "invisible focus": [("templates/static/site.css", END,
                         "\n.main-nav a:focus-visible { outline: none; box-shadow: none; }\n")],
    "motion not reduced": [("templates/static/site.css", "(prefers-reduced-motion: reduce)",
                            "(prefers-reduced-motion: no-preference)")],
    "breadcrumbs printed": [("templates/static/site.css", ".site-header nav, .breadcrumbs, ",
                             ".site-header nav, ")],
}


def plant(root: Path, edits: list[tuple[str, str | None, str]]) -> None:
    for file, old, new in edits:
        path = root / file
        text = path.read_text(encoding="utf-8")
        if old is END:
            text += new
        else:
            assert old in text, f"the plant no longer fits {file}: {old!r} is gone; update PLANTS"
            text = text.replace(old, new, 1)
        path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def planted(tmp_path_factory) -> dict[str, Path]:
    """{"html": built site, "css": built site}: the example project with the plants of each."""
    base = tmp_path_factory.mktemp("planted")
    sites = {}
    for kind in ("html", "css"):
        root = copy_project(base / kind / "project")
        for edits in PLANTS.values():
            if all(file.endswith(".css") for file, _, _ in edits) == (kind == "css"):
                plant(root, edits)
        build_project(root, base / kind / "site", base_url=SUB_PATH_URL)
        sites[kind] = base / kind / "site"
    return sites


@pytest.fixture(scope="module")
def planted_urls(planted) -> dict[str, str]:
    """{"html": address, "css": address}: the planted sites, served."""
    with serve(planted["html"], BASE_PATH) as html, serve(planted["css"], BASE_PATH) as css:
        yield {"html": html, "css": css}


@pytest.fixture(scope="module")
def planted_tab(browser):
    context = browser.new_context(viewport=DESKTOP)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def open_planted(planted_tab, planted_urls):
    """open_planted("html" or "css", path, viewport) loads that page of a planted site, on
    screen, with motion welcome, at the viewport given (else a desktop window)."""

    def opener(kind: str, path: str = "", viewport=None):
        planted_tab.set_viewport_size(viewport or DESKTOP)
        planted_tab.emulate_media(media="screen", reduced_motion="no-preference")
        open_page(planted_tab, planted_urls[kind] + path)
        return planted_tab

    return opener


def test_the_nu_html_checker_reports_exactly_the_planted_errors(planted):
    errors = vnu_errors(planted["html"])
    assert sorted(re.sub(r":\d+: ", ": ", error) for error in errors) == [
        "index.html: error: An “img” element must have an “alt” attribute, except under certain"
        " conditions. For details, consult guidance on providing text alternatives for images.",
        "medborgarloften/index.html: error: No “p” element in scope but a “p” end tag seen.",
        "om-webbplatsen/index.html: error: The heading “h4” (with computed level 4) follows the"
        " heading “h2” (with computed level 2), skipping 1 heading level.",
    ]


def test_axe_reports_exactly_the_planted_image_without_alt(open_planted):
    page = open_planted("html")
    assert axe_violations(page) == ["image-alt: img (Images must have alternative text)"]


def test_axe_cannot_see_invalid_nesting_which_is_why_the_html_checker_runs_too(open_planted):
    page = open_planted("html", "medborgarloften/")
    assert axe_violations(page) == []


def test_the_structure_check_reports_exactly_the_planted_skipped_heading(open_planted):
    page = open_planted("html", "om-webbplatsen/")
    assert structure_problems(page) == ['heading level skipped: h4 "Planterad rubrik" follows h2']
    assert axe_violations(page) == []


def test_the_focus_check_reports_exactly_the_links_with_invisible_focus(open_planted):
    page = open_planted("css", "om-webbplatsen/")
    menu = page.evaluate("() => [...document.querySelectorAll('.main-nav a')].map(a => a.innerText)")
    assert len(menu) >= 3
    assert focus_visibility_problems(page) == [f'no visible focus (contrast 0): a "{title}"'
                                               for title in menu]
    assert tab_order_problems(page) == []


def test_the_keyboard_checks_report_exactly_the_planted_positive_tabindex(open_planted):
    page = open_planted("html", "personuppgifter/")
    email = page.evaluate("() => document.querySelector('[tabindex=\"1\"]').innerText")
    assert focus_visibility_problems(page) == [f'positive tabindex: a "{email}"']
    page.reload()
    problems = tab_order_problems(page)
    assert len(problems) == 2, problems
    assert problems[0].startswith(
        "focus order differs from the reading order: expected ['a.skip-link \"Gå direkt till "
        "innehållet\"', ")
    assert f"Tab visited ['a \"{email}\"', 'a.skip-link" in problems[0]
    assert problems[1] == f'the first Tab stop is not a skip link: a "{email}"'


def test_the_reflow_check_reports_exactly_the_planted_wide_paragraph(open_planted):
    page = open_planted("html", "", viewport=PHONE)
    problems = layout_problems(page)
    assert len(problems) == 2, problems
    assert re.fullmatch(r"the page scrolls sideways: \d+ px of content in 320 px", problems[0])
    assert problems[1] == 'sticks out of the 320 px window: p.planted-wide "Bred rad"'


def test_the_motion_check_reports_exactly_the_motion_the_stylesheet_no_longer_stops(
        open_planted):
    page = open_planted("css")
    page.emulate_media(reduced_motion="reduce")
    assert motion_problems(page) == ["animates: div.a11y-motion-probe",
                                     "transitions: div.a11y-motion-probe",
                                     "scrolls smoothly: div.a11y-motion-probe"]


def test_the_print_check_reports_exactly_the_printed_breadcrumbs(open_planted):
    page = open_planted("css", "om-webbplatsen/", viewport=PAPER)
    page.emulate_media(media="print")
    crumbs = page.evaluate("() => [...document.querySelectorAll('.breadcrumbs a')]"
                           ".map(a => `a \"${a.innerText}\" -> ${a.getAttribute('href')}`)")
    problems = print_problems(page)
    assert problems[0].startswith("printed, but only useful on screen: nav.breadcrumbs.wrap")
    assert problems[1:] == [f"link target not printed: {crumb}" for crumb in crumbs]


def test_the_disclosure_check_reports_exactly_the_toggle_that_ignores_the_keyboard(open_planted):
    page = open_planted("html", "om-webbplatsen/")
    assert disclosure_problems(page) == ['Enter does not open or close: div.planted-toggle "Visa mer"',
                                         'Space does not open or close: div.planted-toggle "Visa mer"']
