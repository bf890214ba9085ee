"""OPEN DATA: the downloads match the YAML they come from, the CSVW metadata and the DCAT-AP-SE
catalogue validate, and every byte is the same from build to build."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

import csvw
import pyshacl
import pytest
import yaml
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SH, SKOS

from insyn.charts import draw_site_charts
from insyn.exports import (
    CATALOGUE_PATH,
    CATALOGUE_RDF_PATH,
    CC0,
    CSVW_PATH,
    DATA_PAGE_PATH,
    FEED_PATH,
    TABLES,
    csv_cell,
    datasets,
    export_outputs,
    open_data_settings,
)
from insyn.i18n import translate
from insyn.models import KIND_MODELS
from insyn.pipeline import BuildOptions, build
from insyn.render import format_size, render_site
from insyn.site import Site

from .conftest import ROOT, TODAY

OTHER_BASE = "https://data.example.se/kommun/trygghet/"
"""A sub-path base URL different from the one in data/site.yaml."""
SHAPES = Path(os.environ.get("DCAT_AP_SE_SHAPES", ROOT.parent / "shared" / "dcat-ap-se"))
VCARD = "http://www.w3.org/2006/vcard/ns#"
EU = "http://publications.europa.eu/resource/authority/"
ATOM = "{http://www.w3.org/2005/Atom}"


def build_site(base_url: str | None = None, today: dt.date = TODAY) -> Site:
    site = build(BuildOptions(root=ROOT, out=ROOT / "site", today=today, base_url=base_url,
                              write=False)).site
    assert site is not None
    return site


@pytest.fixture(scope="module")
def site() -> Site:
    return build_site()


@pytest.fixture(scope="module")
def files(site: Site) -> dict[str, bytes]:
    return {o.path: o.data for o in export_outputs(site)}


@pytest.fixture(scope="module")
def source() -> dict[str, list[dict[str, Any]]]:
    """data/**/*.yaml read again, independently of insyn: kind -> documents."""
    return {kind: [yaml.safe_load(p.read_text("utf-8"))
                   for p in sorted((ROOT / "data" / kind).glob("*.yaml"))]
            for kind in KIND_MODELS}


def table_rows(files: dict[str, bytes], dataset_id: str) -> list[dict[str, str]]:
    text = files[f"datasets/{dataset_id}.csv"].decode("utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def json_rows(files: dict[str, bytes], dataset_id: str) -> list[dict[str, Any]]:
    return json.loads(files[f"datasets/{dataset_id}.json"])


def iso(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def newest(doc: dict[str, Any], *extra: str) -> dt.date:
    dates = [doc["published"], *(c["date"] for c in doc.get("changes", []))]
    dates += [doc[key] for key in ("updated", *extra) if doc.get(key)]
    return max(dates)


# --- files and formats -------------------------------------------------------------------------

def test_every_dataset_is_published_as_csv_and_json_with_the_catalogue_feed_and_metadata(files):
    expected = {f"datasets/{t.id}.{ext}" for t in TABLES for ext in ("csv", "json")}
    expected |= {CSVW_PATH, CATALOGUE_PATH, CATALOGUE_RDF_PATH, FEED_PATH}
    assert set(files) == expected
    assert all(files.values())
    assert files[CATALOGUE_PATH] == files[CATALOGUE_RDF_PATH]
    assert {t.id for t in TABLES} == {"overenskommelser", "medborgarloften", "ataganden",
                                      "uppfoljningar", "indikatorvarden", "est-atgarder",
                                      "est-rapporter"}


def test_the_datasets_link_json_schemas_the_engine_publishes(site):
    schemas = pytest.importorskip("insyn.schemas")
    assert {t.kind for t in TABLES} <= set(schemas.SCHEMAS)
    assert all(d.schema_path == schemas.schema_path(t.kind)
               for t, d in zip(TABLES, datasets(site), strict=True))


def test_csv_is_utf8_comma_separated_with_a_header_and_the_same_rows_as_json(files, site):
    for d in datasets(site):
        raw = files[f"datasets/{d.id}.csv"]
        assert not raw.startswith(b"\xef\xbb\xbf"), "no byte order mark"
        text = raw.decode("utf-8")
        header = next(csv.reader(io.StringIO(text)))
        assert header == [f.name for f in d.fields]
        rows, objects = table_rows(files, d.id), json_rows(files, d.id)
        assert len(rows) == len(objects) == d.rows > 0
        for row, obj in zip(rows, objects, strict=True):
            assert list(obj) == header
            for field in d.fields:
                value = obj[field.name]
                if field.is_list:
                    assert isinstance(value, list)
                assert row[field.name] == csv_cell(value), (d.id, field.name)
                if field.required:
                    assert value not in (None, "", []), (d.id, field.name)


def test_primary_keys_are_unique_and_dates_are_iso(files, site):
    for d in datasets(site):
        rows = table_rows(files, d.id)
        keys = [tuple(row[k] for k in d.primary_key) for row in rows]
        assert len(keys) == len(set(keys)), d.id
        for field in (f for f in d.fields if f.datatype == "date"):
            for row in rows:
                if row[field.name]:
                    dt.date.fromisoformat(row[field.name])
                    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row[field.name])


# --- the values match the YAML -----------------------------------------------------------------

def test_agreements_match_their_yaml(files, source, site):
    rows = {r["id"]: r for r in table_rows(files, "overenskommelser")}
    assert set(rows) == {doc["id"] for doc in source["agreements"]}
    for doc in source["agreements"]:
        row = rows[doc["id"]]
        assert row["title"] == doc["title"]
        assert row["parties"].split(";") == doc["parties"]
        assert row["period_start"] == iso(doc["period"]["start"])
        assert row["period_end"] == iso(doc["period"]["end"])
        assert row["signed"] == iso(doc.get("signed"))
        assert row["published"] == iso(doc["published"])
        assert row["url"] == f"{site.base_url}overenskommelser/{doc['id']}/"


def test_promises_and_their_commitments_match_their_yaml(files, source, site):
    promises = {r["id"]: r for r in json_rows(files, "medborgarloften")}
    commitments = {(r["promise"], r["id"]): r for r in json_rows(files, "ataganden")}
    assert set(promises) == {doc["id"] for doc in source["promises"]}
    assert len(commitments) == sum(len(doc["commitments"]) for doc in source["promises"])
    for doc in source["promises"]:
        promise = promises[doc["id"]]
        assert (promise["year"], promise["title"], promise["agreement"]) == (
            doc["year"], doc["title"], doc["agreement"])
        assert promise["commitments"] == [c["id"] for c in doc["commitments"]]
        assert promise["updated"] == (iso(doc["updated"]) if doc.get("updated") else None)
        assert promise["url"] == f"{site.base_url}medborgarloften/{doc['year']}/"
        for c in doc["commitments"]:
            row = commitments[(doc["id"], c["id"])]
            assert row["text"] == c["text"].strip()
            assert row["responsible"] == c["responsible"]
            assert row["due"] == iso(c["due"])
            assert row["indicators"] == c.get("indicators", [])
            assert row["url"] == f"{promise['url']}#{c['id']}"


def test_follow_up_outcomes_match_their_yaml(files, source, site):
    rows = {(r["follow_up"], r["commitment"]): r for r in json_rows(files, "uppfoljningar")}
    assert len(rows) == sum(len(doc["outcomes"]) for doc in source["follow-ups"])
    # The default statuses' words are messages, shown in the site's language.
    labels = {s.id: translate(s.label, site.language) for s in site.config.statuses}
    for doc in source["follow-ups"]:
        for outcome in doc["outcomes"]:
            row = rows[(doc["id"], outcome["commitment"])]
            assert row["promise"] == doc["promise"]
            assert row["date"] == iso(doc["date"])
            assert row["status"] == outcome["status"]
            assert row["status_label"] == labels[outcome["status"]]
            assert row["done"] is (outcome["status"] == "done")
            assert row["account"] == outcome["account"].strip()
            assert row["url"] == f"{site.base_url}uppfoljningar/{doc['id']}/"


def test_indicator_values_match_their_yaml(files, source):
    rows = {(r["indicator"], r["period"]): r for r in table_rows(files, "indikatorvarden")}
    assert len(rows) == sum(len(doc["values"]) for doc in source["indicators"])
    for doc in source["indicators"]:
        for value in doc["values"]:
            row = rows[(doc["id"], str(value["period"]))]
            assert float(row["value"]) == value["value"]
            assert row["unit"] == doc["unit"]
            assert row["note"] == value.get("note", "")
            assert row["target"] == ("" if doc.get("target") is None else
                                     csv_cell(float(doc["target"])))


def test_est_actions_and_report_counts_match_their_yaml(files, source, site):
    actions = {(r["area"], r["number"]): r for r in json_rows(files, "est-atgarder")}
    reports = {(r["area"], r["month"], r["category"]): r for r in json_rows(files, "est-rapporter")}
    for doc in source["est"]:
        for n, action in enumerate(doc.get("actions", []), start=1):
            row = actions[(doc["id"], n)]
            assert (row["what"], row["who"], row["by"], row["status"]) == (
                action["what"], action["who"], iso(action["by"]), action["status"])
            assert row["url"] == f"{site.base_url}est/{doc['id']}/#actions"
        for month in doc.get("reports", []):
            for category, count in month["counts"].items():
                assert reports[(doc["id"], month["month"], category)]["count"] == count
    assert len(actions) == sum(len(doc.get("actions", [])) for doc in source["est"])
    assert len(reports) == sum(len(m["counts"]) for doc in source["est"]
                               for m in doc.get("reports", []))


def test_every_row_links_to_a_page_and_an_anchor_that_exist(files, site):
    charts, _ = draw_site_charts(site.indicators.values(), site.est_areas)
    context = {"datasets": datasets(site), "charts": charts}
    html = {o.path.removesuffix("index.html"): o.data.decode("utf-8")
            for o in render_site(site, ROOT / "templates", context=context)[0]
            if o.path.endswith("index.html")}
    for t in TABLES:
        for row in table_rows(files, t.id):
            if not row["url"]:
                continue
            assert row["url"].startswith(site.base_url)
            path, _, anchor = row["url"].removeprefix(site.base_url).partition("#")
            assert path in html, row["url"]
            if anchor:
                assert f'id="{anchor}"' in html[path], row["url"]


# --- update dates ------------------------------------------------------------------------------

def test_update_dates_are_the_newest_source_dates_not_the_build_date(source, site):
    by_id = {d.id: d for d in datasets(site)}
    assert by_id["overenskommelser"].modified == max(newest(d) for d in source["agreements"])
    assert by_id["medborgarloften"].modified == max(newest(d) for d in source["promises"])
    assert by_id["ataganden"].modified == by_id["medborgarloften"].modified
    assert by_id["uppfoljningar"].modified == max(newest(d, "date") for d in source["follow-ups"])
    assert by_id["est-atgarder"].modified == max(newest(d) for d in source["est"])
    assert by_id["medborgarloften"].issued == min(d["published"] for d in source["promises"])
    assert all(d.modified <= TODAY for d in by_id.values())


def test_a_later_build_date_changes_no_byte(files):
    later = {o.path: o.data for o in export_outputs(build_site(today=TODAY + dt.timedelta(days=40)))}
    assert later == files


# --- determinism -------------------------------------------------------------------------------

DIGEST = """
import datetime as dt, hashlib, sys
from pathlib import Path
from insyn.exports import export_outputs
from insyn.pipeline import BuildOptions, build
site = build(BuildOptions(root=Path(sys.argv[1]), out=Path(sys.argv[1]) / "site",
                          today=dt.date.fromisoformat(sys.argv[2]), write=False)).site
