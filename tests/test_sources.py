"""LOAD: YAML and front matter become plain values that remember where they stood."""

import datetime as dt
import pickle
from pathlib import Path

import pytest

from insyn.errors import InputErrors
from insyn.sources import load_markdown_file, load_yaml_file


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        text = text.encode("utf-8")
    path.write_bytes(text)
    return path


def load_error(tmp_path: Path, text: str | bytes, name: str = "data/x.yaml"):
    with pytest.raises(InputErrors) as caught:
        load_yaml_file(write(tmp_path, name, text), tmp_path)
    return caught.value.errors


def test_values_keep_their_line_and_column(tmp_path):
    source = load_yaml_file(write(tmp_path, "a.yaml", "title: Hej\nitems:\n  - due: 2024-03-01\n"),
                            tmp_path)
    assert source.data == {"title": "Hej", "items": [{"due": dt.date(2024, 3, 1)}]}
    assert source.positions[("items", 0, "due")] == (3, 10)
    assert source.key_positions[("items", 0, "due")] == (3, 5)


def test_no_and_on_stay_text_instead_of_becoming_false(tmp_path):
    source = load_yaml_file(write(tmp_path, "a.yaml", "country: no\nswitch: on\nflag: true\n"),
                            tmp_path)
    assert source.data == {"country": "no", "switch": "on", "flag": True}


def test_a_key_written_twice_is_an_error_naming_both_lines(tmp_path):
    [error] = load_error(tmp_path, "title: A\nsummary: x\ntitle: B\n")
    assert (error.path, error.line, error.column) == ("data/x.yaml", 3, 1)
    assert "'title' is written twice (first on line 1)" in error.text()


def test_tab_indentation_is_explained(tmp_path):
    [error] = load_error(tmp_path, "a:\n\tb: 1\n")
    assert error.line == 2
    assert "tab" in error.text()
    assert "spaces" in error.hint_text()


def test_a_day_that_does_not_exist_is_an_error(tmp_path):
    [error] = load_error(tmp_path, "due: 2021-02-30\n")
    assert (error.line, error.column) == (1, 6)
    assert "not a real date" in error.text()


def test_empty_file_is_an_error(tmp_path):
    [error] = load_error(tmp_path, "# only a comment\n")
    assert "empty" in error.text()


def test_a_file_not_in_utf8_is_refused_with_the_line(tmp_path):
    [error] = load_error(tmp_path, "title: ok\nplace: K\xf6ping\n".encode("latin-1"))
    assert error.line == 2
    assert "UTF-8" in error.text()


def test_an_alias_bomb_is_refused_quickly(tmp_path):
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i, name in enumerate("bcdefghi"):
        previous = "abcdefghi"[i]
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 10) + "]")
    [error] = load_error(tmp_path, "\n".join(lines) + "\n")
    assert "expands into more than" in error.text()


def test_front_matter_lines_match_the_file(tmp_path):
    path = write(tmp_path, "content/p.md", "---\ntitle: T\npublished: 2024-01-02\n---\n# Body\n")
    source = load_markdown_file(path, tmp_path)
    assert source.data == {"title": "T", "published": dt.date(2024, 1, 2)}
    assert source.positions[("published",)] == (3, 12)
    assert source.body == "# Body\n"
    assert source.body_line == 5


def test_a_page_without_front_matter_says_how_to_start_it(tmp_path):
    path = write(tmp_path, "content/p.md", "# Just a body\n")
    with pytest.raises(InputErrors) as caught:
        load_markdown_file(path, tmp_path)
    assert "front matter" in caught.value.errors[0].text()


def test_unchanged_files_come_from_the_cache_and_errors_still_name_their_line(tmp_path,
                                                                            monkeypatch):
    from insyn import sources

    write(tmp_path, "content/a.md", "---\ntitle: A\npublished: 2024-01-02\n---\nText.\n")
    cache = tmp_path / "cache.pickle"
    first, _ = sources.load_project(tmp_path, cache)
    parsed = []
    original = sources.load_markdown_file
    monkeypatch.setattr(sources, "load_markdown_file",
                        lambda *a: parsed.append(a) or original(*a))
    second, _ = sources.load_project(tmp_path, cache)
    assert parsed == []  # nothing was parsed again
    [page] = second.pages
    assert page.data == first.pages[0].data and page.digest == first.pages[0].digest
    assert page.position(("published",)) == (3, 12)  # read again only when asked


def test_a_damaged_cache_is_ignored(tmp_path):
    from insyn import sources

    write(tmp_path, "content/a.md", "---\ntitle: A\npublished: 2024-01-02\n---\nText.\n")
    cache = write(tmp_path, "cache.pickle", b"not a pickle at all")
    loaded, errors = sources.load_project(tmp_path, cache)
    assert errors[0].text() == "the file data/site.yaml is missing"
    assert loaded.pages[0].data["title"] == "A"


def test_many_files_parsed_by_worker_processes_load_as_in_one(tmp_path, monkeypatch):
    from insyn import sources

    for i in range(12):
        write(tmp_path, f"content/p{i:02d}.md",
              f"---\ntitle: Sida {i}\npublished: 2024-01-{i + 1:02d}\n---\nText {i}.\n")
    write(tmp_path, "content/trasig.md", "---\ntitle: [oj\n---\n")
    write(tmp_path, "data/promises/tom.yaml", "")
    serial = sources.load_project(tmp_path)
    monkeypatch.setattr(sources, "PARALLEL_LOAD_FROM", 1)
    monkeypatch.setattr(sources, "can_fork", lambda processes: True)
    parallel = sources.load_project(tmp_path)

    def seen(loaded):
        """What later stages see of each file: the places and texts a worker leaves out are
        read again when asked."""
        return [(s.rel, s.data, s.digest, s.head_digest, s.body, s.body_line,
                 s.position(("title",)), s.position(("published",), key=True))
                for s in loaded[0].pages], loaded[1]

    assert seen(parallel) == seen(serial)
    assert sorted(e.path for e in parallel[1]) == ["content/trasig.md", "data/promises/tom.yaml",
                                                   "data/site.yaml"]
    assert parallel[0].unidentified == {"promises"}


def test_a_cached_page_reads_its_text_only_when_needed_and_notices_a_change(tmp_path):
    from insyn import sources

    page = write(tmp_path, "content/a.md", "---\ntitle: A\npublished: 2024-01-02\n---\nText.\n")
    cache = tmp_path / "cache.pickle"
    sources.load_project(tmp_path, cache)
    assert b"Text." not in cache.read_bytes()  # the cache keeps no page texts
    [cached] = sources.load_project(tmp_path, cache)[0].pages
    assert cached.body_text is None
    assert cached.body == "Text.\n"

    [cached] = sources.load_project(tmp_path, cache)[0].pages
    page.write_text("---\ntitle: A\npublished: 2024-01-02\n---\nNew text.\n", encoding="utf-8")
    with pytest.raises(InputErrors) as caught:
        cached.body  # noqa: B018 - reading it is the point
    assert caught.value.errors[0].text() == "the file changed while the site was being built"
    assert pickle.loads(pickle.dumps(caught.value)).errors == caught.value.errors
