"""`python build.py new KIND NAME`: write a skeleton file in the right place, references filled in.

The skeletons carry short comments for communicators (in Swedish, like the example content) and
leave empty what only a person can write, so that `check` points at each place to fill in.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InputError, InputErrors
from .i18n import N_

if TYPE_CHECKING:  # the command line reads KINDS without importing the models
    from .models import Documents, Promise

KINDS = ("agreement", "promise", "follow-up", "est", "page")


@dataclass(frozen=True)
class Skeleton:
    path: str
    """Relative to the project root."""
    text: str


def _schema_line(name: str, depth: int = 2) -> str:
    from .schemas import schema_path

    return f"# yaml-language-server: $schema={'../' * depth}{schema_path(name)}\n"


def _usage_error(message: str, hint: str, **params: object) -> InputErrors:
    return InputErrors([InputError.at("(new)", 0, 0, message, hint, **params)])


def promise_skeleton(docs: Documents, year: int, today: dt.date) -> Skeleton:
    agreements = [d.model for d in docs.agreements
                  if d.model.period.start.year <= year <= d.model.period.end.year]
    if not agreements:
        raise _usage_error(N_("no agreement covers the year {year}"),
                           N_("add the agreement first: python build.py new agreement <id>"),
                           year=year)
    agreement = agreements[-1]
    focus = "".join(f"  - {f.id}   # {f.title}\n" for f in agreement.focus_areas)
    parties = ", ".join(p.id for p in docs.site.model.parties) if docs.site else "kommunen"
    return Skeleton(f"data/promises/{year}.yaml", f"""\
{_schema_line("promise")}# Medborgarlöftet {year}. Fyll i det som är tomt och kör: python build.py check
id: medborgarlofte-{year}
agreement: {agreement.id}
year: {year}
title: Medborgarlöfte {year}
# En eller två meningar som visas i listor och sökresultat.
summary:
# Årets fokus, några meningar (Markdown går bra).
focus:
# Medborgardialogerna som löftet bygger på.
dialogues:
  - held: {today.isoformat()}   # när dialogen hölls
    how:                        # till exempel Trygghetsvandring eller Digital enkät
    where:
    participants:               # hur många som deltog (ett heltal)
    raised:                     # vad invånarna tog upp
      - id: exempel-fraga       # ett kort id med a-z, siffror och bindestreck
        text:
# Fokusområden ur överenskommelsen {agreement.id}:
focus_areas:
{focus or "  []" + chr(10)}# Det vi lovar. Ett åtagande som fortsätter från förra året behåller sitt id.
commitments:
  - id: exempel-atagande
    text:
    responsible: [{parties.split(", ")[0]}]   # vilka som ansvarar, bland: {parties}
    due: {year}-12-31
    answers: [exempel-fraga]    # id:n för det invånarna tog upp som åtagandet svarar på
    indicators: []              # id:n för filer under data/indicators/
published: {today.isoformat()}
owner: {_owner(docs)}
""")


def _owner(docs: Documents) -> str:
    return docs.site.model.contact.unit.split(",")[0] if docs.site else ""


def _find_promise(docs: Documents, name: str) -> Promise:
    for d in docs.promises:
        if name in (d.model.id, str(d.model.year)):
            return d.model
    existing = ", ".join(str(d.model.year) for d in docs.promises) or "-"
    raise _usage_error(N_("there is no promise '{name}' to follow up"),
                       N_("name a promise by its year or id; existing: {existing}"),
                       name=name, existing=existing)


def follow_up_skeleton(docs: Documents, name: str, today: dt.date) -> Skeleton:
    promise = _find_promise(docs, name)
    statuses = ", ".join(s.id for s in docs.site.model.statuses) if docs.site else ""
    outcomes = "".join(f"""\
  - commitment: {c.id}
    # {c.text.strip()[:90]}
    status:      # en av: {statuses}
    account:     # vad som blev gjort, några meningar till invånarna
