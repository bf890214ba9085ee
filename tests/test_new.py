"""`new`: skeletons in the right place, references filled in, never overwriting."""

import datetime as dt
import re

import pytest
import yaml

from insyn.errors import InputErrors
from insyn.models import validate_project
from insyn.new import make_skeleton, write_skeleton
from insyn.sources import load_project

from .conftest import build_project

TODAY = dt.date(2026, 11, 25)


def skeleton(project, kind, name):
    docs, _ = validate_project(load_project(project)[0])
    path = write_skeleton(project, make_skeleton(kind, name, docs, TODAY))
    return path, yaml.safe_load(path.read_text(encoding="utf-8").split("---")[-2]
                                if path.suffix == ".md" else path.read_text(encoding="utf-8"))


def check_errors(project):
    with pytest.raises(InputErrors) as caught:
        build_project(project, write=False)
    return caught.value.errors


def fill(path, replacements):
    text = path.read_text(encoding="utf-8")
    for pattern, value in replacements:
        text = re.sub(pattern, value, text, flags=re.M)
    path.write_text(text, encoding="utf-8")


def test_a_new_promise_names_the_agreement_that_covers_its_year(project):
    path, data = skeleton(project, "promise", "2027")
    assert path == project / "data/promises/2027.yaml"
    assert data["agreement"] == "samverkan-2024-2027"
    assert data["id"] == "medborgarlofte-2027"
    assert "unga-och-kriminalitet" in data["focus_areas"]
    assert path.read_text().startswith("# yaml-language-server: $schema=../../schemas/")
    errors = check_errors(project)
    assert {e.path for e in errors} == {"data/promises/2027.yaml"}
    assert all(e.text().endswith("is empty") for e in errors)
    fill(path, [(r"^summary:$", "summary: Kort."), (r"^focus:$", "focus: Fokus."),
                (r"^    how: .*$", "    how: Enkät"), (r"^    where:$", "    where: Lidköping"),
                (r"^    participants: .*$", "    participants: 10"),
                (r"^        text:$", "        text: Otryggt."), (r"^    text:$", "    text: Vi gör."),
                (r"^  - unga-och-kriminalitet.*$", "")])
    build_project(project, write=False)


def test_a_new_follow_up_lists_every_commitment_with_an_empty_status(project):
    path, data = skeleton(project, "follow-up", "2026")
    assert path == project / "data/follow-ups/uppfoljning-2026.yaml"
    assert data["promise"] == "medborgarlofte-2026"
    assert [o["commitment"] for o in data["outcomes"]] == [
        "tidiga-samtal", "foraldrar-sociala-medier", "grannsamverkan", "trygg-skolvag-anghagen"]
    assert all(o["status"] is None for o in data["outcomes"])
    messages = {(e.line, e.text()) for e in check_errors(project)}
    assert (13, "'status' is empty") in messages


@pytest.mark.parametrize("kind, name, where", [
    ("agreement", "samverkan-2028-2031", "data/agreements/samverkan-2028-2031.yaml"),
    ("est", "centrum", "data/est/centrum.yaml"),
    ("page", "om-est", "content/om-est.md"),
])
def test_other_kinds_land_in_their_folder(project, kind, name, where):
    path, data = skeleton(project, kind, name)
    assert path == project / where
    assert isinstance(data, dict)


def test_new_never_overwrites(project):
    before = (project / "data/promises/2026.yaml").read_bytes()
    with pytest.raises(InputErrors) as caught:
        skeleton(project, "promise", "2026")
    assert caught.value.errors[0].text() == "the file already exists"
    assert (project / "data/promises/2026.yaml").read_bytes() == before


def test_a_promise_for_a_year_no_agreement_covers_is_refused(project):
    with pytest.raises(InputErrors) as caught:
        skeleton(project, "promise", "2035")
    assert "no agreement covers the year 2035" in caught.value.errors[0].text()
