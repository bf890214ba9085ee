"""Communicator-proof input: every pitfall names its file, line, column and what to write instead.

Each case changes one file of a private copy of the example project, then checks the exact
problems the pipeline reports (file, line, column, English and Swedish text, hint) and that the
command says the same in Swedish, as `path:line:col: fel: ...`, exits 1 and never shows a
traceback. Lines and columns are found from the text the case writes, so the cases keep
pointing at the right place when the example files grow.

The command is mostly run in this process (insyn.cli.main, which build.py runs, in the project
folder), which takes a few hundredths of a second where starting Python takes most of a second;
a few cases run `python build.py` in a process of its own, and prove it says exactly the same.
"""

from __future__ import annotations

import re
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from insyn.cli import main
from insyn.errors import InputError, InputErrors

from .conftest import ROOT, build_project

PROMISE = "data/promises/2021.yaml"
PROMISE_2026 = "data/promises/2026.yaml"
FOLLOW_UP = "data/follow-ups/uppfoljning-2021.yaml"
FOLLOW_UP_2025 = "data/follow-ups/uppfoljning-2025.yaml"
EST = "data/est/margretelund-anghagen.yaml"
OTHER_EST = "data/est/sockerbruket-resecentrum-biblioteket.yaml"
INDICATOR = "data/indicators/trygghet-centrum.yaml"
SITE = "data/site.yaml"
PAGE = "content/rapportera.md"

STATUSES = "cancelled, done, not-started, ongoing, partly-done"
GIB = 1 << 30


# --- changing a file ------------------------------------------------------------------------


def replace(rel: str, old: str | bytes, new: str | bytes) -> Callable[[Path], str]:
    """Replace the first `old` in the file by `new` (bytes for a change that is not UTF-8)."""

    def change(root: Path) -> str:
        path = root / rel
        raw = path.read_bytes()
        old_b = old.encode() if isinstance(old, str) else old
        new_b = new.encode() if isinstance(new, str) else new
        assert old_b in raw, f"{old!r} is not in {rel}: update the case to the example files"
        path.write_bytes(raw.replace(old_b, new_b, 1))
        return rel

    return change


def write(rel: str, content: str | bytes) -> Callable[[Path], str]:
    def change(root: Path) -> str:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode() if isinstance(content, str) else content)
        return rel

    return change


def grow(rel: str, size: int) -> Callable[[Path], str]:
    """Pad the file with comment lines until it is `size` bytes or more."""

    def change(root: Path) -> str:
        path = root / rel
        raw = path.read_bytes()
        line = b"# " + b"x" * 97 + b"\n"
        path.write_bytes(raw + line * ((size - len(raw)) // len(line) + 1))
        return rel

    return change


def copy(source: str, target: str) -> Callable[[Path], str]:
    def change(root: Path) -> str:
        (root / target).write_bytes((root / source).read_bytes())
        return target

    return change


def delete(rel: str, referred_from: str) -> Callable[[Path], str]:
    """Delete a file; the problem is reported in the file that names it."""

    def change(root: Path) -> str:
        (root / rel).unlink()
        return referred_from

    return change


def alias_bomb(levels: int = 9, width: int = 10) -> str:
    """A few hundred bytes of anchors and aliases that would expand into width**levels values."""
    names = [f"n{i}" for i in range(levels)]
    lines = [f"{names[0]}: &{names[0]} [" + ", ".join(["lol"] * width) + "]"]
    for previous, name in zip(names, names[1:], strict=False):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * width) + "]")
    return "\n".join(lines) + "\n"


# --- where a problem should be reported -------------------------------------------------------


def place_of(root: Path, rel: str, at: str | tuple[str, str] | None, *,
             column: bool = True) -> tuple[int, int]:
    """(line, column) of the first `at` in the file; with (context, part), of `part` inside the
    first `context`. None is the whole file: (0, 0). Columns count characters, as editors do."""
    if at is None:
        return (0, 0)
    context, part = at if isinstance(at, tuple) else (at, at)
    raw = (root / rel).read_bytes()
    context_b = context.encode() if isinstance(context, str) else context
    start = raw.find(context_b)
    assert start >= 0, f"{context!r} is not in {rel}"
    part_b = part.encode() if isinstance(part, str) else part
    offset = start + context_b.find(part_b)
    line_start = raw.rfind(b"\n", 0, offset) + 1
    line = raw.count(b"\n", 0, offset) + 1
    if not column:
        return (line, 0)
    return (line, len(raw[line_start:offset].decode("utf-8")) + 1)


