"""Benchmark: one whole intake for a returning vehicle and supplier, in taps, keystrokes and input-method
characters, and the time from Next to the next step shown.

The yard is the demo yard (``yard-inspector demo``) with one earlier visit of the truck ``WALK_PLATE``: the
same driver bringing sintered NdFeB production scrap for the same supplier, through the intake service as
the window would store it. The weighbridge is the demo's, read through its simulated indicator (frames in
the scale's protocol, decoded as the reader does, fed to the wizard's ``LiveMonitor`` and its live weight
widget on a clock the script moves on), so each weight is captured from the indicator, not typed.

The walk (``walk_intake``) is what an inspector at the scale house does with the wizard at 1366x768: every
input goes through real key and mouse events sent to the widget under the finger or with the focus, and
``InputCounter`` counts them where the application receives them:

- a tap: a mouse button press;
- a swipe: the page scrolled to bring a field into view (a wheel turn or a finger's swipe), counted with
  the taps;
- a keystroke: a key press reaching the widget with the focus (with Ctrl or Shift held: one more each);
- an input-method character: a CJK character typed (a keyboard types it only through the input method);
- the seals are scanned: a barcode scanner types its code and Enter like a keyboard, so its characters are
  counted apart (``scans``, ``scanned``), not as the inspector's keystrokes.

Next to the next step: from the press of Next (or of the Enter that submits) to the next step's page built
and drawn (``step_opened``, then a repaint); the submission and the read of the next step run on the door's
worker. Each figure is the median of several runs, each run a fresh yard.

    .venv/bin/python bench/bench_intake_taps.py [--runs 5] [--shots DIR]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QDeadlineTimer, QEvent, QEventLoop, QObject, QPoint, QPointF, QRect, Qt, QTimer
from PySide6.QtGui import QFont, QInputMethodEvent, QKeyEvent, QMouseEvent, QPalette, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton, QWidget

import inspector.storage.models.intake  # noqa: F401  (the intake tables)
from bench.common import machine
from inspector.clock import FixedClock
from inspector.datadir import DataDir
from inspector.demo.yard import DEMO_START, YARD_OFFSET, build_demo_yard
from inspector.intake.steps import Step
from inspector.queries.intake import arriving_vehicle, load_for_lab
from inspector.security.actor import Actor, Role
from inspector.services import intake as intake_svc
from inspector.services import yard as yard_svc
from inspector.services.weighing import get_scale_settings
from inspector.storage.db import Store, open_store
from inspector.weighing.capture import LiveMonitor
from inspector.weighing.profiles import Decoder, get_profile
from inspector.weighing.reader import ReaderEvent
from inspector.weighing.simulator import Simulator
from ui import i18n, theme
from ui.ops import Door, Ops
from ui.screens.intake.wizard import IntakeWizardWidget
from ui.widgets.live_weight import LiveWeightWidget

BEFORE = {"taps": 42, "keystrokes": 50, "ime": 18}  # issue #14, the wizard with drop-downs
GOAL = {"taps": 20, "keystrokes": 10, "ime": 0}
NEXT_SHOWN_GOAL_MS = 100.0

# What the main window leaves the intake screen at 1366x768 (the navigation, menu and status bar around it).
WIZARD_SIZE = (1156, 707)
INSPECTOR = Actor("li.wei", "李伟 Li Wei", frozenset({Role.INSPECTOR}))
SUPERVISOR = Actor("zhang.min", "张敏 Zhang Min", frozenset({Role.SUPERVISOR}))
WALK_PLATE = "赣B3K721"
WALK_SUPPLIER = "赣州稀金磁材有限公司"
WALK_DRIVER = "王强"
WALK_GROSS = 31_860
WALK_TARE = 12_440
# What is typed: the readings at the gate and the increments taken.
WALK_GATE = {"dose_background_usv_h": "0.1", "dose_gross_usv_h": "0.12", "inclusions_pct": "0"}
WALK_INCREMENTS = "10"
WALK_SEALS = {"seal_yard": "GZ-Y-004127", "seal_supplier": "GZ-S-004127", "seal_arbitration": "GZ-A-004127"}
WALK_ANSWERS = ("magnet", "ndfeb_sintered", "production", "solid")
WAIT_MS = 20_000
# The indicator's frames: every 0.2 s for 8 s (an empty deck, the truck driving on, then steady), enough
# for a yard's stability delay of a few seconds.
FRAME_STEP_S = 0.2
FRAME_SPAN_S = 8.0
CJK = re.compile("[\u3400-\u9fff\uf900-\ufaff]")


# ---- counting -------------------------------------------------------------------------------------------


@dataclass
class Counts:
    taps: int = 0
    swipes: int = 0
    keystrokes: int = 0
    ime: int = 0
    scans: int = 0
    scanned: int = 0


class InputCounter(QObject):
    """Counts the input events the application receives (see the module docstring); installed on the
    application, it sees every one, whoever sent it."""

    def __init__(self, app: QApplication) -> None:
        super().__init__()
        self._app = app
        self.counts = Counts()
        self._scanning = False
        self._last_press: tuple[int, float, float] | None = None
        self._last_wheel: tuple[int, float, float] | None = None

    def resume(self) -> None:
        self._app.installEventFilter(self)

    def pause(self) -> None:
        self._app.removeEventFilter(self)

    @contextmanager
    def scanner(self) -> Iterator[None]:
        """Key presses meanwhile come from the barcode scanner: one scan, its characters apart."""
        self._scanning = True
        self.counts.scans += 1
        try:
            yield
        finally:
            self._scanning = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            # A press a widget does not take goes on to its parent as a copy with the same time: one tap.
            at = event.globalPosition()
            key = (event.timestamp(), at.x(), at.y())
            if key != self._last_press:
                self._last_press = key
                self.counts.taps += 1
        elif kind == QEvent.Type.Wheel and isinstance(event, QWheelEvent):
            at = event.globalPosition()
            key = (event.timestamp(), at.x(), at.y())
            if key != self._last_wheel:
                self._last_wheel = key
                self.counts.swipes += 1
        elif kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and watched is QApplication.focusWidget():
            # The focus widget receives a key first; a key it does not take goes on to its parents.
            if self._scanning:
                self.counts.scanned += 1
            else:
                held = event.modifiers()
                self.counts.keystrokes += 1 + sum(
                    1 for m in (Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier,
                                Qt.KeyboardModifier.AltModifier) if held & m)
                self.counts.ime += len(CJK.findall(event.text()))
        elif kind == QEvent.Type.InputMethod and isinstance(event, QInputMethodEvent) \
                and watched is QApplication.focusWidget():
            self.counts.ime += len(CJK.findall(event.commitString()))
        return False


# ---- the yard -------------------------------------------------------------------------------------------


def prepare_yard(root: Path) -> tuple[Store, FixedClock]:
    """The demo yard, and an earlier visit of ``WALK_PLATE`` (its driver, supplier and load), weighed by
    hand and confirmed as the demo has no indicator connected."""
    store = open_store(DataDir(root / "data").ensure(), backup=False)
    clock = FixedClock(DEMO_START, offset_minutes=YARD_OFFSET)
    build_demo_yard(store, clock=clock)
    with store.session() as s:
        supplier = next(x for x in yard_svc.find_suppliers(s, WALK_SUPPLIER) if x.name == WALK_SUPPLIER)
    clock.advance(seconds=20 * 60)
    earlier: list[tuple[Step, dict[str, Any]]] = [
        (Step.ARRIVAL, {"plate": WALK_PLATE, "supplier_id": str(supplier.id), "driver": WALK_DRIVER,
                        "declared_category": "NDFEB-PS", "origin": "production",
                        "generating_enterprise": WALK_SUPPLIER}),
        (Step.GROSS, {"gross": "30940", "source": "manual", "manual_reason": "indicator being serviced"}),
        (Step.GATE, {"dose_background_usv_h": "0.1", "dose_gross_usv_h": "0.11", "portal_alarm": False,
                     "prohibited_items_found": False, "inclusions_pct": "0", "smoke_or_heat": False}),
        (Step.IDENTIFICATION, {"answers": dict(zip(("kind", "magnet_type", "ndfeb_source", "ndfeb_form"),
                                                   WALK_ANSWERS, strict=True))}),
        (Step.SAMPLING, {"plan": "SP-DEFAULT", "increments": "10", "composite": True,
                         "seal_yard": "GZ-Y-004126", "seal_supplier": "GZ-S-004126",
                         "seal_arbitration": "GZ-A-004126"}),
        (Step.TARE, {"tare": str(WALK_TARE), "source": "manual",
                     "manual_reason": "indicator being serviced"}),
        (Step.SUMMARY, {"confirmed": True}),
    ]
    load_id: int | None = None
    for step, values in earlier:
        with store.session() as s:
            load_id = intake_svc.submit_step(s, actor=INSPECTOR, clock=clock, step=step, values=values,
                                             load_id=load_id, confirmed_by=SUPERVISOR,
                                             data_dir=store.data_dir).load_id
        clock.advance(seconds=5 * 60)
    clock.advance(seconds=3 * 3600)  # the truck is back in the afternoon
    return store, clock


class Indicator:
    """The demo weighbridge's indicator, simulated, on a clock the script moves on."""

    def __init__(self, store: Store) -> None:
        with store.session() as s:
            settings = get_scale_settings(s, scale_id="WB-1")
        assert settings is not None, "the demo yard has the weighbridge WB-1"
        self.config = settings.config()
        self.profile = get_profile(settings.profile)
        self.now_ns = 0
        self.monitor = LiveMonitor(self.config, monotonic_ns=lambda: self.now_ns)
        self.widget = LiveWeightWidget(monitor=self.monitor, monotonic_ns=lambda: self.now_ns)

    def drive(self, weight: int) -> None:
        """An empty deck, the truck driving on, then ``weight`` steady, as the indicator sends them."""
        sim = Simulator(self.profile, scenario="settle", weight=weight, unit=self.config.unit,
                        division=self.config.division, capacity=self.config.capacity)
        decoder = Decoder(self.profile, division=self.config.division, assumed_unit=self.config.unit)
        start = self.now_ns
        steps = round(FRAME_SPAN_S / FRAME_STEP_S)
        for index in range(steps + 1):
            t = index * FRAME_STEP_S
            self.now_ns = start + int(t * 1e9)
            for frame in decoder.feed(sim.frame_bytes(t, index), self.now_ns):
                self.monitor.observe(frame)
                self.widget.show_event(ReaderEvent(frame, False, decoder.health.snapshot(self.now_ns)))


