"""The customer list as a lazy table: keyset pages of ``services.search`` in Persian order.

Filters and the search text live here; changing any of them starts over from the first page.
Rows that changed elsewhere are re-read with ``rows_by_id`` and redrawn in place; a new or
removed customer (or one that moved in or out of the filters) reads the list again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, Qt

from crm_desktop.models.enums import KycStatus, LifecycleStage, Segment
from crm_desktop.persian import to_persian_digits
from crm_desktop.services import Services
from crm_desktop.services.changes import Changes
from crm_desktop.services.paging import Page, PageKey
from crm_desktop.services.records import CustomerRow
from crm_desktop.views.context import AppContext
from crm_desktop.views.customers.details import QT_TRANSLATE_NOOP, kind_title
from crm_desktop.views.keyset_model import Column, KeysetTableModel

CENTER = Qt.AlignmentFlag.AlignCenter


@dataclass(frozen=True)
class CustomerFilter:
    """What the list shows: the search text and the chosen filters (None = any)."""

    query: str = ""
    segment: str | None = None
    lifecycle_stage: str | None = None
    branch_id: str | None = None

    def admits(self, row: CustomerRow, branch_code: str | None) -> bool:
        """Whether a row passes the filters (the search text is left to the service)."""
        return ((self.segment is None or row.segment == self.segment)
                and (self.lifecycle_stage is None or row.lifecycle_stage == self.lifecycle_stage)
                and (branch_code is None or row.branch_code == branch_code))


def _label(enum: Any, value: str | None) -> str:
    try:
        return str(enum(value).label)
    except ValueError:
        return value or ""


class CustomerTableModel(KeysetTableModel[CustomerRow]):
    """Customers matching a search and filters; only the name column sorts (Persian order, both ways)."""

    context = "CustomerTableModel"
    columns = (
        Column("name", QT_TRANSLATE_NOOP("CustomerTableModel", "Name"), sortable=True),
        Column("national_id", QT_TRANSLATE_NOOP("CustomerTableModel", "National ID"), align=CENTER),
        Column("mobile", QT_TRANSLATE_NOOP("CustomerTableModel", "Mobile"), align=CENTER),
        Column("customer_no", QT_TRANSLATE_NOOP("CustomerTableModel", "Customer number"), align=CENTER),
        Column("branch", QT_TRANSLATE_NOOP("CustomerTableModel", "Branch"), align=CENTER),
        Column("segment", QT_TRANSLATE_NOOP("CustomerTableModel", "Segment")),
        Column("lifecycle_stage", QT_TRANSLATE_NOOP("CustomerTableModel", "Lifecycle stage")),
        Column("kyc_status", QT_TRANSLATE_NOOP("CustomerTableModel", "KYC status")),
    )
    NAME_COLUMN = 0

    def __init__(self, ctx: AppContext, parent: Any = None) -> None:
        super().__init__(ctx, parent)
        self.filter = CustomerFilter()
        self.branch_code: str | None = None  # the code of filter.branch_id, to test refreshed rows

    # -- what the list shows ------------------------------------------------------------------
    def set_filter(self, new: CustomerFilter, branch_code: str | None = None) -> None:
        """Show customers matching ``new``; starts over from the first page when anything changed."""
        if new == self.filter and branch_code == self.branch_code:
            return
        self.filter, self.branch_code = new, branch_code
        self.reload()

    def set_query(self, text: str) -> None:
        self.set_filter(CustomerFilter(text.strip(), self.filter.segment, self.filter.lifecycle_stage,
                                       self.filter.branch_id), self.branch_code)

    @property
    def has_more(self) -> bool:
        return self._more

    # -- KeysetTableModel ---------------------------------------------------------------------
    def fetch_page(self, services: Services, after: PageKey | None, limit: int) -> Page[CustomerRow]:
        f = self.filter
        return services.search.search(
            self.ctx.actor, f.query, after=after, limit=limit, segment=f.segment,
            lifecycle_stage=f.lifecycle_stage, branch_id=f.branch_id, descending=self.descending,
        )

    def display(self, row: CustomerRow, key: str) -> str:
        if key == "name":
            return row.display_name
        if key in ("national_id", "mobile", "customer_no"):
            return to_persian_digits(getattr(row, key) or "")
        if key == "branch":
            return to_persian_digits(row.branch_code)
        if key == "segment":
            return _label(Segment, row.segment)
        if key == "lifecycle_stage":
            return _label(LifecycleStage, row.lifecycle_stage)
        if key == "kyc_status":
            return _label(KycStatus, row.kyc_status)
        return ""

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid() and index.column() == self.NAME_COLUMN \
                and 0 <= index.row() < self.rowCount():
            return kind_title(self.row_at(index.row()).kind)
        return super().data(index, role)

    def changed_ids(self, changes: Changes) -> frozenset[str]:
        return changes.customers

    # -- changes elsewhere --------------------------------------------------------------------
    def refresh(self, ids: frozenset[str]) -> None:
        """Re-read the changed customers; redraw loaded ones in place, read again when the set changed."""
        generation, actor = self._generation, self.ctx.actor
        services = self.ctx.services
        wanted = sorted(ids)
        self.ctx.runner.submit(
            lambda: services.search.rows_by_id(actor, wanted), write=False,
            success=lambda rows: self._apply_refresh(generation, ids, rows),
            failure=lambda _exc: self._apply_refresh(generation, ids, None),
        )

    def _apply_refresh(self, generation: int, ids: frozenset[str], rows: list[CustomerRow] | None) -> None:
        if generation != self._generation:
            return  # the list was read again meanwhile
        if rows is None or self._needs_reload(ids, rows):
            self.reload()
            return
        last = self.columnCount() - 1
        for row in rows:
            position = self.position_of(row.id)
            if position is None:
                continue
            self.replace_row(position, row)
            self.dataChanged.emit(self.index(position, 0), self.index(position, last))

    def _needs_reload(self, ids: frozenset[str], rows: list[CustomerRow]) -> bool:
        fresh = {row.id: row for row in rows}
        for row_id in ids:
            position = self.position_of(row_id)
            row = fresh.get(row_id)
            if position is not None:
                if row is None or row.sort_key != self._rows[position].sort_key \
                        or not self.filter.admits(row, self.branch_code):
                    return True  # removed, renamed (moves in the order) or no longer in the filters
            elif row is not None and self.filter.admits(row, self.branch_code) and self._within_loaded(row):
                return True  # new here (or newly matching) among the rows already shown
        return False

    def _within_loaded(self, row: CustomerRow) -> bool:
        if not self._more or not self._rows:
            return True
        last = (self._rows[-1].sort_key, self._rows[-1].id)
        key = (row.sort_key, row.id)
        return key > last if self.descending else key < last

    def index_of(self, row_id: str, column: int = 0) -> QModelIndex:
        position = self.position_of(row_id)
        return QModelIndex() if position is None else self.index(position, column)
