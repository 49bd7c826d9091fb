"""A document value as the Persian text the PDF shows, per column kind."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from crm_desktop.persian import format_jalali_date, format_jalali_datetime, format_number, to_persian_digits
from crm_desktop.persian.digits import DECIMAL_SEPARATOR
from crm_desktop.reports.document import Kind, Value

MISSING = "—"
HOURS_UNIT = "ساعت"
PERCENT_SIGN = "٪"  # U+066A ARABIC PERCENT SIGN


def _trimmed(number: int | float | Decimal, decimals: int) -> str:
    """Persian digits with at most ``decimals`` decimals, trailing zeros dropped («۴٫۵», «۱۲»)."""
    text = format_number(number, decimals)
    if DECIMAL_SEPARATOR in text:
        text = text.rstrip("۰").rstrip(DECIMAL_SEPARATOR)
    return text


def format_value(value: Value, kind: Kind) -> str:
    """``value`` written for a reader: Persian digits, Jalali dates, «—» for nothing."""
    if value is None:
        return MISSING
    if isinstance(value, datetime):
        return format_jalali_datetime(value) if kind is not Kind.DATE else format_jalali_date(value)
    if isinstance(value, date):
        return format_jalali_date(value)
    if isinstance(value, bool):
        return "بله" if value else "خیر"
    if isinstance(value, int | float | Decimal):
        if kind is Kind.INTEGER:
            return format_number(round(value))
        if kind is Kind.DECIMAL:
            return _trimmed(value, 2)
        if kind is Kind.PERCENT:
            return _trimmed(value * 100, 1) + PERCENT_SIGN
        if kind is Kind.HOURS:
            return f"{_trimmed(value, 1)} {HOURS_UNIT}"
        if kind is Kind.CODE:
            return to_persian_digits(str(value))
        return _trimmed(value, 2)
    text = str(value)
    return to_persian_digits(text) if kind is Kind.CODE else text


def format_change(value: float | int | Decimal | None, kind: Kind) -> str:
    """A change between periods with its sign («+۱۲», «−۳٫۵٪»); «—» when unknown."""
    if value is None:
        return MISSING
    text = format_value(value, kind)
    return "+" + text if value > 0 and not text.startswith("−") and text.strip("۰٫٪ ساعت") else text
