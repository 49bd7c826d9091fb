"""One duplicate group side by side: a column per record, a row per field, differing rows highlighted."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from crm_desktop.persian import to_persian_digits
from crm_desktop.services.duplicates import DuplicateGroup, DuplicateRecord
from crm_desktop.services.merge_plan import MERGE_FIELDS, display_text, fields_for

Index = QModelIndex | QPersistentModelIndex
#: The fields a scan returns, in form order (the merge dialog shows every field).
_SHOWN = tuple(f for f in MERGE_FIELDS if f in DuplicateRecord.__dataclass_fields__)
DIFFERS_ROLE = Qt.ItemDataRole.UserRole + 1
HIGHLIGHT = QColor("#fde7a9")  # amber, readable with the dark text of the light theme
HIGHLIGHT_TEXT = QColor("#3b2f00")


class ComparisonModel(QAbstractTableModel):
    """Rows are fields (the branch first), columns are the group's records; ``differs(row)`` drives the highlight."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._records: tuple[DuplicateRecord, ...] = ()
        self._fields: tuple[str, ...] = ()
        self._texts: list[list[str]] = []  # [field][record]
        self._differs: list[bool] = []
        self._bold = QFont()
        self._bold.setBold(True)

    def set_group(self, group: DuplicateGroup | None) -> None:
        self.beginResetModel()
        self._records = group.records if group else ()
        kinds = {r.kind for r in self._records}
        allowed = set(fields_for(next(iter(kinds)))) if len(kinds) == 1 else set(MERGE_FIELDS)
        self._fields = ("branch_code", *(f for f in _SHOWN if f in allowed)) if self._records else ()
        self._texts = [[self._text(r, f) for r in self._records] for f in self._fields]
        self._differs = [len({_key(getattr(r, f)) for r in self._records}) > 1 for f in self._fields]
        self.endResetModel()

    @staticmethod
    def _text(record: DuplicateRecord, field: str) -> str:
        if field == "branch_code":
            return to_persian_digits(record.branch_code)
        return display_text(field, getattr(record, field))

    def field_at(self, row: int) -> str:
        return self._fields[row]

    def differs(self, row: int) -> bool:
        return self._differs[row]

    def differing_fields(self) -> list[str]:
        return [f for f, d in zip(self._fields, self._differs, strict=True) if d]

    # -- QAbstractTableModel ------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._fields)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._records)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._records):
            return self._records[section].display_name
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._fields):
            field = self._fields[section]
            if field == "branch_code":
                return QCoreApplication.translate("ComparisonModel", "Branch")
            return MERGE_FIELDS[field]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._fields) \
                or not 0 <= index.column() < len(self._records):
            return None
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._texts[row][column]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)  # names, digits and "—" line up alike in either direction
        if role == DIFFERS_ROLE:
            return self._differs[row]
        if not self._differs[row]:
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(HIGHLIGHT)
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(HIGHLIGHT_TEXT)
        if role == Qt.ItemDataRole.FontRole:
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole:
            return QCoreApplication.translate("ComparisonModel", "The records differ in this field")
        return None


def _key(value: Any) -> Any:
    """Blank and missing are the same; text compares without surrounding spaces."""
    if value is None:
        return ""
    return value.strip() if isinstance(value, str) else value
