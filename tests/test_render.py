"""RENDER: Swedish dates, numbers and sizes; Markdown links under the base path."""

import datetime as dt

import jinja2
from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st

from insyn.markdown import render_markdown
from insyn.render import WatchedSite, format_date, format_month, format_number, format_size


def test_dates_read_as_swedish_residents_write_them():
    assert format_date(dt.date(2026, 11, 24)) == "24 november 2026"
    assert format_date(dt.date(2021, 3, 1), "en") == "1 March 2021"
    assert format_month("2024-03") == "mars 2024"


def test_sizes_use_a_decimal_comma_like_the_model_page():
    assert format_size(337_400) == "337,4 kB"
    assert format_size(173_449) == "173,4 kB"
    assert format_size(2_500_000) == "2,5 MB"
    assert format_size(812) == "812 byte"


def test_numbers_use_decimal_comma_and_space_between_thousands():
    assert format_number(61.5) == "61,5"
    assert format_number(12345) == "12\u00a0345"


@given(st.one_of(st.integers(-10**9, 10**9), st.floats(-1e9, 1e9, allow_nan=False)),
       st.sampled_from([None, 0, 1, 2]), st.sampled_from(["sv", "en"]))
def test_a_number_formats_as_babel_formats_it_however_often_it_comes(value, decimals, language):
    places = decimals if decimals is not None else 0 if float(value).is_integer() else 1
    pattern = "#,##0" + ("." + "0" * places if places else "")
    expected = format_decimal(value, pattern, locale=language)
    assert format_number(value, decimals, language) == expected
    assert format_number(value, decimals, language) == expected  # the kept text


def test_zero_and_minus_zero_and_an_int_and_its_float_are_kept_apart():
    assert [format_number(v, 1) for v in (0.0, -0.0, 0.0)] == ["0,0", "-0,0", "0,0"]
    assert format_number(2) == "2" and format_number(2.5) == "2,5"


def test_site_links_in_markdown_get_the_sub_path_and_are_reported():
    seen = []
    html = render_markdown("Se [löftet](/medborgarloften/2021/) och [Polisen](https://polisen.se).",
                           "/trygghet/", lambda href, line: seen.append(href))
    assert 'href="/trygghet/medborgarloften/2021/"' in html
    assert 'href="https://polisen.se"' in html
    assert seen == ["/medborgarloften/2021/"]


def test_raw_html_in_markdown_is_shown_as_text_not_run():
    html = render_markdown("<script>alert(1)</script>")
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_tables_scroll_in_their_own_box():
    html = render_markdown("| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert html.startswith('<div class="table-scroll"')
    assert "<td>1</td>" in html


def test_templates_call_functions_methods_and_context_functions_alike():
    class Shouting:
        def __call__(self, text):
            return text.upper()

    @jinja2.pass_context
    def from_context(context, name):
        return context[name]

    def stops(text):
        raise StopIteration

    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    env.context_class = WatchedSite(site=None).context_class()  # the pages' own context
    template = env.from_string(
        "{{ plain('a') }}|{{ text.upper() }}|{{ shout('b') }}|{{ from_context('text') }}|"
        "{% for x in [1] %}{{ plain(x ~ 'c') }}{% endfor %}|{{ stops('d') is undefined }}")
    assert template.render(plain=lambda s: s * 2, text="t", shout=Shouting(),
                           from_context=from_context, stops=stops) == "aa|T|B|t|1c1c|True"


def test_the_pages_escape_values_as_jinja_does():
    from markupsafe import Markup, escape

    from insyn.i18n import Term
    from insyn.render import _escape

    class Html:
        def __html__(self):
            return "<b>ok</b>"

    for value in ['<a href="x">Tom & Jerry\'s</a>', "", "åäö", Markup("<i>safe</i>"), 42, None,
                  Term("<term>"), Html()]:
        assert _escape(value) == escape(value)
        assert type(_escape(value)) is Markup
