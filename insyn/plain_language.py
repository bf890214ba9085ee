"""PLAIN LANGUAGE: warn about texts that are hard to read (Språklagen 11 §: "vårdat, enkelt och begripligt").

Three checks, all warnings and never errors:

* the readability index LIX of a page or data file as a whole, above a threshold (default 50);
* sentences longer than 35 words;
* abbreviations from a short list: common Swedish ones (t.ex., bl.a., dvs.) that plain language
  writes out, and sector acronyms (EST, BRÅ, LPO) that the same text must explain: written out
  ("Effektiv samordning för trygghet (EST)") or linked ("[EST-områden](/est/)").

LIX = words per sentence + 100 * long words / words, where a long word has more than six letters.

Everything here is pure: texts in, counts and `InputError` warnings out. Markdown is read with
markdown-it-py, so code, link addresses and table separator rows are never counted, and each
heading, list item and table cell ends a sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt

from .errors import InputError
from .sources import ProjectSources

DEFAULT_LIX_THRESHOLD = 50.0
"""A text whose rounded LIX is above this is reported (data/site.yaml: plain_language.lix_threshold)."""
MIN_WORDS_FOR_LIX = 40
"""LIX says little about shorter texts, so they are never reported for it."""
MAX_SENTENCE_WORDS = 35
"""A sentence with more words than this is reported."""
LONG_WORD_LETTERS = 6
"""A word with more letters than this is long (the LIX definition)."""
QUOTED_WORDS = 8
"""How many words of a long sentence the warning quotes."""


# --- the texts to read ------------------------------------------------------------------------


@dataclass(frozen=True)
class Prose:
    """One text to check: a Markdown body or a text field of a data file, and where it starts."""

    text: str
    first_line: int = 1
    """1-based line in its file where the text starts."""
    markdown: bool = True
    """False for plain text fields (summary, account): then only blank lines separate paragraphs."""


@dataclass(frozen=True)
class Segment:
    """A block of running text that ends a sentence where it ends: a paragraph, heading, list item or cell.

    `text` keeps the block's line breaks, so line `line + k` of the file holds its k-th line.
    """

    text: str
    line: int
    links: tuple[str, ...] = ()
    """The texts of the links in the block (not their addresses)."""


@dataclass(frozen=True)
class Sentence:
    text: str
    """The sentence as written, from its first word to its last."""
    line: int
    """1-based line in the file where the sentence starts."""
    words: tuple[str, ...]

    @property
    def long_words(self) -> int:
        return sum(1 for word in self.words if is_long(word))

    def opening(self, n: int = QUOTED_WORDS) -> str:
        """The first `n` words as written, with an ellipsis when there are more."""
        parts = self.text.split()
        return " ".join(parts[:n]) + (" …" if len(parts) > n else "")


@dataclass(frozen=True)
class Counts:
    """The counts behind LIX."""

    words: int = 0
    sentences: int = 0
    long_words: int = 0

    @property
    def lix(self) -> float:
        """Words per sentence plus the share of long words in per cent; 0 for a text without words."""
        if not self.words:
            return 0.0
        return self.words / self.sentences + 100 * self.long_words / self.words

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.words + other.words, self.sentences + other.sentences,
                      self.long_words + other.long_words)


# --- abbreviations ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Abbreviation:
    """A common Swedish abbreviation that plain language writes out."""

    forms: tuple[str, ...]
    """How it is written, usual spelling first. Dots may also be written as spaces (t ex)."""
    meaning: str
    """The written-out words."""
    may_end_sentence: bool = False
    """True for abbreviations often written last in a sentence (osv.), so their dot may end it."""


ABBREVIATIONS: tuple[Abbreviation, ...] = (
    Abbreviation(("t.ex.",), "till exempel"),
    Abbreviation(("bl.a.",), "bland annat (eller bland andra)"),
    Abbreviation(("m.m.",), "med mera", may_end_sentence=True),
    Abbreviation(("m.fl.",), "med flera", may_end_sentence=True),
    Abbreviation(("osv.", "o.s.v."), "och så vidare", may_end_sentence=True),
    Abbreviation(("etc.",), "och så vidare", may_end_sentence=True),
    Abbreviation(("o.d.",), "och liknande", may_end_sentence=True),
    Abbreviation(("dvs.", "d.v.s."), "det vill säga"),
    Abbreviation(("p.g.a.", "pga."), "på grund av"),
    Abbreviation(("fr.o.m.",), "från och med"),
    Abbreviation(("t.o.m.",), "till och med"),
    Abbreviation(("ca",), "cirka (eller ungefär)"),
    Abbreviation(("resp.",), "respektive"),
    Abbreviation(("s.k.",), "så kallad"),
    Abbreviation(("f.d.",), "före detta"),
    Abbreviation(("inkl.",), "inklusive"),
    Abbreviation(("exkl.",), "utom"),
    Abbreviation(("enl.",), "enligt"),
    Abbreviation(("jfr",), "jämför"),
    Abbreviation(("m.a.o.",), "med andra ord"),
    Abbreviation(("f.n.",), "just nu"),
    Abbreviation(("fr.a.", "f.f.a."), "framför allt"),
    Abbreviation(("ev.",), "eventuellt"),
    Abbreviation(("ang.",), "angående (eller om)"),
    Abbreviation(("mnkr", "mkr"), "miljoner kronor"),
    Abbreviation(("tkr",), "tusen kronor"),
)
"""Deliberately short: `kl.` and `nr` are left alone, and `mm` (millimetre) and `tom` (empty) are
never read as abbreviations."""


@dataclass(frozen=True)
class Acronym:
    """A sector acronym that a resident may not know, and the words that explain it."""

    forms: tuple[str, ...]
    """Spellings, matched case-sensitively (BRÅ, Brå), alone or in compounds (EST-området, EST:s)."""
    expansions: tuple[str, ...]
    """Written-out forms; any of them in the text (any case, any ending) explains the acronym.
    The first is suggested in the hint."""


ACRONYMS: tuple[Acronym, ...] = (
    Acronym(("EST",), ("Effektiv samordning för trygghet",)),
    Acronym(("BRÅ", "Brå"), ("Brottsförebyggande rådet", "brottsförebyggande råd")),
    Acronym(("LPO",), ("lokalpolisområde",)),
    Acronym(("ANDT",), ("alkohol, narkotika, dopning och tobak", "alkohol, narkotika, doping och tobak")),
    Acronym(("ANDTS",), ("alkohol, narkotika, dopning, tobak och spel",
                         "alkohol, narkotika, doping, tobak och spel")),
    Acronym(("SSPF",), ("skola, socialtjänst, polis och fritid",)),
    Acronym(("SSF",), ("skola, socialtjänst och fritid",)),
    Acronym(("NTU",), ("Nationella trygghetsundersökningen",)),
    Acronym(("LUPP",), ("Lokal uppföljning av ungdomspolitiken",)),
    Acronym(("CAN",), ("Centralförbundet för alkohol- och narkotikaupplysning",)),
    Acronym(("SKR",), ("Sveriges Kommuner och Regioner",)),
    Acronym(("MSB",), ("Myndigheten för samhällsskydd och beredskap",)),
    Acronym(("MUCF",), ("Myndigheten för ungdoms- och civilsamhällesfrågor",)),
    Acronym(("SiS",), ("Statens institutionsstyrelse",)),
    Acronym(("HVB",), ("hem för vård eller boende",)),
    Acronym(("IOP",), ("idéburet offentligt partnerskap",)),
    Acronym(("LOB",), ("lagen om omhändertagande av berusade personer",)),
    Acronym(("LVU",), ("lagen med särskilda bestämmelser om vård av unga", "vård av unga")),
    Acronym(("LVM",), ("lagen om vård av missbrukare",)),
    Acronym(("SoL",), ("socialtjänstlagen",)),
    Acronym(("OSL",), ("offentlighets- och sekretesslagen",)),
    Acronym(("GDPR",), ("dataskyddsförordningen", "General Data Protection Regulation")),
    Acronym(("KS",), ("kommunstyrelsen",)),
    Acronym(("KF",), ("kommunfullmäktige",)),
)


def _abbreviation_key(written: str) -> str:
    """One key for every spelling of an abbreviation: t.ex., T ex and t. ex. all give 'tex'."""
    return re.sub(r"[.\s]", "", written).lower()


def _abbreviation_pattern(form: str) -> str:
    parts = [re.escape(p) for p in form.split(".") if p]
    # Between parts a dot, a dot and a space, or a space; at the end a dot or a word boundary.
    return r"(?:\.[ \t]?|[ \t])".join(parts) + r"(?:\.|(?![^\W_]))"


_ABBREVIATION_BY_KEY: dict[str, Abbreviation] = {
    _abbreviation_key(form): abbreviation for abbreviation in ABBREVIATIONS for form in abbreviation.forms
}
_ACRONYM_BY_FORM: dict[str, Acronym] = {form: acronym for acronym in ACRONYMS for form in acronym.forms}


# --- tokens -----------------------------------------------------------------------------------

_LETTER = r"[^\W\d_]"
_ABBREVIATION_FORMS = sorted({form for a in ABBREVIATIONS for form in a.forms}, key=len, reverse=True)

_SCAN = re.compile(
    r"(?P<url>(?:https?://|www\.)[^\s<>]*[^\s<>.,;:!?)\]'\"”’])"
    r"|(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
    r"|(?P<domain>(?<![\w.])(?:[\w-]+\.)+(?:se|nu|com|org|net|eu|info|io)(?![\w-])"
    r"(?:/(?:[^\s<>]*[^\s<>.,;:!?)\]'\"”’])?)?)"
    r"|(?P<abbr>(?<![\w.])(?i:" + "|".join(_abbreviation_pattern(f) for f in _ABBREVIATION_FORMS) + r"))"
    # Letters and digits, with inner hyphens and apostrophes (EST-området) and a colon ending
    # after an acronym (EST:s, 3:e). A token with a digit (2024-03-01, 0510-77, 2020-talet) is no word.
    r"|(?P<token>[^\W_](?:[^\W_]|[-'’](?=[^\W_])|:(?=[a-zåäö]{1,5}(?![^\W_])))*)"
    r"|(?P<end>[.!?:…]+)"
)
_ONLY_SPACE_LEFT = re.compile(r"\s*\Z")
_CLOSERS = "\"'”’»)]*_"
_OPENERS = "\"'“”‘’«»([*_"


def is_long(word: str) -> bool:
    """More than six letters; hyphens, apostrophes and the colon ending of EST:s do not count."""
    return sum(1 for c in word.split(":")[0] if c.isalpha()) > LONG_WORD_LETTERS


def _ends_sentence(text: str, end: int) -> bool:
    """Punctuation ending at `end` ends a sentence when a capital letter or the end of the text follows."""
    i = end
    while i < len(text) and text[i] in _CLOSERS:
        i += 1
    if _ONLY_SPACE_LEFT.match(text, i):
        return True
    if not text[i].isspace():
        return False
    while i < len(text) and (text[i].isspace() or text[i] in _OPENERS):
        i += 1
    return i < len(text) and text[i].isupper()


class _Lines:
    """The file line of offsets in a segment, asked for in increasing order (linear, not quadratic)."""

    def __init__(self, segment: Segment):
        self.text = segment.text
        self.offset = 0
        self.line = segment.line

    def at(self, offset: int) -> int:
        self.line += self.text.count("\n", self.offset, offset)
        self.offset = offset
        return self.line


def segment_sentences(segment: Segment) -> list[Sentence]:
    """Split one block of text into sentences; sentences without words are dropped."""
    text = segment.text
    lines = _Lines(segment)
    result: list[Sentence] = []
    words: list[str] = []
    start: int | None = None
    end = 0

    def close() -> None:
        nonlocal start
        if words and start is not None:
            result.append(Sentence(text[start:end], lines.at(start), tuple(words)))
        words.clear()
        start = None

    for match in _SCAN.finditer(text):
        kind, found = match.lastgroup, match.group()
        end = match.end()
        if kind == "end":
            if _ends_sentence(text, end):
                close()
            continue
        if start is None:
            start = match.start()
        if kind == "abbr" or (kind == "token" and not any(c.isdigit() for c in found)):
            words.append(found.strip())
        if kind == "abbr" and found.endswith("."):
            abbreviation = _ABBREVIATION_BY_KEY.get(_abbreviation_key(found))
            if abbreviation and abbreviation.may_end_sentence and _ends_sentence(text, end):
                close()
    close()
    return result


# --- Markdown and plain text into segments ----------------------------------------------------


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # The same dialect the site renders: CommonMark with tables, raw HTML off.
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def _inline_prose(children: Sequence[Any]) -> tuple[str, tuple[str, ...]]:
    """The words a reader sees (link text without its address, no code, line breaks kept), and link texts."""
    parts: list[str] = []
    links: list[str] = []
    link_start: int | None = None
    for child in children:
        if child.type == "text":
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type in ("code_inline", "image", "html_inline"):
            parts.append(" ")
        elif child.type == "link_open" and child.markup != "autolink":
            link_start = len(parts)
        elif child.type == "link_close" and link_start is not None:
            links.append("".join(parts[link_start:]))
            link_start = None
    return "".join(parts), tuple(links)


def markdown_segments(body: str, first_line: int = 1) -> Iterator[Segment]:
    """The running text of a Markdown body, one segment per paragraph, heading, list item and table cell.

    `first_line` is the 1-based line of the file where `body` starts (after the front matter).
    Code blocks, inline code, link addresses and table separator rows are left out.
    """
    for token in _parser().parse(body):
        if token.type != "inline" or not token.children:
            continue
        text, links = _inline_prose(token.children)
        if text.strip():
            yield Segment(text, first_line + (token.map[0] if token.map else 0), links)


def plain_segments(text: str, first_line: int = 1) -> Iterator[Segment]:
    """A plain text's paragraphs (separated by blank lines), each with the line it starts on."""
    line = first_line
    for block in re.split(r"(\n[ \t]*\n)", text):
        if block.strip() and not re.fullmatch(r"\n[ \t]*\n", block):
            lead = len(block) - len(block.lstrip("\n"))
            yield Segment(block.lstrip("\n"), line + lead)
        line += block.count("\n")


