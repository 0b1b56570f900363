"""Parser fixtures per profile: documented frames, every status bit, parity, truncation, garbage."""

from __future__ import annotations

import pytest

from inspector.errors import UserError
from inspector.weighing.frame import Frame, Mode, Reject, mask_parity, parse_number
from inspector.weighing.profiles import PROFILES, Decoder, Indication, get_profile, toledo
from inspector.weighing.simulator import with_even_parity

# The research note's worked example: 12 340 kg gross, stable, e = 10 kg; the checksum byte is 0x0D.
TOLEDO_STABLE = bytes.fromhex("022a30202031323334302020202020300d0d")
TOLEDO_MOTION = bytes.fromhex("022a38202031323334302020202020300d05")


def _frame(result: Frame | Reject) -> Frame:
    assert isinstance(result, Frame), result
    return result


# -- Toledo continuous ----------------------------------------------------------------------------------


def test_toledo_worked_example_whose_checksum_byte_is_cr() -> None:
    assert TOLEDO_STABLE[-1] == 0x0D and TOLEDO_STABLE[-2] == 0x0D
    frame = _frame(toledo.TOLEDO_CONTINUOUS.parse(TOLEDO_STABLE, 7))
    assert (frame.weight, frame.unit, frame.mode, frame.stable) == (12340, "kg", Mode.GROSS, True)
    assert frame.tare == 0 and frame.raw == TOLEDO_STABLE and frame.received_ns == 7
    assert not frame.overload and not frame.underload and not frame.expanded and frame.error is None


def test_toledo_stream_is_never_split_on_cr() -> None:
    decoder = Decoder(toledo.TOLEDO_CONTINUOUS)
    frames = decoder.feed(TOLEDO_STABLE * 3 + TOLEDO_MOTION, 1)
    assert [f.stable for f in frames] == [True, True, True, False]
    assert decoder.health.rejected == 0


def test_toledo_motion_example() -> None:
    frame = _frame(toledo.TOLEDO_CONTINUOUS.parse(TOLEDO_MOTION, 0))
    assert frame.weight == 12340 and frame.stable is False


def test_toledo_encoder_reproduces_the_worked_examples() -> None:
    assert toledo.TOLEDO_CONTINUOUS.encode(Indication(12340)) == TOLEDO_STABLE
    assert toledo.TOLEDO_CONTINUOUS.encode(Indication(12340, stable=False)) == TOLEDO_MOTION


def test_toledo_bad_checksum_is_rejected() -> None:
    bad = TOLEDO_STABLE[:-1] + b"\x0e"
    assert toledo.TOLEDO_CONTINUOUS.parse(bad, 0) == Reject("checksum", bad)


def test_toledo_without_checksum_profile() -> None:
    frame = _frame(toledo.TOLEDO_CONTINUOUS_NO_CHECKSUM.parse(TOLEDO_STABLE[:-1], 0))
    assert frame.weight == 12340


def _with(
    swa: int = 0x2A,
    swb: int = 0x30,
    swc: int = 0x20,
    weight: bytes = b" 12340",
    tare: bytes = b"     0",
    profile: toledo.ToledoStatusMap = toledo.STANDARD_STATUS,
) -> Frame | Reject:
    body = bytes([0x02, swa, swb, swc]) + weight + tare + b"\r"
    raw = body + bytes([toledo.checksum_byte(body)])
    return toledo.make_parser(checksum=True, status=profile)(raw, 0)


@pytest.mark.parametrize(
    ("swb", "expect"),
    [
        (0x31, {"mode": Mode.NET}),
        (0x32, {"weight": -12340}),
        (0x34, {"overload": True, "underload": False}),
        (0x36, {"overload": False, "underload": True, "weight": -12340}),
        (0x38, {"stable": False}),
        (0x20, {"unit": "lb"}),
        (0x70, {"error": "power-up-not-zeroed"}),
    ],
)
def test_toledo_every_swb_bit(swb: int, expect: dict[str, object]) -> None:
    frame = _frame(_with(swb=swb))
    for name, value in expect.items():
        assert getattr(frame, name) == value, name


@pytest.mark.parametrize(
    ("swc", "expect"),
    [(0x21, {"unit": "g"}), (0x30, {"expanded": True}), (0x28, {"expanded": False, "stable": True})],
)
def test_toledo_every_swc_bit(swc: int, expect: dict[str, object]) -> None:
    frame = _frame(_with(swc=swc))
    for name, value in expect.items():
        assert getattr(frame, name) == value, name


