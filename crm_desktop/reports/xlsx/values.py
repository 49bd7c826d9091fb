"""Report values as Excel cell values: real numbers and date-times, safe text, Jalali text beside dates.

Excel has no time zones, so a UTC ``datetime`` becomes the naive Tehran wall-clock time. The
Jalali text of a date is cached per day and the «hh:mm» part comes from a 1,440-entry table, so a
100,000-row export does not build a ``jdatetime`` object per cell.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Final

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill
from openpyxl.styles.numbers import FORMAT_DATE_DATETIME, FORMAT_DATE_YYYYMMDD2
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from crm_desktop.persian import format_jalali_date, format_number, to_persian_digits, to_tehran
from crm_desktop.reports.document import Kind, Value
from crm_desktop.reports.xlsx.style import RTL_ALIGNMENT

# Excel's number formats per kind; the digits' shape (Persian or Latin) follows the reader's Excel.
NUMBER_FORMATS: Final[dict[Kind, str]] = {
    Kind.INTEGER: "#,##0",
    Kind.DECIMAL: "#,##0.00",
    Kind.HOURS: "#,##0.0",
    Kind.PERCENT: "0.0%",
    Kind.DATE: FORMAT_DATE_YYYYMMDD2,  # "yyyy-mm-dd": openpyxl's own for a date
    Kind.DATETIME: FORMAT_DATE_DATETIME,  # "yyyy-mm-dd h:mm:ss": openpyxl's own for a datetime
}
# A change (this period − previous) shows its sign.
CHANGE_FORMATS: Final[dict[Kind, str]] = {
    Kind.INTEGER: "+#,##0;-#,##0;0",
    Kind.DECIMAL: "+#,##0.00;-#,##0.00;0",
    Kind.HOURS: "+#,##0.0;-#,##0.0;0",
    Kind.PERCENT: "+0.0%;-0.0%;0.0%",
}
NUMERIC_KINDS: Final = frozenset({Kind.INTEGER, Kind.DECIMAL, Kind.HOURS, Kind.PERCENT})
DATE_KINDS: Final = frozenset({Kind.DATE, Kind.DATETIME})

# Text that Excel (or a user pressing F2 + Enter) would read as a formula, or that other tools do.
FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL_TEXT: Final = 32_767  # Excel's limit for one cell

_HHMM: Final[tuple[str, ...]] = tuple(to_persian_digits(f"{h:02d}:{m:02d}") for h in range(24) for m in range(60))
_ILLEGAL: Final[re.Pattern[str]] = ILLEGAL_CHARACTERS_RE
_ERROR_CODES: Final = frozenset(ERROR_CODES)
# Anything text_cell must look at twice: a formula start or «#» (error codes), or a control character.
_CAREFUL: Final = re.compile(r"^[=+\-@\t\r#]|[\x00-\x08\x0b\x0c\x0e-\x1f]")

Number = int | float


@lru_cache(maxsize=8192)
def jalali_day(day: date) -> str:
    """«۱۴۰۵/۰۹/۰۱» for a (Tehran) calendar day; cached because a report repeats its days."""
    return format_jalali_date(day)


def tehran_local(moment: datetime) -> datetime:
    """The naive Tehran wall-clock time of ``moment`` (a naive value is taken as UTC)."""
    t = to_tehran(moment)
    # The constructor is about three times faster than ``replace(tzinfo=None)`` on Python 3.11.
    return datetime(t.year, t.month, t.day, t.hour, t.minute, t.second, t.microsecond)


def jalali_local_datetime(local: datetime) -> str:
    """«۱۴۰۵/۰۹/۰۱ ۱۴:۰۵» for a naive Tehran time (same text as ``format_jalali_datetime``)."""
    return f"{jalali_day(local.date())} {_HHMM[local.hour * 60 + local.minute]}"


def as_date(value: date | datetime) -> date:
    """A DATE value: a ``datetime`` counts as its Tehran calendar day."""
    return to_tehran(value).date() if isinstance(value, datetime) else value


def as_number(value: Value, kind: Kind) -> Number | None:
    """The Excel number for a numeric kind, or None when ``value`` is not a number."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    if isinstance(value, Decimal):
        return int(value) if kind is Kind.INTEGER and value == value.to_integral_value() else float(value)
    return value


def clean_text(text: str) -> str:
    """Drop the control characters Excel refuses and cut to Excel's cell limit."""
    if _ILLEGAL.search(text):
        text = _ILLEGAL.sub("", text)
    return text[:MAX_CELL_TEXT] if len(text) > MAX_CELL_TEXT else text


def display_text(value: Value, kind: Kind = Kind.TEXT) -> str:
    """A value as Persian text (for text columns holding a non-string, and the summary sheet)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):
        return jalali_local_datetime(tehran_local(value))
    if isinstance(value, date):
        return jalali_day(value)
    if kind is Kind.CODE or isinstance(value, bool):
        return str(value)  # a code is matched against other systems: its digits stay as given
    if kind is Kind.PERCENT:
        return format_number(value * 100, 1) + "٪"
    decimals = {Kind.DECIMAL: 2, Kind.HOURS: 1}.get(kind, 0 if isinstance(value, int) else 2)
    return format_number(value, decimals)


def text_cell(ws: WriteOnlyWorksheet, text: str) -> str | Cell:
    """``text`` as a cell value that can never become a formula.

    Plain text passes through as a string. Text that starts like a formula (or is an error code
    such as «#N/A») is kept exactly as it is, stored as a string with Excel's quote prefix: shown
    without an apostrophe, and still text when a user edits the cell. openpyxl would otherwise
    write «=…» as a formula.
    """
    if _CAREFUL.search(text) is None and len(text) <= MAX_CELL_TEXT:
        return text  # the common case, with one regex search
    text = clean_text(text)
    if not text.startswith(FORMULA_STARTS) and text not in _ERROR_CODES:
        return text
    cell = WriteOnlyCell(ws)
    cell.value = text
    cell.data_type = "s"
    cell.quotePrefix = True
    cell.alignment = RTL_ALIGNMENT  # a style of its own replaces the default one: keep its reading order
    return cell


def styled_cell(
    ws: WriteOnlyWorksheet,
    value: object,
    *,
    font: Font | None = None,
    fill: PatternFill | None = None,
    border: Border | None = None,
    alignment: Alignment | None = None,
    number_format: str | None = None,
) -> Cell:
    """A one-off styled cell (titles, headers, totals), right to left; text never becomes a formula."""
    if isinstance(value, str):
        value = text_cell(ws, value)
    cell = WriteOnlyCell(ws)
    if isinstance(value, Cell):
        cell.value, cell.data_type, cell.quotePrefix = value.value, value.data_type, value.quotePrefix
    else:
        cell.value = value
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    if border is not None:
        cell.border = border
    cell.alignment = alignment if alignment is not None else RTL_ALIGNMENT
    if number_format is not None:
        cell.number_format = number_format
    return cell
