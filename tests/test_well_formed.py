"""The rest of a well-formed public site: statement, sitemap, robots, 404, metadata, JSON-LD."""

import json
import re
import xml.etree.ElementTree as ET

import pytest

from .conftest import SUB_PATH_URL

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def html_pages(site):
    return sorted(site.rglob("*.html"))


def test_every_page_links_the_accessibility_statement_and_has_a_description(example_site):
    for path in html_pages(example_site):
        html = path.read_text(encoding="utf-8")
        assert 'href="/trygghet/tillganglighet/"' in html, path
        assert re.search(r'<meta name="description" content="[^"]{20,}">', html), path
        assert 'rel="icon" href="/trygghet/static/favicon.svg"' in html, path
    assert (example_site / "static/favicon.svg").is_file()


def test_the_accessibility_statement_has_the_parts_digg_requires(example_site):
    text = re.sub(r"\s+", " ", (example_site / "tillganglighet/index.html").read_text("utf-8"))
    for part in ("delvis förenlig med lagen", "PDF-filerna är inte taggade", "inte omfattas av lagen",
                 "trygghet@lidkoping.se", "två arbetsdagar", "https://www.digg.se/tdosanmalan",
                 "Senaste bedömningen gjordes den 20 november 2026",
                 "uppdaterades senast den 20 november 2026", "Lidköpings kommun"):
        assert part in text, part


def test_the_sitemap_lists_every_listed_page_with_absolute_addresses(example_site):
    root = ET.fromstring((example_site / "sitemap.xml").read_bytes())
    locations = [url.find(f"{SITEMAP}loc").text for url in root]
    assert SUB_PATH_URL in locations
    assert SUB_PATH_URL + "medborgarloften/2021/" in locations
    assert all(loc.startswith(SUB_PATH_URL) for loc in locations)
    assert SUB_PATH_URL + "tack/" not in locations
    assert not any("404" in loc for loc in locations)
    for loc in locations:
        path = loc.removeprefix(SUB_PATH_URL)
        assert (example_site / path / "index.html").is_file(), loc
    dates = [url.find(f"{SITEMAP}lastmod").text for url in root]
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) for d in dates)


def test_robots_names_the_sitemap(example_site):
    robots = (example_site / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {SUB_PATH_URL}sitemap.xml" in robots


def test_the_404_page_works_from_any_address_and_is_not_indexed(example_site):
    html = (example_site / "404.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex">' in html
    assert 'rel="canonical"' not in html
    assert 'href="/trygghet/static/site.css"' in html  # absolute: shown at any depth
    assert "Sidan finns inte" in html


@pytest.mark.parametrize("path, types", [
    ("", {"GovernmentOrganization"}),
    ("medborgarloften/2021/", {"GovernmentOrganization", "Report"}),
    ("oppna-data/", {"GovernmentOrganization", "Dataset"}),
])
def test_structured_data_is_valid_json_ld_of_the_right_types(example_site, path, types):
    html = (example_site / path / "index.html").read_text(encoding="utf-8")
    [block] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(block)
    assert data["@context"] == "https://schema.org"
    assert {item["@type"] for item in data["@graph"]} == types
    for item in data["@graph"]:
        if item["@type"] == "GovernmentOrganization":
            assert item["@id"] == SUB_PATH_URL + "#organisation"
            continue
        for key in ("url", "contentUrl"):
            if key in item:
                assert item[key].startswith(SUB_PATH_URL)
        if item["@type"] == "Report":
            assert item["name"] == "Medborgarlöfte 2021"
            assert item["publisher"] == {"@id": SUB_PATH_URL + "#organisation"}
            assert item["associatedMedia"]["contentUrl"].endswith(".pdf")
        if item["@type"] == "Dataset":
            assert item["distribution"] and item["license"].startswith("http")