def ids(root: Path, kind: str) -> str:
    """The ids of one kind of data file, as the 'Existing:' hint lists them."""
    found = [yaml.safe_load(p.read_text(encoding="utf-8"))["id"]
             for p in sorted((root / "data" / kind).glob("*.yaml"))]
    return ", ".join(sorted(found))


def commitments(root: Path, rel: str) -> str:
    data = yaml.safe_load((root / rel).read_text(encoding="utf-8"))
    return ", ".join(sorted(c["id"] for c in data["commitments"]))


def where(path: str, line: int, column: int) -> str:
    """The place as the command prints it: path:line:col, leaving out what is unknown."""
    return path + (f":{line}" if line else "") + (f":{column}" if line and column else "")


@dataclass(frozen=True)
class Expected:
    en: str
    """The message in English; {names} are filled with the line of `lines[name]`, and {size}
    with the size of the changed file."""
    at: str | tuple[str, str] | None
    """Text of the changed file where the problem is; see place_of."""
    hint: str | Callable[[Path], str] | None = None
    """The exact hint (or a function of the project giving it); None: not checked."""
    sv: str | None = None
    """The message in Swedish, as the example site shows it."""
    sv_hint: str | None = None
    column: bool = True
    """False where no column is meaningful (a whole line, a file's encoding)."""
    lines: dict[str, str] = field(default_factory=dict)
    path: str | None = None
    """The file the problem is reported in, when it is not the changed one."""


class Pitfall:
    """One way to break the input, and the problems it must give."""

    def __init__(self, change: Callable[[Path], str], *expected: Expected):
        self.change = change
        """Changes the project; returns the file the problems are expected in."""
        self.expected = expected


def expected_errors(root: Path, rel: str, pitfall: Pitfall) -> list[tuple]:
    """(path, line, column, English, Swedish or None, hint or None) of each expected problem."""
    found = []
    for e in pitfall.expected:
        path = e.path or rel
        line, column = place_of(root, path, e.at, column=e.column)
        values = {name: place_of(root, path, needle)[0] for name, needle in e.lines.items()}
        values["size"] = (root / path).stat().st_size
        hint = e.hint(root) if callable(e.hint) else e.hint
        found.append((path, line, column, e.en.format(**values),
                      e.sv.format(**values) if e.sv else None, hint, e.sv_hint))
    return sorted(found)


def build_errors(root: Path, **options) -> list[InputError]:
    with pytest.raises(InputErrors) as caught:
        build_project(root, write=False, **options)
    return caught.value.errors


def cli(project: Path, *args: str, **kwargs) -> subprocess.CompletedProcess:
    """`python build.py ...` in a process of its own, in the project folder."""
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=project,
                          capture_output=True, text=True, timeout=120, **kwargs)


@pytest.fixture
def command(capsys, monkeypatch) -> Callable[..., subprocess.CompletedProcess]:
    """The same command run in this process: insyn.cli.main(argv) in the project folder, with
    its exit code and output as cli() gives them."""

    def run(project: Path, *args: str) -> subprocess.CompletedProcess:
        monkeypatch.chdir(project)
        capsys.readouterr()
        code = main(list(args))
        out, err = capsys.readouterr()
        return subprocess.CompletedProcess(["build.py", *args], code, out, err)

    return run


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


# --- the pitfalls -----------------------------------------------------------------------------

