from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspector.errors import UserError
from inspector.uscc import ALPHABET, check_character, normalize_uscc

# Well-formed codes with correct check characters.
KNOWN_VALID = ["91350100M000100Y43", "91110000100006485K", "91440300192241158P"]


@pytest.mark.parametrize("code", KNOWN_VALID)
def test_published_codes_are_accepted(code: str) -> None:
    assert normalize_uscc(code) == code


def test_spaces_and_case_are_normalised() -> None:
    assert normalize_uscc(" 91350100m000100y43 ") == "91350100M000100Y43"


@pytest.mark.parametrize(
    ("code", "error", "words", "chinese"),
    [
        ("9135010M000100Y43", "uscc.length", "18 characters; this one has 17", "应为 18 位，此代码为 17 位"),
        ("91350100M000100I43", "uscc.characters", "found I.", "此代码含有 I。"),
        ("9135010OM00100I43A", "uscc.characters", "found I, O.", "此代码含有 I、O。"),
        ("91350100M000100Y44", "uscc.check_character", "check character", "（末位为 4，按前 17 位应为 3）"),
    ],
)
def test_bad_codes_say_what_is_wrong(code: str, error: str, words: str, chinese: str) -> None:
    with pytest.raises(UserError) as info:
        normalize_uscc(code, field="supplier.uscc")
    assert info.value.code == error
    assert words in str(info.value)
    assert chinese in info.value.words("zh_CN")
    assert info.value.field == "supplier.uscc"


@given(st.text(alphabet=ALPHABET, min_size=17, max_size=17))
def test_every_generated_code_validates_and_any_changed_check_fails(body: str) -> None:
    check = check_character(body)
    assert normalize_uscc(body + check) == body + check
    wrong = ALPHABET[(ALPHABET.index(check) + 1) % 31]
    with pytest.raises(UserError):
        normalize_uscc(body + wrong)
