"""Plain language: LIX, sentence splitting, long sentences and abbreviations, as warnings."""

from __future__ import annotations

from pathlib import Path

import pytest

from insyn.plain_language import (
    Counts,
    Prose,
    check_text,
    check_texts,
    counts,
    data_texts,
    lix,
    lix_band,
    markdown_segments,
    split_sentences,
    summarise,
    words,
)
from insyn.sources import load_markdown_file, load_yaml_file


def sentence_texts(text: str, *, markdown: bool = False) -> list[str]:
    return [s.text for s in split_sentences(text, markdown=markdown)]


def long_sentence(n: int, first: str = "Kommunen") -> str:
    """A sentence of exactly n words."""
    return " ".join([first] + ["och"] * (n - 2) + ["polisen"]) + "."


# --- LIX on hand-counted texts -------------------------------------------------------------


def test_lix_of_a_hand_counted_hard_text():
    # 9 words in 2 sentences; long (more than six letters): Kommunen, polisen, arbetar,
    # tillsammans, brotten = 5. LIX = 9/2 + 100 * 5/9 = 60.06.
    text = "Kommunen och polisen arbetar tillsammans. Vi vill minska brotten."
    assert counts(text) == Counts(words=9, sentences=2, long_words=5)
    assert lix(text) == pytest.approx(4.5 + 500 / 9)


def test_lix_of_a_hand_counted_easy_text():
    # 7 words, 2 sentences, no word longer than six letters ("parken" has exactly six).
    assert counts("Vi ses i parken. Det är kul.") == Counts(7, 2, 0)
    assert lix("Vi ses i parken. Det är kul.") == pytest.approx(3.5)


def test_lix_of_the_est_page_opening():
    # S1: EST står för Effektiv* samordning* för trygghet* (7 words, 3 long)
    # S2: Det är ett arbetssätt* som många kommuner* använder* (8 words, 3 long)
    # S3: Tanken är att alla som finns på en plats ska arbeta åt samma håll (14 words, 0 long)
    text = ("EST står för Effektiv samordning för trygghet. Det är ett arbetssätt som många "
            "kommuner använder. Tanken är att alla som finns på en plats ska arbeta åt samma håll.")
    assert counts(text) == Counts(29, 3, 6)
    assert lix(text) == pytest.approx(29 / 3 + 600 / 29)


def test_numbers_dates_addresses_and_email_are_not_words():
    # S1: Mötet hålls kl t.ex. i Stadsbiblioteket* (6 words, 1 long); the date and time are not words.
    # S2: Läs mer på eller mejla (5 words); the address and the e-mail are not words.
    text = ("Mötet hålls 2024-03-01 kl. 18.30, t.ex. i Stadsbiblioteket. Läs mer på "
            "https://polisen.se/tips eller mejla trygghet@lidkoping.se.")
    assert counts(text) == Counts(11, 2, 1)
    assert lix(text) == pytest.approx(5.5 + 100 / 11)


def test_words_are_letter_sequences_with_hyphenated_compounds():
    assert words("EST-områdena i Änghagen, moped- och bilåkning, EST:s möten på 2020-talet, 3:e gången") == [
        "EST-områdena", "i", "Änghagen", "moped", "och", "bilåkning", "EST:s", "möten", "på", "gången"]
    assert words("Café Düsseldorf, ring 0510-77 00 00 eller 114 14") == [
        "Café", "Düsseldorf", "ring", "eller"]
    assert words("Läs på polisen.se eller www.lidkoping.se/trygghet") == ["Läs", "på", "eller"]


def test_a_text_without_words_has_lix_zero():
    assert lix("") == 0.0
    assert lix("2024-03-01, 112") == 0.0


def test_long_words_count_letters_only():
    # "EST-arbete" has 9 letters (long), "EST:s" 3 (short), "öppna" 5 (short).
    assert counts("EST-arbete EST:s öppna.").long_words == 1


# --- sentence splitting -------------------------------------------------------------------


def test_sentences_end_at_punctuation_before_a_capital_or_the_end():
    assert sentence_texts("Vad har hänt? Vem gör vad! Ring 112. Klart") == [
        "Vad har hänt?", "Vem gör vad!", "Ring 112.", "Klart"]


def test_a_colon_before_a_capital_ends_a_sentence_but_a_time_does_not():
    assert sentence_texts("Gör så här: Ring 112 före kl 18:30. Sedan: vänta.") == [
        "Gör så här:", "Ring 112 före kl 18:30.", "Sedan: vänta."]


def test_punctuation_before_a_lower_case_word_does_not_end_a_sentence():
    assert sentence_texts("Vad hände? sa hon. Hon gick.") == ["Vad hände? sa hon.", "Hon gick."]


