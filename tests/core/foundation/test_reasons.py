"""One rule for what a person must write on the record, wherever it is asked."""

from __future__ import annotations

import pytest

from inspector.errors import UserError
from inspector.reasons import MIN_REASON_LENGTH, long_enough, require_reason


def test_a_reason_needs_five_characters_not_counting_spaces() -> None:
    assert MIN_REASON_LENGTH == 5
    assert long_enough("scale") and long_enough("  磅秤显示故障  ")
    assert not long_enough("    ok    ") and not long_enough(None) and not long_enough("")


def test_require_reason_names_the_field_and_returns_the_trimmed_text() -> None:
    assert require_reason("  display broken ", field="reason", message="Say why.") == "display broken"
    with pytest.raises(UserError) as info:
        require_reason(" ok ", field="manual_reason", message="Say why.", hint="At least 5 characters.")
    assert info.value.field == "manual_reason" and info.value.hint == "At least 5 characters."
