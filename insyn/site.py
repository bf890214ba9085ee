"""MODEL: one immutable Site built from the validated documents, with every reference resolved.

Here the documents are checked against each other (a promise names an agreement that exists, a
follow-up covers commitments of its promise, ...), every page gets its address, and its
"Senast uppdaterad" date is taken from git. The titles and summaries the tool writes itself are
translated here, into the site's language.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from difflib import get_close_matches
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .errors import InputError
from .i18n import LANGUAGES, N_, T_, Term, is_message, translate
from .models import (
    Agreement,
    Attachment,
    Commitment,
    Documents,
    EstArea,
    FollowUp,
    Indicator,
    Link,
    Outcome,
    PageFrontMatter,
    PageMeta,
    Promise,
    SiteConfig,
    Sourced,
    Status,
)
from .sources import Loc, SourceFile

AGREEMENT, PARTY, INDICATOR = T_("the agreement"), T_("the party"), T_("the indicator")
FOCUS_AREA, STATUS = T_("the focus area"), T_("the status")

FILE_KINDS = {
    ".pdf": N_("PDF"), ".docx": N_("Word"), ".doc": N_("Word"), ".xlsx": N_("Excel"),
    ".xls": N_("Excel"), ".odt": N_("OpenDocument text"), ".ods": N_("OpenDocument spreadsheet"),
    ".csv": N_("CSV"), ".txt": N_("Text"), ".png": N_("Image"), ".jpg": N_("Image"),
    ".jpeg": N_("Image"), ".svg": N_("Image"),
}


@dataclass(frozen=True)
class FileLink:
    """An attachment as residents see it: "Medborgarlöftet 2021 (Pdf, 173,4 kB)"."""

    title: str
    path: str
    """Site path of the copied file, for example filer/medborgarlofte-2021.pdf."""
    kind: str
    size: int


@dataclass(frozen=True)
class Page:
    """One HTML page of the site."""

    kind: str
    """landing, agreement, promise, follow-up, est-area, archive, data, accessibility, privacy,
    thanks, search, all-pages, not-found, commitment, party, focus-area, indicator, method or
    page."""
    path: str
    """Site path without the base, ending with / ('' for the front page)."""
    title: str
    summary: str
    meta: PageMeta
    updated: dt.date
    sources: tuple[str, ...]
    breadcrumbs: tuple[tuple[str, str], ...]
    """(title, path) of the pages above this one, starting with the front page."""
    item: Any = None
    """The agreement, promise, follow-up, EST area or Markdown page shown."""
    body_file: SourceFile | None = None
    """A content page's Markdown file; its body is read when the page is rendered."""
    indexable: bool = True
    """False for pages search engines should not list (the thank-you page, the 404 page)."""
    language: str = "sv"
    """The language of the page's interface (<html lang>): the site's, or a version's own."""
    title_language: str = "sv"
    """The language the title (and a Markdown page's body) is written in: the content's for a
    title taken from the content, the interface's for a title the tool writes."""
    summary_language: str = "sv"
    versions: tuple[tuple[str, str], ...] = ()
    """(language, path) of every version of a page written in several languages, itself
    included (content/rapportera.md and content/rapportera.en.md); empty for other pages."""

    @property
    def output_path(self) -> str:
        """The file written: a folder's index.html, or the path itself when it names a file."""
        return self.path if self.path.endswith(".html") else self.path + "index.html"


@dataclass(frozen=True)
class FieldPlace:
    """A text field of a data file; its line is looked up only when an error needs it."""

    source: SourceFile
    field_name: str

    def first_line(self) -> int:
        """The line the field's text starts on (after the key, for a | or > block)."""
        line, column = self.source.position((self.field_name,))
        try:
            written = self.source.path.read_text(encoding="utf-8").splitlines()[line - 1]
        except (OSError, IndexError):
            return line
        block = written[column - 1:column] in ("|", ">")
        return line + 1 if block else line


@dataclass(frozen=True)
class Tracked:
    """A commitment in one year's promise, and how its latest follow-up assessed it."""

    promise: Promise
    commitment: Commitment
    follow_up: FollowUp | None
    outcome: Outcome | None
    status: Status | None
    """None until a follow-up has assessed it."""
    overdue: bool
    """Past its due date (on the build date), not done, not closed, and not carried on."""
    continues: Promise | None
    """The next promise that carries the same commitment on, if any."""


@dataclass(frozen=True)
class StatusCount:
    status: Status | None
    """None counts the commitments no follow-up has assessed yet."""
    count: int


