"""Command group 'scale': serve a simulated indicator, or read the first capturable weight from a real one.

``scale simulate --profile P [--scenario S] [--weight KG]`` prints the pseudo-terminal's device path and
serves until Ctrl-C or SIGTERM. ``scale read --port PORT --profile P [serial settings] [--timeout S]`` prints
the first weight the capture rule allows, of a load on the scale, as one JSON line and exits 0; it exits 3
saying why when none arrived in time (silent line, motion, overload, checksum errors) and 2 on bad arguments.
"""

from __future__ import annotations

import argparse
import queue
import signal
import sys
import threading
import time
from collections.abc import Callable
from types import FrameType
from typing import TYPE_CHECKING, Any

from inspector.cli.common import language_of, print_json, words
from inspector.errors import UserError

if TYPE_CHECKING:
    from inspector.weighing.capture import CaptureDecision
    from inspector.weighing.profiles import HealthSnapshot
    from inspector.weighing.reader import SerialSettings

EXIT_NO_WEIGHT = 3
# The simulator's scenarios (the simulator itself needs a POSIX pty, so it is imported only when used).
SCENARIO_NAMES = ("settle", "ramp", "motion", "overload", "silent", "garbage", "jump", "trucks")


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    scale = subparsers.add_parser("scale", parents=[common], help="weighbridge indicator: simulate or read",
                                  description="Work with the weighbridge indicator link.")
    actions = scale.add_subparsers(dest="scale_command", metavar="ACTION", required=True)
    sim = actions.add_parser("simulate", parents=[common], help="serve a simulated indicator on a pty",
                             description="Serve a simulated indicator over a pseudo-terminal; prints its "
                             "device path, then serves until Ctrl-C or SIGTERM.")
    sim.add_argument("--profile", required=True, metavar="PROFILE",
                     help="indicator protocol, e.g. toledo-continuous (a wrong name lists them all)")
    sim.add_argument("--scenario", default="settle", choices=SCENARIO_NAMES, help="what the scale does")
    sim.add_argument("--weight", type=int, default=12340, metavar="KG", help="the load's weight (12340)")
    sim.add_argument("--unit", default="kg", choices=["kg", "lb", "t"], help="the indicator's unit (kg)")
    sim.add_argument("--division", type=int, default=10, metavar="N", help="the scale division e (10)")
    sim.add_argument("--capacity", type=int, default=80000, metavar="N", help="the scale's Max (80000)")
    sim.add_argument("--rate", type=float, default=10.0, metavar="HZ", help="frames a second (10)")
    sim.add_argument("--seven-e1", action="store_true", help="send 7E1 bytes (parity in bit 7)")
    sim.add_argument("--link", metavar="PATH",
                     help="also make PATH a link to the device, a port name that stays the same between runs")
    sim.set_defaults(handler=simulate)

    read = actions.add_parser("read", parents=[common], help="print the first capturable weight as JSON",
                              description="Read the indicator until a weight the capture rule allows "
                              "arrives; print it as one JSON line. Exit 3 if none arrives in time.")
    read.add_argument("--port", required=True, help="serial device (/dev/ttyUSB0, COM3) or pyserial URL")
    read.add_argument("--profile", required=True, metavar="PROFILE",
                     help="indicator protocol, e.g. toledo-continuous (a wrong name lists them all)")
    read.add_argument("--baud", type=int, metavar="N", help="baud rate (default: the profile's)")
    read.add_argument("--bytesize", type=int, metavar="N", help="data bits, 7 or 8 (default: the profile's)")
    read.add_argument("--parity", choices=["N", "E", "O"], help="parity (default: the profile's)")
    read.add_argument("--stopbits", type=int, metavar="N", help="stop bits, 1 or 2 (default: the profile's)")
    read.add_argument("--timeout", type=float, default=10.0, metavar="S", help="give up after S seconds (10)")
    read.add_argument("--unit", default="kg", help="the scale's configured unit (kg)")
    read.add_argument("--division", type=int, default=10, metavar="N", help="the scale division e (10)")
    read.add_argument("--capacity", type=int, default=80000, metavar="N", help="the scale's Max (80000)")
    read.set_defaults(handler=read_weight)


