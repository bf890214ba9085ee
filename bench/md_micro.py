#!/usr/bin/env python3
"""Micro-benchmark: markdown-it-py against markdown-it-pyrs on the synthetic pages.

Runs inside bench/.venv, where both are installed (never in the project):

    bench/.venv/bin/python bench/md_micro.py [--pages 1000] [--repeat 5]

Both are configured as insyn configures markdown-it-py: CommonMark, tables on, raw HTML off.
Also times insyn's own `insyn.markdown.render_markdown` from the working tree, with its link
handling (it uses markdown-it-pyrs itself when that is installed, as in bench/.venv).
Reports the median time to render all pages, the speed-up, and how many pages came out
byte-identical.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import sitegen

COMMONMARK_WITHOUT_HTML = [
    "blockquote", "code", "fence", "heading", "hr", "lheading", "list", "paragraph", "reference",
    "autolink", "backticks", "emphasis", "entity", "escape", "image", "link", "newline", "table",
]


def python_renderer() -> Callable[[str], str]:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")
    return md.render


def rust_renderer() -> Callable[[str], str]:
    from markdown_it_pyrs import MarkdownIt

    md = MarkdownIt("zero")
    md.enable_many(COMMONMARK_WITHOUT_HTML)
    return md.render


def insyn_renderer() -> Callable[[str], str]:
    """insyn's own path from the working tree: render, with site links rewritten and reported."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from insyn.markdown import render_markdown

    return lambda text: render_markdown(text, "/trygghet/", lambda href, line: None)


def time_all(render: Callable[[str], str], texts: list[str], repeat: int) -> list[float]:
    """Seconds to render every text, once per repetition."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        for text in texts:
            render(text)
        times.append(time.perf_counter() - started)
    return times


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    texts = [page.body for page in sitegen.make_pages(args.pages)]
    renderers = {"markdown-it-py": python_renderer(), "markdown-it-pyrs": rust_renderer(),
                 "insyn.markdown": insyn_renderer()}
    medians = {}
    for name, render in renderers.items():
        times = time_all(render, texts, args.repeat)
        medians[name] = statistics.median(times)
        print(f"{name:<17} {medians[name]:7.3f} s for {len(texts)} pages "
              f"({medians[name] / len(texts) * 1000:.2f} ms a page; min {min(times):.3f} s, "
              f"max {max(times):.3f} s)")
    py, rs = renderers["markdown-it-py"], renderers["markdown-it-pyrs"]
    same = sum(py(text) == rs(text) for text in texts)
    print(f"speed-up of markdown-it-pyrs: {medians['markdown-it-py'] / medians['markdown-it-pyrs']:.1f}x "
          f"over markdown-it-py, {medians['insyn.markdown'] / medians['markdown-it-pyrs']:.1f}x over "
          f"insyn.markdown; identical HTML (pyrs vs py) for {same} of {len(texts)} pages")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
