"""Weighing benchmarks: parser throughput per profile, and frame-to-screen latency of the live widget.

Run: ``.venv/bin/python bench/bench_weighing.py``. Prints the median of several runs.

- Throughput: a stream of 100,000 frames per profile, fed to the profile's ``Decoder`` in 4 KiB reads (what
  the reader thread does), and the bare parser called on one frame at a time. Target >= 100,000 frames/s.
- Latency: a plain Python thread posts reader events through ``ReaderBridge`` at 10 frames/s; the time from
  the frame's arrival stamp to the widget having re-rendered and repainted (synchronously) on the GUI
  thread. Target < 100 ms.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from inspector.weighing.frame import Frame, Mode
from inspector.weighing.profiles import PROFILES, Decoder, HealthSnapshot, Indication
from inspector.weighing.reader import ReaderEvent

FRAMES = 100_000
RUNS = 5
READ_SIZE = 4096


def stream_for(name: str) -> bytes:
    profile = PROFILES[name]
    # Varying weights so no parser can cheat on a repeated frame; all stable, gross, kg.
    return b"".join(profile.encode(Indication(10000 + (i % 500) * 10)) for i in range(FRAMES))


def decode_rate(name: str, stream: bytes) -> float:
    decoder = Decoder(PROFILES[name], division=10, assumed_unit="kg")
    start = time.perf_counter()
    count = 0
    now = 0
    for at in range(0, len(stream), READ_SIZE):
        now += 100_000_000  # a realistic clock for the software stability window
        count += len(decoder.feed(stream[at : at + READ_SIZE], now))
    elapsed = time.perf_counter() - start
    assert count == FRAMES, (name, count, decoder.health)
    return count / elapsed


def parse_rate(name: str) -> float:
    profile = PROFILES[name]
    frames = [profile.encode(Indication(10000 + (i % 500) * 10)) for i in range(1000)]
    parse = profile.parse
    start = time.perf_counter()
    for _ in range(FRAMES // 1000):
        for raw in frames:
            parse(raw, 0)
    return FRAMES / (time.perf_counter() - start)


def throughput() -> dict[str, tuple[float, float]]:
    results = {}
    for name in PROFILES:
        stream = stream_for(name)
        decode = statistics.median(decode_rate(name, stream) for _ in range(RUNS))
        parse = statistics.median(parse_rate(name) for _ in range(RUNS))
        results[name] = (decode, parse)
    return results


def latency(samples: int = 50) -> list[float]:
    from PySide6.QtCore import QTimer, QtMsgType, qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    from ui.widgets.live_weight import LiveWeightWidget, ReaderBridge

    def quiet(_kind: QtMsgType, _context: object, message: str) -> None:
        # The offscreen platform says it cannot propagate size hints when a window is shown; harmless.
        if "propagateSizeHints" not in message:
            print(message, file=sys.stderr)

    qInstallMessageHandler(quiet)
    app = QApplication.instance() or QApplication([])
    bridge = ReaderBridge()
    widget = LiveWeightWidget(bridge=bridge)
    widget.show()
    latencies: list[float] = []

    def on_event(event: ReaderEvent) -> None:
        widget.repaint()  # the pixels, not just the label text: paint now, then take the time
        assert event.frame is not None
        latencies.append((time.monotonic_ns() - event.frame.received_ns) / 1e6)
        if len(latencies) >= samples:
            QTimer.singleShot(0, app.quit)

    bridge.event_arrived.connect(on_event)  # after the widget's own slot: runs once it has rendered
    health = HealthSnapshot(0, 0, 0, 0, 0, {})

    def produce() -> None:
        for i in range(samples):
            frame = Frame(10000 + i * 10, "kg", Mode.GROSS, True, b"", time.monotonic_ns())
            bridge.post(ReaderEvent(frame, False, health))
            time.sleep(0.1)  # an indicator's ~10 frames a second

    thread = threading.Thread(target=produce, daemon=True)
    QTimer.singleShot(0, thread.start)
    app.exec()
    thread.join(5)
    widget.close()
    return latencies


def main() -> int:
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs, "
          f"{time.strftime('%Y-%m-%d', time.gmtime())}")
    print(f"Parser throughput, frames/s (median of {RUNS} runs of {FRAMES:,} frames):")
    print(f"{'profile':26} {'decoder (4 KiB reads)':>22} {'parse() alone':>15}  target 100,000")
    failed = False
    for name, (decode, parse) in throughput().items():
        ok = decode >= 100_000 and parse >= 100_000
        failed |= not ok
        print(f"{name:26} {decode:>22,.0f} {parse:>15,.0f}  {'ok' if ok else 'MISSED'}")
    lat = latency()
    lat.sort()
    p95 = lat[int(len(lat) * 0.95) - 1]
    print(f"Frame-to-screen latency over {len(lat)} frames: median {statistics.median(lat):.2f} ms, "
          f"p95 {p95:.2f} ms, max {lat[-1]:.2f} ms (target < 100 ms)")
    failed |= lat[-1] >= 100
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
