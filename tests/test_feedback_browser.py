"""The page-feedback form in Debian's chromium, against a real receiver on loopback."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .conftest import build_project, copy_project
from .servers import FeedbackReceiver, SiteServer, free_port

PAGE = "medborgarloften/2021/"
COMMENT = "Jag saknar tider för när polisen finns vid Resecentrum."


@pytest.fixture(scope="module")
def hosting(tmp_path_factory):
    """The example site on one port; the receiver's port is reserved but not yet listening."""
    base = tmp_path_factory.mktemp("feedback")
    site_port, receiver_port = free_port(), free_port()
    root = copy_project(base / "project")
    build_project(root, base / "site", base_url=f"http://127.0.0.1:{site_port}/",
                  feedback_endpoint=f"http://127.0.0.1:{receiver_port}/feedback")
    server = SiteServer(base / "site", site_port)
    yield server.url, receiver_port
    server.close()


@pytest.fixture
def receiver(hosting):
    started: list[FeedbackReceiver] = []

    def start() -> FeedbackReceiver:
        started.append(FeedbackReceiver(hosting[1]))
        return started[-1]

    yield start
    for r in started:
        r.close()


def open_form(page: Page, site_url: str) -> None:
    page.goto(site_url + PAGE)
    # A person takes more than a moment to answer; sooner than 1.5 s is taken for a bot.
    page.wait_for_timeout(1600)


def fill_in(page: Page) -> None:
    form = page.locator("form.feedback-form")
    form.get_by_label("Ja", exact=True).check()
    form.get_by_label("Ganska nöjd", exact=True).check()
    form.get_by_label("Kan du utveckla ditt svar lite mer?").fill(COMMENT)


def test_a_resident_answers_and_sends_in_place(page: Page, hosting, receiver):
    site_url, _ = hosting
    inbox = receiver()
    inbox.delay = 1.0
    open_form(page, site_url)
    fill_in(page)
    expect(page.locator("#feedback-counter")).to_have_text(f"{len(COMMENT)} av 1000 tecken")
    page.get_by_role("button", name="Skicka").click()
    expect(page.get_by_role("status").filter(has_text="Informationen skickas…")).to_be_visible()
    thanks = page.get_by_role("heading", name="Tack för ditt svar!")
    expect(thanks).to_be_focused()
    expect(page.get_by_text("Tack för att du hjälper oss att göra kommunens webbplats bättre!"))\
        .to_be_visible()
    expect(page.locator("[data-feedback-thanks]")).to_have_attribute("role", "status")
    [got] = inbox.received
    assert {k: got[k] for k in ("helpful", "rating", "comment", "page_url", "page_title",
                                "page_id", "language")} == {
        "helpful": "ja", "rating": 4, "comment": COMMENT, "page_url": site_url + PAGE,
        "page_title": "Medborgarlöfte 2021", "page_id": PAGE, "language": "sv"}
    assert "email" not in got
    assert got["page_version"] and got["page_owner"]
    assert ("POST", "application/json") in inbox.requests


def test_without_javascript_the_form_posts_and_ends_on_the_thank_you_page(browser, hosting,
                                                                          receiver):
    site_url, _ = hosting
    inbox = receiver()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + PAGE)
    fill_in(page)
    page.get_by_label("Får vi kontakta dig (frivilligt)?").fill("invanare@example.se")
    page.get_by_role("button", name="Skicka").click()
    page.wait_for_url(site_url + "tack/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tack för ditt svar")
    [got] = inbox.received
    assert (got["helpful"], got["rating"], got["comment"], got["email"], got["page_url"]) == (
        "ja", 4, COMMENT, "invanare@example.se", site_url + PAGE)
    assert inbox.requests == [("POST", "application/x-www-form-urlencoded")]
    context.close()


