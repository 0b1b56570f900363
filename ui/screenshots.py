"""``yard-inspector screenshots OUT_DIR``: every main screen and every intake step, filled with the demo yard,
as PNG files.

Renders offscreen (no display needed), in English and Chinese, each language from a fresh demo yard in its
own temporary data directory (so both languages show the same loads and ticket numbers), so the README's
pictures are produced by a command and stay true to the app.

What is drawn, per language ``<lang>``:

- ``login-<lang>.png``: the sign-in dialog;
- ``<screen>-<lang>.png`` for every screen of the main window (``MainWindow.screen_keys()``): the window is
  built for ``SCREENSHOT_ACTOR``, who holds every role, so every screen the app has is there, including
  screens added later;
- ``load-details-<lang>.png`` and ``register-high-contrast-<lang>.png``;
- ``intake-<n>-<step>-<lang>.png``: one new truck walked through the intake wizard, each step filled with
  realistic values and drawn before it is submitted; the weights are captured from simulated indicator
  frames fed to a ``LiveMonitor`` of the demo weighbridge, as a connected indicator would send them;
- ``intake-arrival-errors-<lang>.png``: the arrival submitted with mistakes, each field saying what is wrong;
- ``intake-gate-hold-<lang>.png``: the gate inspection with a net dose rate above the limit (a HOLD finding
  and what the inspector must do).

``SCREENSHOT_ACTOR`` exists only to render these pictures: it is never a signed-in user of a real yard (the
demo yard's supervisor ``zhang.min`` does not hold every role), and the rows the walk stores go to the
temporary demo yard, which is deleted afterwards.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from inspector.datadir import DataDir
from inspector.errors import EnvironmentProblemError, UserError
from inspector.intake.steps import Step
from inspector.security.actor import Actor, Role

SCREENSHOT_LANGUAGES = ("en", "zh_CN")
WINDOW_SIZE = (1600, 900)
SETTLE_TIMEOUT_MS = 10_000
WAIT_TIMEOUT_MS = 15_000

# Draws every screen the app has; rendering only (see the module docstring).
SCREENSHOT_ACTOR = Actor(user_id="zhang.min", display_name="张敏 Zhang Min", roles=frozenset(Role))

# The last indicator frame arrives at this time and the monitor's clock stays there: a picture never shows a
# reading gone stale while the next one is being drawn.
FRAME_NS = 5_000_000_000
# When a simulated "settle" indicator is read (s): empty deck, the truck driving on, then stable for longer
# than the yard's stability delay.
SETTLE_TIMES = (0.2, 0.5, 1.5, 2.5)
STABLE_FROM_S = 3.2

# The truck the wizard walk receives: a known vehicle of the demo yard bringing sintered NdFeB production
# scrap. Weights are whole divisions of the demo weighbridge (e = 20 kg).
WALK_PLATE = "赣B3K721"
WALK_SUPPLIER_SEARCH = "稀金"
WALK_DRIVER = "王强"
WALK_ENTERPRISE = "赣州稀金磁材有限公司"
# A unified social credit code with its check character mistyped (the last; it should be 5).
WALK_BAD_USCC = "91360700MA35F0AB7X"
WALK_GROSS = 31_860
WALK_TARE = 12_440
WALK_ANSWERS = ("magnet", "ndfeb_sintered", "production", "solid")
WALK_GATE = {
    "dose_background_usv_h": "0.11",
    "dose_gross_usv_h": "0.14",
    "inclusions_pct": "1.5",
    "instrument": "FH40G 手持式",
}
HOLD_DOSE_GROSS = "0.40"  # 0.29 µSv/h net: above the 0.25 µSv/h limit, the load is held
WALK_LAB = ("赣州稀土产品质量监督检验中心", "GZJ-2026-11-0417", "GB/T 18115 ICP-OES")
WALK_SAMPLING = {"increments": "12", "seal_yard": "GZ-Y-004127", "seal_supplier": "GZ-S-004127",
                 "seal_arbitration": "GZ-A-004127"}

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication, QWidget

    from inspector.clock import FixedClock
    from inspector.storage.db import Store
    from inspector.weighing.capture import LiveMonitor
    from ui.i18n import LanguageSwitcher
    from ui.main_window import MainWindow
    from ui.ops import Ops
    from ui.screens.intake.wizard import IntakeWizardWidget
    from ui.widgets.live_weight import LiveWeightWidget


def intake_file_names(lang: str) -> list[str]:
    """The PNG files of the intake walk for ``lang``, in the order they are drawn."""
    numbered = [f"intake-{n}-{step.value}-{lang}.png" for n, step in enumerate(Step, start=1)]
    return [*numbered, f"intake-arrival-errors-{lang}.png", f"intake-gate-hold-{lang}.png",
            f"intake-done-{lang}.png", f"intake-correct-{lang}.png"]


def render_screenshots(out_dir: Path, languages: Sequence[str] = SCREENSHOT_LANGUAGES, *,
                       texts: bool = False) -> list[Path]:
    """Write the PNG files listed in the module docstring for every language; returns their paths. With
    ``texts``, also ``texts-<lang>.json``: the texts visible on each picture, by file name."""
    for lang in languages:
        if lang not in SCREENSHOT_LANGUAGES:
            raise UserError("window.screenshots.language", field="lang", lang=lang,
                            choices=list(SCREENSHOT_LANGUAGES))
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError("window.screenshots.folder", field="OUT_DIR", path=str(out_dir),
                        reason=exc.strerror or str(exc)) from exc
    # Before the first QApplication: offscreen unless the caller chose a platform (e.g. xcb under Xvfb).
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if not texts:
        return _render_all(out_dir, languages)
    global _visible_texts
    written: list[Path] = []
    for lang in languages:
        _visible_texts = {}
        try:
            written += _render_all(out_dir, [lang])
            target = out_dir / f"texts-{lang}.json"
            # The account ids of the demo yard are names people use, shown as they are in every language.
            shown = {"pictures": _visible_texts, "account_ids": sorted(_account_ids)}
            target.write_text(json.dumps(shown, ensure_ascii=False, indent=1, sort_keys=True),
                              encoding="utf-8")
            written.append(target)
        finally:
            _visible_texts = None
    return written


def _render_all(out_dir: Path, languages: Sequence[str]) -> list[Path]:
    from PySide6.QtCore import qInstallMessageHandler

    from ui import app as ui_app
    from ui import i18n, theme

    application = ui_app.ensure_application()
    previous_handler = qInstallMessageHandler(ui_app.qt_message_handler)
    written: list[Path] = []
    try:
        switcher = i18n.LanguageSwitcher(application)
        cjk = theme.load_bundled_fonts()
        try:
            for lang in languages:
                if not switcher.set_language(lang):
                    raise EnvironmentProblemError("install.file_missing", path=str(i18n.qm_path(lang)))
                theme.apply_theme(application, high_contrast=False, cjk_families=cjk)
                with tempfile.TemporaryDirectory(prefix="yard-inspector-shots-") as root:
                    written += _render_language(out_dir, lang, Path(root), application, switcher)
        finally:
            switcher.set_language("en")
            theme.apply_theme(application, high_contrast=False)
    finally:
        qInstallMessageHandler(previous_handler)
    return written


def _render_language(out_dir: Path, lang: str, root: Path, application: QApplication,
                     switcher: LanguageSwitcher) -> list[Path]:
    from inspector.clock import FixedClock
    from inspector.demo.yard import DEMO_START, YARD_OFFSET, build_demo_yard
    from inspector.security.users import list_users
    from inspector.storage.db import open_store
    from ui import app as ui_app
    from ui import formats
    from ui.ops import Ops

    store = open_store(DataDir(root / "data").ensure(), backup=False)
    ops = Ops()
    written: list[Path] = []
    try:
        # The demo's own clock, kept: the walk's truck arrives a little after the demo's last load.
        clock = FixedClock(DEMO_START, offset_minutes=YARD_OFFSET)
        formats.choose_yard_offset(YARD_OFFSET)  # the yard's clocks, whatever this computer's zone
        build_demo_yard(store, clock=clock)
        with store.session() as session:
            _account_ids.update(view.username for view in list_users(session))
        written.append(_login_dialog(store, ops, out_dir / f"login-{lang}.png"))
        window = ui_app.build_main_window(store, SCREENSHOT_ACTOR, switcher, ops)
        window.resize(*WINDOW_SIZE)
        window.show()
        try:
            _settle(ops)
            written += _main_screens(store, window, ops, out_dir, lang)
            written += _details_and_contrast(store, window, ops, application, out_dir, lang)
            clock.advance(seconds=25 * 60)
            written += _intake_walk(store, window, ops, clock, root, out_dir, lang)
        finally:
            window.close()
            window.deleteLater()
            _settle(ops)
    finally:
        formats.choose_yard_offset(None)
        ops.shutdown()
        store.close()
    return written


# --- the sign-in dialog, the main screens, the details and the high-contrast theme --------------------------


def _login_dialog(store: Store, ops: Ops, path: Path) -> Path:
    from ui.screens.login import LoginDialog

    dialog = LoginDialog(store, ops)
    dialog.username_edit.setText(SCREENSHOT_ACTOR.user_id)
    dialog.password_edit.setText("••••••••••••")  # shown as dots only; never checked
    dialog.resize(max(dialog.sizeHint().width(), 560), dialog.sizeHint().height())
    dialog.show()
    try:
        _settle(ops)
        return _save(dialog, path)
    finally:
        dialog.close()
        dialog.deleteLater()


def _main_screens(store: Store, window: MainWindow, ops: Ops, out_dir: Path, lang: str) -> list[Path]:
    written = []
    for key in window.screen_keys():
        window.show_screen(key)
        _prepare_screen(store, window.screen_widget(key), ops)
        _settle(ops)
        written.append(_save(window, out_dir / f"{key}-{lang}.png"))
    return written


def _prepare_screen(store: Store, widget: QWidget, ops: Ops) -> None:
    """Show a screen as a user at work sees it, through its public actions, rather than empty."""
    from ui.screens.intake.lab import LabResultsWidget
    from ui.screens.intake.trucks import TrucksOnSiteWidget
    from ui.screens.intake.wizard import IntakeWizardWidget

    if isinstance(widget, IntakeWizardWidget) and widget.step is None:
        # What "New arrival" opens: the empty arrival form.
        widget.start_new_arrival()
        _wait_until(ops, lambda: widget.step is Step.ARRIVAL, "the intake screen to open")
    elif isinstance(widget, TrucksOnSiteWidget):
        widget.refresh()  # as F5 does
    elif isinstance(widget, LabResultsWidget):
        ticket = _ticket_awaiting_lab(store)
        if ticket is not None:
            _insert(widget.ticket_edit, ticket)
            widget.open_ticket(ticket)
            _wait_until(ops, widget.store_button.isEnabled, "the lab results form to open")
            for edit, text in ((widget.lab_edit, WALK_LAB[0]), (widget.report_edit, WALK_LAB[1]),
                               (widget.method_edit, WALK_LAB[2])):
                _insert(edit, text)


def _ticket_awaiting_lab(store: Store) -> str | None:
    from inspector.demo.yard import ticket_awaiting_lab

    with store.session() as session:
        return ticket_awaiting_lab(session)


def _details_and_contrast(store: Store, window: MainWindow, ops: Ops, application: QApplication,
                          out_dir: Path, lang: str) -> list[Path]:
    from PySide6.QtCore import QItemSelectionModel

    from inspector.queries.loads import load_details
    from ui import theme
    from ui.screens.load_details import LoadDetailsDialog
    from ui.screens.register import LoadRegisterWidget

    written = []
    window.show_screen("register")
    register = window.screen_widget("register")
    assert isinstance(register, LoadRegisterWidget)
    if register.model.rowCount() > 0:
        register.view.selectionModel().select(
            register.model.index(0, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
    with store.session() as session:
        details = load_details(session, load_id=_most_complete_load(store), data_dir=store.data_dir)
    dialog = LoadDetailsDialog(details, window)
    dialog.resize(860, 1150)
    dialog.show()
    _settle(ops)
    written.append(_save(dialog, out_dir / f"load-details-{lang}.png"))
    dialog.close()
    theme.apply_theme(application, high_contrast=True)
    try:
        _settle(ops)
        written.append(_save(window, out_dir / f"register-high-contrast-{lang}.png"))
    finally:
        theme.apply_theme(application, high_contrast=False)
    return written


def _most_complete_load(store: Store) -> int:
    from inspector.demo.yard import most_complete_load

    with store.session() as session:
        return most_complete_load(session)


# --- the intake walk ----------------------------------------------------------------------------------------


class _Indicator:
    """The demo weighbridge's indicator, simulated: frames in its protocol, decoded as the reader does, fed
    to the wizard's ``LiveMonitor`` and shown by the live weight widget."""

    def __init__(self, store: Store) -> None:
        from inspector.services.weighing import get_scale_settings
        from inspector.weighing.capture import LiveMonitor
        from inspector.weighing.profiles import get_profile
        from ui.widgets.live_weight import LiveWeightWidget

        with store.session() as session:
            settings = get_scale_settings(session, scale_id="WB-1")
        if settings is None:
            raise EnvironmentProblemError("window.screenshots.demo_changed", what="WB-1")
        self.config = settings.config()
        self.profile = get_profile(settings.profile)
        self.monitor: LiveMonitor = LiveMonitor(self.config, monotonic_ns=lambda: FRAME_NS)
        self.widget: LiveWeightWidget = LiveWeightWidget(monitor=self.monitor, monotonic_ns=lambda: FRAME_NS)

    def drive(self, weight: int) -> None:
        """An empty deck (zero), the truck driving on (motion), then a stable ``weight``."""
        from inspector.weighing.profiles import Decoder
        from inspector.weighing.reader import ReaderEvent
        from inspector.weighing.simulator import Simulator

        sim = Simulator(self.profile, scenario="settle", weight=weight, unit=self.config.unit,
                        division=self.config.division, capacity=self.config.capacity)
        decoder = Decoder(self.profile, division=self.config.division, assumed_unit=self.config.unit)
        steady = [STABLE_FROM_S + 0.2 * i for i in range(int(self.config.stable_delay_s * 5) + 3)]
        times = (*SETTLE_TIMES, *steady)
        for index, t in enumerate(times):
            arrived = FRAME_NS - int((times[-1] - t) * 1e9)
            for frame in decoder.feed(sim.frame_bytes(t, index), arrived):
                self.monitor.observe(frame)
                self.widget.show_event(ReaderEvent(frame, False, decoder.health.snapshot(FRAME_NS)))


