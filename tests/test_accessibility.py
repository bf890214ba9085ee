"""Issue 7, accessible by law: every page of the example site in Debian's chromium.

axe-core with the WCAG 2.0/2.1 A and AA rules; landmarks, one h1, heading levels, lang; the
keyboard (skip link, focus order, visible focus, the feedback form, disclosure widgets); reflow at
320 px and zoom to 200 %; print; prefers-reduced-motion. Each test goes through every generated
page, or, where a check tests what the templates and the stylesheet decide, through one page of
each kind (the largest), and lists every problem it finds, page by page. The checkers live in
tests/a11y.py; tests/test_planted_violations.py proves that each of them fails on a single
planted fault.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from .a11y import (
    AXE_LANDMARK_RULES,
    DESKTOP,
    PAPER,
    PHONE,
    PageErrors,
    axe_violations,
    disclosure_problems,
    focus_visibility_problems,
    font_sizes,
    layout_problems,
    missing_words,
    motion_problems,
    open_page,
    page_file,
    print_problems,
    representative_pages,
    serve,
    set_text_size,
    site_pages,
    structure_problems,
    tab_order_problems,
    visible_words,
)
from .conftest import SUB_PATH_URL

BASE_PATH = urlsplit(SUB_PATH_URL).path


@pytest.fixture(scope="module")
def site_url(example_site):
    with serve(example_site, BASE_PATH) as url:
        yield url


@pytest.fixture(scope="module")
def pages(example_site) -> list[str]:
    found = site_pages(example_site)
    assert len(found) >= 20, found
    return found


CHECKS = ("loading", "axe", "structure", "narrow", "text zoom", "motion", "print", "tab order",
          "focus", "disclosures")


def _narrow(page) -> list[str]:
    """At 640 px (a 1280 px window at 200 % zoom) and 320 px (at 400 %, WCAG 1.4.10)."""
    words = visible_words(page)
    problems = []
    for width in (640, PHONE["width"]):
        page.set_viewport_size({"width": width, "height": 640})
        lost = missing_words(words, visible_words(page))
        problems += [f"at {width} px: {p}" for p in layout_problems(page)]
        problems += [f"at {width} px, words no longer shown: {lost}"] if lost else []
    page.set_viewport_size(DESKTOP)
    return problems


def _text_zoom(page, cdp) -> list[str]:
    """The reader's own text size setting at 200 %: the page's text twice as large, no text
    fixed, nothing cut off, overlapping, hidden or making the page scroll sideways. (h1 is sized
    with the window as well, so on a wide screen it grows less than twice; it must still grow.)"""
    body_size = "() => parseFloat(getComputedStyle(document.body).fontSize)"
    body, sizes, words = page.evaluate(body_size), font_sizes(page), visible_words(page)
    set_text_size(cdp, 200)
    try:
        zoomed_body, zoomed = page.evaluate(body_size), font_sizes(page)
        problems = [] if abs(zoomed_body - 2 * body) <= 0.5 else [
            f"the text of the page is {zoomed_body} px, not twice {body} px"]
        problems += [f"text does not grow ({sizes[what]} px): {what}"
                     for what in sizes if what in zoomed and zoomed[what] < sizes[what] * 1.05]
        problems += layout_problems(page)
        lost = missing_words(words, visible_words(page))
        return problems + ([f"words no longer shown: {lost}"] if lost else [])
    finally:
        set_text_size(cdp, 100)


def _reduced_motion(page) -> list[str]:
    page.emulate_media(reduced_motion="reduce")
    try:
        return motion_problems(page)
    finally:
        page.emulate_media(reduced_motion="no-preference")


def _printed(page) -> list[str]:
    page.set_viewport_size(PAPER)
    page.emulate_media(media="print")
    try:
        return print_problems(page)
    finally:
        page.emulate_media(media="screen")
        page.set_viewport_size(DESKTOP)


@pytest.fixture(scope="module")
def report(browser, example_site, site_url, pages) -> dict[str, dict[str, list[str]]]:
    """Every check on every page, each page loaded once: {check: {page: problems}}.

    The checks that leave the page as they found it run first, then the ones that move focus
    or open disclosures. Tabbing through a page key by key is slow, so the Tab order and the
    skip link are tried on one page of each kind (tests/a11y.py: representative_pages), and so
    is reduced motion, which the stylesheet decides for all pages alike. So are reflow at 640
    and 320 px and text zoom, which resize and lay out the page again and again: the templates
    and the stylesheet decide how a page reflows, and the largest page of each kind has the
    most to fit (the longest tables, lists and words). axe, the structure, print, visible focus
    and the disclosures, which depend on each page's own content, still run on every page.
    """
    one_of_each_kind = set(representative_pages(example_site, pages))
    context = browser.new_context(viewport=DESKTOP, reduced_motion="no-preference")
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    set_text_size(cdp, 100)
    errors = PageErrors(page)
    found: dict[str, dict[str, list[str]]] = {check: {} for check in CHECKS}
    try:
        for path in pages:
            open_page(page, site_url + path)
            # One axe run: the WCAG A and AA rules, and the landmark rules for "structure".
            found_by_axe = axe_violations(page, rules=AXE_LANDMARK_RULES)
            landmarks = [v for v in found_by_axe if v.split(":")[0] in AXE_LANDMARK_RULES]
            results = {
                "axe": [v for v in found_by_axe if v not in landmarks],
                "structure": structure_problems(page, with_axe=False) + landmarks,
                "narrow": _narrow(page) if path in one_of_each_kind else [],
                "text zoom": _text_zoom(page, cdp) if path in one_of_each_kind else [],
                "motion": _reduced_motion(page) if path in one_of_each_kind else [],
                "print": _printed(page),
                "tab order": tab_order_problems(page) if path in one_of_each_kind else [],
                "focus": focus_visibility_problems(page),
                "disclosures": disclosure_problems(page),
                "loading": errors.take(),
            }
            for check, problems in results.items():
                if problems:
                    found[check][path or "/"] = problems
    finally:
        context.close()
    return found


# -- axe, landmarks and headings ---------------------------------------------------------------

def test_every_page_loads_without_a_failed_request_or_script_error(report):
    assert report["loading"] == {}


def test_axe_finds_no_wcag_a_or_aa_violation_on_any_page(report):
    assert report["axe"] == {}


def test_every_page_has_lang_landmarks_a_skip_link_one_h1_and_no_skipped_heading_level(report):
    assert report["structure"] == {}


# -- keyboard ----------------------------------------------------------------------------------

def test_tab_visits_every_control_in_reading_order_and_the_skip_link_works(report):
    """On one page of each kind: the skip link shows on the first Tab, Enter moves focus to the
    main content, the next Tab goes on from there."""
    assert report["tab order"] == {}


def test_every_control_on_every_page_shows_visible_focus_and_none_is_out_of_reach(report):
    assert report["focus"] == {}


def test_disclosure_widgets_open_and_close_with_enter_and_space(report):
    assert report["disclosures"] == {}


def _feedback_page(example_site, pages) -> str:
    """The shortest page with the feedback form (a form that posts): the fewest Tab stops."""
    with_form = [path for path in pages if 'method="post"' in
                 page_file(example_site, path).read_text(encoding="utf-8")]
    assert with_form, "no page of the example site has the feedback form"
    return min(with_form, key=lambda path: page_file(example_site, path).stat().st_size)


def _tab_to(page, selector: str, limit: int = 300) -> None:
    """Press Tab until the focused element matches `selector`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def _sent_fields(body: str) -> dict:
    try:
        return json.loads(body)
    except ValueError:
        return {name: values[0] for name, values in parse_qs(body).items()}


