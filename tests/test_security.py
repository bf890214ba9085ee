"""Strict security headers that the site itself never breaks, with search and feedback in use."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from insyn.headers import security_headers
from insyn.pipeline import BuildOptions, build

from .conftest import ROOT, build_project, copy_project
from .servers import FeedbackReceiver, SiteServer, free_port, read_headers_file


@pytest.fixture(scope="module")
def strict_site(tmp_path_factory):
    """The example site served at the root with the headers the build wrote into _headers."""
    base = tmp_path_factory.mktemp("strict")
    site_port, receiver_port = free_port(), free_port()
    root = copy_project(base / "project")
    build_project(root, base / "site", base_url=f"http://127.0.0.1:{site_port}/",
                  feedback_endpoint=f"http://127.0.0.1:{receiver_port}/feedback")
    headers = read_headers_file(base / "site/_headers")
    server = SiteServer(base / "site", site_port, headers=headers)
    receiver = FeedbackReceiver(receiver_port)
    yield server.url, base / "site", headers, receiver
    server.close()
    receiver.close()


def watch(page):
    """Collect every policy violation and console error the page reports."""
    problems = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
            if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.add_init_script("""document.addEventListener('securitypolicyviolation', e => {
        console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI); });""")
    return problems


def test_the_build_writes_the_policy_for_its_own_feedback_origin(strict_site):
    _, _, headers, receiver = strict_site
    csp = headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    origin = receiver.url.removesuffix("/feedback")
    assert f"connect-src 'self' {origin}" in csp
    assert f"form-action 'self' {origin}" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval'" not in csp.replace("wasm-unsafe-eval'", "")
    for name in ("Referrer-Policy", "X-Content-Type-Options", "Permissions-Policy"):
        assert name in headers


def test_no_page_breaks_the_policy(strict_site, page):
    url, site, _, _ = strict_site
    problems = watch(page)
    pages = sorted(p.relative_to(site).as_posix().removesuffix("index.html")
                   for p in site.rglob("*.html") if "pagefind" not in p.parts)
    assert len(pages) > 50
    for path in pages:
        page.goto(url + path)
        page.wait_for_load_state("load")
    assert problems == []


def test_search_and_feedback_work_under_the_policy(strict_site, page):
    url, _, _, receiver = strict_site
    problems = watch(page)
    page.goto(url + "sok/")
    box = page.locator("#search input")
    box.fill("ungdomarna")
    box.press("Enter")
    expect(page.locator(".pagefind-ui__result").first).to_be_visible(timeout=10000)
    page.locator("summary.pagefind-ui__filter-name", has_text="Typ").click()
    page.get_by_label("Medborgarlöfte", exact=False).first.check()
    page.goto(url + "rapportera/")
    page.wait_for_timeout(1600)
    page.locator("form.feedback-form").get_by_label("Ja", exact=True).check()
    page.get_by_role("button", name="Skicka").click()
    expect(page.get_by_role("heading", name="Tack för ditt svar!")).to_be_visible()
    assert receiver.received and receiver.received[-1]["helpful"] == "ja"
    assert problems == []


def test_the_hosting_guide_shows_the_same_headers_for_nginx():
    site = build(BuildOptions(root=ROOT, out=ROOT / "site", today=dt.date(2026, 11, 25),
                              write=False)).site
    guide = (ROOT / "docs/hosting.md").read_text(encoding="utf-8")
    for name, value in security_headers(site).items():
        assert f'add_header {name} "{value}" always;' in guide
