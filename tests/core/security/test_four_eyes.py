"""P14: an inspector cannot approve a lot holding their own weighings, an administrator cannot approve,
and a manual weight needs a second person."""

from __future__ import annotations

import pytest

from inspector.errors import PermissionDeniedError
from inspector.security.actor import SYSTEM, Actor, Role
from inspector.security.users import check_four_eyes, require_approver, require_second_person

ZHANG = Actor("zhang.min", "Zhang Min", frozenset({Role.SUPERVISOR}))
ZHAO_BOTH = Actor("zhao.hui", "Zhao Hui", frozenset({Role.SUPERVISOR, Role.INSPECTOR}))
LI = Actor("li.wei", "Li Wei", frozenset({Role.INSPECTOR}))
ADMIN_SUPERVISOR = Actor("admin", "Admin", frozenset({Role.ADMIN, Role.SUPERVISOR}))


def test_p14_an_inspector_may_not_approve_a_lot_holding_their_own_weighings() -> None:
    with pytest.raises(PermissionDeniedError) as err:
        require_approver(ZHAO_BOTH, weighed_by=["li.wei", "zhao.hui"])
    assert err.value.code == "four_eyes.own_weighings" and err.value.params["user"] == "zhao.hui"
    assert "recorded weighings in this lot and may not approve this lot" in str(err.value)
    assert err.value.words("zh_CN").startswith("Zhao Hui（zhao.hui）录入过本批次的过磅记录，无权批准此批次。")
    with pytest.raises(PermissionDeniedError) as err:
        require_approver(LI, weighed_by=["wang.lei"])  # an inspector alone has no approval right at all
    assert err.value.code == "role.denied"
    require_approver(ZHAO_BOTH, weighed_by=["li.wei"])  # someone else's lot is fine
    require_approver(ZHANG, weighed_by=["li.wei", "zhao.hui"])


def test_p14_an_administrator_may_not_approve_even_with_the_supervisor_role() -> None:
    with pytest.raises(PermissionDeniedError) as err:
        require_approver(ADMIN_SUPERVISOR, weighed_by=["li.wei"])
    assert err.value.code == "four_eyes.administrator"
    with pytest.raises(PermissionDeniedError) as err:
        require_approver(SYSTEM, weighed_by=[])
    assert err.value.code == "four_eyes.system"


def test_p14_a_manual_weight_needs_a_second_person() -> None:
    with pytest.raises(PermissionDeniedError) as err:
        require_second_person(entered_by="zhang.min", confirmer=ZHANG)
    assert err.value.code == "four_eyes.same_person"
    with pytest.raises(PermissionDeniedError) as err:
        require_second_person(
            entered_by="li.wei", confirmer=Actor("wang.lei", "W", frozenset({Role.INSPECTOR}))
        )
    assert err.value.code == "four_eyes.confirmer_not_supervisor"
    assert err.value.words("zh_CN") == ("W（wang.lei）无权确认此手工录入的重量：需要主管角色。"
                                        "请由主管确认手工录入的重量。")
    require_second_person(entered_by="li.wei", confirmer=ZHANG)
    with pytest.raises(PermissionDeniedError) as err:
        check_four_eyes(approver=ZHANG, weighed_by=["li.wei"], manual_weights=[("li.wei", None)])
    assert err.value.code == "four_eyes.manual_weight_unconfirmed" and err.value.params == {"user": "li.wei"}
    with pytest.raises(PermissionDeniedError):
        check_four_eyes(approver=ZHANG, weighed_by=["li.wei"], manual_weights=[("li.wei", "li.wei")])
    check_four_eyes(approver=ZHANG, weighed_by=["li.wei"], manual_weights=[("li.wei", "zhao.hui")])
