"""Property tests: no byte stream crashes a parser or a decoder; encode/parse round trips; chunking."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.weighing.frame import Frame, Mode, Reject
from inspector.weighing.profiles import PROFILES, Decoder, Indication

NAMES = sorted(PROFILES)


@pytest.mark.parametrize("name", NAMES)
@given(data=st.binary(max_size=200))
@settings(max_examples=300, deadline=None)
def test_any_bytes_never_crash_a_parser(name: str, data: bytes) -> None:
    result = PROFILES[name].parse(data, 0)
    assert isinstance(result, Frame | Reject)


@pytest.mark.parametrize("name", NAMES)
@given(chunks=st.lists(st.binary(max_size=64), max_size=30))
@settings(max_examples=200, deadline=None)
def test_any_stream_never_crashes_a_decoder(name: str, chunks: list[bytes]) -> None:
    decoder = Decoder(PROFILES[name], division=10, assumed_unit="kg")
    for i, chunk in enumerate(chunks):
        for frame in decoder.feed(chunk, i * 100_000_000):
            assert isinstance(frame.weight, int)
    assert decoder.health.bytes_received == sum(map(len, chunks))


indications = st.builds(
    Indication,
    weight=st.integers(min_value=0, max_value=99_999),
    unit=st.sampled_from(["kg", "lb"]),
    mode=st.sampled_from([Mode.GROSS, Mode.NET]),
    stable=st.booleans(),
)


@pytest.mark.parametrize("name", [n for n in NAMES if PROFILES[n].motion_flag])
@given(ind=indications)
@settings(max_examples=150, deadline=None)
def test_encode_then_parse_round_trips(name: str, ind: Indication) -> None:
    profile = PROFILES[name]
    frame = profile.parse(profile.encode(ind), 0)
    assert isinstance(frame, Frame)
    assert frame.weight == ind.weight and frame.unit == ind.unit
    if name != "mt-sics":  # MT-SICS always reports the net weight; the decoder decides gross
        assert frame.mode is ind.mode
    assert frame.stable is ind.stable


@pytest.mark.parametrize("name", NAMES)
@given(
    weights=st.lists(st.integers(min_value=0, max_value=99_999), min_size=1, max_size=8),
    cuts=st.lists(st.integers(min_value=0, max_value=400), max_size=10),
)
@settings(max_examples=100, deadline=None)
def test_how_the_stream_is_chunked_does_not_matter(name: str, weights: list[int], cuts: list[int]) -> None:
    profile = PROFILES[name]
    stream = b"".join(profile.encode(Indication(w)) for w in weights)
    points = sorted({min(c, len(stream)) for c in cuts} | {0, len(stream)})
    decoder = Decoder(profile, division=10, assumed_unit="kg")
    got = []
    for start, end in itertools.pairwise(points):
        got.extend(f.weight for f in decoder.feed(stream[start:end], 0))
    assert got == weights
    assert decoder.health.rejected == 0


@given(noise=st.binary(min_size=1, max_size=80), weight=st.integers(min_value=1, max_value=99_999))
@settings(max_examples=200, deadline=None)
def test_toledo_finds_the_frame_after_any_noise(noise: bytes, weight: int) -> None:
    profile = PROFILES["toledo-continuous"]
    good = profile.encode(Indication(weight))
    decoder = Decoder(profile)
    frames = decoder.feed(noise + good + good, 0)
    # A frame may be faked by noise only if it passes STX, CR, status and checksum; the real ones always come.
    assert [f.weight for f in frames][-2:] == [weight, weight]
