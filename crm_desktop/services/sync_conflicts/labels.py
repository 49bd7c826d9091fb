"""Persian names of what the sync inbox shows: records, fields, values and the server's reasons."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from crm_desktop.models.enums import Channel, Outcome, Priority, RequestCategory
from crm_desktop.persian import to_persian_digits
from crm_desktop.services.merge_plan import EMPTY_TEXT, MERGE_FIELDS, display_text
from crm_desktop.services.request_states import STATUS_LABELS, RequestStatus
from crm_desktop.sync import catalog
from crm_desktop.sync.protocol import Reason
from crm_desktop.sync.values import Kind, to_python

TABLE_LABELS: dict[str, str] = {
    "customer": "مشتری",
    "service_request": "درخواست خدمت",
    "interaction": "تعامل",
    "product": "محصول / حساب",
    "branch": "شعبه",
    "app_user": "کاربر",
    "sync_conflict": "تصمیم دربارهٔ تعارض",
    "duplicate_dismissal": "«تکراری نیست»",
}
OTHER_FIELDS: dict[str, str] = {
    "branch_id": "شعبه",
    "deleted_at": "بایگانی",
    "deleted_reason": "دلیل بایگانی",
    "category": "دسته‌بندی",
    "priority": "اولویت",
    "status": "وضعیت",
    "subject": "موضوع",
    "description": "شرح",
    "assignee_id": "مسئول رسیدگی",
    "due_at": "مهلت رسیدگی",
    "resolution": "شرح رسیدگی",
    "satisfaction": "رضایت مشتری",
    "duration_minutes": "مدت",
    "outcome": "نتیجه",
    "follow_up_on": "پیگیری",
    "channel": "کانال ارتباطی",
    "name": "نام",
    "address": "نشانی",
    "full_name": "نام کامل",
    "account_no": "شماره حساب",
    "notes": "یادداشت",
}
_ENUMS: dict[str, Any] = {"category": RequestCategory, "priority": Priority, "channel": Channel, "outcome": Outcome}
#: Why a change was parked, for the reasons the desk itself gives (the server sends its own Persian text).
REASONS: dict[str, str] = {
    Reason.GROUP: "تغییر دیگری از همان ذخیره پذیرفته نشد؛ این تغییر هم ذخیره نشد.",
    Reason.SAME_RECORD: "تغییر پیشینِ همین پرونده پذیرفته نشد؛ این تغییر هم ذخیره نشد.",
    Reason.ROLE: "نقش کاربر اجازهٔ این تغییر را ندارد.",
    Reason.NOT_IN_SCOPE: "این پرونده در حوزهٔ شعبهٔ این دستگاه نیست.",
    Reason.NOTE_REQUIRED: "برای تصمیم دربارهٔ یک فیلد هویتی نوشتن دلیل لازم است.",
}
GENERIC_REASON = "سرور مرکزی این تغییر را نپذیرفت."


def table_label(tbl: str) -> str:
    return TABLE_LABELS.get(tbl, tbl)


def field_label(tbl: str, field: str) -> str:
    if tbl == "customer" and field in MERGE_FIELDS:
        return MERGE_FIELDS[field]
    return OTHER_FIELDS.get(field, field)


def value_text(tbl: str, field: str, wire: Any) -> str:
    """A wire value as the clerk reads it (Persian digits, Jalali dates, Persian names of choices)."""
    if wire is None or wire == "":
        return EMPTY_TEXT
    spec = catalog.CATALOG.get(tbl)
    kind = spec.kinds.get(field) if spec is not None else None
    try:
        value = to_python(kind, wire) if kind is not None else wire
    except (ValueError, TypeError):
        value = wire
    if tbl == "service_request" and field == "status":
        try:
            return STATUS_LABELS[RequestStatus(value)]
        except ValueError:
            return str(value)
    if field in _ENUMS and tbl != "customer":
        try:
            return str(_ENUMS[field](value).label)
        except ValueError:
            return str(value)
    if kind is Kind.INT:
        return to_persian_digits(str(value))
    return display_text(field, value)


def record_label(session: Session, tbl: str, pk: str) -> str:
    """What the clerk calls the record: the customer's name, «درخواست ۱۰۲۱-…», else the kind of record."""
    sql = {
        "customer": "SELECT display_name FROM customer WHERE id = :id",
        "service_request": "SELECT number FROM service_request WHERE id = :id",
        "interaction": "SELECT c.display_name FROM interaction i JOIN customer c ON c.id = i.customer_id"
                       " WHERE i.id = :id",
        "product": "SELECT c.display_name FROM product p JOIN customer c ON c.id = p.customer_id WHERE p.id = :id",
        "branch": "SELECT name FROM branch WHERE id = :id",
        "app_user": "SELECT full_name FROM app_user WHERE id = :id",
        "sync_conflict": "SELECT field FROM sync_conflict WHERE id = :id",
    }.get(tbl)
    name = session.execute(text(sql), {"id": pk}).scalar() if sql else None
    if tbl == "service_request" and name:
        return f"درخواست {to_persian_digits(str(name))}"
    if tbl in ("interaction", "product") and name:
        return f"{table_label(tbl)} «{name}»"
    if tbl == "sync_conflict":
        row = session.execute(text("SELECT tbl, pk, field FROM sync_conflict WHERE id = :id"), {"id": pk}).first()
        if row is not None:
            return f"تعارض «{field_label(row.tbl, row.field)}» در {record_label(session, row.tbl, row.pk)}"
    return str(name) if name else table_label(tbl)


def reason_text(reason: str | None, detail: str | None) -> str:
    """The server's Persian message when it sent one, else the desk's words for the reason code."""
    return detail or REASONS.get(reason or "", GENERIC_REASON)
