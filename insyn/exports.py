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
  the address dataportal.se harvests by default (made by insyn.dcat)
- `nyheter.atom`: an Atom feed of new promises and follow-ups

The data page (`DATA_PAGE_PATH`) shows `datasets(site)` with templates/data.html; the catalogue's
IRIs point at its sections (#<dataset id>, #<dataset id>-csv, ...).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from .i18n import N_, translate
from .models import PageMeta
from .output import Output
from .render import format_date
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
    CC0: N_("CC0 1.0 Universal (free of copyright)"),
    "http://creativecommons.org/licenses/by/4.0/": N_("CC BY 4.0 (Attribution)"),
    "http://creativecommons.org/licenses/by-sa/4.0/": N_("CC BY-SA 4.0 (Attribution, ShareAlike)"),
}

EU = "http://publications.europa.eu/resource/authority/"
PUBLISHER_TYPES = "http://purl.org/adms/publishertype/"
MUNICIPALITY = "LocalAuthority"
"""ADMS publisher type of a municipality (kommun)."""
DATAPORTAL_ORGANISATION = "http://dataportal.se/organisation/SE{number}"
"""The well-known publisher IRI that dataportal.se asks for, from a 10-digit organisation number."""



# --- what the data page shows ------------------------------------------------------------------

@dataclass(frozen=True)
class Field:
    """One column of a dataset (the same in CSV and JSON)."""

    name: str
    """The CSV header and JSON key: lower case, as in the YAML files."""
    title: str
    """The title for people: a message, in the site's language once in a Dataset."""
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
    title = str(_setting(given, "license_title")
                or translate(LICENCE_TITLES.get(url, url), site.language))
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
    """The status in words, as the website shows it (a default label in the site's language)."""
    try:
        return translate(site.status(status_id).label, site.language)
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


def indicator_pages(site: Site) -> dict[str, list[tuple[Any, str]]]:
    """For each indicator shown anywhere, the (item, anchor) of the pages that show it, the best
    one last: agreements naming it in a goal, promises measuring a commitment with it, then
    follow-ups showing its values. One pass over the site, not one per indicator."""
    shown: dict[str, list[tuple[Any, str]]] = defaultdict(list)
    for agreement in site.agreements:
        for indicator in dict.fromkeys(i for g in agreement.goals for i in g.indicators):
            shown[indicator].append((agreement, "goals"))

    def measured(promise) -> Iterable[str]:
        return dict.fromkeys(i for c in promise.commitments for i in c.indicators)

    for promise in site.promises:
        for indicator in measured(promise):
            shown[indicator].append((promise, "commitments"))
    for follow_up in site.follow_ups:
        for indicator in measured(site.promise(follow_up.promise)):
            shown[indicator].append((follow_up, f"ind-{indicator}"))
    return shown


def indicator_rows(site: Site) -> list[Row]:
    rows = []
    pages = indicator_pages(site)
    for ind in sorted(site.indicators.values(), key=lambda i: i.id):
        shown = pages.get(ind.id, [])
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


EXAMPLE = _f("example_data", N_("Example data"), N_(
    "true when the figures in the source file are invented (the example website)."), "boolean",
    required=True)
URL = _f("url", N_("Web page"), N_("The address of the page on the website that shows the row."),
         "anyURI", required=True)
PUBLISHED = _f("published", N_("Published"), N_(
    "The day the page was first published (YYYY-MM-DD)."), "date", required=True)
UPDATED = _f("updated", N_("Updated on"), N_(
    "The day the page last changed, if it is given (YYYY-MM-DD)."), "date")


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
    pages = indicator_pages(site)
    shown = {id(item): item for ind in site.indicators for item, _ in pages.get(ind, [])}
    return [(item, [item.date] if hasattr(item, "date") else []) for item in shown.values()]