def segments(prose: Prose) -> Iterator[Segment]:
    if prose.markdown:
        return markdown_segments(prose.text, prose.first_line)
    return plain_segments(prose.text, prose.first_line)


def split_sentences(text: str, first_line: int = 1, *, markdown: bool = False) -> list[Sentence]:
    """Every sentence of a text, each with the line it starts on."""
    return [s for seg in segments(Prose(text, first_line, markdown)) for s in segment_sentences(seg)]


def words(text: str) -> list[str]:
    """The words of a plain text: letter sequences, not numbers, dates, addresses or e-mail."""
    return [word for sentence in split_sentences(text) for word in sentence.words]


def count_sentences(sentences: Iterable[Sentence]) -> Counts:
    total = Counts()
    for sentence in sentences:
        total += Counts(len(sentence.words), 1, sentence.long_words)
    return total


def counts(text: str, *, markdown: bool = False) -> Counts:
    """Words, sentences and long words of a text."""
    return count_sentences(split_sentences(text, markdown=markdown))


def lix(text: str, *, markdown: bool = False) -> float:
    """The readability index LIX of a text: words per sentence + per cent of words longer than six letters."""
    return counts(text, markdown=markdown).lix


# --- what a LIX value means -------------------------------------------------------------------

_BANDS = (  # (upper limit, exclusive; Swedish; English)
    (25, ("mycket lätt", "som barnböcker"), ("very easy", "like children's books")),
    (35, ("lätt", "som skönlitteratur och veckotidningar"), ("easy", "like fiction and magazines")),
    (45, ("medelsvår", "som dagstidningar"), ("medium", "like newspapers")),
    (55, ("svår", "som facklitteratur"), ("hard", "like non-fiction")),
    (float("inf"), ("mycket svår", "som lagtexter och forskning"), ("very hard", "like laws and research")),
)


