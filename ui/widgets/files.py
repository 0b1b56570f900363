"""File dialogs that never open the files they list.

Qt's own file dialog (the one used on Linux) works out each listed file's type, and its icon, by reading the
start of the file. Reading the database file of this very process, or its -wal or -shm file, and closing
it again releases every POSIX lock the process holds on it (fcntl locks belong to the process, not to
the descriptor): SQLite's locks are gone while its connections are open, and another process (a command
run beside the window) may then reset the write-ahead log under them, losing what the window writes next.
The dialogs here name files by their names only. Every file dialog of the window goes through them.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QFileInfo
from PySide6.QtGui import QAbstractFileIconProvider, QIcon
from PySide6.QtWidgets import QFileDialog, QFileIconProvider, QWidget


class NamesOnlyIconProvider(QAbstractFileIconProvider):
    """A folder or a file icon, and a type from the name's suffix: nothing is opened or read."""

    def __init__(self) -> None:
        super().__init__()
        self._icons = QFileIconProvider()

    def icon(self, what: QAbstractFileIconProvider.IconType | QFileInfo) -> QIcon:  # type: ignore[override]
        if isinstance(what, QFileInfo):
            kind = (QAbstractFileIconProvider.IconType.Folder if what.isDir()
                    else QAbstractFileIconProvider.IconType.File)
            return self._icons.icon(kind)
        return self._icons.icon(what)

    def type(self, info: QFileInfo) -> str:
        if info.isDir():
            return "Folder"
        suffix = info.suffix()
        return f"{suffix.upper()} file" if suffix else "File"


_PROVIDER: NamesOnlyIconProvider | None = None


def _dialog(parent: QWidget | None, title: str, start: str, filters: str) -> QFileDialog:
    global _PROVIDER
    if _PROVIDER is None:
        _PROVIDER = NamesOnlyIconProvider()  # kept for the life of the process: dialogs only borrow it
    dialog = QFileDialog(parent, title, start, filters)
    dialog.setIconProvider(_PROVIDER)
    return dialog


def choose_open_file(parent: QWidget | None, title: str, *, start: str = "",
                     filters: str = "") -> Path | None:
    """The existing file the user picks, or None when cancelled."""
    dialog = _dialog(parent, title, start, filters)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
    if not dialog.exec() or not dialog.selectedFiles():
        return None
    return Path(dialog.selectedFiles()[0])


def choose_save_file(parent: QWidget | None, title: str, *, start: str = "",
                     filters: str = "") -> Path | None:
    """Where the user wants a new file written (asked to confirm an existing one), or None when cancelled."""
    dialog = _dialog(parent, title, start, filters)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    if not dialog.exec() or not dialog.selectedFiles():
        return None
    return Path(dialog.selectedFiles()[0])


def choose_folder(parent: QWidget | None, title: str, *, start: str = "") -> Path | None:
    """The existing folder the user picks, or None when cancelled."""
    dialog = _dialog(parent, title, start, "")
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
    if not dialog.exec() or not dialog.selectedFiles():
        return None
    return Path(dialog.selectedFiles()[0])
