"""The quick rebuild: when only the text of pages changed, only those pages are made again,
with exactly the bytes a full build gives; anything else goes through the full build."""

import pickle
import shutil
import subprocess
import sys
import time

import pytest

from insyn import quick
from insyn.errors import InputErrors
from insyn.options import CACHE_FOLDER
from insyn.quick import body_layout, splice

from .conftest import ROOT, build_project
from .test_incremental import cold_build, edit, git, snapshot


def built(project, tmp_path):
    out = tmp_path / "site"
    first = build_project(project, out, search=False)
    assert not first.quick
    return out


def rebuild(project, out, **options):
    return build_project(project, out, search=False, **options)


def same_as_cold_build(project, out, tmp_path):
    reference = tmp_path / "reference"
    shutil.copytree(project, reference, ignore=shutil.ignore_patterns(".insyn-cache"))
    try:
        return snapshot(out) == cold_build(reference, tmp_path / "reference-out")
    finally:
        shutil.rmtree(reference)


BODY_EDITS = [
    ("a sentence", "content/rapportera.md", "Välj rätt", "Välj alltid rätt"),
    ("a link to another page", "content/est.md", "- [Margretelund och Änghagen]",
     "- Se också [hur du rapporterar](/rapportera/).\n- [Margretelund och Änghagen]"),
    ("a table", "content/om-webbplatsen.md", "\n## ",
     "\n| Vad | När |\n|---|---|\n| Möte | 2026 |\n\n## "),
    ("the English version", "content/rapportera.en.md", "Choose the right way", "Choose the best way"),
]


def test_edited_texts_are_made_quickly_and_equal_a_full_build(project, tmp_path):
    out = built(project, tmp_path)
    for name, file, old, new in BODY_EDITS:
        edit(project / file, old, new)
        result = rebuild(project, out)
        assert result.quick, name
        assert result.pages_written == 1, name
        assert same_as_cold_build(project, out, tmp_path), name
    # Several pages at once, then one saved with its old text again.
    edit(project / "content/rapportera.md", "Välj alltid rätt", "Välj rätt")
    edit(project / "content/est.md", "Tanken är", "Tanken med det är")
    result = rebuild(project, out)
    assert (result.quick, result.pages_written) == (True, 2)
    assert same_as_cold_build(project, out, tmp_path)


def test_a_saved_but_unchanged_page_writes_nothing(project, tmp_path):
    out = built(project, tmp_path)
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    page = project / "content/rapportera.md"
    page.write_bytes(page.read_bytes())
    result = rebuild(project, out)
    assert (result.quick, result.pages_written, result.files_written) == (True, 0, 0)
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == before


OTHER_CHANGES = [
    ("the front matter", lambda p: edit(p / "content/rapportera.md", "title: ", "title: Ny sida om ")),
    ("the front page's text", lambda p: edit(p / "content/index.md", "hur vi arbetar med EST",
                                             "hur vi arbetar med metoden EST")),
    ("a new page", lambda p: (p / "content/ny.md").write_text(
        "---\ntitle: Ny sida\nsummary: En ny sida.\npublished: 2026-11-01\n---\nText.\n",
        encoding="utf-8")),
    ("a removed page", lambda p: (p / "content/om-webbplatsen.md").unlink()),
    ("a data file", lambda p: edit(p / "data/follow-ups/uppfoljning-2025.yaml",
                                   "status: not-started", "status: ongoing")),
    ("a template", lambda p: edit(p / "templates/partials/footer.html", "Contact", "Contact us")),
    ("an attachment", lambda p: (p / "files/medborgarlofte-2021.pdf").write_bytes(b"%PDF-1.4\n")),
]


@pytest.mark.parametrize("name, change", OTHER_CHANGES, ids=[c[0] for c in OTHER_CHANGES])
def test_any_other_change_takes_the_full_build(project, tmp_path, name, change):
    if name == "a removed page":  # the footer links to it
        edit(project / "data/site.yaml", "  - title: Om webbplatsen\n    url: /om-webbplatsen/\n",
             "")
    out = built(project, tmp_path)
    edit(project / "content/rapportera.md", "Välj rätt", "Välj alltid rätt")
    change(project)
    result = rebuild(project, out)
    assert not result.quick
    assert same_as_cold_build(project, out, tmp_path)


def test_other_options_or_another_day_take_the_full_build(project, tmp_path):
    out = built(project, tmp_path)
    edit(project / "content/rapportera.md", "Välj rätt", "Välj alltid rätt")
    assert not rebuild(project, out, base_url="https://example.se/trygghet/").quick
    edit(project / "content/rapportera.md", "Välj alltid rätt", "Välj rätt")
    assert rebuild(project, out, base_url="https://example.se/trygghet/").quick
    edit(project / "content/rapportera.md", "Välj rätt", "Välj alltid rätt")
    import datetime as dt

    assert not rebuild(project, out, base_url="https://example.se/trygghet/",
                       today=dt.date(2027, 1, 1)).quick


