"""The command-line contract of the register: ``certificates list|issue|void|reissue|print`` and
``verify`` against the register of a data directory (exit 0 valid and in force, 1 invalid or void,
2 usage)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from inspector.cli import main
from inspector.services import certificates as svc
from tests.core.certificates.register.conftest import (
    PASSPHRASES,
    PASSWORDS,
    SUPERVISOR,
    RegisterYard,
    make_lot,
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def secrets(tmp_path: Path, name: str, **values: str) -> str:
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(values), encoding="utf-8")
    return str(path)


@pytest.fixture
def supervisor_secrets(tmp_path: Path) -> str:
    return secrets(tmp_path, "zhang", password=PASSWORDS[SUPERVISOR], key_passphrase=PASSPHRASES[SUPERVISOR])


def dd(ryard: RegisterYard) -> list[str]:
    return ["--data-dir", str(ryard.data_dir.root)]


def test_issue_list_void_reissue_and_verify(capsys: pytest.CaptureFixture[str], ryard: RegisterYard,
                                            supervisor_secrets: str, tmp_path: Path) -> None:
    lot_no = make_lot(ryard)
    ryard.store.close()  # the commands open the data directory themselves
    code, out, err = run(capsys, "certificates", "issue", lot_no, "--as", SUPERVISOR, "--secrets-file",
                         supervisor_secrets, *dd(ryard))
    assert (code, err) == (0, "")
    assert out.strip() == f"Issued 2026-000001 rev 1 for lot {lot_no}: 2026-000001-r1.pdf"
    pdf = ryard.data_dir.certificates / "2026-000001-r1.pdf"

    code, out, _ = run(capsys, "verify", str(pdf), *dd(ryard))
    assert code == 0
    assert out.startswith("VALID: certificate 2026-000001 rev 1, signed by 张敏 Zhang Min")
    assert "2026-000001 rev 1 is in the register and in force." in out

    code, out, _ = run(capsys, "certificates", "list", *dd(ryard))
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [(r["number"], r["revision"], r["status"], r["lot"]) for r in rows] == [
        ("2026-000001", 1, "issued", lot_no)]

    code, out, _ = run(capsys, "certificates", "void", "2026-000001", "--reason", "wrong lab report number",
                       "--as", SUPERVISOR, "--secrets-file", supervisor_secrets, *dd(ryard))
    assert code == 0 and out.strip() == "Voided 2026-000001 rev 1: wrong lab report number"

    code, out, _ = run(capsys, "verify", str(pdf), *dd(ryard))
    assert code == 1
    assert out.startswith("INVALID: 2026-000001 rev 1 is VOID in the register: wrong lab report number.")
    assert "The file itself is intact" in out
    code, out, _ = run(capsys, "verify", str(pdf), "--json", *dd(ryard))
    document = json.loads(out)
    assert code == 1 and document["valid"] is False and document["register"]["status"] == "void"

    code, out, _ = run(capsys, "certificates", "reissue", "2026-000001", "--as", SUPERVISOR, "--secrets-file",
                       supervisor_secrets, *dd(ryard))
    assert code == 0 and out.startswith("Reissued 2026-000001 rev 2")
    code, out, _ = run(capsys, "verify", str(ryard.data_dir.certificates / "2026-000001-r2.pdf"), *dd(ryard))
    assert code == 0

    code, out, _ = run(capsys, "certificates", "list", "--status", "void", *dd(ryard))
    assert [json.loads(line)["revision"] for line in out.splitlines()] == [1]


def test_a_clerk_issues_with_the_approvers_password_and_prints_a_copy(
        capsys: pytest.CaptureFixture[str], ryard: RegisterYard, tmp_path: Path) -> None:
    lot_no = make_lot(ryard)
    ryard.store.close()
    clerk = secrets(tmp_path, "clerk", password=PASSWORDS["chen.jing"], signer_password=PASSWORDS[SUPERVISOR],
                    key_passphrase=PASSPHRASES[SUPERVISOR])
    code, out, err = run(capsys, "certificates", "issue", lot_no, "--as", "chen.jing", "--secrets-file",
                         clerk, *dd(ryard))
    assert code == 0, err
    out_pdf = tmp_path / "copy.pdf"
    code, out, err = run(capsys, "certificates", "print", "2026-000001", "--out", str(out_pdf), "--as",
                         "chen.jing", "--secrets-file", clerk, *dd(ryard))
    assert code == 0, err
    assert out.strip() == f"Wrote a COPY of 2026-000001 rev 1 to {out_pdf}"
    assert out_pdf.read_bytes().startswith(b"%PDF-")
    # The COPY is not a signed file: verify says so (its QR is what a paper copy is checked with).
    code, out, _ = run(capsys, "verify", str(out_pdf), *dd(ryard))
    assert code == 1 and "no signature" in out
    code, out, _ = run(capsys, "certificates", "list", *dd(ryard))
    assert json.loads(out)["prints"] == 1


def test_verify_qr_against_the_register(capsys: pytest.CaptureFixture[str], ryard: RegisterYard,
                                        supervisor_secrets: str) -> None:
    lot_no = make_lot(ryard)
    ryard.store.close()
    assert run(capsys, "certificates", "issue", lot_no, "--as", SUPERVISOR, "--secrets-file",
               supervisor_secrets, *dd(ryard))[0] == 0
    with ryard.store.session() as s:
        qr_text = svc.get_certificate(s, "2026-000001").qr_text
    code, out, _ = run(capsys, "verify", "--qr", qr_text, *dd(ryard))
    assert code == 0 and "in force" in out
    assert run(capsys, "certificates", "void", "2026-000001", "--reason", "sample replaced", "--as",
               SUPERVISOR, "--secrets-file", supervisor_secrets, *dd(ryard))[0] == 0
    code, out, _ = run(capsys, "verify", "--qr", qr_text, *dd(ryard))
    assert code == 1 and "VOID in the register" in out


def test_refusals_exit_2_with_the_reason(capsys: pytest.CaptureFixture[str], ryard: RegisterYard,
                                         tmp_path: Path) -> None:
    lot_no = make_lot(ryard, approve=False)
    ryard.store.close()
    good = secrets(tmp_path, "good", password=PASSWORDS[SUPERVISOR], key_passphrase=PASSPHRASES[SUPERVISOR])
    code, _, err = run(capsys, "certificates", "issue", lot_no, "--as", SUPERVISOR, "--secrets-file", good,
                       *dd(ryard))
    assert code == 2 and "no approval in force" in err
    code, _, err = run(capsys, "certificates", "void", "2026-000009", "--reason", "typo in the lot",
                       "--as", SUPERVISOR, "--secrets-file", good, *dd(ryard))
    assert code == 2 and "no certificate 2026-000009" in err
    with pytest.raises(SystemExit) as caught:
        main(["certificates", "void", "2026-000009", "--as", SUPERVISOR, *dd(ryard)])  # no --reason
    assert caught.value.code == 2
    capsys.readouterr()


def test_a_wrong_key_passphrase_is_refused(capsys: pytest.CaptureFixture[str], ryard: RegisterYard,
                                           tmp_path: Path) -> None:
    lot_no = make_lot(ryard)
    ryard.store.close()
    bad = secrets(tmp_path, "bad", password=PASSWORDS[SUPERVISOR], key_passphrase="not the passphrase")
    code, _, err = run(capsys, "certificates", "issue", lot_no, "--as", SUPERVISOR, "--secrets-file", bad,
                       *dd(ryard))
    assert code == 2 and "passphrase" in err.lower()
    assert not any(ryard.data_dir.certificates.iterdir())


def test_the_register_commands_speak_chinese(capsys: pytest.CaptureFixture[str], ryard: RegisterYard,
                                             supervisor_secrets: str) -> None:
    lot_no = make_lot(ryard)
    ryard.store.close()
    zh = ["--lang", "zh_CN"]
    code, out, err = run(capsys, "certificates", "issue", lot_no, "--as", SUPERVISOR, "--secrets-file",
                         supervisor_secrets, *zh, *dd(ryard))
    assert (code, err) == (0, "")
    assert out == f"已签发证书 2026-000001（第 1 版），批次 {lot_no}：2026-000001-r1.pdf\n"
    code, out, _ = run(capsys, "certificates", "void", "2026-000001", "--reason", "化验报告编号有误", "--as",
                       SUPERVISOR, "--secrets-file", supervisor_secrets, *zh, *dd(ryard))
    assert code == 0 and out == "已作废证书 2026-000001（第 1 版）：化验报告编号有误\n"
    pdf = ryard.data_dir.certificates / "2026-000001-r1.pdf"
    code, out, _ = run(capsys, "verify", str(pdf), *zh, *dd(ryard))
    assert code == 1
    assert out.startswith("无效：证书 2026-000001（第 1 版）在登记簿中已作废，原因：化验报告编号有误。"
                          "文件本身完好（证书 2026-000001（第 1 版），由 张敏 Zhang Min 于 ")
    code, out, err = run(capsys, "certificates", "void", "2026-000009", "--reason", "typo in the lot", "--as",
                         SUPERVISOR, "--secrets-file", supervisor_secrets, *zh, *dd(ryard))
    assert code == 2 and out == ""
    assert err == ("yard-inspector：错误（number）：登记簿中没有证书 2026-000009。"
                   "证书编号形如 2026-000123；“yard-inspector certificates list”可列出所有证书。\n")
    code, out, _ = run(capsys, "verify", str(pdf), "--json", *zh, *dd(ryard))
    register = json.loads(out)["register"]
    assert code == 1 and (register["status"], register["code"]) == ("void", "verify.register.void_because")
    assert register["reason"] == "2026-000001 rev 1 is VOID in the register: 化验报告编号有误."
    assert register["message"] == "证书 2026-000001（第 1 版）在登记簿中已作废，原因：化验报告编号有误。"
