"""The catalogues of words a person reads: error messages and the words for every stored code.

The core speaks in codes with parameters (an error's code, a load's state, an audit action); this package
turns them into words in English or Chinese, for the window, the command line and the certificate alike.
The words live in ``resources/messages/<language>/*.toml``, one catalogue per language split by area:

- ``[errors."<code>"]`` with ``text`` (what is wrong, with ``{name}`` placeholders) and optionally ``hint``
  (what to do);
- ``[words.<kind>]`` with ``<code> = "words"``: the words for one enumeration (``words.load_state``).

English is the reference: every key has its English words, and the tests fail when a key has no Chinese, when
the placeholders of the two disagree, or when code raises an error the catalogue does not know.
"""

from __future__ import annotations

import errno
import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal, Protocol, get_args

from inspector.resources import resources_dir

Language = Literal["en", "zh_CN"]
LANGUAGES: tuple[Language, ...] = get_args(Language)
DEFAULT_LANGUAGE: Language = "en"
# The environment variables that name the user's language, strongest first (POSIX order; GNU's LANGUAGE,
# a list of preferences, comes first unless the locale is C).
_LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")


class CatalogueError(Exception):
    """A catalogue file is malformed: a packaging or editing mistake, found by the tests."""


def language(value: str | None) -> Language:
    """The supported language for ``value`` (``zh``, ``zh_CN``, ``zh_CN.UTF-8``, ``en_US`` ...): Chinese for
    any Chinese locale, English for anything else."""
    return "zh_CN" if value and value.lower().startswith("zh") else DEFAULT_LANGUAGE


def language_from_environment(environ: Mapping[str, str] | None = None) -> Language:
    """The language the locale variables ask for (the first one set decides, as POSIX does)."""
    env = os.environ if environ is None else environ
    preferred = env.get("LANGUAGE", "").split(":")[0]
    if preferred and next((env[n] for n in _LOCALE_VARIABLES if env.get(n)), "") not in ("C", "POSIX"):
        return language(preferred)
    for name in _LOCALE_VARIABLES:
        value = env.get(name)
        if value:
            return language(value)
    return DEFAULT_LANGUAGE


def ruleset_language(lang: Language) -> Literal["zh", "en"]:
    """The rule set's and the certificate's name for ``lang`` (they write ``zh`` and ``en``)."""
    return "zh" if lang == "zh_CN" else "en"


def catalogue_dir(lang: Language) -> Path:
    return resources_dir() / "messages" / lang


@cache
def catalogue(lang: Language) -> Mapping[str, str]:
    """Every key of ``lang``'s catalogue with its words (``errors.<code>.text``, ``words.<kind>.<code>``)."""
    entries: dict[str, str] = {}
    folder = catalogue_dir(lang)
    files = sorted(folder.glob("*.toml"))
    if not files:
        raise CatalogueError(f"no catalogue files in {folder}")
    for path in files:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise CatalogueError(f"{path}: {exc}") from exc
        for key, words in _flatten(data, ()):
            if key in entries:
                raise CatalogueError(f"{path}: {key} is also in another file of the {lang} catalogue")
            entries[key] = words
    return entries


def _flatten(data: Mapping[str, object], prefix: tuple[str, ...]) -> Iterable[tuple[str, str]]:
    for name, value in data.items():
        path = (*prefix, name)
        if isinstance(value, dict):
            yield from _flatten(value, path)
        elif isinstance(value, str):
            yield ".".join(path), value
        else:
            raise CatalogueError(f"{'.'.join(path)} must be text, not {type(value).__name__}")


class Bilingual(Protocol):
    """A text the rule set or a certificate carries in both languages."""

    @property
    def zh(self) -> str: ...

    @property
    def en(self) -> str: ...


@dataclass(frozen=True)
class Term:
    """A stored code as a parameter: worded as ``words.<kind>.<code>`` in the reader's language."""

    kind: str
    code: str

    def __str__(self) -> str:
        return self.code


