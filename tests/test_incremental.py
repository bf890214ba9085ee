"""Incremental and parallel builds never change the output; an unchanged rebuild writes nothing."""

import hashlib
import re
import shutil
import subprocess

import pytest

from insyn import incremental
from insyn.errors import InputErrors

from .conftest import build_project


def snapshot(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def cold_build(project, out):
    """A build with no cache and no previous site: the reference."""
    shutil.rmtree(project / ".insyn-cache", ignore_errors=True)
    if out.exists():
        shutil.rmtree(out)
    build_project(project, out, search=False)
    return snapshot(out)


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


EDITS = [
    ("a Markdown body", lambda p: edit(p / "content/rapportera.md", "Välj rätt",
                                       "Välj alltid rätt")),
    ("a page title", lambda p: edit(p / "content/est.md", "title: Så arbetar vi med EST",
                                    "title: Så arbetar vi med EST i Lidköping")),
    ("a follow-up status", lambda p: edit(p / "data/follow-ups/uppfoljning-2025.yaml",
                                          "status: not-started", "status: ongoing")),
    ("an indicator value", lambda p: edit(p / "data/indicators/trygghet-centrum.yaml",
                                          "value: ", "value: 1")),
    ("a template", lambda p: edit(p / "templates/partials/footer.html", "Contact", "Contact us")),
    ("an attachment", lambda p: (p / "files/medborgarlofte-2021.pdf").write_bytes(
        (p / "files/medborgarlofte-2021.pdf").read_bytes() + b"\n% appended\n")),
    ("site.yaml", lambda p: edit(p / "data/site.yaml", "site_name: Trygghet i Lidköping",
                                 "site_name: Tryggare Lidköping")),
    ("a removed page", lambda p: (p / "content/om-webbplatsen.md").unlink()),
]


def test_cached_builds_equal_cold_builds_after_every_kind_of_edit(project, tmp_path):
    # om-webbplatsen is linked from the footer; the last edit removes that link with the page.
    edit(project / "data/site.yaml", "  - title: Om webbplatsen\n    url: /om-webbplatsen/\n", "")
    cached_out = tmp_path / "cached"
    build_project(project, cached_out, search=False)
    for name, change in EDITS:
        change(project)
        result = build_project(project, cached_out, search=False)
        cached = snapshot(cached_out)
        reference_project = tmp_path / f"cold-{len(name)}"
        shutil.copytree(project, reference_project, ignore=shutil.ignore_patterns(".insyn-cache"))
        assert cached == cold_build(reference_project, tmp_path / "cold-out"), name
        assert result.files_written >= 1, name
        shutil.rmtree(reference_project)


def test_a_rebuild_with_nothing_changed_writes_no_file(project, tmp_path):
    out = tmp_path / "site"
    build_project(project, out)
    before = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.rglob("*")}
    result = build_project(project, out)
    after = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.rglob("*")}
    assert after == before
    assert (result.pages_written, result.files_written) == (0, 0)
    assert result.pages_unchanged == result.pages


def test_one_edited_page_is_the_only_page_rendered_again(project, tmp_path):
    out = tmp_path / "site"
    build_project(project, out, search=False)
    edit(project / "content/rapportera.md", "Välj rätt", "Välj alltid rätt")
    result = build_project(project, out, search=False)
    assert result.pages_written == 1
    assert "Välj alltid rätt" in (out / "rapportera/index.html").read_text(encoding="utf-8")


def test_parallel_rendering_gives_the_same_site_as_serial(project, tmp_path, monkeypatch):
    build_project(project, tmp_path / "serial", search=False)
    shutil.rmtree(project / ".insyn-cache")
    monkeypatch.setattr(incremental, "PARALLEL_FROM", 1)
    result = build_project(project, tmp_path / "parallel", search=False)
    assert result.render_processes == 2
    assert snapshot(tmp_path / "serial") == snapshot(tmp_path / "parallel")
    # A first build of a large site has its templates compiled while other stages run.
    assert list((project / ".insyn-cache" / "templates").iterdir())


def test_a_broken_template_on_a_large_first_build_is_reported_as_on_a_small_one(
        project, tmp_path, monkeypatch):
    import jinja2

    edit(project / "templates/page.html", "{% endblock %}", "{% endblok %}")
    with pytest.raises(jinja2.TemplateSyntaxError) as small:
        build_project(project, tmp_path / "small", search=False)
    shutil.rmtree(project / ".insyn-cache")
    monkeypatch.setattr(incremental, "PARALLEL_FROM", 1)
    with pytest.raises(jinja2.TemplateSyntaxError) as large:
        build_project(project, tmp_path / "large", search=False)
    assert (large.value.name, large.value.lineno) == (small.value.name, small.value.lineno)
    assert not (tmp_path / "large").exists()


