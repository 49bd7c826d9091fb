"""Lists to Excel: what a list screen shows (its search, filters and order), every row, as a workbook or CSV.

Each export pages through the same service call as the list, in keyset pages of ``PAGE_SIZE``, and
streams the rows into ``reports.xlsx.export_table_xlsx`` or ``reports.csv_table.export_table_csv`` (the
format named, or else the target's suffix): one page in memory at a time, whatever the length of the list.
The list calls apply the actor's branch scope; asking for another branch's rows without the right to see
them is refused before a file is made. Every export goes to the access log, with its format.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from crm_desktop.errors import CrmError
from crm_desktop.models.enums import (
    Channel,
    CustomerKind,
    Direction,
    KycStatus,
    LabeledEnum,
    LifecycleStage,
    Outcome,
    Priority,
    RequestCategory,
    Segment,
)
from crm_desktop.persian import format_jalali_date, to_persian_digits
from crm_desktop.progress import NullProgress, Progress
from crm_desktop.reports.document import Column, Kind, Table, Value
from crm_desktop.services.actor import Actor
from crm_desktop.services.base import ServiceBase
from crm_desktop.services.changes import Outcome as Result
from crm_desktop.services.customer_search import CustomerSearch
from crm_desktop.services.errors import InvalidInput
from crm_desktop.services.interactions import InteractionService
from crm_desktop.services.paging import Page, PageKey
from crm_desktop.services.permissions import Action, require, require_branch
from crm_desktop.services.records import CustomerRow, InteractionRow, RequestRow
from crm_desktop.services.request_states import STATUS_LABELS, RequestStatus
from crm_desktop.services.service_requests import Queue, ServiceRequestService

PAGE_SIZE = 1000
R = TypeVar("R")

CUSTOMER_COLUMNS = (
    Column("نام", weight=2.0), Column("نوع مشتری"), Column("کد ملی / شناسه ملی", Kind.CODE),
    Column("تلفن همراه", Kind.CODE), Column("شماره مشتری", Kind.CODE), Column("کد شعبه", Kind.CODE),
    Column("بخش مشتری"), Column("مرحله چرخه عمر"), Column("وضعیت احراز هویت"),
)
INTERACTION_COLUMNS = (
    Column("تاریخ و ساعت", Kind.DATETIME), Column("مشتری", weight=1.5), Column("کانال ارتباطی"),
    Column("جهت"), Column("موضوع", weight=2.0), Column("کارمند"), Column("نتیجه"),
    Column("تاریخ پیگیری", Kind.DATE), Column("مدت (دقیقه)", Kind.INTEGER),
)
REQUEST_COLUMNS = (
    Column("شماره درخواست", Kind.CODE), Column("مشتری", weight=1.5), Column("موضوع", weight=2.0),
    Column("دسته‌بندی"), Column("اولویت"), Column("وضعیت"), Column("مسئول رسیدگی"),
    Column("تاریخ ثبت", Kind.DATETIME), Column("مهلت رسیدگی", Kind.DATETIME),
)
QUEUE_LABELS = {
    Queue.MINE: "درخواست‌های من", Queue.BRANCH_OPEN: "باز در شعبه", Queue.OVERDUE: "دارای تأخیر",
    Queue.DUE_TODAY: "مهلت امروز", Queue.ALL: "همه درخواست‌ها",
}
OPEN_START, OPEN_END = date(1900, 1, 1), date(2999, 12, 31)  # the list screen's open ends of a period
SEPARATOR = "، "
EMPTY_TEXT = "در این فهرست موردی نیست."


class ExportFormat(StrEnum):
    XLSX = "xlsx"
    CSV = "csv"


def export_format(target: Path | str, wanted: ExportFormat | str | None = None) -> ExportFormat:
    """The format named (``"xlsx"`` or ``"csv"``), or else the target's: CSV for «.csv», a workbook otherwise."""
    if wanted is None:
        return ExportFormat.CSV if Path(target).suffix.lower() == ".csv" else ExportFormat.XLSX
    try:
        return ExportFormat(wanted)
    except ValueError:
        raise InvalidInput({"file_format": "قالب خروجی باید اکسل (xlsx) یا CSV باشد."}) from None