FORM = "form[method=post]"
CHECKED = "(name) => (document.querySelector(`input[name='${name}']:checked`) || {}).value"
FOCUSED = """() => { const el = document.activeElement;
    return {tag: el.tagName, visible: el.checkVisibility(), text: el.innerText.trim()}; }"""


def _open_feedback_form(page, site_url, example_site, pages) -> list[str]:
    """Open a page with the feedback form; a stand-in receiver answers its endpoint and keeps
    what was sent (the list returned)."""
    open_page(page, site_url + _feedback_page(example_site, pages))
    endpoint = page.evaluate(f"() => document.querySelector('{FORM}').action")
    sent: list[str] = []

    def receiver(route):
        cors = {"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Headers": "content-type",
                "Access-Control-Allow-Methods": "POST"}
        if route.request.method == "POST":
            sent.append(route.request.post_data or "")
        route.fulfill(status=200, headers=cors, content_type="application/json", body="{}")

    page.route(endpoint, receiver)
    return sent


def test_the_feedback_form_can_be_filled_in_and_sent_with_the_keyboard_alone(
        page, site_url, example_site, pages):
    sent = _open_feedback_form(page, site_url, example_site, pages)
    _tab_to(page, f"{FORM} input[type=radio]")
    helpful = page.evaluate("() => document.activeElement.name")
    page.keyboard.press("Space")
    picked = page.evaluate(CHECKED, helpful)
    assert picked, "Space does not choose an answer"
    page.keyboard.press("ArrowRight")
    assert page.evaluate(CHECKED, helpful) not in (None, picked), "arrow keys do not change the answer"
    page.keyboard.press("ArrowLeft")
    assert page.evaluate(CHECKED, helpful) == picked
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.type") == "radio", "Tab skips the rating"
    rating = page.evaluate("() => document.activeElement.name")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    rated = page.evaluate(CHECKED, rating)
    _tab_to(page, f"{FORM} textarea")
    page.keyboard.type("Bra sida, men tabellen var svår att hitta.")
    _tab_to(page, f"{FORM} input[type=email]")
    page.keyboard.type("invanare@example.se")
    _tab_to(page, f"{FORM} [type=submit]")
    with page.expect_request(lambda request: request.method == "POST"):
        page.keyboard.press("Enter")
    page.wait_for_function("() => !document.activeElement.matches('[type=submit], body')")

    assert len(sent) == 1
    fields = _sent_fields(sent[0])
    assert (str(fields[helpful]), str(fields[rating])) == (picked, rated)
    assert fields["comment"] == "Bra sida, men tabellen var svår att hitta."
    assert fields["email"] == "invanare@example.se"
    # The answer is announced where the reader is: focus moves to it, and it is on screen.
    answer = page.evaluate(FOCUSED)
    assert answer["visible"] and answer["text"], answer


