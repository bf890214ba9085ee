"""One configured Markdown renderer: CommonMark with tables, raw HTML off, site links under the base path.

markdown-it-pyrs (the Rust implementation of the same markdown-it family) renders byte-identical
HTML about ten times faster, so it is used when installed; markdown-it-py is the reference and
the fallback, and a test holds the two to the same output for the example site.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Collection
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

try:  # the fast path; optional
    import markdown_it_pyrs
except ImportError:  # pragma: no cover - depends on the platform's wheels
    markdown_it_pyrs = None

RULES = ["blockquote", "code", "fence", "heading", "hr", "lheading", "list", "paragraph",
         "reference", "autolink", "backticks", "emphasis", "entity", "escape", "image", "link",
         "newline", "table"]
"""CommonMark without raw HTML, plus tables: the same set in both implementations."""

TABLE_OPEN = '<div class="table-scroll" tabindex="0">\n<table>\n'
TABLE_CLOSE = "</table>\n</div>\n"
"""Wide tables scroll inside their own box, so the page never scrolls sideways on a phone."""

_LINK = re.compile(r'<a href="(/(?!/)[^"]*)"')


def is_site_path(href: str) -> bool:
    return href.startswith("/") and not href.startswith("//")


def leads_somewhere(href: str, known_paths: Collection[str], static: Path) -> bool:
    """Does a site link (/x/y/) lead to a page or file of the site, or to a static file?"""
    target = href[1:].split("#", 1)[0].split("?", 1)[0]
    if target and not target.endswith("/") and f"{target}/" in known_paths:
        target += "/"
    return target in known_paths or (static / target).is_file()


@cache
def _reference() -> MarkdownIt:
    from markdown_it import MarkdownIt  # only where the fast path is missing, and in tests

    md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")
    md.renderer.rules["table_open"] = lambda *args: TABLE_OPEN
    md.renderer.rules["table_close"] = lambda *args: TABLE_CLOSE
    return md


@cache
def _fast():
    return markdown_it_pyrs.MarkdownIt("zero").enable_many(RULES) if markdown_it_pyrs else None


def render_reference(text: str, base_path: str = "/",
                     on_site_link: Callable[[str, int], None] | None = None) -> str:
    """markdown-it-py, walking the tokens: links to site paths get the base path."""
    md = _reference()
    env: dict = {}
    tokens = md.parse(text, env)
    for block in tokens:
        for token in block.children or ():
            if token.type != "link_open":
                continue
            href = str(token.attrGet("href") or "")
            if is_site_path(href):
                if on_site_link:
                    on_site_link(href, block.map[0] if block.map else 0)
                token.attrSet("href", base_path + href[1:])
    return md.renderer.render(tokens, md.options, env)


def _line_of(text: str, href: str) -> int:
    """The 0-based line where the link target is written (the fast renderer keeps no map)."""
    for written in (href, html.unescape(href)):
        found = text.find(written)
        if found >= 0:
            return text.count("\n", 0, found)
    return 0


def render_markdown(text: str, base_path: str = "/",
                    on_site_link: Callable[[str, int], None] | None = None) -> str:
    """Render Markdown to HTML; root-relative links (/medborgarloften/) get the base path.

    `on_site_link(href, line)` is called for every link to a path on the site, with the
    0-based line of the link in `text`, so the caller can check that the page exists.
    """
    fast = _fast()
    if fast is None:
        return render_reference(text, base_path, on_site_link)
    rendered = fast.render(text)

    def rebase(match: re.Match) -> str:
        href = match.group(1)
        if on_site_link:
            on_site_link(html.unescape(href), _line_of(text, href))
        return f'<a href="{base_path}{href[1:]}"'

    rendered = _LINK.sub(rebase, rendered)
    return rendered.replace("<table>\n", TABLE_OPEN).replace("</table>\n", TABLE_CLOSE)
