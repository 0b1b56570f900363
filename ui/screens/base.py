"""What every screen of the main window shares: a title in the current language, retranslation when the
language changes, and a refresh when the door announces a change the screen shows.

A screen that is not on view when its data changes is only marked stale and refreshes when it is next
shown, so a change costs one read for the screen the user is looking at, not one per screen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from PySide6.QtCore import QEvent, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget

from inspector.changes import Change
from ui.ops import Door


class ScreenWidget(QWidget):
    """Subclasses set ``shows`` (the kinds of change that concern them) and override ``title``,
    ``retranslate`` and ``refresh``."""

    shows: ClassVar[frozenset[Change]] = frozenset()
    # Every screen defines ``title()`` (as a method): its name in the navigation, in the current language.
    title: Callable[[], str]

    def __init__(self, door: Door | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._stale = False
        self.refresh_count = 0  # how many refreshes the door's announcements caused (tests read it)
        if door is not None:
            door.changed.connect(self._on_door_changed)

    def retranslate(self) -> None:
        """Set every text again in the current language."""

    def refresh(self) -> None:
        """Read again what the screen shows."""

    @property
    def stale(self) -> bool:
        """Data the screen shows changed while it was hidden; it refreshes when shown."""
        return self._stale

    @Slot(object)
    def _on_door_changed(self, changes: frozenset[Change]) -> None:
        if not changes & self.shows:
            return
        if self.isVisible():
            self.refresh_count += 1
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self.refresh_count += 1
            self.refresh()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
