"""What a certificate holds: validation of its values and the content hash the register relies on."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from inspector.certificates.model import Bilingual, ChainHead, Signatory
from inspector.clock import Stamp
from inspector.errors import UserError

from .conftest import sample_data


def test_the_content_hash_is_stable_and_ignores_only_the_copy_flag() -> None:
    base = sample_data()
    assert base.content_hash() == sample_data().content_hash()
    assert len(base.content_hash()) == 64
    assert sample_data(copy=True).content_hash() == base.content_hash()
    for change in (
        {"revision": 2},
        {"grade": "A"},
        {"net_mass_kg": Decimal("24310.6")},
        {"tickets": ("T-2026-000311",)},
        {"supersedes": "2026-000120 rev 1"},
        {"chain_head": ChainHead(seq=4712, hash="3f" * 32)},
        {"approved_by": replace(base.approved_by, printed_name="Zhao Min")},
    ):
        assert sample_data(**change).content_hash() != base.content_hash(), change


def test_the_same_instant_in_another_zone_hashes_the_same_but_the_offset_counts() -> None:
    base = sample_data()
    stamp = base.approved_by.at
    same_instant = Stamp(utc=stamp.local(), offset_minutes=stamp.offset_minutes)  # +08:00-aware, same instant
    assert sample_data(approved_by=replace(base.approved_by, at=same_instant)).content_hash() == \
        base.content_hash()
    other_offset = Stamp(utc=stamp.utc, offset_minutes=420)
    assert sample_data(approved_by=replace(base.approved_by, at=other_offset)).content_hash() != \
        base.content_hash()


def test_the_content_is_canonical_json_ready() -> None:
    content = sample_data().content()
    assert content["format"] == 1
    assert "copy" not in content
    assert content["net_mass_kg"] == "24310.5"
    assert content["approved_by"]["at"] == {"utc": "2026-03-02T08:30:00.000000+00:00", "offset_minutes": 480}
    assert sample_data().reference == "2026-000123 rev 1"


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"number": "26-123"}, "number", "certificate.number_invalid"),
        ({"number": "2026-00012"}, "number", "certificate.number_invalid"),
        ({"revision": 0}, "revision", "certificate.revision_invalid"),
        ({"tickets": ()}, "tickets", "certificate.tickets_missing"),
        ({"net_mass_kg": Decimal("-1")}, "net_mass_kg", "certificate.mass_invalid"),
        ({"net_mass_kg": Decimal("NaN")}, "net_mass_kg", "certificate.mass_invalid"),
        ({"net_mass_kg": 24310.5}, "net_mass_kg", "certificate.mass_invalid"),
        ({"dry_mass_kg": Decimal("30000")}, "dry_mass_kg", "certificate.masses_inconsistent"),
        ({"contained_reo_kg": Decimal("20000")}, "dry_mass_kg", "certificate.masses_inconsistent"),
    ],
)
def test_bad_values_name_their_field(change: dict[str, object], field: str, code: str) -> None:
    with pytest.raises(UserError) as info:
        sample_data(**change)
    assert (info.value.field, info.value.code) == (field, code)
    assert info.value.words("en") and info.value.words("zh_CN")


def test_bad_values_are_said_in_chinese() -> None:
    with pytest.raises(UserError) as number:
        sample_data(number="26-123")
    assert number.value.words("zh_CN") == ("“26-123”不是证书编号：证书编号由年份和六位数字组成。"
                                           "例如 2026-000123。")
    with pytest.raises(UserError) as mass:
        sample_data(net_mass_kg=Decimal("-1"))
    assert mass.value.words("zh_CN") == "净重必须是有限且不小于零的千克数（当前为 -1）。"
    assert mass.value.words("en") == ("The net mass must be a finite, non-negative number of kilograms "
                                      "(got -1).")
    with pytest.raises(UserError) as order:
        sample_data(dry_mass_kg=Decimal("30000"))
    # The masses as a person reads them: grouped by thousands, with their unit.
    assert order.value.params == {"net": "24,310.5 kg", "dry": "30,000 kg", "reo": "4,084.2 kg"}
    assert order.value.words("zh_CN") == ("各项质量须满足：稀土氧化物含量 ≤ 干基质量 ≤ 净重"
                                          "（当前净重 24,310.5 kg，干基质量 30,000 kg，"
                                          "稀土氧化物含量 4,084.2 kg）。")


def test_parts_validate_themselves() -> None:
    with pytest.raises(UserError) as text:
        Bilingual(zh="", en="Grade")
    assert text.value.code == "certificate.text_missing"
    with pytest.raises(UserError) as head:
        ChainHead(seq=0, hash="3f" * 32)
    assert head.value.code == "certificate.chain_head_invalid"
    with pytest.raises(UserError):
        ChainHead(seq=1, hash="XYZ")
    with pytest.raises(UserError) as name:
        Signatory(printed_name=" ", role=Bilingual(zh="主管", en="Supervisor"),
                  at=Stamp(utc=datetime(2026, 3, 2, tzinfo=UTC), offset_minutes=480),
                  meaning=Bilingual(zh="批准", en="Approved"))
    assert name.value.code == "certificate.signatory_name_missing"
    with pytest.raises(UserError) as naive:
        Signatory(printed_name="Wang Fang", role=Bilingual(zh="主管", en="Supervisor"),
                  at=Stamp(utc=datetime(2026, 3, 2), offset_minutes=480),
                  meaning=Bilingual(zh="批准", en="Approved"))
    assert naive.value.code == "certificate.signature_time_naive"
