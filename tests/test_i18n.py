"""The tool's own messages: every one translated into Swedish, with the same placeholders."""

import string

import pytest

from insyn.i18n import _translations, extract_messages, translate

MESSAGES = extract_messages()


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_messages_are_found():
    assert len(MESSAGES) > 100


@pytest.mark.parametrize("message", MESSAGES)
def test_every_message_has_a_swedish_translation_with_the_same_placeholders(message):
    swedish = _translations("sv").get(message)
    assert swedish, f"not translated: {message!r} (run python -m insyn.i18n and translate it)"
    assert placeholders(swedish) == placeholders(message)


def test_english_is_the_message_itself_and_unknown_text_passes_through():
    assert translate("the file is empty", "en") == "the file is empty"
    assert translate("the file is empty", "sv") == "filen är tom"
    assert translate("no such message", "sv") == "no such message"