for o in export_outputs(site):
    print(o.path, hashlib.sha256(o.data).hexdigest())
"""


def digests(files: dict[str, bytes]) -> str:
    return "".join(f"{path} {hashlib.sha256(data).hexdigest()}\n" for path, data in files.items())


def test_two_exports_are_byte_identical(site, files):
    assert {o.path: o.data for o in export_outputs(site)} == files


@pytest.mark.parametrize("seed", ["1", "4242"])
def test_exports_in_fresh_processes_are_byte_identical(files, seed):
    """rdflib keeps triples in hash order; the catalogue must not depend on it."""
    run = subprocess.run([sys.executable, "-c", DIGEST, str(ROOT), TODAY.isoformat()],
                         capture_output=True, text=True, check=True, cwd=ROOT,
                         env={**os.environ, "PYTHONHASHSEED": seed})
    assert run.stdout == digests(files)


# --- CSVW --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def written(files, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("exports")
    for path, data in files.items():
        (out / path).parent.mkdir(parents=True, exist_ok=True)
        (out / path).write_bytes(data)
    return out


def test_csvw_metadata_describes_every_csv_and_every_row_parses(written, site):
    group = csvw.TableGroup.from_file(written / CSVW_PATH)
    by_url = {str(t.url): t for t in group.tables}
    for d in datasets(site):
        table = by_url[f"{d.id}.csv"]
        columns = table.tableSchema.columns
        assert [c.name for c in columns] == [f.name for f in d.fields]
        assert [c.datatype.base for c in columns] == [f.datatype for f in d.fields]
        assert [c.titles.getfirst("sv") for c in columns] == [f.title for f in d.fields]
        assert list(table.tableSchema.primaryKey) == list(d.primary_key)
        rows = list(table.iterdicts(strict=True))
        assert len(rows) == d.rows
    assert group.check_referential_integrity(strict=True)


def test_csvw_types_are_real_values(written):
    group = csvw.TableGroup.from_file(written / CSVW_PATH)
    table = next(t for t in group.tables if str(t.url) == "ataganden.csv")
    row = next(table.iterdicts(strict=True))
    assert isinstance(row["due"], dt.date) and isinstance(row["year"], int)
    assert isinstance(row["responsible"], list) and row["example_data"] is True


# --- the DCAT-AP-SE catalogue ------------------------------------------------------------------

class DcatApSe:
    """Validates a catalogue as DIGG's validator does (see SOURCE.md next to the shapes): the EU
    DCAT-AP 3.0.0 shapes plus the Swedish additions, the vocabulary triples about the IRIs the
    catalogue uses, the scheme bridges and enrichments, pyshacl without inference, and the Swedish
    overrides dropped from the results."""

    BRIDGES = {EU + "language": DCTERMS.LinguisticSystem,
               EU + "access-right": DCTERMS.RightsStatement,
               EU + "frequency": DCTERMS.Frequency, EU + "licence": DCTERMS.LicenseDocument,
               EU + "file-type": DCTERMS.MediaTypeOrExtent}
    CONCEPT_SCHEMES = (EU + "data-theme", EU + "distribution-status")

    def __init__(self, folder: Path) -> None:
        self.shapes = Graph()
        for name in ("dcat-ap-SHACL.ttl", "dcat-ap-se-additions.ttl"):
            self.shapes.parse(folder / name)
        overrides = json.loads((folder / "dcat-ap-se-overrides.json").read_text("utf-8"))
        self.ignored = {(o["path"], c) for o in overrides["overrides"]
                        for c in o["ignoreConstraints"]}
        self.vocabularies = Graph()
        for path in sorted((folder / "vocabularies").iterdir()):
            self.vocabularies.parse(path)
        vocab = self.vocabularies
        for concept, scheme in list(vocab.subject_objects(SKOS.inScheme)):
            if str(scheme) in self.BRIDGES:
                vocab.add((concept, RDF.type, self.BRIDGES[str(scheme)]))
            if str(scheme) in self.CONCEPT_SCHEMES:
                vocab.add((concept, RDF.type, SKOS.Concept))
        for scheme in list(vocab.subjects(RDF.type, SKOS.ConceptScheme)):
            for label in list(vocab.objects(scheme, SKOS.prefLabel)):
                vocab.add((scheme, DCTERMS.title, label))
        self.subclasses = Graph()
        for path in sorted((folder / "ontologies").iterdir()):
            for triple in Graph().parse(path).triples((None, RDFS.subClassOf, None)):
                self.subclasses.add(triple)

    def data_graph(self, catalogue: Graph) -> Graph:
        data = Graph()
        for triple in catalogue:
            data.add(triple)
        for iri in {n for triple in catalogue for n in triple if isinstance(n, URIRef)}:
            for p, o in self.vocabularies.predicate_objects(iri):
                data.add((iri, p, o))
        for triple in self.subclasses:
            data.add(triple)
        for prop, cls in ((DCTERMS.license, DCTERMS.LicenseDocument),
                          (DCTERMS.conformsTo, DCTERMS.Standard),
                          (DCTERMS.spatial, DCTERMS.Location),
                          (DCAT.mediaType, DCTERMS.MediaType)):
            for o in catalogue.objects(None, prop):
                data.add((o, RDF.type, cls))
        return data

    def results(self, catalogue: Graph) -> tuple[list[str], list[str]]:
        """(kept, dropped): every result as a line of text."""
        _, report, _ = pyshacl.validate(self.data_graph(catalogue), shacl_graph=self.shapes,
                                        inference="none")
        kept, dropped = [], []
        for result in report.subjects(RDF.type, SH.ValidationResult):
            path = str(report.value(result, SH.resultPath))
            component = str(report.value(result, SH.sourceConstraintComponent)).split("#")[-1]
            line = " ".join(str(report.value(result, p)) for p in (
                SH.resultSeverity, SH.focusNode, SH.resultPath, SH.sourceConstraintComponent,
                SH.value, SH.resultMessage))
            (dropped if (path, component) in self.ignored else kept).append(line)
        return sorted(kept), sorted(dropped)


@pytest.fixture(scope="module")
def validator() -> DcatApSe:
    if not (SHAPES / "dcat-ap-SHACL.ttl").is_file():
        message = f"the DCAT-AP-SE shapes are not at {SHAPES} (set DCAT_AP_SE_SHAPES)"
        if os.environ.get("CI"):
            pytest.fail(message)  # in CI the shapes are always beside the clone
        pytest.skip(message)
    return DcatApSe(SHAPES)


def catalogue_of(files: dict[str, bytes]) -> Graph:
    return Graph().parse(data=files[CATALOGUE_PATH], format="xml")


def test_the_catalogue_has_zero_dcat_ap_se_violations(validator, files):
    kept, dropped = validator.results(catalogue_of(files))
    assert kept == []
    assert dropped, "the Swedish overrides should have had something to drop (literal formats)"


def test_the_validator_is_not_vacuous(validator, files):
    catalogue = catalogue_of(files)
    publisher = next(catalogue.objects(None, DCTERMS.publisher))
    catalogue.remove((None, DCTERMS.license, None))
    catalogue.remove((publisher, DCTERMS.type, None))
    catalogue.remove((None, DCTERMS.description, None))
    kept, _ = validator.results(catalogue)
    assert any("license" in line for line in kept)
    assert any("terms/type" in line for line in kept)
    assert any("description" in line for line in kept)


def one(graph: Graph, cls: URIRef) -> list[URIRef]:
    return list(graph.subjects(RDF.type, cls))


def test_the_catalogue_follows_the_swedish_rules_beyond_the_shapes(files, site):
    g = catalogue_of(files)
    (catalogue,) = one(g, DCAT.Catalog)
    assert g.value(catalogue, DCTERMS.license) == URIRef(CC0)
    assert g.value(catalogue, DCAT.themeTaxonomy) == URIRef(EU + "data-theme")
    cc_licences = {CC0} | {f"http://creativecommons.org/licenses/{k}/4.0/"
                           for k in ("by", "by-nc", "by-nc-nd", "by-nc-sa", "by-nd", "by-sa")}
    for licence in g.objects(None, DCTERMS.license):
        assert str(licence) in cc_licences
    format_pattern = re.compile(r"^\w+\/[-.\w]+(?:\+[-.\w]+)?(\s*;\s*\w+=\w+)?$")
    distributions = one(g, DCAT.Distribution)
    assert len(distributions) == 2 * len(TABLES)
    for dist in distributions:
        (fmt,) = g.objects(dist, DCTERMS["format"])
        assert isinstance(fmt, Literal) and format_pattern.match(str(fmt))
        (media_type,) = g.objects(dist, DCAT.mediaType)
        assert str(media_type) == "http://www.iana.org/assignments/media-types/" + str(fmt)
        (url,) = g.objects(dist, DCAT.downloadURL)
        assert g.value(dist, DCAT.accessURL) == url
        path = str(url).removeprefix(site.base_url)
        assert int(g.value(dist, DCAT.byteSize)) == len(files[path])
    for dataset in one(g, DCAT.Dataset):
        assert g.value(dataset, DCAT.theme) == URIRef(EU + "data-theme/JUST")
        assert g.value(dataset, DCTERMS.language) == URIRef(EU + "language/SWE")
        assert g.value(dataset, DCTERMS.accessRights) == URIRef(EU + "access-right/PUBLIC")
        assert str(g.value(dataset, DCTERMS.accrualPeriodicity)).startswith(EU + "frequency/")
    (publisher,) = set(g.objects(None, DCTERMS.publisher))
    assert g.value(publisher, DCTERMS.type) == URIRef(
        "http://purl.org/adms/publishertype/LocalAuthority")
    assert g.value(publisher, FOAF.name) == Literal("Lidköpings kommun", lang="sv")
    (contact,) = set(g.objects(None, DCAT.contactPoint))
    assert contact != publisher
    assert g.value(contact, RDF.type) == URIRef(VCARD + "Organization")
    assert g.value(contact, URIRef(VCARD + "fn"))
    assert g.value(contact, URIRef(VCARD + "hasEmail")) == URIRef("mailto:trygghet@lidkoping.se")


def test_the_frequencies_are_in_the_eu_table(validator, files):
    catalogue = catalogue_of(files)
    for frequency in catalogue.objects(None, DCTERMS.accrualPeriodicity):
        assert (frequency, SKOS.inScheme, URIRef(EU + "frequency")) in validator.vocabularies


def test_no_blank_nodes_in_the_catalogue(files):
    g = catalogue_of(files)
    assert not [t for t in g if any(isinstance(n, BNode) for n in t)]
    required = [*one(g, DCAT.Catalog), *one(g, DCAT.Dataset), *one(g, DCAT.Distribution),
                *g.objects(None, DCTERMS.publisher), *g.objects(None, DCAT.contactPoint)]
    assert len(required) > 2 * len(TABLES)
    assert all(isinstance(node, URIRef) for node in required)


OUR_OBJECTS = (DCAT.dataset, DCAT.distribution, DCAT.accessURL, DCAT.downloadURL,
               DCAT.landingPage, DCAT.contactPoint, DCTERMS.publisher)


@pytest.fixture(scope="module")
def other_site() -> Site:
    return build_site(OTHER_BASE)


def test_all_iris_are_absolute_and_ours_are_under_a_sub_path_base_url(other_site):
    files = {o.path: o.data for o in export_outputs(other_site)}
    g = catalogue_of(files)
    for node in {n for t in g for n in t if isinstance(n, URIRef)}:
        parts = urlsplit(str(node))
        assert parts.scheme in ("http", "https", "mailto") and (parts.netloc or parts.path), node
        assert " " not in str(node)
    for subject in set(g.subjects()):
        assert str(subject).startswith(OTHER_BASE), subject
    for prop in OUR_OBJECTS:
        for node in g.objects(None, prop):
            assert str(node).startswith(OTHER_BASE), (prop, node)
    configured = other_site.config.base_url.encode()
    assert not [path for path, data in files.items() if configured in data]
    for t in TABLES:
        assert all(r["url"].startswith(OTHER_BASE) for r in table_rows(files, t.id) if r["url"])


def test_the_sub_path_catalogue_validates_too(validator, other_site):
    files = {o.path: o.data for o in export_outputs(other_site)}
    assert validator.results(catalogue_of(files))[0] == []


# --- settings from data/site.yaml ------------------------------------------------------------------

class ConfigWith:
    """site.yaml's config with an `open_data` block, as the engineer will add it."""

    def __init__(self, config: Any, open_data: Any) -> None:
        self._config, self.open_data = config, open_data

    def __getattr__(self, name: str) -> Any:
        return getattr(self._config, name)


