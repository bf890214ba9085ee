"""LOAD: read YAML files and Markdown front matter into plain values, keeping the place of each value.

Every value's line and column is kept in `SourceFile.positions`, keyed by its path inside the
document (for example `("commitments", 2, "due")`), so that a later stage can point at it.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import pickle
import re
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError, InputErrors, relative
from .i18n import N_
from .workers import can_fork, forked_map

Loc = tuple[str | int, ...]

MAX_FILE_BYTES = 2_000_000
"""A data file larger than this is refused: no communicator writes one, and it would slow every build."""
MAX_NODES = 200_000
"""Refuse documents that expand into more values than this (an alias bomb, or a runaway file)."""
MAX_DEPTH = 50
"""Refuse values nested deeper than this: no data file needs it, and Python's stack is finite."""

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """A safe loader that reads only true/false as booleans (YAML 1.2), so `no` or `on` stay text."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers
            if tag not in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")]
    for first, resolvers in _Loader.yaml_implicit_resolvers.items()
}
# YAML 1.2 numbers: no octal 0510770000, no base-60 18:30; a phone number stays as written.
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789"))
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$|^[-+]?[0-9]+[eE][-+]?[0-9]+$"),
    list("-+0123456789."))
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


@dataclass
class SourceFile:
    """One input file, its plain data and where each value stands."""

    path: Path
    rel: str
    """Path relative to the project root, as shown in messages."""
    data: Any
    positions: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    """Line and column (1-based) of each value."""
    key_positions: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    """Line and column of the key that holds each mapping value."""
    body_text: str | None = ""
    """For Markdown: the text after the front matter (None: not read yet, see `body`)."""
    body_line: int = 1
    """For Markdown: the line the body starts on."""
    digest: str = ""
    """SHA-256 of the file's bytes: what later stages key their caches on."""
    head_digest: str = ""
    """For Markdown: SHA-256 of the front matter with its '---' lines (see `split_page`)."""

    positions_pending: bool = False
    """Taken from the cache without its positions; they are read again when first needed."""

    def position(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """The place of a value, or of its nearest enclosing value when it is missing."""
        if self.positions_pending:
            self._read_positions()
        table = self.key_positions if key else self.positions
        if loc in table:
            return table[loc]
        while loc:
            loc = loc[:-1]
            if loc in self.positions:
                return self.positions[loc]
        return (1, 1)

    def _read_positions(self) -> None:
        # The file is unchanged since it was cached (same size and time), so parsing it again
        # gives the same values, now with their places. Only an error ever needs them.
        fresh = self._read_again()
        self.positions, self.key_positions = fresh.positions, fresh.key_positions
        self.positions_pending = False

    @property
    def body(self) -> str:
        """For Markdown: the text after the front matter. A page taken from the cache reads it
        from its file when first asked (only pages rendered again need it), so a large site's
        cache and memory do not hold every page's text."""
        if self.body_text is None:
            # The front matter was parsed before: only the text after it is needed here.
            raw = self._bytes_as_read()
            parts = split_page(decode(raw, self.rel))
            self.body_text = parts[1] if parts else ""
        return self.body_text

    def _bytes_as_read(self) -> bytes:
        """The file's bytes, which must be those the build read before."""
        raw = read_bytes(self.path)
        if hashlib.sha256(raw).hexdigest() != self.digest:
            raise InputErrors([_changed_while_built(self.rel)])
        return raw

    def _read_again(self) -> SourceFile:
        loader = load_markdown_file if self.path.suffix == ".md" else load_yaml_file
        fresh = loader(self.path, self.path.parents[len(Path(self.rel).parts) - 1])
        if fresh.digest != self.digest:
            raise InputErrors([_changed_while_built(self.rel)])
        return fresh

    def error(self, loc: Loc, message: str, hint: str = "", /, *, key: bool = False,
              severity: str = "error", **params: object) -> InputError:
        """An error at the value (or with key=True, the key) at `loc`; see InputError.at."""
        line, column = self.position(loc, key=key)
        return InputError.at(self.rel, line, column, message, hint, severity=severity, **params)


def _changed_while_built(rel: str) -> InputError:
    return InputError.at(rel, 0, 0, N_("the file changed while the site was being built"),
                         N_("build again"))


class _Builder:
    """Turns composed YAML nodes into plain values, recording marks and refusing duplicate keys."""

    def __init__(self, loader: _Loader, source: SourceFile, line_offset: int):
        self.loader = loader
        self.source = source
        self.line_offset = line_offset
        self.nodes = 0
        self.errors: list[InputError] = []

    def mark(self, node: yaml.Node) -> tuple[int, int]:
        return (node.start_mark.line + 1 + self.line_offset, node.start_mark.column + 1)

    def build(self, node: yaml.Node, loc: Loc, within: frozenset[int] = frozenset()) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _TooLarge
        if len(loc) > MAX_DEPTH:
            raise _TooDeep
        if id(node) in within:
            raise _Recursive(self.mark(node))  # an alias that contains itself
        self.source.positions[loc] = self.mark(node)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, loc, within | {id(node)})
        if isinstance(node, yaml.SequenceNode):
            inner = within | {id(node)}
            return [self.build(item, (*loc, i), inner) for i, item in enumerate(node.value)]
        try:
            return self.loader.construct_object(node, deep=True)
        except ValueError:
            if node.tag != "tag:yaml.org,2002:timestamp":
                raise
            # PyYAML read it as a date, but there is no such day (2021-02-30).
            line, column = self.mark(node)
            self.errors.append(InputError.at(
                self.source.rel, line, column, N_("'{value}' is not a real date"),
                N_("write an existing date like 2024-03-01 (year-month-day)"), value=node.value))
            return None

    def _mapping(self, node: yaml.MappingNode, loc: Loc, within: frozenset[int]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                line, column = self.mark(key_node)
                self.errors.append(InputError.at(
                    self.source.rel, line, column, N_("merge keys (<<) are not supported"),
                    N_("write the fields out in full")))
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                line, column = self.mark(key_node)
                self.errors.append(InputError.at(self.source.rel, line, column,
                                                 N_("a key must be a plain word")))
                continue
            key = str(key_node.value)
            key_loc = (*loc, key)
            if key in result:
                line, column = self.mark(key_node)
                first_line = self.source.key_positions[key_loc][0]
                self.errors.append(InputError.at(
                    self.source.rel, line, column,
                    N_("the key '{key}' is written twice (first on line {first_line})"),
                    N_("keep one of them: otherwise only the last would count"),
                    key=key, first_line=first_line))
                continue
            self.source.key_positions[key_loc] = self.mark(key_node)
            result[key] = self.build(value_node, key_loc, within)
        return result


class _TooLarge(Exception):
    pass


class _TooDeep(Exception):
    pass


class _Recursive(Exception):
    def __init__(self, mark: tuple[int, int]) -> None:
        super().__init__()
        self.line, self.column = mark


def _yaml_error(rel: str, exc: yaml.YAMLError, text: str, line_offset: int) -> InputError:
    if isinstance(exc, yaml.reader.ReaderError):
        position = exc.position
        if _BaseLoader is not yaml.SafeLoader:  # libyaml counts bytes of UTF-8, not characters
            position = len(text.encode("utf-8")[:position].decode("utf-8", "ignore"))
        before = text[:position]
        line = before.count("\n") + 1 + line_offset
        column = len(before) - (before.rfind("\n") + 1) + 1
        return InputError.at(rel, line, column, N_("the text contains an invisible control "
                                                   "character"),
                             N_("delete the character and type the text again (it often comes "
                                "with text pasted from a word processor)"))
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    context = getattr(exc, "context", None) or ""
    if context.startswith(("while scanning a simple key", "while scanning a quoted scalar")):
        # PyYAML notices where it gave up; the mistake is where the key or quote began.
        mark = getattr(exc, "context_mark", None) or mark
    line = mark.line + 1 + line_offset if mark else 0
    column = mark.column + 1 if mark else 0
    problem = getattr(exc, "problem", None) or str(exc)
    at_mark = text[mark.index] if mark and 0 <= mark.index < len(text) else ""
    if at_mark == "\t" or "\\t" in problem:
        return InputError.at(rel, line, column, N_("a tab character is used for indentation"),
                             N_("indent with spaces only (two spaces per level)"))
    if "mapping values are not allowed" in problem:
        return InputError.at(rel, line, column, N_("a colon follows text on the same line"),
                             N_("put quotes around text that contains ': ', for example: "
                                "title: \"Mål: trygghet\""))
    unclosed = _unclosed_quote(text, mark.line if mark else len(text.splitlines()))
    if unclosed:
        return InputError.at(rel, unclosed[0] + 1 + line_offset, unclosed[1] + 1,
                             N_("a quote is opened but not closed on the same line"),
                             N_("end the text with the same quote mark, for example: "
                                "title: \"Mål och åtgärder\""))
    hint = ""
    if "could not find expected ':'" in problem or "expected <block end>" in problem:
        hint = N_("check the indentation: items at the same level must start in the same column")
    return InputError.at(rel, line, column, N_("the YAML cannot be read: {problem}"), hint,
                         problem=problem)


_OPENING_QUOTE = re.compile(r"""^[ \t]*(?:-[ \t]+)?(?:[^\s"'#][^:#]*:[ \t]+)?(["'])(.*)$""")


def _unclosed_quote(text: str, last_line: int) -> tuple[int, int] | None:
    """(line, column), 0-based, of the last quote opened and not closed on its line, up to
    `last_line`. A forgotten closing quote swallows the lines after it up to the next quote
    mark, so PyYAML only fails further down; this is where the mistake was made."""
    lines = text.split("\n")[:last_line + 1]
    for number in range(len(lines) - 1, -1, -1):
        match = _OPENING_QUOTE.match(lines[number])
        if not match:
            continue
        quote, rest = match.groups()
        escaped = ("\\\\", '\\"') if quote == '"' else ("''",)
        for pair in escaped:
            rest = rest.replace(pair, "")
        if quote not in rest:
            return number, match.start(1)
    return None


def read_bytes(path: Path | str) -> bytes:
    """A file's bytes in four system calls (open, fstat, read, close). Path.read_bytes makes
    nine (it asks whether the file is a terminal, where it stands, twice its size, and reads
    once more to see the end): a large site reads each page twice."""
    descriptor = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        size = os.fstat(descriptor).st_size
        data = os.read(descriptor, size + 1)  # one more than its size: a short read is the end
        if len(data) <= size:
            return data
        parts = [data]  # it grew since fstat: read on to the end
        while part := os.read(descriptor, 1 << 16):
            parts.append(part)
        return b"".join(parts)
    finally:
        os.close(descriptor)


def read_text(path: Path, rel: str) -> str:
    """Read a UTF-8 text file, refusing oversized and non-UTF-8 files with a clear message."""
    return decode(read_bytes(path), rel)


def decode(raw: bytes, rel: str) -> str:
    size = len(raw)
    if size > MAX_FILE_BYTES:
        raise InputErrors([InputError.at(
            rel, 0, 0, N_("the file is too large ({size} bytes)"),
            N_("split it; files up to {limit} bytes are read"), size=size, limit=MAX_FILE_BYTES)])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputErrors([InputError.at(
            rel, line, 0, N_("the file is not saved as UTF-8 text"),
            N_("save it again with the encoding UTF-8 (in VS Code: 'Save with Encoding')"))]) from None
    return text.removeprefix("\ufeff")


def parse_yaml(text: str, source: SourceFile, line_offset: int = 0) -> Any:
    """Parse one YAML document into plain values, recording positions in `source`."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise InputErrors([InputError.at(source.rel, 1, 0, N_("the file is empty"),
                                             N_("fill it in; see the examples under data/"))])
        builder = _Builder(loader, source, line_offset)
        data = builder.build(node, ())
    except yaml.YAMLError as exc:
        raise InputErrors([_yaml_error(source.rel, exc, text, line_offset)]) from None
    except _TooLarge:
        raise InputErrors([InputError.at(
            source.rel, 0, 0, N_("the file expands into more than {limit} values"),
            N_("remove anchors and aliases (& and *), or split the file"), limit=MAX_NODES)]) from None
    except (_TooDeep, RecursionError):
        raise InputErrors([InputError.at(
            source.rel, 0, 0, N_("the values in the file are nested more than {limit} levels deep"),
            N_("check the indentation and the brackets [ ] and {{ }}"), limit=MAX_DEPTH)]) from None
    except _Recursive as exc:
        raise InputErrors([InputError.at(
            source.rel, exc.line, exc.column, N_("an alias (*) refers to a value that contains it"),
            N_("write the values out instead of using & and *"))]) from None
    except ValueError:
        raise InputErrors([InputError.at(
            source.rel, 0, 0, N_("a value in the file is too large to read"),
            N_("check the numbers in the file; put long texts in quotes"))]) from None
    finally:
        loader.dispose()
    if builder.errors:
        raise InputErrors(builder.errors)
    return data


def load_yaml_file(path: Path, root: Path) -> SourceFile:
    rel = relative(path, root)
    raw = read_bytes(path)
    source = SourceFile(path=path, rel=rel, data=None, digest=hashlib.sha256(raw).hexdigest())
    source.data = parse_yaml(decode(raw, rel), source)
    return source


_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?---[ \t]*(?:\r?\n|\Z)", re.S)


def split_page(text: str) -> tuple[str, str] | None:
    """A Markdown page's head (the front matter with its '---' lines) and body; None without
    front matter."""
    match = _FRONT_MATTER.match(text)
    return (text[:match.end()], text[match.end():]) if match else None


def head_digest(head: str) -> str:
    return hashlib.sha256(head.encode("utf-8")).hexdigest()


_SIMPLE_ENTRY = re.compile(
    r"""([A-Za-z_][A-Za-z0-9_]*):[ ]+(?:"([^"\\]*)"|'([^']*)'|([^-?:,\[\]{}#&*!|>'"%@`\s][^\t]*?))[ ]*""")
"""`key: value` on one line, the value in double quotes (no escapes), single quotes (none
doubled) or plain, starting with no YAML indicator."""
_STR, _TIMESTAMP, _INT, _BOOL = (f"tag:yaml.org,2002:{name}"
                                 for name in ("str", "timestamp", "int", "bool"))
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_NOT_SIMPLE = object()


def _plain_value(text: str) -> Any:
    """A plain scalar as the loader reads it, or _NOT_SIMPLE for any it reads otherwise."""
    if ": " in text or " #" in text or text.endswith(":"):
        return _NOT_SIMPLE  # a mapping or a comment, or an error: the parser says which
    tag = next((tag for tag, pattern in _Loader.yaml_implicit_resolvers.get(text[0], ())
                if pattern.match(text)), _STR)
    if tag == _STR:
        return text
    if tag == _INT:
        return int(text)
    if tag == _BOOL:
        return text in ("true", "True", "TRUE")
    date = _DATE.fullmatch(text) if tag == _TIMESTAMP else None
    if date:
        try:
            return dt.date(*(int(part) for part in date.groups()))
        except ValueError:
            pass  # a day that does not exist: the parser says so
    return _NOT_SIMPLE


def simple_front_matter(front: str) -> dict[str, Any] | None:
    """The values of front matter written as `key: value` lines only (most pages' is), read
    without the YAML parser (28 µs a page, most of parsing one); None for anything else, which
    the parser reads. Gives exactly what the parser gives, or None (tested on both)."""
    data: dict[str, Any] = {}
    for line in front.split("\n")[:-1]:
        entry = _SIMPLE_ENTRY.fullmatch(line)
        if entry is None or not line.isprintable():
            return None
        key, double, single, plain = entry.groups()
        if key in data or len(key) > 200 or _plain_value(key) != key:
            return None  # twice (an error), too long to be a key, or read as another type
        value = _plain_value(plain) if plain is not None else (
            double if double is not None else single)
        if value is _NOT_SIMPLE:
            return None
        data[key] = value
    return data if front.endswith("\n") else None


def load_markdown_file(path: Path, root: Path, *, positions: bool = True) -> SourceFile:
    """A Markdown page: YAML front matter between '---' lines, then the body. Without
    `positions` (the places of the values, for messages), simple front matter is read without
    the YAML parser; the places are then read again if a message needs them."""
    rel = relative(path, root)
    raw = read_bytes(path)
    text = decode(raw, rel)
    source = SourceFile(path=path, rel=rel, data=None, digest=hashlib.sha256(raw).hexdigest())
    parts = split_page(text)
    if parts is None:
        raise InputErrors([InputError.at(
            rel, 1, 1, N_("the page has no front matter"),
            N_("start the file with a '---' line, then 'title: ...' and 'published: 2024-01-31', "
               "then another '---' line"))])
    head, source.body_text = parts
    front = _FRONT_MATTER.match(head).group(1) or ""
    simple = None if positions else simple_front_matter(front)
    if simple is not None:
        source.data, source.positions_pending = simple, True
    else:
        source.data = parse_yaml(front, source, line_offset=1) if front.strip() else {}
    source.body_line = head.count("\n") + 1
    source.head_digest = head_digest(head)
    return source


def stamp_of(path: str | Path) -> tuple[int, int, int]:
    """What tells a file changed without reading it: modification time, change time (it moves
    on every write, even one that keeps size and modification time) and size."""
    stat = os.stat(path)
    return (stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size)


def keep_pickled(path: Path, value: Any) -> None:
    """Write a cache file under .insyn-cache whole or not at all (a stopped build leaves the
    old one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    with temporary.open("wb") as file:
        pickle.dump(value, file, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, path)


def _kept(source: SourceFile) -> tuple:
    """What is kept of a parsed file (in the cache, and sent back by a parsing worker).
    Positions and Markdown bodies are left out: they are nearly all of the size, and only
    errors, and pages rendered again, need them (they are read again then)."""
    return (source.rel, source.data, source.body_line, source.digest, source.head_digest)


def _from_kept(path: Path, kept: tuple) -> SourceFile:
    rel, data, body_line, digest, head = kept
    body = None if path.suffix == ".md" else ""
    return SourceFile(path=path, rel=rel, data=data, body_text=body, body_line=body_line,
                      digest=digest, head_digest=head, positions_pending=True)


class SourceCache:
    """Files parsed by an earlier build, reused while their size and modification time hold.

    Kept as a pickle under .insyn-cache/ (the tool's own file, safe to delete): a large site
    then spends no time parsing the thousands of pages that did not change.
    """

    FORMAT = 5
    """Raised whenever the entries change shape, so an older cache is ignored, never misread."""

    def __init__(self, path: Path | None, stamps: dict[str, tuple[int, int, int]] | None = None,
                 ) -> None:
        self.path = path
        self.stamps = stamps or {}
        """Stamps the build took already (insyn.quick.input_stamps), by path."""
        self.old: dict[str, tuple] = {}
        self.new: dict[str, tuple] = {}
        if path is not None:
            try:
                with path.open("rb") as file:
                    stored = pickle.load(file)
                if stored.get("format") == self.FORMAT:
                    self.old = stored["files"]
            except Exception:  # noqa: BLE001 - a damaged or foreign cache is simply not used
                self.old = {}

    def lookup(self, path: Path) -> tuple[SourceFile | None, tuple[int, int, int]]:
        """The file as parsed before, if it is unchanged since; and its stamp, for `remember`."""
        key = str(path)
        stamp = self.stamps.get(key) or stamp_of(key)
        cached = self.old.get(key)
        if not cached or cached[0] != stamp:
            return None, stamp
        self.new[key] = cached
        return _from_kept(path, cached[1]), stamp

    def remember(self, source: SourceFile, stamp: tuple[int, int, int]) -> None:
        self.new[source.path.as_posix()] = (stamp, _kept(source))

    def save(self) -> None:
        if self.path is None or self.new == self.old:
            return
        keep_pickled(self.path, {"format": self.FORMAT, "files": self.new})


def load_all(paths: Iterable[Path], root: Path, loader, cache: SourceCache | None = None,
             on_broken: Callable[[Path], None] | None = None,
             meanwhile: Callable[[], object] | None = None,
             ) -> tuple[list[SourceFile], list[InputError]]:
    """Load many files, collecting every file's errors instead of stopping at the first;
    `on_broken` is told of each file that cannot be read. `meanwhile()` is run once, while
    worker processes parse the files if they do."""
    cache = cache or SourceCache(None)
    found = [(path, *cache.lookup(path)) for path in paths]
    fresh = iter(_parse_all([path for path, source, _ in found if source is None], root, loader,
                            meanwhile))
    sources: list[SourceFile] = []
    errors: list[InputError] = []
    for path, source, stamp in found:
        if source is None:
            parsed = next(fresh)
            if isinstance(parsed, list):
                errors.extend(parsed)
                if on_broken is not None:
                    on_broken(path)
                continue
            source = parsed
            cache.remember(source, stamp)
        sources.append(source)
    return sources, errors


PARALLEL_LOAD_FROM = 500
"""From this many files to parse, they are parsed by worker processes on every core."""

def _parse(path: Path, root: Path, loader) -> SourceFile | list[InputError]:
    """A parsed file, or its errors (as a list: InputErrors does not survive pickling)."""
    try:
        return loader(path, root)
    except InputErrors as exc:
        return exc.errors


def _parse_all(paths: list[Path], root: Path, loader,
               meanwhile: Callable[[], object] | None = None,
               ) -> list[SourceFile | list[InputError]]:
    """Parse files in order: in worker processes when there are many (a first build of a large
    site), else here; `meanwhile()` is run once, while the workers parse."""
    processes = os.cpu_count() or 1
    if len(paths) < PARALLEL_LOAD_FROM or not can_fork(processes):
        parsed = [_parse(path, root, loader) for path in paths]
        if meanwhile is not None:
            meanwhile()
        return parsed
    # Only what is kept of each file crosses back (a tuple pickles in a fifth of the time).
    if loader is load_markdown_file:  # the places of values are not sent back anyway
        loader = functools.partial(load_markdown_file, positions=False)
    parsed = forked_map(lambda path: _kept_or_errors(_parse(path, root, loader)), paths,
                        processes, meanwhile=meanwhile)
    return [_from_kept(path, done) if isinstance(done, tuple) else done
            for path, done in zip(paths, parsed, strict=True)]


def _kept_or_errors(parsed: SourceFile | list[InputError]) -> tuple | list[InputError]:
    return _kept(parsed) if isinstance(parsed, SourceFile) else parsed


_ID_LINE = re.compile(rb"^id:[ \t]*['\"]?([a-z0-9][a-z0-9-]*)['\"]?[ \t]*(?:#.*)?$", re.M)


def _id_written_in(path: Path) -> str | None:
    """The id a data file gives itself, read from its text even when the YAML is broken."""
    try:
        found = _ID_LINE.search(path.read_bytes()[:MAX_FILE_BYTES])
    except OSError:
        return None
    return found.group(1).decode() if found else None


DATA_KINDS = ("agreements", "promises", "follow-ups", "indicators", "est")
"""The folders under data/, one YAML file per thing."""


@dataclass
class ProjectSources:
    """Every input file of a project, loaded but not yet validated."""

    root: Path
    site: SourceFile | None
    data: dict[str, list[SourceFile]]
    pages: list[SourceFile]
    files: dict[str, Path]
    """Attachment files under files/, keyed by their path relative to the root (files/x.pdf)."""
    broken_ids: set[str] = field(default_factory=set)
    """Ids of data files that could not be read, so that files referring to them are not also
    told the id is missing: the file's own error says why."""
    unidentified: set[str] = field(default_factory=set)
    """Kinds (folders under data/) with a file that cannot be read and names no id (an empty
    file): any id of that kind may be the one it meant to have."""


def files_under_as_text(folder: Path | str, suffixes: tuple[str, ...] = ()) -> list[str]:
    """The files under a folder (with one of these suffixes, if given), sorted as paths sort.

    os.scandir rather than Path.rglob: sorting thousands of Path objects costs a large site a
    tenth of a second on every build. As with rglob, links to folders are not followed; links
    to files are taken, and broken links left out.
    """
    found: list[tuple[list[str], str]] = []

    def walk(directory: str, parts: list[str]) -> None:
        try:
            entries = list(os.scandir(directory))
        except (FileNotFoundError, NotADirectoryError):
            return
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                walk(entry.path, [*parts, entry.name])
            elif entry.is_file() and (not suffixes or os.path.splitext(entry.name)[1] in suffixes):
                found.append(([*parts, entry.name], entry.path))

    walk(str(folder), [])
    found.sort(key=lambda entry: entry[0])
    return [path for _, path in found]


def files_under(folder: Path, suffixes: tuple[str, ...] = ()) -> list[Path]:
    return [Path(path) for path in files_under_as_text(folder, suffixes)]


def _yaml_files(folder: Path) -> list[Path]:
    return files_under(folder, (".yaml", ".yml"))


def load_project(root: Path, cache_file: Path | None = None,
                 stamps: dict[str, tuple[int, int, int]] | None = None,
                 meanwhile: Callable[[], object] | None = None,
                 ) -> tuple[ProjectSources, list[InputError]]:
    """Read content/, data/ and files/ under `root`, collecting every file's errors.

    With `cache_file`, files unchanged since the last run are taken from it instead of parsed;
    `stamps` are the files' stamps if the build took them already. `meanwhile()` is run once,
    while the pages are parsed by worker processes if they are (see load_all).
    """
    cache = SourceCache(cache_file, stamps)
    errors: list[InputError] = []
    broken_ids: set[str] = set()
    unidentified: set[str] = set()
    site_path = root / "data" / "site.yaml"
    site = None
    if site_path.is_file():
        try:
            site = load_yaml_file(site_path, root)
        except InputErrors as exc:
            errors.extend(exc.errors)
    else:
        errors.append(InputError.at("data/site.yaml", 0, 0, N_("the file data/site.yaml is missing"),
                                    N_("create it; it names the organisation and the site")))
    data: dict[str, list[SourceFile]] = {}
    for kind in DATA_KINDS:
        def broken(path: Path, kind: str = kind) -> None:
            written = _id_written_in(path)
            if written:
                broken_ids.add(written)
            else:
                unidentified.add(kind)
        data[kind], kind_errors = load_all(_yaml_files(root / "data" / kind), root,
                                           load_yaml_file, cache, broken)
        errors.extend(kind_errors)
    content = root / "content"
    page_paths = files_under(content, (".md",))
    pages, page_errors = load_all(page_paths, root, load_markdown_file, cache,
                                  meanwhile=meanwhile)
    errors.extend(page_errors)
    files = {relative(p, root): p for p in files_under(root / "files")
             if not p.name.startswith(".")}
    cache.save()
    return ProjectSources(root, site, data, pages, files, broken_ids, unidentified), errors


# --- when each file last changed --------------------------------------------------------------

def _in_git_repository(root: Path) -> bool:
    """Without a .git above it (and no GIT_DIR), a folder is in no repository: asking git would
    only cost a process."""
    return "GIT_DIR" in os.environ or any(
        (folder / ".git").exists() for folder in (root.resolve(), *root.resolve().parents))


def git_dates(root: Path, today: dt.date) -> dict[str, dt.date]:
    """The date of the newest commit touching each file; files changed but not committed get today.

    Empty when `root` is not in a git repository (then "Senast uppdaterad" falls back to
    the published date).
    """
    return GitDates(root, today).result()


class GitDates:
    """git_dates(), asked of git when made and read by `result()`: the git processes run
    meanwhile, on a core the build's own work leaves free."""

    PATHS = ("--", "content", "data", "files")

    def __init__(self, root: Path, today: dt.date) -> None:
        self.today = today
        self.runs: list[subprocess.Popen] = []
        if not _in_git_repository(root):
            return
        for args in (("log", "--format=%x00%cs", "--name-only", "--relative", *self.PATHS),
                     ("status", "--porcelain", "--untracked-files=all", *self.PATHS),
                     ("rev-parse", "--show-prefix")):
            try:
                self.runs.append(subprocess.Popen(
                    ["git", "-c", "core.quotepath=off", *args], cwd=root, text=True,
                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL))
            except OSError:  # no git: no dates
                self.close()
                return

    def _output(self, run: subprocess.Popen) -> str | None:
        try:
            out, _ = run.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            run.kill()
            run.communicate()
            return None
        return out if run.returncode == 0 else None

    def result(self) -> dict[str, dt.date]:
        if not self.runs:
            return {}
        log, status, prefix = (self._output(run) for run in self.runs)
        self.runs = []
        if log is None:
            return {}
        dates: dict[str, dt.date] = {}
        current: dt.date | None = None
        for line in log.splitlines():
            if line.startswith("\x00"):
                current = dt.date.fromisoformat(line[1:])
            elif line and current and line not in dates:
                dates[line] = current
        prefix = (prefix or "").strip()
        for line in (status or "").splitlines():
            path = line[3:].split(" -> ")[-1].strip('"')
            dates[path.removeprefix(prefix)] = self.today
        return dates

    def close(self) -> None:
        """Stop asking (when the build stops before it needs the dates)."""
        for run in self.runs:
            if run.poll() is None:
                run.kill()
            run.communicate()
        self.runs = []
