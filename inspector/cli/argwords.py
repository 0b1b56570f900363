"""argparse's own words (usage, the errors it finds in a command line) in the user's language.

argparse words its messages through ``gettext``; it has no Chinese catalogue of its own, so the messages a
person can meet on a command line are in ours (``[cli.argparse]``, keyed by argparse's English text) and
are given to it here. Programming errors of a parser (a conflicting option) stay English.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from inspector import messages
from inspector.messages import Language

# argparse's English texts a user can meet, with the catalogue key of their words.
_KEYS = {
    "usage: ": "usage",
    "%(prog)s: error: %(message)s\n": "error",
    "argument %(argument_name)s: %(message)s": "argument",
    "the following arguments are required: %s": "required",
    "invalid choice: %(value)r (choose from %(choices)s)": "invalid_choice",
    "invalid %(type)s value: %(value)r": "invalid_value",
    "unrecognized arguments: %s": "unrecognized",
    "expected one argument": "expected_one",
    "expected at least one argument": "expected_at_least_one",
    "expected at most one argument": "expected_at_most_one",
    "ambiguous option: %(option)s could match %(matches)s": "ambiguous",
    "not allowed with argument %s": "not_allowed_with",
    "one of the arguments %s is required": "one_required",
    "ignored explicit argument %r": "ignored_explicit",
    "can't open '%(filename)s': %(error)s": "cannot_open",
    "positional arguments": "positional",
    "options": "options",
    "show this help message and exit": "help",
    "show program's version number and exit": "version",
}


def requested_language(argv: Sequence[str]) -> Language:
    """The language a command line asks for before it is parsed: ``--lang X`` (or ``--lang=X``), else the
    locale."""
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            return messages.language(argv[index + 1])
        if arg.startswith("--lang="):
            return messages.language(arg.partition("=")[2])
    return messages.language_from_environment()


def use_words(lang: Language) -> None:
    """Give argparse the words of ``lang`` for the messages it prints (English gives its own)."""

    def gettext(text: str) -> str:
        key = _KEYS.get(text)
        if key is None or lang == messages.DEFAULT_LANGUAGE:
            return text
        return messages.lookup(f"cli.argparse.{key}", lang) or text

    argparse._ = gettext  # type: ignore[attr-defined]  # argparse looks its words up through this name
