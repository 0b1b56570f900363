"""The security area speaks in codes: every refusal of a role is worded in both languages whatever the
service refused, and every finding, hold and sign-in outcome names a code the catalogue words."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from inspector import messages
from inspector.errors import PermissionDeniedError
from inspector.messages import Term
from inspector.messages.notice import Notice
from inspector.security.actor import SYSTEM, Actor, Role, require_role

REPO = Path(__file__).resolve().parents[3]
CJK = re.compile("[\u3400-\u9fff]")


def _calls(folder: str) -> list[tuple[Path, ast.Call]]:
    found = []
    for path in sorted((REPO / folder).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                found.append((path, node))
    return found


def _name(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def test_every_action_a_role_check_names_is_worded_in_both_languages() -> None:
    """``require_role(..., action="create lots")`` anywhere in the core reads "may not create lots" and
    "无权创建批次"."""
    actions: dict[str, str] = {}
    for path, call in _calls("inspector"):
        if _name(call) not in ("require_role", "require_approver", "require_second_person"):
            continue
        for keyword in call.keywords:
            if keyword.arg == "action" and isinstance(keyword.value, ast.Constant):
                actions[str(keyword.value.value)] = f"{path.relative_to(REPO)}:{call.lineno}"
    # The approval's action is built from its decision (approve, reject); the four-eyes rules' defaults.
    actions.update({"approve this lot": "decision", "reject this lot": "decision",
                    "confirm this manual weight": "default"})
    assert len(actions) > 30
    missing = {a: where for a, where in actions.items()
               if f"words.permission.{a}" not in messages.catalogue("en")
               or not CJK.search(messages.catalogue("zh_CN").get(f"words.permission.{a}", ""))}
    assert missing == {}, "actions without words: add them to [words.permission] in security.toml"


def test_codes_of_findings_holds_and_sign_in_outcomes_are_in_the_catalogue() -> None:
    """Not raised, so the catalogue's own test does not see them: every code a notice, a finding or a sign-in
    result names in the security area."""
    named: set[str] = set()
    for folder in ("inspector/security", "inspector/cli/security.py", "inspector/queries/users.py"):
        paths = [REPO / folder] if folder.endswith(".py") else sorted((REPO / folder).rglob("*.py"))
        for path in paths:
            text = path.read_text(encoding="utf-8")
            named |= set(re.findall(r'(?:notice|_row_problem|CheckpointFileError)\("([a-z_.0-9]+)"', text))
            named |= set(re.findall(r'code ?= ?"([a-z_.0-9]+)"', text))
            named |= set(re.findall(r'code ?= ?"[a-z_.0-9]+" if .* else "([a-z_.0-9]+)"', text))
    assert {"login.attempts_left", "anchor.mismatch", "audit.row.more", "checkpoint.unknown_format"} <= named
    assert sorted(c for c in named if not messages.known_error(c)) == []


def test_a_refused_role_is_a_code_worded_in_chinese_with_the_role_and_the_action() -> None:
    li = Actor("li.wei", "李伟", frozenset({Role.INSPECTOR}))
    with pytest.raises(PermissionDeniedError) as err:
        require_role(li, [Role.SUPERVISOR], action="void lots")
    assert err.value.code == "role.denied" and err.value.field is None
    assert err.value.words("zh_CN") == ("李伟（li.wei）无权作废批次：需要主管角色。"
                                        "请由具有该角色的用户操作，或请管理员授予该角色。")
    assert err.value.message == "李伟 (li.wei) may not void lots: it needs the role Supervisor."
    with pytest.raises(PermissionDeniedError) as err:
        require_role(li, [Role.CLERK, Role.SUPERVISOR], action="certify lots")
    assert err.value.code == "role.denied_any"
    assert err.value.words("zh_CN").startswith(
        "李伟（li.wei）无权为批次出具证书：需要以下角色之一：文员、主管。")
    assert err.value.to_json("zh_CN")["params"]["roles"] == ["clerk", "supervisor"]
    # An action from another table of words keeps its own words; an unknown one is shown as it is.
    with pytest.raises(PermissionDeniedError) as err:
        require_role(li, [Role.ADMIN], action=Term("audit_action", "nothing.known"))
    assert "may not nothing.known:" in err.value.message
    require_role(SYSTEM, [Role.ADMIN], action="set up the yard")  # the system may


def test_a_notice_is_a_parameter_worded_in_the_readers_language() -> None:
    inner = Notice("hold.integrity_unlisted", count=2)
    assert isinstance(inner, Notice) and inner.en == "The integrity check failed (2 problem(s))."
    outer = Notice("signing.on_hold", hold=inner)
    assert outer.words("zh_CN") == "在主管复核以下事项之前，暂停签名：完整性校验未通过（2 个问题）。" \
        "主管可在“管理 → 审计日志”中确认。"
    assert outer.to_json("zh_CN")["params"]["hold"]["en"] == inner.en
