"""Benchmark: classifying loads in-process, and loading + validating the shipped rule set.

Targets (issue 3): >= 20,000 loads/s for 10,000 loads on a 2-core machine; rule set load + validate < 50 ms.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import machine, median_seconds
from inspector.standard import classify, classify_input, parse_load, parse_ruleset
from inspector.standard.loader import shipped_dir

LOADS = 10_000


def make_loads(n: int, seed: int = 8170) -> list[dict[str, Any]]:
    """Varied loads: every category, mostly at the lab stage, some failing a rule or incomplete."""
    rnd = random.Random(seed)
    categories = [
        "NDFEB-PS",
        "NDFEB-SL",
        "NDFEB-PW",
        "NDFEB-RO",
        "NDFEB-EOL",
        "NDFEB-BD",
        "SMCO",
        "POLISH",
        "PHOSPHOR",
        "NIMH",
        "CATALYST",
        "PYRO-SLAG",
        "OTHER",
    ]
    loads = []
    for _ in range(n):
        category = rnd.choice(categories)
        attrs: dict[str, Any] = {
            "origin": rnd.choice(["production", "end_of_life", "import"]),
            "generating_enterprise": "Ningbo Magnet Works",
            "hazardous_waste_code": rnd.choice(["none", "none", "HW49", "HW29"]),
            "dose_background_usv_h": f"0.{rnd.randint(5, 15):02d}",
            "dose_gross_usv_h": f"0.{rnd.randint(10, 45):02d}{rnd.randint(0, 9)}",
            "portal_alarm": rnd.random() < 0.02,
            "prohibited_items_found": rnd.random() < 0.02,
            "inclusions_pct": f"{rnd.randint(0, 6)}.{rnd.randint(0, 99):02d}",
            "smoke_or_heat": False,
            "air_isolated_packaging": rnd.random() < 0.95,
            "magnet_liberated": True,
            "damaged_cells": rnd.random() < 0.05,
            "treo_pct": f"{rnd.randint(1, 70)}.{rnd.randint(0, 99):02d}",
            "treo_basis": rnd.choice(["oxide", "metal"]),
            "treo_moisture_basis": rnd.choice(["dry", "as_received"]),
            "moisture_pct": f"{rnd.randint(0, 25)}.{rnd.randint(0, 9)}",
            "oil_pct": f"{rnd.randint(0, 15)}.{rnd.randint(0, 9)}",
            "prnd_pct_of_treo": "24.5",
            "sm_pct": f"{rnd.randint(10, 35)}.{rnd.randint(0, 9)}",
            "co_pct": "50.0",
            "u_th_max_bq_g": f"{rnd.randint(0, 1)}.{rnd.randint(0, 99):02d}",
            "alpha_bq_cm2": "0.01",
        }
        if rnd.random() < 0.05:
            attrs.pop("treo_pct")
        stage = rnd.choice(["lab"] * 8 + ["gate", "intake"])
        loads.append({"category": category, "stage": stage, "permit_codes": ["HW49"], "attributes": attrs})
    return loads


def main() -> None:
    path = shipped_dir() / "CN-RE2R-0.1.0.yaml"
    data = path.read_bytes()
    rs = parse_ruleset(data, source=str(path))
    loads = make_loads(LOADS)
    parsed = [parse_load(rs, raw) for raw in loads]

    def load_ruleset_once() -> None:
        parse_ruleset(data, source=str(path))

    def run_raw() -> None:
        for raw in loads:
            classify_input(rs, raw)

    def run_parsed() -> None:
        for load in parsed:
            classify(rs, load)

    # Wall clock (median of runs) and this process's CPU time: on a shared machine the wall clock also
    # counts the time other processes hold the cores, the CPU time does not.
    load_wall, load_cpu = (
        median_seconds(load_ruleset_once, runs=15, warmup=2),
        median_cpu(load_ruleset_once, 15),
    )
    raw_wall, raw_cpu = median_seconds(run_raw, runs=5), median_cpu(run_raw, 5)
    parsed_wall, parsed_cpu = median_seconds(run_parsed, runs=5), median_cpu(run_parsed, 5)
    print(f"machine: {machine()}; load average {os.getloadavg()[0]:.2f}")
    print(
        f"rule set load + validate (YAML, schema, cross-checks, hash): {load_wall * 1000:.1f} ms wall, "
        f"{load_cpu * 1000:.1f} ms CPU (target < 50 ms)"
    )
    print(
        f"classify {LOADS} loads from raw JSON values (check + judge): {LOADS / raw_wall:,.0f} loads/s wall, "
        f"{LOADS / raw_cpu:,.0f} loads/s CPU (target >= 20,000)"
    )
    print(
        f"classify {LOADS} already checked loads (judge only): {LOADS / parsed_wall:,.0f} loads/s wall, "
        f"{LOADS / parsed_cpu:,.0f} loads/s CPU"
    )


def median_cpu(fn: Callable[[], object], runs: int) -> float:
    fn()
    samples = []
    for _ in range(runs):
        start = time.process_time()
        fn()
        samples.append(time.process_time() - start)
    return statistics.median(samples)


if __name__ == "__main__":
    main()
