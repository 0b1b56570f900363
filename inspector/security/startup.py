"""What the application checks when it starts, before anyone signs: the evidence and the clock.

``startup_check`` verifies everything (``verify_all``), records a signing hold when something is wrong (once
per distinct set of findings), records a backwards clock, and returns what the window must show: the
problems for the red banner and the open holds that block signing until a supervisor acknowledges them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from inspector.clock import Clock
from inspector.datadir import DataDir
from inspector.messages.notice import Notice
from inspector.security import clockguard
from inspector.security.verify import Anchor, Problem, verify_all
from inspector.storage.db import Store


@dataclass
class StartupReport:
    problems: list[Problem] = field(default_factory=list)
    # What each open hold is about (``words(lang)``), oldest first.
    holds: list[Notice] = field(default_factory=list)

    @property
    def signing_blocked(self) -> bool:
        return bool(self.holds)


def startup_check(store: Store, *, data_dir: DataDir, clock: Clock, anchors: list[Anchor] | None = None
                  ) -> StartupReport:
    problems = verify_all(store, data_dir, anchors=anchors or [])
    with store.session() as session:
        clockguard.check_clock(session, clock=clock)
        clockguard.hold_for_integrity(session, clock=clock, problems=[p.message for p in problems])
    with store.session() as session:
        holds = [clockguard.describe(h, findings=problems) for h in clockguard.open_holds(session)]
    return StartupReport(problems=problems, holds=holds)