def test_abbreviations_do_not_end_sentences():
    assert sentence_texts("Vi möts t.ex. Polisen och bl.a. Kommunen. P.g.a. vädret ställs det in.") == [
        "Vi möts t.ex. Polisen och bl.a. Kommunen.", "P.g.a. vädret ställs det in."]


def test_an_abbreviation_that_often_ends_a_sentence_does_so_before_a_capital():
    assert sentence_texts("Klotter, skräp osv. Sedan möts vi. Mopeder m.m. finns.") == [
        "Klotter, skräp osv.", "Sedan möts vi.", "Mopeder m.m. finns."]


def test_numbers_and_addresses_do_not_split_sentences():
    assert sentence_texts("Andelen steg till 61.5 procent år 2024. Se polisen.se/tips. Mejla a.b@x.se.") == [
        "Andelen steg till 61.5 procent år 2024.", "Se polisen.se/tips.", "Mejla a.b@x.se."]
    assert sentence_texts("Läs https://www.lidkoping.se/a.b/c. Ring sedan.") == [
        "Läs https://www.lidkoping.se/a.b/c.", "Ring sedan."]


def test_sentences_know_their_lines():
    found = split_sentences("Första meningen\nfortsätter här. Andra\nmeningen.\n\nTredje.", 10)
    assert [(s.line, s.words) for s in found] == [
        (10, ("Första", "meningen", "fortsätter", "här")), (11, ("Andra", "meningen")), (14, ("Tredje",))]


def test_a_sentence_with_only_numbers_is_no_sentence():
    assert sentence_texts("Ring 112. 114 14. Eller mejla.") == ["Ring 112. 114 14.", "Eller mejla."]


# --- Markdown ---------------------------------------------------------------------------------


MARKDOWN = """\
# Så går det till

Läs mer om [hur vi arbetar](https://www.lidkoping.se/trygghet/) och kör `build.py check`
varje vecka.

- första punkten utan punkt
- andra punkten
  fortsätter här

| När | Gör så här |
| --- | --- |
| Fara för liv | Ring 112 |

```
kod som inte räknas. Den Har Versaler.
```
"""


def test_markdown_segments_skip_code_link_addresses_and_table_separators():
    found = [(s.line, s.text) for s in markdown_segments(MARKDOWN, first_line=5)]
    assert found == [
        (5, "Så går det till"),
        (7, "Läs mer om hur vi arbetar och kör  \nvarje vecka."),
        (10, "första punkten utan punkt"),
        (11, "andra punkten\nfortsätter här"),
        (14, "När"), (14, "Gör så här"),
        (16, "Fara för liv"), (16, "Ring 112"),
    ]


def test_headings_list_items_and_table_cells_end_sentences():
    found = split_sentences(MARKDOWN, 5, markdown=True)
    assert [len(s.words) for s in found] == [4, 10, 4, 4, 1, 3, 3, 1]
    assert [s.line for s in found] == [5, 7, 10, 11, 14, 14, 16, 16]


def test_markdown_keeps_link_text_and_emphasis():
    assert words_in_markdown("Läs om **EST** och [EST-områdena](/est/).") == [
        "Läs", "om", "EST", "och", "EST-områdena"]


def words_in_markdown(text: str) -> list[str]:
    return [w for s in split_sentences(text, markdown=True) for w in s.words]


# --- long sentences -------------------------------------------------------------------------


def test_a_long_sentence_is_reported_at_its_own_line_in_a_page_with_front_matter(tmp_path: Path):
    page = tmp_path / "content" / "sida.md"
    page.parent.mkdir()
    page.write_text(
        "---\ntitle: Sida\nsummary: Om sidan.\npublished: 2024-01-31\n---\n"  # body starts on line 6
        "# Rubrik\n\nEn kort mening. " + long_sentence(36, "Kommunen").replace(" och och", "\noch och", 1)
        + "\n\nEn mening med exakt trettiofem ord. " + long_sentence(35) + "\n", encoding="utf-8")
    source = load_markdown_file(page, tmp_path)
    assert source.body_line == 6
    warnings = check_text(source.body, path=source.rel, first_line=source.body_line)
    assert [(w.path, w.line, w.severity) for w in warnings] == [("content/sida.md", 8, "warning")]
    assert warnings[0].message == "lång mening med 36 ord: 'Kommunen och och och och och och och …'"
    assert "kortare meningar" in warnings[0].hint


def test_a_long_sentence_starting_on_a_later_line_of_its_paragraph():
    body = "Kort mening.\nEn till. " + long_sentence(40, "Polisen")
    [warning] = check_text(body, path="p.md", first_line=20)
    assert warning.line == 21
    assert "40 ord" in warning.message


# --- the LIX warning -----------------------------------------------------------------------

HARD = ("Samverkansöverenskommelsen tydliggör ansvarsfördelningen mellan kommunförvaltningen "
        "och lokalpolisområdet beträffande brottsförebyggande insatser. ") * 5
