"""Input errors that name their place, and the one formatter used by build, check and serve."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class InputError:
    """One problem in the input that a communicator can fix."""

    path: str
    """File the problem is in, relative to the project root."""
    line: int = 0
    """1-based line, 0 when the problem concerns the whole file."""
    column: int = 0
    """1-based column, 0 when unknown."""
    message: str = ""
    """What is wrong, in plain words."""
    hint: str = ""
    """What to write instead, when we can tell."""
    severity: str = "error"
    """"error" fails the build; "warning" is shown only."""

    def where(self) -> str:
        place = self.path
        if self.line:
            place += f":{self.line}"
            if self.column:
                place += f":{self.column}"
        return place


class InputErrors(Exception):
    """Raised by a stage when the input has one or more errors; carries all of them."""

    def __init__(self, errors: list[InputError]):
        self.errors = sorted(errors)
        super().__init__(format_errors(self.errors))


def relative(path: Path, root: Path) -> str:
    """Show a path relative to the project root, as communicators see it in their editor."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


SEVERITY_WORDS = {"sv": {"error": "fel", "warning": "varning", "hint": "så här"},
                  "en": {"error": "error", "warning": "warning", "hint": "try"}}


def format_error(error: InputError, language: str = "en") -> str:
    words = SEVERITY_WORDS.get(language, SEVERITY_WORDS["en"])
    text = f"{error.where()}: {words[error.severity]}: {error.message}"
    if error.hint:
        text += f"\n    {words['hint']}: {error.hint}"
    return text


def format_errors(errors: list[InputError], language: str = "en") -> str:
    """All errors, sorted by file and line, then a count."""
    lines = [format_error(e, language) for e in sorted(errors)]
    n_errors = sum(1 for e in errors if e.severity == "error")
    n_warnings = len(errors) - n_errors
    if language == "sv":
        lines.append(f"{n_errors} fel, {n_warnings} varningar.")
    else:
        lines.append(f"{n_errors} errors, {n_warnings} warnings.")
    return "\n".join(lines)
