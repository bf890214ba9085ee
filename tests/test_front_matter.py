"""Simple front matter (`key: value` lines) is read without the YAML parser on large sites:
it must give exactly what the parser gives, and leave everything else to the parser."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from insyn.errors import InputErrors
from insyn.sources import SourceFile, load_markdown_file, parse_yaml, simple_front_matter


def parsed(front: str):
    try:
        return parse_yaml(front, SourceFile(path=None, rel="content/x.md", data=None), 1)
    except InputErrors:
        return "error"


SIMPLE = [
    "title: Trygghet i Lidköping\n",
    'title: "Mål: trygghet"\nsummary: \'Så #1 arbetar vi\'\n',
    "published: 2026-01-05\nreviewed: 2026-11-25\n",
    "order: 30\nexample_data: true\nfeedback: False\n",
    "title: Han sa \"hej\" och gick\nowner: C# och 10 000 kr\n",
    "title: https://polisen.se/lokalt\n",
    "title: yes\nsummary: no\nowner: on\n",  # YAML 1.2: text, as the loader reads them
    "title: 007\nsummary: 1e3x\n",
    "title:    mellanslag   \n",
    'title: ""\n',
    "published: 2026-1-5\n",  # text: a date has two-digit months and days
]

NOT_SIMPLE = [
    "",  # no front matter at all: the parser's case
    "title: Mål: trygghet\n",  # an error: the parser explains it
    "title: a # comment\n",
    "title: a\ntitle: b\n",  # written twice: an error
    "published: 2026-02-30\n",  # no such day: an error
    "published: 2026-01-05 10:00:00\n",
    "order: 3.5\n",
    "order: -1\n",
    "owner: null\nsummary: ~\n",
    "menu:\n  title: EST\n",
    "summary: >-\n  Lång text\n",
    "tags: [a, b]\n",
    "title: 'it''s'\n",
    'title: "a\\"b"\n',
    "title: &x a\n",
    "title: a\r\n",
    "title:\tx\n",
    "title: a\u00a0b\n",  # printable for YAML, not for str.isprintable: left to the parser
    "# a comment\ntitle: a\n",
    "true: a\n",
    "title: a:\n",
    "title: -a\n",
    "x" * 300 + ": a\n",
]


@pytest.mark.parametrize("front", SIMPLE)
def test_simple_front_matter_reads_as_the_parser_reads_it(front):
    assert simple_front_matter(front) is not None
    assert simple_front_matter(front) == parsed(front)


@pytest.mark.parametrize("front", NOT_SIMPLE)
def test_anything_else_is_left_to_the_parser(front):
    assert simple_front_matter(front) is None


def test_values_keep_their_types():
    assert simple_front_matter("published: 2026-01-05\norder: 30\nflag: true\n") == {
        "published": dt.date(2026, 1, 5), "order": 30, "flag": True}


VALUE = st.one_of(
    st.text(alphabet=st.sampled_from(list("aåZ09 -:")), max_size=12),
    st.from_regex(r"[0-9]{1,4}(-[0-9]{1,2}){0,2}", fullmatch=True),
    st.sampled_from(["true", "True", "false", "null", "~", "yes", "07", "1e3", "-1", "+1", "3.5",
                     "2026-02-29", "2024-02-29"]),
    st.text(alphabet=st.sampled_from(list("aå0-:#'\"\\ &*!|>{}[],.%@`~?=<\t\u00a0\r")),
            max_size=10),
)
LINE = st.tuples(
    st.sampled_from(["title", "published", "order", "true", "null", "a_b", "x"]),
    st.sampled_from([": ", ":  ", ":", ": '", ': "']),
    VALUE,
    st.sampled_from(["", "", "'", '"', " ", "  # c"]),
).map(lambda parts: "".join(parts) + "\n")


@settings(max_examples=600, deadline=None)
@given(st.lists(LINE, max_size=4))
def test_whatever_simple_front_matter_accepts_equals_the_parser(lines):
    front = "".join(lines)
    simple = simple_front_matter(front)
    if simple is not None:
        assert simple == parsed(front)


LIKELY_SIMPLE = st.tuples(
    st.sampled_from(["title", "published", "order", "a_b"]),
    st.sampled_from([": ", ":   "]),
    st.one_of(VALUE, VALUE.map(lambda v: f'"{v}"'), VALUE.map(lambda v: f"'{v}'")),
).map(lambda parts: "".join(parts) + "\n")


@settings(max_examples=600, deadline=None)
@given(st.lists(LIKELY_SIMPLE, min_size=1, max_size=3))
def test_lines_of_plain_quoted_and_typed_values_read_as_the_parser_reads_them(lines):
    front = "".join(lines)
    simple = simple_front_matter(front)
    if simple is not None:
        assert simple == parsed(front)


def test_a_large_sites_page_read_without_the_parser_still_places_its_values(tmp_path):
    page = tmp_path / "content" / "sida.md"
    page.parent.mkdir()
    page.write_text("---\ntitle: Sida\npublished: 2026-01-05\n---\nText.\n", encoding="utf-8")
    fast = load_markdown_file(page, tmp_path, positions=False)
    exact = load_markdown_file(page, tmp_path)
    assert fast.data == exact.data and fast.digest == exact.digest
    assert fast.body == exact.body and fast.body_line == exact.body_line
    assert fast.position(("published",)) == exact.position(("published",)) == (3, 12)


def test_on_a_large_site_a_wrong_value_is_still_placed_on_its_line(tmp_path):
    from insyn.models import validate_project
    from insyn.sources import PARALLEL_LOAD_FROM, load_project

    (tmp_path / "content").mkdir()
    for n in range(PARALLEL_LOAD_FROM + 5):
        published = "snart" if n == 7 else "2026-01-05"
        (tmp_path / "content" / f"sida-{n}.md").write_text(
            f"---\ntitle: Sida {n}\npublished: {published}\nsummary: Om sidan.\n---\nText.\n",
            encoding="utf-8")
    sources, _ = load_project(tmp_path)  # (without data/site.yaml: not what is tested here)
    _, errors = validate_project(sources)
    wrong = [e for e in errors if e.path == "content/sida-7.md"]
    assert len(wrong) == 1 and (wrong[0].line, wrong[0].column) == (3, 12), wrong