@dataclass(frozen=True)
class Site:
    config: SiteConfig
    base_url: str
    """Absolute address of the site, ending with /."""
    today: dt.date
    agreements: tuple[Agreement, ...]
    promises: tuple[Promise, ...]
    follow_ups: tuple[FollowUp, ...]
    indicators: dict[str, Indicator]
    est_areas: tuple[EstArea, ...]
    files: dict[str, FileLink]
    """Attachments by their source path (files/x.pdf)."""
    file_sources: dict[str, Path]
    pages: tuple[Page, ...]
    navigation: tuple[Link, ...] = ()
    """The main menu: data/site.yaml's navigation, then pages whose front matter asks for a place."""
    feedback_endpoint: str | None = None
    _by_id: dict[str, Any] = field(default_factory=dict, repr=False)

    @cached_property
    def base_path(self) -> str:
        return urlsplit(self.base_url).path

    @cached_property
    def pages_by_kind(self) -> dict[str, list[Page]]:
        """Every page of each kind, in the site's order (the list of all pages groups them)."""
        grouped: dict[str, list[Page]] = {}
        for page in self.pages:
            grouped.setdefault(page.kind, []).append(page)
        return grouped

    @property
    def language(self) -> str:
        """The language of the interface: the words the tool writes."""
        return self.config.language

    @property
    def content_language(self) -> str:
        """The language the content (data/ and content/) is written in."""
        return self.config.content_language or self.config.language

    def agreement(self, agreement_id: str) -> Agreement:
        return self._by_id[("agreement", agreement_id)]

    def promise(self, promise_id: str) -> Promise:
        return self._by_id[("promise", promise_id)]

    def party(self, party_id: str):
        return self._by_id[("party", party_id)]

    def status(self, status_id: str) -> Status:
        return self._by_id[("status", status_id)]

    def search_year(self, page: Page) -> int | None:
        """The year a page is about, for the search filter."""
        if page.kind == "promise":
            return page.item.year
        if page.kind == "follow-up":
            return self.promise(page.item.promise).year
        return None

    def page(self, path: str) -> Page | None:
        return self._by_id.get(("page", path))

    def title_language_of(self, path: str) -> str:
        """The language of a page's title ('' for no such page): breadcrumbs mark it."""
        page = self.page(path)
        return page.title_language if page else ""

    def promises_of(self, agreement: Agreement) -> list[Promise]:
        return [p for p in self.promises if p.agreement == agreement.id]

    def follow_ups_of(self, promise: Promise) -> list[FollowUp]:
        return [f for f in self.follow_ups if f.promise == promise.id]

    def latest_follow_up(self, promise: Promise) -> FollowUp | None:
        follow_ups = self.follow_ups_of(promise)
        return follow_ups[-1] if follow_ups else None

    def has_ended(self, agreement: Agreement) -> bool:
        return agreement.period.end < self.today

    def is_upcoming(self, agreement: Agreement) -> bool:
        return agreement.period.start > self.today

    @property
    def current_agreement(self) -> Agreement | None:
        """The agreement in force on the build date, else the latest one that has started."""
        started = [a for a in self.agreements if a.period.start <= self.today]
        running = [a for a in started if not self.has_ended(a)]
        return (running or started or list(self.agreements) or [None])[-1]

    @property
    def current_promise(self) -> Promise | None:
        """This year's promise, else the latest one up to this year."""
        past = [p for p in self.promises if p.year <= self.today.year]
        return past[-1] if past else None

    def commitment_outcome(self, follow_up: FollowUp, commitment: Commitment):
        return next((o for o in follow_up.outcomes if o.commitment == commitment.id), None)

    def commitment_for(self, follow_up: FollowUp, commitment_id: str) -> Commitment:
        promise = self.promise(follow_up.promise)
        return next(c for c in promise.commitments if c.id == commitment_id)

    def raised_for(self, promise: Promise) -> dict[str, str]:
        return {r.id: r.text for d in promise.dialogues for r in d.raised}

    def tracked(self, promise: Promise, commitment: Commitment) -> Tracked:
        return self._by_id[("tracked", promise.id, commitment.id)]

    def tracked_in(self, promise: Promise) -> list[Tracked]:
        return [self.tracked(promise, c) for c in promise.commitments]

    def history(self, commitment_id: str) -> list[Tracked]:
        """The commitment year by year, in every promise that carried it."""
        return [self.tracked(p, c) for p in self.promises for c in p.commitments
                if c.id == commitment_id]

    def status_counts(self, tracked: list[Tracked]) -> list[StatusCount]:
        """How many commitments have each status, in the configured order; unassessed last."""
        counts = [StatusCount(s, sum(1 for t in tracked if t.status == s))
                  for s in self.config.statuses]
        unassessed = sum(1 for t in tracked if t.status is None)
        return [c for c in counts if c.count] + ([StatusCount(None, unassessed)] if unassessed else [])

    def kept(self, tracked: list[Tracked]) -> int:
        return sum(1 for t in tracked if t.status is not None and t.status.done)

    def all_tracked(self) -> list[Tracked]:
        return [t for p in self.promises for t in self.tracked_in(p)]

    def tracked_for_party(self, party_id: str) -> list[Tracked]:
        return [t for t in self.all_tracked() if party_id in t.commitment.responsible]

    def tracked_for_focus_area(self, focus_area_id: str) -> list[Tracked]:
        return [t for t in self.all_tracked() if t.commitment.focus_area == focus_area_id]

    def commitments_measured_by(self, indicator_id: str) -> list[str]:
        """Ids of the commitments that name the indicator, in order of first appearance."""
        return list(dict.fromkeys(t.commitment.id for t in self.all_tracked()
                                  if indicator_id in t.commitment.indicators))

    def indicators_of(self, commitments) -> list[Indicator]:
        ids = dict.fromkeys(i for c in commitments for i in c.indicators)
        return [self.indicators[i] for i in ids]

    def path_of(self, item: Any) -> str:
        return self._by_id[("path", id(item))]

    def field_place(self, item: Any, field_name: str) -> FieldPlace | None:
        """Where a Markdown field of a data file is written, for pointing at a broken link."""
        source = self._by_id.get(("source", id(item)))
        return FieldPlace(source, field_name) if source is not None else None