# ---- the walk -------------------------------------------------------------------------------------------


@dataclass
class WalkResult:
    counts: Counts
    # Next (or the submitting Enter) to the following page built and drawn, by the step it opened.
    next_ms: dict[str, float] = field(default_factory=dict)
    load_id: int | None = None
    # What the walk stored, read back: the load's details and state (see ``stored_load``).
    stored: dict[str, object] = field(default_factory=dict)


def wait_until(ops: Ops, condition: Callable[[], object], what: str) -> None:
    """Run the event loop (the worker's answers, timers, paints) until ``condition()`` holds."""
    deadline = QDeadlineTimer(WAIT_MS)
    while not condition():
        if deadline.hasExpired():
            raise TimeoutError(f"waited {WAIT_MS} ms for {what}")
        loop = QEventLoop()
        ops.busy_changed.connect(loop.quit)
        QTimer.singleShot(10, loop.quit)
        loop.exec()
        ops.busy_changed.disconnect(loop.quit)


def settle() -> None:
    """Let the window lay out and draw what changed, as it has by the time a finger comes down."""
    for _ in range(3):
        QApplication.sendPostedEvents()
        QApplication.processEvents()


class Walker:
    """The inspector's hands: taps and keys sent as events, with the times from Next to the next page."""

    def __init__(self, wizard: IntakeWizardWidget, ops: Ops, counter: InputCounter,
                 shots: Path | None = None) -> None:
        self.wizard = wizard
        self.ops = ops
        self.counter = counter
        self.shots = shots
        self.next_ms: dict[str, float] = {}
        self._pressed_at: float | None = None
        self._wheels = 0
        wizard.step_opened.connect(self._on_wizard_shown)
        wizard.finished.connect(lambda _load: self._on_wizard_shown("done"))

    def _on_wizard_shown(self, step: str) -> None:
        if self._pressed_at is None:
            return
        self.wizard.repaint()
        self.next_ms[step] = (time.perf_counter() - self._pressed_at) * 1000
        self._pressed_at = None
        self.counter.resume()

    def child(self, cls: type[QWidget], name: str) -> Any:
        found = self.wizard.findChild(cls, name)
        assert found is not None, f"no {cls.__name__} {name} on the {self.wizard.step} page"
        return found

    def tap(self, widget: QWidget, *, at_end: bool = False) -> None:
        """A finger on ``widget``: its middle, or the far end of its row (``at_end``); first a swipe when
        the page must scroll to show it."""
        self.pause_as_a_person()
        assert widget.isVisible(), f"{widget.objectName()} is not shown"
        self._swipe_to(widget)
        point = QPoint(widget.width() - 6, widget.height() // 2) if at_end else widget.rect().center()
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)

    def _swipe_to(self, widget: QWidget) -> None:
        """One swipe (a wheel event of the page's scroll area) that brings ``widget`` into view."""
        area = self.wizard.scroll_area
        viewport = area.viewport()
        if not area.isAncestorOf(widget):
            return
        rect = QRect(widget.mapTo(viewport, QPoint(0, 0)), widget.size())
        if viewport.rect().contains(rect):
            return
        bar = area.verticalScrollBar()
        if rect.bottom() > viewport.height():
            pixels = rect.bottom() - viewport.height() + 12
        else:
            pixels = rect.top() - 12
        steps = bar.singleStep() * QApplication.wheelScrollLines() or 1
        notches = -(-abs(pixels) // steps)
        angle = QPoint(0, -120 * notches if pixels > 0 else 120 * notches)
        centre = QPointF(viewport.rect().center())
        wheel = QWheelEvent(centre, QPointF(viewport.mapToGlobal(centre)), QPoint(), angle,
                            Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                            Qt.ScrollPhase.NoScrollPhase, False)
        self._wheels += 1
        wheel.setTimestamp(self._wheels)
        QApplication.sendEvent(viewport, wheel)
        rect = QRect(widget.mapTo(viewport, QPoint(0, 0)), widget.size())
        assert viewport.rect().contains(rect), f"{widget.objectName()} still out of view after a swipe"

    def tap_named(self, name: str, **kw: Any) -> None:
        self.tap(self.child(QWidget, name), **kw)

    def tap_choice(self, key: str, choice: str) -> None:
        self.tap(self.child(QWidget, f"field_{key}").findChild(QPushButton, f"choice_{choice}"))

    def pause_as_a_person(self) -> None:
        """A person looks before the next tap or key: the window has drawn what changed and saved the draft
        (the worker is idle), as it has after the few hundred milliseconds between two taps."""
        self.idle()
        settle()

    def type_into_focus(self, expected: str, text: str) -> None:
        """Type ``text`` on the keyboard into the widget with the focus, which must be ``expected``."""
        self.pause_as_a_person()
        focus = QApplication.focusWidget()
        assert focus is not None and focus.objectName() == expected, \
            f"the focus is on {focus.objectName() if focus else None}, not {expected}"
        QTest.keyClicks(focus, text)

    def scan_into_focus(self, expected: str, code: str, *, submits: bool = False) -> None:
        """The scanner types ``code`` and Enter into the widget with the focus (``expected``); with
        ``submits``, that Enter submits the step and is timed as Next is."""
        self.pause_as_a_person()
        focus = QApplication.focusWidget()
        assert focus is not None and focus.objectName() == expected, \
            f"the focus is on {focus.objectName() if focus else None}, not {expected}"
        with self.counter.scanner():
            QTest.keyClicks(focus, code)
            if submits:
                self._press_timed(lambda: QTest.keyClick(focus, Qt.Key.Key_Return))
            else:
                QTest.keyClick(focus, Qt.Key.Key_Return)

    def next(self, step: Step | None) -> None:
        """Tap Next (Submit on the summary) and wait for the following page."""
        self.grab()
        self._press_timed(lambda: self.tap(self.wizard.next_button))
        self.wait_for(step)

    def _press_timed(self, press: Callable[[], None]) -> None:
        self._pressed_at = time.perf_counter()
        press()
        # Nothing is typed or tapped until the page shows; the counter (a Python filter on every event of
        # the application) steps aside meanwhile, so it does not slow what is timed.
        self.counter.pause()

    def wait_for(self, step: Step | None) -> None:
        wizard = self.wizard
        if step is None:
            wait_until(self.ops, lambda: wizard.step is None and wizard.next_truck_button is not None,
                       "the done page")
        else:
            wait_until(self.ops, lambda: wizard.step is step and "opening" not in self.status().lower()
                       and self._pressed_at is None, f"the {step.value} step")

    def status(self) -> str:
        return self.wizard.status_label.text()

    def idle(self) -> None:
        wait_until(self.ops, lambda: self.ops.pending == 0, "the worker")

    def grab(self) -> None:
        if self.shots is None:
            return
        self.idle()
        name = self.wizard.step.value if self.wizard.step is not None else "done"
        index = list(Step).index(self.wizard.step) + 1 if self.wizard.step is not None else len(Step) + 1
        self.wizard.window().grab().save(str(self.shots / f"intake-taps-{index}-{name}.png"), "PNG")


def walk_intake(walker: Walker, indicator: Indicator) -> None:
    """One whole intake for the returning truck, as the inspector does it (see the module docstring)."""
    wizard, ops = walker.wizard, walker.ops

    # 1. Arrival: the truck is among the recent plates; one tap brings what its last load said.
    wizard.start_new_arrival()
    wait_until(ops, lambda: wizard.step is Step.ARRIVAL, "the arrival step")
    recent = walker.child(QWidget, "recentPlates").findChildren(QPushButton)
    plate = next(b for b in recent if b.text() == WALK_PLATE)
    with _signal_waiter(wizard.vehicle_read) as read:
        walker.tap(plate)
        wait_until(ops, read, "the vehicle's previous load")
    values = wizard.values()
    assert (values["plate"], values["driver"], values["supplier_name"], values["declared_category"],
            values["origin"], values["generating_enterprise"]) == (
        WALK_PLATE, WALK_DRIVER, WALK_SUPPLIER, "NDFEB-PS", "production", WALK_SUPPLIER), values
    walker.tap_named("document_delivery_note", at_end=True)
    walker.next(Step.GROSS)

    # 2. Gross: the indicator settles; capture, next.
    indicator.drive(WALK_GROSS)
    wait_until(ops, wizard.capture_button.isEnabled, "a weight to capture")
    walker.tap(wizard.capture_button)
    assert walker.child(QLineEdit, "field_gross").text() == str(WALK_GROSS)
    walker.next(Step.GATE)

    # 3. Gate: the readings typed where the focus waits; each yes/no one tap, which moves the focus on.
    walker.type_into_focus("field_dose_background_usv_h", WALK_GATE["dose_background_usv_h"])
    walker.tap_named("field_dose_gross_usv_h")
    walker.type_into_focus("field_dose_gross_usv_h", WALK_GATE["dose_gross_usv_h"])
    walker.tap_choice("portal_alarm", "no")
    walker.tap_choice("prohibited_items_found", "no")
    walker.type_into_focus("field_inclusions_pct", WALK_GATE["inclusions_pct"])
    walker.tap_choice("smoke_or_heat", "no")
    walker.next(Step.IDENTIFICATION)

    # 4. Identification: the rule set's questions, one tap each.
    for answer in WALK_ANSWERS:
        walker.tap_named(f"answer_{answer}")
    walker.next(Step.SAMPLING)

    # 5. Sampling: the only plan comes chosen; the increments typed, composite yes, the seals scanned (the
    # scanner's Enter moves on, and from the last seal submits the step).
    walker.type_into_focus("field_increments", WALK_INCREMENTS)
    walker.tap_choice("composite", "yes")
    walker.grab()
    last = list(WALK_SEALS)[-1]
    for key, code in WALK_SEALS.items():
        walker.scan_into_focus(f"field_{key}", code, submits=key == last)
    walker.wait_for(Step.TARE)

    # 6. Tare: the deck went back to zero when the truck left it; the empty truck settles; capture, next.
    indicator.drive(WALK_TARE)
    wait_until(ops, wizard.capture_button.isEnabled, "a tare to capture")
    walker.tap(wizard.capture_button)
    assert walker.child(QLineEdit, "field_tare").text() == str(WALK_TARE)
    walker.next(Step.SUMMARY)

    # 7. Summary: checked (a tap anywhere on its row), submitted; the done page offers the next truck.
    assert wizard.confirm_box is not None
    walker.tap(wizard.confirm_box, at_end=True)
    assert wizard.confirm_box.isChecked()
    walker.next(None)
    walker.idle()
    walker.grab()


@contextmanager
def _signal_waiter(signal: Any) -> Iterator[Callable[[], bool]]:
    seen: list[object] = []

    def record(*args: object) -> None:
        seen.append(args)

    signal.connect(record)
    try:
        yield lambda: bool(seen)
    finally:
        signal.disconnect(record)


@contextmanager
def scale_house_look(app: QApplication, lang: str = "zh_CN") -> Iterator[None]:
    """The window as a yard runs it: the theme, the bundled CJK font and ``lang``; what was there before
    comes back afterwards."""
    style, sheet = app.style().name(), app.styleSheet()
    font, palette = QFont(app.font()), QPalette(app.palette())
    switcher = i18n.LanguageSwitcher(app)
    if not switcher.set_language(lang):
        raise RuntimeError(f"the {lang} catalog is not compiled ({i18n.qm_path(lang)})")
    theme.apply_theme(app, high_contrast=False, cjk_families=theme.load_bundled_fonts())
    try:
        yield
    finally:
        switcher.set_language("en")
        app.setStyle(style)
        app.setFont(font)
        app.setPalette(palette)
        app.setStyleSheet(sheet)


def stored_load(store: Store, ticket_no: str) -> dict[str, object]:
    """The load as the walk left it (the plate's newest load), for a check that the taps stored it."""
    with store.session() as s:
        previous = arriving_vehicle(s, plate=WALK_PLATE).previous
        lab = load_for_lab(s, ticket=ticket_no)
    assert previous is not None and previous.ticket_no == ticket_no
    return {"plate": lab.plate, "driver": previous.driver,
            "supplier": previous.supplier.name if previous.supplier else None,
            "declared_category": previous.declared_category, "category": lab.category, "state": lab.state}


def run_once(root: Path, *, shots: Path | None = None) -> WalkResult:
    """A fresh yard in ``root``, the wizard at the intake screen's size, and the walk, counted."""
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    store, clock = prepare_yard(root)
    ops = Ops()
    indicator = Indicator(store)
    door = Door(ops, store, watch_ms=None)
    wizard = IntakeWizardWidget(door, INSPECTOR, clock=clock, monitor=indicator.monitor,
                                live_weight=indicator.widget)
    wizard.resize(*WIZARD_SIZE)
    wizard.show()
    counter = InputCounter(app)
    walker = Walker(wizard, ops, counter, shots)
    try:
        wait_until(ops, lambda: ops.pending == 0, "the wizard to start")
        counter.resume()
        try:
            walk_intake(walker, indicator)
        finally:
            counter.pause()
        load_id = wizard.load_id
        assert load_id is not None
        stored = stored_load(store, wizard.ticket_no)
        return WalkResult(counter.counts, dict(walker.next_ms), load_id, stored)
    finally:
        wizard.close()
        wizard.deleteLater()
        if indicator.widget.parent() is None:
            indicator.widget.deleteLater()
        wait_until(ops, lambda: ops.pending == 0, "the worker to finish")
        door.stop_watching()
        ops.shutdown()
        store.close()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--shots", type=Path, help="save a picture of each step into this folder")
    args = parser.parse_args(argv[1:])
    app = QApplication([])
    results = []
    with scale_house_look(app):
        for run in range(args.runs):
            with tempfile.TemporaryDirectory(prefix="bench-taps-") as tmp:
                if args.shots is not None and run == 0:
                    args.shots.mkdir(parents=True, exist_ok=True)
                results.append(run_once(Path(tmp), shots=args.shots if run == 0 else None))
    counts = {(r.counts.taps, r.counts.swipes, r.counts.keystrokes, r.counts.ime, r.counts.scans,
               r.counts.scanned) for r in results}
    assert len(counts) == 1, f"the counts differ between runs: {counts}"
    first = results[0].counts
    print(f"machine: {machine()}, {os.cpu_count()} CPUs ({_cpu_model()})")
    print(f"runs: {len(results)}")
    print(f"taps {first.taps + first.swipes} ({first.taps} taps, {first.swipes} swipes; "
          f"goal <= {GOAL['taps']}, before {BEFORE['taps']}), "
          f"keystrokes {first.keystrokes} (goal <= {GOAL['keystrokes']}, before {BEFORE['keystrokes']}), "
          f"input-method characters {first.ime} (goal {GOAL['ime']}, before {BEFORE['ime']}), "
          f"seals scanned {first.scans} ({first.scanned} characters from the scanner)")
    print(f"Next -> next step built and drawn, median of {len(results)} runs "
          f"(goal < {NEXT_SHOWN_GOAL_MS:.0f} ms):")
    steps = list(results[0].next_ms)
    for step in steps:
        samples = [r.next_ms[step] for r in results if step in r.next_ms]
        print(f"  {step:<15} median {statistics.median(samples):6.1f} ms  "
              f"(min {min(samples):.1f}, max {max(samples):.1f})")
    return 0


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "CPU model unknown"


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
