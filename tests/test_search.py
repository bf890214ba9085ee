"""Search with Pagefind: Swedish word forms, filters by kind and year, and a way without it."""

import json
import re
import shutil

import pytest
from playwright.sync_api import Page, expect

from insyn import search as search_index

from .conftest import build_project, copy_project
from .servers import SiteServer, free_port


@pytest.fixture(scope="module")
def searchable(tmp_path_factory):
    base = tmp_path_factory.mktemp("search")
    port = free_port()
    root = copy_project(base / "project")
    build_project(root, base / "site", base_url=f"http://127.0.0.1:{port}/")
    server = SiteServer(base / "site", port)
    yield server.url, base / "site"
    server.close()


def search(page: Page, url: str, words: str):
    page.goto(url + "sok/")
    page.locator("#search input").fill(words)
    results = page.locator(".pagefind-ui__result-inner > .pagefind-ui__result-title")
    expect(results.first).to_be_visible(timeout=10000)
    return results


def test_a_bent_word_form_finds_the_page(page: Page, searchable):
    url, _ = searchable
    results = search(page, url, "ungdomarna")  # the page says "ungdomar"
    expect(results.filter(has_text="Medborgarlöfte 2021")).to_have_count(1)


def test_filters_by_kind_and_year_narrow_the_results(page: Page, searchable):
    url, _ = searchable
    results = search(page, url, "trygghet")
    message = page.locator(".pagefind-ui__message")

    def found() -> int:
        page.wait_for_timeout(800)
        return int(re.search(r"(\d+) träff", message.inner_text()).group(1))

    before = found()
    page.locator("summary.pagefind-ui__filter-name", has_text="Typ").click()
    page.get_by_label("Medborgarlöfte", exact=False).first.check()
    assert 0 < found() < before
    titles = results.all_inner_texts()
    assert all(t.startswith("Medborgarlöfte") for t in titles)
    page.locator("summary.pagefind-ui__filter-name", has_text="År").click()
    page.get_by_label("2022").first.check()
    assert found() == 1
    assert results.all_inner_texts() == ["Medborgarlöfte 2022"]


def test_only_the_main_content_is_indexed(searchable):
    _, site = searchable
    html = (site / "medborgarloften/2021/index.html").read_text(encoding="utf-8")
    main = html.split("<main", 1)[1]
    assert main.split(">", 1)[0].strip().endswith("data-pagefind-body")
    assert "data-pagefind-body" not in html.split("<main", 1)[0]
    assert html.index("</main>") < html.index('class="feedback"')
    not_found = (site / "404.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" not in not_found


def test_without_javascript_the_search_page_points_to_the_archive_and_all_pages(browser,
                                                                               searchable):
    url, _ = searchable
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(url + "sok/")
    notice = page.locator(".notice")
    expect(notice).to_contain_text("Sökningen behöver JavaScript")
    page.get_by_role("link", name="listan över alla sidor").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Alla sidor")
    expect(page.get_by_role("link", name="Medborgarlöfte 2021")).to_be_visible()
    context.close()


def test_no_search_skips_the_index(project, tmp_path):
    build_project(project, tmp_path / "site", search=False)
    assert not (tmp_path / "site/pagefind").exists()


def index_of(site):
    return {p.relative_to(site).as_posix(): p.read_bytes()
            for p in sorted((site / "pagefind").rglob("*")) if p.is_file()}


def test_a_quick_rebuild_keeps_the_index_and_the_next_full_build_brings_it_up_to_date(
        project, tmp_path):
    site = tmp_path / "site"
    build_project(project, site)
    page = project / "content/rapportera.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nOrdet snöskottningsplikt.\n",
                    encoding="utf-8")

    old_index = index_of(site)
    build_project(project, site, search=False)  # what serve does first after a save
    assert "snöskottningsplikt" in (site / "rapportera/index.html").read_text(encoding="utf-8")
    assert index_of(site) == old_index  # still searchable, not yet for the new word

    build_project(project, site)  # no page changes since the last build, but the index is old
    assert index_of(site) != old_index
    cold = tmp_path / "cold"
    shutil.rmtree(project / ".insyn-cache")
    build_project(project, cold)
    fragments = b"".join(v for k, v in index_of(site).items() if "/fragment/" in k)
    assert fragments and fragments == b"".join(
        v for k, v in index_of(cold).items() if "/fragment/" in k)

    assert build_project(project, site).files_written == 0


