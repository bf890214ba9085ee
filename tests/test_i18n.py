"""The tool's own messages and the templates' words: every one translated into Swedish, with the
same placeholders; Babel formats dates, numbers and sizes per language."""

import datetime as dt
import re
import string

import pytest

from insyn.i18n import _translations, extract_messages, is_message, language_link, translate
from insyn.render import format_date, format_month, format_number, format_size

MESSAGES = extract_messages()


def placeholders(text: str) -> set[str]:
    """{name} of Python's str.format and %(name)s of the templates' newstyle gettext."""
    braces = {name for _, name, _, _ in string.Formatter().parse(text) if name}
    return braces | set(re.findall(r"%\((\w+)\)[sd]", text))


def test_messages_are_found_in_the_code_and_in_the_templates():
    assert len(MESSAGES) > 400
    assert "the file is empty" in MESSAGES  # insyn/sources.py
    assert "Published:" in MESSAGES  # templates/partials/page_meta.html
    assert "Help us improve this page" in MESSAGES  # a default of data/site.yaml


@pytest.mark.parametrize("message", MESSAGES)
def test_every_message_has_a_swedish_translation_with_the_same_placeholders(message):
    swedish = _translations("sv").get(message)
    assert swedish, f"not translated: {message!r} (run python -m insyn.i18n and translate it)"
    assert placeholders(swedish) == placeholders(message)


def test_english_is_the_message_itself_and_unknown_text_passes_through():
    assert translate("the file is empty", "en") == "the file is empty"
    assert translate("the file is empty", "sv") == "filen är tom"
    assert translate("no such message", "sv") == "no such message"
    assert is_message("Done") and not is_message("Genomfört")


def test_a_language_link_is_written_in_the_language_it_leads_to():
    assert language_link("en") == "In English"
    assert language_link("sv") == "På svenska"


def test_dates_numbers_and_sizes_follow_the_language():
    assert format_date(dt.date(2021, 2, 1), "sv") == "1 februari 2021"
    assert format_date(dt.date(2021, 2, 1), "en") == "1 February 2021"
    assert format_month("2024-03", "en") == "March 2024"
    assert format_number(1234.5, language="sv") == "1\u00a0234,5"
    assert format_number(1234.5, language="en") == "1,234.5"
    assert format_size(337_400, "sv") == "337,4 kB"
    assert format_size(337_400, "en") == "337.4 kB"
    assert (format_size(812, "sv"), format_size(812, "en")) == ("812 byte", "812 bytes")


def test_the_kept_table_of_translations_gives_the_catalogue_and_follows_its_changes(
        tmp_path, monkeypatch):
    import shutil

    from insyn import i18n

    locale = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, locale, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
    message = "the file is empty"
    read = []
    for _ in range(2):  # read from the catalogue, then from the table kept beside it
        _translations.cache_clear()
        read.append(translate(message, "sv"))
    assert read[0] == read[1] != message
    kept = next(locale.rglob("__pycache__/*.pickle"))
    kept.write_bytes(b"damaged")
    _translations.cache_clear()
    assert translate(message, "sv") == read[0]
    catalogue = i18n.catalogue_path("sv")
    text = catalogue.read_text(encoding="utf-8")
    catalogue.write_text(text.replace(f'msgstr "{read[0]}"', 'msgstr "filen är tom!"'),
                         encoding="utf-8")
    _translations.cache_clear()
    assert translate(message, "sv") == "filen är tom!"
    _translations.cache_clear()