EASY = "Vi ses i parken. Det är kul. " * 10


def test_a_hard_text_of_forty_words_or_more_is_reported_once_at_its_first_line():
    assert counts(HARD).words == 50
    warnings = check_text(HARD, path="data/x.yaml", first_line=7, markdown=False)
    assert [(w.line, w.message) for w in warnings] == [
        (7, "svårläst text: LIX 90 (mycket svår, som lagtexter och forskning); gränsen är 50")]
    assert warnings[0].hint == "skriv kortare meningar och byt långa ord mot kortare, vanliga ord"
    assert warnings[0].severity == "warning"


def test_a_short_or_easy_text_gets_no_lix_warning():
    short_hard = " ".join(HARD.split()[:30]) + "."
    assert lix(short_hard) > 50
    assert check_text(short_hard, path="x.md", first_line=1) == []
    assert check_text(EASY, path="x.md", first_line=1) == []


def test_the_threshold_can_be_raised():
    assert check_text(HARD, path="x.md", first_line=1, threshold=95) == []
    [warning] = check_text(HARD, path="x.md", first_line=1, threshold=60)
    assert warning.message.endswith("gränsen är 60")


def test_lix_is_judged_on_all_texts_of_a_page_together():
    # Each part is too short to judge on its own; together they are hard.
    halves = [Prose(" ".join(HARD.split()[:25]) + ".", 2, False), Prose(" ".join(HARD.split()[25:]), 9)]
    [warning] = check_texts(halves, path="p.md")
    assert warning.line == 2
    assert warning.message.startswith("svårläst text: LIX")


@pytest.mark.parametrize(("value", "band"), [
    (10, "mycket lätt"), (24.4, "mycket lätt"), (24.5, "lätt"), (34, "lätt"), (35, "medelsvår"),
    (44, "medelsvår"), (45, "svår"), (54.4, "svår"), (55, "mycket svår"), (80, "mycket svår"),
])
def test_lix_bands(value: float, band: str):
    assert lix_band(value)[0] == band


def test_lix_bands_in_english():
    assert lix_band(40, "en") == ("medium", "like newspapers")


# --- abbreviations --------------------------------------------------------------------------


def test_a_common_abbreviation_is_reported_once_at_its_first_use():
    text = "Vi träffas varje vecka.\nDu kan t.ex. mejla oss. Eller t ex ringa.\n\nTa med dvs papper."
    warnings = check_text(text, path="p.md", first_line=3, markdown=False)
    assert [(w.line, w.message, w.hint) for w in warnings] == [
        (4, "förkortningen 't.ex.' kan vara svår att förstå", "skriv ut den: 'till exempel'"),
        (6, "förkortningen 'dvs' kan vara svår att förstå", "skriv ut den: 'det vill säga'"),
    ]


def test_words_that_look_like_abbreviations_are_not_reported():
    text = "Flaskan var tom. Det var 5 mm regn. Mötet börjar kl. 18. Cancer och cat."
    assert check_text(text, path="p.md", first_line=1) == []


def test_an_unexplained_acronym_is_reported_once_at_its_first_use():
    text = "Vi arbetar i kommunen.\n\nVi använder EST i centrum.\nEST-områdena är två."
    [warning] = check_text(text, path="content/index.md", first_line=10)
    assert (warning.line, warning.severity) == (12, "warning")
    assert warning.message == "förkortningen 'EST' förklaras inte i texten"
    assert warning.hint == "skriv ut den första gången: 'Effektiv samordning för trygghet (EST)'"


@pytest.mark.parametrize("text", [
    "Effektiv samordning för trygghet (EST) är en metod. Vi använder EST.",
    "Vi använder EST (Effektiv samordning för trygghet). EST fungerar.",
    "Vi använder EST. Det står för **effektiv samordning för trygghet**.",
    "EST står för att alla arbetar åt samma håll.",
    "Vi använder EST (ett sätt att samordna arbetet) i centrum.",
    "Läs om våra [EST-områden](/est/). EST är en metod.",
])
def test_an_explained_acronym_is_not_reported(text: str):
    assert check_text(text, path="p.md", first_line=1) == []


def test_an_acronym_is_explained_in_any_ending_and_spelling():
    assert check_text("Lokalpolisområdets chef leder LPO.", path="p.md", first_line=1) == []
    assert check_text("Brottsförebyggande rådets rapport. Brå mäter.", path="p.md", first_line=1) == []
    [warning] = check_text("Brå mäter trygghet.", path="p.md", first_line=1)
    assert warning.hint == "skriv ut den första gången: 'Brottsförebyggande rådet (Brå)'"