def simulate(args: argparse.Namespace) -> int:
    from inspector.weighing.profiles import get_profile
    from inspector.weighing.simulator import Simulator  # POSIX-only (pty): imported when used

    sim = Simulator(get_profile(args.profile), scenario=args.scenario, weight=args.weight, unit=args.unit,
                    division=args.division, capacity=args.capacity, rate_hz=args.rate,
                    parity_7e1=args.seven_e1)
    stop = threading.Event()

    def on_term(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    previous = signal.signal(signal.SIGTERM, on_term)
    try:
        print(sim.open(link=args.link), flush=True)
        sim.serve(stop)
    except KeyboardInterrupt:
        pass
    finally:
        sim.close()
        signal.signal(signal.SIGTERM, previous)
    return 0


def _settings(args: argparse.Namespace) -> SerialSettings:
    from inspector.weighing.profiles import get_profile
    from inspector.weighing.reader import SerialSettings

    defaults = get_profile(args.profile).serial
    return SerialSettings(
        port=args.port,
        baudrate=args.baud if args.baud is not None else defaults.baudrate,
        bytesize=args.bytesize if args.bytesize is not None else defaults.bytesize,
        parity=args.parity or defaults.parity,
        stopbits=args.stopbits if args.stopbits is not None else defaults.stopbits,
    ).validate()


def explain(health: HealthSnapshot, decision: CaptureDecision | None, port: str,
            args: argparse.Namespace | None = None) -> str:
    """Why no capturable weight arrived, in the user's language (silent line, bad frames, motion ...)."""
    from inspector.messages import Term, formats
    from inspector.weighing.reader import reject_counts

    if health.bytes_received == 0:
        return words(args, "scale.silent", port=port)
    rejected = reject_counts(health.reasons, language_of(args))
    checksum = health.reasons.get("checksum", 0)
    counts = {"bytes": formats.number(health.bytes_received), "rejected": formats.number(health.rejected),
              "reasons": rejected, "checksum": formats.number(checksum)}
    if health.frames == 0 or decision is None:
        return words(args, "scale.checksum_no_frame" if checksum else "scale.no_frame", **counts)
    refusals = decision.describe(language_of(args))
    frame = decision.frame
    if frame is not None:
        refusals = words(args, "scale.last_reading", refusals=refusals, weight=frame.text,
                         unit=frame.unit or "?", mode=Term("indicator_mode", frame.mode.value))
    parts = [refusals]
    if checksum:
        parts.append(words(args, "scale.checksum", **counts))
    if health.rejected:
        parts.append(words(args, "scale.rejected", **counts))
    return words(args, "scale.separator").join(parts)


def read_weight(args: argparse.Namespace, *, monotonic: Callable[[], float] = time.monotonic) -> int:
    from inspector.weighing.capture import LiveMonitor, ScaleConfig
    from inspector.weighing.profiles import get_profile
    from inspector.weighing.reader import ScaleReader, open_serial

    if args.timeout <= 0:
        raise UserError("scale.timeout_invalid", field="timeout")
    if args.division <= 0:
        raise UserError("scale.division_invalid", field="division")
    if args.capacity <= 0:
        raise UserError("scale.capacity_invalid", field="capacity")
    settings = _settings(args)
    profile = get_profile(args.profile)
    config = ScaleConfig(unit=args.unit, division=args.division, capacity=args.capacity)
    # Opened here, in the foreground, so a port that cannot be opened is a bad argument (exit 2).
    first: list[Any] = [open_serial(settings)]

    def opener(s: SerialSettings) -> Any:
        return first.pop() if first else open_serial(s)

    monitor = LiveMonitor(config, zero_seen=True)
    reader = ScaleReader(settings, profile, division=args.division, assumed_unit=args.unit, opener=opener)
    decision: CaptureDecision | None = None
    deadline = monotonic() + args.timeout
    with reader:
        while (remaining := deadline - monotonic()) > 0:
            try:
                event = reader.events.get(timeout=min(remaining, 0.2))
            except queue.Empty:
                continue
            if event.frame is None:
                continue
            monitor.observe(event.frame)
            decision = monitor.decision()
            if decision.allowed:
                captured = monitor.capture()
                print_json({
                    "weight": str(captured.weight),
                    "unit": captured.unit,
                    "mode": event.frame.mode.value,
                    "stable": True,
                    "stability": captured.stability.value,
                    "raw": captured.raw_hex,
                })
                return 0
        health = reader.health()
    if decision is not None:
        decision = monitor.decision()  # now including "stale" if the line fell silent
    print(words(args, "scale.no_weight", seconds=f"{args.timeout:g}",
                why=explain(health, decision, settings.port, args)), file=sys.stderr)
    return EXIT_NO_WEIGHT
