"""The weighing written into a capture photo's corner: ticket, plate, weight, local time with its zone.

Chinese weighbridge systems print these into every snapshot taken at a weighing, so that a photo seen on its
own still says which truck, which weight and when. The camera's original bytes stay the evidence (stored and
hashed as they came); the stamped copy is stored beside them, with its own hash, and is what screens show.

``stamp_image`` is a pure function over bytes (Pillow, no database): the lines go into the bottom-left corner
on a dark translucent box, in the bundled CJK font so that 赣 or 粤 in a plate render, sized to the picture.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from PIL import Image, ImageDraw, ImageFont, ImageOps, UnidentifiedImageError

from inspector import messages
from inspector.errors import EnvironmentProblemError
from inspector.messages import Language, formats
from inspector.resources import cjk_font_file

# The formats a camera sends (inspector.intake.camera.IMAGE_TYPES), written back in the same one.
_FORMATS = {"JPEG": "JPEG", "PNG": "PNG"}
JPEG_QUALITY = 92
_BOX = (0, 0, 0, 165)  # black, about two thirds opaque: readable on sky and on asphalt
_TEXT = (255, 255, 255, 255)


@dataclass(frozen=True)
class PhotoStamp:
    """What a capture photo carries in its corner. ``weight`` is None when no weight was taken yet."""

    ticket_no: str
    plate: str
    kind: str  # "gross" or "tare" (inspector.states.WeighingKind)
    weight: int | None
    unit: str
    at: datetime
    offset_minutes: int

    def lines(self, lang: Language = "zh_CN") -> tuple[str, ...]:
        """The stamp's lines in ``lang`` (the yard's: Chinese unless told otherwise)."""
        weight = formats.mass(self.weight, self.unit, lang) if self.weight is not None else "—"
        return (
            f"{self.ticket_no}  {self.plate}",
            f"{messages.word('weighing_kind', self.kind, lang)} {weight}",
            formats.moment(self.at, self.offset_minutes, lang, seconds=True, zone_shown=True),
        )


def _font(size: int) -> ImageFont.FreeTypeFont:
    path = cjk_font_file()
    try:
        return ImageFont.truetype(str(path), size=size, index=0)
    except OSError as exc:  # an incomplete installation, said in words
        raise EnvironmentProblemError("install.file_missing", path=str(path)) from exc


def stamp_image(image: bytes, lines: Sequence[str]) -> bytes | None:
    """``image`` with ``lines`` written into its bottom-left corner, in the image's own format (JPEG or
    PNG), turned upright as its EXIF orientation says; None when the bytes are not such an image (the
    original is kept all the same, unstamped)."""
    try:
        with Image.open(io.BytesIO(image)) as opened:
            kind = _FORMATS.get(opened.format or "")
            if kind is None:
                return None
            opened.load()
            upright = ImageOps.exif_transpose(opened)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
    canvas = upright.convert("RGBA")
    width, height = canvas.size
    size = max(12, min(width, height) // 26)
    font = _font(size)
    pad, gap = size // 2, size // 4
    measure = ImageDraw.Draw(canvas)
    boxes = [measure.textbbox((0, 0), line, font=font) for line in lines]
    line_height = max((b[3] - b[1] for b in boxes), default=size)
    ascent = min((b[1] for b in boxes), default=0)
    text_width = max((b[2] - b[0] for b in boxes), default=0)
    box_height = 2 * pad + len(lines) * line_height + max(0, len(lines) - 1) * gap
    left, bottom = pad, height - pad
    top = max(0, bottom - box_height)
    overlay = Image.new("RGBA", canvas.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    draw.rectangle((left, top, min(width, left + text_width + 2 * pad), bottom), fill=_BOX)
    y = top + pad - ascent
    for line in lines:
        draw.text((left + pad, y), line, font=font, fill=_TEXT)
        y += line_height + gap
    stamped = Image.alpha_composite(canvas, overlay)
    out = io.BytesIO()
    if kind == "JPEG":
        stamped.convert("RGB").save(out, "JPEG", quality=JPEG_QUALITY)
    else:
        keep_alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
        (stamped if keep_alpha else stamped.convert("RGB")).save(out, "PNG")
    return out.getvalue()
