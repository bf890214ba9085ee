"""VALIDATE: a wrong value is reported at its place with what to write instead."""

from pathlib import Path

from insyn.models import Promise, SiteConfig, validate_source
from insyn.sources import SourceFile, parse_yaml

PROMISE = """\
id: medborgarlofte-2030
agreement: samverkan-2030
year: 2030
title: Medborgarlöfte 2030
summary: Kort.
focus: Fokus.
published: 2029-12-01
commitments:
  - id: c1
    text: Något vi lovar.
    responsible: [kommunen]
    due: 2030-12-31
"""


def errors_for(text: str, model=Promise):
    source = SourceFile(Path("data/promises/2030.yaml"), "data/promises/2030.yaml", None)
    source.data = parse_yaml(text, source)
    obj, errors = validate_source(source, model)
    return obj, errors


def test_a_valid_promise_validates():
    promise, errors = errors_for(PROMISE)
    assert errors == []
    assert promise.commitments[0].due.year == 2030


def test_misspelt_key_reports_unknown_field_and_missing_field():
    _, errors = errors_for(PROMISE.replace("summary:", "sumary:"))
    messages = {(e.line, e.text(), e.hint_text()) for e in errors}
    assert (5, "unknown field 'sumary'", "did you mean 'summary'?") in messages
    assert any(e.text() == "the field 'summary' is missing" for e in errors)


def test_a_text_where_a_date_belongs_says_what_a_date_looks_like():
    _, [error] = errors_for(PROMISE.replace("due: 2030-12-31", "due: i december"))
    assert (error.line, error.column) == (12, 10)
    assert error.text() == "expected a date like 2024-03-01, not 'i december'"


def test_an_id_with_capitals_is_explained():
    _, [error] = errors_for(PROMISE.replace("id: c1", "id: Åtagande 1"))
    assert error.line == 9
    assert "not a valid id" in error.text()
    assert "lower-case" in error.hint_text()


def test_language_must_be_one_of_the_supported():
    site = """\
site_name: S
organisation: {name: O}
language: de
base_url: https://example.se/
description: D
parties: [{id: kommunen, name: K}]
contact: {unit: U}
accessibility: {assessed: 2026-01-01, published: 2026-01-01, updated: 2026-01-01}
"""
    _, [error] = errors_for(site, SiteConfig)
    assert error.line == 3
    assert "'sv'" in error.hint_text() and "'en'" in error.hint_text()
