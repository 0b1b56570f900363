"""The composition root: builds the application, opens the yard's store and wires the screens together.

Start sequence (``run``): QApplication -> translations -> fonts and theme -> crash handler -> data directory
and rotating log -> background ops -> sign-in shown while the store opens on the ops worker (backed up, then
migrated) -> main window. A problem
with the machine (``EnvironmentProblemError``) is shown in words and exits 1; anything unexpected goes to
the crash handler, which writes the traceback to ``<data dir>/logs`` and tells the user where it is.
"""

from __future__ import annotations

import argparse
import faulthandler
import logging
import logging.handlers
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, TextIO

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QEvent,
    QObject,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from inspector import __version__, messages
from inspector.datadir import DataDir, resolve
from inspector.errors import EnvironmentProblemError, InspectorError
from inspector.security.actor import Actor
from ui import garbage, i18n, theme, words
from ui.main_window import MainWindow, StatusInfo
from ui.ops import Door, Ops

if TYPE_CHECKING:
    from inspector.storage.db import Store
    from inspector.weighing.capture import LiveMonitor

log = logging.getLogger("ui")

LOG_FILE = "yard-inspector.log"
LOG_MAX_BYTES = 2_000_000
LOG_BACKUPS = 5
CRASH_EXIT_CODE = 70  # EX_SOFTWARE: an internal error

# Until the login dialog exists every window runs as this actor: it holds no role, so every mutating
# service refuses it (require_role) and the app is a read-only viewer of the register.
READ_ONLY_VIEWER = Actor(user_id="viewer", display_name="Viewer (read-only)", roles=frozenset())

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]
CrashPrompt = Callable[[str, Path | None], None]


# --- logging ------------------------------------------------------------------------------------------------


def setup_logging(log_dir: Path, *, level: int = logging.INFO) -> logging.Handler:
    """A rotating log file in the data directory for every logger (``inspector.*``, ``ui.*``)."""
    log_dir.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        log_dir / LOG_FILE, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(min(root.level or level, level))
    return handler


_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


# Messages Qt prints that say nothing about the app (platform plugins without a window manager).
_QT_NOISE = ("This plugin does not support propagateSizeHints()",)


def qt_message_handler(mode: QtMsgType, _context: object, message: str) -> None:
    level = logging.DEBUG if message in _QT_NOISE else _QT_LEVELS.get(mode, logging.WARNING)
    logging.getLogger("ui.qt").log(level, "%s", message)


# --- crash handler ------------------------------------------------------------------------------------------


def _show_crash_dialog(details: str, log_path: Path | None) -> None:
    box = QMessageBox(QMessageBox.Icon.Critical, QCoreApplication.translate("CrashHandler", "Yard Inspector"),
                      QCoreApplication.translate(
                          "CrashHandler", "Yard Inspector met an unexpected error and must close. Nothing "
                          "saved before this moment is lost."))
    where = (QCoreApplication.translate("CrashHandler", "The details were written to %1. Please send this "
                                        "file to your support contact.").replace("%1", str(log_path))
             if log_path else QCoreApplication.translate("CrashHandler", "The details could not be saved."))
    box.setInformativeText(where)
    box.setDetailedText(details)
    box.exec()


