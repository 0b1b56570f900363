"""Command-line start-up: how long a command takes from process start to exit, beside a bare Python.

Each case is a fresh process of the environment's Python, run interleaved with the others (median of
several runs): ``python -c pass`` (the floor), ``yard-inspector --version``, ``--help``, and ``classify`` of
one load without a yard (the rule set judged, nothing stored). Targets: ``--version`` within 3x of the
floor; ``classify`` within 0.3 s. Bytecode is written as on a user's machine (PYTHONDONTWRITEBYTECODE is
dropped) and one warm-up run fills the caches.

Run: ``.venv/bin/python bench/bench_cli.py [--runs N]``
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.common import machine  # noqa: E402
from tests.core.standard.helpers import raw_attributes  # noqa: E402

ENTRY = "import sys; from ui.entry import main; sys.exit(main())"


def _seconds(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(args, cwd=REPO, env=env, capture_output=True, text=True, check=False)
    took = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{args[2:]} failed ({done.returncode}): {done.stderr}")
    return took


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    runs = parser.parse_args().runs
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as root:
        load = Path(root) / "load.json"
        load.write_text(json.dumps({"category": "NDFEB-SL", "stage": "lab",
                                    "attributes": raw_attributes("NDFEB-SL")}), encoding="utf-8")
        env["YARD_INSPECTOR_HOME"] = str(Path(root) / "no-yard")
        python = sys.executable
        cases = {
            "python -c pass": [python, "-c", "pass"],
            "--version": [python, "-c", ENTRY, "--version"],
            "--help": [python, "-c", ENTRY, "--help"],
            "classify one load (no yard)": [python, "-c", ENTRY, "classify", str(load)],
        }
        for args in cases.values():
            _seconds(args, env)  # warm-up: bytecode and file caches
        times: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(runs):
            for name, args in cases.items():
                times[name].append(_seconds(args, env))
    print(f"machine: {machine()}")
    floor = statistics.median(times["python -c pass"])
    for name, samples in times.items():
        median = statistics.median(samples)
        print(f"{name}: median {median * 1000:.0f} ms ({median / floor:.1f}x the floor; "
              f"min {min(samples) * 1000:.0f}, max {max(samples) * 1000:.0f}, {runs} runs)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
