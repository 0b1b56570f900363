"""One rule for what a person must write on the record, wherever it is asked."""

from __future__ import annotations

import pytest

from inspector.errors import UserError
from inspector.reasons import MIN_REASON_LENGTH, REASON_TOO_SHORT, long_enough, require_reason


def test_a_reason_needs_five_characters_not_counting_spaces() -> None:
    assert MIN_REASON_LENGTH == 5
    assert long_enough("scale") and long_enough("  磅秤显示故障  ")
    assert not long_enough("    ok    ") and not long_enough(None) and not long_enough("")


def test_require_reason_names_the_field_and_returns_the_trimmed_text() -> None:
    assert require_reason("  display broken ", field="reason") == "display broken"
    with pytest.raises(UserError) as info:
        require_reason(" ok ", field="manual_reason")
    assert (info.value.code, info.value.field) == (REASON_TOO_SHORT, "manual_reason")
    assert info.value.params == {"minimum": MIN_REASON_LENGTH}
    assert str(info.value) == "manual_reason: The reason is too short to go on the record. Say why in at " \
        "least 5 characters."
    assert info.value.words("zh_CN") == "原因写得太短，不能记录在案。请至少用 5 个字说明原因。"


def test_a_caller_names_what_the_reason_is_for() -> None:
    with pytest.raises(UserError) as info:
        require_reason("", field="comment", code="uscc.length", count=3)
    assert info.value.code == "uscc.length"
    assert info.value.params == {"count": 3, "minimum": MIN_REASON_LENGTH}