def _intake_walk(store: Store, window: MainWindow, ops: Ops, clock: FixedClock, root: Path, out_dir: Path,
                 lang: str) -> list[Path]:
    from PySide6.QtWidgets import QPushButton

    from ui.ops import Door
    from ui.screens.intake.wizard import IntakeWizardWidget

    indicator = _Indicator(store)
    photo = _truck_photo(root / "truck-photo.png")
    assert isinstance(window.door, Door)
    wizard = IntakeWizardWidget(window.door, SCREENSHOT_ACTOR, clock=clock, monitor=indicator.monitor,
                                live_weight=indicator.widget, prompt_photo=lambda _parent: photo)
    # Shown in the window's place for the intake screen, so the pictures have the window around them; the
    # window's own wizard has no indicator (the demo weighbridge has no port).
    if "intake" in window.screen_keys():
        window.show_screen("intake")
    window.stack.addWidget(wizard)
    window.stack.setCurrentWidget(wizard)
    names = {step: f"intake-{n}-{step.value}-{lang}.png" for n, step in enumerate(Step, start=1)}
    written: list[Path] = []

    def grab(step: Step) -> None:
        _settle(ops)
        written.append(_save(window, out_dir / names[step]))

    def submit(next_step: Step | None) -> None:
        wizard.submit()
        if next_step is None:
            _wait_until(ops, lambda: wizard.step is None and not ops.pending, "the intake to finish",
                        wizard.status_label.text)
        else:
            _wait_until(ops, lambda: wizard.step is next_step and not ops.pending,
                        f"the {next_step.value} step to open", wizard.status_label.text)

    try:
        wizard.start_new_arrival()
        _wait_until(ops, lambda: wizard.step is Step.ARRIVAL, "the arrival step to open")
        mistakes = out_dir / f"intake-arrival-errors-{lang}.png"
        written.append(_arrival_with_mistakes(wizard, window, ops, mistakes))
        _fill_arrival(wizard, ops)
        grab(Step.ARRIVAL)
        submit(Step.GROSS)

        indicator.drive(WALK_GROSS)
        _capture(wizard, ops)
        wizard.add_photo()
        _wait_until(ops, lambda: "SHA-256" in _child_text(wizard, "photoList"), "the photo to be stored")
        grab(Step.GROSS)
        submit(Step.GATE)

        _fill_gate(wizard, WALK_GATE["dose_gross_usv_h"])
        grab(Step.GATE)
        # The same gate with a net dose over the limit: the HOLD shows at once. (It stays on the banner
        # until the step is left, so this picture comes after the clean one.)
        _type(wizard, "dose_gross_usv_h", HOLD_DOSE_GROSS)
        _wait_until(ops, wizard.alerts_label.isVisible, "the HOLD finding to show")
        _settle(ops)
        written.append(_save(window, out_dir / f"intake-gate-hold-{lang}.png"))
        _type(wizard, "dose_gross_usv_h", WALK_GATE["dose_gross_usv_h"])
        submit(Step.IDENTIFICATION)

        for answer in WALK_ANSWERS:
            button = _child(wizard, "QPushButton", f"answer_{answer}")
            assert isinstance(button, QPushButton)
            button.click()
        grab(Step.IDENTIFICATION)
        submit(Step.SAMPLING)

        _choose(wizard, "plan", "SP-DEFAULT")
        _type(wizard, "increments", WALK_SAMPLING["increments"])
        _choose(wizard, "composite", "yes")
        for key in ("seal_yard", "seal_supplier", "seal_arbitration"):
            _type(wizard, key, WALK_SAMPLING[key])
        grab(Step.SAMPLING)
        submit(Step.TARE)

        # The deck is back at zero after the gross capture: the tare may be captured.
        indicator.drive(WALK_TARE)
        _capture(wizard, ops)
        grab(Step.TARE)
        submit(Step.SUMMARY)

        assert wizard.confirm_box is not None
        wizard.confirm_box.setChecked(True)
        grab(Step.SUMMARY)
        submit(None)
        _settle(ops)
        written.append(_save(window, out_dir / f"intake-done-{lang}.png"))
        written.append(_ticket_dialog(wizard, window, ops, clock, out_dir / f"ticket-{lang}.png"))
        wizard.choose_step_to_correct()
        _settle(ops)
        written.append(_save(window, out_dir / f"intake-correct-{lang}.png"))
    finally:
        window.stack.removeWidget(wizard)
        wizard.deleteLater()
        if indicator.widget.parent() is None:  # the walk stopped before a weighing step took it in
            indicator.widget.deleteLater()
    return written


