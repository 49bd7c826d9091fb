"""Past merges as a table, newest first: when, who, into whom, how many records, what moved, undone or not."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from crm_desktop.persian import format_jalali_datetime, format_number
from crm_desktop.services.merge_plan import MergeSummary
from crm_desktop.views.customers.details import QT_TRANSLATE_NOOP

Index = QModelIndex | QPersistentModelIndex
CONTEXT = "MergesModel"
CENTER = Qt.AlignmentFlag.AlignCenter
_HEADERS = (
    QT_TRANSLATE_NOOP("MergesModel", "When"),
    QT_TRANSLATE_NOOP("MergesModel", "By"),
    QT_TRANSLATE_NOOP("MergesModel", "Surviving record"),
    QT_TRANSLATE_NOOP("MergesModel", "Records merged in"),
    QT_TRANSLATE_NOOP("MergesModel", "History moved"),
    QT_TRANSLATE_NOOP("MergesModel", "Status"),
)


def _tr(text: str) -> str:
    """Translate a column title (marked with QT_TRANSLATE_NOOP for lupdate)."""
    return QCoreApplication.translate(CONTEXT, text)


# lupdate finds only literal contexts: each message below names "MergesModel" itself.
def moved_text(merge: MergeSummary) -> str:
    """«۳ تعامل، ۱ درخواست، ۲ محصول» (only what moved), or «—»."""
    translate = QCoreApplication.translate
    parts = []
    if merge.interactions:
        parts.append(translate("MergesModel", "{0} interactions").format(format_number(merge.interactions)))
    if merge.requests:
        parts.append(translate("MergesModel", "{0} requests").format(format_number(merge.requests)))
    if merge.products:
        parts.append(translate("MergesModel", "{0} products").format(format_number(merge.products)))
    return "، ".join(parts) or "—"


def status_text(merge: MergeSummary) -> str:
    if merge.undone_at is not None:
        return QCoreApplication.translate("MergesModel", "Undone {0}").format(format_jalali_datetime(merge.undone_at))
    if merge.undone:
        return QCoreApplication.translate("MergesModel", "Undone")
    return QCoreApplication.translate("MergesModel", "In effect")


class MergesModel(QAbstractTableModel):
    """Read-only, one row per merge; undone merges are drawn in the disabled text colour."""

    WHEN, USER, SURVIVOR, COUNT, MOVED, STATUS = range(6)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._merges: list[MergeSummary] = []

    def set_merges(self, merges: Iterable[MergeSummary]) -> None:
        self.beginResetModel()
        self._merges = list(merges)
        self.endResetModel()

    def merge_at(self, row: int) -> MergeSummary:
        return self._merges[row]

    def row_of(self, tx_id: str) -> int | None:
        return next((row for row, m in enumerate(self._merges) if m.tx_id == tx_id), None)

    # -- QAbstractTableModel ------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._merges)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(_HEADERS):
            return _tr(_HEADERS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._merges):
            return None
        merge, column = self._merges[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(merge, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(merge)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.COUNT:
            return int(CENTER)
        if role == Qt.ItemDataRole.ForegroundRole and merge.undone:
            return QApplication.palette().brush(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        if role == Qt.ItemDataRole.UserRole:
            return merge.tx_id
        return None

    def _display(self, merge: MergeSummary, column: int) -> str | None:
        if column == self.WHEN:
            return format_jalali_datetime(merge.at)
        if column == self.USER:
            return merge.user_name or "—"
        if column == self.SURVIVOR:
            return merge.survivor_name or "—"
        if column == self.COUNT:
            return format_number(len(merge.merged))
        if column == self.MOVED:
            return moved_text(merge)
        if column == self.STATUS:
            return status_text(merge)
        return None

    @staticmethod
    def _tooltip(merge: MergeSummary) -> str:
        names = "، ".join(f"«{name}»" for _id, name in merge.merged if name)
        lines = [QCoreApplication.translate("MergesModel", "Records merged in: {0}").format(names or "—")]
        if merge.reason:
            lines.append(merge.reason)  # «ادغام در «…»: the manager's note»
        return "\n".join(lines)