def test_licence_and_contact_default_to_cc0_and_the_site_contact(site):
    settings = open_data_settings(site)
    assert settings.licence.url == CC0 and "CC0" in settings.licence.title
    assert settings.contact.name == site.config.contact.unit
    assert settings.contact.email == site.config.contact.email
    assert settings.publisher_iri == site.base_url + DATA_PAGE_PATH + "#utgivare"


@pytest.mark.parametrize("open_data", [
    {"license": "https://creativecommons.org/licenses/by/4.0", "organisation_number": "212000-0000",
     "contact_email": "data@example.se"},
    SimpleNamespace(license="https://creativecommons.org/licenses/by/4.0",
                    organisation_number="2120000000", contact_email="data@example.se"),
])
def test_open_data_settings_from_site_yaml(site, validator, open_data):
    changed = dataclasses.replace(site, config=ConfigWith(site.config, open_data))
    settings = open_data_settings(changed)
    assert settings.licence.url == "http://creativecommons.org/licenses/by/4.0/"
    assert settings.licence.title == "CC BY 4.0 (Erkännande)"
    assert settings.publisher_iri == "http://dataportal.se/organisation/SE2120000000"
    assert settings.contact.email == "data@example.se"
    assert settings.contact.name == site.config.contact.unit
    files = {o.path: o.data for o in export_outputs(changed)}
    g = catalogue_of(files)
    assert set(map(str, g.objects(None, DCTERMS.license))) == {
        CC0, "http://creativecommons.org/licenses/by/4.0/"}
    assert validator.results(g)[0] == []
    assert json.loads(files[CSVW_PATH])["dc:license"] == {
        "@id": "http://creativecommons.org/licenses/by/4.0/"}