def fragments_of(site):
    return {p.name: p for p in (site / "pagefind/fragment").iterdir()}


def edit_a_page(project):
    page = project / "content/rapportera.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nOrdet snöskottningsplikt.\n",
                    encoding="utf-8")


def assert_index_as_a_cold_build_makes_it(project, site, tmp_path):
    cold_project = tmp_path / "cold-project"
    shutil.copytree(project, cold_project)
    shutil.rmtree(cold_project / ".insyn-cache/search")
    build_project(cold_project, tmp_path / "cold")
    mine, cold = fragments_of(site), fragments_of(tmp_path / "cold")
    assert sorted(mine) == sorted(cold)
    assert all(mine[name].read_bytes() == cold[name].read_bytes() for name in mine)


def test_after_an_edit_the_other_pages_index_fragments_are_reused_not_made_again(
        project, tmp_path):
    site = tmp_path / "site"
    build_project(project, site)
    before = {name: path.stat().st_ino for name, path in fragments_of(site).items()}
    edit_a_page(project)

    build_project(project, site)
    after = {name: path.stat().st_ino for name, path in fragments_of(site).items()}
    made_again = [name for name in after if before.get(name) != after[name]]
    assert len(made_again) == 1  # the edited page's; the others are the same files
    assert len(set(before) - set(after)) == 1
    assert_index_as_a_cold_build_makes_it(project, site, tmp_path)


def test_a_cached_fragment_that_is_not_what_the_cache_says_is_never_published(
        project, tmp_path):
    site = tmp_path / "site"
    build_project(project, site)
    kept = project / ".insyn-cache/search/fragments.json"
    record = json.loads(kept.read_text(encoding="utf-8"))
    fragments = record["fragments"]
    edited = next(name for name, (path, _) in fragments.items()
                  if path == "rapportera/index.html")
    other = next(entry for name, entry in fragments.items() if name != edited)
    fragments[edited] = other  # the edited page's old fragment, passed off as another page's
    kept.write_text(json.dumps(record), encoding="utf-8")
    edit_a_page(project)

    build_project(project, site)
    assert edited not in fragments_of(site)
    assert_index_as_a_cold_build_makes_it(project, site, tmp_path)


def test_fragments_whose_names_start_alike_are_not_reused():
    known = {"sv_1234567.pf_fragment": ["a/index.html", "1"],
             "sv_12345670.pf_fragment": ["e/index.html", "5"],
             "sv_12345678.pf_fragment": ["b/index.html", "2"],
             "sv_7654321.pf_fragment": ["c/index.html", "3"],
             "sv_abcdef0.pf_fragment": ["d/index.html", "4"]}
    pages = {"a/index.html": "1", "b/index.html": "2", "c/index.html": "3",
             "d/index.html": "changed", "e/index.html": "5"}
    assert list(search_index.reusable_fragments(known, pages)) == ["sv_7654321.pf_fragment"]


@pytest.mark.parametrize(("written", "reused_as_themselves"), [
    (["sv_7654321", "sv_1111111"], True),
    (["sv_7654321", "sv_76543210"], False),  # a new page's name starts like the reused one
    (["sv_765432", "sv_7654321"], False),
    (["sv_7654321", "sv_1111111", "sv_2222222"], False),  # a file more than pages indexed
])
def test_a_reused_fragment_sharing_its_name_start_with_another_is_not_trusted(
        tmp_path, written, reused_as_themselves):
    (tmp_path / "fragment").mkdir()
    for stem in written:
        (tmp_path / "fragment" / f"{stem}.pf_fragment").write_bytes(b"")
    (tmp_path / "pagefind-entry.json").write_text(
        json.dumps({"languages": {"sv": {"page_count": 2}}}), encoding="utf-8")
    assert search_index.fragments_reused_as_themselves(
        tmp_path, {"sv_7654321.pf_fragment"}) is reused_as_themselves