@pytest.mark.parametrize("broken", ["content", "data"])
def test_a_failed_rebuild_keeps_the_site_and_the_cache_honest(project, tmp_path, broken):
    out = tmp_path / "site"
    build_project(project, out, search=False)
    before = snapshot(out)
    if broken == "content":
        edit(project / "content/rapportera.md", "Välj rätt", "Se [sidan](/finns-inte/).")
    else:
        edit(project / "data/promises/2021.yaml", "year: 2021", "year: tjugo")
    with pytest.raises(InputErrors):
        build_project(project, out, search=False)
    assert snapshot(out) == before
    assert not list(tmp_path.glob(".site.insyn-tmp-*"))


def test_a_file_deleted_from_the_site_by_hand_is_written_again(project, tmp_path):
    out = tmp_path / "site"
    build_project(project, out, search=False)
    (out / "schemas/agreement.schema.json").unlink()
    (out / "rapportera/index.html").unlink()
    build_project(project, out, search=False)
    assert (out / "schemas/agreement.schema.json").is_file()
    assert (out / "rapportera/index.html").is_file()


def git(project, *args):
    subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.se", *args],
                   cwd=project, check=True, capture_output=True)


def test_an_uncommitted_edit_or_a_new_commit_rewrites_only_the_pages_that_changed(project,
                                                                                 tmp_path):
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "start")
    out = tmp_path / "site"
    build_project(project, out, search=False)
    edit(project / "content/rapportera.md", "Välj rätt", "Välj alltid rätt")
    assert build_project(project, out, search=False).pages_written == 1

    (project / "NOTES.md").write_text("Not part of the site.\n", encoding="utf-8")
    git(project, "add", "NOTES.md")
    git(project, "commit", "-q", "-m", "notes")
    assert build_project(project, out, search=False).pages_written == 0


def test_the_feedback_form_names_the_version_of_the_page_it_is_on(project, tmp_path):
    out = tmp_path / "site"
    build_project(project, out, search=False)
    versions = {}
    for page in ("rapportera", "est"):
        html = (out / page / "index.html").read_text(encoding="utf-8")
        version = re.search(r'name="page_version" value="([0-9a-f]{12})"', html)[1]
        blank = html.replace(f'value="{version}"', 'value="\0page-version\0"')
        assert hashlib.sha256(blank.encode()).hexdigest()[:12] == version
        versions[page] = version
    assert versions["rapportera"] != versions["est"]


def rendered_pages(monkeypatch):
    """The addresses of the pages each build renders (small sites render in this process)."""
    from insyn.render import Renderer

    seen = []
    render = Renderer.render_page_and_layout

    def watching(self, page):
        seen.append(page.path)
        return render(self, page)
    monkeypatch.setattr(Renderer, "render_page_and_layout", watching)
    return seen


def test_a_changed_title_makes_again_only_the_pages_that_show_it(project, tmp_path, monkeypatch):
    out = tmp_path / "site"
    build_project(project, out, search=False)
    seen = rendered_pages(monkeypatch)
    edit(project / "content/est.md", "title: Så arbetar vi med EST",
         "title: Så arbetar vi med EST i Lidköping")
    build_project(project, out, search=False)
    assert "est/" in seen
    assert not {"rapportera/", "en/rapportera/", "om-webbplatsen/"} & set(seen)
    assert seen  # the lists of pages and the pages drawn from data are made again
    reference = tmp_path / "reference"
    shutil.copytree(project, reference, ignore=shutil.ignore_patterns(".insyn-cache"))
    assert snapshot(out) == cold_build(reference, tmp_path / "reference-out")


@pytest.mark.parametrize("reads", ["{% for p in site.pages %}{{ p.title }} {% endfor %}",
                                   "{% for p in site.promises %}{{ p.title }} {% endfor %}",
                                   "{% for d in datasets %}{{ d.distributions[0].size }} {% endfor %}"])
def test_a_page_of_text_whose_template_reads_the_whole_site_follows_every_change(
        project, tmp_path, reads):
    edit(project / "templates/page.html", "{{ body_html | safe }}",
         "{{ body_html | safe }}<p class=all>" + reads + "</p>")
    out = tmp_path / "site"
    build_project(project, out, search=False, quick=False)
    edit(project / "content/est.md", "title: Så arbetar vi med EST",
         "title: Så arbetar vi med EST i Lidköping")
    edit(project / "data/promises/2021.yaml", "title: Medborgarlöfte 2021",
         "title: Vårt medborgarlöfte 2021")
    edit(project / "data/indicators/trygghet-centrum.yaml", "value: ", "value: 1")
    build_project(project, out, search=False)
    reference = tmp_path / "reference"
    shutil.copytree(project, reference, ignore=shutil.ignore_patterns(".insyn-cache"))
    assert snapshot(out) == cold_build(reference, tmp_path / "reference-out")
