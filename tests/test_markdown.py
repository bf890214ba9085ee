"""The fast Markdown renderer gives the same HTML as the reference for every example text."""

from pathlib import Path

import pytest
import yaml

from insyn import markdown
from insyn.markdown import render_markdown, render_reference

from .conftest import ROOT

MARKDOWN_FIELDS = ("purpose", "focus", "follow_up", "description")


def example_texts() -> list[tuple[str, str]]:
    texts = [(p.name, p.read_text(encoding="utf-8").split("---", 2)[2])
             for p in sorted((ROOT / "content").glob("*.md"))]
    for path in sorted((ROOT / "data").rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        texts += [(f"{path.name}:{field}", data[field]) for field in MARKDOWN_FIELDS
                  if isinstance(data, dict) and isinstance(data.get(field), str)]
    return texts


EDGE_CASES = [
    ("raw html", "<script>alert(1)</script>\n\n<b>fet</b> & <i>\n"),
    ("links", "[a](/x/) [b](//cdn.example) [c](https://x.se) [d](/a?b=1&c=2#d) [e][r]\n\n"
              "[r]: /medborgarloften/\n"),
    ("table", "| a | b |\n|---|:-:|\n| 1 | 2 |\n\n```\n<table>\n```\n"),
]


def test_the_fast_renderer_is_installed_here():
    assert markdown._fast() is not None


@pytest.mark.parametrize("name, text", example_texts() + EDGE_CASES)
def test_both_renderers_give_the_same_html_and_report_the_same_links(name, text):
    fast_links, reference_links = [], []
    fast = render_markdown(text, "/trygghet/", lambda h, line: fast_links.append(h))
    reference = render_reference(text, "/trygghet/", lambda h, line: reference_links.append(h))
    assert fast == reference
    assert fast_links == reference_links


def test_a_broken_link_is_reported_on_its_own_line_by_the_fast_renderer():
    lines = []
    render_markdown("Rad ett.\n\nRad tre med [länk](/saknas/).\n", "/", lambda h, n: lines.append(n))
    assert lines == [2]


def test_without_the_fast_renderer_the_reference_is_used(monkeypatch):
    monkeypatch.setattr(markdown, "_fast", lambda: None)
    assert render_markdown("[a](/b/)", "/x/") == '<p><a href="/x/b/">a</a></p>\n'
    assert Path(markdown.__file__).is_file()
