"""MODEL: references between files are checked, and the site knows what is current."""

import datetime as dt
import subprocess

import pytest

from insyn.errors import InputErrors
from insyn.sources import git_dates

from .conftest import build_project


def replace_in(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def build_errors(root, **options):
    with pytest.raises(InputErrors) as caught:
        build_project(root, write=False, **options)
    return caught.value.errors


def test_a_promise_naming_a_missing_agreement_suggests_the_existing_ones(project):
    replace_in(project / "data/promises/2022.yaml", "agreement: samverkan-2020-2023",
               "agreement: samverkan-2020-2032")
    [error] = build_errors(project)
    assert error.path == "data/promises/2022.yaml"
    assert error.text() == "the agreement 'samverkan-2020-2032' does not exist"
    assert "did you mean 'samverkan-2020-2023'?" in error.hint_text()
    assert error.text("sv") == "överenskommelsen 'samverkan-2020-2032' finns inte"


def test_an_unknown_status_lists_the_allowed_ones(project):
    replace_in(project / "data/follow-ups/uppfoljning-2021.yaml", "status: done", "status: klar")
    [error] = build_errors(project)
    assert error.path == "data/follow-ups/uppfoljning-2021.yaml"
    assert error.text() == "the status 'klar' does not exist"
    for status in ("done", "partly-done", "ongoing", "not-started", "cancelled"):
        assert status in error.hint_text()


def test_a_missing_attachment_is_an_input_error(project):
    (project / "files/medborgarlofte-2021.pdf").unlink()
    [error] = build_errors(project)
    assert error.path == "data/promises/2021.yaml"
    assert "'files/medborgarlofte-2021.pdf' does not exist" in error.text()


def test_a_commitment_due_after_its_agreement_ends_is_refused(project):
    replace_in(project / "data/promises/2023.yaml", "due: 2023-", "due: 2024-")
    errors = build_errors(project)
    assert any("after the agreement ends (2023-12-31)" in e.text() for e in errors)


def test_all_errors_are_reported_together_sorted_by_file(project):
    replace_in(project / "data/promises/2022.yaml", "agreement: samverkan-2020-2023",
               "agreement: nope")
    replace_in(project / "data/promises/2021.yaml", "year: 2021", "year: tjugotjugoett")
    errors = build_errors(project)
    assert [e.path for e in errors] == ["data/promises/2021.yaml", "data/promises/2022.yaml"]


def test_current_agreement_and_promise_follow_the_build_date(project):
    site = build_project(project, write=False, today=dt.date(2022, 6, 1)).site
    assert site.current_agreement.id == "samverkan-2020-2023"
    assert site.current_promise.year == 2022
    later = build_project(project, write=False, today=dt.date(2026, 11, 25)).site
    assert later.current_agreement.id == "samverkan-2024-2027"
    assert later.has_ended(later.agreement("samverkan-2020-2023"))


def test_last_updated_comes_from_the_newest_commit_touching_the_file(project):
    def git(*args, date="2025-05-06T12:00:00"):
        env = {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "HOME": str(project),
               "GIT_CONFIG_NOSYSTEM": "1", "PATH": "/usr/bin:/bin"}
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.se", *args],
                       cwd=project, check=True, capture_output=True, env=env)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "first")
    (project / "content/rapportera.md").write_text(
        (project / "content/rapportera.md").read_text() + "\nEn rad till.\n")
    git("commit", "-q", "-am", "second", date="2026-02-03T09:00:00")
    dates = git_dates(project, dt.date(2026, 11, 25))
    assert dates["content/rapportera.md"] == dt.date(2026, 2, 3)
    assert dates["content/est.md"] == dt.date(2025, 5, 6)
    (project / "content/est.md").write_text((project / "content/est.md").read_text() + "\nx\n")
    assert git_dates(project, dt.date(2026, 11, 25))["content/est.md"] == dt.date(2026, 11, 25)
    page = build_project(project, write=False).site.page("rapportera/")
    assert page.updated == dt.date(2026, 2, 3)


def test_outside_git_last_updated_is_the_published_date(tmp_path):
    assert git_dates(tmp_path, dt.date(2026, 1, 1)) == {}


def test_a_promise_left_without_follow_up_warns_and_strict_fails(project):
    (project / "data/follow-ups/uppfoljning-2024.yaml").unlink()
    result = build_project(project, write=False)
    [warning] = [w for w in result.warnings if "no follow-up" in w.text()]
    assert (warning.path, warning.severity) == ("data/promises/2024.yaml", "warning")
    assert "new follow-up 2024" in warning.hint_text()
    errors = build_errors(project, strict=True)
    assert any("no follow-up" in e.text() for e in errors)
