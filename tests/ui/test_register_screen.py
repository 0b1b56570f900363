"""The register screen and the load details: filtering, sorting, opening a load with Enter."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt

from inspector.queries.loads import LoadDetails, load_details
from inspector.storage.db import Store
from inspector.storage.models.core import Load
from tests.ui.conftest import insert_loads
from ui.app import READ_ONLY_VIEWER
from ui.models.loads import Column
from ui.ops import Door
from ui.screens.load_details import LoadDetailsDialog, LoadDetailsWidget
from ui.screens.register import LoadRegisterWidget

# Showing a top-level window on the offscreen platform makes Qt say this; it is about the platform plugin.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")



def make_register(qtbot: Any, door: Door, shown: list[LoadDetails]) -> LoadRegisterWidget:
    widget = LoadRegisterWidget(door, READ_ONLY_VIEWER, show_details=shown.append)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    settle(qtbot, widget)
    return widget


def settle(qtbot: Any, widget: LoadRegisterWidget) -> None:
    """Wait until the page the register asked the worker for has arrived."""
    qtbot.waitUntil(lambda: not widget.model.fetching and widget.model.pages_fetched > 0)


def details_of(store: Store, load_id: int) -> LoadDetails:
    with store.session() as session:
        return load_details(session, load_id=load_id, data_dir=store.data_dir)


def test_the_register_shows_the_first_page_and_its_count(qtbot: Any, filled_store: Store, door: Door) -> None:
    widget = make_register(qtbot, door, [])
    assert widget.model.rowCount() == 200
    assert widget.count_label.text() == "200 load(s) shown; scroll down for more"
    assert widget.model.index(0, Column.TICKET).data() == "T2026-000450"


def test_typing_in_the_filter_box_filters_the_loads(qtbot: Any, filled_store: Store, door: Door) -> None:
    widget = make_register(qtbot, door, [])
    qtbot.keyClicks(widget.filter_edit, "smco")
    qtbot.waitUntil(lambda: widget.model.query.text == "smco")
    settle(qtbot, widget)
    assert widget.model.rowCount() == 90
    assert widget.count_label.text() == "90 load(s)"


def test_the_state_filter_lists_every_state(qtbot: Any, filled_store: Store, door: Door) -> None:
    widget = make_register(qtbot, door, [])
    assert widget.state_combo.count() == 9  # all + 8 states
    widget.state_combo.setCurrentIndex(widget.state_combo.findData("rejected"))
    assert widget.model.query.state == "rejected"
    settle(qtbot, widget)
    states = {widget.model.index(r, Column.STATE).data() for r in range(widget.model.rowCount())}
    assert states == {"Rejected"}


def test_clicking_a_header_sorts_indexed_columns_only(qtbot: Any, filled_store: Store, door: Door) -> None:
    widget = make_register(qtbot, door, [])
    header = widget.view.horizontalHeader()
    header.setSortIndicator(Column.TICKET, Qt.SortOrder.AscendingOrder)
    settle(qtbot, widget)
    assert widget.model.index(0, Column.TICKET).data() == "T2026-000001"
    header.setSortIndicator(Column.SUPPLIER, Qt.SortOrder.AscendingOrder)
    assert header.sortIndicatorSection() == Column.TICKET  # the arrow stays where the rows are sorted
    assert widget.model.index(0, Column.TICKET).data() == "T2026-000001"


def test_enter_on_a_row_opens_its_details(qtbot: Any, filled_store: Store, door: Door) -> None:
    shown: list[LoadDetails] = []
    widget = make_register(qtbot, door, shown)
    widget.view.setFocus()
    widget.view.setCurrentIndex(widget.model.index(3, 0))
    with qtbot.waitSignal(widget.details_opened) as opened:
        qtbot.keyClick(widget.view, Qt.Key.Key_Return)
    assert opened.args == [447]
    assert shown[0].ticket_no == "T2026-000447"


def test_refresh_shows_new_loads(qtbot: Any, filled_store: Store, door: Door) -> None:
    widget = make_register(qtbot, door, [])
    insert_loads(filled_store, 1, first_seq=451)
    widget.refresh_button.click()
    settle(qtbot, widget)
    assert widget.model.index(0, Column.TICKET).data() == "T2026-000451"


def test_a_page_that_cannot_be_read_is_said_under_the_table(qtbot: Any, filled_store: Store, door: Door,
                                                             monkeypatch: Any) -> None:
    from inspector.errors import EnvironmentProblemError
    from ui.models import loads

    widget = make_register(qtbot, door, [])

    def locked(*_args: Any, **_kwargs: Any) -> None:
        raise EnvironmentProblemError("storage.locked", path="yard.db")

    monkeypatch.setattr(loads, "register_page", locked)
    widget.refresh()
    qtbot.waitUntil(lambda: "could not be read" in widget.count_label.text())
    assert "locked by another program" in widget.count_label.text()
    assert not widget.model.canFetchMore(QModelIndex())  # no retry storm; F5 tries again
    monkeypatch.undo()
    widget.refresh()
    settle(qtbot, widget)
    assert widget.model.rowCount() == 200
    assert widget.count_label.text() == "200 load(s) shown; scroll down for more"


def test_details_show_every_stored_field_of_a_load(qtbot: Any, filled_store: Store) -> None:
    import sqlalchemy as sa

    with filled_store.engine.begin() as conn:
        table = Load.__table__  # type: ignore[attr-defined]
        conn.execute(sa.update(table).where(table.c.id == 35).values(classification_status="provisional"))
    details = details_of(filled_store, 35)
    widget = LoadDetailsWidget(details)
    qtbot.addWidget(widget)
    stored = set(Load.model_fields)
    assert stored <= set(widget.shown_fields), stored - set(widget.shown_fields)
    fields = widget.shown_fields
    assert fields["arrived_at"].startswith("2026-03-02 08:17")
    assert fields["arrived_offset"] == "UTC+08:00"
    assert fields["net"] == "18,035 kg" and fields["gross"] == "30,035 kg" and fields["tare"] == "12,000 kg"
    assert fields["manual_weight"] == "Yes (MAN WT)"
    assert fields["supplier_id"] == "包头北方稀土回收有限公司"
    assert fields["outcome"] == "Accepted" and fields["grade"] == "B"
    assert fields["classification_status"] == "Provisional"
    assert fields["attributes"] == "origin=production, package_count=4"
    assert widget.findChild(object, "attributesTable").rowCount() == 2


def test_the_details_dialog_opens_without_blocking(qtbot: Any, filled_store: Store) -> None:
    dialog = LoadDetailsDialog(details_of(filled_store, 1))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.windowTitle() == "Load T2026-000001"
    assert dialog.isVisible() and not dialog.isModal()


def test_opening_a_vanished_load_is_said_in_words(qtbot: Any, door: Door) -> None:
    errors: list[Exception] = []
    widget = LoadRegisterWidget(door, READ_ONLY_VIEWER, show_details=lambda _d: None,
                                show_error=errors.append)
    qtbot.addWidget(widget)
    widget.open_load(999)
    qtbot.waitUntil(lambda: bool(errors))
    assert "no longer exists" in str(errors[0])
    assert widget.model.rowCount(QModelIndex()) == 0
