"""The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters, the last one a check."""

from __future__ import annotations

from inspector.errors import UserError

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_character(first17: str) -> str:
    """The check character for the first 17 characters of a code."""
    total = sum(ALPHABET.index(ch) * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def normalize_uscc(text: str, *, field: str = "uscc") -> str:
    """Return the code in upper case without spaces, or raise a UserError saying exactly what is wrong."""
    code = "".join(text.split()).upper()
    if len(code) != 18:
        raise UserError("uscc.length", field=field, count=len(code))
    bad = sorted({ch for ch in code if ch not in ALPHABET})
    if bad:
        raise UserError("uscc.characters", field=field, letters=ALPHABET[10:], found=bad)
    expected = check_character(code[:17])
    if code[17] != expected:
        raise UserError("uscc.check_character", field=field, last=code[17], expected=expected)
    return code