# --- the Atom feed ------------------------------------------------------------------------------

def test_the_feed_announces_every_promise_and_follow_up(files, source, site):
    feed = ET.fromstring(files[FEED_PATH])
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == len(source["promises"]) + len(source["follow-ups"])
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids)
    expected = {f"{site.base_url}medborgarloften/{d['year']}/": d for d in source["promises"]}
    expected |= {f"{site.base_url}uppfoljningar/{d['id']}/": d for d in source["follow-ups"]}
    for entry in entries:
        doc = expected[entry.findtext(f"{ATOM}id")]
        assert entry.find(f"{ATOM}link").get("href") == entry.findtext(f"{ATOM}id")
        assert entry.findtext(f"{ATOM}title") == doc["title"]
        assert entry.findtext(f"{ATOM}updated") == f"{iso(doc.get('updated') or doc['published'])}T00:00:00Z"
        assert entry.findtext(f"{ATOM}published") == f"{iso(doc['published'])}T00:00:00Z"
    updated = [e.findtext(f"{ATOM}updated") for e in entries]
    assert updated == sorted(updated, reverse=True)
    assert feed.findtext(f"{ATOM}updated") == updated[0]
    assert feed.findtext(f"{ATOM}id") == site.base_url + FEED_PATH
    assert feed.find(f"{ATOM}author/{ATOM}name").text == "Lidköpings kommun"
    self_link = next(link for link in feed.findall(f"{ATOM}link") if link.get("rel") == "self")
    assert self_link.get("href") == site.base_url + FEED_PATH