TABLES: tuple[Table, ...] = (
    Table(
        "overenskommelser", N_("Cooperation agreements"),
        N_("The agreements between the municipality and the police (cooperation agreements): "
           "parties, period and focus areas. One row per agreement."),
        (_f("id", N_("Id"), N_("The agreement's id, the same as in the page's address."),
            required=True),
         _f("title", N_("Title"), N_("The agreement's name."), required=True),
         _f("summary", N_("Summary"), N_("One or two sentences about the agreement."),
            required=True),
         _f("parties", N_("Parties"), N_("Ids of the parties behind the agreement."),
            required=True, is_list=True),
         _f("period_start", N_("Valid from"), N_("The first day the agreement is valid."), "date",
            required=True),
         _f("period_end", N_("Valid until"), N_("The last day the agreement is valid."), "date",
            required=True),
         _f("signed", N_("Signed"), N_("The day the agreement was signed."), "date"),
         _f("focus_areas", N_("Focus areas"), N_("Ids of the agreement's focus areas."),
            is_list=True),
         _f("successor", N_("Replaced by"), N_("Id of the agreement that replaces this one.")),
         PUBLISHED, UPDATED, EXAMPLE, URL),
        ("id",), agreement_rows, lambda site: _pages(site.agreements), "agreement", "IRREG",
        (N_("cooperation agreement"), N_("the police"), N_("the municipality"), N_("safety"))),
    Table(
        "medborgarloften", N_("Citizen promises"),
        N_("The citizen promises of the municipality and the police, one a year: which agreement "
           "the promise belongs to and which commitments it has. One row per promise."),
        (_f("id", N_("Id"), N_("The promise's id."), required=True),
         _f("year", N_("Year"), N_("The year the promise is for."), "integer", required=True),
         _f("title", N_("Title"), N_("The promise's name."), required=True),
         _f("summary", N_("Summary"), N_("One or two sentences about the promise."),
            required=True),
         _f("agreement", N_("Agreement"), N_("Id of the agreement the promise belongs to."),
            required=True),
         _f("focus_areas", N_("Focus areas"), N_("Ids of the agreement's focus areas that the "
            "promise works on."), is_list=True),
         _f("commitments", N_("Commitments"), N_("Ids of the promise's commitments (see the "
            "dataset Commitments)."), required=True, is_list=True),
         PUBLISHED, UPDATED, EXAMPLE, URL),
        ("id",), promise_rows, lambda site: _pages(site.promises), "promise", "ANNUAL",
        (N_("citizen promise"), N_("the police"), N_("the municipality"), N_("safety")),
        ((("agreement",), "overenskommelser", ("id",)),)),
    Table(
        "ataganden", N_("Commitments in the citizen promises"),
        N_("What the municipality and the police promise to do in each citizen promise: who is "
           "responsible and when it is to be done. A commitment that continues into a new year "
           "keeps its id. One row per commitment and promise."),
        (_f("promise", N_("Citizen promise"), N_("Id of the promise the commitment is part of."),
            required=True),
         _f("id", N_("Id"), N_("The commitment's id. It stays the same every year the "
            "commitment remains."), required=True),
         _f("year", N_("Year"), N_("The year the promise is for."), "integer", required=True),
         _f("text", N_("Commitment"), N_("What we promise to do."), required=True),
         _f("responsible", N_("Responsible"), N_("Ids of the parties responsible."),
            required=True, is_list=True),
         _f("due", N_("Done by"), N_("The day the commitment is to be done."), "date",
            required=True),
         _f("focus_area", N_("Focus area"), N_("Id of the focus area in the agreement.")),
         _f("answers", N_("Answers"), N_("Ids of what residents raised in the dialogues that "
            "the commitment answers."), is_list=True),
         _f("indicators", N_("Indicators"), N_("Ids of the indicators that measure the "
            "commitment."), is_list=True),
         EXAMPLE, URL),
        ("promise", "id"), commitment_rows, lambda site: _pages(site.promises), "promise",
        "ANNUAL", (N_("citizen promise"), N_("commitment"), N_("safety")),
        ((("promise",), "medborgarloften", ("id",)),)),
    Table(
        "uppfoljningar", N_("Follow-up of the commitments"),
        N_("How each commitment went when the citizen promise was followed up: status and an "
           "account. One row per commitment and follow-up."),
        (_f("follow_up", N_("Follow-up"), N_("Id of the follow-up."), required=True),
         _f("promise", N_("Citizen promise"), N_("Id of the promise followed up."),
            required=True),
         _f("commitment", N_("Commitment"), N_("Id of the commitment (see the dataset "
            "Commitments)."), required=True),
         _f("date", N_("Followed up as of"), N_("The follow-up shows the situation on this "
            "day."), "date", required=True),
         _f("status", N_("Status"), N_("The status's id: done, partly-done, ongoing, "
            "not-started or cancelled."), required=True),
         _f("status_label", N_("Status (text)"), N_("The status in words, as the website "
            "shows it."), required=True),
         _f("done", N_("Done"), N_("true when the status counts as a kept commitment."),
            "boolean", required=True),
         _f("account", N_("Account"), N_("What was done, in a few sentences."), required=True),
         EXAMPLE, URL),
        ("follow_up", "commitment"), outcome_rows,
        lambda site: [(f, [f.date]) for f in site.follow_ups], "follow-up", "ANNUAL",
        (N_("follow-up"), N_("citizen promise"), N_("safety")),
        ((("promise", "commitment"), "ataganden", ("promise", "id")),)),
    Table(
        "indikatorvarden", N_("Indicators: measured values"),
        N_("Measured values of the indicators that follow up agreements and citizen promises, "
           "for example the share of people who feel safe. One row per indicator and year or "
           "quarter."),
        (_f("indicator", N_("Indicator"), N_("The indicator's id."), required=True),
         _f("period", N_("Period"), N_("The year (2022) or the quarter (2022-Q3) the value is "
            "for."), required=True),
         _f("value", N_("Value"), N_("The measured value, in the indicator's unit."), "decimal",
            required=True),
         _f("note", N_("Note"), N_("A comment on the value.")),
         _f("title", N_("The indicator's name"), N_("What is measured."), required=True),
         _f("unit", N_("Unit"), N_("For example per cent or number of reports."),
            required=True),
         _f("frequency", N_("Frequency"), N_("year when the values are for years, quarter when "
            "they are for quarters."), required=True),
         _f("source", N_("Source"), N_("Where the figures come from."), required=True),
         _f("target", N_("Target value"), N_("The value we want to reach, if there is one."),
            "decimal"),
         _f("higher_is_better", N_("Higher is better"), N_("true when a higher value is "
            "better."), "boolean", required=True),
         EXAMPLE,
         _f("url", N_("Web page"), N_("The address of the page on the website that shows the "
            "indicator, when some page does."), "anyURI")),
        ("indicator", "period"), indicator_rows, _indicator_sources, "indicator", "ANNUAL",
        (N_("indicator"), N_("safety survey"), N_("safety"))),
    Table(
        "est-atgarder", N_("EST: actions"),
        N_("The action lists of the areas where we work with EST (effective coordination for "
           "safety): what is to be done, by whom, by when and how it is going. One row per "
           "action."),
        (_f("area", N_("Area"), N_("Id of the EST area."), required=True),
         _f("number", N_("Number"), N_("The action's number in the area's action list."),
            "integer", required=True),
         _f("what", N_("Action"), N_("What is to be done."), required=True),
         _f("who", N_("Who"), N_("The organisation that does it."), required=True),
         _f("by", N_("Done by"), N_("The day the action is to be done."), "date",
            required=True),
         _f("status", N_("Status"), N_("The status's id: done, partly-done, ongoing, "
            "not-started or cancelled."), required=True),
         _f("status_label", N_("Status (text)"), N_("The status in words, as the website "
            "shows it."), required=True),
         _f("note", N_("Note"), N_("Why, when the status needs explaining.")),
         EXAMPLE, URL),
        ("area", "number"), est_action_rows, lambda site: _pages(site.est_areas), "est-area",
        "IRREG", (N_("EST"), N_("effective coordination for safety"), N_("action"),
                  N_("safety"))),
    Table(
        "est-rapporter", N_("EST: reported incidents per month"),
        N_("The number of incidents reported in each EST area per month and category, for "
           "example vandalism and littering. One row per area, month and category."),
        (_f("area", N_("Area"), N_("Id of the EST area."), required=True),
         _f("month", N_("Month"), N_("The month as YYYY-MM."), "gYearMonth", required=True),
         _f("category", N_("Category"), N_("The category's id."), required=True),
         _f("category_label", N_("Category (text)"), N_("The category in words."),
            required=True),
         _f("count", N_("Count"), N_("The number of incidents reported."), "integer",
            required=True),
         EXAMPLE, URL),
        ("area", "month", "category"), est_report_rows, lambda site: _pages(site.est_areas),
        "est-area", "MONTHLY", (N_("EST"), N_("effective coordination for safety"),
                                N_("situation picture"), N_("safety"))),
)

