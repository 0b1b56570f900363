"""Where the shipped resources (rule sets, fonts, translations, icons) are, in a source tree or a bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)  # set by PyInstaller in a built app
    if bundle:
        return Path(bundle) / "resources"
    installed = Path(__file__).resolve().parent / "_resources"  # an installed wheel (see setup.py)
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parent.parent / "resources"  # a source checkout



# The CJK font shipped with the application (WenQuanYi Micro Hei; face 0 of the collection is the
# proportional one), for everything that draws Chinese outside Qt: certificates, tickets, photo stamps.
CJK_FONT_FILE = ("fonts", "wqy-microhei.ttc")


def cjk_font_file() -> Path:
    return resources_dir().joinpath(*CJK_FONT_FILE)
