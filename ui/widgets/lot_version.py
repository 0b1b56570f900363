"""A lot's version as a tree (its balance, approvals, and every load with its failed checks, readings, held
release and photos), and a photo viewer that zooms. The yard's approval queue and the laptop desk both show
a lot with them, so a supervisor sees the same lot on either.

The tree's words were the approval queue's (translation context ``ApprovalQueueWidget``) before they moved
here; their translations carry over word for word.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from inspector.queries.lots import ApprovalView, LoadInLot, LotVersion
from ui import formats, words

PHOTO_ROLE = Qt.ItemDataRole.UserRole + 1


class LotVersionTree(QTreeWidget):
    """The tree of one lot version; a photo's item holds its SHA-256 under ``PHOTO_ROLE``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lotDetailTree")
        self.setHeaderHidden(True)
        self.setWordWrap(True)

    def show_hint(self, text: str) -> None:
        self.clear()
        QTreeWidgetItem(self, [text])

    def show_version(self, version: LotVersion, *, approvals: Sequence[ApprovalView] = (),
                     photos: Mapping[str, bytes] | None = None) -> None:
        """Show ``version``; ``photos`` are those a packet carries (None: the yard's own)."""
        self.clear()
        title = self.tr("Lot %1: %2 from %3")
        head = QTreeWidgetItem(self, [title.replace("%1", version.lot_no)
                                      .replace("%2", words.category(version.category))
                                      .replace("%3", version.supplier)])
        head.setExpanded(True)
        balance = version.balance
        ruleset = self.tr("Rule set: %1")
        QTreeWidgetItem(head, [ruleset.replace("%1", version.ruleset)])
        masses = self.tr("Net %1, dry mass %2, contained REO %3, TREO %4 %, grade %5")
        QTreeWidgetItem(head, [masses.replace("%1", formats.mass(balance.net))
                               .replace("%2", formats.mass(balance.dry, division=1))
                               .replace("%3", formats.mass(balance.reo, division=1))
                               .replace("%4", "—" if balance.treo_pct is None else str(balance.treo_pct))
                               .replace("%5", balance.grade or "—")])
        signed = self.tr("Version signed: %1")
        QTreeWidgetItem(head, [signed.replace("%1", version.version_hash)])
        for a in approvals:
            text = self.tr("%1 by %2 at %3: %4") \
                .replace("%1", words.decision(a.decision)).replace("%2", a.printed_name) \
                .replace("%3", formats.moment(a.signed_at, a.signed_offset)).replace("%4", a.meaning)
            if a.voided:
                void = self.tr("(void: %1)")
                text += " " + void.replace("%1", a.void_reason_words(words.language()))
            QTreeWidgetItem(head, [text])
        for load in version.loads:
            self._add_load(load, photos, version)

    def _add_load(self, load: LoadInLot, photos: Mapping[str, bytes] | None, version: LotVersion) -> None:
        unit = load.weight_unit
        outcome = words.outcome(load.outcome)
        grade = load.grade or ""
        heading = self.tr("Load %1: %2 of %3 net, %4")
        item = QTreeWidgetItem(self, [heading.replace("%1", load.ticket_no)
                                      .replace("%2", formats.mass(load.share, unit))
                                      .replace("%3", formats.mass(load.net, unit))
                                      .replace("%4", f"{outcome} {grade}".strip())])
        item.setExpanded(True)
        # lupdate reads a plural's count only as a plain name.
        failed = len(load.findings)
        checks_text = self.tr("Failed checks: %n", "", failed)
        checks = QTreeWidgetItem(item, [checks_text])
        checks.setExpanded(True)
        for f in load.findings:
            clause = self.tr(" (%1)").replace("%1", f.clause) \
                if f.clause else ""
            measured = f.shown_value
            text = f"{f.rule}{clause}: {words.finding(f, version.ruleset_id, version.ruleset_version)}"
            if measured not in (None, "") or f.limit not in (None, ""):
                limit = self.tr("(measured %1, limit %2)")
                text += " " + limit.replace("%1", str(measured)).replace("%2", str(f.limit))
            QTreeWidgetItem(checks, [text])
        if load.classification_error:
            QTreeWidgetItem(checks, [load.classification_error])
        count = len(load.readings)
        readings_text = self.tr("Readings: %n", "", count)
        readings = QTreeWidgetItem(item, [readings_text])
        for key, value in load.readings:
            shown = words.reading(key, value, version.ruleset_id, version.ruleset_version)
            QTreeWidgetItem(readings, [shown])
        held = load.held_release
        if held is not None:
            text = self.tr("Held load released by %1: %2")
            QTreeWidgetItem(item, [text.replace("%1", held.decided_by).replace("%2", held.comment)])
        shas = load.photos
        taken = len(shas)
        if photos is None:
            text = self.tr("Photos: %n", "", taken)
        else:
            carried = sum(1 for sha in shas if sha in photos)
            text = self.tr("Photos: %n (%1 carried in the packet)", "", taken).replace("%1", str(carried))
        photos_item = QTreeWidgetItem(item, [text])
        for sha in shas:
            # Double-click shows the photo (from the data directory, or carried in the packet).
            label = self.tr("Photo %1… (double-click to view)")
            child = QTreeWidgetItem(photos_item, [label.replace("%1", sha[:16])])
            child.setData(0, PHOTO_ROLE, sha)


class PhotoDialog(QDialog):
    """A photo scaled to fit the window, with buttons to zoom in, out and back to fit."""

    STEP = 1.25

    def __init__(self, pixmap: QPixmap, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("photoDialog")
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._pixmap = pixmap
        self.zoom = 0.0  # 0: fit to the window
        self.image = QLabel(self)
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidget(self.image)
        self.scroll_area.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.zoom_in_button = QPushButton(self.tr("Zoom in"), self)
        self.zoom_out_button = QPushButton(self.tr("Zoom out"), self)
        self.fit_button = QPushButton(self.tr("Fit"), self)
        self.zoom_in_button.clicked.connect(lambda: self.set_zoom(self._current() * self.STEP))
        self.zoom_out_button.clicked.connect(lambda: self.set_zoom(self._current() / self.STEP))
        self.fit_button.clicked.connect(lambda: self.set_zoom(0.0))
        buttons = QHBoxLayout()
        for b in (self.zoom_out_button, self.fit_button, self.zoom_in_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(self.scroll_area, 1)
        layout.addLayout(buttons)
        self.resize(1000, 800)
        self.set_zoom(0.0)

    def _fit_scale(self) -> float:
        area = self.scroll_area.viewport().size()
        w, h = max(1, self._pixmap.width()), max(1, self._pixmap.height())
        return max(0.01, min(area.width() / w, area.height() / h))

    def _current(self) -> float:
        return self.zoom or self._fit_scale()

    def set_zoom(self, scale: float) -> None:
        """``scale`` 0 fits the photo to the window; otherwise its size times ``scale`` (0.05 to 8)."""
        self.zoom = 0.0 if scale <= 0 else min(8.0, max(0.05, scale))
        factor = self._current()
        size = self._pixmap.size() * factor
        shown = self._pixmap.scaled(size, Qt.AspectRatioMode.KeepAspectRatio,
                                    Qt.TransformationMode.SmoothTransformation)
        self.image.setPixmap(shown)
        self.image.resize(shown.size())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.zoom == 0.0:
            self.set_zoom(0.0)