FREQUENCY_LABELS = {"ANNUAL": N_("once a year"), "MONTHLY": N_("every month"),
                    "IRREG": N_("when needed (irregularly)")}


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

def csvw_column(field: Field, language: str) -> dict[str, Any]:
    column: dict[str, Any] = {
        "name": field.name,
        "titles": {"und": [field.name], language: [field.title]},
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
        "@context": ["http://www.w3.org/ns/csvw", {"@language": site.language}],
        "dc:title": catalogue_title(site),
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
                "columns": [csvw_column(f, site.language) for f in dataset.fields],
                "primaryKey": list(table.primary_key),
                **({"foreignKeys": [{
                    "columnReference": list(columns),
                    "reference": {"resource": f"{other}.csv", "columnReference": list(theirs)},
                } for columns, other, theirs in table.foreign_keys]} if table.foreign_keys else {}),
            },
        } for table, dataset in tables],
    })


# --- the catalogue (made by insyn.dcat) ---------------------------------------------------------

def catalogue_title(site: Site) -> str:
    """'Öppna data från Trygghet i Lidköping': the name of the catalogue and the CSVW group."""
    return translate(N_("Open data from {site}"), site.language).format(site=site.config.site_name)


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
    as_of = translate(N_("{summary} (Followed up as of {date}.)"), site.language)
    entries += [FeedEntry(page_url(site, f), f.title,
                          as_of.format(summary=f.summary, date=format_date(f.date, site.language)),
                          page_url(site, f), f.published, f.updated or f.published)
                for f in site.follow_ups]
    return sorted(entries, key=lambda e: (e.updated, e.id), reverse=True)


