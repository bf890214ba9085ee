"""Synthetic content for the benchmark: Markdown pages and an insyn project around them.

Everything is deterministic: the same size and seed give byte-identical files, so runs on
different days measure the same input.
"""

from __future__ import annotations

import random
import shutil
from dataclasses import dataclass
from pathlib import Path

_VOCABULARY = (
    "trygghet kommun polisen samverkan invånare område åtgärd belysning dialog löfte "
    "uppföljning skolväg fritidsgård kväll centrum bostadsområde grannsamverkan insats "
    "lägesbild skadegörelse klotter nedskräpning ungdomar föräldrar socialtjänst "
    "förebyggande arbete trafik mopeder kontroll närvaro vandring enkät resultat mål "
    "indikator mätning andel procent ökning minskning år månad vecka möte grupp plats "
    "park busshållplats resecentrum bibliotek torg gata väg hus skola idrottshall "
    "och att som för med på av till i det är en ett vi de har kan ska blir under "
    "efter inför mellan genom hela varje många flera några alla nya bättre tryggare"
)
WORDS = _VOCABULARY.split()

TODAY = "2026-11-25"
"""The --today every insyn build of the benchmark uses."""


@dataclass(frozen=True)
class SyntheticPage:
    """One Markdown page, independent of any generator's front-matter syntax."""

    slug: str
    title: str
    summary: str
    published: str
    body: str


def _sentence(rng: random.Random, low: int = 7, high: int = 18) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(_sentence(rng) for _ in range(sentences))


def _table(rng: random.Random) -> str:
    rows = ["| Område | Åtgärd | Antal |", "| --- | --- | ---: |"]
    rows += [f"| {rng.choice(WORDS).capitalize()} | {_sentence(rng, 2, 4)} | {rng.randint(1, 500)} |"
             for _ in range(4)]
    return "\n".join(rows)


def _body(rng: random.Random, link_to: str) -> str:
    """About 600 words: three sections, a list, a link to another page and a table."""
    parts = [
        _paragraph(rng, 6),
        f"## {_sentence(rng, 2, 5)[:-1]}",
        _paragraph(rng, 8),
        "\n".join(f"- {_sentence(rng, 4, 9)}" for _ in range(5)),
        f"Läs mer på [{_sentence(rng, 2, 4)[:-1].lower()}](/{link_to}/) och på "
        f"[polisen.se](https://polisen.se/).",
        f"## {_sentence(rng, 2, 5)[:-1]}",
        _paragraph(rng, 9),
        _table(rng),
        f"### {_sentence(rng, 2, 5)[:-1]}",
        _paragraph(rng, 9),
        _paragraph(rng, 8),
    ]
    return "\n\n".join(parts) + "\n"


def slug_of(index: int) -> str:
    return f"sida-{index:05d}"


def make_pages(count: int, seed: int = 9) -> list[SyntheticPage]:
    """`count` pages, each linking to the next one (the last to the first)."""
    pages = []
    for i in range(count):
        rng = random.Random(seed * 1_000_003 + i)
        month, day = 1 + i % 12, 1 + i % 28
        pages.append(SyntheticPage(
            slug=slug_of(i),
            title=f"Sida {i}: {_sentence(rng, 2, 5)[:-1]}",
            summary=_sentence(rng, 10, 20),
            published=f"{2015 + i % 10}-{month:02d}-{day:02d}",
            body=_body(rng, slug_of((i + 1) % count)),
        ))
    return pages


def word_count(page: SyntheticPage) -> int:
    return len(page.body.split())


# --- the insyn project ---------------------------------------------------------------------

SITE_IDENTITY = {
    "site_name": "Trygghet i Benchby",
    "organisation": {"name": "Benchby kommun"},
    "base_url": "https://bench.example.se/trygghet/",
    "description": "En påhittad webbplats för att mäta byggtider.",
    "parties": [
        {"id": "kommunen", "name": "Benchby kommun", "short_name": "Kommunen"},
        {"id": "polisen", "name": "Lokalpolisområde Benchby", "short_name": "Polisen"},
        {"id": "bostadsbolaget", "name": "AB Benchbybostäder", "short_name": "Bostäderna"},
    ],
    "contact": {"unit": "Trygghetssamordnaren", "email": "trygghet@bench.example.se"},
    "feedback": {"endpoint": "https://feedback.example.se/bench"},
}
"""The benchmark site's own name, parties and contact; everything else comes from the example."""


def site_yaml(example: Path) -> str:
    """A minimal data/site.yaml: the fields insyn requires, shaped as in the example site.

    Required fields are read from insyn's model at run time and their values taken from the
    example's data/site.yaml, so the benchmark keeps up when a field becomes required.
    """
    import yaml

    from insyn.models import SiteConfig

    real = yaml.safe_load(example.read_text(encoding="utf-8"))
    required = [name for name, info in SiteConfig.model_fields.items() if info.is_required()]
    config = {name: real[name] for name in required if name in real}
    config.update(SITE_IDENTITY)
    text = yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=100)
    return "# A minimal site for the benchmark.\n" + text


INDEX_MD = """\
---
title: Trygghet i Benchby
summary: En påhittad webbplats för att mäta hur snabbt insyn bygger.
published: 2020-01-20
---
Här finns [den första sidan](/sida-00000/) bland många.
"""


def insyn_front_matter(page: SyntheticPage) -> str:
    return (f"---\ntitle: \"{page.title}\"\nsummary: \"{page.summary}\"\n"
            f"published: {page.published}\n---\n")


def write_insyn_project(root: Path, pages: list[SyntheticPage], templates: Path) -> None:
    """content/*.md, data/site.yaml and a copy of the real templates/."""
    content = root / "content"
    content.mkdir(parents=True, exist_ok=True)
    refresh_insyn_project(root, templates)
    (content / "index.md").write_text(INDEX_MD, encoding="utf-8")
    for page in pages:
        text = insyn_front_matter(page) + page.body
        (content / f"{page.slug}.md").write_text(text, encoding="utf-8")


def refresh_insyn_project(root: Path, templates: Path) -> None:
    """What follows insyn's working tree: the real templates/ and a site.yaml its model accepts."""
    (root / "data").mkdir(parents=True, exist_ok=True)
    example = templates.parent / "data" / "site.yaml"
    (root / "data" / "site.yaml").write_text(site_yaml(example), encoding="utf-8")
    copy_templates(templates, root / "templates")


def copy_templates(source: Path, target: Path) -> None:
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target)

