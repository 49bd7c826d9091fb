"""The candidate groups of a duplicate scan as a table, strongest score first."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt

from crm_desktop.persian import format_number
from crm_desktop.services.duplicates import DuplicateGroup
from crm_desktop.views.customers.details import QT_TRANSLATE_NOOP

Index = QModelIndex | QPersistentModelIndex
CENTER = Qt.AlignmentFlag.AlignCenter
_HEADERS = (
    QT_TRANSLATE_NOOP("DuplicateGroupModel", "Score"),
    QT_TRANSLATE_NOOP("DuplicateGroupModel", "Records"),
    QT_TRANSLATE_NOOP("DuplicateGroupModel", "Names"),
    QT_TRANSLATE_NOOP("DuplicateGroupModel", "Reasons"),
)


class DuplicateGroupModel(QAbstractTableModel):
    """Read-only: score, how many records, their names and the reasons, one row per group."""

    SCORE, COUNT, NAMES, REASONS = range(4)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._groups: list[DuplicateGroup] = []

    # -- what the table shows -----------------------------------------------------------------
    def set_groups(self, groups: Iterable[DuplicateGroup]) -> None:
        self.beginResetModel()
        self._groups = sorted(groups, key=lambda g: -g.score)
        self.endResetModel()

    def group_at(self, row: int) -> DuplicateGroup:
        return self._groups[row]

    def remove_group(self, ids: Iterable[str]) -> int | None:
        """Drop the group made of ``ids`` (after a merge or a dismissal); its former row, or None."""
        wanted = frozenset(ids)
        for row, group in enumerate(self._groups):
            if frozenset(group.ids) == wanted:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._groups[row]
                self.endRemoveRows()
                return row
        return None

    # -- QAbstractTableModel ------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._groups)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(_HEADERS):
            return QCoreApplication.translate("DuplicateGroupModel", _HEADERS[section])
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return format_number(section + 1)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._groups):
            return None
        group, column = self._groups[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == self.SCORE:
                return format_number(group.score)
            if column == self.COUNT:
                return format_number(len(group.records))
            if column == self.NAMES:
                return "، ".join(r.display_name for r in group.records)
            if column == self.REASONS:
                separator = "\n" if role == Qt.ItemDataRole.ToolTipRole else "؛ "
                return separator.join(group.reasons)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.SCORE, self.COUNT):
            return int(CENTER)
        if role == Qt.ItemDataRole.UserRole:
            return group.score
        return None

