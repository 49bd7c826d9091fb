"""One sheet row → the values of its mapped fields, in the shape the services' validators take.

Cell-level problems (a formula, a huge cell, an unreadable date, a merged cell) become ``Issue``s here;
the field rules themselves run later through the same cleaning functions as the forms
(``clean_customer``, the interaction service's cleaning, ``clean_product`` below for products).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from crm_desktop.models.enums import (
    BalanceBand,
    Channel,
    CustomerKind,
    Direction,
    Gender,
    KycStatus,
    LifecycleStage,
    Outcome,
    ProductKind,
    ProductState,
    Segment,
)
from crm_desktop.persian import ValidationError, to_ascii_digits
from crm_desktop.services.importing.headers import ColumnMap
from crm_desktop.services.importing.readers import CellValue, SheetRow
from crm_desktop.services.importing.values import as_bool, as_choice, as_date, as_moment, as_text, check_cell

ROW = ""  # the "field" of an issue about the whole row


@dataclass(frozen=True)
class Issue:
    field: str  # ROW for the whole row
    reason: str  # Persian


@dataclass
class Prepared:
    """A data row after reading: the non-empty mapped cells, converted, and what was wrong with them."""

    row: int
    values: dict[str, Any]
    cells: dict[str, CellValue]  # the cells as read, to show the user what was refused
    issues: list[Issue] = field(default_factory=list)

    def refuse(self, field_name: str, reason: str) -> None:
        self.issues.append(Issue(field_name, reason))


Converter = Callable[[CellValue], Any]


def _choice(enum: Any, **aliases: str) -> Converter:
    table = tuple((k.replace("_", " "), v) for k, v in aliases.items())
    return lambda value: as_choice(value, enum, table)


_KIND = _choice(CustomerKind, حقیقی="individual", حقوقی="corporate", شخص="individual", شرکت="corporate",
                person="individual", company="corporate")
CONVERTERS: dict[str, Converter] = {
    "kind": _KIND,
    "gender": _choice(Gender, آقا="male", خانم="female", m="male", f="female", مذکر="male", مونث="female"),
    "segment": _choice(Segment),
    "lifecycle_stage": _choice(LifecycleStage),
    "kyc_status": _choice(KycStatus, احرازشده="verified", تاییدشده="verified"),
    "marketing_consent": as_bool,
    "birth_date": as_date,
    "kyc_date": as_date,
    "product_kind": _choice(ProductKind, جاری="current", پس_انداز="savings", سپرده="term_deposit", وام="loan",
                            کارت="card"),
    "state": _choice(ProductState),
    "balance_band": _choice(BalanceBand),
    "opened_on": as_date,
    "channel": _choice(Channel, حضوری="branch", تلفن="phone", تلفنی="phone", وب="web", اینترنت_بانک="web",
                       ایمیل="email"),
    "direction": _choice(Direction, in_="inbound", out="outbound"),
    "outcome": _choice(Outcome),
    "occurred_at": as_moment,
    "follow_up_on": as_date,
    "duration_minutes": lambda v: as_text(v, "duration_minutes"),
}
MERGED_REASON = ("سلول ادغام‌شده (Merge) در این سطر است؛ ادغام را بردارید و مقدار را در هر سطر جداگانه بنویسید.")


def prepare_row(cmap: ColumnMap, sheet_row: SheetRow, merged: frozenset[int]) -> Prepared:
    prepared = Prepared(sheet_row.number, {}, {})
    if sheet_row.number in merged:
        prepared.refuse(ROW, MERGED_REASON)
    values = sheet_row.values
    for index, _, name in cmap.columns:
        if name is None or index >= len(values):
            continue
        cell = values[index]
        if cell is None or (isinstance(cell, str) and not cell.strip()):
            continue
        prepared.cells[name] = cell
        try:
            check_cell(cell)
            convert = CONVERTERS.get(name)
            value = convert(cell) if convert else as_text(cell, name)
        except ValidationError as exc:
            prepared.refuse(name, exc.message)
            continue
        if value is not None:
            prepared.values[name] = value
    return prepared


# -- products (no product service yet: its rules live here) ----------------------------------------
def clean_product(data: dict[str, Any], today: date) -> tuple[dict[str, Any], dict[str, str]]:
    """Validate raw product fields (as ``clean_customer`` does for customers): (clean values, {field: error})."""
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, enum, label in (("product_kind", ProductKind, "نوع محصول"), ("state", ProductState, "وضعیت"),
                              ("balance_band", BalanceBand, "رده موجودی")):
        value = data.get(name)
        if value in (None, ""):
            if name == "balance_band":
                clean[name] = None
            else:
                errors[name] = f"«{label}» را وارد کنید."
            continue
        try:
            clean[name] = str(enum(str(value)))
        except ValueError:
            errors[name] = f"{label} نامعتبر است."
    account = data.get("account_no")
    if account is not None:
        text = to_ascii_digits(str(account)).replace(" ", "").replace("-", "").upper()
        if not text.isalnum() or not 4 <= len(text) <= 34:
            errors["account_no"] = "شماره حساب باید ۴ تا ۳۴ رقم یا حرف لاتین باشد."
        clean["account_no"] = text
    else:
        clean["account_no"] = None
    opened = data.get("opened_on")
    if not isinstance(opened, date):
        errors["opened_on"] = "«تاریخ افتتاح» را وارد کنید."
    elif opened > today:
        errors["opened_on"] = "تاریخ افتتاح نمی‌تواند در آینده باشد."
    clean["opened_on"] = opened
    return clean, errors
