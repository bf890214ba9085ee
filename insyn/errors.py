"""Input errors that name their place, and the one formatter used by build, check and serve.

A message is an English template marked with N_() (for example "the field '{name}' is missing")
plus its values; it is translated into the site's language only when shown.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .i18n import N_, Term, translate


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
    """What is wrong, in plain words: an English template with {placeholders}."""
    hint: str = ""
    """What to write instead, when we can tell (a template too)."""
    severity: str = "error"
    """"error" fails the build; "warning" is shown only."""
    params: tuple[tuple[str, object], ...] = field(default=(), compare=False)
    """The values for the placeholders of message and hint."""

    @classmethod
    def at(cls, path: str, line: int, column: int, message: str, hint: str = "", /, *,
           severity: str = "error", **params: object) -> InputError:
        """An error whose message and hint are templates filled with `params`."""
        return cls(path, line, column, message, hint, severity, tuple(sorted(params.items())))

    def text(self, language: str = "en") -> str:
        return self._fill(translate(self.message, language), language)

    def hint_text(self, language: str = "en") -> str:
        return self._fill(translate(self.hint, language), language)

    def _fill(self, template: str, language: str) -> str:
        if not self.params:
            return template
        values = {k: translate(v, language) if isinstance(v, Term) else v for k, v in self.params}
        return template.format(**values)

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

    def __reduce__(self):  # raised in a worker process, it reaches the build whole
        return (InputErrors, (self.errors,))


def relative(path: Path, root: Path) -> str:
    """Show a path relative to the project root, as communicators see it in their editor."""
    if path.is_absolute() == root.is_absolute():
        # The common case, by the text alone: a large site asks this of every file, and
        # Path.relative_to parses both paths again each time.
        path_text, root_text = str(path), str(root)
        prefix = root_text if root_text.endswith(os.sep) else root_text + os.sep
        if path_text.startswith(prefix):
            return path_text[len(prefix):].replace(os.sep, "/")
        if path_text == root_text:
            return "."
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


SEVERITY = {"error": N_("error"), "warning": N_("warning")}
HINT = N_("try")


def format_error(error: InputError, language: str = "en") -> str:
    severity = translate(SEVERITY[error.severity], language)
    text = f"{error.where()}: {severity}: {error.text(language)}"
    if error.hint:
        text += f"\n    {translate(HINT, language)}: {error.hint_text(language)}"
    return text


def format_errors(errors: list[InputError], language: str = "en") -> str:
    """All errors, sorted by file and line, then a count."""
    lines = [format_error(e, language) for e in sorted(errors)]
    n_errors = sum(1 for e in errors if e.severity == "error")
    lines.append(translate(N_("{errors} errors, {warnings} warnings."), language).format(
        errors=n_errors, warnings=len(errors) - n_errors))
    return "\n".join(lines)
