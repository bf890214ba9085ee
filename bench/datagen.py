"""The data of the data-heavy benchmark site: agreements, promises, follow-ups, indicators, EST.

Shapes follow insyn/models.py and the real files under data/. One agreement covers four years,
one promise per year, one follow-up per past year, and hundreds of indicator series that the
commitments and goals refer to.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import sitegen
import yaml

FIRST_YEAR, LAST_YEAR = 1994, 2029
"""Agreements cover these years; promises run to 2026 and follow-ups to 2025 (today is 2026-11-25)."""
PROMISE_LAST_YEAR, FOLLOW_UP_LAST_YEAR = 2026, 2025
COMMITMENTS_PER_PROMISE = 16
EST_AREAS = 12
PARTIES = ["kommunen", "polisen", "bostadsbolaget"]
STATUSES = ["done", "partly-done", "ongoing", "not-started", "cancelled"]
LOREM = ("Vi arbetar tillsammans för att fler ska känna sig trygga och för att brotten ska bli "
         "färre. Arbetet följs upp varje år och redovisas öppet för alla invånare.")


def _dump(path: Path, comment: str, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    path.write_text(f"# {comment}\n{text}", encoding="utf-8")


def indicator_id(index: int) -> str:
    return f"indikator-{index:04d}"


def _indicator(index: int, rng: random.Random) -> dict[str, Any]:
    quarterly = index % 4 == 3
    if quarterly:
        periods: list[int | str] = [f"{y}-Q{q}" for y in range(2015, 2026) for q in range(1, 5)]
    else:
        periods = list(range(FIRST_YEAR, FOLLOW_UP_LAST_YEAR + 1))
    level = rng.uniform(20, 80)
    values = []
    for period in periods:
        level = max(0.0, level + rng.uniform(-3, 3))
        values.append({"period": period, "value": round(level, 1)})
    return {
        "id": indicator_id(index),
        "title": f"Mätserie {index}: andel trygga i område {index % 37}",
        "description": "Andelen som svarar att de känner sig trygga. " + LOREM,
        "unit": "procent",
        "source": "Trygghetsmätningen (påhittade siffror)",
        "frequency": "quarter" if quarterly else "year",
        "target": 75,
        "higher_is_better": index % 5 != 0,
        "values": values,
        "example_data": True,
    }


def _agreement(start: int, indicators: int, rng: random.Random) -> dict[str, Any]:
    end = start + 3
    return {
        "id": f"samverkan-{start}-{end}",
        "title": f"Samverkansöverenskommelse {start}–{end}",
        "summary": f"Kommunen och polisen samverkar {start}–{end}. {LOREM}",
        "parties": PARTIES,
        "period": {"start": dt.date(start, 1, 1), "end": dt.date(end, 12, 31)},
        "purpose": f"{LOREM}\n\n{LOREM}\n\n- färre brott\n- fler trygga\n",
        "problems": [{"title": f"Problem {i}", "causes": ["Orsak ett.", "Orsak två."]}
                     for i in range(1, 4)],
        "goals": [{"text": f"Mål {i}: andelen trygga ökar.",
                   "indicators": [indicator_id(rng.randrange(indicators))]} for i in range(1, 5)],
        "follow_up": f"Styrgruppen följer upp arbetet två gånger om året. {LOREM}\n",
        "focus_areas": [{"id": f"fokus-{i}", "title": f"Fokusområde {i}",
                         "description": "Vi arbetar förebyggande."} for i in range(1, 5)],
        "signatories": [{"role": "Lokalpolisområdeschef", "party": "polisen"},
                        {"role": "Kommunstyrelsens ordförande", "party": "kommunen"}],
        "signed": dt.date(start - 1, 12, 10),
        "published": dt.date(start, 1, 15),
        "owner": "Kommunledningsförvaltningen",
        "example_data": True,
    }


def agreement_of(year: int) -> str:
    start = FIRST_YEAR + (year - FIRST_YEAR) // 4 * 4
    return f"samverkan-{start}-{start + 3}"


def commitment_id(index: int) -> str:
    return f"atagande-{index:02d}"


def _promise(year: int, indicators: int, rng: random.Random) -> dict[str, Any]:
    raised = [{"id": f"fraga-{i}", "text": f"Invånare tar upp fråga {i} om tryggheten."}
              for i in range(1, 7)]
    commitments = [{
        "id": commitment_id(i),
        "text": f"Åtagande {i} för {year}: vi gör mer för tryggheten i område {i}.",
        "responsible": rng.sample(PARTIES, k=rng.randint(1, 3)),
        "due": dt.date(year, 1 + i % 12, 28),
        "focus_area": f"fokus-{1 + i % 4}",
        "answers": [f"fraga-{1 + i % 6}"],
        "indicators": sorted({indicator_id(rng.randrange(indicators)) for _ in range(2)}),
    } for i in range(1, COMMITMENTS_PER_PROMISE + 1)]
    return {
        "id": f"medborgarlofte-{year}",
        "agreement": agreement_of(year),
        "year": year,
        "title": f"Medborgarlöfte {year}",
        "summary": f"Vad kommunen och polisen lovar invånarna under {year}.",
        "focus": f"Årets löfte bygger på dialogerna hösten {year - 1}.\n\n{LOREM}\n",
        "dialogues": [
            {"held": dt.date(year - 1, 10, 8), "how": "Dialogmöte", "where": "Centrum",
             "participants": rng.randint(10, 90), "raised": raised[:3]},
            {"held": dt.date(year - 1, 10, 22), "how": "Digital enkät", "where": "Hela kommunen",
             "participants": rng.randint(100, 900), "raised": raised[3:]},
        ],
        "focus_areas": ["fokus-1", "fokus-2", "fokus-3", "fokus-4"],
        "commitments": commitments,
        "published": dt.date(year, 2, 2),
        "owner": "Kommunledningsförvaltningen",
        "example_data": True,
    }


def _follow_up(year: int, rng: random.Random) -> dict[str, Any]:
    outcomes = []
    for i in range(1, COMMITMENTS_PER_PROMISE + 1):
        outcome: dict[str, Any] = {"commitment": commitment_id(i), "status": rng.choice(STATUSES),
                                   "account": f"Så gick åtagande {i} under {year}. {LOREM}"}
        if i % 4 == 0:
            outcome["evidence"] = [{"title": "Protokoll", "url": "https://bench.example.se/p"}]
        outcomes.append(outcome)
    return {
        "id": f"uppfoljning-{year}",
        "promise": f"medborgarlofte-{year}",
        "date": dt.date(year + 1, 2, 11),
        "title": f"Uppföljning av medborgarlöftet {year}",
        "summary": f"Hur det gick med löftena för {year}.",
        "outcomes": outcomes,
        "published": dt.date(year + 1, 2, 16),
        "owner": "Kommunledningsförvaltningen",
        "example_data": True,
    }


def _est_area(index: int, rng: random.Random) -> dict[str, Any]:
    categories = ["skadegorelse", "nedskrapning", "ordningsstorning", "brand", "otrygg-plats"]
    months = [f"{2023 + m // 12}-{1 + m % 12:02d}" for m in range(36)]
    return {
        "id": f"est-omrade-{index:02d}",
        "title": f"EST-område {index:02d}",
        "summary": f"En EST-insats i område {index}. {LOREM}",
        "places": [f"Plats {index}-{p}" for p in range(1, 4)],
        "started": dt.date(2023, 1, 15),
        "organisations": ["Benchby kommun", "Polisen"],
        "meetings": "varannan vecka",
        "description": f"{LOREM}\n\n{LOREM}\n",
        "report_categories": [{"id": c, "label": c.capitalize()} for c in categories],
        "reports": [{"month": m, "counts": {c: rng.randint(0, 9) for c in categories}}
                    for m in months],
        "actions": [{"what": f"Åtgärd {a}", "who": "Polisen", "by": dt.date(2025, 1 + a, 1),
                     "status": "ongoing"} for a in range(10)],
        "published": dt.date(2023, 2, 1),
        "example_data": True,
    }


def write_data(data: Path, indicators: int, seed: int = 9) -> None:
    """Write every data file of the data-heavy site under `data` (site.yaml is already there)."""
    rng = random.Random(seed)
    for i in range(indicators):
        _dump(data / "indicators" / f"{indicator_id(i)}.yaml", "Påhittad mätserie.",
              _indicator(i, rng))
    for start in range(FIRST_YEAR, LAST_YEAR + 1, 4):
        agreement = _agreement(start, indicators, rng)
        _dump(data / "agreements" / f"{agreement['id']}.yaml", "Påhittad överenskommelse.",
              agreement)
    for year in range(FIRST_YEAR, PROMISE_LAST_YEAR + 1):
        _dump(data / "promises" / f"{year}.yaml", "Påhittat löfte.",
              _promise(year, indicators, rng))
    for year in range(FIRST_YEAR, FOLLOW_UP_LAST_YEAR + 1):
        _dump(data / "follow-ups" / f"uppfoljning-{year}.yaml", "Påhittad uppföljning.",
              _follow_up(year, rng))
    for i in range(EST_AREAS):
        _dump(data / "est" / f"est-omrade-{i:02d}.yaml", "Påhittat EST-område.", _est_area(i, rng))


def follow_up_file(data: Path) -> Path:
    """The follow-up the edit scenario changes."""
    return data / "follow-ups" / f"uppfoljning-{FOLLOW_UP_LAST_YEAR}.yaml"


def write_data_heavy_project(root: Path, templates: Path, indicators: int, pages: int = 20) -> None:
    """The data-heavy site: a few Markdown pages and many agreements, promises, follow-ups and series."""
    sitegen.write_insyn_project(root, sitegen.make_pages(pages), templates)
    write_data(root / "data", indicators=indicators)