@pytest.mark.parametrize(
    ("code", "weight", "decimals"),
    [
        (0, 1234000, 0),
        (1, 123400, 0),
        (2, 12340, 0),
        (3, 12340, 1),
        (4, 12340, 2),
        (5, 12340, 3),
        (6, 12340, 4),
        (7, 12340, 5),
    ],
)
def test_toledo_swa_decimal_point_and_dummy_zeros(code: int, weight: int, decimals: int) -> None:
    frame = _frame(_with(swa=0x28 | code))
    assert (frame.weight, frame.decimals) == (weight, decimals)


def test_toledo_status_words_without_bit5_are_rejected() -> None:
    assert isinstance(_with(swa=0x0A), Reject)


def test_toledo_clone_map_reads_unit_from_swc_bit0() -> None:
    clone = toledo.CLONE_SWC_UNIT_STATUS
    assert _frame(_with(swb=0x30, swc=0x21, profile=clone)).unit == "kg"
    assert _frame(_with(swb=0x30, swc=0x20, profile=clone)).unit == "lb"


def test_toledo_leading_spaces_and_bad_digits() -> None:
    assert _frame(_with(weight=b"     0")).weight == 0
    assert _with(weight=b"  12a0") == Reject("digits", _with(weight=b"  12a0").raw)  # type: ignore[union-attr]
    assert isinstance(_with(weight=b" 1_340"), Reject)


def test_seven_e1_bytes_read_as_8n1_are_masked() -> None:
    line = with_even_parity(TOLEDO_STABLE)
    assert line != TOLEDO_STABLE and mask_parity(line) == TOLEDO_STABLE
    frame = _frame(toledo.TOLEDO_CONTINUOUS.parse(line, 0))
    assert frame.weight == 12340 and frame.raw == line
    for name, profile in PROFILES.items():
        raw = with_even_parity(profile.encode(Indication(4560)))
        assert isinstance(profile.parse(raw, 0), Frame), name
        decoder = Decoder(profile, division=10, assumed_unit="kg")
        frames = decoder.feed(raw + raw, 0)
        assert [f.weight for f in frames] == [4560, 4560] and frames[0].raw == raw, name


def test_truncated_frame_then_good_frame() -> None:
    decoder = Decoder(toledo.TOLEDO_CONTINUOUS)
    frames = decoder.feed(TOLEDO_STABLE[:9] + TOLEDO_MOTION, 0)
    assert [f.stable for f in frames] == [False]
    assert decoder.health.rejected >= 1


def test_frames_split_across_reads_are_joined() -> None:
    decoder = Decoder(toledo.TOLEDO_CONTINUOUS)
    assert decoder.feed(TOLEDO_STABLE[:5], 0) == []
    assert decoder.feed(TOLEDO_STABLE[5:17], 0) == []
    assert [f.weight for f in decoder.feed(TOLEDO_STABLE[17:], 0)] == [12340]
    assert decoder.health.rejected == 0


def test_garbage_burst_with_start_bytes_resynchronises() -> None:
    burst = b"\x02\x02\xff\x0d\x00garbage\x02\r\n\x02" + bytes(range(0, 40))
    decoder = Decoder(toledo.TOLEDO_CONTINUOUS)
    frames = decoder.feed(TOLEDO_STABLE + burst + TOLEDO_MOTION + TOLEDO_STABLE, 0)
    assert [(f.weight, f.stable) for f in frames] == [(12340, True), (12340, False), (12340, True)]
    assert decoder.health.rejected > 0 and decoder.health.garbage_bytes > 0


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_every_profile_resynchronises_after_garbage(name: str) -> None:
    profile = PROFILES[name]
    good = profile.encode(Indication(23450))
    decoder = Decoder(profile, division=10, assumed_unit="kg")
    noise = b"\x02\n\r\x03ST,GS,\x00\xff" * 3 + b"\r\n"
    frames = decoder.feed(good + noise + good + good[:4] + noise + good, 0)
    assert [f.weight for f in frames] == [23450] * 3
    assert decoder.health.rejected > 0
    assert decoder.health.snapshot(0).rejected_last_minute == decoder.health.rejected


def test_link_health_forgets_rejects_after_a_minute() -> None:
    decoder = Decoder(toledo.TOLEDO_CONTINUOUS)
    decoder.feed(b"\x02junk-junk-junk-junk" + TOLEDO_STABLE, 0)
    assert decoder.health.rejected_last_minute(1_000) > 0
    assert decoder.health.rejected_last_minute(61_000_000_000) == 0


# -- MT-SICS ------------------------------------------------------------------------------------------------


