#!/usr/bin/env python3
"""Bring the Chinese catalogue up to date with the strings in ui/, keeping the translations of moved text.

Runs lupdate (the README's command), then fills every unfinished entry whose source text (and plural form)
is already translated elsewhere in the catalogue: a string that moved to another class, or to the shared
word catalogue ``ui/words.py``, keeps its translation instead of becoming untranslated. What is still
untranslated afterwards is printed: translate it in Qt Linguist or by hand, then run this again.

Run: ``.venv/bin/python scripts/update-translations.py`` (before lupdate drops the old entries, so run it
in the same change that moves the strings).
"""

from __future__ import annotations

import copy
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TS = ROOT / "resources" / "i18n" / "yard_inspector_zh_CN.ts"


def _finished(message: ET.Element) -> bool:
    translation = message.find("translation")
    return (translation is not None and translation.get("type") is None
            and bool("".join(translation.itertext()).strip()))


def _key(message: ET.Element) -> tuple[str, str, bool]:
    """What makes two entries the same text: the source, its disambiguation and whether it has plurals."""
    return (message.findtext("source") or "", message.findtext("comment") or "",
            message.get("numerus") == "yes")


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from ui.i18n_compile import qt_tool

    lupdate = qt_tool("lupdate")
    if lupdate is None:
        print("lupdate was not found: run scripts/setup.sh first", file=sys.stderr)
        return 2
    # Known translations before lupdate drops the entries of strings that moved.
    known: dict[tuple[str, str, bool], ET.Element] = {}
    for message in ET.parse(TS).getroot().iter("message"):
        if _finished(message):
            key = _key(message)
            known.setdefault(key, copy.deepcopy(message.find("translation")))  # type: ignore[arg-type]
    sources = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "ui").rglob("*.py"))
    command = [str(lupdate), "-silent", "-locations", "none", "-no-obsolete", *sources, "-ts", str(TS)]
    subprocess.run(command, cwd=ROOT, check=True)
    tree = ET.parse(TS)
    filled, missing = 0, []
    for context in tree.getroot().iter("context"):
        for message in context.iter("message"):
            if _finished(message):
                continue
            key = _key(message)
            if key in known:
                message.remove(message.find("translation"))  # type: ignore[arg-type]
                message.append(copy.deepcopy(known[key]))
                filled += 1
            else:
                missing.append(f"{context.findtext('name')}: {key[0]}")
    ET.indent(tree, space="    ")
    body = ET.tostring(tree.getroot(), encoding="unicode")
    TS.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8")
    subprocess.run(command, cwd=ROOT, check=True)  # once more, so the file is in lupdate's own layout
    # lupdate escapes an apostrophe read from a file it did not write itself; the catalogue keeps them plain.
    TS.write_text(TS.read_text(encoding="utf-8").replace("&apos;", "'"), encoding="utf-8")
    print(f"{filled} moved string(s) kept their translation; {len(missing)} still to translate")
    for line in missing:
        print(f"  {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