PITFALLS = [
    # wrong types
    pytest.param(Pitfall(
        replace(PROMISE, "published: 2021-02-01", "published: första februari 2021"),
        Expected("expected a date like 2024-03-01, not 'första februari 2021'",
                 "första februari 2021", hint="",
                 sv="här ska det stå ett datum som 2024-03-01, inte 'första februari 2021'"),
    ), id="wrong-type-date"),
    pytest.param(Pitfall(
        replace(INDICATOR, "target: 75", "target: 75 procent"),
        Expected("expected a number, like 42 or 61.5, not '75 procent'", "75 procent", hint=""),
    ), id="wrong-type-number"),
    pytest.param(Pitfall(
        replace(PROMISE, "title: Medborgarlöfte 2021", "title: 2021"),
        Expected("expected a text, not '2021'", ("title: 2021", "2021"),
                 hint="put the text in quotes", sv="här ska det stå en text, inte '2021'",
                 sv_hint="sätt texten inom citattecken"),
    ), id="wrong-type-text"),
    pytest.param(Pitfall(
        replace(PROMISE, "responsible: [kommunen]", "responsible: kommunen"),
        Expected("expected a list (lines starting with '- '), not 'kommunen'",
                 ("responsible: kommunen", "kommunen"), hint=""),
    ), id="wrong-type-list"),
    pytest.param(Pitfall(
        replace(PROMISE, "attachment:\n  file: files/medborgarlofte-2021.pdf\n"
                         "  title: Medborgarlöftet 2021\n",
                "attachment: files/medborgarlofte-2021.pdf\n"),
        Expected("expected fields (lines like 'name: value'), not 'files/medborgarlofte-2021.pdf'",
                 ("attachment: files", "files"), hint=""),
    ), id="wrong-type-fields"),
    pytest.param(Pitfall(
        replace(FOLLOW_UP, "    status: done\n", "    status:\n"),
        Expected("'status' is empty", ("status:\n", "\n"), hint="write a text after 'status:'",
                 sv="'status' är tomt"),
    ), id="empty-value"),
    # missing and unknown fields
    pytest.param(Pitfall(
        replace(PROMISE, "    due: 2021-06-15\n", ""),
        Expected("the field 'due' is missing", "id: foraldramoten-droger",
                 hint="add 'due: ...'", sv="fältet 'due' saknas",
                 sv_hint="lägg till 'due: ...'"),
    ), id="missing-field"),
    pytest.param(Pitfall(
        replace(PROMISE, "\nowner: ", "\nower: "),
        Expected("unknown field 'ower'", "ower:", hint="did you mean 'owner'?",
                 sv="okänt fält 'ower'", sv_hint="menar du 'owner'?"),
    ), id="unknown-field-did-you-mean"),
    pytest.param(Pitfall(
        replace(PROMISE, "    where: Hela kommunen", "    were: Hela kommunen"),
        Expected("unknown field 'were'", "were:", hint="did you mean 'where'?"),
    ), id="unknown-nested-field-did-you-mean"),
    pytest.param(Pitfall(
        replace(PROMISE, "  title: Medborgarlöftet 2021\n",
                "  title: Medborgarlöftet 2021\n  signerad: ja\n"),
        Expected("unknown field 'signerad'", "signerad:",
                 hint="the fields that can be used here are: file, title"),
    ), id="unknown-field-lists-the-fields"),
    # values that must be one of a few
    pytest.param(Pitfall(
        replace(FOLLOW_UP, "status: done", "status: klar"),
        Expected("the status 'klar' does not exist", ("status: klar", "klar"),
                 hint=f"existing: {STATUSES}", sv="statusen 'klar' finns inte",
                 sv_hint=f"de som finns: {STATUSES}"),
    ), id="invalid-status"),
    pytest.param(Pitfall(
        replace(INDICATOR, "frequency: year", "frequency: yearly"),
        Expected("'yearly' is not allowed here", "yearly", hint="write one of: 'year' or 'quarter'",
                 sv="'yearly' går inte att använda här"),
    ), id="invalid-choice"),
    pytest.param(Pitfall(
        replace(PROMISE, "id: narvaro-resecentrum", "id: Närvaro_Resecentrum"),
        Expected("'Närvaro_Resecentrum' is not a valid id", "Närvaro_Resecentrum",
                 hint="use lower-case letters a-z, digits and hyphens, for example 'trygg-centrum'"),
    ), id="invalid-id"),
    # references to something that does not exist, with the existing ids suggested
    pytest.param(Pitfall(
        replace(PROMISE, "agreement: samverkan-2020-2023", "agreement: samverkan-2020-2033"),
        Expected("the agreement 'samverkan-2020-2033' does not exist",
                 ("agreement: samverkan", "samverkan"),
                 hint=lambda root: "did you mean 'samverkan-2020-2023'? Existing: "
                                   + ids(root, "agreements"),
                 sv="överenskommelsen 'samverkan-2020-2033' finns inte",
                 sv_hint="menar du 'samverkan-2020-2023'? De som finns: "
                         "samverkan-2020-2023, samverkan-2024-2027"),
    ), id="unknown-agreement"),
    pytest.param(Pitfall(
        replace(FOLLOW_UP, "promise: medborgarlofte-2021", "promise: medborgarloftet-2021"),
        Expected("the promise 'medborgarloftet-2021' does not exist",
                 ("promise: medborgarloftet", "medborgarloftet"),
                 hint=lambda root: "did you mean 'medborgarlofte-2021'? Existing: "
                                   + ids(root, "promises"),
                 sv="löftet 'medborgarloftet-2021' finns inte"),
    ), id="unknown-promise"),
    pytest.param(Pitfall(
        replace(FOLLOW_UP, "commitment: narvaro-resecentrum",
                "commitment: narvaro-vid-resecentrum"),
        Expected("the commitment 'narvaro-vid-resecentrum' does not exist",
                 "narvaro-vid-resecentrum",
                 hint=lambda root: "did you mean 'narvaro-resecentrum'? Existing: "
                                   + commitments(root, PROMISE),
                 sv="åtagandet 'narvaro-vid-resecentrum' finns inte"),
    ), id="unknown-commitment"),
    pytest.param(Pitfall(
        replace(PROMISE, "indicators: [unga-alkohol]", "indicators: [unga-alkhol]"),
        Expected("the indicator 'unga-alkhol' does not exist", "unga-alkhol",
                 hint=lambda root: "did you mean 'unga-alkohol'? Existing: "
                                   + ids(root, "indicators"),
                 sv="indikatorn 'unga-alkhol' finns inte"),
    ), id="unknown-indicator"),
    pytest.param(Pitfall(
        replace(PROMISE, "responsible: [polisen]", "responsible: [polis]"),
        Expected("the party 'polis' does not exist", ("[polis]", "polis"),
                 hint="did you mean 'polisen'? Existing: bostadsbolaget, kommunen, polisen",
                 sv="parten 'polis' finns inte"),
    ), id="unknown-party"),
    # the same id twice
    pytest.param(Pitfall(
        copy(FOLLOW_UP_2025, "data/follow-ups/uppfoljning-2026.yaml"),
        Expected("the id 'uppfoljning-2025' is used twice (also in "
                 "data/follow-ups/uppfoljning-2025.yaml)",
                 ("id: uppfoljning-2025", "uppfoljning"), hint="give each one its own id",
                 sv="id:t 'uppfoljning-2025' används två gånger (också i "
                    "data/follow-ups/uppfoljning-2025.yaml)",
                 sv_hint="ge var och en ett eget id"),
    ), id="duplicate-id-in-a-copied-file"),
    pytest.param(Pitfall(
        replace(PROMISE_2026, "  - id: foraldrar-sociala-medier", "  - id: tidiga-samtal"),
        Expected("the commitment id 'tidiga-samtal' is used twice (also in "
                 f"{PROMISE_2026})", ("tidiga-samtal\n    text: >-\n      Vi håller", "tidiga"),
                 hint="give each one its own id"),
    ), id="duplicate-commitment-id"),
    # dates and years outside the agreement
    pytest.param(Pitfall(
        replace(PROMISE, "year: 2021", "year: 2019"),
        Expected("the year 2019 is outside the agreement's period (2020–2023)",
                 ("year: 2019", "2019"), hint="check the year, or name the agreement that covers it",
                 sv="året 2019 ligger utanför överenskommelsens period (2020–2023)"),
    ), id="promise-year-outside-the-agreement"),
    pytest.param(Pitfall(
        replace(PROMISE, "due: 2021-12-31", "due: 2024-01-31"),
        Expected("the commitment is due 2024-01-31, after the agreement ends (2023-12-31)",
                 "2024-01-31", hint="choose a date within the agreement's period",
                 sv="åtagandet ska vara klart 2024-01-31, efter att överenskommelsen upphör "
                    "(2023-12-31)"),
    ), id="commitment-due-after-the-agreement-ends"),
    # files and links
    pytest.param(Pitfall(
        replace(PROMISE, "file: files/medborgarlofte-2021.pdf", "file: files/medborgarlofte_2021.pdf"),
        Expected("the attachment 'files/medborgarlofte_2021.pdf' does not exist",
                 "files/medborgarlofte_2021.pdf", hint="did you mean 'files/medborgarlofte-2021.pdf'?",
                 sv="bilagan 'files/medborgarlofte_2021.pdf' finns inte"),
    ), id="misspelt-attachment"),
    pytest.param(Pitfall(
        delete("files/belysning-tatorter-2021.pdf", FOLLOW_UP),
        Expected("the attachment 'files/belysning-tatorter-2021.pdf' does not exist",
                 "files/belysning-tatorter-2021.pdf"),
    ), id="missing-attachment"),
    pytest.param(Pitfall(
        replace(PAGE, "[EST-områden](/est/)", "[EST-områden](/est-omraden/)"),
        Expected("the link '/est-omraden/' leads to no page on the site", "(/est-omraden/)",
                 column=False, hint="did you mean /est/?",
                 sv="länken '/est-omraden/' leder inte till någon sida på webbplatsen",
                 sv_hint="menar du /est/?"),
    ), id="broken-link-in-markdown"),
    pytest.param(Pitfall(
        replace(PAGE, "---\ntitle:", "title:"),
        Expected("the page has no front matter", "title:"),
    ), id="page-without-front-matter"),
    # YAML pitfalls
    pytest.param(Pitfall(
        replace(FOLLOW_UP, "    status: done\n", "    status: done\n    status: ongoing\n"),
        Expected("the key 'status' is written twice (first on line {first})", "status: ongoing",
                 lines={"first": "status: done"},
                 hint="keep one of them: otherwise only the last would count",
                 sv="fältet 'status' står två gånger (först på rad {first})",
                 sv_hint="behåll ett av dem: annars skulle bara det sista gälla"),
    ), id="yaml-duplicate-key"),
    pytest.param(Pitfall(
        replace(EST, "  - Änghagen\n", "\t- Änghagen\n"),
        Expected("a tab character is used for indentation", "\t- Änghagen",
                 hint="indent with spaces only (two spaces per level)",
                 sv="ett tabbtecken används för indrag",
                 sv_hint="dra in med mellanslag (två per nivå)"),
    ), id="yaml-tab"),
    pytest.param(Pitfall(
        replace(EST, "title: Margretelund och Änghagen", "title: EST: Margretelund och Änghagen"),
        Expected("a colon follows text on the same line", ("EST: Margretelund", ": "),
                 hint="put quotes around text that contains ': ', for example: "
                      "title: \"Mål: trygghet\""),
    ), id="yaml-colon-in-text"),
    pytest.param(Pitfall(
        replace(INDICATOR, "higher_is_better: true", "higher_is_better: nej"),
        Expected("expected true or false, not 'nej'", "nej", hint="",
                 sv="här ska det stå true eller false, inte 'nej'"),
    ), id="yaml-bool-expected-got-text"),
    pytest.param(Pitfall(
        replace(INDICATOR, "higher_is_better: true", "higher_is_better: no"),
        Expected("expected true or false, not 'no'", ("higher_is_better: no", "no"), hint="",
                 sv="här ska det stå true eller false, inte 'no'"),
    ), id="yaml-bool-expected-got-no"),
    pytest.param(Pitfall(
        replace(FOLLOW_UP, "date: 2022-02-15", "date: 2022-02-30"),
        Expected("'2022-02-30' is not a real date", "2022-02-30",
                 hint="write an existing date like 2024-03-01 (year-month-day)",
                 sv="'2022-02-30' är inget riktigt datum",
                 sv_hint="skriv ett datum som finns, som 2024-03-01 (år-månad-dag)"),
    ), id="yaml-date-that-does-not-exist"),
    pytest.param(Pitfall(
        replace(PROMISE, "    due: 2021-06-15", "    due: 2021-6-15"),
        Expected("expected a date like 2024-03-01, not '2021-6-15'", "2021-6-15", hint=""),
    ), id="yaml-date-without-leading-zero"),
    pytest.param(Pitfall(
        replace(EST, "  - Änghagen\n", "  - Änghagen\n".encode("latin-1")),
        Expected("the file is not saved as UTF-8 text", b"  - \xc4nghagen", column=False,
                 hint="save it again with the encoding UTF-8 (in VS Code: 'Save with Encoding')",
                 sv="filen är inte sparad som UTF-8-text"),
    ), id="not-utf-8"),
    pytest.param(Pitfall(
        write(OTHER_EST, ""),
        Expected("the file is empty", "", column=False,
                 hint="fill it in; see the examples under data/", sv="filen är tom"),
    ), id="empty-file"),
    pytest.param(Pitfall(
        write(OTHER_EST, "# Fylls i när insatsen har startat.\n\n"),
        Expected("the file is empty", "", column=False),
    ), id="file-with-only-comments"),
    pytest.param(Pitfall(
        grow(FOLLOW_UP, 2_100_000),
        Expected("the file is too large ({size} bytes)", None,
                 hint="split it; files up to 2000000 bytes are read",
                 sv="filen är för stor ({size} byte)"),
    ), id="oversized-file"),
    pytest.param(Pitfall(
        write(EST, alias_bomb()),
        Expected("the file expands into more than 200000 values", None,
                 hint="remove anchors and aliases (& and *), or split the file",
                 sv="filen växer till mer än 200000 värden"),
    ), id="alias-bomb"),
]