def test_mt_sics_replies() -> None:
    parse = get_profile("mt-sics").parse
    stable = _frame(parse(b"S S     100.00 g\r\n", 0))
    assert (stable.weight, stable.decimals, stable.unit, stable.stable, stable.mode) == (
        10000,
        2,
        "g",
        True,
        Mode.NET,
    )
    assert _frame(parse(b"S D    12340 kg\r\n", 0)).stable is False
    assert _frame(parse(b"S S     -12.5 kg\r\n", 0)).weight == -125
    over = _frame(parse(b"S +\r\n", 0))
    assert over.overload and not over.underload
    assert _frame(parse(b"S -\r\n", 0)).underload
    assert parse(b"S I\r\n", 0) == Reject("not-executable", b"S I\r\n")
    assert parse(b"ES\r\n", 0) == Reject("indicator-error-ES", b"ES\r\n")
    assert _frame(parse(b"TA A      0 kg\r\n", 0)).mode is Mode.TARE
    for bad in (b"S S 12 kg", b"S Q 12 kg\r\n", b"X S 12 kg\r\n", b"S S 1x2 kg\r\n", b"\r\n"):
        assert isinstance(parse(bad, 0), Reject), bad


def test_mt_sics_is_gross_only_after_a_zero_tare_reply() -> None:
    decoder = Decoder(get_profile("mt-sics"))
    assert decoder.feed(b"S S      12340 kg\r\n", 0)[0].mode is Mode.NET
    assert decoder.feed(b"TA A      0 kg\r\n", 0) == []
    assert decoder.feed(b"S S      12340 kg\r\n", 0)[0].mode is Mode.GROSS
    decoder.feed(b"TA A   2000 kg\r\n", 0)
    frame = decoder.feed(b"S S      10340 kg\r\n", 0)[0]
    assert frame.mode is Mode.NET and frame.tare == 2000


def test_mt_sics_simulated_answers() -> None:
    profile = get_profile("mt-sics")
    assert profile.answer is not None
    moving = Indication(500, stable=False)
    assert profile.answer(b"S", moving) == b"S I\r\n"
    assert profile.answer(b"SI", moving) == b"S D        500 kg\r\n"
    assert profile.answer(b"XYZ", moving) == b"ES\r\n"


# -- SMA ---------------------------------------------------------------------------------------------------


def test_sma_documented_example() -> None:
    raw = b"\n 1G       12340kg \r"
    assert len(raw) == 20
    frame = _frame(get_profile("sma").parse(raw, 0))
    assert (frame.weight, frame.unit, frame.mode, frame.stable, frame.center_zero) == (
        12340,
        "kg",
        Mode.GROSS,
        True,
        False,
    )


def _sma(status: str, mode: str, motion: str, weight: str, unit: str = "kg ") -> bytes:
    return f"\n{status}1{mode}{motion} {weight:>10}{unit}\r".encode("ascii")


@pytest.mark.parametrize(
    ("raw", "expect"),
    [
        (_sma("Z", "G", " ", "0"), {"center_zero": True, "weight": 0, "stable": True}),
        (_sma("O", "G", " ", "-" * 10), {"overload": True}),
        (_sma("U", "G", " ", "-1230"), {"underload": True, "weight": -1230}),
        (_sma("E", "G", " ", "-" * 10), {"error": "zero-error"}),
        (_sma("I", "G", " ", "-" * 10), {"error": "initial-zero-error"}),
        (_sma("T", "G", " ", "-" * 10), {"error": "tare-error"}),
        (_sma(" ", "N", "M", "12340", "lb "), {"mode": Mode.NET, "stable": False, "unit": "lb"}),
        (_sma(" ", "g", " ", "123400"), {"expanded": True, "mode": Mode.GROSS}),
        (_sma(" ", "T", " ", "500"), {"mode": Mode.TARE}),
        (_sma(" ", "G", " ", "1234.5"), {"weight": 12345, "decimals": 1}),
    ],
)
def test_sma_status_mode_motion(raw: bytes, expect: dict[str, object]) -> None:
    frame = _frame(get_profile("sma").parse(raw, 0))
    for name, value in expect.items():
        assert getattr(frame, name) == value, name


def test_sma_refused_command_and_bad_frames() -> None:
    decoder = Decoder(get_profile("sma"))
    frames = decoder.feed(b"\n?\r" + b"\n 1G       12340kg \r", 0)
    assert [f.weight for f in frames] == [12340]
    parse = get_profile("sma").parse
    assert isinstance(parse(_sma("Q", "G", " ", "12340"), 0), Reject)
    assert isinstance(parse(_sma(" ", "X", " ", "12340"), 0), Reject)
    assert isinstance(parse(_sma(" ", "G", "Q", "12340"), 0), Reject)
    assert isinstance(parse(b"\n 1G       12340kg ", 0), Reject)


# -- Rice Lake ---------------------------------------------------------------------------------------------