# --- paths ------------------------------------------------------------------------------------

def agreement_path(agreement: Agreement) -> str:
    return f"overenskommelser/{agreement.id}/"


def promise_path(promise: Promise) -> str:
    return f"medborgarloften/{promise.year}/"


def follow_up_path(follow_up: FollowUp) -> str:
    return f"uppfoljningar/{follow_up.id}/"


def est_path(area: EstArea) -> str:
    return f"est/{area.id}/"


def commitment_path(commitment_id: str) -> str:
    return f"atagande/{commitment_id}/"


def party_path(party_id: str) -> str:
    return f"ansvar/{party_id}/"


def focus_area_path(focus_area_id: str) -> str:
    return f"fokus/{focus_area_id}/"


def indicator_path(indicator_id: str) -> str:
    return f"indikatorer/{indicator_id}/"


ARCHIVE_PATH = "medborgarloften/"
METHOD_PATH = "sa-foljer-vi-upp/"
PRIVACY_PATH = "personuppgifter/"
DATA_PAGE_PATH = "oppna-data/"
ACCESSIBILITY_PATH = "tillganglighet/"
SEARCH_PATH = "sok/"
ALL_PAGES_PATH = "alla-sidor/"
NOT_FOUND_PATH = "404.html"
"""Static hosts show this file for an address that does not exist."""
THANKS_PATH = "tack/"


def version_language(source: SourceFile) -> str | None:
    """content/rapportera.en.md -> 'en': a page's version in another language; else None."""
    stem = source.rel.removesuffix(".md")
    _, dot, code = stem.rpartition(".")
    return code if dot and "/" not in code and code in LANGUAGES else None


def content_path(source: SourceFile) -> str:
    """content/index.md -> '', content/est.md -> est/, content/a/b.md -> a/b/, and a version in
    another language under its language: content/rapportera.en.md -> en/rapportera/."""
    rel = source.rel.removeprefix("content/").removesuffix(".md")
    language = version_language(source)
    if language:
        rel = rel.removesuffix("." + language)
    path = "" if rel == "index" else rel.removesuffix("/index") + "/"
    return f"{language}/{path}" if language else path


# --- checks across documents ------------------------------------------------------------------

class _Checker:
    """Collects errors about references between documents."""

    def __init__(self, broken_ids: frozenset[str]) -> None:
        self.errors: list[InputError] = []
        self.broken_ids = broken_ids

    def ref(self, source: SourceFile, loc: Loc, value: str, known, what: Term, *,
            may_be_broken: bool = False) -> bool:
        """Is `value` one of `known`? If not, say so, suggesting the closest existing id.

        `may_be_broken`: a file of that kind is invalid and names no id; it may be the one
        meant, so nothing is said until that file (whose error is reported) is fixed."""
        if value in known:
            return True
        if value in self.broken_ids or may_be_broken:
            return False  # its own file is invalid, and that error is reported already
        close = get_close_matches(value, list(known), n=1, cutoff=0.5)
        existing = ", ".join(sorted(known)[:12]) or "-"
        hint = N_("did you mean '{close}'? Existing: {existing}") if close else N_(
            "existing: {existing}")
        self.errors.append(source.error(loc, N_("{what} '{value}' does not exist"), hint,
                                        what=what, value=value, existing=existing,
                                        close=close[0] if close else ""))
        return False

    def unique(self, items: list[tuple[str, SourceFile, Loc]], what: Term) -> None:
        seen: dict[str, SourceFile] = {}
        for value, source, loc in items:
            if value in seen:
                self.errors.append(source.error(
                    loc, N_("{what} '{value}' is used twice (also in {other})"),
                    N_("give each one its own id"), what=what, value=value,
                    other=seen[value].rel))
            else:
                seen[value] = source

    def error(self, source: SourceFile, loc: Loc, message: str, hint: str = "", /,
              **params: object) -> None:
        self.errors.append(source.error(loc, message, hint, **params))