def test_a_broken_link_in_the_new_text_is_reported_and_nothing_written(project, tmp_path):
    out = built(project, tmp_path)
    before = snapshot(out)
    edit(project / "content/rapportera.md", "Välj rätt", "Se [sidan](/finns-inte/).")
    with pytest.raises(InputErrors) as caught:
        rebuild(project, out)
    assert "/finns-inte/" in str(caught.value.errors[0].params)
    assert snapshot(out) == before


def test_a_page_changed_or_deleted_in_the_site_by_hand_is_made_again(project, tmp_path):
    out = built(project, tmp_path)
    (out / "est/index.html").write_text("handskriven", encoding="utf-8")
    edit(project / "content/est.md", "Tanken är", "Tanken med det är")
    result = rebuild(project, out)
    assert not result.quick
    assert same_as_cold_build(project, out, tmp_path)
    (out / "rapportera/index.html").unlink()
    assert not rebuild(project, out).quick
    assert (out / "rapportera/index.html").is_file()


def test_a_text_saved_again_within_one_tick_of_the_clock_is_still_seen(project, tmp_path):
    out = built(project, tmp_path)
    page = project / "content/rapportera.md"
    edit(page, "Välj rätt", "Välj alltid rätt")
    rebuild(project, out)
    # Saved again, with the same size, so soon that a coarse clock gives the same times:
    # the stamps match the record's, and only the bytes can tell.
    edit(page, "Välj alltid rätt", "Välj ALLTID rätt")
    record_file = project / CACHE_FOLDER / quick.RECORD
    record = pickle.loads(record_file.read_bytes())
    record.stamps = quick.input_stamps(project)
    record_file.write_bytes(pickle.dumps(record))
    result = rebuild(project, out)
    assert result.quick
    assert "Välj ALLTID rätt" in (out / "rapportera/index.html").read_text(encoding="utf-8")


def test_a_new_commit_or_a_first_uncommitted_edit_takes_the_full_build(project, tmp_path):
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "start")
    out = built(project, tmp_path)
    # The first edit of a committed page gives it today's date: its "last updated" changes.
    edit(project / "content/rapportera.md", "Välj rätt", "Välj alltid rätt")
    assert not rebuild(project, out).quick
    edit(project / "content/rapportera.md", "Välj alltid rätt", "Välj ALLTID rätt")
    assert rebuild(project, out).quick
    git(project, "commit", "-q", "-am", "edit")
    assert not rebuild(project, out).quick
    assert same_as_cold_build(project, out, tmp_path)


def test_the_command_rebuilds_an_edited_text_without_loading_the_stages(project, tmp_path):
    out = tmp_path / "site"
    command = [sys.executable, str(ROOT / "build.py"), "--root", str(project), "--out", str(out),
               "--today", "2026-11-25", "--no-search"]
    subprocess.run(command, check=True, capture_output=True)
    edit(project / "content/rapportera.md", "Välj rätt", "Välj alltid rätt")
    probe = ("import sys\nfrom insyn.cli import main\ncode = main(sys.argv[1:])\n"
             "print(code, sorted(m for m in ('insyn.pipeline', 'insyn.models', 'pydantic', "
             "'matplotlib') if m in sys.modules))")
    started = time.perf_counter()
    run = subprocess.run([sys.executable, "-c", probe, *command[2:]], capture_output=True,
                         text=True, check=True)
    assert run.stdout.strip().endswith("0 []"), run.stdout + run.stderr
    assert "1 skrivna" in run.stdout, run.stdout
    assert time.perf_counter() - started < 60  # a guard against a hang, not a speed test


def test_where_the_body_sits_is_found_only_when_it_stands_once():
    placeholder = b"\0page-version\0"
    html = b"<head>" + placeholder + b"</head><main><p>Text</p></main><form>" + placeholder
    layout = body_layout(html, b"<p>Text</p>")
    assert layout is not None
    page = html.replace(placeholder, b"abcdefabcdef")
    start, end, versions = layout
    assert page[start:end] == b"<p>Text</p>"
    assert [page[v:v + 12] for v in versions] == [b"abcdefabcdef"] * 2
    assert body_layout(html + b"<p>Text</p>", b"<p>Text</p>") is None
    assert body_layout(html, b"") is None


def test_a_long_body_is_found_where_its_start_stands_elsewhere_too():
    start = b"<p>" + b"Samma inledning. " * 5
    body = start + b"Och sedan resten.</p>"
    html = b"<head></head><aside>" + start + b"</aside><main>" + body + b"</main>"
    found = body_layout(html, body)
    assert found is not None and html[found[0]:found[1]] == body
    assert body_layout(html + body, body) is None
    assert body_layout(html, start + b"Men inte detta.</p>") is None


def test_a_spliced_page_equals_the_page_made_whole():
    from insyn.output import with_page_version

    placeholder = b"\0page-version\0"
    frame = b"<head>" + placeholder + b"</head><main>%s</main><form>" + placeholder + b"</form>"
    old_body, new_body = b"<p>Gammal</p>", b"<p>Ny och mycket l\xc3\xa4ngre text</p>"
    old_page = with_page_version(frame % old_body)
    layout = body_layout(frame % old_body, old_body)
    spliced, new_layout = splice(old_page, layout, new_body)
    assert spliced == with_page_version(frame % new_body)
    assert new_layout == body_layout(frame % new_body, new_body)