def atom_feed(site: Site) -> bytes:
    config = site.config
    entries = feed_entries(site)
    feed_title = translate(N_("{site}: citizen promises and follow-ups"), site.language).format(
        site=config.site_name)
    updated = max((e.updated for e in entries), default=max(
        (d for a in site.agreements for d in meta_dates(a)), default=dt.date(1970, 1, 1)))
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(site.language)}>',
        f"  <id>{escape(site.base_url + FEED_PATH)}</id>",
        f"  <title>{escape(feed_title)}</title>",
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
    language = site.language
    dataset = Dataset(
        id=table.id, title=translate(table.title, language),
        description=translate(table.description, language),
        fields=tuple(replace(f, title=translate(f.title, language),
                             description=translate(f.description, language))
                     for f in table.fields),
        primary_key=table.primary_key, rows=len(rows), issued=issued, modified=modified,
        distributions=tuple(
            Distribution(out.path, media, label, len(out.data or b""), f"{table.id}-{label.lower()}")
            for out, media, label in files),
        licence=settings.licence, contact=settings.contact,
        schema_path=SCHEMA_PATH.format(kind=table.kind), metadata_path=CSVW_PATH,
        frequency=table.frequency,
        frequency_label=translate(FREQUENCY_LABELS[table.frequency], language),
        keywords=tuple(translate(k, language) for k in table.keywords),
        example_data=table_example_data(table, site))
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
    from .dcat import catalogue_graph, rdf_xml  # rdflib: only when the open data is made

    tables, outputs = _build(site)
    catalogue = rdf_xml(catalogue_graph(site, [d for _, d in tables]))
    return [d for _, d in tables], [
        *outputs,
        Output(CSVW_PATH, csvw_metadata(site, tables)),
        Output(CATALOGUE_PATH, catalogue),
        Output(CATALOGUE_RDF_PATH, catalogue),
        Output(FEED_PATH, atom_feed(site)),
    ]