class CrashHandler:
    """Catches what nobody else handled: writes a crash log, tells the user (or not, for tests) and exits.

    ``log_dir`` may be set later, once the data directory is known; before that the report goes to stderr.
    """

    def __init__(self, *, show_dialog: bool, log_dir: Path | None = None,
                 prompt: CrashPrompt = _show_crash_dialog,
                 quit_app: Callable[[int], None] | None = None) -> None:
        self.show_dialog = show_dialog
        self.log_dir = log_dir
        self._prompt = prompt
        self._quit = quit_app or self._exit_event_loop
        self._handling = False
        self.crashed = False
        self.last_log: Path | None = None
        self._previous_hook: Callable[..., object] | None = None
        self._previous_thread_hook: Callable[..., object] | None = None

    def install(self) -> None:
        self._previous_hook = sys.excepthook
        self._previous_thread_hook = threading.excepthook
        sys.excepthook = self.handle
        threading.excepthook = self._handle_thread

    def uninstall(self) -> None:
        if self._previous_hook is not None:
            sys.excepthook = self._previous_hook
        if self._previous_thread_hook is not None:
            threading.excepthook = self._previous_thread_hook

    def _handle_thread(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            self.handle(args.exc_type, args.exc_value, args.exc_traceback)

    def write_log(self, exc_type: type[BaseException], exc: BaseException,
                  tb: TracebackType | None) -> Path | None:
        details = "".join(traceback.format_exception(exc_type, exc, tb))
        if self.log_dir is None:
            return None
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        path = self.log_dir / f"crash-{stamp}.log"
        try:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            path.write_text(
                f"Yard Inspector {__version__} crashed at {stamp} (UTC)\n"
                f"Python {sys.version.split()[0]} on {sys.platform}\n\n{details}", encoding="utf-8")
        except OSError:
            log.exception("could not write the crash log %s", path)
            return None
        return path

    def handle(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if self._handling:  # an error while reporting an error: do not loop, just leave
            sys.__excepthook__(exc_type, exc, tb)
            return
        self._handling = True
        try:
            self.crashed = True
            details = "".join(traceback.format_exception(exc_type, exc, tb))
            log.critical("unexpected error:\n%s", details)
            self.last_log = self.write_log(exc_type, exc, tb)
            sys.stderr.write(details)
            if self.last_log:
                sys.stderr.write(f"yard-inspector: crash log written to {self.last_log}\n")
            # Widgets live on the GUI thread only; a crash on another thread is logged and ends the app.
            if self.show_dialog and threading.current_thread() is threading.main_thread():
                self._prompt(details, self.last_log)
        finally:
            self._handling = False
            self._quit(CRASH_EXIT_CODE)

    @staticmethod
    def _exit_event_loop(code: int) -> None:
        QCoreApplication.exit(code)


# --- problems the user can fix ------------------------------------------------------------------------------


def report_problem(exc: InspectorError, *, dialogs: bool, parent: QWidget | None = None,
                   title: str | None = None) -> None:
    """Say what is wrong and what to do: a message box, or one line on stderr without dialogs."""
    log.error("%s", exc)
    if not dialogs:
        sys.stderr.write(messages.text("cli.problem", words.language(), {"message": words.error(exc)}) + "\n")
        return
    message, hint = exc.parts(words.language())
    box = QMessageBox(QMessageBox.Icon.Warning, title or QCoreApplication.translate("App", "Yard Inspector"),
                      message, parent=parent)
    if hint:
        box.setInformativeText(hint)
    box.exec()


def schema_revision(store: Store) -> str:
    from inspector.storage import migrations

    revisions = migrations.stored_revisions(store.data_dir.database)
    return ", ".join(sorted(revisions)) or "—"


def rule_set_in_force(store: Store) -> tuple[str, str]:
    """(``CN-RE2R 0.1.0``, ``provisional``): the rule set every new classification is judged under."""
    from inspector.services.classification import ruleset_in_force

    with store.session() as session:
        rule_set = ruleset_in_force(session, data_dir=store.data_dir)
    return f"{rule_set.id} {rule_set.version}", rule_set.status


# --- the application ----------------------------------------------------------------------------------------


def ensure_application() -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Yard Inspector")
    app.setOrganizationName("yard-inspector")
    app.setApplicationVersion(__version__)
    garbage.collect_on_gui_thread(app)
    return app


def prepare_languages(app: QApplication, lang: str | None) -> i18n.LanguageSwitcher:
    """Switch to ``lang`` (the catalogs were compiled when the application was installed or built)."""
    switcher = i18n.LanguageSwitcher(app)
    switcher.set_language(lang or i18n.system_language())
    return switcher


class StoreOpening:
    """The yard's store, opened on the worker while the sign-in is already on the screen.

    Opening loads the database layer, backs the database up and checks its revision: about a second on a
    station PC. The sign-in needs the store only when the user presses Sign in, and its jobs run on the same
    single worker after the opening, so the person types while the store opens.
    """

    def __init__(self, data_dir: DataDir) -> None:
        self.data_dir = data_dir
        self.store: Store | None = None
        self.has_users = False
        self.problem: InspectorError | None = None
        self.settled = False
        self.on_settled: Callable[[], None] | None = None

    def _open(self) -> bool:
        from inspector.security import users
        from inspector.storage.db import open_store

        started = time.perf_counter()
        try:
            self.store = open_store(self.data_dir, backup=True)
        except EnvironmentProblemError as exc:
            self.problem = exc  # at once, for a sign-in job queued behind this one
            raise
        log.info("store opened in %.0f ms", (time.perf_counter() - started) * 1000)
        words.read_ahead()  # here on the worker, so the first screen does not parse them on the GUI thread
        with self.store.session() as session:
            return users.has_users(session)

    def start(self, ops: Ops) -> None:
        """Queue the opening on the worker; ``on_settled`` runs on the GUI thread when it is done."""
        ops.run(self._open, self._opened, self._failed)

    def open_now(self) -> None:
        """Open on this thread (the smoke test, which has no one to sign in)."""
        try:
            self._opened(self._open())
        except EnvironmentProblemError as exc:
            self._failed(exc)

    def _opened(self, has_users: bool) -> None:
        self.has_users = has_users
        if not has_users:
            assert self.store is not None
            self.problem = EnvironmentProblemError("window.no_users", path=str(self.store.data_dir.root))
        self._settle()

    def _failed(self, exc: InspectorError) -> None:
        self.problem = exc
        self._settle()

    def _settle(self) -> None:
        self.settled = True
        if self.on_settled is not None:
            self.on_settled()

    def get(self) -> Store:
        """The open store; the problem that kept it from opening, raised (for jobs queued after it)."""
        if self.store is None:
            raise self.problem or EnvironmentProblemError("window.store_not_open")
        return self.store


def sign_in(opening: StoreOpening, ops: Ops) -> Actor | None:
    """Who uses this window: the login dialog (None when it is cancelled).

    The dialog shows at once, while the store may still be opening. When the opening fails, or the data
    directory has no users (nobody could sign in), the dialog closes and the problem is raised, in words.
    """
    from PySide6.QtWidgets import QDialog

    from ui.screens.login import LoginDialog

    if opening.problem is not None:
        raise opening.problem
    dialog = LoginDialog(opening.get, ops)
    opening.on_settled = lambda: dialog.reject() if opening.problem is not None else None
    try:
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
    finally:
        opening.on_settled = None
    if opening.problem is not None:
        raise opening.problem
    return dialog.actor if accepted else None


def _screen_title(text: str) -> Callable[[], str]:
    """A navigation title translated at the time it is shown (the language can change at run time).

    ``text`` is one of SCREEN_TITLES, which marks the titles for lupdate."""
    return lambda: QCoreApplication.translate("Screens", text)


# Marked with QT_TRANSLATE_NOOP so lupdate extracts them; translated when shown, by _screen_title.
SCREEN_TITLES = (
    QT_TRANSLATE_NOOP("Screens", "Audit trail"),
    QT_TRANSLATE_NOOP("Screens", "Weighbridge settings"),
    QT_TRANSLATE_NOOP("Screens", "Signing holds"),
    QT_TRANSLATE_NOOP("Screens", "Users"),
    QT_TRANSLATE_NOOP("Screens", "My password"),
)


def build_main_window(store: Store, actor: Actor, languages: i18n.LanguageSwitcher | None,
                      ops: Ops, *, high_contrast: bool = False) -> MainWindow:
    """The main window with the screens the actor's roles allow; also used by the screenshots.

    The services check every role again: hiding a screen is for clarity, not the protection.
    """
    from inspector.security.actor import Role
    from ui.screens.register import LoadRegisterWidget

    status = StatusInfo(data_dir=str(store.data_dir.root), schema_revision=schema_revision(store))
    window = MainWindow(actor=actor, status=status, languages=languages, high_contrast=high_contrast)
    # The screens' one door: operations on the worker, and what changed announced to every screen.
    door = Door(ops, store, parent=window)
    window.door = door
    # Loading and validating the rule set files takes ~0.1 s: read it on the worker, after the window shows.
    ops.run(lambda: rule_set_in_force(store), window.set_rule_set, window.set_rule_set_problem, owner=window)
    if actor.has(Role.INSPECTOR, Role.SUPERVISOR):
        _add_intake_screens(store, door, actor, window)
    register = LoadRegisterWidget(door, actor, parent=window)
    window.add_screen("register", register, register.title)
    if actor.has(Role.CLERK, Role.SUPERVISOR):
        from ui.screens.intake.lab import LabResultsWidget

        lab = LabResultsWidget(door, actor, parent=window)
        window.add_screen("lab", lab, lab.title)
    if actor.has(Role.INSPECTOR, Role.SUPERVISOR, Role.CLERK):
        from ui.screens.lots import LotsWidget

        lots_screen = LotsWidget(door, actor, parent=window)
        window.add_screen("lots", lots_screen, lots_screen.title)
    if actor.has(Role.SUPERVISOR):
        from ui.screens.approvals import ApprovalQueueWidget

        approvals = ApprovalQueueWidget(door, actor, parent=window)
        window.add_screen("approvals", approvals, approvals.title)
    if actor.has(Role.CLERK, Role.SUPERVISOR):
        from ui.screens.certificates import CertificateRegisterWidget

        certificates = CertificateRegisterWidget(door, actor, parent=window)
        window.add_screen("certificates", certificates, certificates.title)
    from ui.screens.verify import VerifyCertificateWidget

    verify = VerifyCertificateWidget(door, parent=window)
    window.add_screen("verify", verify, verify.title)
    if actor.has(Role.SUPERVISOR, Role.ADMIN):
        from ui.screens.audit_viewer import AuditViewerWidget

        window.add_screen("audit", AuditViewerWidget(door, parent=window), _screen_title("Audit trail"))
        window.add_screen("scale", _scale_settings_screen(store, door, actor, window),
                          _screen_title("Weighbridge settings"))
    if actor.has(Role.SUPERVISOR):
        from ui.screens.audit_viewer import SigningHoldsWidget

        window.add_screen("holds", SigningHoldsWidget(door, actor, parent=window),
                          _screen_title("Signing holds"))
    if actor.has(Role.ADMIN, Role.SUPERVISOR):
        # Supervisors see the failed sign-ins to review there; changing accounts stays the admin's.
        from ui.screens.users_admin import UserAdminWidget

        window.add_screen("users", UserAdminWidget(door, actor, parent=window), _screen_title("Users"))
    if actor.roles:
        from ui.screens.login import ChangePasswordWidget

        window.add_screen("password", ChangePasswordWidget(door, actor, parent=window),
                          _screen_title("My password"))
    window.high_contrast_toggled.connect(
        lambda on: theme.apply_theme(QApplication.instance(), high_contrast=on))  # type: ignore[arg-type]
    return window


def _add_intake_screens(store: Store, door: Door, actor: Actor, window: MainWindow) -> None:
    """Trucks on site and the intake wizard, with the live weight of the first weighbridge when its port
    is set (without one, weights can only be entered manually, confirmed by a supervisor)."""
    from ui.screens.intake.trucks import TrucksOnSiteWidget
    from ui.screens.intake.wizard import IntakeWizardWidget
    from ui.screens.login import SecondPersonDialog

    monitor, live_widget = _live_scale(store, window)

    def confirm_manual(parent: QWidget) -> Actor | None:
        dialog = SecondPersonDialog(door, parent=parent, reason=QCoreApplication.translate(
            "Screens", "A weight entered by hand needs a supervisor's confirmation in person."))
        return dialog.confirmer if dialog.exec() else None

    # Both read on the door's worker; the wizard reads the yard's cameras itself.
    trucks = TrucksOnSiteWidget(door, parent=window)
    wizard = IntakeWizardWidget(door, actor, monitor=monitor, live_weight=live_widget,
                                confirm_manual=confirm_manual, parent=window)
    window.add_screen("trucks", trucks, trucks.title)
    window.add_screen("intake", wizard, wizard.title)

    def resume(load_id: int) -> None:
        wizard.open_load(load_id)
        window.show_screen("intake")

    def new_arrival() -> None:
        wizard.start_new_arrival()
        window.show_screen("intake")

    def print_ticket(load_id: int) -> None:
        from inspector.clock import Clock
        from ui.screens.ticket import open_ticket

        open_ticket(window, door=door, actor=actor, clock=Clock(), data_dir=door.data_dir, load_id=load_id)

    if monitor is not None:
        _follow_stability_delay(door, monitor, window)

    # The trucks on site follow the wizard's steps through the door's announcements (Change.LOADS).
    trucks.resume_requested.connect(resume)
    wizard.ticket_requested.connect(print_ticket)
    trucks.new_arrival_requested.connect(new_arrival)
    # After a crash or power cut, the inspector finds the load they were typing at the same step.
    wizard.resume_latest_draft()


def _follow_stability_delay(door: Door, monitor: LiveMonitor, window: MainWindow) -> None:
    """A stability delay changed in the settings (here, on another station or the command line) applies to
    the next capture: the live reader keeps its link, only the capture rule's delay follows the setting."""
    import dataclasses

    from inspector.changes import Change
    from inspector.services.weighing import first_scale_settings

    def apply(settings: object) -> None:
        delay = getattr(settings, "stable_delay_s", None)
        if delay is not None and delay != monitor.config.stable_delay_s:
            monitor.config = dataclasses.replace(monitor.config, stable_delay_s=delay)

    def on_changed(changes: frozenset[Change]) -> None:
        if Change.SETTINGS in changes:
            door.read(first_scale_settings, apply, owner=window)

    door.changed.connect(on_changed)


def _live_scale(store: Store, window: MainWindow) -> tuple[LiveMonitor | None, QWidget | None]:
    """The first weighbridge's live reader and widget; (None, None) when no port is configured."""
    from inspector.services.weighing import first_scale_settings
    from inspector.weighing.profiles import get_profile
    from inspector.weighing.reader import LiveScale
    from ui.widgets.live_weight import LiveWeightWidget, ReaderBridge

    with store.session() as session:
        settings = first_scale_settings(session)
    if settings is None or not settings.port:
        return None, None
    bridge = ReaderBridge(window)
    live = LiveScale(settings.serial(), get_profile(settings.profile), settings.config(),
                     on_event=bridge.post)
    widget = LiveWeightWidget(bridge=bridge, monitor=live.monitor, parent=window)
    live.start()
    window.destroyed.connect(lambda *_: live.stop())
    app = QApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(live.stop)
    return live.monitor, widget


def _scale_settings_screen(store: Store, door: Door, actor: Actor, parent: QWidget) -> QWidget:
    """The weighbridge settings screen, showing the first weighbridge; saving goes through the audited
    service on the worker."""
    from inspector.changes import Change
    from inspector.clock import Clock
    from inspector.services.weighing import ScaleSettings, first_scale_settings, save_scale_settings
    from ui.screens.scale_settings import ScaleSettingsWidget

    with store.session() as session:
        initial = first_scale_settings(session)
    widget = ScaleSettingsWidget(ops=door.ops, initial=initial, parent=parent)

    def save(settings: ScaleSettings) -> None:
        def saved(_result: object) -> None:
            widget.load(settings)  # what is stored now: later changes from elsewhere compare with it
            parent.statusBar().showMessage(  # type: ignore[attr-defined]
                QCoreApplication.translate("Screens", "Weighbridge settings saved."), 10000)

        door.write(lambda s: save_scale_settings(s, actor=actor, clock=Clock(), settings=settings), saved,
                   changes=[Change.SETTINGS], owner=widget)

    widget.settings_saved.connect(save)

    def on_changed(changes: frozenset[Change]) -> None:
        # Settings changed elsewhere (the command line, another station) show unless the form holds edits.
        if Change.SETTINGS in changes:
            door.read(first_scale_settings, widget.offer, owner=widget)

    door.changed.connect(on_changed)
    return widget


def install_idle_lock(door: Door, actor: Actor, window: MainWindow) -> None:
    """Lock the window after the yard's idle time without key, mouse or touch input; the user's password
    unlocks it, or someone else signs in."""
    from inspector.security import users
    from ui.screens.login import IdleWatcher, LockScreenWidget

    lock_screen = LockScreenWidget(door, actor, parent=window)
    window.set_lock_screen(lock_screen)
    # Counting starts at once with the default; the yard's own idle time replaces it when read (on the
    # worker, a moment after the window shows). A failed read leaves the default: the window still locks.
    watcher = IdleWatcher(users.DEFAULT_IDLE_LOCK_MINUTES * 60_000, parent=window)
    watcher.idle.connect(window.lock)
    watcher.start()

    def idle_time_read(minutes: int) -> None:
        watcher.set_timeout_minutes(minutes)
        watcher.start()

    def unlocked(_actor: Actor) -> None:
        window.unlock()
        watcher.start()

    lock_screen.unlocked.connect(unlocked)
    lock_screen.switch_user_requested.connect(window.request_switch_user)
    door.read(users.idle_lock_minutes, idle_time_read, owner=watcher)


def check_records(door: Door, window: MainWindow) -> None:
    """Verify the audit trail, row hashes and checkpoints on the worker; a failure turns the banner red.

    The check records a signing hold when it finds problems or a clock behind the trail (Change.USERS)."""
    from inspector.changes import Change
    from inspector.clock import Clock
    from inspector.security.startup import startup_check

    store = door.store

    lang = words.language()

    def job() -> list[str]:
        report = startup_check(store, data_dir=store.data_dir, clock=Clock())
        return [p.words(lang) for p in report.problems]

    door.run(job, lambda problems: window.show_integrity_problems(problems) if problems else None,
             changes=[Change.USERS], owner=window)


def offer_laptop_setup(ops: Ops, data_dir: DataDir) -> bool:
    """The first-run page on an empty folder: set this laptop up from a supervisor bundle (True when it
    was), or close it and go on as before."""
    from ui.screens.laptop import LaptopSetupDialog

    dialog = LaptopSetupDialog(ops, data_dir)
    try:
        return bool(dialog.exec()) and dialog.profile is not None
    finally:
        dialog.deleteLater()


def run_laptop(app: QApplication, ops: Ops, data_dir: DataDir, crash: CrashHandler) -> int:
    """A supervisor's laptop: straight into the approval desk, no sign-in (the key passphrase asked at
    signing is the authentication). Its small database holds only what it signed."""
    from inspector.lots import bundle
    from inspector.storage.db import open_store
    from ui.screens.laptop import LaptopWindow

    profile = bundle.laptop_profile(data_dir)
    assert profile is not None
    store = open_store(data_dir, backup=False)
    try:
        window = LaptopWindow(Door(ops, store, watch_ms=None), profile)
        window.showMaximized()
        code = app.exec()
        window.door.stop_watching()
        window.deleteLater()
        return CRASH_EXIT_CODE if crash.crashed else code
    finally:
        ops.shutdown()  # before the store closes: a job still queued may use it
        store.close()


class _FirstPaintWatcher(QObject):
    """Calls back once, when the window has painted for the first time (what 'shown' means to a user)."""

    def __init__(self, callback: Callable[[], None]) -> None:
        super().__init__()
        self._callback: Callable[[], None] | None = callback

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._callback is not None:
            callback, self._callback = self._callback, None
            QTimer.singleShot(0, callback)
        return False


def run(args: argparse.Namespace) -> int:
    """Open the window (``yard-inspector`` with no command); returns the exit code."""
    smoke = bool(getattr(args, "smoke_test", False))
    dialogs = not (getattr(args, "no_crash_dialog", False) or smoke)
    temp = tempfile.TemporaryDirectory(prefix="yard-inspector-smoke-") if smoke else None
    try:
        return _run(args, smoke=smoke, dialogs=dialogs, temp_root=Path(temp.name) if temp else None)
    finally:
        if temp is not None:
            temp.cleanup()


def _run(args: argparse.Namespace, *, smoke: bool, dialogs: bool, temp_root: Path | None) -> int:
    started = time.perf_counter()
    app = ensure_application()
    crash = CrashHandler(show_dialog=dialogs)
    crash.install()
    previous_qt_handler = qInstallMessageHandler(qt_message_handler)
    log_handler: logging.Handler | None = None
    opening: StoreOpening | None = None
    ops: Ops | None = None
    fatal_log: TextIO | None = None
    try:
        languages = prepare_languages(app, getattr(args, "lang", None))
        cjk = theme.load_bundled_fonts()
        theme.apply_theme(app, high_contrast=False, cjk_families=cjk)

        data_dir = DataDir(temp_root) if temp_root else resolve(getattr(args, "data_dir", None))
        try:
            data_dir.ensure()
            log_handler = setup_logging(data_dir.logs)
            crash.log_dir = data_dir.logs
            # A crash inside Qt's C++ code never reaches sys.excepthook; faulthandler still writes the stack.
            fatal_log = (data_dir.logs / "fatal.log").open("a", encoding="utf-8")
            faulthandler.enable(fatal_log)
            log.info("Yard Inspector %s starting on %s", __version__, data_dir.root)
        except EnvironmentProblemError as exc:
            report_problem(exc, dialogs=dialogs,
                           title=QCoreApplication.translate("App", "Yard Inspector cannot start"))
            return 1

        ops = Ops(show_error=lambda exc: report_problem(exc, dialogs=dialogs, parent=app.activeWindow()))
        if not smoke and dialogs and data_dir.is_empty:
            # Nothing here yet: this may be a supervisor's laptop to set up from their bundle.
            offer_laptop_setup(ops, data_dir)
        if data_dir.is_laptop:
            try:
                return run_laptop(app, ops, data_dir, crash)
            except EnvironmentProblemError as exc:
                report_problem(exc, dialogs=dialogs,
                               title=QCoreApplication.translate("App", "Yard Inspector cannot start"))
                return 1
        opening = StoreOpening(data_dir)
        if smoke:
            opening.open_now()
        else:
            opening.start(ops)

        # One signed-in session after another: 'sign in as someone else' on the lock screen ends this one.
        while True:
            # A smoke test has a fresh, empty yard with nobody to sign in: it checks the window as a viewer.
            try:
                actor = READ_ONLY_VIEWER if smoke else sign_in(opening, ops)
                if actor is None:  # cancelled, or closed by a crash while the store opened
                    return CRASH_EXIT_CODE if crash.crashed else 0
                store = opening.get()
            except EnvironmentProblemError as exc:
                report_problem(exc, dialogs=dialogs,
                               title=QCoreApplication.translate("App", "Yard Inspector cannot start"))
                return 1

            window = build_main_window(store, actor, languages, ops)
            assert isinstance(window.door, Door)
            if actor.roles:
                install_idle_lock(window.door, actor, window)
            check_records(window.door, window)
            log.info("main window built after %.0f ms", (time.perf_counter() - started) * 1000)

            def on_shown(shown: MainWindow = window) -> None:
                log.info("main window shown")
                log.info("first paint after %.0f ms", (time.perf_counter() - started) * 1000)
                if smoke:
                    print(f"smoke test passed: main window shown (t={time.time():.6f})", flush=True)
                    shown.close()
                    app.exit(0)

            watcher = _FirstPaintWatcher(on_shown)
            window.installEventFilter(watcher)
            # A station PC runs the app full screen. Some kiosk set-ups have no window manager to maximize it,
            # so cover the screen's free area first; with a window manager, maximized is the same size.
            screen = app.primaryScreen()
            if screen is not None:
                window.setGeometry(screen.availableGeometry())
            window.showMaximized()
            code = app.exec()
            window.removeEventFilter(watcher)
            if not window.switch_user_requested:
                break
            window.deleteLater()
        return CRASH_EXIT_CODE if crash.crashed else code
    except Exception:
        crash.handle(*sys.exc_info())
        return CRASH_EXIT_CODE
    finally:
        if ops is not None:
            ops.shutdown()  # after the opening, if it was still running
        if opening is not None and opening.store is not None:
            opening.store.close()
        qInstallMessageHandler(previous_qt_handler)
        crash.uninstall()
        if fatal_log is not None:
            faulthandler.disable()
            fatal_log.close()
        if log_handler is not None:
            logging.getLogger().removeHandler(log_handler)
            log_handler.close()