@pytest.mark.parametrize("pitfall", PITFALLS)
def test_a_broken_input_names_its_file_line_and_what_to_write(project, pitfall, command):
    rel = pitfall.change(project)
    expected = expected_errors(project, rel, pitfall)
    errors = build_errors(project)
    assert [(e.path, e.line, e.column, e.text()) for e in errors] == [x[:4] for x in expected]
    for error, (*_, sv, hint, sv_hint) in zip(errors, expected, strict=True):
        assert error.severity == "error"
        if sv is not None:
            assert error.text("sv") == sv
        if hint is not None:
            assert error.hint_text() == hint
        if sv_hint is not None:
            assert error.hint_text("sv") == sv_hint

    # The command says the same in the site's language (Swedish), and never shows a traceback.
    result = command(project, "check")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.splitlines()
    for path, line, column, _, _, _, _ in expected:
        error = next(e for e in errors if (e.path, e.line, e.column) == (path, line, column))
        assert f"{where(path, line, column)}: fel: {error.text('sv')}" in lines
        if error.hint:
            assert f"    gör så här: {error.hint_text('sv')}" in lines
    assert re.fullmatch(rf"{len(expected)} fel, \d+ varningar\.", lines[-2]), lines
    assert lines[-1] == "Inget skrevs; den tidigare webbplatsen är oförändrad."