def test_a_receiver_that_is_down_keeps_the_text_and_a_retry_works(page: Page, hosting, receiver):
    site_url, _ = hosting
    open_form(page, site_url)
    fill_in(page)
    page.get_by_role("button", name="Skicka").click()
    alert = page.locator("[data-feedback-alert]")
    expect(alert).to_contain_text("Det gick inte att nå mottagaren")
    expect(page.get_by_role("heading", name="Det gick inte att skicka")).to_be_focused()
    expect(page.get_by_label("Kan du utveckla ditt svar lite mer?")).to_have_value(COMMENT)
    inbox = receiver()
    page.get_by_role("button", name="Skicka").click()
    expect(page.get_by_role("heading", name="Tack för ditt svar!")).to_be_focused()
    assert [r["comment"] for r in inbox.received] == [COMMENT]


def test_a_receiver_answering_500_shows_the_error_and_a_retry_works(page: Page, hosting,
                                                                    receiver):
    site_url, _ = hosting
    inbox = receiver()
    inbox.fail_with = 500
    open_form(page, site_url)
    fill_in(page)
    page.get_by_role("button", name="Skicka").click()
    expect(page.locator("[data-feedback-alert]")).to_contain_text("fel (kod 500)")
    expect(page.get_by_label("Kan du utveckla ditt svar lite mer?")).to_have_value(COMMENT)
    expect(page.get_by_label("Ja", exact=True)).to_be_checked()
    inbox.fail_with = None
    page.get_by_role("button", name="Skicka").click()
    expect(page.get_by_role("heading", name="Tack för ditt svar!")).to_be_visible()
    assert len(inbox.received) == 1


def test_the_form_is_operable_by_keyboard_alone(page: Page, hosting, receiver):
    site_url, _ = hosting
    inbox = receiver()
    open_form(page, site_url)
    for _ in range(300):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "helpful":
            break
    else:
        pytest.fail("the first question cannot be reached with Tab")
    page.keyboard.press("Space")                # Ja
    page.keyboard.press("Tab")                  # into the rating group, on its first option
    for _ in range(3):
        page.keyboard.press("ArrowRight")       # each arrow chooses the next: ends on 4
    # The privacy notice's two links come first: residents read it before they write.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Så behandlar vi dina personuppgifter"
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "comment"
    page.keyboard.type("Bra sida.")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "email"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skicka"
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Tack för ditt svar!")).to_be_focused()
    [got] = inbox.received
    assert (got["helpful"], got["rating"], got["comment"]) == ("ja", 4, "Bra sida.")


def test_personal_data_in_the_comment_is_pointed_out_before_sending(page: Page, hosting,
                                                                     receiver):
    site_url, _ = hosting
    inbox = receiver()
    open_form(page, site_url)
    comment = page.get_by_label("Kan du utveckla ditt svar lite mer?")
    comment.fill("Ring mig på 070-123 45 67, mitt personnummer är 19121212-1212.")
    page.get_by_role("button", name="Skicka").click()
    expect(page.get_by_role("heading", name="Innehåller kommentaren personuppgifter?"))\
        .to_be_focused()
    alert = page.locator("[data-feedback-alert]")
    expect(alert).to_contain_text("ett personnummer, ett telefonnummer")
    assert inbox.received == []
    alert.get_by_role("button", name="Ändra kommentaren").click()
    expect(comment).to_be_focused()
    comment.fill("Ring mig gärna.")
    page.get_by_role("button", name="Skicka").click()
    expect(page.get_by_role("heading", name="Tack för ditt svar!")).to_be_visible()
    assert inbox.received[0]["comment"] == "Ring mig gärna."


def test_sending_nothing_says_what_to_do(page: Page, hosting, receiver):
    site_url, _ = hosting
    inbox = receiver()
    open_form(page, site_url)
    page.get_by_role("button", name="Skicka").click()
    expect(page.get_by_role("heading", name="Svara på minst en av frågorna innan du skickar."))\
        .to_be_focused()
    assert inbox.requests == []


def test_the_send_button_stays_visible_in_forced_colours_mode(page: Page, hosting):
    site_url, _ = hosting
    page.emulate_media(forced_colors="active")
    page.goto(site_url + PAGE)
    button = page.get_by_role("button", name="Skicka")
    expect(button).to_be_visible()
    style = button.evaluate("b => { const s = getComputedStyle(b); return [s.color, "
                            "s.backgroundColor, s.borderTopStyle, s.borderTopWidth]; }")
    color, background, border_style, border_width = style
    assert color != background
    assert border_style != "none" and border_width != "0px"
