"""Capture photos stamped with ticket, plate, weight and local time: the corner's pixels change, Chinese
renders in the bundled font, the original bytes are kept under their own hash, screens show the stamped
copy and exports the original."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont
from sqlmodel import select

from inspector.datadir import DataDir
from inspector.intake import drafts
from inspector.intake.stamp import PhotoStamp, stamp_image
from inspector.intake.steps import Step
from inspector.resources import cjk_font_file
from inspector.services import intake as svc
from inspector.storage.models import AuditEvent
from inspector.storage.models.intake import LoadPhotoStamp

from .conftest import INSPECTOR, Yard, walk_to

LINES = ("T2026-000001  赣B12345", "毛重 32,480 kg", "2026年03月02日 16:30:00 北京时间 UTC+08:00")


def picture(fmt: str = "JPEG", size: tuple[int, int] = (640, 480), mode: str = "RGB") -> bytes:
    """A plain picture: sky-blue everywhere, so any stamp shows as changed pixels."""
    out = io.BytesIO()
    Image.new(mode, size, (120, 160, 200) if mode == "RGB" else (120, 160, 200, 255)).save(out, fmt)
    return out.getvalue()


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def changed_box(before: bytes, after: bytes) -> tuple[int, int, int, int] | None:
    diff = ImageChops.difference(opened(before).convert("RGB"), opened(after).convert("RGB"))
    # JPEG re-encoding moves a few levels everywhere: count only clear changes.
    return diff.point(lambda v: 255 if v > 40 else 0).getbbox()


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_the_lines_go_into_the_bottom_left_corner_in_the_same_format(fmt: str) -> None:
    original = picture(fmt)
    stamped = stamp_image(original, LINES)
    assert stamped is not None and stamped != original
    image = opened(stamped)
    assert image.format == fmt and image.size == (640, 480)
    box = changed_box(original, stamped)
    assert box is not None
    left, top, right, bottom = box
    # Only the corner changed: the box starts near the left and bottom edges, and the top of the picture
    # and its right half are untouched.
    assert left < 40 and bottom > 440 and top > 300 and right < 480


def test_chinese_renders_in_the_bundled_font_not_as_missing_glyph_boxes() -> None:
    font = ImageFont.truetype(str(cjk_font_file()), size=24, index=0)

    def glyph(character: str) -> Image.Image:
        image = Image.new("L", (32, 32))
        ImageDraw.Draw(image).text((2, 2), character, font=font, fill=255)
        return image

    # Code points the font has no glyph for all draw the same box (the missing-glyph shape).
    missing = glyph("\U000f0000")
    assert ImageChops.difference(missing, glyph("\u0378")).getbbox() is None
    for character in "赣粤毛重皮北京时间年月日":
        drawn = glyph(character)
        assert drawn.getbbox() is not None and ImageChops.difference(drawn, missing).getbbox() is not None
    # Two plates that differ only in their province character stamp differently.
    first = stamp_image(picture(), ("赣B12345",))
    second = stamp_image(picture(), ("粤B12345",))
    assert first is not None and second is not None
    assert ImageChops.difference(opened(first), opened(second)).getbbox() is not None


def test_bytes_that_are_not_a_picture_are_left_unstamped() -> None:
    assert stamp_image(b"\xff\xd8\xff\xe0" + bytes(200) + b"\xff\xd9", LINES) is None
    assert stamp_image(b"GIF89a" + bytes(40), LINES) is None


def test_the_stamp_says_ticket_plate_weight_and_the_local_time_with_its_zone(yard: Yard) -> None:
    stamp = PhotoStamp("T2026-000001", "赣B12345", "tare", 12460, "kg", yard.clock.now().utc, 480)
    assert stamp.lines() == ("T2026-000001  赣B12345", "皮重 12,460 kg",
                             "2026年03月02日 16:30:00 北京时间 UTC+08:00")
    assert stamp.lines("en")[1:] == ("Tare 12,460 kg", "2026-03-02 16:30:00 UTC+08:00")
    assert PhotoStamp("T1", "P", "gross", None, "kg", yard.clock.now().utc, 0).lines()[1] == "毛重 —"


def test_a_snapshot_at_the_gross_step_keeps_the_original_and_its_stamped_copy(yard: Yard, data_dir: DataDir,
                                                                              tmp_path: Path) -> None:
    load_id = walk_to(yard, Step.ARRIVAL)
    original = picture()
    with yard.store.session() as s:
        # The weight just captured on the form (its draft) is the one stamped.
        drafts.save_draft(s, clock=yard.clock, key=drafts.load_draft_key(load_id), load_id=load_id,
                          step=Step.GROSS, values={"gross": "32480", "source": "indicator"})
    with yard.store.session() as s:
        photo = svc.add_snapshot(s, actor=INSPECTOR, clock=yard.clock, data_dir=data_dir, load_id=load_id,
                                 step=Step.GROSS, camera_name="deck", image=original)
        photo_id = photo.id
        assert photo.sha256 == hashlib.sha256(original).hexdigest()
    assert photo_id is not None
    with yard.store.session() as s:
        stamp = svc.stamp_of(s, photo_id=photo_id)
        assert stamp is not None and stamp.load_id == load_id
        assert stamp.text.splitlines() == ["T2026-000001  赣B12345", "毛重 32,480 kg",
                                           "2026年03月02日 16:30:00 北京时间 UTC+08:00"]
        stamped_file = svc.photo_path(data_dir, stamp.sha256, stamp.suffix)
        assert hashlib.sha256(stamped_file.read_bytes()).hexdigest() == stamp.sha256 != photo.sha256
        assert stamp.size == stamped_file.stat().st_size
        assert changed_box(original, stamped_file.read_bytes()) is not None
        [event] = s.exec(select(AuditEvent).where(AuditEvent.action == "photo.stamp")).all()
        assert event.entity == "load_photo_stamp" and event.new is not None
        assert event.new["sha256"] == stamp.sha256 and event.new["photo_id"] == photo_id
        # Shown: the stamped copy; exported: the original bytes.
        shown = svc.photo_to_show(s, data_dir=data_dir, photo_id=photo_id)
        assert shown.stamped and shown.path == stamped_file and shown.sha256 == stamp.sha256
        photo = svc.photos_of(s, load_id=load_id)[0]
    assert svc.copy_photo_out(data_dir, photo, tmp_path / "export.jpg").read_bytes() == original
    # The same snapshot again is the same photo, stamped once.
    with yard.store.session() as s:
        again = svc.add_snapshot(s, actor=INSPECTOR, clock=yard.clock, data_dir=data_dir, load_id=load_id,
                                 step=Step.GROSS, camera_name="deck", image=original, weight=32480)
        assert again.id == photo_id
        assert len(s.exec(select(LoadPhotoStamp)).all()) == 1


def test_the_weight_given_wins_and_the_tare_step_stamps_its_kind(yard: Yard, data_dir: DataDir) -> None:
    load_id = walk_to(yard, Step.SAMPLING)
    with yard.store.session() as s:
        photo = svc.add_snapshot(s, actor=INSPECTOR, clock=yard.clock, data_dir=data_dir, load_id=load_id,
                                 step=Step.TARE, camera_name="deck", image=picture("PNG"), weight=12460)
        assert photo.id is not None
        stamp = svc.stamp_of(s, photo_id=photo.id)
        assert stamp is not None and stamp.suffix == ".png"
        assert stamp.text.splitlines()[1] == "皮重 12,460 kg"


def test_photos_at_other_steps_and_pictures_that_cannot_be_read_are_kept_unstamped(yard: Yard,
                                                                                  data_dir: DataDir) -> None:
    load_id = walk_to(yard, Step.GROSS)
    with yard.store.session() as s:
        gate = svc.add_snapshot(s, actor=INSPECTOR, clock=yard.clock, data_dir=data_dir, load_id=load_id,
                                step=Step.GATE, camera_name="deck", image=picture())
        unreadable = b"\xff\xd8\xff\xe0" + bytes(300) + b"\xff\xd9"
        broken = svc.add_snapshot(s, actor=INSPECTOR, clock=yard.clock, data_dir=data_dir, load_id=load_id,
                                  step=Step.GROSS, camera_name="deck", image=unreadable)
        assert gate.id is not None and broken.id is not None
        assert svc.stamp_of(s, photo_id=gate.id) is None and svc.stamp_of(s, photo_id=broken.id) is None
        shown = svc.photo_to_show(s, data_dir=data_dir, photo_id=gate.id)
        assert not shown.stamped and shown.sha256 == gate.sha256