REAL_PROCESS = ["wrong-type-date", "not-utf-8", "oversized-file", "alias-bomb"]
"""Cases run in a process of their own too: text beyond ASCII in the message, in the file, a
large file, and one that would fill the memory."""


@pytest.mark.parametrize("pitfall", [p for p in PITFALLS if p.id in REAL_PROCESS])
def test_build_py_in_a_process_of_its_own_exits_1_and_says_exactly_the_same(
        project, pitfall, command):
    pitfall.change(project)
    result = cli(project, "check")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert re.search(r"^\S+: fel: ", result.stderr, re.M), result.stderr
    in_process = command(project, "check")
    assert (result.returncode, result.stdout, result.stderr) == (
        in_process.returncode, in_process.stdout, in_process.stderr)


def test_a_broken_link_on_a_later_line_of_a_paragraph_names_that_line(project):
    replace(PAGE, "(/medborgarloften/2026/)", "(/medborgarloften/2062/)")(project)
    [error] = build_errors(project)
    assert (error.path, error.line) == (PAGE, place_of(project, PAGE, "(/medborgarloften/2062/)")[0])
    assert error.text() == "the link '/medborgarloften/2062/' leads to no page on the site"


# --- the Norway problem: YAML 1.1 booleans stay text ------------------------------------------


