"""Command line: arguments, exit codes and printing errors. The only place that exits.

Exit codes: 0 success, 1 invalid input, 2 wrong usage, 70 an internal error (a bug in insyn).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import gc
import os
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from .errors import InputError, InputErrors, format_errors, relative
from .i18n import LANGUAGES, N_, translate
from .new import KINDS
from .options import CACHE_FOLDER
from .quick import quick_build

if TYPE_CHECKING:
    import jinja2

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 70
COMMANDS = ("build", "check", "serve", "new")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date like 2024-03-01, not '{text}'") from None


def _url(text: str) -> str:
    if not text.startswith(("http://", "https://")):
        raise argparse.ArgumentTypeError(f"expected an address starting with https://, not '{text}'")
    return text if text.endswith("/") else text + "/"


def make_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--root", type=Path, default=Path("."),
                        help="the project folder (default: the current folder)")
    common.add_argument("--today", type=_date, default=None,
                        help="build as if today were this date (YYYY-MM-DD), for reproducible builds")
    common.add_argument("--base-url", type=_url, default=None,
                        help="the published address, overriding base_url in data/site.yaml")
    common.add_argument("--feedback-endpoint", default=None,
                        help="where the feedback form posts, overriding data/site.yaml")
    common.add_argument("--strict", action="store_true",
                        help="treat warnings as errors: nothing is written if there is one")
    parser = argparse.ArgumentParser(
        prog="insyn", description="Build a transparency site from content/ and data/.")
    commands = parser.add_subparsers(dest="command", metavar="{build,check,serve,new}")
    build = commands.add_parser("build", parents=[common], help="build the site (the default)")
    build.add_argument("--out", type=Path, default=None, help="output folder (default: site/)")
    build.add_argument("--no-search", action="store_true",
                       help="skip the search index, for a quicker preview (the last index is kept)")
    check = commands.add_parser("check", parents=[common],
                                help="validate all input and check the language, write nothing")
    check.add_argument("--verbose", action="store_true",
                       help="also show how easy each page and data file is to read")
    serve = commands.add_parser("serve", parents=[common],
                                help="build, serve and rebuild on every change")
    serve.add_argument("--out", type=Path, default=None, help="output folder (default: site/)")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--host", default="127.0.0.1")
    new = commands.add_parser(
        "new", parents=[common], help="write a skeleton file: new promise 2027, "
        "new follow-up 2026, new agreement <id>, new est <id>, new page <name>")
    new.add_argument("kind", choices=KINDS)
    new.add_argument("name", help="a year for a promise; a promise's year or id for a follow-up; "
                     "otherwise the new file's id")
    return parser


def parse_args(argv: list[str]) -> argparse.Namespace:
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help")):
        argv = ["build", *argv]
    return make_parser().parse_args(argv)


def progress_bar(done: int, total: int) -> None:
    """A progress bar on the terminal for long builds; nothing when output goes elsewhere."""
    if total < 500 or not sys.stderr.isatty():
        return
    width = 30
    filled = width * done // total
    end = "\n" if done >= total else ""
    print(f"\r[{'#' * filled}{' ' * (width - filled)}] {done}/{total}", end=end,
          file=sys.stderr, flush=True)


def options_from(args: argparse.Namespace, *, write: bool):
    from .options import BuildOptions

    root = args.root.resolve()
    out = getattr(args, "out", None) or root / "site"
    return BuildOptions(root=root, out=out.resolve(), today=args.today or dt.date.today(),
                        progress=progress_bar,
                        base_url=args.base_url, feedback_endpoint=args.feedback_endpoint,
                        write=write, strict=args.strict, plain_language=not write,
                        search=not getattr(args, "no_search", False))


def describe_template_error(exc: jinja2.TemplateError, root: Path) -> InputError:
    """A template error names the template file and line, like a data error."""
    name = getattr(exc, "filename", None) or getattr(exc, "name", None)
    line = getattr(exc, "lineno", 0) or 0
    if name is None:
        # Undefined variables carry no position; the innermost template frame has it.
        for frame, lineno in traceback.walk_tb(exc.__traceback__):
            if frame.f_code.co_filename.endswith(".html"):
                name, line = frame.f_code.co_filename, lineno
    where = relative(Path(name), root) if name else "templates/"
    return InputError.at(where, line, 0, N_("template error: {problem}"),
                         N_("check the template near this line"), problem=exc.message or str(exc))


def site_language(root: Path) -> str:
    """The site's language, read leniently: messages must be in it even when the file is broken."""
    try:
        data = yaml.load((root / "data" / "site.yaml").read_text(encoding="utf-8"),
                         Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        language = data.get("language", "sv") if isinstance(data, dict) else "sv"
    except (OSError, ValueError, yaml.YAMLError):
        return "sv"
    return language if language in LANGUAGES else "sv"


def say(message: str, language: str, *, error: bool = False, **values: object) -> None:
    print(translate(message, language).format(**values), file=sys.stderr if error else sys.stdout,
          flush=True)


def run_new(args: argparse.Namespace, language: str) -> int:
    from .models import validate_project
    from .new import make_skeleton, write_skeleton
    from .sources import load_project

    root = args.root.resolve()
    sources, _ = load_project(root)
    docs, _ = validate_project(sources)
    skeleton = make_skeleton(args.kind, args.name, docs, args.today or dt.date.today())
    path = write_skeleton(root, skeleton)
    say(N_("Wrote {path}. Fill in the empty fields, then run: python build.py check"), language,
        path=relative(path, Path.cwd()))
    return EXIT_OK


def _without_cycle_collection(function, *args):
    """A one-off build makes hundreds of thousands of objects and drops few cycles: Python's
    cycle collector, run again and again as they are made, costs about 6 % of a large build and
    finds little. (Not for serve, which runs for hours.)"""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return function(*args)
    finally:
        if was_enabled:
            gc.enable()


def run(args: argparse.Namespace, language: str) -> int:
    if args.command == "new":
        return run_new(args, language)
    if args.command == "serve":
        from .serve import serve

        return serve(options_from(args, write=True), host=args.host, port=args.port,
                     language=language)
    options = options_from(args, write=args.command != "check")
    # Tried before the stages are imported: a quick rebuild needs few of them.
    result = quick_build(options, CACHE_FOLDER)
    if result is None:
        from .pipeline import build

        result = _without_cycle_collection(build, dataclasses.replace(options, quick=False))
    if result.warnings:
        print(format_errors(result.warnings, language), file=sys.stderr)
    if args.command == "check" and args.verbose:
        for summary in result.readability:
            print(summary.format(language))
    if args.command == "check":
        say(N_("The input is valid: {pages} pages checked in {seconds} s."), language,
            pages=result.pages, seconds=f"{result.seconds:.2f}")
    else:
        say(N_("Built {pages} pages into {out}/: {written} written, {unchanged} unchanged, "
               "{charts} charts drawn, in {seconds} s."), language, pages=result.pages,
            written=result.pages_written, unchanged=result.pages_unchanged,
            charts=result.charts_drawn, out=relative(options.out, Path.cwd()),
            seconds=f"{result.seconds:.2f}")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    try:
        args = parse_args(sys.argv[1:] if argv is None else argv)
    except SystemExit as exc:
        return EXIT_USAGE if exc.code not in (0, None) else EXIT_OK
    language = site_language(args.root)
    try:
        return run(args, language)
    except InputErrors as exc:
        print(format_errors(exc.errors, language), file=sys.stderr)
        say(N_("Nothing was written; the previous site is unchanged."), language, error=True)
        return EXIT_INPUT
    except KeyboardInterrupt:
        say(N_("Interrupted; the previous site is unchanged."), language, error=True)
        return 130
    except Exception as exc:  # noqa: BLE001 - the one place that turns bugs into a short report
        jinja2 = sys.modules.get("jinja2")  # loaded only once a build got to its templates
        if jinja2 is not None and isinstance(exc, jinja2.TemplateError):
            print(format_errors([describe_template_error(exc, args.root.resolve())], language),
                  file=sys.stderr)
            return EXIT_INPUT
        say(N_("Internal error in insyn: {problem}\nThis is a bug in the tool, not in your "
               "files. Please report it, with the command you ran."), language, error=True,
            problem=f"{type(exc).__name__}: {exc}")
        if os.environ.get("INSYN_DEBUG"):
            traceback.print_exc()
        return EXIT_INTERNAL


def entry() -> None:
    """The command line program (build.py and the `insyn` script): main(), then exit without
    tearing down the interpreter. Freeing a large site's objects one by one only delays the
    prompt (0.1-0.3 s at 10,000 pages); every file is written and closed by then."""
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
