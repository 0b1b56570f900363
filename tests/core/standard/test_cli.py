"""The command line contract of ``classify`` and ``standards``."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from inspector.cli import main
from inspector.clock import FixedClock
from inspector.datadir import DataDir
from inspector.storage.db import Store
from inspector.storage.models.core import Yard
from tests.core.standard.helpers import SHIPPED, raw_attributes


def write_load(tmp_path: Path, load: Any, name: str = "load.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(load, ensure_ascii=False), encoding="utf-8")
    return str(path)


def lab_load(category: str = "NDFEB-SL", **changes: Any) -> dict[str, Any]:
    return {"category": category, "stage": "lab", "attributes": raw_attributes(category, **changes)}


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_classify_prints_one_json_object(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "classify", write_load(tmp_path, lab_load(treo_pct="25.0")))
    assert code == 0 and err == ""
    result = json.loads(out)
    assert out.count("\n") == 1
    assert result["outcome"] == "ACCEPT" and result["grade"] == "A" and result["status"] == "final"
    assert result["category"] == "NDFEB-SL" and result["missing"] == []
    assert result["derived"] == {"dose_net_usv_h": "0.05", "treo_pct_dry_oxide": "25.0"}
    assert result["ruleset"]["id"] == "CN-RE2R" and result["ruleset"]["version"] == "0.1.0"
    assert len(result["ruleset"]["sha256"]) == 64
    assert all({"rule", "severity", "passed"} <= set(f) for f in result["findings"])
    assert result["category_name"] == {"zh": "钕铁硼油泥/磨泥", "en": "NdFeB grinding/oil sludge"}
    g6 = next(f for f in result["findings"] if f["rule"] == "G6")
    assert g6["text"]["en"] == "Inclusions (visual estimate) 1.0 % is within the limit of 2.0 %"
    assert g6["text"]["zh"].startswith("夹杂物含量（目测）1.0 %")  # the rule set's words, typeset


def test_classify_reads_standard_input(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(lab_load(prohibited_items_found=True))))
    code, out, _ = run_cli(capsys, "classify", "-")
    assert code == 0
    assert json.loads(out)["outcome"] == "REJECT"


@pytest.mark.parametrize(
    ("outcome", "changes"),
    [
        ("REJECT", {"air_isolated_packaging": False}),
        ("HOLD", {"portal_alarm": True}),
        ("INCOMPLETE", {"treo_pct": None}),
    ],
)
def test_classify_exits_0_whatever_the_outcome(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], outcome: str, changes: dict[str, Any]
) -> None:
    code, out, _ = run_cli(capsys, "classify", write_load(tmp_path, lab_load(**changes)))
    assert code == 0 and json.loads(out)["outcome"] == outcome


def test_gate_stage_is_a_provisional_accept(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    load = {"category": "NDFEB-SL", "stage": "gate", "attributes": raw_attributes("NDFEB-SL", "gate")}
    code, out, _ = run_cli(capsys, "classify", write_load(tmp_path, load))
    result = json.loads(out)
    assert (code, result["outcome"], result["grade"], result["status"]) == (0, "ACCEPT", None, "provisional")


@pytest.mark.parametrize(
    ("load", "field"),
    [
        (lab_load(treo_pct="lots"), "attributes.treo_pct"),
        (lab_load(treo_pct="-1"), "attributes.treo_pct"),
        (lab_load(moisture_pct="101"), "attributes.moisture_pct"),
        (lab_load(treo_pct=25.5), "attributes.treo_pct"),
        (lab_load(portal_alarm="no"), "attributes.portal_alarm"),
        (lab_load(colour="red"), "attributes.colour"),
        ({**lab_load(), "category": "NDFEB-ZZ"}, "category"),
        ({**lab_load(), "stage": "weighing"}, "stage"),
        ({**lab_load(), "permit_codes": ["49"]}, "permit_codes[0]"),
        ({**lab_load(), "attributes": "none"}, "attributes"),
        ([1, 2], "load"),
    ],
)
def test_invalid_input_exits_2_with_one_line_naming_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], load: Any, field: str
) -> None:
    code, out, err = run_cli(capsys, "classify", write_load(tmp_path, load))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"yard-inspector: error: {field}: ")


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("{not json", "is not valid JSON: a field name in double quotes is expected here (line 1, column 2)"),
        ('{"category": "SMCO", "category": "SMCO"}', "error: category: This field appears twice"),
        (b"\xff\xfe", "not UTF-8"),
    ],
)
def test_unreadable_input_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | bytes, words: str
) -> None:
    path = tmp_path / "load.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    code, _, err = run_cli(capsys, "classify", str(path))
    assert code == 2 and words in err and err.count("\n") == 1


def test_a_missing_load_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "classify", str(tmp_path / "nope.json"))
    nope = tmp_path / "nope.json"
    assert code == 2
    assert err == f"yard-inspector: error: The load file {nope} does not exist. " \
        "Check the folder and the name of the file.\n"


def test_classify_without_a_yard_creates_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    default_home = Path(os.environ["YARD_INSPECTOR_HOME"])
    assert not default_home.exists()
    load = {**lab_load("PHOSPHOR", hazardous_waste_code="HW29")}
    code, out, _ = run_cli(capsys, "classify", write_load(tmp_path, load))
    assert code == 0 and json.loads(out)["outcome"] == "REJECT"  # no yard, no permits
    assert not default_home.exists()
    missing = tmp_path / "no-yard"
    code, out, err = run_cli(capsys, "classify", "--data-dir", str(missing), write_load(tmp_path, load))
    assert code == 0 and json.loads(out)["outcome"] == "REJECT"
    assert "no yard database" in err and not missing.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["load.json"]


def test_permit_codes_default_to_the_yards(
    store: Store, clock: FixedClock, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with store.session() as s:
        s.add(Yard(legal_name="Baotou Yard", hw_permit_codes=["HW29"], created_at=clock.now().utc))
    load_file = write_load(tmp_path, lab_load("PHOSPHOR", hazardous_waste_code="HW29"))
    data_dir = str(store.data_dir.root)
    code, out, _ = run_cli(capsys, "classify", "--data-dir", data_dir, load_file)
    assert code == 0 and json.loads(out)["outcome"] == "ACCEPT"
    # permit codes given in the load win over the yard's
    explicit = write_load(
        tmp_path, {**lab_load("PHOSPHOR", hazardous_waste_code="HW29"), "permit_codes": []}, "explicit.json"
    )
    code, out, _ = run_cli(capsys, "classify", "--data-dir", data_dir, explicit)
    assert json.loads(out)["outcome"] == "REJECT"


def test_classify_under_another_rule_set_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    doc["version"] = "0.9.0"
    doc["categories"][1]["grading"]["bands"][0]["min"] = "26.0"
    ruleset = tmp_path / "rs.yaml"
    ruleset.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    code, out, _ = run_cli(
        capsys, "classify", "--ruleset", str(ruleset), write_load(tmp_path, lab_load(treo_pct="25.0"))
    )
    result = json.loads(out)
    assert code == 0 and result["ruleset"]["version"] == "0.9.0" and result["grade"] == "B"
    doc["status"] = "draft"
    ruleset.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    code, out, err = run_cli(capsys, "classify", "--ruleset", str(ruleset), write_load(tmp_path, lab_load()))
    assert code == 2 and out == "" and str(ruleset) in err and "status" in err


def test_standards_list_show_validate(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "standards", "list")
    listed = json.loads(out)
    assert code == 0 and [(r["id"], r["version"], r["in_force"]) for r in listed] == [
        ("CN-RE2R", "0.1.0", True)
    ]
    code, out, _ = run_cli(capsys, "standards", "show", "CN-RE2R@0.1.0")
    shown = json.loads(out)
    assert code == 0 and shown["document"]["categories"][0]["code"] == "NDFEB-PS"
    code, out, _ = run_cli(capsys, "standards", "show", "CN-RE2R")
    assert json.loads(out)["ruleset"]["version"] == "0.1.0"
    code, out, err = run_cli(capsys, "standards", "show", "CN-RE2R@7.0.0")
    assert code == 2 and "No rule set CN-RE2R@7.0.0 is installed. Installed: CN-RE2R@0.1.0." in err
    code, out, _ = run_cli(capsys, "standards", "validate", str(SHIPPED))
    assert code == 0 and json.loads(out)["valid"] is True and json.loads(out)["categories"] == 13
    code, out, _ = run_cli(capsys, "standards")
    assert code == 2


def test_standards_validate_refuses_a_malformed_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    doc["version"] = "0.2.0"
    doc["rules"][0]["tests"][0]["severity"] = "SEVERE"
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    code, out, err = run_cli(capsys, "standards", "validate", str(bad))
    assert code == 2 and out == "" and err.count("\n") == 1
    assert str(bad) in err and "rules[0].tests[0].severity" in err


def test_standards_diff(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    doc["version"] = "0.2.0"
    doc["rules"][1]["tests"][0]["limits"][0]["value"] = "0.20"
    newer = tmp_path / "newer.yaml"
    newer.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    code, out, _ = run_cli(capsys, "standards", "diff", "CN-RE2R@0.1.0", str(newer))
    result = json.loads(out)
    assert code == 0 and result["b"]["version"] == "0.2.0"
    assert {c["path"] for c in result["changes"]} == {"version", "rules[G2].tests[0].limits[0].value"}


def test_standards_list_with_a_yard(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    data_dir: DataDir = store.data_dir
    code, out, _ = run_cli(capsys, "standards", "list", "--data-dir", str(data_dir.root))
    assert code == 0 and json.loads(out)[0]["in_force"] is True


def test_oversized_input_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "big.json"
    big.write_text(" " * 1_000_001 + "{}", encoding="utf-8")
    code, _, err = run_cli(capsys, "classify", str(big))
    assert code == 2 and "larger than" in err
    monkeypatch.setattr("sys.stdin", io.StringIO(" " * 1_000_001 + "{}"))
    code, _, err = run_cli(capsys, "classify", "-")
    assert code == 2 and "standard input" in err


# ---- the user's language ------------------------------------------------------------------------------

# Every kind of bad load the checks refuse, the field named, and what the Chinese line must say about it.
CHINESE: list[tuple[str, Any, str, str]] = [
    ("unknown field", {**lab_load(), "colour": "red"}, "colour", "车次数据中没有这个字段"),
    ("unknown attribute", lab_load(colour="red"), "attributes.colour", "未知属性"),
    (
        "misspelt attribute",
        lab_load(treo_pctt="25"),
        "attributes.treo_pctt",
        "是否应为 treo_pct（稀土总量（TREO））",
    ),
    ("wrong type", lab_load(treo_pct=25.5), "attributes.treo_pct", "稀土总量（TREO）的类型错误（数字）"),
    (
        "not a flag",
        lab_load(portal_alarm="no"),
        "attributes.portal_alarm",
        "通道式辐射监测报警的类型错误（字符串）",
    ),
    ("not a number", lab_load(treo_pct="lots"), "attributes.treo_pct", "“lots”不是数字：稀土总量（TREO）"),
    ("negative", lab_load(treo_pct="-1"), "attributes.treo_pct", "稀土总量（TREO） -1 %：百分比不能为负数"),
    ("over 100", lab_load(moisture_pct="101"), "attributes.moisture_pct", "水分 101 %：百分比不能超过 100"),
    ("too small", lab_load(dose_gross_usv_h="-1"), "attributes.dose_gross_usv_h", "最小允许值为 0 µSv/h"),
    ("not whole", lab_load(package_count="two"), "attributes.package_count", "“two”不是整数：包装件数"),
    (
        "moisture and oil",
        lab_load(moisture_pct="60", oil_pct="40"),
        "attributes.oil_pct",
        "两者之和必须低于 100 %",
    ),
    ("unknown category", {**lab_load(), "category": "NDFEB-ZZ"}, "category", "没有类别 NDFEB-ZZ"),
    ("unknown stage", {**lab_load(), "stage": "weighing"}, "stage", "不能是 weighing"),
    (
        "bad choice",
        lab_load(treo_basis="metallic"),
        "attributes.treo_basis",
        "“metallic”不是TREO 计算基准的可选项",
    ),
    (
        "bad code",
        lab_load(hazardous_waste_code="HW4"),
        "attributes.hazardous_waste_code",
        "不符合危险废物代码要求的格式",
    ),
    ("empty text", lab_load(generating_enterprise=" "), "attributes.generating_enterprise", "产生单位为空"),
    ("text type", lab_load(origin=3), "attributes.origin", "来源的类型错误（数字）：必须是文字"),
    ("bad permit", {**lab_load(), "permit_codes": ["49"]}, "permit_codes[0]", "49 不是危险废物代码"),
    ("attributes not an object", {**lab_load(), "attributes": "none"}, "attributes", "attributes 必须是"),
    ("not an object", [1, 2], "load", "车次数据必须是包含"),
]


@pytest.mark.parametrize(("load", "field", "words"), [c[1:] for c in CHINESE], ids=[c[0] for c in CHINESE])
def test_lang_zh_cn_explains_the_bad_field_in_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], load: Any, field: str, words: str
) -> None:
    code, out, err = run_cli(capsys, "classify", "--lang", "zh_CN", write_load(tmp_path, load))
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith(f"yard-inspector：错误（{field}）：") and words in err, err
    assert err.rstrip().endswith("。")


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("{not json", "不是有效的 JSON：此处应有用双引号括起的字段名（第 1 行第 2 列）。"),
        ('{"category": "SMCO",}', "不是有效的 JSON："),
        ('{"category": "SMCO", "category": "SMCO"}', "错误（category）：此字段在同一个 JSON 对象中"),
        (b"\xff\xfe", "不是 UTF-8 文本。请将文件另存为 UTF-8 编码。"),
    ],
)
def test_unreadable_input_is_explained_in_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | bytes, words: str
) -> None:
    path = tmp_path / "load.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    code, _, err = run_cli(capsys, "classify", "--lang", "zh_CN", str(path))
    assert code == 2 and words in err and err.count("\n") == 1
    code, _, err = run_cli(capsys, "classify", "--lang", "zh_CN", str(tmp_path / "nope.json"))
    nope = tmp_path / "nope.json"
    assert code == 2 and err == f"yard-inspector：错误：车次数据文件 {nope} 不存在。请检查文件夹和文件名。\n"
    code, _, err = run_cli(capsys, "classify", "--lang", "zh_CN", str(tmp_path))
    assert code == 2 and "是文件夹，不是车次数据文件。" in err


def test_the_locale_speaks_chinese_and_json_keeps_the_code(tmp_path: Path) -> None:
    """``LANG=zh_CN.UTF-8 yard-inspector classify bad.json``, as a person runs it."""
    import subprocess
    import sys

    bad = write_load(tmp_path, lab_load(treo_pct="lots"), "bad.json")
    env = {"PATH": "/usr/bin:/bin", "LANG": "zh_CN.UTF-8", "HOME": str(tmp_path),
           "YARD_INSPECTOR_HOME": str(tmp_path / "home")}
    repo = Path(__file__).resolve().parents[3]
    run = subprocess.run([sys.executable, "-m", "inspector.cli", "classify", bad], capture_output=True,
                         text=True, env=env, cwd=repo, check=False)
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr == "yard-inspector：错误（attributes.treo_pct）：“lots”不是数字：" \
        "稀土总量（TREO）须写成普通的十进制数字，例如 \"25.0\"。\n"
    english = subprocess.run([sys.executable, "-m", "inspector.cli", "classify", bad], capture_output=True,
                             text=True, env={**env, "LANG": "en_US.UTF-8"}, cwd=repo, check=False)
    assert english.stderr == "yard-inspector: error: attributes.treo_pct: 'lots' is not a number: " \
        "write Total rare-earth oxides (TREO) in plain decimal digits, e.g. \"25.0\".\n"
    assert not (tmp_path / "home").exists()


def test_a_refused_rule_set_is_explained_in_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    doc["version"] = "0.2.0"
    doc["rules"][0]["tests"][0]["severity"] = "SEVERE"
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    code, out, err = run_cli(capsys, "standards", "validate", "--lang", "zh_CN", str(bad))
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith(f"yard-inspector：错误：规则集文件 {bad} 被拒绝。")
    assert "rules[0].tests[0].severity：不允许“SEVERE”；" in err
    assert "允许的值为 REJECT、HOLD、DOWNGRADE。" in err


def test_the_note_without_a_yard_is_in_the_users_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "no-yard"
    code, _, err = run_cli(capsys, "classify", "--lang", "zh_CN", "--data-dir", str(missing),
                           write_load(tmp_path, lab_load()))
    assert code == 0
    assert err == f"yard-inspector：提示：{missing} 中没有本堆场数据库；判定时不使用本堆场的许可证代码。\n"
    code, _, err = run_cli(capsys, "standards", "list", "--lang", "zh_CN", "--data-dir", str(missing))
    assert code == 0
    assert err == f"yard-inspector：提示：{missing} 中没有本堆场数据库；只列出随软件提供的规则集。\n"


@pytest.mark.parametrize(
    ("error", "english", "chinese"),
    [
        (PermissionError(13, "Permission denied"), "cannot be read: permission denied.", "：没有权限。"),
        (OSError(5, "Input/output error"), "cannot be read (system error EIO).", "（系统错误 EIO）。"),
    ],
)
def test_a_load_file_that_cannot_be_read_is_explained(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    error: OSError,
    english: str,
    chinese: str,
) -> None:
    from inspector import messages

    path = write_load(tmp_path, lab_load())
    for lang in messages.LANGUAGES:
        messages.catalogue(lang)  # read before every file read fails
    real = Path.read_text

    def fail(self: Path, *args: Any, **kwargs: Any) -> str:
        if str(self) == path:
            raise error
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", fail)
    code, _, err = run_cli(capsys, "classify", "--lang", "en", path)
    assert code == 2 and err.startswith(f"yard-inspector: error: The load file {path} ") and english in err
    code, _, err = run_cli(capsys, "classify", "--lang", "zh_CN", path)
    assert code == 2 and chinese in err
    assert err.startswith(f"yard-inspector：错误：无法读取车次数据文件 {path}")
