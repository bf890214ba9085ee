"""OPEN DATA: every dataset as CSV and JSON, their CSVW metadata, a DCAT-AP-SE catalogue and an
Atom feed. Pure: Site -> list of Output(path, bytes), the same bytes for the same input.

Datasets (one row per ...): agreements, promises, commitments, follow-up outcomes, indicator
values, EST actions and EST report counts. Every row carries its stable id and the absolute
address of the page that shows it. A dataset's "updated" date is the newest date written in its
source files (published, updated, change notes, follow-up dates), never the build date.

Files, relative to the site root:

- `datasets/<id>.csv` and `datasets/<id>.json` for each dataset
- `datasets/csv-metadata.json`: CSVW metadata describing every CSV file (found automatically by
  CSVW processors, which look for csv-metadata.json next to a CSV file)
- `datasets/dcat` (and the same bytes as `datasets/dcat.rdf`): the DCAT-AP-SE catalogue in RDF/XML,
  the address dataportal.se harvests by default
- `nyheter.atom`: an Atom feed of new promises and follow-ups

The data page (`DATA_PAGE_PATH`) shows `datasets(site)` with templates/data.html; the catalogue's
IRIs point at its sections (#<dataset id>, #<dataset id>-csv, ...).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD
from rdflib.term import Node

from .models import PageMeta
from .render import Output, format_date
from .site import DATA_PAGE_PATH, Site

"""Where the engine renders templates/data.html."""
DATASETS_DIR = "datasets/"
CATALOGUE_PATH = "datasets/dcat"
CATALOGUE_RDF_PATH = "datasets/dcat.rdf"
CSVW_PATH = "datasets/csv-metadata.json"
FEED_PATH = "nyheter.atom"
SCHEMA_PATH = "schemas/{kind}.schema.json"
"""The JSON Schema of a kind of source file (a name in insyn/schemas.py), published by the engine."""

CSV_TYPE = "text/csv"
JSON_TYPE = "application/json"
RDF_XML_TYPE = "application/rdf+xml"
ATOM_TYPE = "application/atom+xml"
CSVW_TYPE = "application/csvm+json"
IANA_MEDIA_TYPES = "http://www.iana.org/assignments/media-types/"

CC0 = "http://creativecommons.org/publicdomain/zero/1.0/"
LICENCE_TITLES = {
    CC0: "CC0 1.0 Universell (fri från upphovsrätt)",
    "http://creativecommons.org/licenses/by/4.0/": "CC BY 4.0 (Erkännande)",
    "http://creativecommons.org/licenses/by-sa/4.0/": "CC BY-SA 4.0 (Erkännande, Dela lika)",
}

EU = "http://publications.europa.eu/resource/authority/"
THEME_JUST = URIRef(EU + "data-theme/JUST")
"""Justice, legal system and public safety."""
THEME_TAXONOMY = URIRef(EU + "data-theme")
LANGUAGE = {"sv": URIRef(EU + "language/SWE"), "en": URIRef(EU + "language/ENG")}
"""The language of the data (the site's language)."""
TEXT_LANGUAGE = "sv"
"""The language of the catalogue's titles and descriptions, which are written here in Swedish."""
PUBLIC = URIRef(EU + "access-right/PUBLIC")
STABLE = URIRef(EU + "planned-availability/STABLE")
PUBLISHER_TYPES = "http://purl.org/adms/publishertype/"
MUNICIPALITY = "LocalAuthority"
"""ADMS publisher type of a municipality (kommun)."""
DATAPORTAL_ORGANISATION = "http://dataportal.se/organisation/SE{number}"
"""The well-known publisher IRI that dataportal.se asks for, from a 10-digit organisation number."""

DCATAP = Namespace("http://data.europa.eu/r5r/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
PREFIXES = {
    "dcat": str(DCAT), "dcatap": str(DCATAP), "dcterms": str(DCTERMS), "foaf": str(FOAF),
    "rdf": str(RDF), "vcard": str(VCARD),
}


# --- what the data page shows ------------------------------------------------------------------

@dataclass(frozen=True)
class Field:
    """One column of a dataset (the same in CSV and JSON)."""

    name: str
    """The CSV header and JSON key: lower case, as in the YAML files."""
    title: str
    """Swedish title, for people."""
    description: str
    datatype: str = "string"
    """A CSVW datatype: string, integer, decimal, boolean, date, gYearMonth or anyURI."""
    required: bool = False
    is_list: bool = False
    """Several values: an array in JSON, separated by LIST_SEPARATOR in CSV."""


LIST_SEPARATOR = ";"


@dataclass(frozen=True)
class Distribution:
    """One downloadable file of a dataset."""

    path: str
    """Site path, for example datasets/ataganden.csv."""
    media_type: str
    format: str
    """CSV or JSON."""
    size: int
    """In bytes."""
    anchor: str
    """Id of its line on the data page; also the end of its IRI in the catalogue."""


@dataclass(frozen=True)
class Licence:
    url: str
    title: str


@dataclass(frozen=True)
class ContactPoint:
    name: str
    email: str | None
    url: str | None


@dataclass(frozen=True)
class Dataset:
    id: str
    """Stable: the file names and the anchor on the data page."""
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    distributions: tuple[Distribution, ...]
    rows: int
    issued: dt.date
    """The oldest published date among its source items."""
    modified: dt.date
    """The newest date written in its source items (published, updated, changes, follow-up dates)."""
    licence: Licence
    contact: ContactPoint
    schema_path: str
    """JSON Schema of the source files the rows come from."""
    metadata_path: str
    """CSVW metadata describing the CSV file."""
    frequency: str
    """EU frequency code: ANNUAL, MONTHLY or IRREG."""
    frequency_label: str
    keywords: tuple[str, ...]
    example_data: bool
    """Some source items say their figures are invented."""


# --- settings --------------------------------------------------------------------------------

@dataclass(frozen=True)
class OpenDataSettings:
    licence: Licence
    contact: ContactPoint
    publisher_iri: str
    publisher_type: str


def _setting(source: Any, *names: str) -> Any:
    """The first of `names` set on a mapping or an object (the optional `open_data` of site.yaml)."""
    for name in names:
        value = source.get(name) if isinstance(source, Mapping) else getattr(source, name, None)
        if value not in (None, ""):
            return value
    return None


def canonical_licence(url: str) -> str:
    """Creative Commons IRIs exactly as the portal wants them: http, ending with /."""
    if "creativecommons.org/" in url:
        url = "http://" + url.split("://", 1)[-1]
        if not url.endswith("/"):
            url += "/"
    return url


def open_data_settings(site: Site) -> OpenDataSettings:
    """Licence, contact and publisher: from `open_data` in data/site.yaml when given, else CC0 and
    the site's contact."""
    config = site.config
    given = getattr(config, "open_data", None) or {}
    url = canonical_licence(str(_setting(given, "license", "licence") or CC0))
    title = str(_setting(given, "license_title") or LICENCE_TITLES.get(url, url))
    contact = ContactPoint(
        name=str(_setting(given, "contact_unit") or config.contact.unit),
        email=_setting(given, "contact_email") or config.contact.email,
        url=_setting(given, "contact_url") or config.contact.url)
    number = "".join(c for c in str(_setting(given, "organisation_number") or "") if c.isdigit())
    publisher = (DATAPORTAL_ORGANISATION.format(number=number) if len(number) == 10
                 else site.base_url + DATA_PAGE_PATH + "#utgivare")
    kind = str(_setting(given, "publisher_type") or MUNICIPALITY)
    return OpenDataSettings(Licence(url, title), contact, publisher,
                            kind if "://" in kind else PUBLISHER_TYPES + kind)


# --- rows ------------------------------------------------------------------------------------

Row = dict[str, Any]


def page_url(site: Site, item: Any, anchor: str = "") -> str:
    return site.base_url + site.path_of(item) + (f"#{anchor}" if anchor else "")


def meta_dates(meta: PageMeta) -> list[dt.date]:
    """Every date a source item writes about itself."""
    dates = [meta.published, *(c.date for c in meta.changes)]
    return dates + ([meta.updated] if meta.updated else [])


def _status_label(site: Site, status_id: str) -> str:
    try:
        return site.status(status_id).label
    except KeyError:
        return status_id


def _status_done(site: Site, status_id: str) -> bool:
    try:
        return site.status(status_id).done
    except KeyError:
        return False


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def agreement_rows(site: Site) -> list[Row]:
    return [{
        "id": a.id, "title": a.title, "summary": a.summary, "parties": list(a.parties),
        "period_start": a.period.start, "period_end": a.period.end, "signed": a.signed,
        "focus_areas": [f.id for f in a.focus_areas], "successor": a.successor,
        "published": a.published, "updated": a.updated, "example_data": a.example_data,
        "url": page_url(site, a),
    } for a in site.agreements]


def promise_rows(site: Site) -> list[Row]:
    return [{
        "id": p.id, "year": p.year, "title": p.title, "summary": p.summary,
        "agreement": p.agreement, "focus_areas": list(p.focus_areas),
        "commitments": [c.id for c in p.commitments], "published": p.published,
        "updated": p.updated, "example_data": p.example_data, "url": page_url(site, p),
    } for p in site.promises]


def commitment_rows(site: Site) -> list[Row]:
    return [{
        "promise": p.id, "id": c.id, "year": p.year, "text": c.text,
        "responsible": list(c.responsible), "due": c.due, "focus_area": c.focus_area,
        "answers": list(c.answers), "indicators": list(c.indicators),
        "example_data": p.example_data, "url": page_url(site, p, c.id),
    } for p in site.promises for c in p.commitments]


def outcome_rows(site: Site) -> list[Row]:
    return [{
        "follow_up": f.id, "promise": f.promise, "commitment": o.commitment, "date": f.date,
        "status": o.status, "status_label": _status_label(site, o.status),
        "done": _status_done(site, o.status), "account": o.account,
        "example_data": f.example_data, "url": page_url(site, f),
    } for f in site.follow_ups for o in f.outcomes]


def indicator_shown_on(site: Site, indicator_id: str) -> list[tuple[Any, str]]:
    """(item, anchor) of the pages that show an indicator, the best one last: agreements naming it
    in a goal, promises measuring a commitment with it, then follow-ups showing its values."""
    def measured(promise) -> bool:
        return any(indicator_id in c.indicators for c in promise.commitments)

    shown: list[tuple[Any, str]] = [(a, "goals") for a in site.agreements
                                    if any(indicator_id in g.indicators for g in a.goals)]
    shown += [(p, "commitments") for p in site.promises if measured(p)]
    shown += [(f, f"ind-{indicator_id}") for f in site.follow_ups
              if measured(site.promise(f.promise))]
    return shown


def indicator_rows(site: Site) -> list[Row]:
    rows = []
    for ind in sorted(site.indicators.values(), key=lambda i: i.id):
        shown = indicator_shown_on(site, ind.id)
        url = page_url(site, *shown[-1]) if shown else None
        rows += [{
            "indicator": ind.id, "period": str(v.period), "value": _number(v.value),
            "note": v.note, "title": ind.title, "unit": ind.unit, "frequency": ind.frequency,
            "source": ind.source, "target": None if ind.target is None else _number(ind.target),
            "higher_is_better": ind.higher_is_better, "example_data": ind.example_data,
            "url": url,
        } for v in sorted(ind.values, key=lambda v: str(v.period))]
    return rows


def est_action_rows(site: Site) -> list[Row]:
    return [{
        "area": area.id, "number": n, "what": a.what, "who": a.who, "by": a.by,
        "status": a.status, "status_label": _status_label(site, a.status), "note": a.note,
        "example_data": area.example_data, "url": page_url(site, area, "actions"),
    } for area in site.est_areas for n, a in enumerate(area.actions, start=1)]


def est_report_rows(site: Site) -> list[Row]:
    rows = []
    for area in site.est_areas:
        labels = {c.id: c.label for c in area.report_categories}
        for month in sorted(area.reports, key=lambda r: r.month):
            rows += [{
                "area": area.id, "month": month.month, "category": category,
                "category_label": labels.get(category, category), "count": count,
                "example_data": area.example_data, "url": page_url(site, area, "reports"),
            } for category, count in sorted(month.counts.items())]
    return rows


# --- the datasets ----------------------------------------------------------------------------

def _f(name: str, title: str, description: str, datatype: str = "string", *,
       required: bool = False, is_list: bool = False) -> Field:
    return Field(name, title, description, datatype, required, is_list)


EXAMPLE = _f("example_data", "Exempeldata", "true när siffrorna i källfilen är påhittade "
             "(exempelwebbplatsen).", "boolean", required=True)
URL = _f("url", "Webbsida", "Adressen till sidan på webbplatsen som visar raden.", "anyURI",
         required=True)
PUBLISHED = _f("published", "Publicerad", "Dagen sidan publicerades första gången (ÅÅÅÅ-MM-DD).",
               "date", required=True)
UPDATED = _f("updated", "Uppdaterad", "Dagen sidan senast ändrades, om den angetts (ÅÅÅÅ-MM-DD).",
             "date")


@dataclass(frozen=True)
class Table:
    """How one dataset is made from the Site."""

    id: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    rows: Callable[[Site], list[Row]]
    sources: Callable[[Site], list[tuple[PageMeta | None, list[dt.date]]]]
    """The source items: (their page meta, further dates such as a follow-up's date)."""
    kind: str
    """The kind of source file, which names its JSON Schema: agreement, promise, follow-up,
    indicator or est-area (insyn/schemas.py)."""
    frequency: str
    keywords: tuple[str, ...]
    foreign_keys: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = ()
    """(columns, other table id, its columns)."""


def _pages(items: Iterable[PageMeta]) -> list[tuple[PageMeta | None, list[dt.date]]]:
    return [(item, []) for item in items]


def _indicator_sources(site: Site) -> list[tuple[PageMeta | None, list[dt.date]]]:
    shown = {id(item): item for ind in site.indicators for item, _ in indicator_shown_on(site, ind)}
    return [(item, [item.date] if hasattr(item, "date") else []) for item in shown.values()]


TABLES: tuple[Table, ...] = (
    Table(
        "overenskommelser", "Samverkansöverenskommelser",
        "Överenskommelserna mellan kommunen och polisen (samverkansöverenskommelser): parter, "
        "period och fokusområden. En rad per överenskommelse.",
        (_f("id", "Id", "Överenskommelsens id, samma som i sidans adress.", required=True),
         _f("title", "Titel", "Överenskommelsens namn.", required=True),
         _f("summary", "Sammanfattning", "En eller två meningar om överenskommelsen.",
            required=True),
         _f("parties", "Parter", "Id för parterna som står bakom överenskommelsen.",
            required=True, is_list=True),
         _f("period_start", "Gäller från", "Första dagen överenskommelsen gäller.", "date",
            required=True),
         _f("period_end", "Gäller till", "Sista dagen överenskommelsen gäller.", "date",
            required=True),
         _f("signed", "Undertecknad", "Dagen överenskommelsen undertecknades.", "date"),
         _f("focus_areas", "Fokusområden", "Id för överenskommelsens fokusområden.",
            is_list=True),
         _f("successor", "Ersätts av", "Id för överenskommelsen som ersätter denna."),
         PUBLISHED, UPDATED, EXAMPLE, URL),
        ("id",), agreement_rows, lambda site: _pages(site.agreements), "agreement", "IRREG",
        ("samverkansöverenskommelse", "polisen", "kommunen", "trygghet")),
    Table(
        "medborgarloften", "Medborgarlöften",
        "Kommunens och polisens medborgarlöften, ett per år: vilken överenskommelse löftet hör "
        "till och vilka åtaganden det har. En rad per löfte.",
        (_f("id", "Id", "Löftets id.", required=True),
         _f("year", "År", "Året löftet gäller.", "integer", required=True),
         _f("title", "Titel", "Löftets namn.", required=True),
         _f("summary", "Sammanfattning", "En eller två meningar om löftet.", required=True),
         _f("agreement", "Överenskommelse", "Id för överenskommelsen som löftet hör till.",
            required=True),
         _f("focus_areas", "Fokusområden", "Id för överenskommelsens fokusområden som löftet "
            "arbetar med.", is_list=True),
         _f("commitments", "Åtaganden", "Id för löftets åtaganden (se datamängden Åtaganden).",
            required=True, is_list=True),
         PUBLISHED, UPDATED, EXAMPLE, URL),
        ("id",), promise_rows, lambda site: _pages(site.promises), "promise", "ANNUAL",
        ("medborgarlöfte", "polisen", "kommunen", "trygghet"),
        ((("agreement",), "overenskommelser", ("id",)),)),
    Table(
        "ataganden", "Åtaganden i medborgarlöftena",
        "Det kommunen och polisen lovar att göra i varje medborgarlöfte: vem som ansvarar och "
        "när det ska vara klart. Ett åtagande som fortsätter ett nytt år behåller sitt id. "
        "En rad per åtagande och löfte.",
        (_f("promise", "Medborgarlöfte", "Id för löftet som åtagandet ingår i.", required=True),
         _f("id", "Id", "Åtagandets id. Det är detsamma alla år som åtagandet finns kvar.",
            required=True),
         _f("year", "År", "Året löftet gäller.", "integer", required=True),
         _f("text", "Åtagande", "Vad vi lovar att göra.", required=True),
         _f("responsible", "Ansvariga", "Id för parterna som ansvarar.", required=True,
            is_list=True),
         _f("due", "Klart senast", "Dagen åtagandet ska vara genomfört.", "date", required=True),
         _f("focus_area", "Fokusområde", "Id för fokusområdet i överenskommelsen."),
         _f("answers", "Svarar på", "Id för det som invånarna tog upp i dialogerna och som "
            "åtagandet svarar på.", is_list=True),
         _f("indicators", "Indikatorer", "Id för indikatorerna som mäter åtagandet.",
            is_list=True),
         EXAMPLE, URL),
        ("promise", "id"), commitment_rows, lambda site: _pages(site.promises), "promise",
        "ANNUAL", ("medborgarlöfte", "åtagande", "trygghet"),
        ((("promise",), "medborgarloften", ("id",)),)),
    Table(
        "uppfoljningar", "Uppföljning av åtagandena",
        "Hur det gick med varje åtagande när medborgarlöftet följdes upp: status och en "
        "redovisning. En rad per åtagande och uppföljning.",
        (_f("follow_up", "Uppföljning", "Id för uppföljningen.", required=True),
         _f("promise", "Medborgarlöfte", "Id för löftet som följs upp.", required=True),
         _f("commitment", "Åtagande", "Id för åtagandet (se datamängden Åtaganden).",
            required=True),
         _f("date", "Uppföljt till och med", "Uppföljningen visar läget den här dagen.", "date",
            required=True),
         _f("status", "Status", "Statusens id: done, partly-done, ongoing, not-started eller "
            "cancelled.", required=True),
         _f("status_label", "Status (text)", "Statusen i ord, som den visas på webbplatsen.",
            required=True),
         _f("done", "Genomfört", "true när statusen räknas som ett hållet åtagande.", "boolean",
            required=True),
         _f("account", "Redovisning", "Vad som gjordes, med några meningar.", required=True),
         EXAMPLE, URL),
        ("follow_up", "commitment"), outcome_rows,
        lambda site: [(f, [f.date]) for f in site.follow_ups], "follow-up", "ANNUAL",
        ("uppföljning", "medborgarlöfte", "trygghet"),
        ((("promise", "commitment"), "ataganden", ("promise", "id")),)),
    Table(
        "indikatorvarden", "Indikatorer: uppmätta värden",
        "Uppmätta värden för indikatorerna som följer upp överenskommelser och medborgarlöften, "
        "till exempel andelen som känner sig trygga. En rad per indikator och år eller kvartal.",
        (_f("indicator", "Indikator", "Indikatorns id.", required=True),
         _f("period", "Period", "Året (2022) eller kvartalet (2022-Q3) som värdet gäller.",
            required=True),
         _f("value", "Värde", "Det uppmätta värdet, i indikatorns enhet.", "decimal",
            required=True),
         _f("note", "Anmärkning", "En kommentar till värdet."),
         _f("title", "Indikatorns namn", "Vad som mäts.", required=True),
         _f("unit", "Enhet", "Till exempel procent eller antal anmälningar.", required=True),
         _f("frequency", "Frekvens", "year när värdena gäller år, quarter när de gäller "
            "kvartal.", required=True),
         _f("source", "Källa", "Var siffrorna kommer ifrån.", required=True),
         _f("target", "Målvärde", "Värdet vi vill nå, om det finns ett.", "decimal"),
         _f("higher_is_better", "Högre är bättre", "true när ett högre värde är bättre.",
            "boolean", required=True),
         EXAMPLE,
         _f("url", "Webbsida", "Adressen till sidan på webbplatsen som visar indikatorn, när "
            "någon sida gör det.", "anyURI")),
        ("indicator", "period"), indicator_rows, _indicator_sources, "indicator", "ANNUAL",
        ("indikator", "trygghetsmätning", "trygghet")),
    Table(
        "est-atgarder", "EST: åtgärder",
        "Åtgärdslistorna i områdena där vi arbetar med EST (effektiv samordning för trygghet): "
        "vad som ska göras, av vem, till när och hur det går. En rad per åtgärd.",
        (_f("area", "Område", "Id för EST-området.", required=True),
         _f("number", "Nummer", "Åtgärdens löpnummer i områdets åtgärdslista.", "integer",
            required=True),
         _f("what", "Åtgärd", "Vad som ska göras.", required=True),
         _f("who", "Vem", "Organisationen som gör det.", required=True),
         _f("by", "Klart senast", "Dagen åtgärden ska vara klar.", "date", required=True),
         _f("status", "Status", "Statusens id: done, partly-done, ongoing, not-started eller "
            "cancelled.", required=True),
         _f("status_label", "Status (text)", "Statusen i ord, som den visas på webbplatsen.",
            required=True),
         _f("note", "Anmärkning", "Varför, när statusen behöver förklaras."),
         EXAMPLE, URL),
        ("area", "number"), est_action_rows, lambda site: _pages(site.est_areas), "est-area",
        "IRREG", ("EST", "effektiv samordning för trygghet", "åtgärd", "trygghet")),
    Table(
        "est-rapporter", "EST: inrapporterade händelser per månad",
        "Antalet händelser som rapporterats i varje EST-område per månad och kategori, till "
        "exempel skadegörelse och nedskräpning. En rad per område, månad och kategori.",
        (_f("area", "Område", "Id för EST-området.", required=True),
         _f("month", "Månad", "Månaden som ÅÅÅÅ-MM.", "gYearMonth", required=True),
         _f("category", "Kategori", "Kategorins id.", required=True),
         _f("category_label", "Kategori (text)", "Kategorin i ord.", required=True),
         _f("count", "Antal", "Antalet rapporterade händelser.", "integer", required=True),
         EXAMPLE, URL),
        ("area", "month", "category"), est_report_rows, lambda site: _pages(site.est_areas),
        "est-area", "MONTHLY", ("EST", "effektiv samordning för trygghet", "lägesbild", "trygghet")),
)

FREQUENCY_LABELS = {"ANNUAL": "en gång om året", "MONTHLY": "varje månad",
                    "IRREG": "vid behov (oregelbundet)"}


def table_dates(table: Table, site: Site) -> tuple[dt.date, dt.date]:
    """(issued, modified): the oldest published and the newest date among the source items."""
    sources = table.sources(site)
    published = [meta.published for meta, _ in sources if meta is not None]
    dates = [d for meta, extra in sources for d in (meta_dates(meta) if meta else []) + extra]
    fallback = max((d for a in site.agreements for d in meta_dates(a)), default=dt.date(1970, 1, 1))
    return min(published, default=fallback), max(dates, default=fallback)


def table_example_data(table: Table, site: Site) -> bool:
    return any(getattr(meta, "example_data", False) for meta, _ in table.sources(site)) or (
        table.kind == "indicator" and any(i.example_data for i in site.indicators.values()))


# --- CSV and JSON ----------------------------------------------------------------------------

def csv_cell(value: Any) -> str:
    """A value as CSV text: ISO dates, true/false, lists separated by LIST_SEPARATOR, '' for none."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return LIST_SEPARATOR.join(csv_cell(v) for v in value)
    if isinstance(value, float):
        return repr(_number(value))
    return str(value)


def json_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [json_value(v) for v in value]
    if isinstance(value, float):
        return _number(value)
    return value


def to_csv(fields: Iterable[Field], rows: Iterable[Row]) -> bytes:
    """UTF-8, comma-separated, a header row of field names, CRLF line ends (RFC 4180)."""
    names = [f.name for f in fields]
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(names)
    writer.writerows([csv_cell(row[name]) for name in names] for row in rows)
    return text.getvalue().encode("utf-8")


def to_json(fields: Iterable[Field], rows: Iterable[Row]) -> bytes:
    """A JSON array of objects with the same keys, in the same order, as the CSV columns."""
    names = [f.name for f in fields]
    data = [{name: json_value(row[name]) for name in names} for row in rows]
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _json_bytes(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# --- CSVW ------------------------------------------------------------------------------------

def csvw_column(field: Field) -> dict[str, Any]:
    column: dict[str, Any] = {
        "name": field.name,
        "titles": {"und": [field.name], "sv": [field.title]},
        "dc:description": field.description,
        "datatype": field.datatype,
        "required": field.required,
    }
    if field.is_list:
        column["separator"] = LIST_SEPARATOR
    return column


def csvw_metadata(site: Site, tables: list[tuple[Table, Dataset]]) -> bytes:
    """One CSVW table group describing every CSV file of `datasets/` (W3C Tabular Data)."""
    settings = open_data_settings(site)
    return _json_bytes({
        "@context": ["http://www.w3.org/ns/csvw", {"@language": "sv"}],
        "dc:title": f"Öppna data från {site.config.site_name}",
        "dc:publisher": site.config.organisation.name,
        "dc:license": {"@id": settings.licence.url},
        "dialect": {"encoding": "utf-8", "delimiter": ",", "header": True,
                    "lineTerminators": ["\r\n", "\n"]},
        "tables": [{
            "url": f"{table.id}.csv",
            "dc:identifier": site.base_url + DATA_PAGE_PATH + "#" + table.id,
            "dc:title": dataset.title,
            "dc:description": dataset.description,
            "dc:modified": {"@value": dataset.modified.isoformat(), "@type": "xsd:date"},
            "tableSchema": {
                "columns": [csvw_column(f) for f in table.fields],
                "primaryKey": list(table.primary_key),
                **({"foreignKeys": [{
                    "columnReference": list(columns),
                    "reference": {"resource": f"{other}.csv", "columnReference": list(theirs)},
                } for columns, other, theirs in table.foreign_keys]} if table.foreign_keys else {}),
            },
        } for table, dataset in tables],
    })


# --- the DCAT-AP-SE catalogue -------------------------------------------------------------------

def _iri(site: Site, anchor: str) -> URIRef:
    return URIRef(site.base_url + DATA_PAGE_PATH + "#" + anchor)


def catalogue_graph(site: Site, datasets_: list[Dataset]) -> Graph:
    """The catalogue as RDF: catalogue, datasets, distributions, publisher and contact point, each
    with an absolute IRI (no blank nodes), described with the EU vocabularies DCAT-AP-SE uses."""
    settings = open_data_settings(site)
    config = site.config
    g = Graph()
    sv = TEXT_LANGUAGE
    catalogue, contact = _iri(site, "katalog"), _iri(site, "kontakt")
    publisher = URIRef(settings.publisher_iri)
    language = LANGUAGE[site.language]

    g.add((catalogue, RDF.type, DCAT.Catalog))
    g.add((catalogue, DCTERMS.title, Literal(f"Öppna data från {config.site_name}", lang=sv)))
    g.add((catalogue, DCTERMS.description, Literal(
        f"Datamängder från {config.organisation.name} om samverkan för trygghet: "
        "överenskommelser, medborgarlöften, uppföljningar, indikatorer och EST.", lang=sv)))
    g.add((catalogue, DCTERMS.publisher, publisher))
    g.add((catalogue, DCTERMS.license, URIRef(CC0)))  # the metadata itself: always CC0 in Sweden
    g.add((catalogue, DCTERMS.language, language))
    g.add((catalogue, FOAF.homepage, URIRef(site.base_url)))
    g.add((catalogue, DCAT.themeTaxonomy, THEME_TAXONOMY))
    if datasets_:
        g.add((catalogue, DCTERMS.issued, Literal(min(d.issued for d in datasets_))))
        g.add((catalogue, DCTERMS.modified, Literal(max(d.modified for d in datasets_))))

    g.add((publisher, RDF.type, FOAF.Organization))
    g.add((publisher, RDF.type, FOAF.Agent))
    g.add((publisher, FOAF.name, Literal(config.organisation.name, lang=sv)))
    g.add((publisher, DCTERMS.type, URIRef(settings.publisher_type)))
    if config.organisation.url:
        g.add((publisher, FOAF.homepage, URIRef(config.organisation.url)))

    g.add((contact, RDF.type, VCARD.Organization))
    g.add((contact, VCARD.fn, Literal(settings.contact.name, lang=sv)))
    if settings.contact.email:
        g.add((contact, VCARD.hasEmail, URIRef("mailto:" + settings.contact.email)))
    if settings.contact.url:
        g.add((contact, VCARD.hasURL, URIRef(settings.contact.url)))

    for d in datasets_:
        dataset = _iri(site, d.id)
        g.add((catalogue, DCAT.dataset, dataset))
        g.add((dataset, RDF.type, DCAT.Dataset))
        g.add((dataset, DCTERMS.identifier, Literal(str(dataset))))
        g.add((dataset, DCTERMS.title, Literal(d.title, lang=sv)))
        g.add((dataset, DCTERMS.description, Literal(d.description, lang=sv)))
        g.add((dataset, DCTERMS.publisher, publisher))
        g.add((dataset, DCAT.contactPoint, contact))
        g.add((dataset, DCAT.theme, THEME_JUST))
        g.add((dataset, DCTERMS.language, language))
        g.add((dataset, DCTERMS.accessRights, PUBLIC))
        g.add((dataset, DCTERMS.accrualPeriodicity, URIRef(EU + "frequency/" + d.frequency)))
        g.add((dataset, DCTERMS.issued, Literal(d.issued)))
        g.add((dataset, DCTERMS.modified, Literal(d.modified)))
        g.add((dataset, DCAT.landingPage, URIRef(site.base_url + DATA_PAGE_PATH)))
        for keyword in d.keywords:
            g.add((dataset, DCAT.keyword, Literal(keyword, lang=sv)))
        for dist in d.distributions:
            node = _iri(site, dist.anchor)
            url = URIRef(site.base_url + dist.path)
            g.add((dataset, DCAT.distribution, node))
            g.add((node, RDF.type, DCAT.Distribution))
            g.add((node, DCTERMS.title, Literal(f"{d.title} ({dist.format})", lang=sv)))
            g.add((node, DCAT.accessURL, url))
            g.add((node, DCAT.downloadURL, url))
            g.add((node, DCTERMS.format, Literal(dist.media_type)))
            g.add((node, DCAT.mediaType, URIRef(IANA_MEDIA_TYPES + dist.media_type)))
            g.add((node, DCAT.byteSize, Literal(dist.size, datatype=XSD.nonNegativeInteger)))
            g.add((node, DCTERMS.license, URIRef(d.licence.url)))
            g.add((node, DCTERMS.modified, Literal(d.modified)))
            g.add((node, DCATAP["availability"], STABLE))
    return g


def _qname(iri: str) -> str:
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda p: -len(p[1])):
        if iri.startswith(namespace) and iri[len(namespace):].replace("_", "a").isalnum():
            return f"{prefix}:{iri[len(namespace):]}"
    raise ValueError(f"no prefix for the property {iri}: add its namespace to PREFIXES")


def _object_key(node: Node) -> tuple[str, str, str]:
    if isinstance(node, Literal):
        return ("1", str(node), f"{node.language or ''} {node.datatype or ''}")
    return ("0", str(node), "")


def _property_xml(predicate: str, node: Node) -> str:
    name = _qname(predicate)
    if isinstance(node, BNode):
        raise ValueError("the catalogue must not have blank nodes")
    if isinstance(node, URIRef):
        return f"    <{name} rdf:resource={quoteattr(str(node))}/>"
    assert isinstance(node, Literal)
    attribute = (f" xml:lang={quoteattr(node.language)}" if node.language else
                 f" rdf:datatype={quoteattr(str(node.datatype))}" if node.datatype else "")
    return f"    <{name}{attribute}>{escape(str(node))}</{name}>"


def rdf_xml(graph: Graph) -> bytes:
    """Canonical RDF/XML: subjects sorted, then their properties sorted; one rdf:Description per
    subject, no blank nodes. rdflib's own serialisers order triples by hash, which changes from run
    to run."""
    lines = ['<?xml version="1.0" encoding="utf-8"?>', "<rdf:RDF"]
    lines += [f"    xmlns:{p}={quoteattr(ns)}" for p, ns in sorted(PREFIXES.items())]
    lines[-1] += ">"
    for subject in sorted(set(graph.subjects()), key=str):
        if not isinstance(subject, URIRef):
            raise ValueError("the catalogue must not have blank nodes")
        lines.append(f"  <rdf:Description rdf:about={quoteattr(str(subject))}>")
        properties = sorted(graph.predicate_objects(subject),
                            key=lambda po: (_qname(str(po[0])), _object_key(po[1])))
        lines += [_property_xml(str(p), o) for p, o in properties]
        lines.append("  </rdf:Description>")
    lines.append("</rdf:RDF>")
    return ("\n".join(lines) + "\n").encode("utf-8")


# --- the Atom feed -----------------------------------------------------------------------------

def _atom_time(day: dt.date) -> str:
    return day.isoformat() + "T00:00:00Z"


@dataclass(frozen=True)
class FeedEntry:
    id: str
    title: str
    summary: str
    url: str
    published: dt.date
    updated: dt.date


def feed_entries(site: Site) -> list[FeedEntry]:
    """One entry per promise and per follow-up, newest first."""
    entries = [FeedEntry(page_url(site, p), p.title, p.summary, page_url(site, p), p.published,
                         p.updated or p.published) for p in site.promises]
    entries += [FeedEntry(page_url(site, f), f.title,
                          f"{f.summary} (Uppföljt till och med {format_date(f.date, site.language)}.)",
                          page_url(site, f), f.published, f.updated or f.published)
                for f in site.follow_ups]
    return sorted(entries, key=lambda e: (e.updated, e.id), reverse=True)


def atom_feed(site: Site) -> bytes:
    config = site.config
    entries = feed_entries(site)
    updated = max((e.updated for e in entries), default=max(
        (d for a in site.agreements for d in meta_dates(a)), default=dt.date(1970, 1, 1)))
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(site.language)}>',
        f"  <id>{escape(site.base_url + FEED_PATH)}</id>",
        f"  <title>{escape(config.site_name)}: medborgarlöften och uppföljningar</title>",
        f"  <subtitle>{escape(config.description)}</subtitle>",
        f"  <updated>{_atom_time(updated)}</updated>",
        f"  <author><name>{escape(config.organisation.name)}</name></author>",
        f"  <link rel=\"self\" type=\"{ATOM_TYPE}\" href={quoteattr(site.base_url + FEED_PATH)}/>",
        f"  <link rel=\"alternate\" type=\"text/html\" href={quoteattr(site.base_url)}/>",
    ]
    for e in entries:
        lines += [
            "  <entry>",
            f"    <id>{escape(e.id)}</id>",
            f"    <title>{escape(e.title)}</title>",
            f"    <link rel=\"alternate\" type=\"text/html\" href={quoteattr(e.url)}/>",
            f"    <published>{_atom_time(e.published)}</published>",
            f"    <updated>{_atom_time(e.updated)}</updated>",
            f"    <summary>{escape(e.summary)}</summary>",
            "  </entry>",
        ]
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")


# --- putting it together -------------------------------------------------------------------------

def _table_files(table: Table, site: Site) -> tuple[Dataset, list[Output]]:
    rows = table.rows(site)
    files = [
        (Output(f"{DATASETS_DIR}{table.id}.csv", to_csv(table.fields, rows)), CSV_TYPE, "CSV"),
        (Output(f"{DATASETS_DIR}{table.id}.json", to_json(table.fields, rows)), JSON_TYPE, "JSON"),
    ]
    settings = open_data_settings(site)
    issued, modified = table_dates(table, site)
    dataset = Dataset(
        id=table.id, title=table.title, description=table.description, fields=table.fields,
        primary_key=table.primary_key, rows=len(rows), issued=issued, modified=modified,
        distributions=tuple(
            Distribution(out.path, media, label, len(out.data or b""), f"{table.id}-{label.lower()}")
            for out, media, label in files),
        licence=settings.licence, contact=settings.contact,
        schema_path=SCHEMA_PATH.format(kind=table.kind), metadata_path=CSVW_PATH,
        frequency=table.frequency, frequency_label=FREQUENCY_LABELS[table.frequency],
        keywords=table.keywords, example_data=table_example_data(table, site))
    return dataset, [out for out, _, _ in files]


def _build(site: Site) -> tuple[list[tuple[Table, Dataset]], list[Output]]:
    built = [(table, *_table_files(table, site)) for table in TABLES]
    return [(t, d) for t, d, _ in built], [out for _, _, outs in built for out in outs]


def datasets(site: Site) -> list[Dataset]:
    """The data page's context: every dataset with its fields and downloadable files."""
    return [dataset for _, dataset in _build(site)[0]]


def export_outputs(site: Site) -> list[Output]:
    """Every open-data file: CSV and JSON per dataset, CSVW metadata, the DCAT-AP-SE catalogue
    (at datasets/dcat and datasets/dcat.rdf) and the Atom feed. The same Site gives the same bytes."""
    return build_exports(site)[1]


def build_exports(site: Site) -> tuple[list[Dataset], list[Output]]:
    """The data page's datasets and every open-data file, built once."""
    tables, outputs = _build(site)
    catalogue = rdf_xml(catalogue_graph(site, [d for _, d in tables]))
    return [d for _, d in tables], [
        *outputs,
        Output(CSVW_PATH, csvw_metadata(site, tables)),
        Output(CATALOGUE_PATH, catalogue),
        Output(CATALOGUE_RDF_PATH, catalogue),
        Output(FEED_PATH, atom_feed(site)),
    ]