def check_references(docs: Documents) -> list[InputError]:
    """Every reference between documents, checked; all problems returned together."""
    if docs.site is None:
        return []  # data/site.yaml is invalid: its own errors are reported already
    config = docs.site.model
    check = _Checker(docs.broken_ids)
    statuses = {s.id for s in config.statuses}
    parties = {p.id for p in config.parties}
    indicators = {d.model.id for d in docs.indicators}
    agreements = {d.model.id: d.model for d in docs.agreements}
    promises = {d.model.id: d.model for d in docs.promises}
    # Two promises with one id are reported as such; checking the follow-ups against either
    # of them would add errors that vanish once the id is fixed.
    shared_promise_ids = {i for i, n in Counter(d.model.id for d in docs.promises).items() if n > 1}

    check.unique([(p.id, docs.site.source, ("parties", i, "id"))
                  for i, p in enumerate(config.parties)], T_("the party id"))
    for items in (docs.agreements, docs.promises, docs.follow_ups, docs.indicators,
                  docs.est_areas):
        check.unique([(d.model.id, d.source, ("id",)) for d in items], T_("the id"))
    check.unique([(str(d.model.year), d.source, ("year",)) for d in docs.promises],
                 T_("the promise year"))

    for d in docs.agreements:
        a, src = d.model, d.source
        for i, party in enumerate(a.parties):
            check.ref(src, ("parties", i), party, parties, PARTY)
        for i, s in enumerate(a.signatories):
            check.ref(src, ("signatories", i, "party"), s.party, parties, PARTY)
        for i, goal in enumerate(a.goals):
            for j, ind in enumerate(goal.indicators):
                check.ref(src, ("goals", i, "indicators", j), ind, indicators, INDICATOR,
                          may_be_broken="indicators" in docs.unidentified)
        if a.successor:
            check.ref(src, ("successor",), a.successor, agreements.keys() - {a.id}, AGREEMENT,
                      may_be_broken="agreements" in docs.unidentified)
        check.unique([(f.id, src, ("focus_areas", i, "id"))
                      for i, f in enumerate(a.focus_areas)], T_("the focus area id"))

    for d in docs.promises:
        p, src = d.model, d.source
        if not check.ref(src, ("agreement",), p.agreement, agreements, AGREEMENT,
                         may_be_broken="agreements" in docs.unidentified):
            continue
        agreement = agreements[p.agreement]
        focus_ids = {f.id for f in agreement.focus_areas}
        if not agreement.period.start.year <= p.year <= agreement.period.end.year:
            check.error(src, ("year",), N_("the year {year} is outside the agreement's period "
                                           "({start}–{end})"),
                        N_("check the year, or name the agreement that covers it"), year=p.year,
                        start=agreement.period.start.year, end=agreement.period.end.year)
        for i, f in enumerate(p.focus_areas):
            check.ref(src, ("focus_areas", i), f, focus_ids, FOCUS_AREA)
        raised = {r.id for dialogue in p.dialogues for r in dialogue.raised}
        check.unique([(r.id, src, ("dialogues", i, "raised", j, "id"))
                      for i, dialogue in enumerate(p.dialogues)
                      for j, r in enumerate(dialogue.raised)], T_("the id"))
        check.unique([(c.id, src, ("commitments", i, "id"))
                      for i, c in enumerate(p.commitments)], T_("the commitment id"))
        for i, c in enumerate(p.commitments):
            loc = ("commitments", i)
            for j, party in enumerate(c.responsible):
                check.ref(src, (*loc, "responsible", j), party, parties, PARTY)
            if c.focus_area:
                check.ref(src, (*loc, "focus_area"), c.focus_area, focus_ids, FOCUS_AREA)
            for j, answer in enumerate(c.answers):
                check.ref(src, (*loc, "answers", j), answer, raised, T_("the raised item"))
            for j, ind in enumerate(c.indicators):
                check.ref(src, (*loc, "indicators", j), ind, indicators, INDICATOR,
                          may_be_broken="indicators" in docs.unidentified)
            if c.due > agreement.period.end:
                check.error(src, (*loc, "due"), N_("the commitment is due {due}, after the "
                                                   "agreement ends ({end})"),
                            N_("choose a date within the agreement's period"),
                            due=c.due.isoformat(), end=agreement.period.end.isoformat())

    for d in docs.follow_ups:
        f, src = d.model, d.source
        if not check.ref(src, ("promise",), f.promise, promises, T_("the promise"),
                         may_be_broken="promises" in docs.unidentified):
            continue
        if f.promise in shared_promise_ids:
            continue
        commitments = {c.id for c in promises[f.promise].commitments}
        check.unique([(o.commitment, src, ("outcomes", i, "commitment"))
                      for i, o in enumerate(f.outcomes)], T_("the commitment"))
        for i, o in enumerate(f.outcomes):
            check.ref(src, ("outcomes", i, "commitment"), o.commitment, commitments,
                      T_("the commitment"))
            check.ref(src, ("outcomes", i, "status"), o.status, statuses, STATUS)
            for j, evidence in enumerate(o.evidence):
                if evidence.file:
                    _check_file(check, src, ("outcomes", i, "evidence", j, "file"),
                                evidence.file, docs.files)

    for d in docs.est_areas:
        area, src = d.model, d.source
        categories = {c.id for c in area.report_categories}
        for i, month in enumerate(area.reports):
            for category in month.counts:
                check.ref(src, ("reports", i, "counts", category), category, categories,
                          T_("the report category"))
        for i, action in enumerate(area.actions):
            check.ref(src, ("actions", i, "who"), action.who, set(area.organisations),
                      T_("the organisation"))
            check.ref(src, ("actions", i, "status"), action.status, statuses, STATUS)
            closed = {st.id for st in config.statuses if st.closed}
            if action.status in closed and not action.note:
                check.error(src, ("actions", i, "status"),
                            N_("a cancelled action must say why"),
                            N_("write the reason under the action, as 'note: ...'"))

    for d in (*docs.agreements, *docs.promises, *docs.follow_ups):
        attachment = d.model.attachment
        if attachment:
            _check_file(check, d.source, ("attachment", "file"), attachment.file, docs.files)
    return check.errors