@pytest.mark.parametrize("word", ["no", "No", "NO", "yes", "on", "off", "y", "n"])
def test_a_yes_or_no_word_where_text_is_expected_stays_that_text(project, word):
    replace(PROMISE, "where: Hela kommunen", f"where: {word}")(project)
    replace(SITE, "\nfeedback:\n", f"\nfeedback:\n  texts:\n    yes: Ja\n    no: {word}\n")(project)
    site = build_project(project, write=False).site
    assert site.promise("medborgarlofte-2021").dialogues[0].where == word
    assert (site.config.feedback.texts.yes, site.config.feedback.texts.no) == ("Ja", word)


# --- every problem of a run, together, sorted and counted -------------------------------------


def test_all_problems_of_a_run_are_reported_together_sorted_by_file_and_line(project, command):
    replace(PROMISE, "\nowner: ", "\nower: ")(project)  # validation, late in the file
    replace(PROMISE, "published: 2021-02-01", "published: 1 feb")(project)  # validation
    replace(PROMISE, "    due: 2021-06-15\n", "")(project)  # validation, early in the file
    replace(EST, "  - Änghagen\n", "\t- Änghagen\n")(project)  # loading
    replace("data/follow-ups/uppfoljning-2022.yaml", "status: done", "status: klar")(project)
    expected = [
        (EST, place_of(project, EST, "\t- Änghagen")[0]),
        ("data/follow-ups/uppfoljning-2022.yaml",
         place_of(project, "data/follow-ups/uppfoljning-2022.yaml", "status: klar")[0]),
        (PROMISE, place_of(project, PROMISE, "id: foraldramoten-droger")[0]),
        (PROMISE, place_of(project, PROMISE, "published: 1 feb")[0]),
        (PROMISE, place_of(project, PROMISE, "ower:")[0]),
    ]
    errors = build_errors(project)
    assert [(e.path, e.line) for e in errors] == expected

    result = command(project, "check")
    assert result.returncode == 1
    places = [line.split(": fel: ")[0] for line in result.stderr.splitlines() if ": fel: " in line]
    assert [tuple(p.split(":")[:2]) for p in places] == [(p, str(n)) for p, n in expected]
    assert result.stderr.splitlines()[-2:] == [
        "5 fel, 0 varningar.", "Inget skrevs; den tidigare webbplatsen är oförändrad."]


