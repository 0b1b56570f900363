"""The certificate area's words: every key in English and Chinese with the same placeholders, Chinese with
Chinese punctuation, and every code the certificate code raises or finds present in the catalogue."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from inspector.messages import catalogue, catalogue_dir

ROOT = Path(__file__).resolve().parents[3]
SOURCES = [*sorted((ROOT / "inspector" / "certificates").glob("*.py")),
           *(ROOT / p for p in ("inspector/services/certificates.py", "inspector/queries/certificates.py",
                                "inspector/cli/certificates.py", "ui/screens/verify.py"))]
PLACEHOLDER = re.compile(r"\{(\w+)\}")
# An ASCII bracket, comma, colon or semicolon next to a Chinese character.
ASCII_BESIDE_CHINESE = re.compile(r"[\u3400-\u9fff][(),:;]|[(),:;][\u3400-\u9fff]")


def _keys(lang: str) -> dict[str, str]:
    path = catalogue_dir(lang) / "certificates.toml"  # type: ignore[arg-type]
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    found: dict[str, str] = {}

    def walk(value: object, path: tuple[str, ...]) -> None:
        if isinstance(value, dict):
            for name, inner in value.items():
                walk(inner, (*path, name))
        else:
            found[".".join(path)] = str(value)

    walk(data, ())
    return found


EN, ZH = _keys("en"), _keys("zh_CN")


def test_every_key_has_chinese_with_the_same_placeholders() -> None:
    assert set(EN) == set(ZH)
    for key, english in EN.items():
        assert set(PLACEHOLDER.findall(english)) == set(PLACEHOLDER.findall(ZH[key])), key


@pytest.mark.parametrize("key", sorted(k for k in ZH if k.startswith("errors.")))
def test_chinese_sentences_end_and_use_chinese_punctuation(key: str) -> None:
    text = ZH[key]
    assert ASCII_BESIDE_CHINESE.search(text) is None, text
    assert text.endswith(("。", "？", "！")) or text == "{refusal}", text


def test_every_code_in_the_code_has_words() -> None:
    source = "\n".join(p.read_text(encoding="utf-8") for p in SOURCES)
    codes = set(re.findall(r'(?:Error|Finding)\(\s*"([a-z_]+\.[a-z_.]+)"', source))
    codes |= set(re.findall(r'"(certificate\.[a-z_]+|verify\.[a-z_.]+)"', source))
    codes -= {"certificate.issue", "certificate.reissue", "certificate.void", "certificate.print",
              "certificate.print_count", "certificate.reference"}  # audit actions, and a plain text
    assert codes, "no codes found: the pattern is out of date"
    english = catalogue("en")
    assert sorted(c for c in codes if f"errors.{c}.text" not in english) == []
    lines = set(re.findall(r'(?:say|words)\(args, "([a-z_.]+)"', source))
    lines |= {"certificates.issued", "certificates.reissued"}  # _print_row's keys
    assert sorted(k for k in lines if f"cli.{k}" not in english) == []
    qr = (ROOT / "inspector" / "certificates" / "qr.py").read_text(encoding="utf-8")
    problems = set(re.findall(r'ValueError\("([a-z_]+)"\)', qr))
    assert problems and sorted(p for p in problems if f"words.qr_payload_problem.{p}" not in english) == []
