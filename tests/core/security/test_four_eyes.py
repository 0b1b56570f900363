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
    assert "recorded weighings" in str(err.value)
    with pytest.raises(PermissionDeniedError):
        require_approver(LI, weighed_by=["wang.lei"])  # an inspector alone has no approval right at all
    require_approver(ZHAO_BOTH, weighed_by=["li.wei"])  # someone else's lot is fine
    require_approver(ZHANG, weighed_by=["li.wei", "zhao.hui"])


def test_p14_an_administrator_may_not_approve_even_with_the_supervisor_role() -> None:
    with pytest.raises(PermissionDeniedError) as err:
        require_approver(ADMIN_SUPERVISOR, weighed_by=["li.wei"])
    assert "administrator" in str(err.value)
    with pytest.raises(PermissionDeniedError):
        require_approver(SYSTEM, weighed_by=[])


def test_p14_a_manual_weight_needs_a_second_person() -> None:
    with pytest.raises(PermissionDeniedError):
        require_second_person(entered_by="zhang.min", confirmer=ZHANG)
    with pytest.raises(PermissionDeniedError):
        require_second_person(
            entered_by="li.wei", confirmer=Actor("wang.lei", "W", frozenset({Role.INSPECTOR}))
        )
    require_second_person(entered_by="li.wei", confirmer=ZHANG)
    with pytest.raises(PermissionDeniedError):
        check_four_eyes(approver=ZHANG, weighed_by=["li.wei"], manual_weights=[("li.wei", None)])
    with pytest.raises(PermissionDeniedError):
        check_four_eyes(approver=ZHANG, weighed_by=["li.wei"], manual_weights=[("li.wei", "li.wei")])
    check_four_eyes(approver=ZHANG, weighed_by=["li.wei"], manual_weights=[("li.wei", "zhao.hui")])