class _Fields(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"  # a placeholder without a value shows itself, so the gap is visible


def lookup(key: str, lang: Language) -> str | None:
    """The words for ``key`` in ``lang``, else in English, else None."""
    words = catalogue(lang).get(key)
    if words is None and lang != DEFAULT_LANGUAGE:
        words = catalogue(DEFAULT_LANGUAGE).get(key)
    return words


def word(kind: str, code: object, lang: Language) -> str:
    """The words for one code of an enumeration; an unknown code is shown as it is rather than hidden."""
    text = str(getattr(code, "value", code))
    return lookup(f"words.{kind}.{text}", lang) or text


def render(value: object, lang: Language) -> str:
    """One parameter in words: a ``Term`` by the catalogue, a bilingual text in ``lang``, a list joined."""
    if isinstance(value, Term):
        return word(value.kind, value.code, lang)
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return list_separator(lang).join(render(v, lang) for v in items)
    zh, en = getattr(value, "zh", None), getattr(value, "en", None)
    if isinstance(zh, str) and isinstance(en, str):
        return full_width(zh) if lang == "zh_CN" else en
    if isinstance(value, bool):
        return word("yes_no", "yes" if value else "no", lang)
    return str(getattr(value, "value", value))


_CJK = "\u3400-\u9fff\uff08\uff09"
_FULL_WIDTH = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？", "(": "（", ")": "）", ".": "。"}
# ASCII punctuation after a Chinese character (spaces around it dropped), or before one; a full stop only
# where a sentence ends (so 0.25 and §5.2 stay as they are).
_HALF_BESIDE_CJK = re.compile(rf"(?<=[{_CJK}])\s*([,:;!?(])\s*|(?<=[{_CJK}])([.)])(?=\s|$)\s*|"
                              rf"([,:;!?()])(?=[{_CJK}])")


def full_width(text: str) -> str:
    """Chinese text with full-width punctuation where ASCII punctuation touches a Chinese character:
    ``钕铁硼生产加工回收料(块料)`` -> ``钕铁硼生产加工回收料（块料）``, ``隔离待查 (§5 G2). 请`` ->
    ``隔离待查（§5 G2）。请``. Latin phrases keep theirs. Applied to Chinese texts that come from elsewhere
    (a rule set file) before a person reads them; our own catalogue is written that way already."""
    out = _HALF_BESIDE_CJK.sub(lambda m: _FULL_WIDTH[next(g for g in m.groups() if g)], text)
    # A bracket opened full-width closes full-width, whatever it ends on (``（§5 G2)`` -> ``（§5 G2）``),
    # and a sentence ending on it ends with a full stop.
    depth = 0
    chars = list(out)
    for i, ch in enumerate(chars):
        if ch == "（":
            depth += 1
        elif ch == "）":
            depth = max(0, depth - 1)
        elif ch == ")" and depth:
            chars[i] = "）"
            depth -= 1
    return re.sub(r"）\.(\s+|$)", "）。", "".join(chars))


def os_problem(exc: BaseException) -> object:
    """Why the operating system refused a file or a device, as a parameter: worded from
    ``words.os_problem`` when its errno has words, else what the system (or the library) said."""
    code = getattr(exc, "errno", None)
    name = errno.errorcode.get(code, "") if isinstance(code, int) else ""
    if name and f"words.os_problem.{name}" in catalogue(DEFAULT_LANGUAGE):
        return Term("os_problem", name)
    return (getattr(exc, "strerror", None) or str(exc)).strip().rstrip(".") or type(exc).__name__


def list_separator(lang: Language) -> str:
    return "、" if lang == "zh_CN" else ", "


def fill(template: str, params: Mapping[str, object], lang: Language) -> str:
    return template.format_map(_Fields({k: render(v, lang) for k, v in params.items()}))


def text(key: str, lang: Language, params: Mapping[str, object] | None = None) -> str | None:
    """The words of ``key`` with ``params`` filled in, in ``lang`` (else English); None if unknown."""
    template = lookup(key, lang)
    return None if template is None else fill(template, params or {}, lang)


def known_error(code: str) -> bool:
    return f"errors.{code}.text" in catalogue(DEFAULT_LANGUAGE)


def error_words(code: str, params: Mapping[str, object], lang: Language) -> tuple[str, str | None]:
    """An error's message and hint (what to do) in ``lang``."""
    message = text(f"errors.{code}.text", lang, params)
    if message is None:
        raise CatalogueError(f"the error code {code} has no words")
    return message, text(f"errors.{code}.hint", lang, params)
