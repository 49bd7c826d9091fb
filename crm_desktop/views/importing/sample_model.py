"""The first rows of the chosen file, as read (before any cleaning), under the file's own headers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from crm_desktop.persian import format_jalali_date, format_number, to_persian_digits
from crm_desktop.services.importing.readers import CellValue

Index = QModelIndex | QPersistentModelIndex
MAX_SHOWN = 120


def cell_text(value: CellValue) -> str:
    """A raw cell for the eye: dates in Jalali and numbers in Persian digits; text exactly as the file has it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, datetime):
        day = format_jalali_date(value.date())  # a file's time is wall-clock time, not UTC
        return day if (value.hour, value.minute) == (0, 0) else f"{day} {to_persian_digits(value.strftime('%H:%M'))}"
    if isinstance(value, date):
        return format_jalali_date(value)
    if isinstance(value, time):
        return to_persian_digits(value.strftime("%H:%M"))
    if isinstance(value, int):
        return to_persian_digits(str(value))
    if isinstance(value, float):
        return format_number(int(value)) if value.is_integer() else to_persian_digits(repr(value))
    text = " ".join(str(value).split())
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN] + "…"


class SampleTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._headers: tuple[str, ...] = ()
        self._rows: tuple[tuple[CellValue, ...], ...] = ()

    def set_sample(self, headers: Sequence[str], rows: Sequence[Sequence[CellValue]]) -> None:
        self.beginResetModel()
        width = max([len(headers), *(len(r) for r in rows)], default=0)
        self._headers = tuple(headers) + ("",) * (width - len(headers))
        self._rows = tuple(tuple(r) for r in rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._headers[section] if 0 <= section < len(self._headers) else None
        return format_number(section + 1)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        row = self._rows[index.row()] if index.row() < len(self._rows) else ()
        return cell_text(row[index.column()]) if index.column() < len(row) else ""