def _without_feedback_endpoint(project: Path) -> str:
    """The example with no feedback endpoint: a warning. Returns the place it is reported."""
    replace(SITE, "  endpoint: https://feedback.example.se/lidkoping/sidfeedback\n", "")(project)
    line, column = place_of(project, SITE, "services_url:")
    return (f"{SITE}:{line}:{column}: varning: ingen mottagare för synpunkter är angiven, så "
            "formuläret för synpunkter visas inte")


def test_warnings_are_shown_and_counted_but_fail_only_with_strict(project, command):
    warning = _without_feedback_endpoint(project)
    checked = command(project, "check")
    assert checked.returncode == 0, checked.stderr
    assert warning in checked.stderr.splitlines()
    assert re.search(r"^0 fel, [1-9]\d* varningar\.$", checked.stderr, re.M)
    assert "Allt stämmer" in checked.stdout

    built = command(project, "build", "--today", "2026-11-25")
    assert built.returncode == 0, built.stderr
    assert warning in built.stderr.splitlines()
    before = snapshot(project / "site")

    replace(PROMISE, "title: Medborgarlöfte 2021", "title: Medborgarlöfte 2021 (ändrad)")(project)
    strict = command(project, "build", "--strict", "--today", "2026-11-25")
    assert strict.returncode == 1
    assert warning in strict.stderr.splitlines()
    assert re.search(r"^0 fel, [1-9]\d* varningar\.$", strict.stderr, re.M)
    assert "Inget skrevs; den tidigare webbplatsen är oförändrad." in strict.stderr
    assert snapshot(project / "site") == before
    # In a process of its own, as CI runs it: the strict check exits 1 and says why.
    strict_check = cli(project, "check", "--strict")
    assert strict_check.returncode == 1
    assert warning in strict_check.stderr.splitlines()


def test_warnings_found_before_a_later_error_are_still_shown_and_counted(project, command):
    warning = _without_feedback_endpoint(project)
    replace(PAGE, "[EST-områden](/est/)", "[EST-områden](/est-omraden/)")(project)
    result = command(project, "check")
    assert result.returncode == 1
    assert warning in result.stderr.splitlines()
    assert re.search(r"^1 fel, [1-9]\d* varningar\.$", result.stderr, re.M), result.stderr


# --- an alias bomb is refused quickly, in little memory ---------------------------------------


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (GIB, GIB))


@pytest.mark.parametrize("rel", [EST, SITE])
def test_an_alias_bomb_is_refused_quickly_and_in_little_memory(project, rel):
    write(rel, alias_bomb(levels=12))(project)  # 10**12 values if expanded
    started = time.monotonic()
    result = cli(project, "check", preexec_fn=_limit_memory)
    elapsed = time.monotonic() - started
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert f"{rel}: fel: filen växer till mer än 200000 värden" in result.stderr.splitlines()
    assert elapsed < 30, f"took {elapsed:.1f} s"  # a guard against expanding it, not a speed test