def rounded(value: float) -> int:
    """Round half up, as people do (LIX 44.5 is 45), not to even."""
    return int(value + 0.5)


def lix_band(value: float, language: str = "sv") -> tuple[str, str]:
    """The band of a LIX value and what texts read like it, e.g. ("medelsvår", "som dagstidningar").

    Bands: under 25 very easy, 25–34 easy, 35–44 medium, 45–54 hard, 55 and over very hard,
    judged on the rounded value that messages show.
    """
    shown = rounded(value)
    for limit, sv, en in _BANDS:
        if shown < limit:
            return sv if language == "sv" else en
    raise AssertionError("unreachable")  # pragma: no cover


# --- the checks -------------------------------------------------------------------------------

_MESSAGES = {
    "sv": {
        "lix": "svårläst text: LIX {lix} ({band}, {like}); gränsen är {limit}",
        "lix_hint": "skriv kortare meningar och byt långa ord mot kortare, vanliga ord",
        "long": "lång mening med {n} ord: '{opening}'",
        "long_hint": "dela upp den i kortare meningar, med en sak i varje (högst {max} ord)",
        "abbr": "förkortningen '{written}' kan vara svår att förstå",
        "abbr_hint": "skriv ut den: '{meaning}'",
        "acronym": "förkortningen '{written}' förklaras inte i texten",
        "acronym_hint": "skriv ut den första gången: '{expansion} ({form})'",
    },
    "en": {
        "lix": "hard to read: LIX {lix} ({band}, {like}); the limit is {limit}",
        "lix_hint": "write shorter sentences and replace long words with short, common ones",
        "long": "long sentence of {n} words: '{opening}'",
        "long_hint": "split it into shorter sentences, one point each (at most {max} words)",
        "abbr": "the abbreviation '{written}' may be hard to understand",
        "abbr_hint": "write it out: '{meaning}'",
        "acronym": "the abbreviation '{written}' is not explained in the text",
        "acronym_hint": "write it out the first time: '{expansion} ({form})'",
    },
}


