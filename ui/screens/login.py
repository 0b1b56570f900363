"""Signing in: the login dialog at start (with the forced password change after a reset), the lock screen
shown after the idle time, which only the same user's password (or a switch of user) dismisses, the
signed-in user's own password change, and a supervisor's confirmation in person.

Every attempt goes through ``inspector.security.users.authenticate`` on the door's worker, so it is audited
and counts towards the lock exactly as on the command line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from inspector.clock import Clock
from inspector.errors import InspectorError
from inspector.security.actor import Actor, Role
from ui import words
from ui.ops import Door, Ops
from ui.screens.base import ScreenWidget

if TYPE_CHECKING:
    # The account services (and the operations over them) load the database layer; the sign-in shows
    # before that (see ui.app), so they are imported where a button asks for them.
    from inspector.security import users

# The yard's open store (``inspector.storage.db.Store``), or a function giving it once it is open.
StoreOf = Callable[[], Any]


class LoginDialog(QDialog):
    """User id and password; then, if an administrator reset the password, a new one (typed twice).

    Signals:
        signed_in(object): the ``Actor`` who signed in (the dialog is accepted right after).
    """

    signed_in = Signal(object)

    def __init__(self, store: Any, ops: Ops, *, clock: Clock | None = None,
                 parent: QWidget | None = None) -> None:
        """``store`` may be a function that gives it: at start the dialog shows while the store opens on the
        worker, and every job of this dialog runs on that worker after the opening. The dialog makes its
        own door onto the store once it is open (the window, and its door, come after the sign-in)."""
        super().__init__(parent)
        self._store_of: StoreOf = store if callable(store) else (lambda: store)
        self._ops = ops
        self._door: Door | None = None
        # What to do once the door exists: sign in, or change the password.
        self._then: Callable[[Door], None] | None = None
        self._clock = clock or Clock()
        self._pending: users.LoginResult | None = None
        # The password typed at sign-in, kept only until a forced change is done (it is the "old" one).
        self._old_password = ""
        self.actor: Actor | None = None
        self.setObjectName("loginDialog")

        self.pages = QStackedWidget(self)
        login_page = QWidget(self)
        self.username_edit = QLineEdit(login_page)
        self.username_edit.setObjectName("loginUsername")
        self.password_edit = QLineEdit(login_page)
        self.password_edit.setObjectName("loginPassword")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.sign_in_button = QPushButton(login_page)
        self.sign_in_button.setDefault(True)
        form = QFormLayout(login_page)
        self._username_label = QLabel(login_page)
        self._password_label = QLabel(login_page)
        form.addRow(self._username_label, self.username_edit)
        form.addRow(self._password_label, self.password_edit)
        form.addRow(self.sign_in_button)

        change_page = QWidget(self)
        self.change_note = QLabel(change_page)
        self.change_note.setWordWrap(True)
        self.new_password_edit = QLineEdit(change_page)
        self.new_password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat_password_edit = QLineEdit(change_page)
        self.repeat_password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.change_button = QPushButton(change_page)
        change_form = QFormLayout(change_page)
        self._new_label = QLabel(change_page)
        self._repeat_label = QLabel(change_page)
        change_form.addRow(self.change_note)
        change_form.addRow(self._new_label, self.new_password_edit)
        change_form.addRow(self._repeat_label, self.repeat_password_edit)
        change_form.addRow(self.change_button)
        self.pages.addWidget(login_page)
        self.pages.addWidget(change_page)

        self.message_label = QLabel(self)
        self.message_label.setObjectName("loginMessage")
        self.message_label.setWordWrap(True)
        self.message_label.setStyleSheet("color: #b00020;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        layout.addWidget(self.message_label)

        self.sign_in_button.clicked.connect(self._on_sign_in_button_clicked)
        self.password_edit.returnPressed.connect(self._on_sign_in_button_clicked)
        self.change_button.clicked.connect(self._on_change_button_clicked)
        self.repeat_password_edit.returnPressed.connect(self._on_change_button_clicked)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Sign in to Yard Inspector"))
        self._username_label.setText(self.tr("User id"))
        self._password_label.setText(self.tr("Password"))
        self.sign_in_button.setText(self.tr("Sign in"))
        self.change_note.setText(self.tr("An administrator set your password. Choose your own password now; "
                                         "nobody else will know it."))
        self._new_label.setText(self.tr("New password"))
        self._repeat_label.setText(self.tr("New password again"))
        self.change_button.setText(self.tr("Change password and continue"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _set_busy(self, busy: bool) -> None:
        self.sign_in_button.setEnabled(not busy)
        self.change_button.setEnabled(not busy)

    def _on_sign_in_button_clicked(self) -> None:
        username = self.username_edit.text().strip()
        password = self.password_edit.text()
        if not username or not password:
            self.message_label.setText(self.tr("Type your user id and password."))
            return
        self._set_busy(True)
        self.message_label.clear()
        self._old_password = password

        def sign_in(door: Door) -> None:
            # Imported once the store is open: the worker imports the database layer while it opens the
            # store, and importing SQLAlchemy on two threads at once can leave it half-initialised.
            from ui.operations import users as user_ops

            user_ops.sign_in(door, owner=self, clock=self._clock, username=username, password=password,
                             purpose="login", on_done=self._on_login_done, on_error=self._on_job_error)

        self._through_door(sign_in)

    def _through_door(self, then: Callable[[Door], None]) -> None:
        """Run ``then(door)``; the first time, once the worker has opened the store (it may be at it)."""
        if self._door is not None:
            then(self._door)
            return
        self._then = then
        # Queued behind the opening on the one worker; gives the store (or the reason it did not open).
        self._ops.run(self._store_of, self._on_ops_store_ready, self._on_job_error, owner=self)

    def _on_ops_store_ready(self, store: Any) -> None:
        if self._door is None:
            self._door = Door(self._ops, store, watch_ms=None, parent=self)
        then, self._then = self._then, None
        if then is not None:
            then(self._door)

    def _on_login_done(self, result: users.LoginResult) -> None:
        self._set_busy(False)
        self.password_edit.clear()
        if not result.ok or result.actor is None:
            self._old_password = ""
            self.message_label.setText(self._login_message(result))
            return
        if not result.must_change_password:
            self._old_password = ""
        else:
            self._pending = result
            self.pages.setCurrentIndex(1)
            self.new_password_edit.setFocus()
            return
        self._finish(result.actor)

    def _login_message(self, result: users.LoginResult) -> str:
        return result.words(words.language())

    def _on_change_button_clicked(self) -> None:
        pending = self._pending
        if pending is None or pending.actor is None:
            return
        new = self.new_password_edit.text()
        if new != self.repeat_password_edit.text():
            self.message_label.setText(self.tr("The two new passwords differ."))
            return
        old = self._old_password
        actor = pending.actor
        self._set_busy(True)

        def change(door: Door) -> None:
            from ui.operations import users as user_ops  # once the store is open, as in sign_in

            user_ops.change_own_password(door, owner=self, actor=actor, clock=self._clock, old_password=old,
                                         new_password=new, on_done=self._on_change_done,
                                         on_error=self._on_job_error)

        self._through_door(change)

    def _on_change_done(self, actor: Actor) -> None:
        self._set_busy(False)
        self._old_password = ""
        self._finish(actor)

    def _on_job_error(self, exc: InspectorError) -> None:
        self._set_busy(False)
        self.message_label.setText(words.error(exc))

    def _finish(self, actor: Actor) -> None:
        self.actor = actor
        self.signed_in.emit(actor)
        self.accept()


class IdleWatcher(QObject):
    """Emits ``idle`` when no key or mouse input reached the application for ``timeout_ms``."""

    idle = Signal()
    _INPUT_EVENTS = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
                               QEvent.Type.Wheel, QEvent.Type.TouchBegin})

    def __init__(self, timeout_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(timeout_ms)
        self._timer.timeout.connect(self.idle)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    @property
    def timeout_ms(self) -> int:
        return self._timer.interval()

    def set_timeout_minutes(self, minutes: int) -> None:
        self._timer.setInterval(minutes * 60_000)
        self.poke()

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def poke(self) -> None:
        if self._timer.isActive():
            self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in self._INPUT_EVENTS:
            self.poke()
        return False


class LockScreenWidget(QWidget):
    """Covers the window while the user is away: their password unlocks it, or another user signs in.

    Signals:
        unlocked(object): the same ``Actor`` typed their password.
        switch_user_requested(): someone else wants to sign in (the window closes the session).
    """

    unlocked = Signal(object)
    switch_user_requested = Signal()

    def __init__(self, door: Door, actor: Actor, *, clock: Clock | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._door = door
        self._actor = actor
        self._clock = clock or Clock()
        self.setObjectName("lockScreen")
        self.setAutoFillBackground(True)
        self.title_label = QLabel(self)
        self.title_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title_label.setStyleSheet("font-size: 18pt;")
        self.password_edit = QLineEdit(self)
        self.password_edit.setObjectName("lockPassword")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.unlock_button = QPushButton(self)
        self.switch_button = QPushButton(self)
        self.message_label = QLabel(self)
        self.message_label.setStyleSheet("color: #b00020;")
        self.message_label.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.unlock_button)
        buttons.addWidget(self.switch_button)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.title_label)
        layout.addWidget(self.password_edit)
        layout.addLayout(buttons)
        layout.addWidget(self.message_label)
        layout.addStretch(1)
        self.unlock_button.clicked.connect(self._on_unlock_button_clicked)
        self.password_edit.returnPressed.connect(self._on_unlock_button_clicked)
        self.switch_button.clicked.connect(self.switch_user_requested)
        self.retranslate()

    def retranslate(self) -> None:
        self.title_label.setText(self.tr("Locked: %1. Type your password to continue.")
                                 .replace("%1", self._actor.display_name))
        self.unlock_button.setText(self.tr("Unlock"))
        self.switch_button.setText(self.tr("Sign in as someone else"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _on_unlock_button_clicked(self) -> None:
        password = self.password_edit.text()
        self.password_edit.clear()
        if not password:
            return
        self.unlock_button.setEnabled(False)
        from ui.operations import users as user_ops

        user_ops.sign_in(self._door, owner=self, clock=self._clock, username=self._actor.user_id,
                         password=password, purpose="unlock", on_done=self._on_unlock_done,
                         on_error=self._on_unlock_error)

    def _on_unlock_done(self, result: users.LoginResult) -> None:
        self.unlock_button.setEnabled(True)
        if result.ok and result.actor is not None and result.actor.user_id == self._actor.user_id:
            self.message_label.clear()
            self.unlocked.emit(result.actor)
            return
        if result.outcome == "locked":
            self.message_label.setText(self.tr("The account is locked after repeated failed attempts."))
        else:
            self.message_label.setText(self.tr("Wrong password."))

    def _on_unlock_error(self, exc: InspectorError) -> None:
        self.unlock_button.setEnabled(True)
        self.message_label.setText(words.error(exc))


class ChangePasswordWidget(ScreenWidget):
    """The signed-in user changes their own password (current one, then the new one twice).

    Signals:
        password_changed(): the new password is stored (and the change audited).
    """

    password_changed = Signal()

    def __init__(self, door: Door, actor: Actor, *, clock: Clock | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(door, parent)
        self._door = door
        self._actor = actor
        self._clock = clock or Clock()
        self.current_edit = QLineEdit(self)
        self.new_edit = QLineEdit(self)
        self.repeat_edit = QLineEdit(self)
        for edit in (self.current_edit, self.new_edit, self.repeat_edit):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.change_button = QPushButton(self)
        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        self._labels = [QLabel(self) for _ in range(3)]
        form = QFormLayout(self)
        form.addRow(self._labels[0], self.current_edit)
        form.addRow(self._labels[1], self.new_edit)
        form.addRow(self._labels[2], self.repeat_edit)
        form.addRow(self.change_button)
        form.addRow(self.message_label)
        self.change_button.clicked.connect(self._on_change_button_clicked)
        self.retranslate()

    def title(self) -> str:
        return QCoreApplication.translate("Screens", "My password")

    def retranslate(self) -> None:
        for label, text in zip(self._labels, (self.tr("Current password"), self.tr("New password"),
                                              self.tr("New password again")), strict=True):
            label.setText(text)
        self.change_button.setText(self.tr("Change password"))

    def _on_change_button_clicked(self) -> None:
        old, new = self.current_edit.text(), self.new_edit.text()
        if new != self.repeat_edit.text():
            self.message_label.setText(self.tr("The two new passwords differ."))
            return
        for edit in (self.current_edit, self.new_edit, self.repeat_edit):
            edit.clear()
        self.change_button.setEnabled(False)
        from ui.operations import users as user_ops

        user_ops.change_own_password(self._door, owner=self, actor=self._actor, clock=self._clock,
                                     old_password=old, new_password=new, on_done=self._on_change_done,
                                     on_error=self._on_change_error)

    def _on_change_done(self, _result: object) -> None:
        self.change_button.setEnabled(True)
        self.message_label.setText(self.tr("Password changed."))
        self.password_changed.emit()

    def _on_change_error(self, exc: InspectorError) -> None:
        self.change_button.setEnabled(True)
        self.message_label.setText(words.error(exc))


class SecondPersonDialog(QDialog):
    """A second person confirms in person (e.g. a manual weight): a supervisor's user id and password.

    The password is checked as a sign-in with purpose "second_person" on the door's worker: failures count
    towards the lock and every attempt is audited. ``confirmer`` is the supervisor's ``Actor`` once accepted.
    """

    def __init__(self, door: Door, *, reason: str, clock: Clock | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._door = door
        self._clock = clock or Clock()
        self.confirmer: Actor | None = None
        self.setObjectName("secondPersonDialog")
        self.reason_label = QLabel(reason, self)
        self.reason_label.setWordWrap(True)
        self.username_edit = QLineEdit(self)
        self.password_edit = QLineEdit(self)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm_button = QPushButton(self)
        self.confirm_button.setDefault(True)
        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        self.message_label.setStyleSheet("color: #b00020;")
        self._username_label = QLabel(self)
        self._password_label = QLabel(self)
        form = QFormLayout(self)
        form.addRow(self.reason_label)
        form.addRow(self._username_label, self.username_edit)
        form.addRow(self._password_label, self.password_edit)
        form.addRow(self.confirm_button)
        form.addRow(self.message_label)
        self.confirm_button.clicked.connect(self._on_confirm_button_clicked)
        self.password_edit.returnPressed.connect(self._on_confirm_button_clicked)
        self.setWindowTitle(self.tr("Confirmation by a supervisor"))
        self._username_label.setText(self.tr("Supervisor's user id"))
        self._password_label.setText(self.tr("Password"))
        self.confirm_button.setText(self.tr("Confirm"))

    def _on_confirm_button_clicked(self) -> None:
        if not self.confirm_button.isEnabled():
            return  # a check is under way (Enter pressed again)
        password = self.password_edit.text()
        self.password_edit.clear()
        self.confirm_button.setEnabled(False)
        from ui.operations import users as user_ops

        user_ops.sign_in(self._door, owner=self, clock=self._clock, username=self.username_edit.text(),
                         password=password, purpose="second_person", on_done=self._on_door_checked,
                         on_error=self._on_door_failed)

    def _on_door_checked(self, result: users.LoginResult) -> None:
        self.confirm_button.setEnabled(True)
        if not result.ok or result.actor is None:
            self.message_label.setText(result.words(words.language()))
            return
        if Role.SUPERVISOR not in result.actor.roles:
            name = result.actor.display_name
            self.message_label.setText(self.tr("%1 is not a supervisor.").replace("%1", name))
            return
        self.confirmer = result.actor
        self.accept()

    def _on_door_failed(self, exc: InspectorError) -> None:
        self.confirm_button.setEnabled(True)
        self.message_label.setText(words.error(exc))
