"""Shared helpers of the accessibility and validity checks (issue 7).

A built site is served over http on a free loopback port at its base path (as it is published),
and each checker returns a list of readable problems: empty means the page passes. The same
checkers run over the example site (tests/test_accessibility.py, tests/test_html_validity.py)
and over copies with one planted fault (tests/test_planted_violations.py), which proves that a
single violation fails the suite.

The tools come from package.json (axe-core, vnu-jar), installed by scripts/install-test-tools.
A missing tool is a failure, never a skip.
"""

from __future__ import annotations

import functools
import json
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
INSTALL_HINT = "run scripts/install-test-tools (npm ci and a Java runtime)"

AXE_WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# axe's best-practice rules about landmarks; heading levels and the single h1 are checked by
# structure_problems itself, with messages that name the headings.
AXE_LANDMARK_RULES = [
    "landmark-one-main", "landmark-no-duplicate-banner", "landmark-no-duplicate-contentinfo",
    "landmark-no-duplicate-main", "landmark-banner-is-top-level",
    "landmark-contentinfo-is-top-level", "landmark-main-is-top-level",
    "landmark-complementary-is-top-level", "landmark-unique", "region", "skip-link",
    "empty-heading",
]

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 320, "height": 640}
"""WCAG 1.4.10: 320 CSS px is a 1280 px wide window zoomed to 400 %."""
PAPER = {"width": 718, "height": 1000}
"""The printable width of an A4 page with the browser's default margins, in CSS px."""


# -- serving -----------------------------------------------------------------------------------

def read_headers_file(site: Path) -> list[tuple[re.Pattern, dict[str, str]]]:
    """The site's own `_headers` file (Netlify's format, which the build writes), if any:
    [(path pattern, headers)]. Served with them, pages run under the site's real CSP."""
    rules: list[tuple[re.Pattern, dict[str, str]]] = []
    path = site / "_headers"
    if not path.is_file():
        return rules
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            pattern = re.escape(line.strip()).replace(r"\*", ".*")
            rules.append((re.compile(pattern + "$"), {}))
        elif rules and ":" in line:
            name, value = line.split(":", 1)
            rules[-1][1][name.strip()] = value.strip()
    return rules


class _SiteHandler(SimpleHTTPRequestHandler):
    """Files of one built site, found under its base path (/trygghet/ -> the site folder), with
    the headers its `_headers` file gives them."""

    base_path = "/"
    header_rules: list[tuple[re.Pattern, dict[str, str]]] = []

    def translate_path(self, path: str) -> str:
        path = unquote(urlsplit(path).path)
        if not path.startswith(self.base_path):
            return str(Path(self.directory) / ".not-under-base-path")
        return super().translate_path("/" + path[len(self.base_path):])

    def end_headers(self):
        path = unquote(urlsplit(self.path).path)
        for pattern, headers in self.header_rules:
            if pattern.match(path):
                for name, value in headers.items():
                    self.send_header(name, value)
        super().end_headers()

    def log_message(self, format, *args):
        pass


@contextmanager
def serve(site: Path, base_path: str = "/") -> Iterator[str]:
    """Serve `site` at http://127.0.0.1:<free port><base_path>; yields that address."""
    handler = type("Handler", (_SiteHandler,), {"base_path": base_path,
                                                "header_rules": read_headers_file(site)})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="a11y-site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{base_path}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def site_pages(site: Path) -> list[str]:
    """Every generated HTML page, as a path relative to the site address ('' is the front page)."""
    pages = []
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).as_posix()
        pages.append(relative.removesuffix("index.html"))
    return pages


def representative_pages(site: Path, pages: list[str]) -> list[str]:
    """One page per kind, for the checks too slow for every page: pages at the same place in
    the tree (medborgarloften/2021/ and medborgarloften/2022/) come from the same template;
    the largest of each kind has the most to check."""
    kinds: dict[tuple[str, int], str] = {}
    for path in pages:
        parts = path.rstrip("/").split("/") if path else []
        kind = (parts[0] if parts else "", len(parts))
        size = page_file(site, path).stat().st_size
        if kind not in kinds or size > page_file(site, kinds[kind]).stat().st_size:
            kinds[kind] = path
    return sorted(kinds.values())


