"""A held load explained in the approval queue's detail pane: what it failed (measured against the limit,
with the clause), its readings as a lot's loads show them, and its photos as thumbnails (a tap opens the
photo to zoom); and the choice of the failed finding(s) a supervisor's release or rejection answers.

The words are in the approval queue's translation context, where the lot tree's words are translated (each
call names it literally, so that lupdate finds them).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QTreeWidget, QTreeWidgetItem, QWidget

from inspector.queries.lots import FindingView, HeldLoadDetail
from ui import formats, words
from ui.theme import TOUCH_TARGET_PX

# A held load's photo item holds its SHA-256 under this role (a tap opens it).
HELD_PHOTO_ROLE = Qt.ItemDataRole.UserRole + 2
RULE_ROLE = Qt.ItemDataRole.UserRole + 3
THUMBNAIL = QSize(96, 72)


def finding_text(f: FindingView, ruleset_id: str, ruleset_version: str) -> str:
    """``G2 (§5 G2): what failed (measured 0.40, limit 0.25)``."""
    clause = ""
    if f.clause:
        clause = QCoreApplication.translate("ApprovalQueueWidget", " (%1)").replace("%1", f.clause)
    text = f"{f.rule}{clause}: {words.finding(f, ruleset_id, ruleset_version)}"
    measured = f.shown_value
    if measured not in (None, "") or f.limit not in (None, ""):
        against = QCoreApplication.translate("ApprovalQueueWidget", "(measured %1, limit %2)")
        text += " " + against.replace("%1", str(measured)).replace("%2", str(f.limit))
    return text


def thumbnail(blob: bytes | None) -> QIcon | None:
    """A small picture of a photo, or None when the bytes are not a picture."""
    pixmap = QPixmap()
    if blob is None or not pixmap.loadFromData(blob):
        return None
    return QIcon(pixmap.scaled(THUMBNAIL, Qt.AspectRatioMode.KeepAspectRatio,
                               Qt.TransformationMode.SmoothTransformation))


def fill_held_load(tree: QTreeWidget, detail: HeldLoadDetail) -> None:
    """Show the held load in ``tree`` (cleared first)."""
    tree.clear()
    tree.setIconSize(THUMBNAIL)
    load = detail.load
    rs_id, rs_version = detail.ruleset_id, detail.ruleset_version
    title = QCoreApplication.translate("ApprovalQueueWidget", "Held load %1: %2 from %3, %4 net")
    head = QTreeWidgetItem(tree, [
        title.replace("%1", load.ticket_no).replace("%2", words.category(detail.category))
        .replace("%3", detail.supplier).replace("%4", formats.mass(load.net, load.weight_unit))])
    head.setExpanded(True)
    if rs_id:
        ruleset = QCoreApplication.translate("ApprovalQueueWidget", "Rule set: %1")
        QTreeWidgetItem(head, [ruleset.replace("%1", f"{rs_id} {rs_version}")])
    # (Counts in variables: lupdate does not find a plural whose count is a call.)
    failed = len(load.findings)
    checks = QTreeWidgetItem(tree, [QCoreApplication.translate("ApprovalQueueWidget", "Failed checks: %n", "",
                                                               failed)])
    checks.setExpanded(True)
    for f in load.findings:
        QTreeWidgetItem(checks, [finding_text(f, rs_id, rs_version)])
    if load.classification_error:
        QTreeWidgetItem(checks, [load.classification_error])
    count = len(load.readings)
    readings = QTreeWidgetItem(tree, [QCoreApplication.translate("ApprovalQueueWidget", "Readings: %n", "",
                                                                 count)])
    readings.setExpanded(True)
    for key, value in load.readings:
        QTreeWidgetItem(readings, [words.reading(key, value, rs_id, rs_version)])
    shown = len(load.photos)
    photos = QTreeWidgetItem(tree, [QCoreApplication.translate("ApprovalQueueWidget", "Photos: %n", "",
                                                               shown)])
    photos.setExpanded(True)
    for sha in load.photos:
        icon = thumbnail(detail.photos.get(sha))
        if icon is not None:
            label = QCoreApplication.translate("ApprovalQueueWidget", "Photo %1… (tap to zoom)")
        else:
            label = QCoreApplication.translate("ApprovalQueueWidget", "The photo %1… is not available here.")
        child = QTreeWidgetItem(photos, [label.replace("%1", sha[:16])])
        child.setData(0, HELD_PHOTO_ROLE, sha)
        child.setSizeHint(0, QSize(0, max(TOUCH_TARGET_PX, THUMBNAIL.height() + 8)))
        if icon is not None:
            child.setIcon(0, icon)


class FindingAnswersWidget(QListWidget):
    """The failed findings of a held load, each ticked when the decision answers it (the only one is
    ticked by default); a tap anywhere on a row ticks or unticks it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("heldAnswers")
        self.setWordWrap(True)
        self.itemClicked.connect(self._on_item_clicked)

    def set_findings(self, findings: Sequence[FindingView], ruleset_id: str, ruleset_version: str) -> None:
        self.clear()
        seen: set[str] = set()
        for f in findings:
            if f.rule in seen:
                continue
            seen.add(f.rule)
            item = QListWidgetItem(finding_text(f, ruleset_id, ruleset_version), self)
            # Not user-checkable: the tap on the row (below) ticks it, also on the small square.
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            item.setData(RULE_ROLE, f.rule)
            item.setCheckState(Qt.CheckState.Checked if len(findings) == 1 else Qt.CheckState.Unchecked)
            item.setSizeHint(QSize(0, TOUCH_TARGET_PX))
        self.setVisible(self.count() > 0)

    def checked_rules(self) -> list[str]:
        items = (self.item(i) for i in range(self.count()))
        return [str(item.data(RULE_ROLE)) for item in items
                if item is not None and item.checkState() == Qt.CheckState.Checked]

    def _on_item_clicked(self, item: QListWidgetItem) -> None:
        checked = item.checkState() == Qt.CheckState.Checked
        item.setCheckState(Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked)
