"""VALIDATE: the typed shape of every input file.

One model per kind of file under `data/` and per Markdown front matter. Unknown keys are errors,
so a misspelt key is reported instead of silently ignored. The same models give the JSON Schemas
that editors use.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Generic, Literal, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .errors import InputError
from .i18n import N_
from .sources import ProjectSources, SourceFile

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]
"""A stable identifier: lower-case letters a-z, digits and hyphens, for example `samverkan-2020-2023`."""
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Flag = Annotated[bool, Strict()]
"""Only true or false: "no", "yes" or 0 are refused instead of silently read as a yes or no."""
Month = Annotated[str, StringConstraints(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
"""A month written as YYYY-MM, for example 2024-03."""


M = TypeVar("M", bound=BaseModel)


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


# --- shared parts -------------------------------------------------------------------------


class ChangeNote(Model):
    date: dt.date
    """When the change was made."""
    note: Text
    """One sentence for residents: what changed on the page."""


class PageMeta(Model):
    """What every published page carries besides its content."""

    published: dt.date
    """The date the page was first published."""
    updated: dt.date | None = None
    """Overrides "Senast uppdaterad", which otherwise comes from git."""
    changes: list[ChangeNote] = []
    """Change notes shown under the dates, newest first."""
    owner: Text | None = None
    """The unit responsible for the page (a unit, not a person)."""
    reviewed: dt.date | None = None
    """When the owner last checked that the page is still correct."""
    feedback: Flag = True
    """Set to false to leave the page-feedback form out of this page."""
    example_data: Flag = False
    """True when figures on the page are invented (the example site): the page says so."""


class Attachment(Model):
    file: Text
    """Path of the file under files/, for example files/samverkansoverenskommelse-2020-2023.pdf."""
    title: Text
    """The link text, for example "Samverkansöverenskommelsen 2020–2023"."""


class Period(Model):
    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise _invalid("period_order")
        return self


# --- site.yaml ------------------------------------------------------------------------------


class Link(Model):
    title: Text
    url: Text
    """A path on this site starting with / (for example /medborgarloften/), or a full https:// address."""


class Organisation(Model):
    name: Text
    """For example "Lidköpings kommun"."""
    url: Text | None = None


class Party(Model):
    id: Id
    name: Text
    """The full name, for example "Lokalpolisområde Västra Skaraborg"."""
    short_name: Text | None = None
    """A short name for lists and tables, for example "Polisen"."""


class Contact(Model):
    unit: Text
    email: Text | None = None
    phone: Text | None = None
    address: Text | None = None
    url: Text | None = None


class FeedbackTexts(Model):
    """The words of the page-feedback form; defaults in the site's language, overridable."""

    heading: Text = N_("Help us improve this page")
    helpful_question: Text = N_("Did the information on this page help you?")
    yes: Text = N_("Yes")
    no: Text = N_("No")
    rating_question: Text = N_("How satisfied are you with the content of the page?")
    rating_labels: list[Text] = Field(
        default=[N_("Very dissatisfied"), N_("Fairly dissatisfied"),
                 N_("Neither satisfied nor dissatisfied"), N_("Fairly satisfied"),
                 N_("Very satisfied")], min_length=5, max_length=5)
    """Five labels, from the least to the most satisfied."""
    comment_question: Text = N_("Could you tell us a little more about your answer?")
    comment_help: Text = N_(
        "Tell us what you are missing or what is wrong, and we can correct the page.")
    counter: Text = N_("{used} of {limit} characters")
    """The character counter under the comment; {used} and {limit} are filled in."""
    public_record_notice: Text = N_(
        "What you write becomes a public record, and others may read it. So do not write any "
        "sensitive personal data. We handle personal data according to the General Data "
        "Protection Regulation (GDPR).")
    no_questions_notice: Text = N_(
        "Here we only take comments on this web page. We do not answer questions about the "
        "municipality's services here.")
    privacy_link_text: Text = N_("How we handle your personal data")
    contact_question: Text = N_("May we contact you (optional)?")
    contact_help: Text = N_(
        "Write your e-mail address if we may contact you with questions about what you wrote. "
        "We use it only for that.")
    submit: Text = N_("Send")
    sending: Text = N_("Sending the information…")
    thanks: Text = N_("Thank you for your answer!")
    thanks_more: Text = N_("Thank you for helping us make the municipality's website better!")
    nothing_answered: Text = N_("Answer at least one of the questions before you send.")
    invalid_email: Text = N_(
        "The e-mail address does not look right. Write it as name@example.com, or leave the "
        "field empty.")
    error_heading: Text = N_("It could not be sent")
    error_kept: Text = N_("What you have written is still here. You can try again.")
    error_timeout: Text = N_("The receiver did not answer in time.")
    error_network: Text = N_("The receiver could not be reached. Check your internet connection.")
    error_server: Text = N_("The receiver answered with an error (code {status}).")
    error_rejected: Text = N_("The receiver did not accept the answer:")
    personal_data_heading: Text = N_("Does the comment contain personal data?")
    personal_data_warning: Text = N_(
        "It looks as if the comment contains {found}. The comment becomes a public record. "
        "Remove it, or write your e-mail address in the contact field instead.")
    personal_data_found: list[Text] = Field(
        default=[N_("a personal identity number"), N_("an e-mail address"),
                 N_("a phone number")], min_length=3, max_length=3)
    """What was found: a personal identity number, an e-mail address, a phone number."""
    edit_comment: Text = N_("Edit the comment")
    send_anyway: Text = N_("Send anyway")
    thank_you_page_title: Text = N_("Thank you for your answer")
    thank_you_page_text: Text = N_(
        "We have received your comments. Thank you for helping us make the municipality's "
        "website better!")