def page_file(site: Path, path: str) -> Path:
    """The file of a page that site_pages() names."""
    return site / path if path.endswith(".html") else site / path / "index.html"


# -- running pages -----------------------------------------------------------------------------

class PageErrors:
    """Failed requests and script errors of the pages a Playwright page opens."""

    def __init__(self, page):
        self.problems: list[str] = []
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        # A reload cancels what is still loading (net::ERR_ABORTED): that is no failure.
        page.on("requestfailed", lambda request: "ERR_ABORTED" not in (request.failure or "")
                and self.problems.append(f"request failed: {request.url} ({request.failure})"))
        page.on("response", lambda response: response.status >= 400 and self.problems.append(
            f"HTTP {response.status}: {response.url}"))

    def take(self) -> list[str]:
        problems, self.problems = self.problems, []
        return problems


def open_page(page, url: str) -> None:
    response = page.goto(url, wait_until="load")
    assert response is not None and response.ok, f"{url} answered {response and response.status}"


# Small JavaScript helpers shared by the checks; installed on each page as window.__a11y.
_HELPERS_JS = r"""
(() => {
  if (window.__a11y) return;
  const describe = (el) => {
    if (!el || el === document.body) return 'body';
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    else if (el.classList.length) s += '.' + [...el.classList].join('.');
    if (el.tagName === 'INPUT' && el.type) s += `[type=${el.type}]`;
    let text = (el.getAttribute('aria-label') || (el.labels && el.labels[0] && el.labels[0].innerText)
                || el.innerText || el.getAttribute('alt') || el.value || '');
    text = String(text).replace(/\s+/g, ' ').trim();
    if (text) s += ` "${text.length > 40 ? text.slice(0, 39) + '…' : text}"`;
    return s;
  };
  const visible = (el) => el.checkVisibility({visibilityProperty: true, opacityProperty: true});
  const FOCUSABLE = 'a[href], area[href], button, input, select, textarea, summary, iframe, '
    + 'audio[controls], video[controls], [contenteditable]:not([contenteditable="false"]), [tabindex]';
  // What Tab should visit, in order: tabindex 0 (or natural) in DOM order, one stop per radio group.
  const tabbables = () => {
    const candidates = [...document.querySelectorAll(FOCUSABLE)].filter(el =>
      el.tabIndex >= 0 && !el.disabled && !el.closest('[inert]') && visible(el)
      && !(el.tagName === 'INPUT' && el.type === 'hidden')
      && !(el.tagName === 'SUMMARY' && el.parentElement.firstElementChild !== el));
    // A radio group is one Tab stop: its checked radio, or its first one.
    const stops = new Map();
    for (const el of candidates) {
      if (el.tagName !== 'INPUT' || el.type !== 'radio' || !el.name) continue;
      const key = `${el.form ? [...document.forms].indexOf(el.form) : -1}/${el.name}`;
      if (!stops.has(key) || (el.checked && !stops.get(key).checked)) stops.set(key, el);
      el.__radioGroup = key;
    }
    return candidates.filter(el => !el.__radioGroup || stops.get(el.__radioGroup) === el);
  };
  const rgba = (text) => {
    const m = text.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const luminance = (c) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const contrast = (a, b) => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const background = (el) => {
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      const c = rgba(getComputedStyle(node).backgroundColor);
      if (c && c.a > 0.5) return c;
    }
    return {r: 255, g: 255, b: 255, a: 1};
  };
  // An ancestor that scrolls or clips horizontally (html and body pass theirs on to the window).
  const horizontalContainer = (el) => {
    for (let node = el.parentElement; node && node !== document.body; node = node.parentElement) {
      if (getComputedStyle(node).overflowX !== 'visible') return node;
    }
    return null;
  };
  window.__a11y = {describe, visible, tabbables, rgba, contrast, background, horizontalContainer};
})();
"""


def _install_helpers(page) -> None:
    page.evaluate(_HELPERS_JS)


# -- axe-core ----------------------------------------------------------------------------------

@functools.cache
def axe_source() -> str:
    if not AXE_JS.is_file():
        pytest.fail(f"axe-core is missing at {AXE_JS}: {INSTALL_HINT}")
    return AXE_JS.read_text(encoding="utf-8")


