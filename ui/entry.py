"""The ``yard-inspector`` console script: the command line of ``inspector.cli`` plus the window.

Qt is imported only by the commands that need it (the window, ``screenshots``), so ``yard-inspector
classify ...`` and the other core commands start without loading PySide6.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from inspector import cli


def open_gui(args: argparse.Namespace) -> int:
    from ui import app

    return app.run(args)


def _screenshots(args: argparse.Namespace) -> int:
    from ui import screenshots

    # Both languages unless --lang names one (the locale does not narrow it: the pictures are for the docs).
    chosen = getattr(args, "lang", None)
    languages = [chosen] if chosen else list(screenshots.SCREENSHOT_LANGUAGES)
    written = screenshots.render_screenshots(Path(args.out_dir), languages, texts=args.texts)
    for path in written:
        print(path)
    return 0


def register_screenshots(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    parser = subparsers.add_parser(
        "screenshots", parents=[common],
        help="render every main screen of the demo yard to PNG files",
        description="Render every main screen, filled with the demo yard, to PNG files in OUT_DIR "
        "(offscreen; no display needed). Without --lang, both languages.",
    )
    parser.add_argument("out_dir", metavar="OUT_DIR", help="folder for the PNG files (created if missing)")
    parser.add_argument("--texts", action="store_true",
                        help="also write texts-LANG.json: every text visible on each picture (to check them)")
    parser.set_defaults(handler=_screenshots)


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    cli.quiet_dependencies()
    window_args = cli.parse_window_args(argv)
    if window_args is not None:
        return open_gui(window_args)
    return cli.main(argv, extra=[register_screenshots], gui=open_gui)


if __name__ == "__main__":
    raise SystemExit(main())
