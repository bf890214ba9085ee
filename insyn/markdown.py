"""One configured Markdown renderer: CommonMark with tables, raw HTML off, site links under the base path."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from markdown_it import MarkdownIt


def _is_site_path(href: str) -> bool:
    return href.startswith("/") and not href.startswith("//")


@lru_cache(maxsize=1)
def _renderer() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")
    md.renderer.rules["table_open"] = _wrap_table_open
    md.renderer.rules["table_close"] = _wrap_table_close
    return md


def _wrap_table_open(tokens, idx, options, env) -> str:
    # Wide tables scroll inside their own box, so the page never scrolls sideways on a phone.
    return '<div class="table-scroll" tabindex="0">\n<table>\n'


def _wrap_table_close(tokens, idx, options, env) -> str:
    return "</table>\n</div>\n"


def render_markdown(text: str, base_path: str = "/",
                    on_site_link: Callable[[str, int], None] | None = None) -> str:
    """Render Markdown to HTML; root-relative links (/medborgarloften/) get the base path.

    `on_site_link(href, line)` is called for every link to a path on the site, with the
    0-based line of the link in `text`, so the caller can check that the page exists.
    """
    md = _renderer()
    env: dict = {}
    tokens = md.parse(text, env)
    for block in tokens:
        for token in block.children or ():
            if token.type != "link_open":
                continue
            href = str(token.attrGet("href") or "")
            if _is_site_path(href):
                if on_site_link:
                    on_site_link(href, block.map[0] if block.map else 0)
                token.attrSet("href", base_path + href[1:])
    return md.renderer.render(tokens, md.options, env)