def _ticket_dialog(wizard: IntakeWizardWidget, window: MainWindow, ops: Ops, clock: FixedClock,
                   path: Path) -> Path:
    """The weigh ticket the done page's button opens, with its preview drawn."""
    from ui.ops import Door
    from ui.screens.ticket import open_ticket

    assert wizard.load_id is not None and isinstance(window.door, Door)
    dialog = open_ticket(window, door=window.door, actor=SCREENSHOT_ACTOR, clock=clock,
                         data_dir=window.door.data_dir, load_id=wizard.load_id)
    try:
        _wait_until(ops, lambda: dialog.sheet is not None, "the ticket preview")
        _settle(ops)
        return _save(dialog, path)
    finally:
        dialog.close()


def _arrival_with_mistakes(wizard: IntakeWizardWidget, window: MainWindow, ops: Ops, path: Path) -> Path:
    """The arrival submitted with a new supplier whose credit code has a mistyped check character: the form
    marks each field with what is wrong in words; then the mistakes are cleared and the supplier switched
    back to an existing one."""
    _type(wizard, "plate", WALK_PLATE)
    _tap(wizard, "supplierMode", "choice_new")
    _type(wizard, "new_supplier_name", WALK_ENTERPRISE)
    _type(wizard, "new_supplier_uscc", WALK_BAD_USCC)
    wizard.submit()
    _wait_until(ops, lambda: not ops.pending and bool(wizard.status_label.text()),
                "the mistakes to be marked")
    _settle(ops)
    saved = _save(window, path)
    for key in ("new_supplier_name", "new_supplier_uscc"):
        _type(wizard, key, "")
    _tap(wizard, "supplierMode", "choice_existing")
    return saved