class ExportService(ServiceBase):
    page_size: int = PAGE_SIZE  # tests make it small to cross page boundaries

    def customers(
        self, actor: Actor, target: Path | str, *, query: str = "", segment: str | None = None,
        lifecycle_stage: str | None = None, branch_id: str | None = None, descending: bool = False,
        progress: Progress | None = None, file_format: ExportFormat | str | None = None,
    ) -> Result[int]:
        """The customer list (search text, filters, order as on screen) to ``target``; the rows written."""
        require(actor, Action.EXPORT)
        fmt = export_format(target, file_format)
        scope = self._scope(actor, branch_id)
        search = CustomerSearch(self.db, self.now)

        def fetch(after: PageKey | None) -> Page[CustomerRow]:
            return search.search(actor, query, after=after, limit=self.page_size, segment=segment,
                                 lifecycle_stage=lifecycle_stage, branch_id=branch_id, descending=descending)

        with self.db.read_raw() as conn:
            parts = [self._branch_text(conn, scope)]
        if isinstance(query, str) and query.strip():
            parts.append(f"جستجو: «{query.strip()}»")
        if segment:
            parts.append(f"بخش مشتری: {_label(Segment, segment)}")
        if lifecycle_stage:
            parts.append(f"مرحله چرخه عمر: {_label(LifecycleStage, lifecycle_stage)}")
        if descending:
            parts.append("ترتیب نام: از ی به الف")
        filters = {"query": query or None, "segment": segment, "lifecycle_stage": lifecycle_stage,
                   "branch_id": scope, "descending": descending or None}
        return self._export(actor, target, "مشتریان", parts, CUSTOMER_COLUMNS, fetch, _customer_cells,
                            progress, "customers", "customer", filters, fmt)

    def interactions(
        self, actor: Actor, target: Path | str, *, customer_id: str | None = None, user_id: str | None = None,
        channel: str | None = None, period: tuple[date, date] | None = None, branch_id: str | None = None,
        progress: Progress | None = None, file_format: ExportFormat | str | None = None,
    ) -> Result[int]:
        """The interactions list (newest first, with the screen's filters) to ``target``; the rows written."""
        require(actor, Action.EXPORT)
        fmt = export_format(target, file_format)
        scope = self._scope(actor, branch_id)
        interactions = InteractionService(self.db, self.now)

        def fetch(after: PageKey | None) -> Page[InteractionRow]:
            return interactions.list(actor, customer_id=customer_id, user_id=user_id, channel=channel,
                                     period=period, branch_id=branch_id, after=after, limit=self.page_size)

        with self.db.read_raw() as conn:
            parts = [self._branch_text(conn, scope)]
            if period:
                parts.append(_period_text(period))
            if channel:
                parts.append(f"کانال ارتباطی: {_label(Channel, channel)}")
            if user_id:
                parts.append(f"کارمند: {_name(conn, 'app_user', 'full_name', user_id)}")
            if customer_id:
                parts.append(f"مشتری: {_name(conn, 'customer', 'display_name', customer_id)}")
        filters = {"customer_id": customer_id, "user_id": user_id, "channel": channel, "branch_id": scope,
                   "period": [period[0].isoformat(), period[1].isoformat()] if period else None}
        return self._export(actor, target, "تعاملات", parts, INTERACTION_COLUMNS, fetch, _interaction_cells,
                            progress, "interactions", "interaction", filters, fmt)

    def requests(
        self, actor: Actor, target: Path | str, *, queue: Queue | str = Queue.BRANCH_OPEN,
        branch_id: str | None = None, progress: Progress | None = None,
        file_format: ExportFormat | str | None = None,
    ) -> Result[int]:
        """A work queue (soonest deadline first) to ``target``; the rows written."""
        require(actor, Action.EXPORT)
        fmt = export_format(target, file_format)
        scope = self._scope(actor, branch_id)
        try:
            which = Queue(queue)
        except ValueError:
            raise InvalidInput({"queue": "صف نامعتبر است."}) from None
        requests = ServiceRequestService(self.db, self.now)

        def fetch(after: PageKey | None) -> Page[RequestRow]:
            return requests.queue(actor, which, after=after, limit=self.page_size, branch_id=branch_id)

        owner = f" ({actor.full_name})" if which is Queue.MINE else ""
        with self.db.read_raw() as conn:
            parts = [self._branch_text(conn, scope), f"صف: {QUEUE_LABELS[which]}{owner}"]
        filters = {"queue": str(which), "branch_id": scope}
        return self._export(actor, target, "درخواست‌های خدمت", parts, REQUEST_COLUMNS, fetch, _request_cells,
                            progress, "requests", "service_request", filters, fmt)

    # -- shared ----------------------------------------------------------------------------------
    def _export(
        self, actor: Actor, target: Path | str, title: str, parts: list[str], columns: Sequence[Column],
        fetch: Callable[[PageKey | None], Page[R]], cells: Callable[[R], list[Value]],
        progress: Progress | None, list_name: str, table_name: str, filters: dict[str, Any], fmt: ExportFormat,
    ) -> Result[int]:
        progress = progress or NullProgress()
        progress.check()
        first = fetch(None)  # bad filters fail here, before a file is made
        rows = (cells(row) for row in _pages(first, fetch, progress))
        path = Path(target)
        table = Table(title, columns, rows, empty_text=EMPTY_TEXT, sheet_name=title)
        try:
            if fmt is ExportFormat.CSV:
                from crm_desktop.reports.csv_table import export_table_csv

                count = export_table_csv(table, path, progress=progress)
            else:
                from crm_desktop.reports.xlsx import export_table_xlsx  # openpyxl loads only when a list is exported

                count = export_table_xlsx(table, path, title=title, subtitle=SEPARATOR.join(parts), progress=progress)
        except OSError as exc:  # the disk or folder failed us (full, missing, read-only), not a bug
            raise CrmError(f"پرونده «{path.name}» ذخیره نشد: پوشه در دسترس نیست یا اجازه نوشتن در آن نیست.",
                           code="file_write") from exc
        self.record_access(actor, "export", table_name, None, {
            "list": list_name, "filters": {k: v for k, v in filters.items() if v is not None},
            "rows": count, "file": path.name, "format": str(fmt),
        })
        return Result(count)

    @staticmethod
    def _scope(actor: Actor, branch_id: str | None) -> str | None:
        """The branch the list will show (None: every branch); another branch only for those who see all."""
        if branch_id is not None and not isinstance(branch_id, str):
            raise InvalidInput({"branch_id": "فیلتر نامعتبر است."})
        if branch_id:
            require_branch(actor, branch_id)
        return branch_id if actor.sees_all_branches else actor.branch_id

    @staticmethod
    def _branch_text(conn: sqlite3.Connection, branch_id: str | None) -> str:
        if branch_id is None:
            return "همه شعبه‌ها"
        row = conn.execute("SELECT name, code FROM branch WHERE id = ?", (branch_id,)).fetchone()
        if row is None:
            raise InvalidInput({"branch_id": "شعبه پیدا نشد."})
        return f"{row[0]} (کد {to_persian_digits(row[1])})"


