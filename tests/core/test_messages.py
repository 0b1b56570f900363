"""The catalogues of words: complete in both languages, consistent with the code that uses them, and
written in Chinese the way Chinese is written."""

from __future__ import annotations

import ast
import re
import string
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from inspector import messages
from inspector.errors import EnvironmentProblemError, InspectorError, UserError
from inspector.messages import Term, formats
from inspector.storage.db import Store

REPO = Path(__file__).resolve().parents[2]
SOURCES = sorted([*(REPO / "inspector").rglob("*.py"), *(REPO / "ui").rglob("*.py")])
CJK = "\u3400-\u9fff"


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_key_has_words_in_both_languages_with_the_same_placeholders() -> None:
    en, zh = messages.catalogue("en"), messages.catalogue("zh_CN")
    assert len(en) > 100
    assert sorted(set(en) - set(zh)) == [], "keys without Chinese words"
    assert sorted(set(zh) - set(en)) == [], "Chinese words for keys English does not have"
    for key, words in en.items():
        assert words.strip() and zh[key].strip(), key
        assert _placeholders(words) == _placeholders(zh[key]), key


def test_chinese_words_use_full_width_punctuation() -> None:
    ascii_beside_cjk = re.compile(rf"[{CJK}][,;:!?()]|[,;:!?()][{CJK}]|[{CJK}]\s*\.$")
    wrong = {k: v for k, v in messages.catalogue("zh_CN").items() if ascii_beside_cjk.search(v)}
    assert wrong == {}


def _error_classes() -> set[str]:
    names: set[str] = set()
    pending: list[type] = [InspectorError]
    while pending:
        cls = pending.pop()
        names.add(cls.__name__)
        pending.extend(cls.__subclasses__())
    return names


def _calls() -> Iterator[tuple[Path, ast.Call]]:
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                yield path, node