@dataclass(frozen=True)
class _Use:
    """Where an abbreviation or acronym is first used."""

    key: str
    written: str
    line: int


def _uses(segment: Segment) -> Iterator[_Use]:
    """Abbreviations and acronyms in a segment, in order; never inside addresses."""
    lines = _Lines(segment)
    for match in _SCAN.finditer(segment.text):
        line = lines.at(match.start())
        if match.lastgroup == "abbr":
            key = _abbreviation_key(match.group())
            if key in _ABBREVIATION_BY_KEY:
                yield _Use("abbr:" + key, match.group().strip(), line)
        elif match.lastgroup == "token":
            for part in re.split(r"[-:]", match.group()):
                if part in _ACRONYM_BY_FORM:
                    yield _Use("acronym:" + _ACRONYM_BY_FORM[part].forms[0], part, line)


def _normalised(text: str) -> str:
    """Lower-case letters and digits, single spaces: for finding a written-out form in any markup."""
    return " " + " ".join(re.findall(r"[^\W_]+", text.lower())) + " "


def _explained(acronym: Acronym, written: str, text: str, normalised: str, links: Sequence[str]) -> bool:
    """The text explains the acronym.

    It writes it out: its expansion (in any ending), 'X (words)', 'words (X)' or 'X står för'; or
    it links the acronym (WCAG technique G55, linking to a definition), as in '[EST-områden](/est/)'.
    """
    if any(re.search(rf"(?<![^\W_]){re.escape(written)}(?![^\W_])", link) for link in links):
        return True
    if any(_normalised(expansion)[:-1] in normalised for expansion in acronym.expansions):
        return True
    form = re.escape(written)
    own_words = (
        rf"(?<![^\W_]){form}\s*\(\s*{_LETTER}+[^()]*\s[^()]*\)"  # EST (två eller fler ord)
        rf"|{_LETTER}+[^\n()]*\s\(\s*{form}\s*\)"  # ord ord (EST)
        rf"|(?<![^\W_]){form}\s+(?:står för|betyder|är en förkortning (?:för|av)|stands for|means)\s"
    )
    return re.search(own_words, text) is not None