def _check_file(check: _Checker, source: SourceFile, loc: Loc, path: str,
                files: dict[str, Path]) -> None:
    if path in files:
        return
    close = get_close_matches(path, list(files), n=1, cutoff=0.6)
    hint = N_("did you mean '{close}'?") if close else N_(
        "put the file under files/ and write its path, for example files/medborgarlofte-2024.pdf")
    check.error(source, loc, N_("the attachment '{path}' does not exist"), hint, path=path,
                close=close[0] if close else "")


# --- dates from git ---------------------------------------------------------------------------

# --- building the site ------------------------------------------------------------------------

def _file_link(attachment: Attachment, files: dict[str, Path], language: str) -> FileLink:
    path = files[attachment.file]
    kind = FILE_KINDS.get(path.suffix.lower())
    return FileLink(title=attachment.title, path="filer/" + attachment.file.removeprefix("files/"),
                    kind=translate(kind, language) if kind else path.suffix.lstrip(".").upper(),
                    size=path.stat().st_size)


def build_site(docs: Documents, *, today: dt.date, base_url: str | None = None,
               feedback_endpoint: str | None = None,
               dates: dict[str, dt.date] | None = None) -> tuple[Site | None, list[InputError]]:
    """Assemble the Site from documents that passed validation and `check_references`."""
    assert docs.site is not None
    config = docs.site.model
    dates = dates or {}
    base_url = base_url or config.base_url
    if not base_url.endswith("/"):
        base_url += "/"

    by_id: dict[Any, Any] = {}
    by_id.update({("party", p.id): p for p in config.parties})
    by_id.update({("status", s.id): s for s in config.statuses})
    agreements = sorted((d for d in docs.agreements), key=lambda d: d.model.period.start)
    promises = sorted(docs.promises, key=lambda d: d.model.year)
    follow_ups = sorted(docs.follow_ups, key=lambda d: (d.model.date, d.model.id))
    est_areas = sorted(docs.est_areas, key=lambda d: d.model.title)
    by_id.update({("agreement", d.model.id): d.model for d in agreements})
    by_id.update({("promise", d.model.id): d.model for d in promises})
    by_id.update({("source", id(d.model)): d.source for d in (*agreements, *promises, *est_areas)})

    by_id.update(_tracking(promises, follow_ups, config, today))

    files = {}
    for d in (*agreements, *promises, *follow_ups):
        if d.model.attachment:
            files[d.model.attachment.file] = _file_link(d.model.attachment, docs.files,
                                                        config.language)
    for d in follow_ups:
        for outcome in d.model.outcomes:
            for evidence in outcome.evidence:
                if evidence.file:
                    files[evidence.file] = _file_link(
                        Attachment(file=evidence.file, title=evidence.title), docs.files,
                        config.language)

    def updated(meta: PageMeta, sources: list[str]) -> dt.date:
        if meta.updated:
            return meta.updated
        known = [dates[s] for s in sources if s in dates]
        return max([meta.published, *known])

    indicator_sources = {d.model.id: d.source.rel for d in docs.indicators}
    words = _Words(config.language, config.content_language or config.language)
    pages: list[Page] = []

    def add(kind: str, path: str, title: str, summary: str, meta: PageMeta, sources: list[str],
            crumbs: list[tuple[str, str]], item: Any = None, **extra: Any) -> None:
        """A page; its title and summary are in the interface's language unless `extra` says."""
        extra.setdefault("language", words.interface)
        extra.setdefault("title_language", words.interface)
        extra.setdefault("summary_language", extra["title_language"])
        page = Page(kind=kind, path=path, title=title, summary=summary, meta=meta,
                    updated=updated(meta, sources), sources=tuple(dict.fromkeys(sources)),
                    breadcrumbs=tuple((t, p) for p, t in crumbs), item=item, **extra)
        pages.append(page)
        by_id[("page", path)] = page
        if item is not None and not isinstance(item, str):
            by_id[("path", id(item))] = path

    content_pages = {content_path(d.source): d for d in docs.pages}
    landing = content_pages.get("")
    home_title = landing.model.title if landing else config.site_name
    home = ("", home_title)
    content = {"title_language": words.content}

    def attachment_sources(model) -> list[str]:
        return [model.attachment.file] if model.attachment else []

    archive = (ARCHIVE_PATH, words(ARCHIVE_TITLE))
    for d in agreements:
        a = d.model
        add("agreement", agreement_path(a), a.title, a.summary, a,
            [d.source.rel, *attachment_sources(a)], [home], a, **content)
    for d in promises:
        p = d.model
        linked = [indicator_sources[i] for c in p.commitments for i in c.indicators]
        add("promise", promise_path(p), p.title, p.summary, p,
            [d.source.rel, *attachment_sources(p), *linked], [home, archive], p, **content)
    for d in follow_ups:
        f = d.model
        promise = by_id[("promise", f.promise)]
        promise_source = next(x.source.rel for x in promises if x.model.id == f.promise)
        linked = [indicator_sources[i] for c in promise.commitments for i in c.indicators]
        add("follow-up", follow_up_path(f), f.title, f.summary, f,
            [d.source.rel, promise_source, *attachment_sources(f), *linked],
            [home, archive, (promise_path(promise), promise.title)], f, **content)
    est_page = content_pages.get("est/")
    for d in est_areas:
        area = d.model
        crumbs = [home] + ([("est/", est_page.model.title)] if est_page else [])
        add("est-area", est_path(area), area.title, area.summary, area, [d.source.rel], crumbs,
            area, **content)

    archive_sources = [d.source.rel for d in (*promises, *follow_ups)]
    archive_meta = PageMeta(published=min((d.model.published for d in promises),
                                          default=today))
    add("archive", ARCHIVE_PATH, words(ARCHIVE_TITLE),
        words(N_("Every citizen promise year by year, with its follow-ups.")), archive_meta,
        archive_sources, [home])

    _add_tracker_pages(add, home, words, docs, promises, follow_ups, today)
    _add_content_pages(add, home, words, content_pages,
                       [x.source.rel for x in (*agreements, *promises, *est_areas)])
    earliest = min((p.meta.published for p in pages), default=today)
    _add_site_pages(add, home, words, config, docs.site.source.rel, earliest,
                    [d.source.rel for d in (*agreements, *promises, *follow_ups, *est_areas)]
                    + list(indicator_sources.values()))
    # A page in another language sends its no-JavaScript feedback to a thank-you page in that
    # language, not in the site's.
    for language in sorted({p.language for p in pages} - {words.interface}):
        _add_thanks_page(add, home, _Words(language, words.content), config,
                         docs.site.source.rel, earliest, language)

    warnings = []
    endpoint = feedback_endpoint if feedback_endpoint is not None else config.feedback.endpoint
    if not endpoint:
        warnings.append(docs.site.source.error(
            ("feedback",), N_("no feedback endpoint is configured, so the feedback form is left out"),
            N_("write 'endpoint: https://...' under 'feedback:', or build with --feedback-endpoint"),
            severity="warning"))
    for d in promises:
        overdue = dt.date(d.model.year + 1, 12, 31)
        if today > overdue and not any(f.model.promise == d.model.id for f in follow_ups):
            warnings.append(d.source.error(
                ("year",), N_("the promise for {year} ended more than a year ago and has no "
                              "follow-up"), N_("add one: python build.py new follow-up {year}"),
                severity="warning", year=d.model.year))
    if landing is None:
        return None, [InputError.at("content/index.md", 0, 0,
                                    N_("the front page content/index.md is missing"),
                                    N_("create it with a title, a summary and a short "
                                       "introduction"))]

    site = Site(
        navigation=_navigation(config, content_pages),
        config=config, base_url=base_url, today=today,
        agreements=tuple(d.model for d in agreements),
        promises=tuple(d.model for d in promises),
        follow_ups=tuple(d.model for d in follow_ups),
        indicators={d.model.id: d.model for d in docs.indicators},
        est_areas=tuple(d.model for d in est_areas),
        files=files, file_sources={k: docs.files[k] for k in files},
        pages=tuple(sorted(pages, key=lambda p: p.path)),
        feedback_endpoint=endpoint or None,
        _by_id=by_id,
    )
    return site, warnings


