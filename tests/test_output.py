"""WRITE: a fresh folder swapped into place; nothing half-published, nothing foreign deleted."""

import pytest

from insyn.errors import InputErrors
from insyn.output import MARKER, write_site
from insyn.render import Output


def test_a_build_replaces_the_previous_site_whole(tmp_path):
    out = tmp_path / "site"
    write_site([Output("a/index.html", b"one"), Output("old.html", b"x")], out)
    write_site([Output("a/index.html", b"two")], out)
    assert (out / "a/index.html").read_bytes() == b"two"
    assert not (out / "old.html").exists()
    assert (out / MARKER).is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_folder_the_tool_did_not_make_is_never_replaced(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "thesis.docx").write_bytes(b"precious")
    with pytest.raises(InputErrors) as caught:
        write_site([Output("index.html", b"x")], home)
    assert "not created by insyn" in caught.value.errors[0].text()
    assert (home / "thesis.docx").read_bytes() == b"precious"


def test_two_outputs_on_one_path_are_refused(tmp_path):
    with pytest.raises(InputErrors) as caught:
        write_site([Output("a.html", b"1"), Output("a.html", b"2")], tmp_path / "site")
    assert "two things would be written to a.html" in caught.value.errors[0].text()
    assert not (tmp_path / "site").exists()


def test_leftovers_of_an_interrupted_build_are_cleaned_up(tmp_path):
    leftover = tmp_path / ".site.insyn-tmp-abc123"
    leftover.mkdir()
    (leftover / MARKER).write_text("x")
    write_site([Output("index.html", b"x")], tmp_path / "site")
    assert not leftover.exists()


def test_a_failure_while_writing_leaves_the_old_site_and_no_temporary_folder(tmp_path):
    out = tmp_path / "site"
    write_site([Output("index.html", b"old")], out)
    with pytest.raises(FileNotFoundError):
        write_site([Output("index.html", b"new"), Output("x.pdf", source=tmp_path / "gone.pdf")],
                   out)
    assert (out / "index.html").read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