def test_sending_the_feedback_form_empty_with_the_keyboard_moves_focus_to_the_message(
        page, site_url, example_site, pages):
    sent = _open_feedback_form(page, site_url, example_site, pages)
    _tab_to(page, f"{FORM} [type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_function("() => !document.activeElement.matches('[type=submit], body')")
    message = page.evaluate(FOCUSED)
    assert message["visible"] and message["text"], message
    assert sent == []


# -- reflow, zoom, motion, print ---------------------------------------------------------------

def test_no_page_scrolls_sideways_or_loses_content_at_320_or_640_px(report):
    """On one page of each kind: tables scroll inside their own box; every word shown on a wide
    screen is still shown."""
    assert report["narrow"] == {}


def test_text_at_200_percent_loses_nothing(report):
    """On one page of each kind (the text sizes come from the stylesheet)."""
    assert report["text zoom"] == {}


def test_nothing_moves_when_the_reader_asks_for_reduced_motion(report, page, site_url):
    """On one page of each kind (motion comes from the stylesheet, the same on every page)."""
    open_page(page, site_url)
    page.emulate_media(reduced_motion="no-preference")
    assert motion_problems(page), "the motion probe should move when motion is welcome"
    assert report["motion"] == {}


def test_pages_print_without_navigation_or_form_and_with_link_targets_written_out(report):
    assert report["print"] == {}