class Privacy(Model):
    """The privacy notice for the feedback form, published as its own page."""

    title: Text = N_("How we handle your personal data")
    controller: Text | None = None
    """Who is responsible for the personal data (personuppgiftsansvarig); the organisation by default."""
    purpose: Text = N_(
        "We use what you write in the form to improve the website. If you give your e-mail "
        "address, we use it only to ask follow-up questions about what you wrote.")
    legal_basis: Text = N_(
        "The processing is necessary to perform a task in the public interest (article 6.1 e "
        "of the General Data Protection Regulation): to inform residents and give service.")
    retention: Text = N_(
        "Comments are public records and are kept or disposed of according to the "
        "municipality's records management plan. We delete e-mail addresses when we have "
        "answered the comment, at the latest after three months.")
    rights: list[Text] = [
        N_("know which personal data we hold about you (a register extract)"),
        N_("have incorrect data corrected"),
        N_("have data erased, unless the law requires us to keep it"),
        N_("object to the processing and ask for it to be restricted"),
        N_("complain to the Swedish Authority for Privacy Protection (IMY), www.imy.se"),
    ]
    dpo: Text = N_("The data protection officer")
    """Who the data protection officer is (a function, not a person's name)."""
    dpo_email: Text | None = None
    dpo_phone: Text | None = None
    published: dt.date | None = None
    """When the notice was first published; the site's earliest date by default."""


class Feedback(Model):
    endpoint: Text | None = None
    """Where the form posts to; can be overridden with --feedback-endpoint."""
    services_url: Text | None = None
    """Where questions about the organisation's services go instead."""
    services_link_text: Text = N_("Give comments on the municipality's services")
    texts: FeedbackTexts = FeedbackTexts()
    privacy: Privacy = Privacy()


class Status(Model):
    id: Id
    label: Text
    """The word residents read, for example "Genomfört"."""
    description: Text
    """What the status means, shown on the method page."""
    done: Flag = False
    """Counts as a kept commitment."""
    closed: Flag = False
    """The work has ended without being done (cancelled): never shown as overdue."""
    symbol: Annotated[str, StringConstraints(min_length=1, max_length=2)] = "•"
    """A sign shown before the label, so that the status never depends on colour alone."""


DEFAULT_STATUSES = [
    Status(id="done", label=N_("Done"), done=True, symbol="✓",
           description=N_("What we promised has been done.")),
    Status(id="partly-done", label=N_("Partly done"), symbol="◐",
           description=N_("Part of what we promised has been done, but not all of it.")),
    Status(id="ongoing", label=N_("Ongoing"), symbol="→",
           description=N_("The work has started and continues.")),
    Status(id="not-started", label=N_("Not started"), symbol="○",
           description=N_("The work has not started yet.")),
    Status(id="cancelled", label=N_("Cancelled"), closed=True, symbol="✕",
           description=N_("We have stopped the action. The reason is always given with the "
                          "action.")),
]
"""The statuses when data/site.yaml names none; their words are shown in the site's language."""


