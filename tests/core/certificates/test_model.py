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
    ("change", "field"),
    [
        ({"number": "26-123"}, "number"),
        ({"number": "2026-00012"}, "number"),
        ({"revision": 0}, "revision"),
        ({"tickets": ()}, "tickets"),
        ({"net_mass_kg": Decimal("-1")}, "net_mass_kg"),
        ({"net_mass_kg": Decimal("NaN")}, "net_mass_kg"),
        ({"net_mass_kg": 24310.5}, "net_mass_kg"),
        ({"dry_mass_kg": Decimal("30000")}, "dry_mass_kg"),
        ({"contained_reo_kg": Decimal("20000")}, "dry_mass_kg"),
    ],
)
def test_bad_values_name_their_field(change: dict[str, object], field: str) -> None:
    with pytest.raises(UserError) as info:
        sample_data(**change)
    assert info.value.field == field


def test_parts_validate_themselves() -> None:
    with pytest.raises(UserError):
        Bilingual(zh="", en="Grade")
    with pytest.raises(UserError):
        ChainHead(seq=0, hash="3f" * 32)
    with pytest.raises(UserError):
        ChainHead(seq=1, hash="XYZ")
    with pytest.raises(UserError):
        Signatory(printed_name=" ", role=Bilingual(zh="主管", en="Supervisor"),
                  at=Stamp(utc=datetime(2026, 3, 2, tzinfo=UTC), offset_minutes=480),
                  meaning=Bilingual(zh="批准", en="Approved"))
    with pytest.raises(UserError):
        Signatory(printed_name="Wang Fang", role=Bilingual(zh="主管", en="Supervisor"),
                  at=Stamp(utc=datetime(2026, 3, 2), offset_minutes=480),
                  meaning=Bilingual(zh="批准", en="Approved"))
