"""Issue 7, valid by standard: the Nu Html Checker finds no error in any generated HTML file.

One JVM call checks the whole example site; tests/test_planted_violations.py proves that an
invalid nesting planted in a template fails it.
"""

from __future__ import annotations

from .a11y import vnu_errors


def test_every_generated_html_file_passes_the_nu_html_checker(example_site):
    assert len(list(example_site.rglob("*.html"))) >= 20
    assert vnu_errors(example_site) == []
