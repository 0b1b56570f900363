"""The identification key of DOMAIN.md §7, the wording of findings and the diff between rule sets."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml

from inspector.errors import UserError
from inspector.standard import (
    RuleSet,
    describe,
    diff_documents,
    first_question,
    identify,
    identify_sequence,
    parse_ruleset,
)
from tests.core.standard.helpers import SHIPPED, finding, run

PATHS = [
    (["polishing_powder"], "POLISH"),
    (["lamp_phosphor"], "PHOSPHOR"),
    (["nimh"], "NIMH"),
    (["catalyst"], "CATALYST"),
    (["smelting_slag"], "PYRO-SLAG"),
    (["other"], "OTHER"),
    (["magnet", "ndfeb_bonded"], "NDFEB-BD"),
    (["magnet", "smco"], "SMCO"),
    (["magnet", "ndfeb_sintered", "end_of_life"], "NDFEB-EOL"),
    (["magnet", "ndfeb_sintered", "production", "solid"], "NDFEB-PS"),
    (["magnet", "ndfeb_sintered", "production", "sludge"], "NDFEB-SL"),
    (["magnet", "ndfeb_sintered", "production", "powder"], "NDFEB-PW"),
    (["magnet", "ndfeb_sintered", "production", "roasted"], "NDFEB-RO"),
]


@pytest.mark.parametrize(("answers", "category"), PATHS)
def test_every_path_of_the_key_leads_to_its_category(rs: RuleSet, answers: list[str], category: str) -> None:
    result = identify_sequence(rs, answers)
    assert result.done and result.category == category and result.question is None
    assert [s.answer for s in result.path] == answers


def test_every_category_is_reachable(rs: RuleSet) -> None:
    assert {c for _, c in PATHS} == set(rs.categories)


def test_the_next_question_is_offered_with_bilingual_texts(rs: RuleSet) -> None:
    start = first_question(rs)
    assert start.id == "kind" and start.text.en == "What kind of material is it?"
    assert start.text.zh == "这是什么材料？"
    assert all(a.text.zh and a.text.en and a.description is not None for a in start.answers)
    result = identify(rs, {"kind": "magnet", "magnet_type": "ndfeb_sintered"})
    assert not result.done and result.question is not None and result.question.id == "ndfeb_source"
    assert [a.id for a in result.question.answers] == ["end_of_life", "production"]
    assert identify(rs, {}).question == start


def test_answers_left_over_from_a_changed_earlier_answer_are_ignored(rs: RuleSet) -> None:
    result = identify(rs, {"kind": "catalyst", "magnet_type": "smco"})
    assert result.category == "CATALYST" and result.unused == ("magnet_type",)


def test_an_unknown_answer_is_refused(rs: RuleSet) -> None:
    with pytest.raises(UserError) as err:
        identify(rs, {"kind": "wood"})
    assert (err.value.field, err.value.code) == ("identification.kind", "standard.answer_unknown")
    assert str(err.value).startswith("identification.kind: 'wood' is not an answer to \"What kind of "
                                     "material is it?\"; the answers are magnet (")
    assert err.value.words("zh_CN").startswith("“wood”不是问题“这是什么材料？”的答案；可选答案为 magnet（")
    with pytest.raises(UserError, match="more than the key has questions") as extra:
        identify_sequence(rs, ["nimh", "extra"])
    assert extra.value.code == "standard.too_many_answers"


def test_findings_are_worded_in_both_languages(rs: RuleSet) -> None:
    r = run(rs, "NDFEB-PS", dose_gross_usv_h="0.355", inclusions_pct="3.0", hazardous_waste_code="HW49")
    assert describe(rs, finding(r, "G2"), "en") == "Net dose rate 0.26 µSv/h exceeds 0.25 µSv/h: quarantine"
    assert describe(rs, finding(r, "G2"), "zh") == "净剂量率 0.26 µSv/h 超过 0.25 µSv/h，隔离待查"
    assert (
        describe(rs, finding(r, "G5"), "en")
        == "Hazardous waste HW49 is not covered by the yard's permit: reject"
    )
    assert describe(rs, finding(r, "G1"), "en") == "Prohibited items: passed"
    ok = run(rs, "NDFEB-PS", treo_pct="29.95")
    assert describe(rs, finding(ok, "GR"), "en") == "TREO (dry, oxide basis) 30.0% is at least 30.0%: grade A"
    assert (
        describe(rs, finding(ok, "G6"), "en")
        == "Inclusions (visual estimate) 1.0 % is within the limit of 2.0 %"
    )
    other = run(rs, "OTHER")
    assert describe(rs, finding(other, "C4"), "zh") == "其他类物料须由主管分类"
    low = run(rs, "NDFEB-PS", treo_pct="20.0", inclusions_pct="3.0")
    below = next(f for f in low.findings if f.message == "downgraded_below_lowest_grade")
    assert "Grade C lowered 1 step(s)" in describe(rs, below, "en")


def test_diff_reports_changes_at_readable_paths(rs: RuleSet) -> None:
    doc: dict[str, Any] = copy.deepcopy(dict(rs.document))
    doc["version"] = "0.2.0"
    doc["categories"][0]["grading"]["bands"][0]["min"] = "31.0"
    doc["rules"] = [r for r in doc["rules"] if r["id"] != "C2"]
    doc["categories"].reverse()  # order alone is no change
    doc["attributes"]["hg_mg_kg"]["unit"] = "ppm"
    doc["required"]["intake"] = ["origin", "package_type"]
    other = parse_ruleset(yaml.safe_dump(doc, allow_unicode=True), source="b.yaml")
    changes = {c.path: c for c in diff_documents(rs.document, other.document)}
    assert set(changes) == {
        "version",
        "categories[NDFEB-PS].grading.bands[A].min",
        "rules[C2]",
        "attributes.hg_mg_kg.unit",
        "required.intake",
    }
    assert changes["categories[NDFEB-PS].grading.bands[A].min"].to_json() == {
        "path": "categories[NDFEB-PS].grading.bands[A].min",
        "kind": "changed",
        "a": "30.0",
        "b": "31.0",
    }
    assert changes["rules[C2]"].kind == "removed"
    assert diff_documents(other.document, rs.document)[-1].kind in {"added", "changed"}
    assert diff_documents(rs.document, rs.document) == []


def test_diff_of_added_keys_and_type_changes() -> None:
    a = {"x": 1, "items": [1, 2]}
    b = {"x": "1", "y": 2, "items": [2, 1]}
    kinds = {c.path: c.kind for c in diff_documents(a, b)}
    assert kinds == {"x": "changed", "y": "added", "items": "changed"}


def test_shipped_file_is_the_one_tested() -> None:
    assert SHIPPED.name == "CN-RE2R-0.1.0.yaml"


def test_a_placeholder_without_a_value_prints_empty(rs: RuleSet) -> None:
    from inspector.standard import Finding, Severity

    bare = Finding("GR", "§4", None, None, None, Severity.HOLD, True, "grade_assigned")
    assert describe(rs, bare, "en") == "% is at least %: grade"
