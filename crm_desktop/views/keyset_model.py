"""A lazy table model over a keyset-paged service call.

Rows arrive a page at a time as the view scrolls (``canFetchMore``/``fetchMore``); each page is
read on the reader lane, so a slow query never freezes the window, and a page that belongs to
an older query (the user typed on) is dropped. ``data()`` only formats rows already loaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush

from crm_desktop.services import Services
from crm_desktop.services.changes import Changes
from crm_desktop.services.paging import Page, PageKey
from crm_desktop.views.context import AppContext
from crm_desktop.views.errors import show_error

Row = TypeVar("Row")
Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
# Plain ints: data() runs for every visible cell and role on each repaint, and enum comparisons cost more.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_ID = int(ID_ROLE)
_ROW = int(ROW_ROLE)
_ANSWERED = frozenset({_DISPLAY, _ALIGN, _FOREGROUND, _BACKGROUND, _ID, _ROW})


@dataclass(frozen=True)
class Column:
    """One column, declared once: ``title`` is English source text translated in the model's context."""

    key: str
    title: str
    sortable: bool = False
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter


class KeysetTableModel(QAbstractTableModel, Generic[Row]):
    """Subclasses declare ``columns`` and implement ``fetch_page``, ``row_id`` and ``display``.

    Signals:
        loading_changed(bool): a page is being read / has arrived.
        rows_loaded(int): the number of rows now loaded, after each page.
    """

    loading_changed = Signal(bool)
    rows_loaded = Signal(int)

    columns: tuple[Column, ...] = ()
    page_size = 200
    context = "KeysetTableModel"  # the tr() context of the column titles

    def __init__(self, ctx: AppContext, parent: Any = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._rows: list[Row] = []
        self._cells: list[tuple[str, ...] | None] = []  # each row's display texts, formatted on first paint
        self._positions: dict[str, int] = {}
        self._next: PageKey | None = None
        self._more = True
        self._loading = False
        self._generation = 0
        self.descending = False
        ctx.bus.changed.connect(self._on_bus_changed)

    # -- what subclasses provide (fetch_page runs on a worker thread: no widgets there) ---------
    def fetch_page(self, services: Services, after: PageKey | None, limit: int) -> Page[Row]:
        raise NotImplementedError

    def row_id(self, row: Row) -> str:
        return str(getattr(row, "id"))  # noqa: B009 - rows are frozen records with an id

    def display(self, row: Row, key: str) -> str:
        raise NotImplementedError

    def foreground(self, row: Row) -> QBrush | None:
        return None

    def background(self, row: Row) -> QBrush | None:
        return None

    def changed_ids(self, changes: Changes) -> frozenset[str]:
        """The ids in a broadcast that concern this list (nothing by default)."""
        return frozenset()

    # -- public -------------------------------------------------------------------------------
    @property
    def loading(self) -> bool:
        return self._loading

    def row_at(self, row: int) -> Row:
        return self._rows[row]

    def reload(self) -> None:
        """Start over (new query, new sort, or data changed) and read the first page."""
        self._generation += 1
        self.beginResetModel()
        self._rows, self._cells, self._positions = [], [], {}
        self._next, self._more = None, True
        self._set_loading(False)
        self.endResetModel()
        self.fetchMore(QModelIndex())

    def replace_row(self, position: int, row: Row) -> None:
        """Put a fresher copy of a loaded row in place (the caller emits ``dataChanged``)."""
        self._rows[position] = row
        self._cells[position] = None

    def position_of(self, row_id: str) -> int | None:
        return self._positions.get(row_id)

    # -- Qt model -----------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            if role == Qt.ItemDataRole.DisplayRole:
                return QCoreApplication.translate(self.context, self.columns[section].title)
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(self.columns[section].align)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        role = int(role)
        if role not in _ANSWERED or not index.isValid():
            return None
        position, column = index.row(), index.column()
        if not 0 <= position < len(self._rows) or not 0 <= column < len(self.columns):
            return None
        if role == _DISPLAY:
            cells = self._cells[position]
            if cells is None:
                row = self._rows[position]
                cells = self._cells[position] = tuple(self.display(row, c.key) for c in self.columns)
            return cells[column]
        if role == _ALIGN:
            return int(self.columns[column].align)
        row = self._rows[position]
        if role == _ID:
            return self.row_id(row)
        if role == _ROW:
            return row
        if role == _FOREGROUND:
            return self.foreground(row)
        return self.background(row)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and self._more and not self._loading

    def fetchMore(self, parent: Index) -> None:
        if parent.isValid() or not self._more or self._loading:
            return
        generation, after = self._generation, self._next
        self._set_loading(True)
        self.ctx.runner.submit(
            lambda: self.fetch_page(self.ctx.services, after, self.page_size), write=False,
            success=lambda page: self._append(generation, page),
            failure=lambda exc: self._failed(generation, exc),
        )

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(self.columns) and self.columns[column].sortable:
            self.descending = order == Qt.SortOrder.DescendingOrder
            self.reload()

    # -- arrivals -----------------------------------------------------------------------------
    def _append(self, generation: int, page: Page[Row]) -> None:
        if not shiboken6.isValid(self) or generation != self._generation:
            return  # an older query's page: the user has moved on
        self._next, self._more = page.next_key, page.next_key is not None
        fresh = [row for row in page.rows if self.row_id(row) not in self._positions]
        if fresh:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(fresh) - 1)
            for offset, row in enumerate(fresh):
                self._positions[self.row_id(row)] = start + offset
            self._rows.extend(fresh)
            self._cells.extend([None] * len(fresh))
            self.endInsertRows()
        self._set_loading(False)
        self.rows_loaded.emit(len(self._rows))

    def _failed(self, generation: int, exc: BaseException) -> None:
        if not shiboken6.isValid(self) or generation != self._generation:
            return
        self._more = False
        self._set_loading(False)
        show_error(None, exc)

    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.loading_changed.emit(loading)

    # -- changes elsewhere --------------------------------------------------------------------
    def _on_bus_changed(self, changes: Changes) -> None:
        ids = self.changed_ids(changes)
        if ids:
            self.refresh(ids)

    def refresh(self, ids: frozenset[str]) -> None:
        """Something this list shows changed: by default read the list again from the top."""
        self.reload()