class FollowUpMethod(Model):
    """How the commitments are followed up: shown on the page "Så följer vi upp"."""

    who: Text = N_(
        "The municipality's community safety coordinator and the local police area assess "
        "together how each commitment has gone. The assessment builds on material from those "
        "responsible for the commitment.")
    when: Text = N_(
        "We follow up the citizen promise once a year, early in the following year. The "
        "follow-up shows the situation as of a certain date, which is given with each status.")
    overdue: Text = N_(
        "A commitment that is not done when the date by which it should have been done has "
        "passed is shown as overdue. This happens automatically, without anyone changing the "
        "status.")
    evidence: Text = N_(
        "Where there is supporting material, for example a report or a note in the minutes, "
        "we link to it with the status.")


class PlainLanguage(Model):
    """Settings of the plain-language warnings that `check` gives."""

    lix_threshold: float = Field(default=50, ge=10, le=100)
    """Warn about a page or file whose readability index (LIX) is above this."""
    explained: list[Text] = []
    """Acronyms the site explains elsewhere (for example on a glossary page), such as EST."""


class OpenData(Model):
    """How the open data is published: licence, contact and publisher for the national portal."""

    license: Text = "http://creativecommons.org/publicdomain/zero/1.0/"
    """The data's licence as a Creative Commons address; CC0 1.0 by default."""
    license_title: Text | None = None
    contact_unit: Text | None = None
    """The unit that answers questions about the data; the site's contact by default."""
    contact_email: Text | None = None
    contact_url: Text | None = None
    organisation_number: Annotated[str, StringConstraints(pattern=r"^\d{6}-?\d{4}$")] | None = None
    """The organisation number (organisationsnummer), which names the publisher on dataportal.se."""
    publisher_type: Text = "LocalAuthority"
    """The publisher's kind in the EU's ADMS list; a municipality is LocalAuthority."""


class Shortcoming(Model):
    what: Text
    """The content that is not accessible, for example "Diagrammen saknar ljudbeskrivning"."""
    why: Text
    """Why: which requirement it fails, or why it is exempt."""
    instead: Text | None = None
    """How to get the content another way meanwhile."""


class Accessibility(Model):
    """The accessibility statement (tillgänglighetsredogörelse) that the law requires."""

    compliance: Literal["full", "partial", "none"] = "partial"
    """Fully, partly or not compliant with the law (WCAG 2.1 AA through EN 301 549)."""
    shortcomings: list[Shortcoming] = []
    """Content that is not accessible, and why."""
    disproportionate_burden: list[Shortcoming] = []
    """Content exempt because making it accessible would be a disproportionate burden."""
    outside_scope: list[Shortcoming] = []
    """Content outside the law's scope, for example third-party content or old documents."""
    contact_email: Text | None = None
    """Where to report a shortcoming or ask for content in another format; the site's contact by default."""
    contact_phone: Text | None = None
    response_time: Text = N_("two working days")
    """How soon the reporter gets an answer."""
    supervisor_url: Text = "https://www.digg.se/tdosanmalan"
    """The supervising authority's (Digg's) reporting service."""
    assessed: dt.date
    """When the site was last assessed."""
    assessed_how: Text = N_(
        "We have reviewed the website ourselves, with automated tests in every build and with "
        "manual tests.")
    """How the site was assessed (a self-assessment, or by whom)."""
    published: dt.date
    """When the statement was first published."""
    updated: dt.date
    """When the statement was last updated."""


class SiteConfig(Model):
    """data/site.yaml: the organisation and the site as a whole."""

    site_name: Text
    """The site's name, shown in the header and in the browser tab."""
    organisation: Organisation
    language: Literal["sv", "en"] = "sv"
    """The language of the interface: the words the tool writes (headings, dates, the feedback
    form, the error messages of the build), sv or en."""
    content_language: Literal["sv", "en"] | None = None
    """The language the content (data/ and content/) is written in; the same as `language` by
    default. Pages carry it as their own lang, so screen readers read each part right."""
    base_url: Annotated[str, StringConstraints(pattern=r"^https?://[^\s]+/$")]
    """The published address, ending with /, for example https://www.lidkoping.se/trygghet/."""
    description: Text
    """One sentence about the site, used when a page has no summary of its own."""
    parties: list[Party]
    """The organisations that promise things (referred to by id from agreements and commitments)."""
    navigation: list[Link] = []
    contact: Contact
    feedback: Feedback = Feedback()
    footer_links: list[Link] = []
    statuses: list[Status] = DEFAULT_STATUSES
    """The statuses a follow-up may give a commitment, in the order they are shown."""
    follow_up_method: FollowUpMethod = FollowUpMethod()
    plain_language: PlainLanguage = PlainLanguage()
    open_data: OpenData = OpenData()
    accessibility: Accessibility


