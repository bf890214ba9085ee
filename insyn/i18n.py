"""Translations of the tool's own words (messages to communicators), read from gettext catalogues.

Messages are written in English in the code, marked with `N_()`, and translated when shown,
in the language of the site (`language:` in data/site.yaml). The templates write theirs with
`_()`, and the default texts of data/site.yaml (the feedback form, the statuses, ...) are
messages too, so a site gets them in its own language unless it writes its own. The catalogues
are the .po files under insyn/locale/, read with Babel, so no compiled files are kept in the
repository.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import pickle
from functools import cache
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "insyn"
LANGUAGES = ("sv", "en")


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext marker name
    """Mark a message for translation; it is translated when shown, not here."""
    return message


class Term(str):
    """A word given as a value to a message ("the agreement"), translated along with it."""


def T_(word: str) -> Term:  # noqa: N802 - a marker like N_
    """Mark a word that fills a message's placeholder; extracted and translated like N_."""
    return Term(word)


def catalogue_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def _translations(language: str) -> dict[str, str]:
    path = catalogue_path(language)
    try:
        stat = path.stat()
    except OSError:
        return {}
    # Reading the catalogue with Babel costs every command 40 ms; like Python's own .pyc
    # files, the table is kept in __pycache__ beside it, under the catalogue's time and size.
    stamp = (stat.st_mtime_ns, stat.st_size)
    kept = path.parent / "__pycache__" / f"{path.name}.pickle"
    try:
        with kept.open("rb") as file:
            kept_stamp, table = pickle.load(file)
        if kept_stamp == stamp:
            return table
    except Exception:  # noqa: BLE001 - missing, damaged or foreign: read the catalogue
        pass
    from babel.messages.pofile import read_po

    with path.open("rb") as file:
        catalogue = read_po(file, locale=language)
    table = {str(m.id): str(m.string) for m in catalogue if m.id and m.string and not m.fuzzy}
    try:
        kept.parent.mkdir(exist_ok=True)
        temporary = kept.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(pickle.dumps((stamp, table), protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(temporary, kept)
    except OSError:  # a read-only installation: read the catalogue each time
        pass
    return table


@cache
def translations_digest(language: str) -> str:
    """What the translations into `language` are: kept compiled templates are checked on it."""
    table = sorted(_translations(language).items()) if language != "en" else []
    return hashlib.sha256(repr(table).encode()).hexdigest()


def translate(message: str, language: str) -> str:
    """The message in `language`, or as written when there is no translation."""
    if not message or language == "en":
        return message
    return _translations(language).get(message, message)


def is_message(text: str) -> bool:
    """Is `text` one of the tool's own messages (in English, as marked in the code)?

    A default text of data/site.yaml is a message and is shown in the site's language; a text
    the organisation wrote itself is not, and is shown as written.
    """
    return any(text in _translations(language) for language in LANGUAGES if language != "en")


LANGUAGE_LINKS = {"sv": N_("In Swedish"), "en": N_("In English")}
"""The text of a link to a page's version in another language, shown in that language."""


def language_link(language: str) -> str:
    """'På svenska', 'In English': the name of a link to a version in `language`."""
    return translate(LANGUAGE_LINKS[language], language)


TEMPLATES_DIR = Path(__file__).parent.parent / "templates"
"""The templates shipped with the tool, whose _() and {% trans %} texts are in the catalogues."""


def _message_ids(found) -> list[str]:
    ids = []
    for _, _, message, _, _ in found:
        # ngettext gives (singular, plural): both are translated.
        ids += [str(m) for m in message] if isinstance(message, tuple) else [str(message)]
    return ids


def extract_messages() -> list[str]:
    """Every message marked in the package (N_, T_) and in the shipped templates (_, trans)."""
    from babel.messages.extract import extract_from_dir

    package = Path(__file__).parent
    found = _message_ids(extract_from_dir(package, method_map=[("**.py", "python")],
                                          keywords={"N_": None, "T_": None}, comment_tags=()))
    if TEMPLATES_DIR.is_dir():
        found += _message_ids(extract_from_dir(
            TEMPLATES_DIR, method_map=[("**.html", "jinja2.ext:babel_extract")],
            options_map={"**.html": {"extensions": "jinja2.ext.i18n", "trim_blocks": "true",
                                     "lstrip_blocks": "true"}},
            keywords={"_": None, "gettext": None, "ngettext": (1, 2)}, comment_tags=()))
    return list(dict.fromkeys(found))


def update_catalogues() -> None:
    """Add new messages to every catalogue, keeping the translations already made."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    # A fixed date keeps the catalogue's header from changing on every run.
    template = Catalog(project="insyn", domain=DOMAIN,
                       creation_date=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
    for message in extract_messages():
        template.add(message)
    for language in LANGUAGES:
        if language == "en":
            continue
        path = catalogue_path(language)
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_file():
            with path.open("rb") as file:
                catalogue = read_po(file, locale=language)
        else:
            catalogue = Catalog(locale=language, project="insyn", domain=DOMAIN)
        catalogue.update(template, no_fuzzy_matching=True)
        with path.open("wb") as file:
            write_po(file, catalogue, width=100, omit_header=False, sort_output=False,
                     ignore_obsolete=True, include_previous=False)


if __name__ == "__main__":
    # After adding or changing messages: python -m insyn.i18n, then translate the empty entries.
    update_catalogues()