@dataclass(frozen=True)
class _Words:
    """The site's two languages, for the titles and summaries the tool writes itself."""

    interface: str
    content: str

    def __call__(self, message: str, **values: object) -> str:
        """A message (or a text the organisation wrote instead) in the interface's language."""
        text = translate(message, self.interface)
        return text.format(**values) if values else text

    def language_of(self, text: str) -> str:
        """The language `text` is shown in: the interface's for a message, else the content's."""
        return self.interface if is_message(text) else self.content


ARCHIVE_TITLE = N_("Citizen promises")


def _add_tracker_pages(add, home, words: _Words, docs: Documents,
                       promises: list[Sourced[Promise]], follow_ups: list[Sourced[FollowUp]],
                       today: dt.date) -> None:
    """A page per commitment (its whole history), per party, per focus area and per indicator,
    and the page that explains the method."""
    assert docs.site is not None
    config, config_source = docs.site.model, docs.site.source.rel
    archive = (ARCHIVE_PATH, words(ARCHIVE_TITLE))
    first_published = min((d.model.published for d in promises), default=today)
    source_of = {d.model.id: d.source.rel for d in (*promises, *follow_ups)}
    follow_up_sources = {}
    for d in follow_ups:
        follow_up_sources.setdefault(d.model.promise, []).append(d.source.rel)

    def sources_for(promise_ids) -> list[str]:
        return [s for pid in promise_ids for s in (source_of[pid], *follow_up_sources.get(pid, []))]

    def described(description: str | None, message: str, **values: object) -> dict[str, Any]:
        """The summary: the item's own description, else one the tool writes."""
        if description:
            return {"summary": description, "summary_language": words.content}
        return {"summary": words(message, **values), "summary_language": words.interface}

    carried: dict[str, list[Promise]] = {}
    for d in promises:
        for c in d.model.commitments:
            carried.setdefault(c.id, []).append(d.model)
    for commitment_id, years in carried.items():
        latest = next(c for c in years[-1].commitments if c.id == commitment_id)
        span = f"{years[0].year}" if len(years) == 1 else f"{years[0].year}–{years[-1].year}"
        add("commitment", commitment_path(commitment_id), latest.text,
            words(N_("A commitment in the citizen promise {span}: what we promised and how it "
                     "has gone, year by year."), span=span),
            PageMeta(published=years[0].published), sources_for(p.id for p in years),
            [home, archive], commitment_id, title_language=words.content,
            summary_language=words.interface)

    every_promise = [d.model.id for d in promises]
    for party in config.parties:
        add("party", party_path(party.id),
            words(N_("What {party} has promised"), party=party.short_name or party.name),
            words(N_("All the commitments {party} is responsible for, year by year, and how "
                     "they have gone."), party=party.name),
            PageMeta(published=first_published), [config_source, *sources_for(every_promise)],
            [home, archive], party)

    focus_areas = {}
    for d in docs.agreements:
        for area in d.model.focus_areas:
            focus_areas.setdefault(area.id, (area, d))
    for area_id, (area, d) in focus_areas.items():
        summary = described(area.description, N_("Commitments in the focus area {area}."),
                            area=area.title)
        add("focus-area", focus_area_path(area_id), area.title, summary.pop("summary"),
            PageMeta(published=d.model.published), [d.source.rel, *sources_for(every_promise)],
            [home, archive], area, title_language=words.content, **summary)

    for d in docs.indicators:
        indicator = d.model
        summary = described(indicator.description,
                            N_("{indicator}: values year by year, with their source."),
                            indicator=indicator.title)
        add("indicator", indicator_path(indicator.id), indicator.title, summary.pop("summary"),
            PageMeta(published=first_published, example_data=indicator.example_data),
            [d.source.rel], [home, archive], indicator, title_language=words.content, **summary)

    add("method", METHOD_PATH, words(N_("How we follow up")),
        words(N_("How we assess whether the promises are kept, when we do it and what each "
                 "status means.")), PageMeta(published=first_published),
        [config_source], [home, archive])


