"""Refused cells of a dry run (row, column, value, Persian reason), shown in pages as the view scrolls.

``PagedLinesModel`` is the paging part, shared with the similar-customer warnings (``similar_model``).

A file can have 100,000 refusals: they are already in memory (the summary), so the model only reveals
them in chunks (``canFetchMore``/``fetchMore``) and formats a cell when the view asks for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from crm_desktop.persian import format_number
from crm_desktop.services.importing import RefusedRow

Index = QModelIndex | QPersistentModelIndex
CHUNK = 500
Line = TypeVar("Line")


class PagedLinesModel(QAbstractTableModel, Generic[Line]):
    """Lines already in memory, revealed ``chunk`` at a time as the view scrolls; subclasses name the
    columns (``titles``) and format a cell (``cell``) only when the view asks for it."""

    CENTERED: tuple[int, ...] = (0,)

    def __init__(self, parent: Any = None, chunk: int = CHUNK) -> None:
        super().__init__(parent)
        self._lines: Sequence[Line] = ()
        self._shown = 0
        self._chunk = chunk
        self._inserting = False  # listeners of rowsInserted may ask for more: not while this insert runs

    def set_lines(self, lines: Sequence[Line]) -> None:
        self.beginResetModel()
        self._lines = lines
        self._shown = min(len(lines), self._chunk)
        self.endResetModel()

    def line_at(self, row: int) -> Line:
        return self._lines[row]

    @property
    def total(self) -> int:
        return len(self._lines)

    def titles(self) -> tuple[str, ...]:
        raise NotImplementedError

    def cell(self, line: Line, column: int) -> str | None:
        raise NotImplementedError

    # -- QAbstractTableModel ------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._shown

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.titles())

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and not self._inserting and self._shown < len(self._lines)

    def fetchMore(self, parent: Index) -> None:
        if parent.isValid() or self._inserting:
            return
        more = min(self._chunk, len(self._lines) - self._shown)
        if more <= 0:
            return
        self._inserting = True
        try:
            self.beginInsertRows(QModelIndex(), self._shown, self._shown + more - 1)
            self._shown += more
            self.endInsertRows()
        finally:
            self._inserting = False

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        titles = self.titles()
        return titles[section] if 0 <= section < len(titles) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self._shown:
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in self.CENTERED:
            return Qt.AlignmentFlag.AlignCenter
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        return self.cell(self._lines[index.row()], index.column())


class RefusalTableModel(PagedLinesModel[RefusedRow]):
    ROW, COLUMN, VALUE, REASON = range(4)

    def set_refusals(self, lines: Sequence[RefusedRow]) -> None:
        self.set_lines(lines)

    def titles(self) -> tuple[str, ...]:
        return (self.tr("Row"), self.tr("Column"), self.tr("Value"), self.tr("Reason"))

    def cell(self, line: RefusedRow, column: int) -> str | None:
        if column == self.ROW:
            return format_number(line.row)
        if column == self.COLUMN:
            return line.column or self.tr("(whole row)")
        if column == self.VALUE:
            return line.value
        if column == self.REASON:
            return line.reason
        return None