# --- agreements ---------------------------------------------------------------------------


class FocusArea(Model):
    id: Id
    title: Text
    description: Text | None = None


class Problem(Model):
    title: Text
    """A problem from the shared situation picture."""
    causes: list[Text] = []
    """Its likely causes."""


class Goal(Model):
    text: Text
    """A measurable goal, for example "Andelen som känner sig trygga i centrum ökar"."""
    indicators: list[Id] = []
    """Indicators that measure it (ids of files in data/indicators/)."""


class Signatory(Model):
    role: Text
    """For example "Lokalpolisområdeschef" or "Kommunstyrelsens ordförande"."""
    party: Id
    name: Text | None = None


class Agreement(PageMeta):
    """data/agreements/<id>.yaml: a cooperation agreement (samverkansöverenskommelse)."""

    id: Id
    title: Text
    summary: Text
    """One or two sentences for lists and search results."""
    parties: list[Id] = Field(min_length=2)
    period: Period
    purpose: Text
    """Why the parties work together (Markdown)."""
    problems: list[Problem] = []
    goals: list[Goal] = []
    follow_up: Text
    """How the work is documented and followed up (Markdown)."""
    focus_areas: list[FocusArea] = []
    signatories: list[Signatory] = []
    signed: dt.date | None = None
    attachment: Attachment | None = None
    successor: Id | None = None
    """The agreement that replaces this one, once there is one."""
    revision_note: Text | None = None
    """Shown when the period has ended and no successor is named.

    For example "En ny överenskommelse tas fram under 2024"."""


# --- promises ---------------------------------------------------------------------------


class Raised(Model):
    id: Id
    text: Text
    """What residents raised, in a sentence."""


class Dialogue(Model):
    held: dt.date
    how: Text
    """For example "Trygghetsvandring" or "Digital enkät"."""
    where: Text | None = None
    participants: int | None = Field(default=None, ge=0)
    raised: list[Raised] = []


class UpcomingDialogue(Model):
    date: dt.date
    where: Text
    how: Text


class Commitment(Model):
    id: Id
    """Stable across years: a commitment that continues keeps its id."""
    text: Text
    responsible: list[Id] = Field(min_length=1)
    """Ids of the parties in data/site.yaml that carry it out."""
    due: dt.date
    focus_area: Id | None = None
    answers: list[Id] = []
    """Ids of what residents raised in the dialogues that this commitment answers."""
    indicators: list[Id] = []


class Promise(PageMeta):
    """data/promises/<year>.yaml: a citizen promise (medborgarlöfte) for one year."""

    id: Id
    agreement: Id
    year: int = Field(ge=1990, le=2100)
    title: Text
    summary: Text
    focus: Text
    """This year's focus in a few sentences (Markdown)."""
    dialogues: list[Dialogue] = []
    upcoming_dialogues: list[UpcomingDialogue] = []
    focus_areas: list[Id] = []
    """Ids of the agreement's focus areas this promise works on."""
    commitments: list[Commitment] = Field(min_length=1)
    attachment: Attachment | None = None


# --- follow-ups ---------------------------------------------------------------------------


class Evidence(Model):
    title: Text
    url: Text | None = None
    file: Text | None = None

    @model_validator(mode="after")
    def _one_target(self) -> Evidence:
        if (self.url is None) == (self.file is None):
            raise _invalid("evidence_target")
        return self


class Outcome(Model):
    commitment: Id
    status: Id
    """One of the statuses in data/site.yaml (done, partly-done, ongoing, not-started, cancelled)."""
    account: Text
    """What was done, in a few sentences for residents."""
    evidence: list[Evidence] = []


class FollowUp(PageMeta):
    """data/follow-ups/<id>.yaml: how a promise went."""

    id: Id
    promise: Id
    date: dt.date
    """The follow-up reports the state as of this date."""
    title: Text
    summary: Text
    outcomes: list[Outcome] = Field(min_length=1)
    attachment: Attachment | None = None