def _add_content_pages(add, home, words: _Words, content_pages: dict[str, Sourced],
                       landing_sources: list[str]) -> None:
    """A page per Markdown file under content/; the front page also draws on the data."""
    versions = _versions(content_pages, words.content)
    for path, d in sorted(content_pages.items()):
        fm: PageFrontMatter = d.model
        sources = [d.source.rel]
        kind = "page"
        if path == "":
            kind = "landing"
            sources += landing_sources
        crumbs = [] if path == "" else [home] + _parent_crumbs(path, content_pages)
        version = version_language(d.source)
        add(kind, path, fm.title, fm.summary, fm, sources, crumbs, fm,
            body_file=d.source,
            language=version or words.interface, title_language=version or words.content,
            versions=versions.get(path, ()))


def _versions(content_pages: dict[str, Sourced], content_language: str,
              ) -> dict[str, tuple[tuple[str, str], ...]]:
    """The pages written in more than one language: path -> (language, path) of each version."""
    groups: dict[str, dict[str, str]] = {}
    for path, d in content_pages.items():
        language = version_language(d.source)
        original = path.removeprefix(f"{language}/") if language else path
        groups.setdefault(original, {})[language or content_language] = path
    return {path: tuple(sorted(group.items()))
            for group in groups.values() if len(group) > 1 for path in group.values()}


