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
    assert g6["text"]["zh"].startswith("夹杂物含量(目测) 1.0 %")


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
        ("{not json", "not valid JSON"),
        ('{"category": "SMCO", "category": "SMCO"}', "category: the field appears"),
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
    assert code == 2 and "nope.json" in err and "cannot read the load" in err


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
    assert code == 2 and "no installed rule set" in err
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