# --- indicators ---------------------------------------------------------------------------

_PERIOD = re.compile(r"^\d{4}(-Q[1-4])?$")


class IndicatorValue(Model):
    period: int | str
    """A year (2022) or a quarter ("2022-Q3")."""
    value: float
    note: Text | None = None

    @model_validator(mode="after")
    def _period_shape(self) -> IndicatorValue:
        if not _PERIOD.match(str(self.period)):
            raise _invalid("period_shape")
        return self


class Indicator(Model):
    """data/indicators/<id>.yaml: a measured series that follow-ups report."""

    id: Id
    title: Text
    description: Text | None = None
    unit: Text
    """For example "procent" or "antal anmälningar"."""
    source: Text
    """Where the figures come from, for example "Polisens trygghetsmätning"."""
    frequency: Literal["year", "quarter"] = "year"
    target: float | None = None
    higher_is_better: Flag = True
    values: list[IndicatorValue] = Field(min_length=1)
    example_data: Flag = False

    @model_validator(mode="after")
    def _periods_match_frequency(self) -> Indicator:
        quarterly = self.frequency == "quarter"
        for value in self.values:
            if ("-Q" in str(value.period)) != quarterly:
                raise _invalid("period_frequency", period=value.period, frequency=self.frequency)
        seen = [str(v.period) for v in self.values]
        duplicates = sorted({p for p in seen if seen.count(p) > 1})
        if duplicates:
            raise _invalid("period_duplicate", period=duplicates[0])
        return self


# --- EST ---------------------------------------------------------------------------------


class ReportCategory(Model):
    id: Id
    label: Text


class MonthlyReports(Model):
    month: Month
    counts: dict[Id, int]
    """Number of reports per category id."""


class Action(Model):
    what: Text
    who: Text
    """An organisation in the intervention group, never a private person."""
    by: dt.date
    status: Id
    note: Text | None = None
    """Why, when the status needs explaining (a cancelled action must say why)."""


class EstArea(PageMeta):
    """data/est/<id>.yaml: an EST intervention (Effektiv Samordning för Trygghet) in one area."""

    id: Id
    title: Text
    summary: Text
    places: list[Text] = Field(min_length=1)
    started: dt.date
    organisations: list[Text] = Field(min_length=1)
    """The organisations in the intervention group."""
    meetings: Text
    """How often situation-picture meetings are held, for example "varannan vecka"."""
    description: Text | None = None
    """More about the work in the area (Markdown)."""
    report_categories: list[ReportCategory] = []
    reports: list[MonthlyReports] = []
    actions: list[Action] = []


# --- Markdown pages -----------------------------------------------------------------------


class MenuEntry(Model):
    title: Text | None = None
    """The menu text, when it differs from the page title."""
    order: int = 100


class PageFrontMatter(PageMeta):
    """The front matter of a Markdown page under content/.

    A page can have a version in another language beside it: content/rapportera.en.md is the
    English version of content/rapportera.md, published at /en/rapportera/. The two link to each
    other; the version takes no place in the menu.
    """

    title: Text
    summary: Text
    menu: MenuEntry | None = None
    """Put the page in the main navigation."""


# --- turning validation errors into messages communicators can act on -----------------------

_DATE = (N_("expected a date like 2024-03-01, not {got}"),
         N_("write a date like 2024-03-01 after '{name}:'"))
_INT = (N_("expected a whole number, like 42, not {got}"),
        N_("write a whole number after '{name}:'"))
_FLOAT = (N_("expected a number, like 42 or 61.5, not {got}"), N_("write a number after '{name}:'"))
_BOOL = (N_("expected true or false, not {got}"), N_("write true or false after '{name}:'"))
_FIELDS = (N_("expected fields (lines like 'name: value'), not {got}"),
           N_("write the fields of '{name}' on the lines below it, indented"))
