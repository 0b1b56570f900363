"""Benchmark: opening the supervisors' approval queue with 500 submitted lots (target < 200 ms), and
signing an approval once the password and key passphrase are typed (target < 300 ms).

The queue figure covers the queries, every lot's mass balance and grade, and every load's failed
findings. The signing figure covers the password re-check (Argon2id), unlocking the PKCS#12 key
(PBKDF2, 200 000 rounds), the version hash, the ECDSA signature, the signed checkpoint and the commit.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import machine, median_seconds
from inspector.clock import Clock
from inspector.datadir import DataDir
from inspector.queries import lots as queries
from inspector.security import keys, setup, users
from inspector.security.actor import SYSTEM
from inspector.services import classification as classification_services
from inspector.services import lots as svc
from inspector.services import yard as yard_services
from inspector.standard.loader import default_ruleset
from inspector.storage.db import Store, open_store
from inspector.storage.models.core import Load

LOTS = 500
LOADS_PER_LOT = 4
SIGNINGS = 7


def attributes(i: int) -> dict[str, object]:
    return {
        "origin": "production", "dose_background_usv_h": "0.10", "dose_gross_usv_h": "0.12",
        "portal_alarm": False, "prohibited_items_found": False, "inclusions_pct": "1.0" if i % 5 else "3.0",
        "smoke_or_heat": False, "generating_enterprise": "赣州磁材厂", "treo_pct": f"{25 + i % 8}.{i % 10}",
        "treo_basis": "oxide", "treo_moisture_basis": "dry", "prnd_pct_of_treo": "76.0",
        "moisture_pct": "2.5", "oil_pct": "0.5",
    }


def build_queue(data_dir: DataDir, *, lots: int = LOTS, singles: int = SIGNINGS, clock: Clock | None = None,
                ) -> tuple[Store, float]:
    """A yard with ``lots`` submitted lots of LOADS_PER_LOT classified loads each and ``singles`` one-load
    lots (for signing); returns the store and the seconds the lots took to build."""
    clock = clock or Clock()
    ruleset = default_ruleset()
    store = open_store(data_dir, backup=False)
    with store.session() as s:
        setup.seed_demo_accounts(s, data_dir=data_dir, clock=clock)
        yard_services.create_yard(s, actor=SYSTEM, clock=clock, legal_name="bench")
        supplier = yard_services.add_supplier(s, actor=SYSTEM, clock=clock, name="s",
                                              uscc="91350100M000100Y43")
        inspector = users.actor_for(users.get_user(s, "li.wei"))  # type: ignore[arg-type]
        now = clock.now().utc
        loads = [
            Load(ticket_no=f"T2026-{i:06d}", ticket_year=2026, ticket_seq=i, plate="赣B3K721",
                 supplier_id=supplier.id or 0, arrived_at=now, gross=32_480, tare=12_020, net=20_460,
                 state="classified", assigned_category="NDFEB-PS", outcome="ACCEPT", grade="B",
                 classification_status="final", attributes=attributes(i), created_by="li.wei")
            for i in range(1, lots * LOADS_PER_LOT + singles + 1)
        ]
        s.add_all(loads)
        s.flush()
        ids = [ld.id or 0 for ld in loads]
    with store.session() as s:
        # Every load carries its classification record (findings, derived TREO), as in production.
        for load_id in ids:
            classification_services.classify_load(s, actor=inspector, clock=clock, load_id=load_id,
                                                  stage="lab", ruleset=ruleset)
    start = time.perf_counter()
    with store.session() as s:
        for n in range(lots + singles):
            if n < lots:
                chunk = ids[n * LOADS_PER_LOT:(n + 1) * LOADS_PER_LOT]
            else:  # one-load lots for the signing runs
                chunk = [ids[lots * LOADS_PER_LOT + n - lots]]
            lot = svc.create_lot(s, actor=inspector, clock=clock, ruleset=ruleset, load_ids=chunk)
            svc.submit_lot(s, actor=inspector, clock=clock, lot_no=lot.lot_no, ruleset=ruleset)
    return store, time.perf_counter() - start


def main() -> None:
    clock = Clock()
    ruleset = default_ruleset()
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = DataDir(Path(tmp) / "yard").ensure()
        store, build = build_queue(data_dir, clock=clock)

        def open_queue() -> None:
            with store.session() as s:
                entries = queries.approval_queue_page(s, limit=None, data_dir=data_dir)
                assert len(entries) == LOTS + SIGNINGS

        queue = median_seconds(open_queue, runs=7)

        spec = next(a for a in setup.DEMO_ACCOUNTS if a.username == "zhao.hui")
        samples = []
        for n in range(SIGNINGS):
            keys.clear_signer_cache()  # every signing unlocks the key file again, as after a restart
            lot_no = svc.format_lot(clock.now().local().year, LOTS + n + 1)
            t0 = time.perf_counter()
            with store.session() as s:
                supervisor = users.actor_for(users.get_user(s, "zhao.hui"))  # type: ignore[arg-type]
                svc.sign_decision(s, actor=supervisor, clock=clock, data_dir=data_dir, ruleset=ruleset,
                                  lot_no=lot_no, decision="approve",
                                  meaning="Approval of the lot (benchmark).",
                                  password=spec.password, passphrase=spec.key_passphrase or "")
            samples.append(time.perf_counter() - t0)
        def unlock() -> None:
            keys.clear_signer_cache()
            with store.session() as s:
                keys.load_signer(s, data_dir=data_dir, username="zhao.hui",
                                 passphrase=spec.key_passphrase or "", clock=clock)

        def password() -> None:
            with store.session() as s:
                assert users.authenticate(s, username="zhao.hui", password=spec.password, clock=clock,
                                          purpose="signature").ok

        unlock_s = median_seconds(unlock, runs=5)
        password_s = median_seconds(password, runs=5)
        store.close()
    print(f"machine: {machine()}")
    print(f"built {LOTS} submitted lots of {LOADS_PER_LOT} loads (audited) in {build:.1f} s")
    print(f"open the approval queue ({LOTS + SIGNINGS} lots, {LOTS * LOADS_PER_LOT + SIGNINGS} loads): "
          f"median {queue * 1000:.1f} ms (target < 200 ms)")
    print(f"sign an approval after password + passphrase (cold key, checkpoint, commit): "
          f"median {statistics.median(samples) * 1000:.1f} ms over {SIGNINGS} (target < 300 ms)")
    print(f"  of which: unlocking the PKCS#12 key {unlock_s * 1000:.1f} ms, "
          f"password re-check (Argon2id) {password_s * 1000:.1f} ms")


if __name__ == "__main__":
    main()