def test_rice_lake_documented_example_and_status() -> None:
    parse = get_profile("rice-lake").parse
    frame = _frame(parse(b"\x02   12340KG \r\n", 0))
    assert (frame.weight, frame.unit, frame.mode, frame.stable) == (12340, "kg", Mode.GROSS, True)
    assert _frame(parse(b"\x02-  12340LNM\r\n", 0)).weight == -12340
    assert _frame(parse(b"\x02-  12340LNM\r\n", 0)).stable is False
    assert _frame(parse(b"\x02       0KGZ\r\n", 0)).center_zero is True
    assert _frame(parse(b"\x02 ^^^^^^^KGO\r\n", 0)).overload
    assert _frame(parse(b"\x02 ]]]]]]]KGO\r\n", 0)).underload
    assert _frame(parse(b"\x02  123.45TGI\r\n", 0)).error == "invalid"
    assert _frame(parse(b"\x02  123.45TG \r\n", 0)).decimals == 2
    assert isinstance(parse(b"\x02   12340XG \r\n", 0), Reject)
    assert isinstance(parse(b"\x02   12340KGB\r\n", 0), Reject)


# -- generic ST,GS ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "weight", "unit", "stable", "mode"),
    [
        (b"ST,GS,+0012340kg\r\n", 12340, "kg", True, Mode.GROSS),
        (b"US,GS,+0012340kg\r\n", 12340, "kg", False, Mode.GROSS),
        (b"ST,NT,-  12.5 kg\r\n", -125, "kg", True, Mode.NET),
        (b"ST GS +0123456\r\n", 123456, "", True, Mode.GROSS),
        (b"ST,GS+0012340lb\r\n", 12340, "lb", True, Mode.GROSS),
    ],
)
def test_generic_variants(raw: bytes, weight: int, unit: str, stable: bool, mode: Mode) -> None:
    frame = _frame(get_profile("generic-st-gs").parse(raw, 0))
    assert (frame.weight, frame.unit, frame.stable, frame.mode) == (weight, unit, stable, mode)


def test_generic_overload_and_rejects() -> None:
    parse = get_profile("generic-st-gs").parse
    assert _frame(parse(b"OL,GS,+-------kg\r\n", 0)).overload
    for bad in (b"XX,GS,+0012340kg\r\n", b"ST,GS,+00a2340kg\r\n", b"ST,GS,+0012340kg\r", b"ST,GS,+1zz\r\n"):
        assert isinstance(parse(bad, 0), Reject), bad


# -- XK3190-A9 ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "weight", "decimals"),
    [(b"\x02+00200021B\x03", 2000, 2), (b"\x02+001560019\x03", 1560, 0), (b"\x02+01234001F\x03", 12340, 0)],
)
def test_xk3190_documented_frames(raw: bytes, weight: int, decimals: int) -> None:
    frame = _frame(get_profile("xk3190-a9").parse(raw, 0))
    assert (frame.weight, frame.decimals, frame.stable, frame.unit) == (weight, decimals, None, "")
    assert get_profile("xk3190-a9").encode(Indication(weight, decimals=decimals)) == raw


def test_xk3190_checksum_and_framing() -> None:
    parse = get_profile("xk3190-a9").parse
    assert parse(b"\x02+01234001E\x03", 0) == Reject("checksum", b"\x02+01234001E\x03")
    assert isinstance(parse(b"\x02+01234001F\x04", 0), Reject)
    assert isinstance(parse(b"\x02*01234001F\x03", 0), Reject)
    decoder = Decoder(get_profile("xk3190-a9"), division=10, assumed_unit="kg")
    frames = decoder.feed(b"\x02+0123" + b"\x02+01234001F\x03", 0)
    assert [(f.weight, f.unit) for f in frames] == [(12340, "kg")]


# -- helpers -----------------------------------------------------------------------------------------------


def test_parse_number() -> None:
    assert parse_number(" -012.50") == (-1250, 2)
    assert parse_number("12340") == (12340, 0)
    assert parse_number("+ 5") == (5, 0)
    for bad in ("", "-", "1.2.3", "1_0", "١٢", "12a"):
        assert parse_number(bad) is None, bad


def test_unknown_profile_is_a_user_error() -> None:
    with pytest.raises(UserError) as info:
        get_profile("nope")
    assert (info.value.field, info.value.code) == ("profile", "scale.profile_unknown")
    assert info.value.params["profile"] == "nope" and "toledo-continuous" in (info.value.hint or "")
    assert info.value.words("zh_CN").startswith(
        "没有名为“nope”的仪表协议。请选择以下之一：toledo-continuous、"
    )


def test_frame_value_and_text() -> None:
    frame = Frame(2000, "t", Mode.GROSS, True, b"", decimals=2)
    assert str(frame.value) == "20.00" and frame.text == "20.00"