_RUN_AXE_JS = """
async (options) => {
  const results = await axe.run(document, options);
  return results.violations.flatMap(v => v.nodes.map(n =>
    `${v.id}: ${n.target.join(' ')} (${v.help})`));
}
"""


def axe_violations(page, tags: list[str] | None = AXE_WCAG_TAGS,
                   rules: list[str] = ()) -> list[str]:
    """axe-core's violations on the open page: 'rule: selector (help)', one per element.

    The rules of `tags` run, and besides them the `rules` named (or only those, without tags).
    """
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    options = {"resultTypes": ["violations"]}
    if tags:
        options["runOnly"] = {"type": "tag", "values": tags}
        options["rules"] = {rule: {"enabled": True} for rule in rules}
    else:
        options["runOnly"] = {"type": "rule", "values": list(rules)}
    return page.evaluate(_RUN_AXE_JS, options)


# -- landmarks, headings, language --------------------------------------------------------------

_STRUCTURE_JS = r"""
() => {
  const {describe, visible} = window.__a11y;
  const problems = [];
  const lang = document.documentElement.getAttribute('lang') || '';
  if (!/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(lang))
    problems.push(`html lang is "${lang}", not a language tag`);
  const headings = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6, [role=heading]')]
    .filter(visible)
    .map(h => ({level: Number(h.getAttribute('aria-level') || h.tagName[1]),
                text: h.innerText.replace(/\s+/g, ' ').trim()}));
  const h1s = headings.filter(h => h.level === 1);
  if (h1s.length !== 1)
    problems.push(`${h1s.length} h1 headings, not one: ${JSON.stringify(h1s.map(h => h.text))}`);
  let previous = 0;
  for (const h of headings) {
    if (h.level > previous + 1)
      problems.push(`heading level skipped: h${h.level} "${h.text}" follows `
                    + (previous ? `h${previous}` : 'the start of the page'));
    previous = h.level;
  }
  const main = document.querySelectorAll('main, [role=main]');
  if (main.length !== 1) problems.push(`${main.length} main landmarks`);
  const top = (selector, role) => [...document.querySelectorAll(`${selector}, [role=${role}]`)]
    .filter(el => el.getAttribute('role') === role
                  || !el.parentElement.closest('article, aside, main, nav, section'));
  if (top('header', 'banner').length !== 1)
    problems.push('no single banner landmark (a top-level header)');
  if (top('footer', 'contentinfo').length !== 1)
    problems.push('no single contentinfo landmark (a top-level footer)');
  const first = window.__a11y.tabbables()[0];
  const target = first && first.hash && document.getElementById(decodeURIComponent(first.hash.slice(1)));
  if (!target || !(target.matches('main, [role=main]') || target.closest('main, [role=main]')))
    problems.push(`the first control is not a skip link to the main content: ${describe(first)}`);
  return problems;
}
"""


def structure_problems(page, with_axe: bool = True) -> list[str]:
    """lang, one h1, no skipped heading level, landmarks, a skip link first; with_axe: also
    axe's landmark rules (else the caller runs them, see axe_violations)."""
    _install_helpers(page)
    problems = page.evaluate(_STRUCTURE_JS)
    if with_axe:
        problems += axe_violations(page, tags=None, rules=AXE_LANDMARK_RULES)
    return problems


# -- keyboard ----------------------------------------------------------------------------------

_START_FOCUS_LOG_JS = r"""
() => {
  const a = window.__a11y;
  const expected = a.tabbables();
  const unfocused = new Map(expected.map(el => [el, getComputedStyle(el).boxShadow]));
  if (window.__focus) document.removeEventListener('focusin', window.__focus.listener, true);
  window.__focus = {expected, log: []};
  window.__focus.listener = (event) => {
    const el = event.target;
    const cs = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    const colours = [];
    if (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2)
      colours.push(a.rgba(cs.outlineColor));
    if (cs.boxShadow !== 'none' && cs.boxShadow !== unfocused.get(el))
      colours.push(a.rgba(cs.boxShadow));
    const behind = a.background(el.parentElement || el);
    const indicator = Math.max(0, ...colours.filter(Boolean).map(c => a.contrast(c, behind)));
    window.__focus.log.push({
      what: a.describe(el),
      indicator: Math.round(indicator * 100) / 100,
      inView: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0
        && r.top < innerHeight && r.left < innerWidth,
    });
  };
  document.addEventListener('focusin', window.__focus.listener, true);
  return expected.length;
}
"""

