"""The main window: a navigation list of screens, the menus and the status bar. It composes, never decides.

Screens are plain widgets added with ``add_screen`` (the register now; live weight, scale settings, audit
viewer, users and certificates later), each with a function giving its title in the current language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from inspector import __version__
from inspector.errors import InspectorError
from inspector.security.actor import Actor
from ui import words
from ui.i18n import LANGUAGES, LanguageSwitcher

NAVIGATION_WIDTH_PX = 210


@dataclass(frozen=True)
class StatusInfo:
    """What the status bar says about the station: where the data is, which schema and rules are in use."""

    data_dir: str
    schema_revision: str


@dataclass
class _Screen:
    key: str
    widget: QWidget
    title: Callable[[], str]
    item: QListWidgetItem
    container: QScrollArea


class MainWindow(QMainWindow):
    """Signals:
    screen_changed(str): the key of the screen now shown.
    high_contrast_toggled(bool): the user switched the high-contrast theme.
    """

    screen_changed = Signal(str)
    high_contrast_toggled = Signal(bool)
    # The door its screens use (set by whoever builds the window; tests and screenshots reach it here).
    door: QObject | None = None

    def __init__(self, *, actor: Actor, status: StatusInfo, languages: LanguageSwitcher | None = None,
                 high_contrast: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._actor = actor
        self._status = status
        self._languages = languages
        self._screens: dict[str, _Screen] = {}
        self._rule_set: tuple[str, str] | None = None
        self._rule_set_problem: InspectorError | None = None
        self._init_central()
        self._init_menus(high_contrast)
        self._init_status_bar()
        self._connect_signals()
        self._retranslate()
        self.resize(1280, 800)

    # --- construction -------------------------------------------------------------------------------------

    def _init_central(self) -> None:
        self.navigation = QListWidget(self)
        self.navigation.setObjectName("screenNavigation")
        # A fixed column, not a splitter: a gloved finger on a touch screen should not drag it by accident.
        self.navigation.setFixedWidth(NAVIGATION_WIDTH_PX)
        self.stack = QStackedWidget(self)
        # Shown when the start-up check finds tampering or damage: red, above every screen, until resolved.
        self.integrity_banner = QLabel(self)
        self.integrity_banner.setObjectName("integrityBanner")
        self.integrity_banner.setWordWrap(True)
        self.integrity_banner.setStyleSheet(
            "QLabel#integrityBanner { background: #b00020; color: white; font-weight: bold; padding: 10px; }")
        self.integrity_banner.hide()
        self._integrity_problems: list[str] = []
        central = QWidget(self)
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self.integrity_banner)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.navigation)
        row.addWidget(self.stack, 1)
        outer.addLayout(row, 1)
        # The screens, or the lock screen over them while the user is away.
        self._lock_stack = QStackedWidget(self)
        self._lock_stack.addWidget(central)
        self._lock_screen: QWidget | None = None
        self.switch_user_requested = False
        self.setCentralWidget(self._lock_stack)

    def _init_menus(self, high_contrast: bool) -> None:
        bar = self.menuBar()
        self.file_menu = QMenu(self)
        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.file_menu.addAction(self.quit_action)
        bar.addMenu(self.file_menu)

        self.view_menu = QMenu(self)
        self.high_contrast_action = QAction(self)
        self.high_contrast_action.setCheckable(True)
        self.high_contrast_action.setChecked(high_contrast)
        self.high_contrast_action.setShortcut(QKeySequence("Ctrl+Shift+H"))
        self.view_menu.addAction(self.high_contrast_action)
        bar.addMenu(self.view_menu)

        # "Language" keeps its English word beside the translation, so a user stuck in a language they
        # cannot read still finds the way back.
        self.language_menu = QMenu(self)
        self.language_group = QActionGroup(self)
        self.language_group.setExclusive(True)
        self.language_actions: dict[str, QAction] = {}
        for code, name in LANGUAGES.items():
            action = QAction(name, self)
            action.setCheckable(True)
            action.setData(code)
            action.setEnabled(self._languages is not None)
            self.language_group.addAction(action)
            self.language_menu.addAction(action)
            self.language_actions[code] = action
        current = self._languages.language if self._languages else "en"
        self.language_actions[current].setChecked(True)
        bar.addMenu(self.language_menu)

        self.help_menu = QMenu(self)
        self.about_action = QAction(self)
        self.help_menu.addAction(self.about_action)
        bar.addMenu(self.help_menu)

    def _init_status_bar(self) -> None:
        self.actor_label = QLabel(self)
        self.data_dir_label = QLabel(self)
        self.schema_label = QLabel(self)
        self.rule_set_label = QLabel(self)
        for label in (self.actor_label, self.data_dir_label, self.schema_label, self.rule_set_label):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.statusBar().addPermanentWidget(label)
        self.data_dir_label.setToolTip(self._status.data_dir)

    def _connect_signals(self) -> None:
        self.navigation.currentRowChanged.connect(self._on_navigation_current_row_changed)
        self.quit_action.triggered.connect(self.close)
        self.high_contrast_action.toggled.connect(self.high_contrast_toggled)
        self.language_group.triggered.connect(self._on_language_group_triggered)
        self.about_action.triggered.connect(self._on_about_action_triggered)

    # --- screens ------------------------------------------------------------------------------------------

    def add_screen(self, key: str, widget: QWidget, title: Callable[[], str]) -> None:
        """Add a screen under ``key``; ``title()`` is asked again whenever the language changes."""
        if key in self._screens:
            raise ValueError(f"a screen named {key!r} is already in the window")
        item = QListWidgetItem(title())
        item.setData(Qt.ItemDataRole.UserRole, key)
        self.navigation.addItem(item)
        # A screen taller than the window (a small laptop, the high-contrast theme's larger text) scrolls
        # inside its page instead of pushing the window past the screen's edge.
        container = QScrollArea(self.stack)
        container.setWidgetResizable(True)
        container.setFrameShape(QFrame.Shape.NoFrame)
        container.setWidget(widget)
        self.stack.addWidget(container)
        self._screens[key] = _Screen(key=key, widget=widget, title=title, item=item, container=container)
        if len(self._screens) == 1:
            self.navigation.setCurrentRow(0)

    def screen_keys(self) -> list[str]:
        return list(self._screens)

    def screen_widget(self, key: str) -> QWidget:
        return self._screens[key].widget

    def show_screen(self, key: str) -> None:
        self.navigation.setCurrentItem(self._screens[key].item)

    def current_screen_key(self) -> str | None:
        item = self.navigation.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def _on_navigation_current_row_changed(self, row: int) -> None:
        if row < 0:
            return
        key = str(self.navigation.item(row).data(Qt.ItemDataRole.UserRole))
        self.stack.setCurrentWidget(self._screens[key].container)
        self.screen_changed.emit(key)

    # --- language -----------------------------------------------------------------------------------------

    def _on_language_group_triggered(self, action: QAction) -> None:
        if self._languages is None:
            return
        code = str(action.data())
        if not self._languages.set_language(code):
            self.language_actions[self._languages.language].setChecked(True)
            message = self.tr("This language could not be loaded; see the log file.")
            self.statusBar().showMessage(message, 8000)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Yard Inspector"))
        self.file_menu.setTitle(self.tr("&File"))
        self.quit_action.setText(self.tr("&Quit"))
        self.view_menu.setTitle(self.tr("&View"))
        self.high_contrast_action.setText(self.tr("&High contrast"))
        language = self.tr("&Language")
        self.language_menu.setTitle(language if "Language" in language else f"{language} (Language)")
        self.help_menu.setTitle(self.tr("&Help"))
        self.about_action.setText(self.tr("&About Yard Inspector"))
        for screen in self._screens.values():
            screen.item.setText(screen.title())
        self.actor_label.setText(self.tr("User: %1").replace("%1", self._actor.display_name))
        self.data_dir_label.setText(self.tr("Data: %1").replace("%1", self._status.data_dir))
        self.schema_label.setText(self.tr("Schema: %1").replace("%1", self._status.schema_revision))
        if self._integrity_problems:
            first = self._integrity_problems[:3]
            more = len(self._integrity_problems) - len(first)
            text = self.tr("The records failed the integrity check; signing is blocked until a supervisor "
                           "has reviewed it.") + "\n" + "\n".join(f"• {p}" for p in first)
            if more:
                text += "\n" + self.tr("… and %n more problem(s): run 'yard-inspector check'.", "", more)
            self.integrity_banner.setText(text)
        self.integrity_banner.setVisible(bool(self._integrity_problems))
        if self._rule_set_problem is not None:
            self.rule_set_label.setText(self.tr("Rule set: not usable"))
            self.rule_set_label.setToolTip(words.error(self._rule_set_problem))
        elif self._rule_set is not None:
            name, status = self._rule_set
            shown = self.tr("%1 (%2)").replace("%1", name).replace("%2", words.ruleset_status(status))
            self.rule_set_label.setText(self.tr("Rule set: %1").replace("%1", shown))
            self.rule_set_label.setToolTip("")
        else:
            self.rule_set_label.setText(self.tr("Rule set: …"))

    def set_lock_screen(self, widget: QWidget) -> None:
        """The widget that covers the screens while the window is locked."""
        self._lock_screen = widget
        self._lock_stack.addWidget(widget)

    def lock(self) -> None:
        """Hide every screen (and the menus) until ``unlock``; nothing typed is lost, only covered."""
        if self._lock_screen is None or self.is_locked():
            return
        self._lock_stack.setCurrentWidget(self._lock_screen)
        self.menuBar().setEnabled(False)
        self._lock_screen.setFocus()

    def unlock(self) -> None:
        self._lock_stack.setCurrentIndex(0)
        self.menuBar().setEnabled(True)

    def is_locked(self) -> bool:
        return self._lock_screen is not None and self._lock_stack.currentWidget() is self._lock_screen

    def request_switch_user(self) -> None:
        """Someone else signs in: close this window; the application shows the sign-in again."""
        self.switch_user_requested = True
        self.close()

    def show_integrity_problems(self, problems: list[str]) -> None:
        """The start-up check found tampering or damage: name it in a red banner (signing stays blocked
        until a supervisor has reviewed it)."""
        self._integrity_problems = list(problems)
        self._retranslate()

    def set_rule_set(self, rule_set: tuple[str, str]) -> None:
        """Show the rule set in force, (``id version``, status), read in the background after start."""
        self._rule_set, self._rule_set_problem = rule_set, None
        self._retranslate()

    def set_rule_set_problem(self, problem: InspectorError) -> None:
        """The rule set in force cannot be used (e.g. not installed): say so, with the hint as tooltip."""
        self._rule_set, self._rule_set_problem = None, problem
        self._retranslate()
        self.statusBar().showMessage(problem.parts(words.language())[0], 15000)

    def _on_about_action_triggered(self) -> None:
        QMessageBox.about(self, self.tr("About Yard Inspector"), self.tr(
            "Yard Inspector %1\n\nIntake, classification, approval and certification of rare-earth "
            "secondary resources at the scrap yard gate.").replace("%1", __version__))

    def closeEvent(self, event: QCloseEvent) -> None:
        # Screens with open dialogs (load details) close with the window.
        for screen in self._screens.values():
            for child in screen.widget.findChildren(QWidget):
                if child.isWindow() and child.isVisible():
                    child.close()
        super().closeEvent(event)
