"""Management reports: who may run which, over which branch; then the figures, the document and the file.

Every run is written to the access log. A report reads one snapshot of the database (a read transaction held
while the file is written, so a long list streams from the database into the file without holding it in memory).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from crm_desktop.persian import digits_only, format_jalali_datetime, to_persian_digits
from crm_desktop.progress import NullProgress, Progress
from crm_desktop.reports.document import ReportDocument
from crm_desktop.reports.period import Period
from crm_desktop.services.actor import Actor
from crm_desktop.services.base import ServiceBase
from crm_desktop.services.changes import Outcome
from crm_desktop.services.customers import CustomerService
from crm_desktop.services.errors import InvalidInput, NotFound, PermissionDenied
from crm_desktop.services.permissions import Action, require
from crm_desktop.services.reporting import documents
from crm_desktop.services.reporting.activity import Scope
from crm_desktop.services.reporting.customer_profile import customer_profile

DEFAULT_BANK_NAME = "بانک"


class ReportName(StrEnum):
    BRANCH_SUMMARY = "branch-summary"
    SERVICE_REQUESTS = "service-requests"
    CUSTOMERS = "customers"
    CLERK_ACTIVITY = "clerk-activity"
    CUSTOMER_PROFILE = "customer-profile"

    @property
    def heading(self) -> str:
        return TITLES[self]


TITLES = {
    ReportName.BRANCH_SUMMARY: "خلاصه عملکرد شعبه",
    ReportName.SERVICE_REQUESTS: "گزارش درخواست‌های خدمت",
    ReportName.CUSTOMERS: "گزارش مشتریان",
    ReportName.CLERK_ACTIVITY: "گزارش کارکرد کارمندان",
    ReportName.CUSTOMER_PROFILE: "پرونده مشتری",
}


class ReportFormat(StrEnum):
    PDF = "pdf"
    XLSX = "xlsx"


@dataclass(frozen=True)
class ReportRequest:
    name: ReportName
    format: ReportFormat
    period: Period | None = None  # every report but the customer profile
    branch_code: str | None = None  # None: the actor's own branch, or every branch for those who see them all
    customer: str | None = None  # the customer profile: national or company ID, customer number, or record id


@dataclass(frozen=True)
class ReportResult:
    path: Path
    pages: int | None  # PDF only


class ReportService(ServiceBase):
    def run(self, actor: Actor, request: ReportRequest, target: Path,
            progress: Progress | None = None) -> Outcome[ReportResult]:
        """Make one report into ``target`` (written whole or not at all)."""
        progress = progress or NullProgress()
        name, fmt = self._check(actor, request)
        with self.db.read_raw() as conn:
            scope, branch_label = self._scope(conn, actor, request.branch_code)
            head = ReportDocument(
                title=name.heading, bank=_bank_name(conn), branch=branch_label,
                period=request.period.label() if request.period else "",
                generated_at=self.now(), generated_by=actor.full_name,
            )
            document, target_id = self._document(conn, actor, request, name, scope, head)
            pages = _render(document, fmt, Path(target), progress)
        self.record_access(actor, "report", "customer" if target_id else None, target_id, {
            "report": str(name), "format": str(fmt), "branch": request.branch_code or actor.branch_code,
            "period": [request.period.first.isoformat(), request.period.last.isoformat()] if request.period else None,
        })
        return Outcome(ReportResult(Path(target), pages))

    # -- checks ----------------------------------------------------------------------------------
    @staticmethod
    def _check(actor: Actor, request: ReportRequest) -> tuple[ReportName, ReportFormat]:
        try:
            name = ReportName(request.name)
        except ValueError:
            raise InvalidInput({"name": f"گزارشی به نام «{request.name}» نیست."}) from None
        try:
            fmt = ReportFormat(request.format)
        except ValueError:
            raise InvalidInput({"format": "قالب گزارش باید PDF یا Excel باشد."}) from None
        if name is ReportName.CUSTOMER_PROFILE:
            require(actor, Action.VIEW_CUSTOMER)
            require(actor, Action.EXPORT)
            if not request.customer or not str(request.customer).strip():
                raise InvalidInput({"customer": "مشتری را با کد ملی، شناسه ملی یا شماره مشتری مشخص کنید."})
        else:
            require(actor, Action.RUN_REPORTS)
            if not isinstance(request.period, Period):
                raise InvalidInput({"period": "دوره گزارش را مشخص کنید."})
        return name, fmt

    @staticmethod
    def _scope(conn: sqlite3.Connection, actor: Actor, branch_code: str | None) -> tuple[Scope, str]:
        code = (digits_only(branch_code) or branch_code.strip()) if branch_code else None
        if code is None:
            if actor.sees_all_branches:
                return Scope(None), "همه شعبه‌ها"
            code = actor.branch_code
        row = conn.execute("SELECT id, name, code FROM branch WHERE code = ? AND deleted_at IS NULL",
                           (code,)).fetchone()
        if row is None:
            raise InvalidInput({"branch": f"شعبه‌ای با کد «{to_persian_digits(code)}» نیست."})
        if not actor.sees_all_branches and row[0] != actor.branch_id:
            raise PermissionDenied("گزارش شعبه‌های دیگر را فقط مدیر سامانه و بازرس می‌بینند.")
        return Scope(row[0]), f"{row[1]} (کد {to_persian_digits(row[2])})"

    # -- the document ----------------------------------------------------------------------------
    def _document(self, conn: sqlite3.Connection, actor: Actor, request: ReportRequest, name: ReportName,
                  scope: Scope, head: ReportDocument) -> tuple[ReportDocument, str | None]:
        if name is ReportName.CUSTOMER_PROFILE:
            customer_id = self._customer_id(conn, str(request.customer))
            profile = CustomerService(self.db, self.now).profile(actor, customer_id)
            head.branch = f"{profile.customer.branch_name} (کد {to_persian_digits(profile.customer.branch_code)})"
            head.period = f"تا {format_jalali_datetime(head.generated_at)}"
            return customer_profile(profile, head), profile.customer.id
        period = request.period
        assert period is not None
        if name is ReportName.BRANCH_SUMMARY:
            return documents.branch_summary(conn, scope, period, head), None
        if name is ReportName.SERVICE_REQUESTS:
            return documents.service_requests(conn, scope, period, head, report_moment(head.generated_at, period)), None
        if name is ReportName.CUSTOMERS:
            return documents.customers(conn, scope, period, head), None
        return documents.clerk_report(conn, scope, period, head), None

    @staticmethod
    def _customer_id(conn: sqlite3.Connection, key: str) -> str:
        """A national or company ID, a customer number, or the record id itself."""
        digits = digits_only(key)
        row = None
        if digits and len(digits) == len(key.strip().replace(" ", "")):
            row = conn.execute(
                "SELECT id FROM customer WHERE (national_id = ?1 OR company_id = ?1 OR customer_no = ?1)"
                " AND deleted_at IS NULL ORDER BY merged_into IS NOT NULL LIMIT 1", (digits,)).fetchone()
        if row is None:
            row = conn.execute("SELECT id FROM customer WHERE id = ?", (key.strip(),)).fetchone()
        if row is None:
            raise NotFound(f"مشتری‌ای با «{to_persian_digits(key.strip())}» پیدا نشد.")
        return str(row[0])


def _bank_name(conn: sqlite3.Connection) -> str:
    row = conn.execute("SELECT value FROM setting WHERE key = 'bank_name' AND deleted_at IS NULL").fetchone()
    return str(row[0]) if row and row[0] else DEFAULT_BANK_NAME


def _render(document: ReportDocument, fmt: ReportFormat, target: Path, progress: Progress) -> int | None:
    if fmt is ReportFormat.PDF:
        from crm_desktop.reports.pdf import render_pdf  # reportlab and harfbuzz load only when a PDF is made

        return render_pdf(document, target, progress)
    from crm_desktop.reports.xlsx import render_xlsx

    render_xlsx(document, target, progress)
    return None


def report_moment(now: datetime, period: Period) -> datetime:
    """When a request report measures delays: now, or the end of a period that is over."""
    return min(now, period.end)
