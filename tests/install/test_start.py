"""What a user sees when a command starts: only our words on stderr, and no waiting for libraries a command
does not use."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.core.standard.helpers import raw_attributes
from tests.install.conftest import REPO, run_command, user_env

# A line that is not ours: a warning from a library, a traceback, a library's log record.
FOREIGN = re.compile(r"Warning\b|Traceback|^\s+File \"|\.py:\d+|^(DEBUG|INFO|WARNING|ERROR|CRITICAL):")
HEAVY = ("PySide6", "sqlalchemy", "sqlmodel", "alembic", "pyhanko", "reportlab", "cryptography", "pydantic")


def _foreign_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if FOREIGN.search(line)]


@pytest.fixture(scope="module")
def load_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("load") / "load.json"
    load = {"category": "NDFEB-SL", "stage": "lab", "attributes": raw_attributes("NDFEB-SL")}
    path.write_text(json.dumps(load, ensure_ascii=False), encoding="utf-8")
    return path


def test_commands_print_only_our_words_on_stderr(tmp_path: Path, load_file: Path) -> None:
    yard = tmp_path / "yard"
    forged = tmp_path / "not-a-certificate.pdf"
    forged.write_bytes(b"%PDF-1.7\n%%EOF\n")
    commands = [
        ["demo"],  # first: the yard the others use
        ["--version"], ["--help"], ["standards", "list"], ["classify", str(load_file)], ["check"],
        # verify loads pyHanko and cryptography: the DSA deprecation warning appeared here.
        ["verify", "CERTIFICATE"], ["verify", str(forged)], ["verify", "--qr", "not a code"],
        ["lots", "list"], ["lots", "list", "--state", "nonsense"], ["no-such-command"],
    ]
    for args in commands:
        if args == ["verify", "CERTIFICATE"]:
            certificate = next((yard / "certificates").rglob("*.pdf"))
            args = ["verify", str(certificate)]
        done = run_command(*args, YARD_INSPECTOR_HOME=str(yard))
        assert done.returncode in (0, 1, 2), (args, done.stderr)
        assert _foreign_lines(done.stderr) == [], (args, done.stderr)


def _python(*args: str) -> subprocess.CompletedProcess[str]:
    """A fresh interpreter of this environment, run as a user's shell would run it."""
    return subprocess.run([sys.executable, *args], cwd=REPO, env=user_env(), capture_output=True, text=True,
                          check=False)


def _heavy_libraries_loaded_by(*args: str) -> list[str]:
    """Which of HEAVY a ``yard-inspector ARGS`` run has imported by the time it ends."""
    code = ("import sys, contextlib, io\nfrom ui.entry import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    try: main(sys.argv[1:])\n    except SystemExit: pass\n"
            f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))")
    done = _python("-c", code, *args)
    assert done.returncode == 0, done.stderr
    return list(ast.literal_eval(done.stdout.strip()))


def test_a_library_warning_goes_to_the_log_not_the_terminal() -> None:
    """The filter is not luck: a warning raised by a library while a command runs stays off stderr."""
    code = ("import sys, warnings; from inspector import cli; "
            "cli.quiet_dependencies(); warnings.warn('a library speaks', DeprecationWarning, stacklevel=1); "
            "warnings.warn_explicit('another', UserWarning, 'lib.py', 1, module='somelib'); print('done')")
    done = _python("-W", "default", "-c", code)
    assert done.stdout == "done\n" and done.stderr == ""


@pytest.mark.parametrize("warning_filter", [[], ["-W", "default"]])
def test_importing_the_core_prints_nothing(warning_filter: list[str]) -> None:
    """A script or a tool that imports the core (not through the command line) sees no library's warning."""
    code = ("import inspector.certificates.sign, inspector.certificates.verify, "
            "inspector.certificates.trust, inspector.security.keys, inspector.services.certificates; "
            "print('done')")
    done = _python(*warning_filter, "-c", code)
    assert done.stdout == "done\n" and done.stderr == ""


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["lots", "--help"]])
def test_version_and_help_load_no_heavy_library(args: list[str]) -> None:
    assert _heavy_libraries_loaded_by(*args) == []


def test_classify_without_a_yard_loads_neither_qt_nor_the_database(load_file: Path, tmp_path: Path) -> None:
    loaded = _heavy_libraries_loaded_by("classify", str(load_file), "--data-dir", str(tmp_path / "none"))
    assert loaded == ["pydantic"]  # the rule set's schema; nothing else
