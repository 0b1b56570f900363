"""The 'scale' command line contract: JSON line and exit 0, exit 3 saying why, exit 2 on bad arguments."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from inspector.cli import main
from inspector.weighing.profiles import get_profile
from inspector.weighing.simulator import Simulator

WAIT_S = 20.0
ZH = ("--lang", "zh_CN")


@pytest.fixture
def served() -> Iterator[Any]:
    started: list[tuple[Simulator, threading.Event, threading.Thread]] = []

    def start(profile: str, **kw: Any) -> str:
        sim = Simulator(get_profile(profile), rate_hz=kw.pop("rate_hz", 50), **kw)
        sim.open()
        stop = threading.Event()
        thread = threading.Thread(target=sim.serve, args=(stop,), daemon=True)
        thread.start()
        started.append((sim, stop, thread))
        return sim.device_path

    yield start
    for sim, stop, thread in started:
        stop.set()
        thread.join(WAIT_S)
        sim.close()


def read(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["scale", "read", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("profile", "stability"),
    [("toledo-continuous", "indicator"), ("sma", "indicator"), ("xk3190-a9", "software")],
)
def test_read_prints_the_first_capturable_weight(
    served: Any, capsys: pytest.CaptureFixture[str], profile: str, stability: str
) -> None:
    port = served(profile, scenario="settle", weight=12340)
    code, out, _ = read(capsys, "--port", port, "--profile", profile, "--timeout", "15")
    assert code == 0
    assert out.count("\n") == 1
    data = json.loads(out)
    assert data == {
        "weight": "12340",
        "unit": "kg",
        "mode": "gross",
        "stable": True,
        "stability": stability,
        "raw": data["raw"],
    }
    frame = get_profile(profile).parse(bytes.fromhex(data["raw"]), 0)
    assert getattr(frame, "weight", None) == 12340


@pytest.mark.parametrize(
    ("scenario", "profile", "said"),
    [
        ("silent", "toledo-continuous", "silent line"),
        ("motion", "rice-lake", "in motion"),
        ("overload", "generic-st-gs", "overload"),
    ],
)
def test_read_exits_3_saying_why(
    served: Any, capsys: pytest.CaptureFixture[str], scenario: str, profile: str, said: str
) -> None:
    port = served(profile, scenario=scenario)
    code, out, err = read(capsys, "--port", port, "--profile", profile, "--timeout", "3")
    assert code == 3 and out == ""
    assert said in err and "no capturable weight within 3 s" in err


def test_read_says_why_in_chinese(served: Any, capsys: pytest.CaptureFixture[str]) -> None:
    port = served("rice-lake", scenario="motion")
    code, out, err = read(capsys, "--port", port, "--profile", "rice-lake", "--timeout", "2", *ZH)
    assert code == 3 and out == ""
    assert err.startswith("yard-inspector：2 秒内没有可采集的重量：秤处于动态（未稳定）（最新读数 ")
    assert " kg，毛重）" in err and "motion" not in err
    silent = served("sma", scenario="silent")
    code, _, err = read(capsys, "--port", silent, "--profile", "sma", "--timeout", "1", *ZH)
    assert code == 3 and err == (f"yard-inspector：1 秒内没有可采集的重量：线路无信号：{silent} "
                                 "上未收到任何数据；请检查线缆、端口和波特率\n")


def test_bad_arguments_are_said_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scale", "read", "--port", "loop://", "--profile", "sma", "--timeout", "0", *ZH]) == 2
    assert capsys.readouterr().err == ("yard-inspector：错误（timeout）：超时时间必须大于 0 秒。"
                                       "请填写秒数，例如 --timeout 10。\n")
    assert main(["scale", "read", "--port", "loop://", "--profile", "nope", *ZH]) == 2
    err = capsys.readouterr().err
    assert err.startswith("yard-inspector：错误（profile）：没有名为“nope”的仪表协议。请选择以下之一：")
    assert "toledo-continuous、" in err
    assert main(["scale", "read", "--port", "loop://", "--profile", "sma", "--division", "0"]) == 2
    assert "error: division: The division (e) must be above zero." in capsys.readouterr().err


def test_read_exits_3_on_checksum_errors(served: Any, capsys: pytest.CaptureFixture[str]) -> None:
    port = served("toledo-continuous-nocs", scenario="settle")  # 17-byte frames read as 18-byte ones
    code, _, err = read(capsys, "--port", port, "--profile", "toledo-continuous", "--timeout", "3")
    assert code == 3 and "checksum errors" in err


@pytest.mark.parametrize(
    "args",
    [
        ["--profile", "sma"],
        ["--port", "/dev/null", "--profile", "nope"],
        ["--port", "/dev/null", "--profile", "sma", "--parity", "X"],
        ["--port", "/dev/no-such-serial-port", "--profile", "sma"],
        ["--port", "loop://", "--profile", "sma", "--timeout", "0"],
        ["--port", "loop://", "--profile", "sma", "--baud", "12345"],
        ["--port", "loop://", "--profile", "sma", "--bytesize", "9"],
    ],
)
def test_read_exits_2_on_bad_arguments(capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    try:
        code = main(["scale", "read", *args])
    except SystemExit as exc:  # argparse's own refusals
        code = int(exc.code or 0)
    assert code == 2
    assert "error" in capsys.readouterr().err


def test_simulate_then_read_round_trip_in_subprocesses() -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    sim = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "inspector.cli",
            "scale",
            "simulate",
            "--profile",
            "mt-sics",
            "--scenario",
            "ramp",
            "--weight",
            "23450",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert sim.stdout is not None
        path = sim.stdout.readline().strip()
        assert path.startswith("/dev/")
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "inspector.cli",
                "scale",
                "read",
                "--port",
                path,
                "--profile",
                "mt-sics",
                "--timeout",
                "15",
            ],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
        )
        assert done.returncode == 0, done.stderr
        data = json.loads(done.stdout)
        assert (data["weight"], data["unit"], data["mode"], data["stability"]) == (
            "23450",
            "kg",
            "gross",
            "indicator",
        )
        sim.send_signal(signal.SIGTERM)
        assert sim.wait(timeout=WAIT_S) == 0
    finally:
        if sim.poll() is None:
            sim.kill()
            sim.wait(timeout=WAIT_S)
        for stream in (sim.stdout, sim.stderr):
            if stream is not None:
                stream.close()