def _fill_arrival(wizard: IntakeWizardWidget, ops: Ops) -> None:
    from PySide6.QtWidgets import QCheckBox

    _type(wizard, "plate", WALK_PLATE)
    search = _child(wizard, "QLineEdit", "supplierSearch")
    _insert(search, WALK_SUPPLIER_SEARCH)
    # One supplier matches: the search picks it.
    _wait_until(ops, lambda: WALK_SUPPLIER_SEARCH in str(wizard.values().get("supplier_name")),
                "the supplier search")
    _type(wizard, "driver", WALK_DRIVER)
    _choose(wizard, "declared_category", "NDFEB-PS")
    _choose(wizard, "origin", "production")
    _type(wizard, "generating_enterprise", WALK_ENTERPRISE)
    for document in ("delivery_note", "business_licence"):
        box = _child(wizard, "QCheckBox", f"document_{document}")
        assert isinstance(box, QCheckBox)
        box.setChecked(True)


def _fill_gate(wizard: IntakeWizardWidget, dose_gross: str) -> None:
    for key, text in WALK_GATE.items():
        _type(wizard, key, dose_gross if key == "dose_gross_usv_h" else text)
    for key in ("portal_alarm", "prohibited_items_found", "smoke_or_heat"):
        _choose(wizard, key, "no")


