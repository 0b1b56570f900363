"""User administration: the accounts and their roles, adding users, password resets, unlocking, enabling
and disabling, and (for supervisors and administrators) the failed sign-in attempts to review.

Every change is an operation (``ui.operations.users``) that runs the services in
``inspector.security.users`` (which check the role again and write the audit event) through the door; the
screen reads the accounts again whenever accounts change, here or anywhere else. Reasons and temporary
passwords are asked through ``prompt`` (a dialog by default; tests inject their own).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from inspector.changes import Change
from inspector.clock import Clock
from inspector.errors import InspectorError
from inspector.queries.users import UserAccounts, user_accounts
from inspector.security import users
from inspector.security.actor import Actor, Role
from ui import formats, words
from ui.operations import users as user_ops
from ui.ops import Door
from ui.screens.base import ScreenWidget

# (title, label, secret) -> the text typed, or None when cancelled.
Prompt = Callable[[str, str, bool], str | None]


def dialog_prompt(parent: QWidget) -> Prompt:
    def ask(title: str, label: str, secret: bool) -> str | None:
        mode = QLineEdit.EchoMode.Password if secret else QLineEdit.EchoMode.Normal
        text, ok = QInputDialog.getText(parent, title, label, mode)
        return text if ok else None

    return ask


class UserAdminWidget(ScreenWidget):
    """Accounts table with add / reset / unlock / roles / enable-disable, and the failed attempts.

    Signals:
        changed(): this screen changed an account (the lists are read again as the door announces it).
    """

    shows = frozenset({Change.USERS})
    changed = Signal()
    USER_COLUMNS = 4

    def __init__(self, door: Door, actor: Actor, *, clock: Clock | None = None,
                 prompt: Prompt | None = None, parent: QWidget | None = None) -> None:
        super().__init__(door, parent)
        self._door = door
        self._actor = actor
        self._clock = clock or Clock()
        self._prompt = prompt or dialog_prompt(self)
        self._views: list[users.UserView] = []
        # (user, stored roles) the role boxes were last filled from.
        self._boxes_show: tuple[str, frozenset[str]] | None = None
        self.setObjectName("userAdmin")

        self.users_table = QTableWidget(0, self.USER_COLUMNS, self)
        self.users_table.setObjectName("usersTable")
        self.users_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.users_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.users_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.users_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.users_table.horizontalHeader().setStretchLastSection(True)
        # A yard has a handful of users: show about seven rows without scrolling.
        self.users_table.setMinimumHeight(340)

        self.add_group = QGroupBox(self)
        self.new_username_edit = QLineEdit(self.add_group)
        self.new_name_edit = QLineEdit(self.add_group)
        self.new_password_edit = QLineEdit(self.add_group)
        self.new_password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.new_role_boxes = {role: QCheckBox(self.add_group) for role in Role}
        self.add_button = QPushButton(self.add_group)
        roles_row = QHBoxLayout()
        for box in self.new_role_boxes.values():
            roles_row.addWidget(box)
        self._add_labels = [QLabel(self.add_group) for _ in range(4)]
        add_form = QFormLayout(self.add_group)
        add_form.addRow(self._add_labels[0], self.new_username_edit)
        add_form.addRow(self._add_labels[1], self.new_name_edit)
        add_form.addRow(self._add_labels[2], roles_row)
        add_form.addRow(self._add_labels[3], self.new_password_edit)
        add_form.addRow(self.add_button)

        self.edit_group = QGroupBox(self)
        self.role_boxes = {role: QCheckBox(self.edit_group) for role in Role}
        self.apply_roles_button = QPushButton(self.edit_group)
        self.reset_button = QPushButton(self.edit_group)
        self.unlock_button = QPushButton(self.edit_group)
        self.active_button = QPushButton(self.edit_group)
        edit_roles = QHBoxLayout()
        for box in self.role_boxes.values():
            edit_roles.addWidget(box)
        edit_roles.addWidget(self.apply_roles_button)
        edit_buttons = QHBoxLayout()
        for button in (self.reset_button, self.unlock_button, self.active_button):
            edit_buttons.addWidget(button)
        edit_layout = QVBoxLayout(self.edit_group)
        edit_layout.addLayout(edit_roles)
        edit_layout.addLayout(edit_buttons)

        self.failures_group = QGroupBox(self)
        self.failures_table = QTableWidget(0, 4, self.failures_group)
        self.failures_table.setObjectName("failuresTable")
        self.failures_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.failures_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.failures_table.horizontalHeader().setStretchLastSection(True)
        self.review_button = QPushButton(self.failures_group)
        failures_layout = QVBoxLayout(self.failures_group)
        failures_layout.addWidget(self.failures_table)
        failures_layout.addWidget(self.review_button)
        self.failures_group.setVisible(actor.has(Role.SUPERVISOR, Role.ADMIN))
        is_admin = actor.has(Role.ADMIN)
        self.add_group.setEnabled(is_admin)
        self.edit_group.setEnabled(False)

        self.message_label = QLabel(self)
        self.message_label.setObjectName("userAdminMessage")
        self.message_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.users_table, 2)
        layout.addWidget(self.edit_group)
        layout.addWidget(self.add_group)
        layout.addWidget(self.failures_group, 1)
        layout.addWidget(self.message_label)

        self.users_table.itemSelectionChanged.connect(self._on_users_table_selection_changed)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.apply_roles_button.clicked.connect(self._on_apply_roles_button_clicked)
        self.reset_button.clicked.connect(self._on_reset_button_clicked)
        self.unlock_button.clicked.connect(self._on_unlock_button_clicked)
        self.active_button.clicked.connect(self._on_active_button_clicked)
        self.review_button.clicked.connect(self._on_review_button_clicked)
        self.retranslate()
        self.refresh()

    # --- texts ---------------------------------------------------------------------------------------------

    def title(self) -> str:
        return QCoreApplication.translate("Screens", "Users")

    def retranslate(self) -> None:
        self.users_table.setHorizontalHeaderLabels([self.tr("User id"), self.tr("Name"), self.tr("Roles"),
                                                    self.tr("State")])
        self.failures_table.setHorizontalHeaderLabels([formats.with_zone(self.tr("Time")), self.tr("User id"),
                                                       self.tr("What happened"), self.tr("Where")])
        self.add_group.setTitle(self.tr("Add a user"))
        for label, text in zip(self._add_labels, (self.tr("User id"), self.tr("Name"), self.tr("Roles"),
                                                  self.tr("Temporary password")), strict=True):
            label.setText(text)
        for role, box in self.new_role_boxes.items():
            box.setText(words.role(role))
        for role, box in self.role_boxes.items():
            box.setText(words.role(role))
        self.add_button.setText(self.tr("Add user"))
        self.edit_group.setTitle(self.tr("Selected user"))
        self.apply_roles_button.setText(self.tr("Apply roles…"))
        self.reset_button.setText(self.tr("Reset password…"))
        self.unlock_button.setText(self.tr("Unlock…"))
        self.active_button.setText(self.tr("Disable…"))
        self.failures_group.setTitle(self.tr("Failed sign-in attempts not yet reviewed"))
        self.review_button.setText(self.tr("Mark all as reviewed"))
        self._fill_users()  # the role and state words

    # --- reading -------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        actor = self._actor
        self._door.read(lambda s: user_accounts(s, actor=actor), self._on_door_read, self._on_job_error,
                        owner=self)

    def _on_door_read(self, accounts: UserAccounts) -> None:
        self._views = list(accounts.users)
        failures = accounts.failures
        self._fill_users()
        self.failures_table.setRowCount(len(failures))
        for row, attempt in enumerate(failures):
            outcome = {"wrong_password": self.tr("wrong password"),
                       "unknown_user": self.tr("unknown user id"),
                       "locked": self.tr("account locked"), "disabled": self.tr("account disabled")}
            cells = (formats.moment(attempt.at, None, seconds=True), attempt.username,
                     outcome.get(attempt.outcome, attempt.outcome), attempt.purpose)
            for column, text in enumerate(cells):
                self.failures_table.setItem(row, column, QTableWidgetItem(text))
        self.review_button.setEnabled(bool(failures))
        self._on_users_table_selection_changed()

    def _state_text(self, view: users.UserView) -> str:
        if not view.active:
            return self.tr("disabled")
        if view.is_locked(self._clock.now().utc):
            return self.tr("locked")
        if view.must_change_password:
            return self.tr("must change password")
        return self.tr("active")

    def _fill_users(self) -> None:
        selected = self.selected_username()
        self.users_table.setRowCount(len(self._views))
        for row, view in enumerate(self._views):
            roles = ", ".join(words.role(Role(r)) for r in view.roles)
            for column, text in enumerate((view.username, view.display_name, roles, self._state_text(view))):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, view.username)
                self.users_table.setItem(row, column, item)
            if view.username == selected:
                self.users_table.selectRow(row)

    def selected_username(self) -> str | None:
        rows = self.users_table.selectionModel().selectedRows() if self.users_table.selectionModel() else []
        if not rows:
            return None
        item = self.users_table.item(rows[0].row(), 0)
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def select_user(self, username: str) -> None:
        for row, view in enumerate(self._views):
            if view.username == username:
                self.users_table.selectRow(row)
                return

    def _selected_view(self) -> users.UserView | None:
        name = self.selected_username()
        return next((v for v in self._views if v.username == name), None)

    def _on_users_table_selection_changed(self) -> None:
        view = self._selected_view()
        self.edit_group.setEnabled(view is not None and self._actor.has(Role.ADMIN))
        if view is None:
            self._boxes_show = None
            return
        # A refresh (a sign-in anywhere changes the accounts) keeps the boxes an administrator is ticking;
        # they are filled from the stored roles when another user is selected, or the stored roles changed.
        shown = (view.username, frozenset(view.roles))
        if shown != self._boxes_show:
            self._boxes_show = shown
            for role, box in self.role_boxes.items():
                box.setChecked(role.value in view.roles)
        self.active_button.setText(self.tr("Disable…") if view.active else self.tr("Enable…"))
        self.unlock_button.setEnabled(view.failed_count > 0 or view.locked_until is not None)

    # --- changing ------------------------------------------------------------------------------------------

    def _done(self, done_text: str) -> Callable[[object], None]:
        """What follows a change made here: say so (the door's announcement reads the lists again)."""
        def done(_result: object) -> None:
            self.message_label.setText(done_text)
            self.changed.emit()

        return done

    def _ask_reason(self) -> str | None:
        return self._prompt(self.tr("Reason"), self.tr("Why is this change made? (kept in the audit trail)"),
                            False)

    def _on_add_button_clicked(self) -> None:
        roles = [role for role, box in self.new_role_boxes.items() if box.isChecked()]
        username, name = self.new_username_edit.text(), self.new_name_edit.text()
        password = self.new_password_edit.text()
        self.new_password_edit.clear()
        done = self.tr("User %1 added; the password must be changed at the first sign-in.").replace(
            "%1", username.strip().lower())
        user_ops.create_user(self._door, owner=self, actor=self._actor, clock=self._clock, username=username,
                             display_name=name, roles=roles, password=password, on_done=self._done(done),
                             on_error=self._on_job_error)

    def _on_apply_roles_button_clicked(self) -> None:
        view = self._selected_view()
        if view is None:
            return
        wanted = {role.value for role, box in self.role_boxes.items() if box.isChecked()}
        grant = sorted(wanted - set(view.roles))
        revoke = sorted(set(view.roles) - wanted)
        if not grant and not revoke:
            return
        reason = self._ask_reason()
        if reason is None:
            return
        done = self.tr("Roles of %1 changed.").replace("%1", view.username)
        user_ops.change_roles(self._door, owner=self, actor=self._actor, clock=self._clock,
                              username=view.username, grant=grant, revoke=revoke, reason=reason,
                              on_done=self._done(done), on_error=self._on_job_error)

    def _on_reset_button_clicked(self) -> None:
        view = self._selected_view()
        if view is None:
            return
        label = self.tr("Temporary password (the user must change it at the next sign-in)")
        password = self._prompt(self.tr("Reset password"), label, True)
        if password is None:
            return
        reason = self._ask_reason()
        if reason is None:
            return
        done = self.tr("Password of %1 reset.").replace("%1", view.username)
        user_ops.reset_password(self._door, owner=self, actor=self._actor, clock=self._clock,
                                username=view.username, new_password=password, reason=reason,
                                on_done=self._done(done), on_error=self._on_job_error)

    def _on_unlock_button_clicked(self) -> None:
        view = self._selected_view()
        reason = self._ask_reason() if view is not None else None
        if view is None or reason is None:
            return
        user_ops.unlock_user(self._door, owner=self, actor=self._actor, clock=self._clock,
                             username=view.username, reason=reason,
                             on_done=self._done(self.tr("%1 unlocked.").replace("%1", view.username)),
                             on_error=self._on_job_error)

    def _on_active_button_clicked(self) -> None:
        view = self._selected_view()
        reason = self._ask_reason() if view is not None else None
        if view is None or reason is None:
            return
        active = not view.active
        user_ops.set_user_active(self._door, owner=self, actor=self._actor, clock=self._clock,
                                 username=view.username, active=active, reason=reason,
                                 on_done=self._done(self._active_text(active).replace("%1", view.username)),
                                 on_error=self._on_job_error)

    def _active_text(self, active: bool) -> str:
        return self.tr("%1 enabled.") if active else self.tr("%1 disabled.")

    def _on_review_button_clicked(self) -> None:
        user_ops.review_failed_attempts(self._door, owner=self, actor=self._actor, clock=self._clock,
                                        on_done=self._done(self.tr("Failed attempts marked as reviewed.")),
                                        on_error=self._on_job_error)

    def _on_job_error(self, exc: InspectorError) -> None:
        self.message_label.setText(words.error(exc))