# --- bugs found: each shows the problem, and passes once it is fixed ---------------------------


def test_a_broken_link_in_markdown_inside_a_data_file_is_reported(project):
    agreement = "data/agreements/samverkan-2020-2023.yaml"
    replace(agreement, "(/uppfoljningar/uppfoljning-2021/)", "(/uppfoljningar/uppfoljning-2012/)")(
        project)
    [error] = build_errors(project)
    assert (error.path, error.line) == (
        agreement, place_of(project, agreement, "(/uppfoljningar/uppfoljning-2012/)")[0])
    assert error.text() == "the link '/uppfoljningar/uppfoljning-2012/' leads to no page on the site"


@pytest.mark.parametrize("change", [
    pytest.param(replace(PROMISE, "title: Medborgarlöfte 2021\n",
                         "title: Medborgarlöfte 2021\ntitle: Löfte 2021\n"), id="duplicate-key"),
    pytest.param(replace(PROMISE, "    how: Digital enkät", "\thow: Digital enkät"), id="tab"),
    pytest.param(write(PROMISE, ""), id="empty"),
    pytest.param(replace(PROMISE, "published: 2021-02-01", "published: 2021-02-30"),
                 id="not-a-real-date"),
])
def test_a_file_that_cannot_be_loaded_is_not_also_reported_as_missing_elsewhere(project, change):
    change(project)
    errors = build_errors(project)
    assert {e.path for e in errors} == {PROMISE}, [f"{e.where()}: {e.text()}" for e in errors]


def test_a_duplicated_promise_id_gives_one_error_not_false_missing_commitments(project):
    replace("data/promises/2022.yaml", "id: medborgarlofte-2022", "id: medborgarlofte-2021")(project)
    errors = build_errors(project)
    assert not any("commitment" in e.text() for e in errors), [
        f"{e.where()}: {e.text()}" for e in errors]


@pytest.mark.parametrize("text", [
    pytest.param("places: &p\n  - *p\n", id="recursive-alias"),
    pytest.param("places: " + "[" * 1000 + "]" * 1000 + "\n", id="nested-1000-deep"),
])
def test_a_recursive_alias_or_deep_nesting_is_an_input_error_not_a_crash(project, text):
    write(EST, "id: margretelund-anghagen\n" + text)(project)
    result = cli(project, "check")
    assert "Internt fel" not in result.stderr
    assert result.returncode == 1, result.stderr
    assert re.search(rf"^{re.escape(EST)}(:\d+)*: fel: ", result.stderr, re.M)


@pytest.mark.parametrize(("written", "shown"), [
    pytest.param("phone: 0510770000", "0510770000", id="phone-number-with-leading-zero"),
    pytest.param("phone: 18:30", "18:30", id="time-of-day"),
])
def test_a_number_where_text_is_expected_is_kept_or_quoted_as_written(project, written, shown):
    replace(SITE, 'phone: "0510-77 00 00"', written)(project)
    try:
        site = build_project(project, write=False).site
    except InputErrors as caught:
        [error] = caught.errors
        assert error.text() == f"expected a text, not '{shown}'"
    else:
        assert site.config.contact.phone == shown


def test_an_invisible_control_character_is_reported_with_its_line(project):
    replace(EST, "  - Änghagen\n", "  - Äng\x0bhagen\n")(project)
    [error] = build_errors(project)
    assert (error.path, error.line, error.column) == (EST, *place_of(project, EST, "\x0b"))
    assert "<unicode string>" not in error.text()


def test_a_huge_number_is_not_called_a_date(project):
    replace(INDICATOR, "target: 75", "target: " + "9" * 5000)(project)
    [error] = build_errors(project)
    assert "date" not in error.text()


@pytest.mark.parametrize(("old", "new", "at"), [
    pytest.param("meetings: varannan vecka", "meetings varannan vecka", "meetings varannan",
                 id="missing-colon"),
    pytest.param("title: Margretelund och Änghagen", 'title: "Margretelund och Änghagen',
                 'title: "Margretelund', id="unclosed-quote"),
])
def test_a_missing_colon_or_unclosed_quote_names_the_line_it_is_on(project, old, new, at):
    replace(EST, old, new)(project)
    [error] = build_errors(project)
    assert (error.path, error.line) == (EST, place_of(project, EST, at)[0])