def _add_site_pages(add, home, words: _Words, config: SiteConfig, config_source: str,
                    earliest: dt.date, data_sources: list[str]) -> None:
    """The pages every site has: privacy notice, open data, accessibility statement, thanks,
    search, the list of all pages and the page for an address that does not exist."""
    privacy = config.feedback.privacy
    add("privacy", PRIVACY_PATH, words(privacy.title),
        words(N_("How we handle the personal data you give in the website's feedback form.")),
        PageMeta(published=privacy.published or earliest, feedback=False), [config_source],
        [home], title_language=words.language_of(privacy.title),
        summary_language=words.interface)
    add("data", DATA_PAGE_PATH, words(N_("Open data")),
        words(N_("Download agreements, citizen promises, follow-ups, indicators and EST "
                 "figures as CSV and JSON.")),
        PageMeta(published=earliest), [*data_sources], [home])
    statement = config.accessibility
    add("accessibility", ACCESSIBILITY_PATH, words(N_("Accessibility statement")),
        words(N_("How accessible the website {site} is, what does not work and how to report "
                 "shortcomings."), site=config.site_name),
        PageMeta(published=statement.published, updated=statement.updated), [config_source],
        [home])
    _add_thanks_page(add, home, words, config, config_source, earliest)
    add("search", SEARCH_PATH, words(N_("Search the website")),
        words(N_("Search agreements, citizen promises, follow-ups and EST areas.")),
        PageMeta(published=earliest, feedback=False), [config_source], [home])
    add("all-pages", ALL_PAGES_PATH, words(N_("All pages")),
        words(N_("A list of every page on the website.")),
        PageMeta(published=earliest), [config_source], [home])
    add("not-found", NOT_FOUND_PATH, words(N_("Page not found")),
        words(N_("The page you looked for does not exist, or has moved.")),
        PageMeta(published=earliest, feedback=False), [config_source], [], indexable=False)


def _add_thanks_page(add, home, words: _Words, config: SiteConfig, config_source: str,
                     earliest: dt.date, language: str | None = None) -> None:
    """Where the feedback form returns without JavaScript: tack/, or en/tack/ for English."""
    texts = config.feedback.texts
    add("thanks", thanks_path(language), words(texts.thank_you_page_title),
        words(texts.thank_you_page_text), PageMeta(published=earliest, feedback=False),
        [config_source], [home], indexable=False, language=words.interface,
        title_language=words.language_of(texts.thank_you_page_title),
        summary_language=words.language_of(texts.thank_you_page_text))


def thanks_path(language: str | None = None) -> str:
    """The thank-you page of the site's language (None), or of a page version's language."""
    return f"{language}/{THANKS_PATH}" if language else THANKS_PATH


def _tracking(promises: list[Sourced[Promise]], follow_ups: list[Sourced[FollowUp]],
              config: SiteConfig, today: dt.date) -> dict[Any, Tracked]:
    """Each commitment of each promise with its latest assessment and whether it is overdue."""
    statuses = {s.id: s for s in config.statuses}
    ordered = [d.model for d in promises]
    result: dict[Any, Tracked] = {}
    for i, promise in enumerate(ordered):
        own = [f.model for f in follow_ups if f.model.promise == promise.id]
        for commitment in promise.commitments:
            assessed = [(f, o) for f in own for o in f.outcomes if o.commitment == commitment.id]
            follow_up, outcome = assessed[-1] if assessed else (None, None)
            status = statuses[outcome.status] if outcome else None
            continues = next((p for p in ordered[i + 1:]
                              if any(c.id == commitment.id for c in p.commitments)), None)
            finished = status is not None and (status.done or status.closed)
            overdue = commitment.due < today and not finished and continues is None
            result[("tracked", promise.id, commitment.id)] = Tracked(
                promise, commitment, follow_up, outcome, status, overdue, continues)
    return result


def _navigation(config: SiteConfig, content_pages: dict[str, Sourced]) -> tuple[Link, ...]:
    entries = [((i + 1) * 10, link) for i, link in enumerate(config.navigation)]
    listed = {link.url for link in config.navigation}
    for path, d in content_pages.items():
        menu = d.model.menu
        # A version in another language is reached from its page's language link, not the menu.
        if menu and "/" + path not in listed and version_language(d.source) is None:
            entries.append((menu.order, Link(title=menu.title or d.model.title, url="/" + path)))
    return tuple(link for _, link in sorted(entries, key=lambda entry: entry[0]))


def _parent_crumbs(path: str, content_pages: dict[str, Sourced]) -> list[tuple[str, str]]:
    """Breadcrumbs for content/a/b.md: the page for content/a.md when there is one."""
    parts = path.strip("/").split("/")[:-1]
    crumbs = []
    for i in range(len(parts)):
        parent = "/".join(parts[: i + 1]) + "/"
        if parent in content_pages:
            crumbs.append((parent, content_pages[parent].model.title))
    return crumbs