_UNREACHABLE_JS = r"""
() => {
  const a = window.__a11y;
  const tabbable = new Set(a.tabbables());
  const controls = 'a[href], button, input:not([type=hidden]), select, textarea, summary';
  return [...document.querySelectorAll(controls)]
    .filter(el => !el.disabled && a.visible(el) && !tabbable.has(el) && !(el.type === 'radio' && el.name))
    .filter(el => {  // drawn on the page, not moved off it or shrunk for screen readers only
      const r = el.getBoundingClientRect();
      const doc = document.documentElement;
      return r.width > 1 && r.height > 1 && r.right + scrollX > 0 && r.bottom + scrollY > 0
        && r.left + scrollX < doc.scrollWidth && r.top + scrollY < doc.scrollHeight;
    })
    .map(el => `shown but out of reach of Tab: ${a.describe(el)}`);
}
"""


def focus_visibility_problems(page) -> list[str]:
    """Every control on the open page can take focus and shows it (WCAG 2.4.7 and 1.4.11).

    Each control Tab would visit is focused in turn (as after a key press, so :focus-visible
    applies): it needs an outline of at least 2 px or a changed box-shadow whose colour has a
    contrast of at least 3:1 against what is behind it, and must be scrolled into view. Also: no
    positive tabindex, and no control shown on screen that Tab skips.
    """
    _install_helpers(page)
    problems = page.evaluate("() => [...document.querySelectorAll('[tabindex]')]"
                             ".filter(el => el.tabIndex > 0).map(el => 'positive tabindex: '"
                             " + window.__a11y.describe(el))")
    problems += page.evaluate(_UNREACHABLE_JS)
    page.evaluate(_START_FOCUS_LOG_JS)
    log, expected = page.evaluate("""() => {
        for (const el of window.__focus.expected) el.focus({focusVisible: true});
        document.activeElement.blur();
        window.scrollTo(0, 0);
        return [window.__focus.log, window.__focus.expected.map(window.__a11y.describe)]; }""")
    problems += [f"cannot take focus: {what}"
                 for what in missing_words(expected, [entry["what"] for entry in log])]
    for entry in log:
        if entry["indicator"] < 3:
            problems.append(f"no visible focus (contrast {entry['indicator']}): {entry['what']}")
        if not entry["inView"]:
            problems.append(f"focused but not in view: {entry['what']}")
    return problems


def tab_order_problems(page) -> list[str]:
    """Tab through the freshly loaded page: it visits every control, in reading (DOM) order.
    Then, after a reload, the skip link: the first Tab shows it, Enter moves focus to the main
    content and the next Tab goes on from there."""
    _install_helpers(page)
    count = page.evaluate(_START_FOCUS_LOG_JS)
    for _ in range(count + 1):  # one more: after the last control, focus leaves or starts over
        page.keyboard.press("Tab")
    visited = [entry["what"] for entry in page.evaluate("() => window.__focus.log")]
    expected = page.evaluate("() => window.__focus.expected.map(window.__a11y.describe)")
    if expected and len(visited) == count + 1 and visited[-1] == expected[0]:
        visited.pop()
    problems = []
    if visited != expected:
        problems.append(f"focus order differs from the reading order: expected {expected}, "
                        f"Tab visited {visited}")
    return problems + skip_link_problems(page)


def skip_link_problems(page) -> list[str]:
    """From a freshly loaded page: the first Tab shows the skip link, Enter moves focus to its
    target and the next Tab goes on from there."""
    page.reload(wait_until="load")
    _install_helpers(page)
    page.keyboard.press("Tab")
    link = page.evaluate("""() => { const el = document.activeElement;
        const r = el.getBoundingClientRect();
        return {what: window.__a11y.describe(el), hash: el.hash || '',
                shown: r.width > 1 && r.height > 1 && r.top >= 0 && r.left >= 0
                       && r.bottom <= innerHeight}; }""")
    if not link["hash"]:
        return [f"the first Tab stop is not a skip link: {link['what']}"]
    problems = [] if link["shown"] else [f"the skip link is not visible when focused: {link['what']}"]
    page.keyboard.press("Enter")
    after = page.evaluate("""(hash) => {
        const target = document.getElementById(decodeURIComponent(hash.slice(1)));
        const focused = document.activeElement;
        const next = window.__a11y.tabbables().find(el =>
            target.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
        return {onTarget: focused === target, target: window.__a11y.describe(target),
                focused: window.__a11y.describe(focused), next: window.__a11y.describe(next)}; }""",
                          link["hash"])
    if not after["onTarget"]:
        problems.append(f"the skip link leaves focus on {after['focused']}, not {after['target']}")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => window.__a11y.describe(document.activeElement)")
    if focused != after["next"]:
        problems.append(f"after the skip link, Tab goes to {focused}, not {after['next']}")
    return problems