def _name(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _raised_codes() -> dict[str, list[tuple[str, set[str]]]]:
    """Every error code a raise (or a subclass's ``super().__init__``) names, with where and the parameters
    given there (None for ``**params``: not checkable)."""
    _import_every_core_module()
    classes = _error_classes()
    found: dict[str, list[tuple[str, set[str]]]] = {}
    for path, call in _calls():
        name = _name(call)
        is_super = name == "__init__" and isinstance(call.func, ast.Attribute) \
            and isinstance(call.func.value, ast.Call) and _name(call.func.value) == "super"
        if name not in classes and not is_super:
            continue
        if not call.args:
            continue
        first = call.args[0]
        if isinstance(first, (ast.JoinedStr, ast.BinOp)):  # an f-string or a concatenation: a sentence
            code = ast.unparse(first)
        elif isinstance(first, ast.Constant) and isinstance(first.value, str):
            code = first.value
        else:
            continue
        if is_super and not re.fullmatch(r"[a-z_]+(\.[a-z0-9_]+)+", code):
            continue
        given = {k.arg for k in call.keywords if k.arg is not None}
        if any(k.arg is None for k in call.keywords):
            given.add("**")
        found.setdefault(code, []).append((f"{path.relative_to(REPO)}:{call.lineno}", given))
    return found


def _import_every_core_module() -> None:
    import importlib
    import pkgutil

    import inspector

    for module in pkgutil.walk_packages(inspector.__path__, "inspector."):
        if ".migrations." not in module.name and not module.name.endswith("__main__"):
            importlib.import_module(module.name)


def test_every_raised_error_is_a_code_the_catalogue_words_with_the_parameters_given() -> None:
    codes = _raised_codes()
    assert len(codes) > 50
    sentences = {c: w for c, w in codes.items() if not re.fullmatch(r"[a-z_]+(\.[a-z0-9_]+)+", c)}
    assert sentences == {}, "errors raised as sentences, not codes"
    unknown = {c: w for c, w in codes.items() if not messages.known_error(c)}
    assert unknown == {}, "error codes without words"
    en = messages.catalogue("en")
    for code, sites in codes.items():
        wanted = _placeholders(en[f"errors.{code}.text"]) | _placeholders(en.get(f"errors.{code}.hint", ""))
        for where, given in sites:
            if "**" not in given:
                assert wanted <= given, f"{where}: {code} needs {sorted(wanted - given)}"


def test_no_error_words_are_left_without_a_raise() -> None:
    codes = set(_raised_codes())
    source = "\n".join(p.read_text(encoding="utf-8") for p in SOURCES)
    worded = {k.removeprefix("errors.").removesuffix(".text") for k in messages.catalogue("en")
              if k.startswith("errors.") and k.endswith(".text")}
    # A code built at run time is named in the source as a quoted constant all the same.
    unused = sorted(c for c in worded - codes if f'"{c}"' not in source and f"'{c}'" not in source)
    assert unused == [], "words for error codes nothing raises (obsolete): delete them"


def test_command_line_lines_are_in_the_catalogue() -> None:
    keys = messages.catalogue("en")
    missing = []
    for path, call in _calls():
        constant = len(call.args) >= 2 and isinstance(call.args[1], ast.Constant)
        if _name(call) in ("say", "words") and constant and path.parts[-2] == "cli" \
                and f"cli.{call.args[1].value}" not in keys:  # type: ignore[attr-defined]
            missing.append(f"{path.relative_to(REPO)}:{call.lineno}: cli.{call.args[1].value}")
    assert missing == []


def test_every_stored_code_of_the_life_cycles_has_words() -> None:
    from inspector.security.actor import Role
    from inspector.states import CertificateStatus, LoadState, LotState, WeighingKind, WeightSource

    for kind, enum in (("load_state", LoadState), ("lot_state", LotState), ("role", Role),
                       ("certificate_status", CertificateStatus), ("weight_source", WeightSource),
                       ("weighing_kind", WeighingKind)):
        for member in enum:
            for lang in messages.LANGUAGES:
                assert f"words.{kind}.{member.value}" in messages.catalogue(lang), (kind, member, lang)
    # A lot is rejected by a supervisor's decision, a load at the gate: two words in Chinese.
    assert messages.word("lot_state", LotState.REJECTED, "zh_CN") != \
        messages.word("load_state", "rejected", "zh_CN")


def test_an_error_is_english_in_the_log_and_in_the_readers_language_for_a_person() -> None:
    exc = UserError("install.file_missing", field="font", path="/opt/x.ttc")
    assert str(exc) == "font: A file the application needs is missing: /opt/x.ttc. The installation is " \
        "incomplete; reinstall Yard Inspector."
    assert exc.words("zh_CN") == "缺少应用程序所需的文件：/opt/x.ttc。安装不完整，请重新安装 Yard Inspector。"
    assert exc.parts("zh_CN") == ("缺少应用程序所需的文件：/opt/x.ttc。",
                                  "安装不完整，请重新安装 Yard Inspector。")
    data = exc.to_json("zh_CN")
    assert data["code"] == "install.file_missing" and data["field"] == "font"
    assert data["params"] == {"path": "/opt/x.ttc"}
    assert data["message"].startswith("缺少") and data["english"].startswith("A file")
    assert isinstance(EnvironmentProblemError("install.file_missing", path="p"), InspectorError)


def test_parameters_are_worded_in_the_readers_language() -> None:
    class Title:
        zh, en = "钕铁硼油泥", "NdFeB sludge"

    assert messages.render(Term("load_state", "awaiting_lab"), "zh_CN") == "待化验"
    assert messages.render(Term("load_state", "nonsense"), "zh_CN") == "nonsense"  # shown, not hidden
    assert messages.render(Title(), "zh_CN") == "钕铁硼油泥"
    assert messages.render(Title(), "en") == "NdFeB sludge"
    assert messages.render(["HW49", "HW17"], "zh_CN") == "HW49、HW17"
    assert messages.render(("HW49", "HW17"), "en") == "HW49, HW17"


@pytest.mark.parametrize(("environ", "expected"), [
    ({"LANG": "zh_CN.UTF-8"}, "zh_CN"), ({"LC_ALL": "zh_TW.UTF-8", "LANG": "en_US.UTF-8"}, "zh_CN"),
    ({"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}, "en"), ({"LANG": "de_DE.UTF-8"}, "en"), ({}, "en"),
    ({"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_US"}, "zh_CN"),
])
def test_the_locale_decides_the_language(environ: dict[str, str], expected: str) -> None:
    assert messages.language_from_environment(environ) == expected


def test_figures_are_written_one_way() -> None:
    from datetime import UTC, date, datetime
    from decimal import Decimal

    assert formats.number(33040) == "33,040"
    assert formats.mass(33040, "kg", "zh_CN") == "33,040 kg"
    assert formats.mass(Decimal("26100.00"), "kg", division=20) == "26,100 kg"
    assert formats.mass(Decimal("26109.6"), "kg", division=20) == "26,100 kg"
    assert formats.mass(Decimal("24310.5"), "kg") == "24,310.5 kg"  # no division: the digits as recorded
    assert formats.percent(Decimal("26.5"), places=2) == "26.50 %"
    assert formats.number(Decimal("0.125"), places=2) == "0.12"  # half-even, as GB/T 8170 rounds
    at = datetime(2026, 11, 5, 6, 3, tzinfo=UTC)
    assert formats.moment(at, 480, "zh_CN") == "2026年11月05日 14:03"
    assert formats.moment(at, 480, "en") == "2026-11-05 14:03"
    assert formats.moment(at, 480, "en", zone_shown=True) == "2026-11-05 14:03 UTC+08:00"
    assert formats.day(date(2026, 11, 5), "zh_CN") == "2026年11月05日"
    assert formats.zone(480, "zh_CN") == "北京时间 UTC+08:00"


def test_the_command_line_speaks_the_locale_and_keeps_json_codes_english(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")

    def run(*args: str, lang: str) -> subprocess.CompletedProcess[str]:
        env = {"PATH": "/usr/bin:/bin", "LANG": lang, "HOME": str(tmp_path)}
        return subprocess.run([sys.executable, "-m", "inspector.cli", *args], capture_output=True, text=True,
                              env=env, cwd=REPO, check=False)

    zh = run("classify", str(bad), lang="zh_CN.UTF-8")
    assert zh.returncode == 2 and "错误" in zh.stderr and re.search(f"[{CJK}]", zh.stderr)
    en = run("classify", str(bad), lang="en_US.UTF-8")
    assert en.returncode == 2 and "error" in en.stderr and not re.search(f"[{CJK}]", en.stderr)
    forced = run("classify", str(bad), "--lang", "en", lang="zh_CN.UTF-8")
    assert not re.search(f"[{CJK}]", forced.stderr)
    # argparse's own words too: the usage and what is wrong with the command line.
    missing = run("classify", lang="zh_CN.UTF-8")
    assert missing.returncode == 2 and "用法：" in missing.stderr and "缺少必需的参数" in missing.stderr
    english = run("classify", "--lang", "en", lang="zh_CN.UTF-8")
    assert "usage: " in english.stderr and "the following arguments are required" in english.stderr


def test_every_audit_action_and_record_of_a_yard_day_has_words(store: Store) -> None:
    """The demo yard's day (arrivals, weighings, holds, lots, approvals, certificates, users) writes the
    actions and record types a yard's trail holds; each one reads as words in both languages."""
    from sqlmodel import col, select

    from inspector.clock import FixedClock
    from inspector.demo.yard import DEMO_START, YARD_OFFSET, build_demo_yard
    from inspector.storage.models import AuditEvent

    build_demo_yard(store, clock=FixedClock(DEMO_START, offset_minutes=YARD_OFFSET))
    with store.session() as session:
        actions = set(session.exec(select(col(AuditEvent.action)).distinct()))
        entities = set(session.exec(select(col(AuditEvent.entity)).distinct()))
    assert len(actions) > 15
    for lang in messages.LANGUAGES:
        words = messages.catalogue(lang)
        assert sorted(a for a in actions if f"words.audit_action.{a}" not in words) == [], lang
        assert sorted(e for e in entities if f"words.record_type.{e}" not in words) == [], lang


def test_gnu_language_preference_wins_unless_the_locale_is_c() -> None:
    assert messages.language_from_environment({"LANGUAGE": "zh_CN:en", "LANG": "en_US.UTF-8"}) == "zh_CN"
    assert messages.language_from_environment({"LANGUAGE": "zh_CN", "LANG": "C"}) == "en"


def test_what_the_operating_system_refused_is_worded_by_its_errno() -> None:
    import errno

    missing = messages.os_problem(FileNotFoundError(errno.ENOENT, "No such file or directory"))
    assert messages.render(missing, "zh_CN") == "文件、文件夹或设备不存在"
    busy = messages.os_problem(OSError(errno.EBUSY, "Device or resource busy"))
    assert messages.render(busy, "en") == "it is in use by another program"
    # An errno without words, or none at all, is said as the system said it.
    assert messages.os_problem(OSError(errno.ELOOP, "Too many levels of symbolic links.")) == \
        "Too many levels of symbolic links"
    assert messages.os_problem(ValueError("bad baud rate")) == "bad baud rate"
