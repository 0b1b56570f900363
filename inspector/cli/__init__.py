"""The ``yard-inspector`` command line: the same services the GUI uses, without Qt.

Each command group lives in its own module with ``register(subparsers, common)``; ``common`` is the parent
parser that gives every sub-command ``--data-dir``. Handlers return the exit code. A ``UserError`` exits 2
with one line naming the field; an ``EnvironmentProblemError`` exits 1 with what to do; never a traceback.

The GUI front end (``ui.entry``) calls ``main`` with its own extra commands and the function that opens
the window, so this package never imports Qt.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from importlib import import_module

from inspector import __version__
from inspector.cli import argwords
from inspector.cli.common import language_of, print_json, words
from inspector.errors import EnvironmentProblemError, InspectorError, UserError
from inspector.messages import LANGUAGES

Register = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]", argparse.ArgumentParser], None]
GuiLauncher = Callable[[argparse.Namespace], int]

COMMAND_MODULES = (
    "inspector.cli.yard",
    "inspector.cli.standards",
    "inspector.cli.scale",
    "inspector.cli.security",
    "inspector.cli.certificates",
    "inspector.cli.lots",
    "inspector.cli.loads",
    "inspector.cli.cameras",
    "inspector.cli.laptop",
)


def common_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: a sub-command's parser must not reset a --data-dir given before the sub-command's name.
    common.add_argument(
        "--data-dir",
        default=argparse.SUPPRESS,
        metavar="DIR",
        help="the yard's data directory (default: $YARD_INSPECTOR_HOME, else the user data folder)",
    )
    # Every command speaks the user's language: --lang, else the locale (LANG=zh_CN.UTF-8 is Chinese).
    common.add_argument("--lang", choices=list(LANGUAGES), default=argparse.SUPPRESS,
                        help="language of messages and of the window (default: from the locale)")
    return common


def _add_window_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-crash-dialog", action="store_true",
                        help="log unexpected errors and exit instead of showing a dialog (for tests)")
    parser.add_argument("--smoke-test", action="store_true",
                        help="start, open a temporary data directory, show the main window, exit 0")


def parse_window_args(argv: Sequence[str]) -> argparse.Namespace | None:
    """The options when ``argv`` only opens the window (no command, no --help or --version), else None.

    Opening the window is the common case: it need not import every command module to parse options.
    """
    if any(a in ("-h", "--help", "--version") for a in argv):
        return None
    parser = argparse.ArgumentParser(add_help=False, parents=[common_parser()], exit_on_error=False)
    _add_window_options(parser)
    try:
        args, rest = parser.parse_known_args(list(argv))
    except argparse.ArgumentError:
        return None  # the full parser says what is wrong, with the whole usage
    if rest:
        return None
    args.command = None
    return args


def build_parser(extra: Sequence[Register] = ()) -> argparse.ArgumentParser:
    common = common_parser()
    parser = argparse.ArgumentParser(
        prog="yard-inspector",
        description="Yard Inspector: intake, classification and certification of rare-earth secondary "
        "resources. With no command, opens the application window.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"yard-inspector {__version__}")
    _add_window_options(parser)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        import_module(name).register(subparsers, common)
    for register in extra:
        register(subparsers, common)
    return parser


def quiet_dependencies() -> None:
    """Keep other packages' words off the user's terminal: their warnings become log records.

    A library's deprecation warning (say, cryptography's about DSA when pyHanko is imported) means nothing
    to a yard clerk. The window's log file keeps them (its handler sits on the root logger); on the command
    line they are dropped. Our own messages are printed, never warned.
    """
    logging.captureWarnings(True)
    for name in ("inspector", "py.warnings"):
        logger = logging.getLogger(name)
        if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
            logger.addHandler(logging.NullHandler())


def main(
    argv: Sequence[str] | None = None, *, extra: Sequence[Register] = (), gui: GuiLauncher | None = None
) -> int:
    # Log records go to the GUI's log file; on the command line only what a command prints is shown.
    quiet_dependencies()
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv == ["--version"]:
        print(f"yard-inspector {__version__}")  # without building every command's parser
        return 0
    argwords.use_words(argwords.requested_language(argv))
    parser = build_parser(extra)
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            if gui is None:
                parser.print_help(sys.stderr)
                return 2
            return gui(args)
        handler: Callable[[argparse.Namespace], int] = args.handler
        return handler(args)
    except UserError as exc:
        _report(args, exc)
        return 2
    except EnvironmentProblemError as exc:
        _report(args, exc)
        return 1
    except KeyboardInterrupt:
        print(words(args, "interrupted"), file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (``yard-inspector check | head -1``): stop quietly, as other tools do, and
        # keep Python from complaining about the closed pipe on the way out.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


def _report(args: argparse.Namespace, exc: InspectorError) -> None:
    """One line on standard error in the user's language, naming the field; with ``--json`` also the error
    as JSON on standard output (stable English code, field and parameters, and the translated message)."""
    lang = language_of(args)
    message = exc.words(lang)
    key = "error_field" if isinstance(exc, UserError) and exc.field else (
        "error" if isinstance(exc, UserError) else "problem")
    print(words(args, key, field=exc.field or "", message=message), file=sys.stderr)
    if getattr(args, "json", False):
        print_json({"error": exc.to_json(lang)})