# --- the data page ------------------------------------------------------------------------------

def render_data_page(site: Site) -> str:
    """The data page exactly as the build renders it."""
    charts, _ = draw_site_charts(site.indicators.values(), site.est_areas)
    outputs, _ = render_site(site, ROOT / "templates",
                             context={"datasets": datasets(site), "charts": charts})
    return next(o.data.decode("utf-8") for o in outputs
                if o.path == DATA_PAGE_PATH + "index.html")


def test_the_data_page_lists_every_download_with_licence_date_and_fields(site, files):
    html = render_data_page(site)
    base = site.base_path
    links = set(re.findall(r'href="([^"]+)"', html))
    for d in datasets(site):
        assert f'id="{d.id}"' in html
        assert f'datetime="{d.modified.isoformat()}"' in html
        assert f"{base}{d.schema_path}" in links
        for dist in d.distributions:
            assert f'id="{dist.anchor}"' in html
            assert f"{base}{dist.path}" in links
            assert format_size(dist.size, "sv") in html
        for field in d.fields:
            assert f"<code>{field.name}</code>" in html and field.description in html
    own = {link.removeprefix(base) for link in links if link.startswith(base)}
    for path in (CATALOGUE_PATH, CSVW_PATH, FEED_PATH):
        assert path in own and path in files
    assert f'href="{CC0}" rel="license"' in html
    assert "CC0 1.0" in html and "trygghet@lidkoping.se" in html
    assert "Senast uppdaterad" in html and "Ladda ner" in html


def test_the_catalogue_iris_point_at_the_data_page_sections(site, files):
    html = render_data_page(site)
    g = catalogue_of(files)
    for node in [*one(g, DCAT.Dataset), *one(g, DCAT.Distribution)]:
        page, _, anchor = str(node).partition("#")
        assert page == site.base_url + DATA_PAGE_PATH and f'id="{anchor}"' in html