_DISCLOSURES_JS = r"""
() => [...document.querySelectorAll('details > summary:first-of-type, [aria-expanded]')]
  .filter(el => window.__a11y.visible(el))
  .map((el, index) => { el.dataset.a11yDisclosure = index; return index; })
"""

_DISCLOSURE_STATE_JS = r"""
(index) => {
  const el = document.querySelector(`[data-a11y-disclosure="${index}"]`);
  const details = el.tagName === 'SUMMARY' ? el.parentElement : null;
  const controlled = el.getAttribute('aria-controls');
  const target = controlled && document.getElementById(controlled);
  return {
    what: window.__a11y.describe(el),
    open: details ? details.open : el.getAttribute('aria-expanded') === 'true',
    shown: target ? window.__a11y.visible(target) : null,
    focused: document.activeElement === el,
  };
}
"""


def disclosure_problems(page) -> list[str]:
    """Every disclosure (details/summary, or a control with aria-expanded) opens and closes from
    the keyboard: Enter toggles it, Space toggles it back, and what it controls shows and hides."""
    _install_helpers(page)
    problems = []
    page.keyboard.press("Tab")  # keyboard use from here on, as a reader who tabs to the widget
    for index in page.evaluate(_DISCLOSURES_JS):
        page.evaluate("(i) => document.querySelector(`[data-a11y-disclosure=\"${i}\"]`).focus()",
                      index)
        before = page.evaluate(_DISCLOSURE_STATE_JS, index)
        if not before["focused"]:
            problems.append(f"disclosure cannot take focus: {before['what']}")
            continue
        for key in ("Enter", "Space"):
            page.keyboard.press(key)
            after = page.evaluate(_DISCLOSURE_STATE_JS, index)
            if after["open"] == before["open"]:
                problems.append(f"{key} does not open or close: {before['what']}")
            elif after["shown"] is not None and after["shown"] != after["open"]:
                problems.append(f"{key} changes aria-expanded but not what it controls: "
                                f"{before['what']}")
            before = after
    return problems


# -- reflow and zoom ---------------------------------------------------------------------------

_WORDS_JS = "() => document.body.innerText.split(/\\s+/).filter(Boolean)"

_LAYOUT_JS = r"""
() => {
  const a = window.__a11y;
  const problems = [];
  const doc = document.documentElement;
  const width = doc.clientWidth;
  if (doc.scrollWidth > width + 1)
    problems.push(`the page scrolls sideways: ${doc.scrollWidth} px of content in ${width} px`);
  const tiny = (r) => r.width <= 1 || r.height <= 1;  // visually hidden text for screen readers
  const boxes = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (!a.visible(el)) continue;
    const r = el.getBoundingClientRect();
    if (tiny(r)) continue;
    const cs = getComputedStyle(el);
    const container = a.horizontalContainer(el);
    // Out of the window sideways, and not inside a box of its own that scrolls.
    if ((r.right > width + 1 || r.left < -1) && !container && cs.position !== 'fixed') {
      const parent = el.parentElement.getBoundingClientRect();
      if (el.parentElement === document.body || (parent.right <= width + 1 && parent.left >= -1))
        problems.push(`sticks out of the ${width} px window: ${a.describe(el)}`);
    }
    // Content cut off by a box that does not scroll.
    const clips = ['hidden', 'clip'];
    if ((clips.includes(cs.overflowX) && el.scrollWidth > el.clientWidth + 1)
        || (clips.includes(cs.overflowY) && el.scrollHeight > el.clientHeight + 1))
      problems.push(`content cut off: ${a.describe(el)}`);
    if (cs.textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth + 1)
      problems.push(`text cut off with an ellipsis: ${a.describe(el)}`);
  }
  // Text drawn over other text.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.data.trim() || !node.parentElement || !a.visible(node.parentElement)) continue;
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) if (!tiny(r)) boxes.push({r, node});
  }
  boxes.sort((p, q) => p.r.top - q.r.top);
  const reported = new Set();
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length && boxes[j].r.top < boxes[i].r.bottom; j++) {
      const p = boxes[i], q = boxes[j];
      if (p.node === q.node) continue;
      const w = Math.min(p.r.right, q.r.right) - Math.max(p.r.left, q.r.left);
      const h = Math.min(p.r.bottom, q.r.bottom) - Math.max(p.r.top, q.r.top);
      const smaller = Math.min(p.r.width * p.r.height, q.r.width * q.r.height);
      if (w > 0 && h > 0 && w * h > 0.3 * smaller) {
        const key = a.describe(p.node.parentElement) + ' / ' + a.describe(q.node.parentElement);
        if (!reported.has(key)) { reported.add(key); problems.push(`text overlaps text: ${key}`); }
      }
    }
  }
  return problems;
}
"""


