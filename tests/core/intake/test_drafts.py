"""Drafts: saved as typed, one row per load, restored after the process is killed mid-step."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from inspector.clock import FixedClock
from inspector.datadir import DataDir
from inspector.errors import UserError
from inspector.intake import drafts
from inspector.intake.steps import Step
from inspector.storage.db import Store, open_store

from .conftest import Yard, walk_to


def test_a_draft_is_one_row_rewritten_as_typed(yard: Yard) -> None:
    load_id = walk_to(yard, Step.GROSS)
    key = drafts.load_draft_key(load_id)
    for typed in ("0", "0.1", "0.12"):
        yard.clock.advance(seconds=1)
        with yard.store.session() as s:
            drafts.save_draft(
                s,
                clock=yard.clock,
                key=key,
                load_id=load_id,
                step=Step.GATE,
                values={"dose_background_usv_h": typed, "portal_alarm": False},
                user_id="li.wei",
            )
    with yard.store.session() as s:
        [draft] = drafts.open_drafts(s)
        assert draft == drafts.get_draft(s, key)
    assert (draft.step, draft.load_id, draft.user_id) == (Step.GATE, load_id, "li.wei")
    assert draft.values == {"dose_background_usv_h": "0.12", "portal_alarm": False}
    assert draft.updated_at == yard.clock.now().utc
    with yard.store.session() as s:
        drafts.discard_draft(s, key)
    with yard.store.session() as s:
        assert drafts.get_draft(s, key) is None


def test_arrival_drafts_have_their_own_keys(store: Store, clock: FixedClock) -> None:
    first, second = drafts.new_arrival_key(), drafts.new_arrival_key()
    assert first != second
    with store.session() as s:
        drafts.save_draft(s, clock=clock, key=first, step=Step.ARRIVAL, values={"plate": "赣B1"})
        clock.advance(seconds=5)
        drafts.save_draft(s, clock=clock, key=second, step=Step.ARRIVAL, values={"plate": "赣B2"})
    with store.session() as s:
        assert [d.values["plate"] for d in drafts.open_drafts(s)] == ["赣B2", "赣B1"]


def test_bad_drafts_are_refused(store: Store, clock: FixedClock) -> None:
    with store.session() as s:
        with pytest.raises(UserError, match="must be kept under the key load:1") as keyed:
            drafts.save_draft(s, clock=clock, key="load:2", load_id=1, step=Step.GATE, values={})
        assert (keyed.value.code, keyed.value.field) == ("intake.draft_key_mismatch", "draft")
        with pytest.raises(UserError, match="arrival") as arrival:
            drafts.save_draft(s, clock=clock, key="arrival:../../x", step=Step.ARRIVAL, values={})
        assert arrival.value.code == "intake.draft_arrival_key"
        with pytest.raises(UserError, match="typed text") as typed:
            drafts.save_draft(
                s, clock=clock, key=drafts.new_arrival_key(), step=Step.ARRIVAL, values={"x": object()}
            )
        assert typed.value.code == "intake.draft_not_json"
        with pytest.raises(UserError, match="limited to 64,000 bytes") as large:
            drafts.save_draft(
                s, clock=clock, key=drafts.new_arrival_key(), step=Step.ARRIVAL, values={"x": "稀" * 30_000}
            )
        assert large.value.words("zh_CN") == "草稿最多 64,000 字节。"


CHILD = textwrap.dedent("""
    import sys
    from datetime import UTC, datetime
    from pathlib import Path

    import inspector.storage.models.intake  # noqa: F401
    from inspector.clock import FixedClock
    from inspector.datadir import DataDir
    from inspector.intake import drafts
    from inspector.intake.steps import Step
    from inspector.storage.db import open_store

    store = open_store(DataDir(Path(sys.argv[1])), backup=False)
    clock = FixedClock(datetime(2026, 3, 2, 8, 30, tzinfo=UTC))
    key = sys.argv[2]
    typed = ""
    for ch in "赣B 54321":
        typed += ch
        with store.session() as s:
            drafts.save_draft(s, clock=clock, key=key, step=Step.ARRIVAL,
                              values={"plate": typed, "driver": "李四", "portal_alarm": None})
    print("saved", flush=True)
    sys.stdin.read()  # the inspector is still typing when the power goes
""")


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is a POSIX signal")
def test_a_draft_survives_the_process_being_killed_mid_step(data_dir: DataDir, tmp_path: Path) -> None:
    open_store(data_dir, backup=False).close()
    key = drafts.new_arrival_key()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[3])}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(data_dir.root), key],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=env,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "saved"
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=30)
        for stream in (child.stdin, child.stdout):
            if stream is not None:
                stream.close()
    store = open_store(data_dir, backup=False)
    try:
        with store.session() as s:
            [draft] = drafts.open_drafts(s)
    finally:
        store.close()
    assert (draft.key, draft.step) == (key, Step.ARRIVAL)
    assert draft.values == {"plate": "赣B 54321", "driver": "李四", "portal_alarm": None}
