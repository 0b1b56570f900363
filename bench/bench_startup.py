"""Start-up benchmark: process start -> main window shown (first paint), median of several runs.

Two cases, each a fresh ``python`` process on the offscreen platform:
- ``smoke``: ``yard-inspector --smoke-test`` (a new temporary data directory, created and migrated);
- ``yard``: an existing data directory holding the demo yard (backed up at start, as every start does).
"Shown" is the moment the window painted for the first time, stamped by the child with ``time.time()``.

Run: ``.venv/bin/python bench/bench_startup.py [--runs N]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# Drives the real start on an existing folder and stamps the first paint (the app logs "main window shown").
YARD_DRIVER = textwrap.dedent("""
    import logging, sys, time
    from PySide6.QtWidgets import QApplication
    class Stamp(logging.Handler):
        def emit(self, record):
            if record.getMessage() == "main window shown":
                print(f"shown t={time.time():.6f}", flush=True)
                for w in QApplication.topLevelWidgets():
                    w.close()
    logging.getLogger("ui").addHandler(Stamp())
    logging.getLogger("ui").setLevel(logging.INFO)
    from ui import entry
    sys.exit(entry.main(["--no-crash-dialog", "--data-dir", sys.argv[1]]))
""")


# Splits the smoke start into building the command-line parser (imports every command module of
# inspector.cli) and everything after it (Qt, store, window): who owns the start-up time.
SPLIT_DRIVER = textwrap.dedent("""
    import contextlib, io, time
    t0 = time.time()
    from inspector import cli
    cli.build_parser()
    t1 = time.time()
    from ui import entry
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        entry.main(["--smoke-test"])
    shown = float(out.getvalue().rsplit("t=", 1)[1].split(")")[0])
    print(f"split {t1 - t0:.6f} {shown - t1:.6f}")
""")


def _env() -> dict[str, str]:
    return dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO))


def _shown_after(args: list[str]) -> float:
    start = time.time()
    done = subprocess.run(args, cwd=REPO, env=_env(), capture_output=True, text=True, timeout=120,
                          check=False)
    if done.returncode != 0:
        raise SystemExit(f"start failed ({done.returncode}): {done.stderr}")
    for line in done.stdout.splitlines():
        if "t=" in line:
            return float(line.rsplit("t=", 1)[1].rstrip(")")) - start
    raise SystemExit(f"no 'shown' stamp in the output: {done.stdout!r}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as root:
        demo = subprocess.run([python, "-m", "ui.entry", "demo", "--data-dir", root], cwd=REPO, env=_env(),
                              capture_output=True, text=True, check=False)
        if demo.returncode != 0:
            raise SystemExit(f"yard-inspector demo failed: {demo.stderr}")
        cases = {
            "smoke (new data dir, migrate, show)": [python, "-m", "ui.entry", "--smoke-test"],
            "yard (demo yard, backup, show)": [python, "-c", YARD_DRIVER, root],
        }
        _shown_after(cases["smoke (new data dir, migrate, show)"])  # warm the OS file cache once
        for name, args in cases.items():
            times = [_shown_after(args) for _ in range(runs)]
            print(f"{name}: median {statistics.median(times) * 1000:.0f} ms "
                  f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}, {runs} runs)")
        parser_times, gui_times = [], []
        for _ in range(runs):
            done = subprocess.run([python, "-c", SPLIT_DRIVER], cwd=REPO, env=_env(), capture_output=True,
                                  text=True, timeout=120, check=True)
            _, parse, gui = done.stdout.split()
            parser_times.append(float(parse))
            gui_times.append(float(gui))
        print(f"  of which building the command-line parser (imports of inspector.cli.*): median "
              f"{statistics.median(parser_times) * 1000:.0f} ms; Qt + store + window after it: median "
              f"{statistics.median(gui_times) * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