""" for c in promise.commitments)
    return Skeleton(f"data/follow-ups/uppfoljning-{promise.year}.yaml", f"""\
{_schema_line("follow-up")}# Uppföljning av {promise.title}.
# Fyll i status och redovisning för varje åtagande.
id: uppfoljning-{promise.year}
promise: {promise.id}
date: {today.isoformat()}   # läget till och med det här datumet
title: Uppföljning av medborgarlöftet {promise.year}
# En eller två meningar: hur gick det i stort?
summary:
outcomes:
{outcomes}published: {today.isoformat()}
owner: {_owner(docs)}
""")


def agreement_skeleton(docs: Documents, agreement_id: str, today: dt.date) -> Skeleton:
    latest = max((d.model for d in docs.agreements), key=lambda a: a.period.end, default=None)
    start = latest.period.end + dt.timedelta(days=1) if latest else dt.date(today.year, 1, 1)
    end = dt.date(start.year + 3, 12, 31)
    parties = "\n".join(f"  - {p.id}" for p in docs.site.model.parties) if docs.site else ""
    return Skeleton(f"data/agreements/{agreement_id}.yaml", f"""\
{_schema_line("agreement")}# En samverkansöverenskommelse.
# Fyll i det som är tomt och kör: python build.py check
id: {agreement_id}
title: Samverkansöverenskommelse {start.year}–{end.year}
summary:
# Parterna (id:n ur data/site.yaml); ta bort dem som inte är med.
parties:
{parties}
period:
  start: {start.isoformat()}
  end: {end.isoformat()}
# Varför parterna samverkar (Markdown).
purpose:
# Problemen ur den gemensamma lägesbilden, och deras troliga orsaker.
problems:
  - title:
    causes: []
# Mätbara mål.
goals:
  - text:
    indicators: []
# Hur arbetet dokumenteras och följs upp (Markdown).
follow_up:
focus_areas:
  - id: exempel-fokus
    title:
signatories:
  - role: Kommunstyrelsens ordförande
    party: {docs.site.model.parties[0].id if docs.site else "kommunen"}
signed:
published: {today.isoformat()}
owner: {_owner(docs)}
""" + (f"# Kom ihåg: skriv 'successor: {agreement_id}' i {latest.id}.\n" if latest else ""))


def est_skeleton(docs: Documents, area_id: str, today: dt.date) -> Skeleton:
    organisations = "\n".join(f"  - {p.name}" for p in docs.site.model.parties) if docs.site else ""
    return Skeleton(f"data/est/{area_id}.yaml", f"""\
{_schema_line("est-area")}# En EST-insats (Effektiv samordning för trygghet) i ett område.
id: {area_id}
title:
summary:
places:
  -
started: {today.isoformat()}
# Organisationerna i insatsgruppen (organisationer, aldrig enskilda personer).
organisations:
{organisations}
meetings: varannan vecka   # hur ofta lägesbildsmöten hålls
report_categories:
  - id: skadegorelse
    label: Skadegörelse
reports: []                # per månad: - month: "{today:%Y-%m}" och counts: {{skadegorelse: 3}}
actions: []                # - what: ..., who: (en organisation ovan), by: datum, status: ongoing
published: {today.isoformat()}
owner: {_owner(docs)}
""")


def page_skeleton(name: str, today: dt.date) -> Skeleton:
    return Skeleton(f"content/{name}.md", f"""\
---
title:
summary:
published: {today.isoformat()}
# menu: {{order: 50}}   # ta bort # för att visa sidan i menyn
---
Skriv sidans text här. Länka till andra sidor så här: [medborgarlöftena](/medborgarloften/).
""")


def make_skeleton(kind: str, name: str, docs: Documents, today: dt.date) -> Skeleton:
    if kind in ("agreement", "est", "page") and not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name):
        raise _usage_error(N_("'{name}' cannot be used as a name"),
                           N_("use lower-case letters a-z, digits and hyphens, for example "
                              "trygg-i-centrum"), name=name)
    if kind == "promise":
        if not name.isdigit():
            raise _usage_error(N_("'{name}' is not a year"),
                               N_("write for example: new promise 2027"), name=name)
        return promise_skeleton(docs, int(name), today)
    if kind == "follow-up":
        return follow_up_skeleton(docs, name, today)
    if kind == "agreement":
        return agreement_skeleton(docs, name, today)
    if kind == "est":
        return est_skeleton(docs, name, today)
    return page_skeleton(name, today)


def write_skeleton(root: Path, skeleton: Skeleton) -> Path:
    """Write the file; refuses to overwrite anything."""
    path = root / skeleton.path
    if path.exists():
        raise InputErrors([InputError.at(skeleton.path, 0, 0, N_("the file already exists"),
                                         N_("edit it, or choose another name"))])
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as file:
        file.write(skeleton.text)
    return path