def layout_problems(page) -> list[str]:
    """Nothing lost at the current size: no sideways page scroll, nothing sticking out of the
    window outside a box that scrolls on its own, nothing cut off, no text over other text."""
    _install_helpers(page)
    return page.evaluate(_LAYOUT_JS)


def visible_words(page) -> list[str]:
    return page.evaluate(_WORDS_JS)


def missing_words(before: list[str], after: list[str]) -> list[str]:
    """Words shown before and no longer shown after (a multiset difference)."""
    remaining = list(after)
    missing = []
    for word in before:
        if word in remaining:
            remaining.remove(word)
        else:
            missing.append(word)
    return missing


_FONT_SIZES_JS = r"""
() => {
  const sizes = {};
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.data.trim() || !el || !window.__a11y.visible(el)) continue;
    sizes[window.__a11y.describe(el)] = parseFloat(getComputedStyle(el).fontSize);
  }
  return sizes;
}
"""


def font_sizes(page) -> dict[str, float]:
    _install_helpers(page)
    return page.evaluate(_FONT_SIZES_JS)


def set_text_size(cdp, percent: int) -> None:
    """The browser's own text size setting (chrome://settings/fonts), as a reader changes it."""
    cdp.send("Page.setFontSizes", {"fontSizes": {"standard": round(16 * percent / 100),
                                                 "fixed": round(13 * percent / 100)}})


# -- print -------------------------------------------------------------------------------------

_PRINT_JS = r"""
() => {
  const a = window.__a11y;
  const problems = [];
  const paper = {r: 255, g: 255, b: 255, a: 1};
  const shown = (el) => a.visible(el);
  for (const el of document.querySelectorAll('nav, [role=navigation], form, input:not([type=hidden]), '
                                             + 'textarea, select, button, .skip-link'))
    if (shown(el)) problems.push(`printed, but only useful on screen: ${a.describe(el)}`);
  const main = document.querySelector('main');
  if (!main || !shown(main)) problems.push('the main content is not printed');
  for (const el of document.querySelectorAll('a[href]')) {
    if (!shown(el) || el.closest('header, [role=banner]')) continue;
    const href = el.getAttribute('href');
    if (href.startsWith('#')) continue;
    const text = el.innerText;
    if (href.startsWith('mailto:') && text.includes(href.slice(7))) continue;
    if (href.startsWith('tel:') && text.replace(/\D/g, '') === href.slice(4).replace(/\D/g, '')) continue;
    const after = getComputedStyle(el, '::after').content;
    if (!after.includes(href)) problems.push(`link target not printed: ${a.describe(el)} -> ${href}`);
  }
  // Paper does not scroll: a box that scrolls on screen must show all of its content.
  for (const el of document.body.querySelectorAll('*')) {
    const cs = getComputedStyle(el);
    if (shown(el) && ['auto', 'scroll'].includes(cs.overflowX) && el.scrollWidth > el.clientWidth + 1)
      problems.push(`cut off on paper (${el.scrollWidth} px in ${el.clientWidth} px): ${a.describe(el)}`);
  }
  // Browsers leave backgrounds out when printing: text must read on white paper.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const reported = new Set();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.data.trim() || !el || !shown(el) || reported.has(el)) continue;
    const c = a.rgba(getComputedStyle(el).color);
    if (a.contrast(c, paper) < 4.5) {
      reported.add(el);
      problems.push(`text too light for paper: ${a.describe(el)}`);
    }
  }
  return problems;
}
"""


