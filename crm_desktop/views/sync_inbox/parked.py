"""The «couldn't save» list: changes the central server refused, with the reason, Retry and Discard."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QItemSelectionModel, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.persian import format_jalali_datetime
from crm_desktop.services.sync_conflicts import ParkedChange
from crm_desktop.views.sync_inbox.card import leading_alignment


class ParkedList(QWidget):
    """Signals:
        retry_requested(int): the op id to send again.
        discard_requested(int): the op id to give up (the section asks for confirmation and a note).
    """

    retry_requested = Signal(int)
    discard_requested = Signal(int)

    def __init__(self, can_act: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.items: list[ParkedChange] = []
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("parkedTable")
        self.table.setHorizontalHeaderLabels([self.tr("Record"), self.tr("Fields"), self.tr("Reason"),
                                              self.tr("By"), self.tr("Refused at")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.empty = QLabel(self.tr("Every change was saved on the central server."))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.retry_button = QPushButton(self.tr("Retry"))
        self.retry_button.setObjectName("retryParked")
        self.retry_button.setProperty("primary", True)
        self.discard_button = QPushButton(self.tr("Discard…"))
        self.discard_button.setObjectName("discardParked")
        for button in (self.retry_button, self.discard_button):
            button.setVisible(can_act)
        actions = QHBoxLayout()
        actions.addWidget(QLabel(self.tr("Fix the record if needed, then send the change again or discard it.")), 1)
        actions.addWidget(self.retry_button)
        actions.addWidget(self.discard_button)
        layout = QVBoxLayout(self)
        layout.addLayout(actions)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty, 1)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.retry_button.clicked.connect(self._retry)
        self.discard_button.clicked.connect(self._discard)
        self.set_items([])

    def set_items(self, items: Sequence[ParkedChange]) -> None:
        self.items = list(items)
        self.table.setRowCount(len(self.items))
        for row, item in enumerate(self.items):
            when = format_jalali_datetime(item.rejected_at) if item.rejected_at else "—"
            texts = (item.record_label, "، ".join(item.fields) or "—", item.reason, item.author, when)
            for column, value in enumerate(texts):
                cell = QTableWidgetItem(value)
                cell.setData(Qt.ItemDataRole.UserRole, item.op_id)
                cell.setToolTip(value)
                cell.setTextAlignment(leading_alignment(self))
                self.table.setItem(row, column, cell)
        self.table.resizeRowsToContents()
        self.table.setVisible(bool(self.items))
        self.empty.setVisible(not self.items)
        if self.items:
            flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
            self.table.selectionModel().setCurrentIndex(self.table.model().index(0, 0), flags)
        self._update_buttons()

    def selected(self) -> ParkedChange | None:
        rows = self.table.selectionModel().selectedRows()
        return self.items[rows[0].row()] if rows else None

    @Slot()
    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        self.retry_button.setEnabled(chosen)
        self.discard_button.setEnabled(chosen)

    @Slot()
    def _retry(self) -> None:
        item = self.selected()
        if item is not None:
            self.retry_requested.emit(item.op_id)

    @Slot()
    def _discard(self) -> None:
        item = self.selected()
        if item is not None:
            self.discard_requested.emit(item.op_id)