def _pages(first: Page[R], fetch: Callable[[PageKey | None], Page[R]], progress: Progress) -> Iterator[R]:
    """Every row, one keyset page at a time (the caller's generator holds only the current page)."""
    page = first
    while True:
        yield from page.rows
        if page.next_key is None:
            return
        progress.check()
        page = fetch(page.next_key)


def _label(enum: type[LabeledEnum], value: str | None) -> str | None:
    if not value:
        return None
    try:
        return enum(value).label
    except ValueError:
        return value


def _status_label(value: str) -> str:
    try:
        return STATUS_LABELS[RequestStatus(value)]
    except (ValueError, KeyError):
        return value


def _name(conn: sqlite3.Connection, table: str, column: str, row_id: str) -> str:
    row = conn.execute(f"SELECT {column} FROM {table} WHERE id = ?", (row_id,)).fetchone()
    return str(row[0]) if row and row[0] else "—"


def _period_text(period: tuple[date, date]) -> str:
    start, end = period
    if start <= OPEN_START:
        return f"بازه زمانی: تا {format_jalali_date(end)}"
    if end >= OPEN_END:
        return f"بازه زمانی: از {format_jalali_date(start)}"
    return f"بازه زمانی: {format_jalali_date(start)} تا {format_jalali_date(end)}"


def _customer_cells(row: CustomerRow) -> list[Value]:
    return [
        row.display_name, _label(CustomerKind, row.kind), row.national_id, row.mobile, row.customer_no,
        row.branch_code, _label(Segment, row.segment), _label(LifecycleStage, row.lifecycle_stage),
        _label(KycStatus, row.kyc_status),
    ]


def _interaction_cells(row: InteractionRow) -> list[Value]:
    return [
        row.occurred_at, row.customer_name, _label(Channel, row.channel), _label(Direction, row.direction),
        row.subject, row.user_name, _label(Outcome, row.outcome), row.follow_up_on, row.duration_minutes,
    ]


def _request_cells(row: RequestRow) -> list[Value]:
    return [
        row.number, row.customer_name, row.subject, _label(RequestCategory, row.category),
        _label(Priority, row.priority), _status_label(row.status), row.assignee_name, row.opened_at, row.due_at,
    ]
