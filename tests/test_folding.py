"""Template calls with a constant text are made when the template is compiled, and give what
the call would have given on every page."""

import shutil
from pathlib import Path

import jinja2
import pytest

from insyn.folding import folded_key
from insyn.options import CACHE_FOLDER
from insyn.render import constant_folds, make_environment

from .conftest import SUB_PATH_URL, build_project

WORDS = {"Search": "Sök", "Questions & answers": "Frågor & svar", "Up %% to": "Upp %% till",
         "Half %": "Halva %"}


def environment(templates: Path, *, folded: bool, base_path: str = "/trygghet/",
                cache: Path | None = None, words: dict[str, str] = WORDS) -> jinja2.Environment:
    def url(path: str) -> str:
        return base_path + path
    folds = constant_folds("sv", url) if folded else None
    env = make_environment(templates, cache, folds=folds, variant="sv",
                           folded=folded_key(base_path, sorted(words.items())))
    env.install_gettext_callables(gettext=lambda m: words.get(m, m),
                                  ngettext=lambda s, p, n: s if n == 1 else p, newstyle=True)
    env.globals["url"] = url
    return env


@pytest.fixture
def templates(tmp_path: Path, monkeypatch) -> Path:
    # The folds translate with the tool's catalogue: these tests use their own words.
    monkeypatch.setattr("insyn.render.translate", lambda message, language: WORDS.get(message,
                                                                                      message))
    folder = tmp_path / "templates"
    folder.mkdir()
    return folder


def write(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(text, encoding="utf-8")


def test_folded_words_and_links_are_what_the_calls_give(templates):
    write(templates, "page.html",
          '<a href="{{ url(\'sok/\') }}">{{ _("Search") }}</a>|{{ _("Questions & answers") }}|'
          '{% trans %}Up % to{% endtrans %}|{{ _("Search") ~ "<b>" }}|{{ url(page) }}|'
          '{{ _("Search") | upper }}|{{ _("Search", n=1) }}')
    write(templates, "feed.txt", '{{ _("Questions & answers") }}|{{ url("a&b") }}')
    for name in ("page.html", "feed.txt"):
        plain = environment(templates, folded=False).get_template(name).render(page="x/")
        folded = environment(templates, folded=True).get_template(name).render(page="x/")
        assert folded == plain
    page = environment(templates, folded=True).get_template("page.html").render(page="x/")
    assert page.startswith('<a href="/trygghet/sok/">Sök</a>|Frågor & svar|Upp % till|Sök&lt;b&gt;')


def test_the_calls_are_gone_from_the_compiled_template(templates):
    write(templates, "page.html", '<a href="{{ url(\'sok/\') }}">{{ _("Search") }}</a>')
    env = environment(templates, folded=True)
    code = env.compile((templates / "page.html").read_text(), "page.html", raw=True)
    assert "'<a href=\"/trygghet/sok/\">Sök</a>'" in code
    assert "context.call" not in code


def test_a_template_that_names_its_own_url_or_underscore_keeps_its_calls(templates):
    write(templates, "page.html",
          "{% macro link(url) %}{{ url('x') }}{% endmacro %}{{ link(upper) }}"
          "{% set _ = lower %}{{ _('Search') }}")
    env = environment(templates, folded=True)
    assert env.get_template("page.html").render(upper=str.upper, lower=str.lower) == "Xsearch"


def test_a_call_that_fails_fails_when_the_page_is_made_as_before(templates):
    write(templates, "page.html", '{{ _("Half %") }}')
    for folded in (False, True):
        with pytest.raises(ValueError):
            environment(templates, folded=folded).get_template("page.html").render()


def test_kept_compiled_templates_are_not_reused_for_another_base_path_or_translation(
        templates, tmp_path, monkeypatch):
    write(templates, "page.html", '<a href="{{ url(\'sok/\') }}">{{ _("Search") }}</a>')
    cache = tmp_path / "compiled"

    def render(**options) -> str:
        return environment(templates, folded=True, cache=cache, **options
                           ).get_template("page.html").render()
    assert render() == '<a href="/trygghet/sok/">Sök</a>'
    assert render() == '<a href="/trygghet/sok/">Sök</a>'  # from the kept compiled template
    assert render(base_path="/") == '<a href="/sok/">Sök</a>'
    other = {"Search": "Hitta"}
    monkeypatch.setattr("insyn.render.translate", lambda message, language: other.get(message))
    assert render(words=other) == '<a href="/trygghet/sok/">Hitta</a>'


def test_the_example_site_is_the_same_built_with_folded_calls_or_without(
        project, tmp_path, monkeypatch):
    build_project(project, tmp_path / "folded", base_url=SUB_PATH_URL)
    shutil.rmtree(project / CACHE_FOLDER / "templates")
    # Without the folded calls, and with Jinja's own escaping too (see render.PageTemplate).
    monkeypatch.setattr("insyn.render.constant_folds", lambda language, url: {})
    monkeypatch.setattr("insyn.render.PageEnvironment.template_class", jinja2.Template)
    build_project(project, tmp_path / "called", base_url=SUB_PATH_URL, quick=False)
    folded, called = (sorted(p.relative_to(tmp_path / name) for p in (tmp_path / name).rglob("*")
                             if p.is_file()) for name in ("folded", "called"))
    assert folded == called
    assert any(path.parts[0] == "en" for path in folded)  # the English pages too
    for path in folded:
        assert (tmp_path / "folded" / path).read_bytes() == (tmp_path / "called" / path
                                                             ).read_bytes(), path