_EXPECTED = {
    "date_type": _DATE, "date_parsing": _DATE, "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": _DATE,
    "int_type": _INT, "int_parsing": _INT, "int_from_float": _INT,
    "float_type": _FLOAT, "float_parsing": _FLOAT,
    "bool_type": _BOOL, "bool_parsing": _BOOL,
    "string_type": (N_("expected a text, not {got}"), N_("write a text after '{name}:'")),
    "list_type": (N_("expected a list (lines starting with '- '), not {got}"),
                  N_("write the items of '{name}' on the lines below it, each starting with '- '")),
    "dict_type": _FIELDS, "model_type": _FIELDS, "model_attributes_type": _FIELDS,
}
"""Pydantic error type -> (message for a wrong value, hint for an empty one)."""

CUSTOM_MESSAGES = {
    "period_order": N_("the period ends before it starts"),
    "evidence_target": N_("give either url or file for the evidence"),
    "period_shape": N_('write the period as a year (2022) or a quarter ("2022-Q3")'),
    "period_frequency": N_("the period {period} does not match the frequency '{frequency}'"),
    "period_duplicate": N_("the period {period} has more than one value"),
}
"""Messages of the models' own checks, by error type."""


def _invalid(kind: str, **context: object) -> PydanticCustomError:
    return PydanticCustomError(kind, CUSTOM_MESSAGES[kind], context)


@dataclass(frozen=True)
class ErrorDescription:
    loc: tuple
    message: str
    hint: str = ""
    at_key: bool = False
    params: dict = field(default_factory=dict)


def _unwrap_model(annotation) -> type[BaseModel] | None:
    """The model class inside an annotation such as `list[Commitment] | None`."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _unwrap_model(arg)
        if found:
            return found
    return None


def model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model that describes the value at `loc` inside a document of type `model`."""
    current: type[BaseModel] | None = model
    for part in loc:
        if current is None:
            return None
        if isinstance(part, int):
            continue
        field = current.model_fields.get(str(part))
        if field is None:
            return None
        current = _unwrap_model(field.annotation)
    return current


def _shown(value: object) -> str:
    return N_("a group of fields") if isinstance(value, dict | list) else f"'{value}'"


def describe_error(model: type[BaseModel], error: dict) -> ErrorDescription:
    """Turn one pydantic error into a message and a hint a communicator can act on."""
    from difflib import get_close_matches

    loc = tuple(part for part in error["loc"] if not (isinstance(part, str) and "[" in part))
    kind = error["type"]
    ctx = error.get("ctx", {})
    name = next((str(p) for p in reversed(loc) if isinstance(p, str)), "")
    got = error.get("input")
    if kind == "missing":
        return ErrorDescription(loc[:-1], N_("the field '{name}' is missing"), N_("add '{name}: ...'"),
                       params={"name": name})
    if kind == "extra_forbidden":
        parent = model_at(model, loc[:-1])
        known = list(parent.model_fields) if parent else []
        close = get_close_matches(name, known, n=1, cutoff=0.6)
        if close:
            hint = N_("did you mean '{close}'?")
        else:
            hint = N_("the fields that can be used here are: {known}") if known else N_("remove it")
        return ErrorDescription(loc, N_("unknown field '{name}'"), hint, True,
                       {"name": name, "close": close[0] if close else "", "known": ", ".join(known)})
    if kind == "string_pattern_mismatch":
        pattern = ctx.get("pattern", "")
        if "a-z0-9" in pattern:
            return ErrorDescription(loc, N_("'{got}' is not a valid id"), N_(
                "use lower-case letters a-z, digits and hyphens, for example 'trygg-centrum'"),
                params={"got": got})
        if "https?" in pattern:
            return ErrorDescription(loc, N_("'{got}' is not a full web address ending with /"),
                           N_("write it like https://www.kommun.se/trygghet/"), params={"got": got})
        if "\\d{4}-" in pattern:
            return ErrorDescription(loc, N_("'{got}' is not a month"),
                                    N_('write it like "2024-03", in quotes'), params={"got": got})
    if kind == "literal_error":
        return ErrorDescription(loc, N_("'{got}' is not allowed here"), N_("write one of: {expected}"),
                       params={"got": got, "expected": ctx.get("expected", "")})
    if kind == "too_short":
        return ErrorDescription(loc, N_("'{name}' needs at least {count} item(s)"),
                       params={"name": name, "count": ctx.get("min_length", 1)})
    if kind == "too_long":
        return ErrorDescription(loc, N_("'{name}' can have at most {count} item(s)"),
                       params={"name": name, "count": ctx.get("max_length", 1)})
    if kind == "string_too_short" or (kind in _EXPECTED and got is None):
        hint = _EXPECTED[kind][1] if kind in _EXPECTED else N_("write a text, or remove the line")
        return ErrorDescription(loc, N_("'{name}' is empty"), hint, params={"name": name})
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        limit = next(iter(ctx.values()), "")
        template = {"greater_than_equal": N_("{got} is too small: it must be at least {limit}"),
                    "greater_than": N_("{got} is too small: it must be more than {limit}"),
                    "less_than_equal": N_("{got} is too large: it must be at most {limit}"),
                    "less_than": N_("{got} is too large: it must be less than {limit}")}[kind]
        return ErrorDescription(loc, template, params={"got": got, "limit": limit})
    if kind in _EXPECTED:
        hint = N_("put the text in quotes") if kind == "string_type" else ""
        return ErrorDescription(loc, _EXPECTED[kind][0], hint, params={"got": _shown(got)})
    if kind in CUSTOM_MESSAGES:
        return ErrorDescription(loc, CUSTOM_MESSAGES[kind], params=dict(ctx))
    if kind == "value_error":
        return ErrorDescription(loc, N_("{problem}"), params={"problem": ctx.get("error", error["msg"])})
    return ErrorDescription(loc, N_("{problem}"), params={"problem": error["msg"]})


