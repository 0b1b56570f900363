"""The weighing area's catalogue: every code it raises has words in both languages, and the words agree."""

from __future__ import annotations

import re
import string
import tomllib
from pathlib import Path

import pytest

from inspector import messages
from inspector.resources import resources_dir

ROOT = Path(__file__).resolve().parents[3]
SOURCES = [
    "inspector/services/weighing.py",
    *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "inspector/weighing").rglob("*.py")),
    "inspector/cli/scale.py",
    "inspector/intake/camera.py",
    "inspector/cli/cameras.py",
]
# A code handed to an error (``UserError("scale.baud_invalid", ...)``, ``code="..."``, ``code = "..." if``).
RAISED = re.compile(r"""(?:Error\(\s*|code\s*=\s*)"([a-z_]+\.[a-z_.]+)\"""")
CHOSEN = re.compile(r"""^\s*code = .*$""", re.MULTILINE)
CODE = re.compile(r""""([a-z_]+\.[a-z_.]+)\"""")
SAID = re.compile(r"""(?:say|words)\(args,\s*"([a-z_.]+)\"""")
ASCII_PUNCTUATION_BY_CHINESE = re.compile(r"[\u4e00-\u9fff][(),;:!?]|[(),;:!?][\u4e00-\u9fff]")


def _flat(lang: str) -> dict[str, str]:
    data = tomllib.loads((resources_dir() / "messages" / lang / "weighing.toml").read_text(encoding="utf-8"))
    out: dict[str, str] = {}

    def walk(node: dict[str, object], prefix: str) -> None:
        for key, value in node.items():
            if isinstance(value, dict):
                walk(value, f"{prefix}{key}.")
            else:
                assert isinstance(value, str)
                out[f"{prefix}{key}"] = value

    walk(data, "")
    return out


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_languages_have_the_same_keys_and_placeholders() -> None:
    en, zh = _flat("en"), _flat("zh_CN")
    assert sorted(en) == sorted(zh)
    for key, text in en.items():
        assert _fields(text) == _fields(zh[key]), key


def test_the_chinese_reads_as_chinese() -> None:
    for key, text in _flat("zh_CN").items():
        assert not ASCII_PUNCTUATION_BY_CHINESE.search(text), (key, text)
        if key.startswith("errors."):
            assert text.endswith(("。", "？", "！")), (key, text)


def test_every_code_raised_or_said_in_the_area_has_words() -> None:
    raised: set[str] = set()
    said: set[str] = set()
    for name in SOURCES:
        source = (ROOT / name).read_text(encoding="utf-8")
        raised.update(RAISED.findall(source))
        for line in CHOSEN.findall(source):
            raised.update(CODE.findall(line))
        said.update(SAID.findall(source))
    assert len(raised) > 50 and "camera.http_error" in raised and "weighing.reweigh_reason_short" in raised
    for code in sorted(raised):
        assert messages.known_error(code), code
        for lang in messages.LANGUAGES:
            assert messages.catalogue(lang).get(f"errors.{code}.text"), (lang, code)
    assert {"cameras.none", "scale.no_weight", "scale.separator"} <= said
    for key in sorted(said):
        for lang in messages.LANGUAGES:
            assert messages.catalogue(lang).get(f"cli.{key}") is not None, (lang, key)


def _reject_reasons() -> list[str]:
    """Every reason a profile rejects a message for, read from the profiles' ``Reject(...)`` calls."""
    found = {"garbage"}  # the decoder's own, for bytes outside any frame
    for path in (ROOT / "inspector/weighing/profiles").glob("*.py"):
        for call in re.findall(r"Reject\((.*?), raw\)", path.read_text(encoding="utf-8")):
            found.update(re.findall(r'"([a-z-]+)"', call))
            if "indicator-error-{head}" in call:
                found.update(f"indicator-error-{head}" for head in ("ES", "ET", "EL"))
    assert {"checksum", "no-stx", "not-executable", "indicator-error-EL"} <= found
    return sorted(found)


@pytest.mark.parametrize(
    "kind", ["capture_refusal", "frame_reject", "indicator_mode", "indicator_profile", "tare_subject"]
)
def test_the_words_of_the_stored_codes_cover_them(kind: str) -> None:
    from inspector.states import TareSubject
    from inspector.weighing.capture import Refusal
    from inspector.weighing.frame import Mode
    from inspector.weighing.profiles import PROFILES

    codes = {
        "capture_refusal": [r.value for r in Refusal],
        "indicator_mode": [m.value for m in Mode],
        "indicator_profile": list(PROFILES),
        "tare_subject": [t.value for t in TareSubject],
        "frame_reject": _reject_reasons(),
    }[kind]
    for code in codes:
        for lang in messages.LANGUAGES:
            assert messages.lookup(f"words.{kind}.{code}", lang), (kind, code, lang)


def test_a_protocol_is_titled_in_the_readers_language() -> None:
    from inspector.weighing.profiles import PROFILES, get_profile

    assert all(p.title_in("en") == p.title for p in PROFILES.values())
    assert get_profile("xk3190-a9").title_in("zh_CN") == "耀华 XK3190-A9 连续输出（tF=0，无动态标志）"
