"""Stress: many processes writing and checkpointing one data directory at once, for minutes.

Not part of the test run. It starts WRITERS writer processes (each appends audited events through
``Store.session()`` as fast as it can), one checkpointing process (PASSIVE checkpoints, every fifth a
TRUNCATE, reads in between) and one backup process (``yard-inspector backup``'s online backup, in a loop),
all against one fresh data directory, with the write guard's trace on. When the time is up it shows:

- that no two guarded sections overlapped (the trace's enter/checkpoint/exit lines, in file order);
- that the audit chain holds every write that was reported committed, link after link;
- how many writes were refused (``storage.writer_busy``, a writer starved past the 5 s busy timeout, or any
  other error), and the longest wait;
- ``yard-inspector check`` on the data directory, which must say no problems.

    .venv/bin/python bench/stress_writers.py                 # 3 minutes, 6 writers
    .venv/bin/python bench/stress_writers.py --minutes 10 --writers 8 --keep /tmp/stress-yard

Exit status 0 when everything above holds, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def writer(folder: str, deadline: float, out: str) -> None:
    from inspector.clock import Clock
    from inspector.datadir import DataDir
    from inspector.errors import InspectorError
    from inspector.security import audit
    from inspector.security.actor import SYSTEM
    from inspector.storage.db import open_store

    store = open_store(DataDir(Path(folder)), backup=False)
    done, refused, longest, errors = 0, 0, 0.0, {}
    while time.time() < deadline:
        start = time.perf_counter()
        try:
            with store.session() as s:
                audit.record_event(s, actor=SYSTEM, action="settings.change", entity="stress",
                                   entity_id=os.getpid(), clock=Clock(), source="system", new={"n": done})
            done += 1
        except InspectorError as exc:
            refused += 1
            errors[exc.code] = errors.get(exc.code, 0) + 1
        longest = max(longest, time.perf_counter() - start)
    store.close()
    Path(out).write_text(json.dumps({"done": done, "refused": refused, "errors": errors,
                                     "longest_s": longest}), encoding="utf-8")


def checkpointer(folder: str, deadline: float, out: str) -> None:
    from sqlalchemy import text

    from inspector.datadir import DataDir
    from inspector.storage.db import open_store

    store = open_store(DataDir(Path(folder)), backup=False)
    n = 0
    while time.time() < deadline:
        store.checkpoint("TRUNCATE" if n % 5 == 4 else "PASSIVE")
        with store.session() as s:
            s.execute(text("SELECT count(*) FROM audit_event")).one()
        n += 1
    store.close()
    Path(out).write_text(json.dumps({"checkpoints": n}), encoding="utf-8")


def backupper(folder: str, deadline: float, out: str) -> None:
    from inspector.storage.backup import backup_database

    n = 0
    target = Path(folder) / "backups" / "stress.db"
    while time.time() < deadline:
        backup_database(Path(folder) / "yard.db", target)
        n += 1
    Path(out).write_text(json.dumps({"backups": n}), encoding="utf-8")


def overlaps(trace: Path) -> tuple[int, list[str]]:
    problems: list[str] = []
    holder: str | None = None
    count = 0
    with trace.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            what, pid, _stamp = line.split()
            if what == "enter":
                count += 1
                if holder is not None:
                    problems.append(f"line {n}: {pid} entered while {holder} held the guard")
                holder = pid
            elif what == "exit":
                if holder != pid:
                    problems.append(f"line {n}: {pid} left a guard held by {holder}")
                holder = None
            elif holder != pid:
                problems.append(f"line {n}: {pid} {what} outside the guard")
    return count, problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--writers", type=int, default=6)
    parser.add_argument("--keep", metavar="DIR", help="build the data directory here and keep it")
    parser.add_argument("--worker", nargs=4, metavar=("KIND", "DIR", "DEADLINE", "OUT"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        kind, folder, deadline, out = args.worker
        work = {"writer": writer, "checkpointer": checkpointer, "backup": backupper}[kind]
        work(folder, float(deadline), out)
        return 0

    from inspector.datadir import DataDir
    from inspector.storage.db import open_store
    from inspector.storage.guard import TRACE_ENV

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="stress-writers-"))
    if work.exists():
        shutil.rmtree(work)
    data_dir = DataDir(work / "yard").ensure()
    open_store(data_dir, backup=False).close()
    trace = work / "guard.trace"
    env = {**os.environ, TRACE_ENV: str(trace)}
    deadline = time.time() + args.minutes * 60
    kinds = ["writer"] * args.writers + ["checkpointer", "backup"]
    procs = []
    for i, kind in enumerate(kinds):
        out = work / f"{kind}-{i}.json"
        procs.append((kind, out, subprocess.Popen(
            [sys.executable, __file__, "--worker", kind, str(data_dir.root), str(deadline), str(out)],
            cwd=ROOT, env=env)))
    print(f"{args.writers} writers, a checkpointer and a backup on {data_dir.root} for {args.minutes} min",
          flush=True)
    failed = False
    results = []
    for kind, out, proc in procs:
        if proc.wait() != 0:
            print(f"{kind} process {proc.pid} failed with status {proc.returncode}")
            failed = True
        else:
            results.append((kind, json.loads(out.read_text(encoding="utf-8"))))

    done = sum(r["done"] for k, r in results if k == "writer")
    refused = sum(r["refused"] for k, r in results if k == "writer")
    errors: dict[str, int] = {}
    for _, r in results:
        for code, n in r.get("errors", {}).items():
            errors[code] = errors.get(code, 0) + n
    longest = max((r["longest_s"] for k, r in results if k == "writer"), default=0.0)
    checkpoints = sum(r.get("checkpoints", 0) for _, r in results)
    backups = sum(r.get("backups", 0) for _, r in results)
    sections, problems = overlaps(trace)
    print(f"writes committed: {done}, refused: {refused} {errors or ''}, "
          f"longest write: {longest * 1000:.0f} ms")
    print(f"checkpoints by the checkpointer: {checkpoints}, backups: {backups}, guarded sections: {sections}")
    print(f"overlapping guarded sections: {len(problems)}")
    for p in problems[:10]:
        print("  " + p)
    con = sqlite3.connect(f"file:{data_dir.database}?mode=ro", uri=True)
    try:
        seqs = [row[0] for row in con.execute("SELECT seq FROM audit_event ORDER BY seq")]
    finally:
        con.close()
    chain_whole = seqs == list(range(1, done + 1))
    whole = "every committed write, in order" if chain_whole else "MISMATCH"
    print(f"audit chain: {len(seqs)} events, {whole}")
    check = subprocess.run([sys.executable, "-m", "inspector.cli", "check", "--data-dir", str(data_dir.root)],
                           cwd=ROOT, capture_output=True, text=True, check=False)
    print("check: " + check.stdout.strip().replace("\n", "\n       "))
    ok = not failed and not problems and chain_whole and check.returncode == 0 and refused == 0
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
