"""WRITE: a fresh folder swapped into place; nothing half-published, nothing foreign deleted."""

import pytest

from insyn import output
from insyn.errors import InputErrors
from insyn.output import MARKER, Output, write_site


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


def test_a_rebuild_moves_in_only_the_changed_files_and_deletes_the_removed(tmp_path):
    out = tmp_path / "site"
    write_site([Output("a/index.html", b"one"), Output("b/index.html", b"same"),
                Output("gone/index.html", b"x")], out)
    unchanged_inode = (out / "b/index.html").stat().st_ino
    staging = write_site([Output("a/index.html", b"two"), Output("b/index.html", b"same")], out)
    assert staging.changed == ["a/index.html"]
    assert (out / "a/index.html").read_bytes() == b"two"
    assert (out / "b/index.html").stat().st_ino == unchanged_inode
    assert not (out / "gone").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_rebuild_stopped_while_moving_files_in_is_finished_by_the_next(tmp_path, monkeypatch):
    out = tmp_path / "site"
    write_site([Output(f"p{i}/index.html", b"old") for i in range(5)]
               + [Output("gone/index.html", b"x")], out)
    real_replace, moved = output.os.replace, []

    def replace_then_die(source, target):
        if len(moved) == 2:
            raise SystemExit("killed")  # stands for SIGKILL: nothing after this line runs
        moved.append(target)
        real_replace(source, target)

    monkeypatch.setattr(output.os, "replace", replace_then_die)
    new_site = [Output(f"p{i}/index.html", b"new") for i in range(5)]
    with pytest.raises(SystemExit):
        staging = output.Staging(out)
        for item in new_site:
            staging.put(item)
        staging.commit()
    monkeypatch.setattr(output.os, "replace", real_replace)
    assert [p.read_bytes() for p in sorted(out.glob("p*/index.html"))].count(b"new") == 1

    write_site(new_site, out)  # the next build: finishes the stopped one first
    assert all(p.read_bytes() == b"new" for p in out.glob("p*/index.html"))
    assert not (out / "gone").exists()
    assert output.read_manifest(out) == {item.path: output.digest_of(b"new") for item in new_site}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
