"""Start-up benchmark: process start -> first window shown (first paint), median of several runs.

Two cases, each a fresh ``python`` process on the offscreen platform:
- ``smoke``: ``yard-inspector --smoke-test`` (a new temporary data directory, created and migrated through
  every revision, then the main window);
- ``yard``: an existing data directory holding the demo yard (backed up at start, as every start does,
  revision checked); the first window there is the sign-in.
"Shown" is the moment the window painted for the first time, stamped by the child with ``time.time()``.
Beside them, ``bare``: a PySide6 window and nothing else, shown and closed the same way, in the same run: the
sign-in of an existing yard should come within 3x of it. Run it on a quiet machine: the figures are medians.

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

# Drives the real start on an existing yard: the first window a person sees there is the sign-in, shown while
# the store opens on the worker (backed up, revision checked); stamp its first paint, then cancel it.
YARD_DRIVER = textwrap.dedent("""
    import sys, time
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication
    from ui.app import ensure_application
    app = ensure_application()
    class Painted(QObject):
        def eventFilter(self, watched, event):
            name = watched.objectName() if hasattr(watched, "objectName") else ""
            if event.type() == QEvent.Type.Paint and name == "loginDialog":
                print(f"shown t={time.time():.6f}", flush=True)
                QTimer.singleShot(0, watched.reject)
            return False
    painted = Painted()
    app.installEventFilter(painted)
    from ui import entry
    sys.exit(entry.main(["--no-crash-dialog", "--data-dir", sys.argv[1]]))
""")


# The floor: Python, PySide6 and one empty window painted.
BARE_DRIVER = textwrap.dedent("""
    import sys, time
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QDialog
    app = QApplication(sys.argv[:1])
    class Painted(QObject):
        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.Paint and watched is dialog:
                print(f"shown t={time.time():.6f}", flush=True)
                QTimer.singleShot(0, dialog.reject)
            return False
    dialog = QDialog()
    painted = Painted()
    dialog.installEventFilter(painted)
    dialog.exec()
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
            "bare (PySide6 window shown and closed)": [python, "-c", BARE_DRIVER],
            "yard (demo yard: sign-in shown while the store opens)": [python, "-c", YARD_DRIVER, root],
            "smoke (new data dir, migrate, show)": [python, "-m", "ui.entry", "--smoke-test"],
        }
        _shown_after(cases["smoke (new data dir, migrate, show)"])  # warm the OS file cache once
        # Interleaved, so a busy moment of the machine falls on every case alike.
        times: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(runs):
            for name, args in cases.items():
                times[name].append(_shown_after(args))
        medians = {name: statistics.median(t) for name, t in times.items()}
        for name, t in times.items():
            print(f"{name}: median {medians[name] * 1000:.0f} ms "
                  f"(min {min(t) * 1000:.0f}, max {max(t) * 1000:.0f}, {runs} runs)")
        bare = medians["bare (PySide6 window shown and closed)"]
        yard = medians["yard (demo yard: sign-in shown while the store opens)"]
        print(f"sign-in / bare window: {yard / bare:.1f}x (target: within 3x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