def _warning(path: str, line: int, language: str, kind: str, hint_values: Mapping[str, Any],
             **values: Any) -> InputError:
    messages = _MESSAGES.get(language, _MESSAGES["en"])
    return InputError(path, line, 0, messages[kind].format(**values),
                      messages[kind + "_hint"].format(**hint_values), severity="warning")


def check_texts(texts: Iterable[Prose | str], *, path: str, threshold: float = DEFAULT_LIX_THRESHOLD,
                language: str = "sv", max_sentence_words: int = MAX_SENTENCE_WORDS,
                explained: Iterable[str] = ()) -> list[InputError]:
    """Plain-language warnings for the texts of one page or data file, read as one text.

    LIX is judged on all texts together and reported at the first text's first line; each long
    sentence at its own line; each abbreviation once, at its first use, unless (for an acronym)
    these texts explain it or it is in `explained` (acronyms the site explains elsewhere, say in
    a glossary: WCAG technique G62).
    """
    proses = [t if isinstance(t, Prose) else Prose(t) for t in texts]
    if not proses:
        return []
    all_segments = [segment for prose in proses for segment in segments(prose)]
    sentences = [s for segment in all_segments for s in segment_sentences(segment)]
    warnings: list[InputError] = []

    total = count_sentences(sentences)
    if total.words >= MIN_WORDS_FOR_LIX and rounded(total.lix) > threshold:
        band, like = lix_band(total.lix, language)
        limit = int(threshold) if float(threshold).is_integer() else threshold
        warnings.append(_warning(path, proses[0].first_line, language, "lix", {},
                                 lix=rounded(total.lix), band=band, like=like, limit=limit))

    for sentence in sentences:
        if len(sentence.words) > max_sentence_words:
            warnings.append(_warning(path, sentence.line, language, "long", {"max": max_sentence_words},
                                     n=len(sentence.words), opening=sentence.opening()))

    whole = "\n\n".join(segment.text for segment in all_segments)
    normalised = _normalised(whole)
    links = [link for segment in all_segments for link in segment.links]
    seen = {"acronym:" + _ACRONYM_BY_FORM[form].forms[0] for form in explained if form in _ACRONYM_BY_FORM}
    for segment in all_segments:
        for use in _uses(segment):
            if use.key in seen:
                continue
            seen.add(use.key)
            kind, _, name = use.key.partition(":")
            if kind == "abbr":
                meaning = _ABBREVIATION_BY_KEY[name].meaning
                warnings.append(_warning(path, use.line, language, "abbr", {"meaning": meaning},
                                         written=use.written))
                continue
            acronym = _ACRONYM_BY_FORM[name]
            if not any(_explained(acronym, form, whole, normalised, links) for form in acronym.forms):
                warnings.append(_warning(
                    path, use.line, language, "acronym",
                    {"expansion": acronym.expansions[0], "form": use.written}, written=use.written))
    return sorted(warnings)


