"""Mass balance arithmetic (DOMAIN §6, §9): exact Decimal, GB/T 8170 judging of the lot grade, and the
property that split and merge never create or lose a kilogram."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspector.errors import UserError
from inspector.lots import massbalance as mb
from inspector.services import lots as svc
from inspector.states import LotState
from inspector.storage.models.lots import Lot, LotLoad
from tests.core.lots.conftest import Yard, add_load

BANDS = (mb.Band("A", Decimal("30.0")), mb.Band("B", Decimal("25.0")), mb.Band("C", Decimal("20.0")))


def share(load_id: int, net: int, treo: str | None, moisture: str = "0", oil: str = "0") -> mb.LoadShare:
    return mb.LoadShare(
        load_id=load_id,
        ticket_no=f"T{load_id}",
        share=net,
        moisture_pct=Decimal(moisture),
        oil_pct=Decimal(oil),
        treo_pct=None if treo is None else Decimal(treo),
    )


def test_dry_mass_and_contained_reo_per_load() -> None:
    s = share(1, 20_460, "28.0", moisture="8.5", oil="1.5")
    assert s.dry == Decimal("18414.000")  # 20460 × 0.90
    assert s.reo == Decimal("5155.92")  # 18414 × 28.0 / 100


def test_lot_treo_is_the_dry_mass_weighted_mean_and_graded_by_gbt8170() -> None:
    # 10 000 kg dry at 30.0 and 30 000 kg dry at 29.9: mean 29.925 → rounds to 29.9 against "30.0" → B.
    bal = mb.balance([share(1, 10_000, "30.0"), share(2, 30_000, "29.9")], BANDS)
    assert bal.net == 40_000
    assert bal.dry == Decimal(40_000)
    assert bal.treo_pct == Decimal("29.925")
    assert bal.grade == "B"
    # 29.95 rounds half-even to 30.0 → A (DOMAIN §6's own example).
    assert mb.balance([share(1, 1_000, "29.95")], BANDS).grade == "A"
    assert mb.balance([share(1, 1_000, "29.85")], BANDS).grade == "B"
    assert mb.balance([share(1, 1_000, "19.94")], BANDS).grade is None  # below range


def test_a_load_without_assay_leaves_the_lot_ungraded() -> None:
    bal = mb.balance([share(1, 1_000, "30.0"), share(2, 1_000, None)], BANDS)
    assert bal.missing_assay == ("T2",)
    assert bal.treo_pct is None and bal.grade is None


def test_treo_basis_conversions_use_the_engine() -> None:
    attrs = {
        "treo_pct": "25.0",
        "treo_basis": "metal",
        "treo_moisture_basis": "as_received",
        "moisture_pct": "10",
        "oil_pct": "10",
    }
    # 25.0 × 1.166 / 0.80
    assert mb.treo_dry_oxide(attrs, Decimal("1.166")) == Decimal("36.4375")
    assert mb.treo_dry_oxide({"treo_pct": "25.0"}, None) == Decimal("25.0")
    assert mb.treo_dry_oxide({}, None) is None


def test_impossible_moisture_is_refused_with_the_field() -> None:
    with pytest.raises(UserError) as err:
        mb.dry_fraction(Decimal("60"), Decimal("40"))
    assert err.value.field == "attributes.moisture_pct" and err.value.code == "lot.moisture_oil_invalid"
    assert err.value.words("zh_CN") == (
        "水分 60 % 与含油 40 % 之和为 100 %；两者均不得小于 0 %，且之和必须低于 100 %。"
        "请更正该车次的化验结果。")
    with pytest.raises(UserError) as err:
        mb.moisture_oil({"moisture_pct": 1.5})  # a float is never accepted
    assert err.value.code == "lot.attribute_not_decimal_text" and err.value.field == "attributes.moisture_pct"
    with pytest.raises(UserError) as err:
        mb.moisture_oil({"oil_pct": "a lot"})
    assert err.value.code == "lot.attribute_not_a_number" and err.value.field == "attributes.oil_pct"
    assert str(err.value) == ("attributes.oil_pct: The oil content (oil_pct) is 'a lot', not a number. "
                              "Correct the lab results of the load.")
    assert err.value.words("zh_CN").startswith("含油（oil_pct）为“a lot”，不是数字。")


weights = st.integers(min_value=1, max_value=5_000).map(lambda d: d * 10)
assays = st.sampled_from(["0", "8.5", "12.25"])
treos = st.sampled_from(["18.5", "22.0", "27.35", "31.2"])


@st.composite
def loads_and_plan(draw: st.DrawFn) -> tuple[list[tuple[int, str, str, str]], list[tuple[str, int]]]:
    loads = draw(st.lists(st.tuples(weights, assays, assays, treos), min_size=1, max_size=5))
    ops = draw(st.lists(st.tuples(st.sampled_from(["split", "merge"]), st.integers(0, 10_000)), max_size=6))
    return loads, ops


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=loads_and_plan())
def test_split_and_merge_never_create_or_lose_a_kilogram(yard: Yard, case: tuple[list, list]) -> None:
    loads_spec, ops = case
    inspector = yard.actor("li.wei")
    with yard.store.session() as s:
        loads = [add_load(s, yard.clock, net=net, moisture=m, oil=o, treo=t) for net, m, o, t in loads_spec]
        ids = [ld.id or 0 for ld in loads]
        bands, factor = svc.category_bands(yard.ruleset, "NDFEB-PS")
        whole = mb.balance(
            svc.shares_of(
                [
                    (
                        LotLoad(
                            lot_id=0,
                            load_id=ld.id or 0,
                            share=ld.net or 0,
                            added_by="",
                            added_at=yard.clock.now().utc,
                        ),
                        ld,
                    )
                    for ld in loads
                ],
                factor,
                {},
            ),
            bands,
        )
        lot = svc.create_lot(s, actor=inspector, clock=yard.clock, ruleset=yard.ruleset, load_ids=ids)
        lot_nos = [lot.lot_no]
    for kind, pick in ops:
        with yard.store.session() as s:
            live = [svc.get_lot(s, n) for n in lot_nos if svc.get_lot(s, n).state != LotState.VOID.value]
            if kind == "merge" and len(live) >= 2:
                a, b = live[pick % len(live)], live[(pick + 1) % len(live)]
                svc.merge_lots(s, actor=inspector, clock=yard.clock, lot_nos=[a.lot_no, b.lot_no])
                continue
            source = live[pick % len(live)]
            members = svc.members_of(s, source)
            total = sum(m.share for m in members)
            if total <= 10:
                continue
            member = members[pick % len(members)]
            # Move part of one load (in whole 10 kg divisions), never everything the lot holds.
            amount = min(member.share, total - 10)
            amount = max(10, (pick % max(1, amount // 10)) * 10 or 10)
            amount = min(amount, member.share, total - 10)
            new = svc.split_lot(
                s, actor=inspector, clock=yard.clock, lot_no=source.lot_no, move={member.load_id: amount}
            )
            lot_nos.append(new.lot_no)
    with yard.store.session() as s:
        live_lots = [lot for lot in (svc.get_lot(s, n) for n in lot_nos) if lot.state != LotState.VOID.value]
        for load_id, ld in zip(ids, loads, strict=True):
            assert svc.allocated(s, load_id) == ld.net
        totals = [svc.lot_balance(s, lot, yard.ruleset) for lot in live_lots]
        assert sum(t.net for t in totals) == whole.net
        assert sum((t.dry for t in totals), Decimal(0)) == whole.dry
        assert sum((t.reo for t in totals), Decimal(0)) == whole.reo
        assert all(isinstance(lot, Lot) for lot in live_lots)


def test_a_category_graded_on_another_value_is_graded_on_its_dry_weighted_mean() -> None:
    """SmCo grades on Sm %: two loads of 32.4 % and 16.0 % Sm, equal dry mass, mean 24.2 % -> B (>= 23.0)."""
    bands = (mb.Band("A", Decimal("30.0")), mb.Band("B", Decimal("23.0")), mb.Band("C", Decimal("15.0")))
    a = mb.LoadShare(1, "T1", 10_000, Decimal("0"), Decimal("0"), Decimal("36"), grading_pct=Decimal("32.4"))
    b = mb.LoadShare(2, "T2", 10_000, Decimal("0"), Decimal("0"), None, grading_pct=Decimal("16.0"))
    result = mb.balance([a, b], bands, graded_on_treo=False)
    assert result.grading_pct == Decimal("24.2") and result.grade == "B"
    assert result.treo_pct is None  # one load has no TREO: no lot TREO, but the Sm grade stands
    unknown = mb.LoadShare(3, "T3", 10_000, Decimal("0"), Decimal("0"), Decimal("30"))
    assert mb.balance([a, unknown], bands, graded_on_treo=False).missing_assay == ("T3",)
    assert mb.balance([a, unknown], bands, graded_on_treo=False).grade is None