def print_problems(page) -> list[str]:
    """Printed (emulated print media): no navigation, form or skip link; the main content with
    link targets written out; dark text; and nothing cut off at the width of A4 paper."""
    _install_helpers(page)
    problems = page.evaluate(_PRINT_JS)
    problems += [p for p in page.evaluate(_LAYOUT_JS) if not p.startswith("text overlaps")]
    return problems


# -- motion ------------------------------------------------------------------------------------

_MOTION_JS = r"""
() => {
  const a = window.__a11y;
  // A probe with motion of its own proves the stylesheet's reduced-motion rule reaches everything.
  const probe = document.createElement('div');
  probe.className = 'a11y-motion-probe';
  probe.style.cssText = 'transition: opacity 2s; animation: a11y-probe 2s infinite; scroll-behavior: smooth';
  document.body.append(probe);
  const problems = [];
  const seconds = (list) => Math.max(...list.split(',').map(
    t => parseFloat(t) * (t.trim().endsWith('ms') ? 0.001 : 1)));
  for (const el of [document.documentElement, ...document.body.querySelectorAll('*')]) {
    for (const pseudo of [null, '::before', '::after']) {
      const cs = getComputedStyle(el, pseudo);
      const what = a.describe(el) + (pseudo || '');
      if (cs.animationName !== 'none' && seconds(cs.animationDuration) > 0.01
          && cs.animationIterationCount !== '0')
        problems.push(`animates: ${what}`);
      if (seconds(cs.transitionDuration) > 0.01) problems.push(`transitions: ${what}`);
      if (!pseudo && cs.scrollBehavior === 'smooth') problems.push(`scrolls smoothly: ${what}`);
    }
  }
  probe.remove();
  return problems;
}
"""


def motion_problems(page) -> list[str]:
    """Under prefers-reduced-motion: reduce, nothing animates, transitions or scrolls smoothly."""
    _install_helpers(page)
    return page.evaluate(_MOTION_JS)


# -- the Nu Html Checker -----------------------------------------------------------------------

def vnu_errors(*folders: Path, relative_to: Path | None = None) -> list[str]:
    """The Nu Html Checker's errors for every HTML file under `folders`, in one JVM call:
    'path.html:line: error: message', the path relative to its folder (or to `relative_to`)."""
    java = shutil.which("java")
    if java is None:
        pytest.fail(f"java is missing: {INSTALL_HINT}")
    if not VNU_JAR.is_file():
        pytest.fail(f"the Nu Html Checker is missing at {VNU_JAR}: {INSTALL_HINT}")
    run = subprocess.run(
        # The quick compiler only halves the JVM's work for a run this short; its deeper stack
        # frames need a larger stack than the checker's default.
        [java, "-Xss16m", "-XX:TieredStopAtLevel=1", "-jar", str(VNU_JAR), "--errors-only",
         "--skip-non-html", "--format", "json", "--stdout", *[f"{folder}/" for folder in folders]],
        capture_output=True, text=True, timeout=300, check=False)
    try:
        messages = json.loads(run.stdout)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"the Nu Html Checker failed (exit {run.returncode}): {run.stdout} {run.stderr}")
    if run.returncode not in (0, 1) or (run.returncode == 1 and not messages):
        pytest.fail(f"the Nu Html Checker failed (exit {run.returncode}): {run.stderr}")
    errors = []
    resolved = [Path(relative_to).resolve()] if relative_to else [Path(f).resolve() for f in folders]
    for message in messages:
        where = Path(unquote(urlsplit(message.get("url", "")).path)).resolve()
        for folder in resolved:
            if where.is_relative_to(folder):
                where = where.relative_to(folder)
                break
        line = message.get("lastLine", "?")
        errors.append(f"{where.as_posix()}:{line}: {message['type']}: {message['message']}")
    return errors