def check_text(text: str, *, path: str, first_line: int, threshold: float = DEFAULT_LIX_THRESHOLD,
               markdown: bool = True, language: str = "sv",
               explained: Iterable[str] = ()) -> list[InputError]:
    """Plain-language warnings for one text (a Markdown body, or a text field when markdown=False)."""
    return check_texts([Prose(text, first_line, markdown)], path=path, threshold=threshold,
                       language=language, explained=explained)


# --- the per-page summary for `check --verbose` -----------------------------------------------


@dataclass(frozen=True)
class PageReadability:
    path: str
    words: int
    sentences: int
    long_words: int
    lix: float
    longest_sentence: int
    """Words in the longest sentence."""
    longest_line: int
    """The line the longest sentence starts on (0 when there is no text)."""

    def format(self, language: str = "sv") -> str:
        """One line, for example:

        content/est.md: LIX 31 (lätt), 214 ord, 27 meningar, längsta meningen 19 ord (rad 9)
        """
        sv = language == "sv"
        if not self.words:
            return f"{self.path}: " + ("ingen löptext" if sv else "no running text")
        band, _ = lix_band(self.lix, language)
        if sv:
            return (f"{self.path}: LIX {rounded(self.lix)} ({band}), {self.words} ord, "
                    f"{self.sentences} meningar, längsta meningen {self.longest_sentence} ord "
                    f"(rad {self.longest_line})")
        return (f"{self.path}: LIX {rounded(self.lix)} ({band}), {self.words} words, "
                f"{self.sentences} sentences, longest sentence {self.longest_sentence} words "
                f"(line {self.longest_line})")