def _capture(wizard: IntakeWizardWidget, ops: Ops) -> None:
    """Press "Capture weight" once the wizard's capture rule allows it (it polls the monitor)."""
    _wait_until(ops, wizard.capture_button.isEnabled, "a capturable weight", wizard.capture_label.text)
    wizard.capture_button.click()
    gross = wizard.step is Step.GROSS
    expected, key = (WALK_GROSS, "gross") if gross else (WALK_TARE, "tare")
    shown = str(_child(wizard, "QLineEdit", f"field_{key}").property("text"))
    if shown != str(expected):
        raise EnvironmentProblemError("window.screenshots.indicator", shown=shown, expected=expected,
                                      status=wizard.status_label.text())


def _truck_photo(path: Path) -> Path:
    """A plain picture to attach as the truck's photo (the same bytes every run: the same hash)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QColor, QImage, QPainter

    image = QImage(320, 240, QImage.Format.Format_RGB32)
    image.fill(QColor("#6d7b8d"))
    painter = QPainter(image)
    painter.fillRect(40, 110, 240, 70, QColor("#2f4f6f"))
    painter.fillRect(200, 80, 80, 50, QColor("#d0d4d8"))
    painter.setPen(Qt.GlobalColor.white)
    painter.drawText(50, 150, WALK_PLATE)
    painter.end()
    if not image.save(str(path)):  # PNG, from the name
        raise EnvironmentProblemError("window.screenshots.write", path=str(path))
    return path


# --- typing into the wizard -------------------------------------------------------------------------------


def _child(parent: QWidget, class_name: str, name: str) -> QWidget:
    from PySide6 import QtWidgets

    found = parent.findChild(getattr(QtWidgets, class_name), name)
    if found is None:
        raise EnvironmentProblemError("window.screenshots.form_changed", what=name)
    assert isinstance(found, QtWidgets.QWidget)
    return found


def _child_text(parent: QWidget, name: str) -> str:
    return str(_child(parent, "QLabel", name).property("text"))


def _insert(edit: QWidget, text: str) -> None:
    """Type ``text`` programmatically: ``insert`` reports the change as an edit (as a keyboard, an input
    method or a scanner does), so the form checks it and saves the draft; ``setText`` would not."""
    from PySide6.QtWidgets import QLineEdit

    assert isinstance(edit, QLineEdit)
    edit.setFocus()
    edit.clear()
    edit.insert(text)


def _type(wizard: QWidget, key: str, text: str) -> None:
    _insert(_child(wizard, "QLineEdit", f"field_{key}"), text)


def _choose(wizard: QWidget, key: str, data: str) -> None:
    """Tap the button of the choice ``data`` (a yes/no's ``yes`` or ``no``), as a finger does."""
    _tap(wizard, f"field_{key}", f"choice_{data}")


def _tap(wizard: QWidget, box: str, button: str) -> None:
    """Click the button ``button`` inside the widget ``box``."""
    from PySide6.QtWidgets import QPushButton

    found = _child(_child(wizard, "QWidget", box), "QPushButton", button)
    assert isinstance(found, QPushButton)
    found.click()


# --- waiting and saving -------------------------------------------------------------------------------------


def _wait_until(ops: Ops, condition: Callable[[], Any], what: str,
                detail: Callable[[], str] | None = None) -> None:
    """Run the event loop (background reads, timers, paints) until ``condition()`` holds."""
    from PySide6.QtCore import QDeadlineTimer, QEventLoop, QTimer

    deadline = QDeadlineTimer(WAIT_TIMEOUT_MS)
    while not condition():
        if deadline.hasExpired():
            said = detail() if detail is not None else ""
            raise EnvironmentProblemError("window.screenshots.timeout", what=what, detail=said or "-")
        loop = QEventLoop()
        ops.busy_changed.connect(loop.quit)
        QTimer.singleShot(20, loop.quit)
        loop.exec()
        ops.busy_changed.disconnect(loop.quit)


def _settle(ops: Ops) -> None:
    """Let the background reads finish and layouts and paints happen before grabbing."""
    from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QTimer

    for _ in range(50):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QCoreApplication.processEvents()
        if ops.pending == 0:
            return
        loop = QEventLoop()
        ops.busy_changed.connect(loop.quit)
        QTimer.singleShot(SETTLE_TIMEOUT_MS, loop.quit)
        loop.exec()
        ops.busy_changed.disconnect(loop.quit)
    raise EnvironmentProblemError("window.screenshots.unfinished")


def _save(widget: QWidget, path: Path) -> Path:
    if not widget.grab().save(str(path), "PNG"):
        raise UserError("window.screenshots.write", field="OUT_DIR", path=str(path))
    if _visible_texts is not None:
        _visible_texts[path.name] = visible_texts(widget)
    return path


# The texts of every picture drawn, by file name, when ``render_screenshots(texts=True)`` asked for them,
# and the demo yard's account ids.
_visible_texts: dict[str, list[str]] | None = None
_account_ids: set[str] = set()


def visible_texts(root: QWidget) -> list[str]:
    """Every text a person sees in ``root`` as drawn: titles, labels, buttons, fields, the current choice of a
    list, tab names, and the headers and cells of the rows a table or tree shows."""
    from PySide6 import QtWidgets
    from PySide6.QtCore import Qt

    texts: list[str] = [root.windowTitle()]
    for widget in [root, *root.findChildren(QtWidgets.QWidget)]:
        if not widget.isVisible():
            continue
        if isinstance(widget, QtWidgets.QLabel):
            texts.append(_plain(widget.text()))
        elif isinstance(widget, QtWidgets.QAbstractButton):
            texts.append(widget.text())
        elif isinstance(widget, QtWidgets.QLineEdit):
            texts += [widget.text(), widget.placeholderText()]
        elif isinstance(widget, (QtWidgets.QPlainTextEdit, QtWidgets.QTextEdit)):
            texts.append(widget.toPlainText())
        elif isinstance(widget, QtWidgets.QComboBox):
            texts.append(widget.currentText())
        elif isinstance(widget, QtWidgets.QGroupBox):
            texts.append(widget.title())
        elif isinstance(widget, QtWidgets.QTabBar):
            texts += [widget.tabText(i) for i in range(widget.count())]
        elif isinstance(widget, (QtWidgets.QTableView, QtWidgets.QTreeView, QtWidgets.QListView)) \
                and widget.model() is not None:
            try:
                texts += _model_texts(widget.model(), Qt.ItemDataRole.DisplayRole)
            except TypeError:  # one of Qt's own internal models (a completer's): not ours to word
                continue
    return [t for t in (" ".join(t.split()) for t in texts) if t]


def _model_texts(model: Any, role: Any, parent: Any = None, depth: int = 0) -> list[str]:
    from PySide6.QtCore import QModelIndex, Qt

    parent = parent if parent is not None else QModelIndex()
    texts: list[str] = []
    if depth == 0:
        texts += [str(model.headerData(c, Qt.Orientation.Horizontal, role) or "")
                  for c in range(model.columnCount(parent))]
    for row in range(min(model.rowCount(parent), 60)):
        for column in range(model.columnCount(parent)):
            index = model.index(row, column, parent)
            value = model.data(index, role)
            if isinstance(value, str):
                texts.append(value)
        if depth < 3:
            texts += _model_texts(model, role, model.index(row, 0, parent), depth + 1)
    return texts


def _plain(text: str) -> str:
    """A label's text without its markup (rich-text labels hold HTML)."""
    from PySide6.QtGui import QTextDocumentFragment

    return QTextDocumentFragment.fromHtml(text).toPlainText() if "<" in text else text