def test_an_acronym_explained_in_another_text_of_the_same_file_is_explained():
    texts = [Prose("Effektiv samordning för trygghet (EST)", 3, False), Prose("En EST-insats.", 9, False)]
    assert check_texts(texts, path="data/est/a.yaml") == []


def test_the_site_can_declare_acronyms_explained_elsewhere():
    assert check_text("Vi använder EST.", path="p.md", first_line=1, explained=["EST"]) == []


def test_acronyms_in_code_link_addresses_and_other_words_are_not_reported():
    text = "Kör `EST` och läs [mer](https://x.se/EST/). Bestämt. Västkusten. CANADA."
    assert check_text(text, path="p.md", first_line=1) == []


# --- language -------------------------------------------------------------------------------


def test_messages_in_english():
    # 7 + 36 + 50 words in 1 + 1 + 5 sentences, 0 + 2 + 40 long: LIX = 93/7 + 4200/93 = 58.4.
    text = "We use EST, t.ex. in the centre. " + long_sentence(36) + " " + HARD
    warnings = check_text(text, path="p.md", first_line=1, language="en")
    assert sorted(w.message for w in warnings) == [
        "hard to read: LIX 58 (very hard, like laws and research); the limit is 50",
        "long sentence of 36 words: 'Kommunen och och och och och och och …'",
        "the abbreviation 'EST' is not explained in the text",
        "the abbreviation 't.ex.' may be hard to understand",
    ]
    hints = {w.hint for w in warnings}
    assert "write it out: 'till exempel'" in hints
    assert "write it out the first time: 'Effektiv samordning för trygghet (EST)'" in hints


# --- the per-page summary -----------------------------------------------------------------


def test_summarise_a_page():
    # 3 + 4 + 3 + 5 words in 4 sentences; long: Trygghet, centrum, Kommunen, polisen, arbetar,
    # tillsammans. LIX = 15/4 + 600/15 = 43.75.
    texts = [Prose("Trygghet i centrum", 2, False),
             Prose("Vi ses i parken. Det är kul.\n\nKommunen och polisen arbetar tillsammans.", 8)]
    summary = summarise(texts, path="content/index.md")
    assert (summary.words, summary.sentences, summary.long_words) == (15, 4, 6)
    assert (summary.longest_sentence, summary.longest_line) == (5, 10)
    assert summary.lix == pytest.approx(15 / 4 + 600 / 15)
    assert summary.format() == (
        "content/index.md: LIX 44 (medelsvår), 15 ord, 4 meningar, längsta meningen 5 ord (rad 10)")
    assert summary.format("en") == (
        "content/index.md: LIX 44 (medium), 15 words, 4 sentences, longest sentence 5 words (line 10)")


def test_summarise_a_page_without_text():
    assert summarise([Prose("```\nkod\n```", 5)], path="p.md").format() == "p.md: ingen löptext"


# --- the text fields of a data file -------------------------------------------------------


def test_data_texts_find_prose_fields_and_the_lines_they_start_on(tmp_path: Path):
    path = tmp_path / "data" / "est" / "omrade.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(
        "# Ett område.\n"                        # 1
        "id: omrade\n"                           # 2
        "title: Centrum\n"                       # 3
        "summary: >-\n"                          # 4
        "  En EST-insats i centrum. Den\n"       # 5
        "  startade 2023.\n"                     # 6
        "description: |\n"                       # 7
        "  Insatsen har en grupp.\n"             # 8
        "\n"                                     # 9
        "  Läs om [EST](/est/).\n"               # 10
        "actions:\n"                             # 11
        "  - what: Laga lamporna.\n"             # 12
        "    who: Kommunen\n", encoding="utf-8")  # 13
    source = load_yaml_file(path, tmp_path)
    texts = data_texts(source.data, source.positions, path.read_text(encoding="utf-8").splitlines())
    assert [(t.first_line, t.markdown, t.text) for t in texts] == [
        (3, False, "Centrum"),
        (5, False, "En EST-insats i centrum. Den\nstartade 2023."),
        (8, True, "Insatsen har en grupp.\n\nLäs om [EST](/est/).\n"),
        (12, False, "Laga lamporna."),
    ]
    # The link in the description explains EST for the whole file.
    assert check_texts(texts, path=source.rel) == []
    assert [s.line for t in texts for s in split_sentences(t.text, t.first_line, markdown=t.markdown)] == [
        3, 5, 5, 8, 10, 12]


def test_a_long_sentence_in_a_folded_block_is_reported_at_its_own_line(tmp_path: Path):
    path = tmp_path / "p.yaml"
    path.write_text("summary: >-\n  Kort.\n  " + long_sentence(36) + "\n", encoding="utf-8")
    source = load_yaml_file(path, tmp_path)
    texts = data_texts(source.data, source.positions, path.read_text(encoding="utf-8").splitlines())
    [warning] = check_texts(texts, path=source.rel)
    assert warning.line == 3
