"""Small read-only tables of the 360° view: the timeline, the products and the change history.

Each holds the few hundred lines one customer has, already formatted for display (Persian digits,
Jalali dates, Persian labels); the view never asks the database from ``data()``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QGuiApplication

from crm_desktop.models.enums import (
    BalanceBand,
    Channel,
    Direction,
    Outcome,
    Priority,
    ProductKind,
    ProductState,
    RequestCategory,
)
from crm_desktop.persian import format_jalali_date, format_jalali_datetime, to_persian_digits
from crm_desktop.services.audit import JournalRow
from crm_desktop.services.records import CustomerProfile, ProductRow
from crm_desktop.services.request_states import STATUS_LABELS, RequestStatus
from crm_desktop.views.customers.details import QT_TRANSLATE_NOOP, field_title, field_value, shown_fields
from crm_desktop.views.keyset_model import ID_ROLE

Index = QModelIndex | QPersistentModelIndex
KIND_ROLE = Qt.ItemDataRole.UserRole + 2
LTR_ISOLATE, POP_ISOLATE = "\u2066", "\u2069"


@dataclass(frozen=True)
class Line:
    """One formatted row: its cells, what it is ("interaction", "request"...) and its record id."""

    cells: tuple[str, ...]
    kind: str = ""
    item_id: str = ""
    tooltip: str = ""


def label(enum: Any, value: str | None) -> str:
    """The Persian label of an enum value; the raw value when it is unknown, empty for None."""
    if value is None:
        return ""
    try:
        return str(enum(value).label)
    except ValueError:
        return value


def left_to_right(text: str) -> str:
    """Keep a code such as «۱۰۲۱-AB12CD-۰۰۰۰۱۲» in its own order inside right-to-left text."""
    return f"{LTR_ISOLATE}{to_persian_digits(text)}{POP_ISOLATE}"


class LineTableModel(QAbstractTableModel):
    """A table of preformatted lines; subclasses name their ``headers`` (English, in ``context``)."""

    context = "LineTableModel"
    headers: tuple[str, ...] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._lines: list[Line] = []

    def set_lines(self, lines: list[Line]) -> None:
        self.beginResetModel()
        self._lines = list(lines)
        self.endResetModel()

    def line(self, row: int) -> Line:
        return self._lines[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(self.headers):
            return QCoreApplication.translate(self.context, self.headers[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._lines) \
                or not 0 <= index.column() < len(self.headers):
            return None
        line = self._lines[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return line.cells[index.column()] if index.column() < len(line.cells) else ""
        if role == Qt.ItemDataRole.ToolTipRole:
            return line.tooltip or None
        if role == ID_ROLE:
            return line.item_id
        if role == KIND_ROLE:
            return line.kind
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class TimelineModel(LineTableModel):
    """Interactions and service requests together, newest first."""

    context = "TimelineModel"
    headers = (QT_TRANSLATE_NOOP("TimelineModel", "Date and time"), QT_TRANSLATE_NOOP("TimelineModel", "Type"),
               QT_TRANSLATE_NOOP("TimelineModel", "Subject"), QT_TRANSLATE_NOOP("TimelineModel", "Status"),
               QT_TRANSLATE_NOOP("TimelineModel", "By"))

    def set_profile(self, profile: CustomerProfile) -> None:
        dated: list[tuple[datetime, str, Line]] = []
        for i in profile.interactions:
            kind = QCoreApplication.translate("TimelineModel", "Interaction: {0}").format(label(Channel, i.channel))
            status = label(Outcome, i.outcome) or label(Direction, i.direction)
            cells = (format_jalali_datetime(i.occurred_at), kind, i.subject, status, i.user_name)
            dated.append((i.occurred_at, i.id, Line(cells, "interaction", i.id, i.notes or "")))
        for r in profile.requests:
            kind = QCoreApplication.translate("TimelineModel", "Request {0}: {1}").format(
                left_to_right(r.number), label(RequestCategory, r.category))
            status = _status_label(r.status)
            who = r.assignee_name or ""
            tip = QCoreApplication.translate("TimelineModel", "Priority: {0}; due {1}").format(
                label(Priority, r.priority), format_jalali_datetime(r.due_at))
            cells = (format_jalali_datetime(r.opened_at), kind, r.subject, status, who)
            dated.append((r.opened_at, r.id, Line(cells, "request", r.id, tip)))
        dated.sort(key=lambda item: (_utc(item[0]), item[1]), reverse=True)
        self.set_lines([line for _when, _id, line in dated])


class ProductsModel(LineTableModel):
    context = "ProductsModel"
    headers = (QT_TRANSLATE_NOOP("ProductsModel", "Product"), QT_TRANSLATE_NOOP("ProductsModel", "Account number"),
               QT_TRANSLATE_NOOP("ProductsModel", "Opened on"), QT_TRANSLATE_NOOP("ProductsModel", "State"),
               QT_TRANSLATE_NOOP("ProductsModel", "Balance"))

    def set_products(self, products: list[ProductRow]) -> None:
        self.set_lines([
            Line((label(ProductKind, p.kind), to_persian_digits(p.account_no or ""), format_jalali_date(p.opened_on),
                  label(ProductState, p.state), label(BalanceBand, p.balance_band)), "product", p.id)
            for p in products
        ])


class HistoryModel(LineTableModel):
    """Who changed what in the customer's record, newest first, old → new per field."""

    context = "HistoryModel"
    headers = (QT_TRANSLATE_NOOP("HistoryModel", "Date and time"), QT_TRANSLATE_NOOP("HistoryModel", "User"),
               QT_TRANSLATE_NOOP("HistoryModel", "Change"), QT_TRANSLATE_NOOP("HistoryModel", "Fields"))
    KINDS: ClassVar[dict[str, str]] = {
        "insert": QT_TRANSLATE_NOOP("HistoryModel", "Created"),
        "update": QT_TRANSLATE_NOOP("HistoryModel", "Edited"),
        "delete": QT_TRANSLATE_NOOP("HistoryModel", "Deleted"),
        "restore": QT_TRANSLATE_NOOP("HistoryModel", "Restored"),
        "purge": QT_TRANSLATE_NOOP("HistoryModel", "Purged"),
    }

    def set_history(self, rows: list[JournalRow]) -> None:
        arrow = " ← " if QGuiApplication.isRightToLeft() else " → "
        lines = []
        for row in sorted(rows, key=lambda r: r.seq, reverse=True):
            parts = []
            for field in shown_fields(row.changed):
                old, new = row.changed[field]
                parts.append(f"{field_title(field)}: {field_value(field, old) or '—'}{arrow}{field_value(field, new)}"
                             if row.kind != "insert" else f"{field_title(field)}: {field_value(field, new)}")
            kind = QCoreApplication.translate(self.context, self.KINDS.get(row.kind, row.kind))
            text = "\n".join(parts)
            lines.append(Line((format_jalali_datetime(row.at), row.user_name, kind, text), row.kind,
                              str(row.seq), text))
        self.set_lines(lines)


def _status_label(status: str) -> str:
    try:
        return STATUS_LABELS[RequestStatus(status)]
    except ValueError:
        return status


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