def validate_source(source: SourceFile, model: type[M]) -> tuple[M | None, list[InputError]]:
    """Validate one loaded file; on failure return every problem, each with its place."""
    try:
        return model.model_validate(source.data), []
    except ValidationError as exc:
        errors = []
        for error in exc.errors(include_url=False):
            problem = describe_error(model, error)
            errors.append(source.error(problem.loc, problem.message, problem.hint,
                                       key=problem.at_key, **problem.params))
        return None, errors


@dataclass(frozen=True)
class Sourced(Generic[M]):
    """A validated document and the file it came from (for pointing at it later)."""

    model: M
    source: SourceFile


@dataclass
class Documents:
    """Every input file, validated."""

    site: Sourced[SiteConfig] | None
    """None when data/site.yaml itself is invalid."""
    agreements: list[Sourced[Agreement]]
    promises: list[Sourced[Promise]]
    follow_ups: list[Sourced[FollowUp]]
    indicators: list[Sourced[Indicator]]
    est_areas: list[Sourced[EstArea]]
    pages: list[Sourced[PageFrontMatter]]
    files: dict[str, Path]
    broken_ids: frozenset[str] = frozenset()
    """Ids of files that failed validation: references to them are not reported again."""
    unidentified: frozenset[str] = frozenset()
    """Kinds with an invalid file that names no id: a reference to an unknown id of such a kind
    may be to that file, so it is not reported until the file is fixed."""


KIND_MODELS: dict[str, type[BaseModel]] = {
    "agreements": Agreement,
    "promises": Promise,
    "follow-ups": FollowUp,
    "indicators": Indicator,
    "est": EstArea,
}


def validate_project(sources: ProjectSources) -> tuple[Documents, list[InputError]]:
    """Validate every loaded file against its model; collect all errors.

    The valid files are returned even when others fail, so that the next stage can still
    report broken references among them in the same run.
    """
    errors: list[InputError] = []
    broken: set[str] = set(sources.broken_ids)
    unidentified: set[str] = set(sources.unidentified)

    def validated(files: list[SourceFile], model: type[M], kind: str = "") -> list[Sourced[M]]:
        result = []
        for source in files:
            obj, problems = validate_source(source, model)
            errors.extend(problems)
            if obj is not None:
                result.append(Sourced(obj, source))
            elif isinstance(source.data, dict) and isinstance(source.data.get("id"), str):
                broken.add(source.data["id"])
            elif kind:
                unidentified.add(kind)
        return result

    site = validated([sources.site], SiteConfig) if sources.site else []
    kinds = {kind: validated(files, KIND_MODELS[kind], kind)
             for kind, files in sources.data.items()}
    pages = validated(sources.pages, PageFrontMatter)
    return Documents(
        site=site[0] if site else None,
        agreements=kinds["agreements"],
        promises=kinds["promises"],
        follow_ups=kinds["follow-ups"],
        indicators=kinds["indicators"],
        est_areas=kinds["est"],
        pages=pages,
        files=sources.files,
        broken_ids=frozenset(broken),
        unidentified=frozenset(unidentified),
    ), errors