def summarise(texts: Iterable[Prose | str], *, path: str = "") -> PageReadability:
    """Words, sentences, LIX and the longest sentence of a page's texts read as one text."""
    sentences = [s for t in texts for seg in segments(t if isinstance(t, Prose) else Prose(t))
                 for s in segment_sentences(seg)]
    total = count_sentences(sentences)
    longest = max(sentences, key=lambda s: len(s.words), default=None)
    return PageReadability(path, total.words, total.sentences, total.long_words, total.lix,
                           len(longest.words) if longest else 0, longest.line if longest else 0)


# --- the text fields of a data file -----------------------------------------------------------

MARKDOWN_FIELDS = frozenset({"purpose", "follow_up", "focus", "description"})
"""Fields rendered as Markdown (see the models' docstrings and templates/)."""
PROSE_FIELDS = MARKDOWN_FIELDS | frozenset({
    "title", "summary", "text", "account", "note", "what", "revision_note", "label", "causes",
})
"""Fields that residents read as running text."""


def _unfolded(value: str, source_lines: Sequence[str], first: int) -> str:
    """A folded block scalar (`key: >-`) with its line breaks back, so sentences keep their lines.

    YAML joins the lines of a folded block with spaces; the words are the same, so the block's
    own lines (without their indentation) are read instead, unless they differ from the value.
    """
    block: list[str] = []
    indent: str | None = None
    for raw in source_lines[first - 1:]:
        if not raw.strip():
            block.append("")
            continue
        if indent is None:
            indent = raw[: len(raw) - len(raw.lstrip())]
            if not indent:
                break
        if not raw.startswith(indent):
            break
        block.append(raw[len(indent):])
    text = "\n".join(block).strip("\n")
    return text if text.split() == value.split() else value


def data_texts(data: Any, positions: Mapping[tuple[Any, ...], tuple[int, int]],
               source_lines: Sequence[str] = (), *, fields: frozenset[str] = PROSE_FIELDS,
               markdown_fields: frozenset[str] = MARKDOWN_FIELDS) -> list[Prose]:
    """The prose fields of a loaded YAML document, in file order, each with the line its text starts on.

    `positions` is `SourceFile.positions`. Give the file's lines as `source_lines` so that a block
    scalar (`key: |` or `key: >-`) is known to start on the line after its key; in a `|` block every
    sentence then gets its own line, in a folded `>` block the lines are approximate.
    """
    found: list[tuple[int, Prose]] = []

    def walk(value: Any, loc: tuple[Any, ...]) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, (*loc, key))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, (*loc, i))
        elif isinstance(value, str):
            # The field is named by the nearest key: a cause in `causes: [...]` is prose too.
            name = next((part for part in reversed(loc) if isinstance(part, str)), "")
            if name not in fields:
                return
            line, column = positions.get(loc, (1, 1))
            raw = source_lines[line - 1] if 0 < line <= len(source_lines) else ""
            indicator = raw[column - 1:column]
            text, first = value, line
            if indicator in ("|", ">"):
                first = line + 1
                if indicator == ">":
                    text = _unfolded(value, source_lines, first)
            found.append((first, Prose(text, first, name in markdown_fields)))

    walk(data, ())
    return [prose for _, prose in sorted(found, key=lambda item: item[0])]


def check_project(sources: ProjectSources, *, threshold: float = DEFAULT_LIX_THRESHOLD,
                  explained: Iterable[str] = (), language: str = "sv",
                  ) -> tuple[list[InputError], list[PageReadability]]:
    """Warnings and a readability summary for every page and data file, each read as one text."""
    warnings: list[InputError] = []
    summaries: list[PageReadability] = []
    files = [sources.site] if sources.site else []
    files += [source for kind in sources.data.values() for source in kind]
    for source in [*files, *sources.pages]:
        lines = source.path.read_text(encoding="utf-8").splitlines()
        texts = data_texts(source.data, source.positions, lines)
        if source in sources.pages and source.body.strip():
            texts.append(Prose(source.body, source.body_line, markdown=True))
        if not texts:
            continue
        warnings += check_texts(texts, path=source.rel, threshold=threshold, language=language,
                                explained=explained)
        summaries.append(summarise(texts, path=source.rel))
    return warnings, summaries
