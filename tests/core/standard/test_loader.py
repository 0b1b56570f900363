"""Loading rule sets: the shipped one, identity by content hash, and malformed files refused as a whole."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from inspector.datadir import DataDir
from inspector.errors import UserError
from inspector.standard import (
    RuleSet,
    RuleSetError,
    default_ruleset,
    find_ruleset,
    installed_rulesets,
    load_ruleset,
    parse_ruleset,
)
from inspector.standard.loader import canonical_sha256, published_hashes
from tests.core.standard.helpers import SHIPPED

TEXT = SHIPPED.read_text(encoding="utf-8")
DOC: dict[str, Any] = yaml.safe_load(TEXT)


def dump(doc: Any) -> str:
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


def variant(change: Callable[[dict[str, Any]], Any], *, version: str = "0.2.0") -> dict[str, Any]:
    doc = copy.deepcopy(DOC)
    doc["version"] = version
    change(doc)
    return doc


def test_the_shipped_rule_set_loads_and_is_published(rs: RuleSet) -> None:
    assert (rs.id, rs.version, rs.status) == ("CN-RE2R", "0.1.0", "provisional")
    assert published_hashes()[("CN-RE2R", "0.1.0")] == rs.sha256
    assert len(rs.categories) == 13
    assert rs.category_name("NDFEB-SL").zh == "钕铁硼油泥/磨泥"
    assert rs.category_name("NDFEB-SL").en == "NdFeB grinding/oil sludge"
    assert rs.attribute_name("dose_net_usv_h").en.startswith("Net dose rate")
    assert rs.rule_name("G1").zh == "禁止夹杂物"
    assert rs.rule_name("GR").en == "Grade bands"
    assert rs.stage_name("lab").zh == "实验室检测"
    assert rs.choice_name("treo_basis", "metal").en == "Metal basis"
    assert rs.attribute_unit("treo_pct_dry_oxide") == "%"
    factors = {c.code: c.oxide_factor for c in rs.definition.categories}
    assert factors == {
        "NDFEB-PS": "1.166",
        "NDFEB-SL": "1.166",
        "NDFEB-PW": "1.166",
        "NDFEB-RO": "1.166",
        "NDFEB-EOL": "1.166",
        "NDFEB-BD": "1.166",
        "SMCO": None,
        "POLISH": "1.228",
        "PHOSPHOR": "1.270",
        "NIMH": "1.173",
        "CATALYST": "1.228",
        "PYRO-SLAG": "1.166",
        "OTHER": "1.17",
    }


def test_the_hash_is_of_the_content_not_the_layout(rs: RuleSet) -> None:
    reformatted = parse_ruleset(
        yaml.safe_dump(DOC, allow_unicode=True, sort_keys=True, default_flow_style=True),
        source="reformatted.yaml",
    )
    assert reformatted.sha256 == rs.sha256 == canonical_sha256(DOC)
    changed = variant(lambda d: d["categories"][0]["grading"]["bands"][0].update(min="30.5"))
    assert parse_ruleset(dump(changed), source="x.yaml").sha256 != rs.sha256


def test_a_changed_published_version_is_refused() -> None:
    doc = copy.deepcopy(DOC)
    doc["rules"][1]["tests"][0]["limits"][0]["value"] = "0.30"
    with pytest.raises(RuleSetError) as err:
        parse_ruleset(dump(doc), source="edited.yaml")
    assert "published version never changes" in str(err.value)
    assert "edited.yaml" in str(err.value)
    assert err.value.problems[0].code == "ruleset.published_changed"
    assert "已发布的版本不得更改" in err.value.words("zh_CN")
    # the same content under a new version is fine
    doc["version"] = "0.1.1"
    assert parse_ruleset(dump(doc), source="new.yaml").version == "0.1.1"


def test_installed_rule_sets_and_the_yards_own(tmp_path: Path) -> None:
    data_dir = DataDir(tmp_path / "yard")
    (data_dir.root / "standards").mkdir(parents=True)
    newer = variant(lambda d: d.update(status="official"), version="1.0.0")
    (data_dir.root / "standards" / "CN-RE2R-1.0.0.yaml").write_text(dump(newer), encoding="utf-8")
    # the shipped file copied in again is the same content: listed once
    (data_dir.root / "standards" / "copy.yaml").write_text(TEXT, encoding="utf-8")
    labels = [r.label for r in installed_rulesets(data_dir)]
    assert labels == ["CN-RE2R 0.1.0", "CN-RE2R 1.0.0"]
    assert find_ruleset("CN-RE2R", data_dir).version == "1.0.0"
    assert find_ruleset("CN-RE2R@0.1.0", data_dir).version == "0.1.0"
    assert default_ruleset(data_dir).version == "1.0.0"
    assert default_ruleset().version == "0.1.0"
    with pytest.raises(UserError) as err:
        find_ruleset("CN-RE2R@9.9.9", data_dir)
    assert (err.value.code, err.value.field) == ("ruleset.not_installed", "ruleset")
    assert str(err.value) == "ruleset: No rule set CN-RE2R@9.9.9 is installed. Installed: CN-RE2R@0.1.0, " \
        "CN-RE2R@1.0.0."
    assert err.value.words("zh_CN") == "未安装规则集 CN-RE2R@9.9.9。已安装：CN-RE2R@0.1.0、CN-RE2R@1.0.0。"


def test_two_files_claiming_one_version_with_other_content_are_refused(tmp_path: Path) -> None:
    data_dir = DataDir(tmp_path / "yard")
    (data_dir.root / "standards").mkdir(parents=True)
    a = variant(lambda d: None, version="2.0.0")
    b = variant(lambda d: d["title"].update(en="Something else"), version="2.0.0")
    (data_dir.root / "standards" / "a.yaml").write_text(dump(a), encoding="utf-8")
    (data_dir.root / "standards" / "b.yaml").write_text(dump(b), encoding="utf-8")
    with pytest.raises(RuleSetError, match="already installed") as err:
        installed_rulesets(data_dir)
    assert err.value.problems[0].code == "ruleset.installed_differs"


def test_load_ruleset_reports_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(UserError) as err:
        load_ruleset(tmp_path / "nope.yaml")
    assert err.value.code == "standard.file_not_found"
    assert str(err.value).startswith(f"The rule set file {tmp_path / 'nope.yaml'} does not exist.")
    assert err.value.words("zh_CN").startswith(f"规则集文件 {tmp_path / 'nope.yaml'} 不存在。")
    with pytest.raises(UserError) as folder:
        load_ruleset(tmp_path)
    assert folder.value.code == "standard.file_is_folder"


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """A change that sets the value at a dotted path with [i] indexes."""

    def change(doc: dict[str, Any]) -> None:
        target: Any = doc
        parts = path.replace("[", ".").replace("]", "").split(".")
        for part in parts[:-1]:
            target = target[int(part)] if part.isdigit() else target[part]
        last = parts[-1]
        if value is _DELETE:
            del target[int(last) if last.isdigit() else last]
        elif last.isdigit():
            target[int(last)] = value
        else:
            target[last] = value

    return change


_DELETE = object()


def _cycle(doc: dict[str, Any]) -> None:
    doc["identification"]["questions"][3]["answers"][0] = {
        "id": "solid",
        "text": {"zh": "块", "en": "Solid"},
        "next": "kind",
    }


def _unreachable(doc: dict[str, Any]) -> None:
    doc["identification"]["questions"].append(
        {
            "id": "orphan",
            "text": {"zh": "孤立", "en": "Orphan"},
            "answers": [{"id": "x", "text": {"zh": "x", "en": "x"}, "category": "OTHER"}],
        }
    )


MALFORMED: list[tuple[str, Callable[[dict[str, Any]], Any], str, str]] = [
    ("missing version", _set("version", _DELETE), "version", "ruleset.missing"),
    ("lowercase id", _set("id", "cn-re2r"), "id", "ruleset.pattern"),
    ("unknown status", _set("status", "draft"), "status", "ruleset.not_one_of"),
    ("half a name", _set("title", {"zh": "标题"}), "title.en", "ruleset.missing"),
    ("empty name", _set("categories[0].name.en", ""), "categories[0].name.en", "ruleset.empty"),
    (
        "float limit",
        _set("rules[1].tests[0].limits[0].value", 0.25),
        "rules[1].tests[0].limits[0].value",
        "ruleset.float_decimal",
    ),
    (
        "float band",
        _set("categories[0].grading.bands[0].min", 30.0),
        "categories[0].grading.bands[0].min",
        "ruleset.float_decimal",
    ),
    (
        "exponent limit",
        _set("rules[1].tests[0].limits[0].value", "2.5E-1"),
        "rules[1].tests[0].limits[0].value",
        "ruleset.pattern",
    ),
    (
        "bands ascending",
        _set("categories[0].grading.bands", [{"grade": "A", "min": "20.0"}, {"grade": "B", "min": "25.0"}]),
        "categories[0].grading.bands",
        "ruleset.bands_order",
    ),
    (
        "grade twice",
        _set("categories[0].grading.bands[1].grade", "A"),
        "categories[0].grading.bands",
        "ruleset.grade_twice",
    ),
    (
        "limits ascending",
        _set(
            "rules[5].tests[0].limits",
            [
                {"value": "2.0", "severity": "DOWNGRADE", "message": "inclusions_downgrade"},
                {"value": "5.0", "severity": "REJECT", "message": "inclusions_reject"},
            ],
        ),
        "rules[5].tests[0].limits",
        "ruleset.limits_order",
    ),
    ("unknown top-level key", _set("colour", "red"), "colour", "ruleset.unknown_key"),
    ("misspelt rule key", _set("rules[0].clauses", "x"), "rules[0].clauses", "ruleset.unknown_key"),
    (
        "unknown required attribute",
        _set("categories[0].required[0]", "treo"),
        "categories[0].required[0]",
        "ruleset.unknown_attribute",
    ),
    (
        "unknown category in a rule",
        _set("rules[7].applies_to[0]", "NDFEB-XX"),
        "rules[7].applies_to[0]",
        "ruleset.unknown_category",
    ),
    (
        "unknown test attribute",
        _set("rules[0].tests[0].attribute", "weapons"),
        "rules[0].tests[0].attribute",
        "ruleset.unknown_attribute",
    ),
    (
        "flag test on a decimal",
        _set("rules[0].tests[0].attribute", "treo_pct"),
        "rules[0].tests[0].attribute",
        "ruleset.test_attribute_type",
    ),
    (
        "max test on a flag",
        _set("rules[1].tests[0].attribute", "portal_alarm"),
        "rules[1].tests[0].attribute",
        "ruleset.test_attribute_type",
    ),
    (
        "unknown severity",
        _set("rules[0].tests[0].severity", "WARN"),
        "rules[0].tests[0].severity",
        "ruleset.not_one_of",
    ),
    (
        "unknown test kind",
        _set("rules[0].tests[0].kind", "min"),
        "rules[0].tests[0]",
        "ruleset.test_kind_unknown",
    ),
    ("a rule without tests", _set("rules[0].tests", []), "rules[0].tests", "ruleset.too_few"),
    ("category twice", _set("categories[1].code", "NDFEB-PS"), "categories", "ruleset.category_twice"),
    ("rule id twice", _set("rules[1].id", "G1"), "rules", "ruleset.rule_twice"),
    ("rule id of the grading rule", _set("rules[1].id", "GR"), "rules", "ruleset.rule_twice"),
    (
        "unknown stage",
        _set("attributes.origin.stage", "weighing"),
        "attributes.origin.stage",
        "ruleset.unknown_stage",
    ),
    ("stage twice", _set("stages[1].key", "intake"), "stages", "ruleset.stage_twice"),
    (
        "choice without choices",
        _set("attributes.origin.choices", _DELETE),
        "attributes.origin",
        "ruleset.choices_only_for_choice",
    ),
    (
        "choices on a decimal",
        _set("attributes.treo_pct.choices", [{"key": "a", "name": {"zh": "a", "en": "a"}}]),
        "attributes.treo_pct",
        "ruleset.choices_only_for_choice",
    ),
    (
        "bad pattern",
        _set("attributes.hazardous_waste_code.pattern", "HW[0-9"),
        "attributes.hazardous_waste_code",
        "ruleset.pattern_invalid",
    ),
    ("min above max", _set("attributes.treo_pct.min", "200"), "attributes.treo_pct", "ruleset.min_above_max"),
    (
        "min on a flag",
        _set("attributes.portal_alarm.min", "0"),
        "attributes.portal_alarm",
        "ruleset.min_max_not_numeric",
    ),
    (
        "requires an unknown attribute",
        _set("attributes.treo_pct.requires", ["basis"]),
        "attributes.treo_pct.requires",
        "ruleset.unknown_attribute",
    ),
    (
        "required in the wrong stage",
        _set("required.intake", ["origin", "treo_pct"]),
        "required.intake[1]",
        "ruleset.attribute_of_other_stage",
    ),
    (
        "required for an unknown stage",
        _set("required.scale", ["origin"]),
        "required.scale",
        "ruleset.unknown_stage",
    ),
    (
        "unknown derived value",
        _set("derived.ratio", {"name": {"zh": "比", "en": "ratio"}}),
        "derived.ratio",
        "ruleset.derived_unknown",
    ),
    (
        "derived input redefined",
        _set("attributes.dose_gross_usv_h.type", "integer"),
        "attributes.dose_gross_usv_h.type",
        "ruleset.engine_attribute_type",
    ),
    (
        "derived input missing",
        _set("attributes.dose_gross_usv_h", _DELETE),
        "derived.dose_net_usv_h",
        "ruleset.derived_input_missing",
    ),
    (
        "basis choices changed",
        _set("attributes.treo_basis.choices[1].key", "element"),
        "attributes.treo_basis.choices",
        "ruleset.engine_attribute_choices",
    ),
    (
        "no oxide factor",
        _set("categories[0].oxide_factor", _DELETE),
        "categories[0].oxide_factor",
        "ruleset.oxide_factor_required",
    ),
    (
        "zero oxide factor",
        _set("categories[0].oxide_factor", "0"),
        "categories[0].oxide_factor",
        "ruleset.oxide_factor_not_positive",
    ),
    (
        "grading on text",
        _set("categories[0].grading.attribute", "origin"),
        "categories[0].grading.attribute",
        "ruleset.grading_not_numeric",
    ),
    (
        "message missing",
        _set("messages.dose_net_exceeds", _DELETE),
        "messages.dose_net_exceeds",
        "ruleset.message_missing",
    ),
    (
        "engine message missing",
        _set("messages.grade_assigned", _DELETE),
        "messages.grade_assigned",
        "ruleset.message_missing",
    ),
    (
        "unknown placeholder",
        _set("messages.within_limit.en", "{value} ok"),
        "messages.within_limit.en",
        "ruleset.template_unknown_fields",
    ),
    (
        "malformed template",
        _set("messages.within_limit.zh", "{0} ok"),
        "messages.within_limit.zh",
        "ruleset.template_malformed",
    ),
    (
        "unknown start",
        _set("identification.start", "colour"),
        "identification.start",
        "ruleset.unknown_question",
    ),
    (
        "unknown next",
        _set("identification.questions[0].answers[0].next", "shape"),
        "identification.questions[0].answers[0].next",
        "ruleset.unknown_question",
    ),
    (
        "unknown key category",
        _set("identification.questions[0].answers[1].category", "POLISHING"),
        "identification.questions[0].answers[1].category",
        "ruleset.unknown_category",
    ),
    (
        "answer with both targets",
        _set("identification.questions[0].answers[1].next", "magnet_type"),
        "identification.questions[0].answers[1]",
        "ruleset.answer_target",
    ),
    (
        "question twice",
        _set("identification.questions[1].id", "kind"),
        "identification.questions",
        "ruleset.question_twice",
    ),
    (
        "answer twice",
        _set("identification.questions[0].answers[1].id", "magnet"),
        "identification.questions[0].answers",
        "ruleset.answer_twice",
    ),
    ("cycle in the key", _cycle, "identification", "ruleset.key_cycle"),
    ("unreachable question", _unreachable, "identification.questions[4]", "ruleset.question_unreachable"),
    ("wrong format", _set("format", 2), "format", "ruleset.not_one_of"),
    ("empty choices", _set("attributes.origin.choices", []), "attributes.origin", "ruleset.choices_empty"),
    (
        "choice key twice",
        _set("attributes.origin.choices[1].key", "production"),
        "attributes.origin",
        "ruleset.choices_repeat",
    ),
    (
        "code without pattern",
        _set("attributes.hazardous_waste_code.pattern", _DELETE),
        "attributes.hazardous_waste_code",
        "ruleset.pattern_only_for_code",
    ),
    (
        "max_length on a decimal",
        _set("attributes.treo_pct.max_length", 5),
        "attributes.treo_pct",
        "ruleset.max_length_only_for_text",
    ),
    (
        "derived named like an attribute",
        _set("derived.treo_pct", {"name": {"zh": "x", "en": "x"}}),
        "derived.treo_pct",
        "ruleset.derived_is_attribute",
    ),
    ("empty categories", _set("categories", []), "categories", "ruleset.too_few"),
]


# What some problems say besides their code: the value found and what is allowed instead.
PARAMS: dict[str, dict[str, Any]] = {
    "unknown status": {"value": "draft", "allowed": ["provisional", "official", "superseded"]},
    "unknown severity": {"value": "WARN", "allowed": ["REJECT", "HOLD", "DOWNGRADE"]},
    "wrong format": {"value": "2", "allowed": ["1"]},
    "unknown test kind": {"value": "min", "allowed": ["flag", "max", "permit", "always"]},
    "unknown required attribute": {"value": "treo"},
    "required in the wrong stage": {"attribute": "treo_pct", "stage": "lab"},
    "min above max": {"minimum": "200", "maximum": "100"},
    "a rule without tests": {"minimum": 1},
}


@pytest.mark.parametrize(
    ("name", "change", "path", "code"), MALFORMED, ids=[m[0] for m in MALFORMED]
)
def test_malformed_rule_sets_are_refused_naming_file_path_and_problem(
    name: str, change: Callable[[dict[str, Any]], Any], path: str, code: str
) -> None:
    with pytest.raises(RuleSetError) as err:
        parse_ruleset(dump(variant(change)), source="bad.yaml", published={})
    problems = err.value.problems
    found = [p for p in problems if p.path == path and p.code == code]
    assert found, [(p.path, p.code) for p in problems]
    assert PARAMS.get(name, {}).items() <= dict(found[0].params).items()
    # every problem is worded in both languages, naming where it is
    for problem in problems:
        assert problem.words("en").startswith(f"{problem.path}: ") if problem.path else problem.words("en")
        zh = problem.words("zh_CN")
        assert not re.search(r"\{[a-z_]+\}", zh.replace("{limit}", "")), zh  # every placeholder filled
        assert re.search("[\u4e00-\u9fff]", zh), zh
    assert err.value.field is None and err.value.params["source"] == "bad.yaml"
    assert str(err.value).startswith("The rule set file bad.yaml was refused")
    assert err.value.words("zh_CN").startswith("规则集文件 bad.yaml 被拒绝")
    assert found[0].words("zh_CN") in err.value.words("zh_CN")


def test_many_problems_are_reported_together() -> None:
    def change(doc: dict[str, Any]) -> None:
        doc["status"] = "draft"
        doc["rules"][0]["tests"][0]["severity"] = "WARN"
        doc["categories"][0]["code"] = "x"

    with pytest.raises(RuleSetError) as err:
        parse_ruleset(dump(variant(change)), source="bad.yaml", published={})
    assert len(err.value.problems) == 3
    assert err.value.code == "ruleset.refused_many" and err.value.params["count"] == 3
    assert "it has 3 problems" in str(err.value)
    assert "共有 3 个问题" in err.value.words("zh_CN")


def test_a_refusal_words_the_first_twenty_problems_and_counts_them_all() -> None:
    def change(doc: dict[str, Any]) -> None:
        for i in range(25):
            doc[f"colour{i}"] = "red"

    with pytest.raises(RuleSetError) as err:
        parse_ruleset(dump(variant(change)), source="bad.yaml", published={})
    assert err.value.params["count"] == 25
    english = str(err.value)
    assert english.count("Unknown key") == 20 and "... Nothing of this file was loaded" in english


@pytest.mark.parametrize(
    ("text", "code", "words"),
    [
        ("id: [unclosed", "ruleset.yaml_invalid_at", "Not valid YAML at line 2, column 1"),
        ("- just\n- a list\n", "ruleset.not_mapping", "must hold a mapping"),
        ("", "ruleset.not_mapping", "must hold a mapping"),
        (TEXT.replace("format: 1\n", "format: 1\nformat: 1\n"), "ruleset.key_twice", "format appears twice"),
        (TEXT.replace('effective_from: "2026-01-01"', "effective_from: 2026-01-01"), "ruleset.quote_it",
         "a date (2026-01-01). Put it in quotes."),
        ("? [a, b]\n: 1\n", "ruleset.key_not_plain", "plain value"),
    ],
)
def test_broken_yaml_is_refused(text: str, code: str, words: str) -> None:
    with pytest.raises(RuleSetError) as err:
        parse_ruleset(text, source="broken.yaml", published={})
    assert [p.code for p in err.value.problems] == [code]
    assert words in str(err.value)
    assert re.search("[\u4e00-\u9fff]", err.value.words("zh_CN"))


def test_a_refused_file_is_never_half_loaded(tmp_path: Path) -> None:
    data_dir = DataDir(tmp_path / "yard")
    (data_dir.root / "standards").mkdir(parents=True)
    bad = variant(lambda d: d["rules"][0]["tests"][0].update(severity="WARN"), version="3.0.0")
    (data_dir.root / "standards" / "bad.yaml").write_text(dump(bad), encoding="utf-8")
    with pytest.raises(RuleSetError, match=r"rules\[0\]\.tests\[0\]\.severity: 'WARN' is not allowed"):
        installed_rulesets(data_dir)
    assert [r.version for r in installed_rulesets()] == ["0.1.0"]


def test_an_oversized_file_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("# " + "x" * 2_100_000 + "\n" + TEXT, encoding="utf-8")
    with pytest.raises(RuleSetError) as err:
        load_ruleset(big)
    assert err.value.problems[0].code == "ruleset.file_too_large"
    assert "a rule set file is at most 2,000,000 bytes" in str(err.value)


def test_a_malformed_published_list_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from inspector.standard import loader

    (tmp_path / "PUBLISHED").write_text("# pins\nCN-RE2R 0.1.0\n", encoding="utf-8")
    monkeypatch.setattr(loader, "shipped_dir", lambda: tmp_path)
    with pytest.raises(RuleSetError, match="Line 2 of the list of published rule sets"):
        loader.published_hashes()
    (tmp_path / "PUBLISHED").unlink()
    assert loader.published_hashes() == {}


def test_no_usable_default_is_an_installation_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from inspector.errors import EnvironmentProblemError
    from inspector.standard import loader

    monkeypatch.setattr(loader, "shipped_dir", lambda: tmp_path)
    with pytest.raises(EnvironmentProblemError, match="reinstall") as err:
        default_ruleset()
    assert err.value.code == "ruleset.default_missing"
    assert err.value.words("zh_CN").endswith("安装不完整，请重新安装 Yard Inspector。")


def test_a_file_that_vanishes_while_loading_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "rs.yaml"
    path.write_text(TEXT, encoding="utf-8")

    def fail(_self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", fail)
    with pytest.raises(UserError) as err:
        load_ruleset(path)
    assert err.value.code == "standard.file_permission" and err.value.params["path"] == str(path)
    assert "cannot be read: permission denied" in str(err.value)
    assert err.value.words("zh_CN").startswith(f"无法读取规则集文件 {path}：没有权限。")


def test_an_attribute_required_twice_is_asked_for_once() -> None:
    doc = variant(lambda d: d["categories"][0]["required"].extend(["origin", "treo_basis"]))
    rs = parse_ruleset(dump(doc), source="twice.yaml")
    needed = rs.categories["NDFEB-PS"].required_upto[-1]
    assert needed.count("origin") == 1 and needed.count("treo_basis") == 1
