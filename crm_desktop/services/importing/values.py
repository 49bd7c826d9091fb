"""Cell values as the validators want them: text, dates (Jalali, Gregorian, Excel serial), choices, yes/no.

These only change the *shape* of a value; the rules (what a valid national ID or mobile is) stay in the
validators the forms use. A value this module cannot read is passed on unchanged when a validator will
explain it better, or refused with a Persian ``ValidationError``.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache

from crm_desktop.persian import ValidationError, format_number, normalize, parse_jalali_date, tehran_tz, to_ascii_digits
from crm_desktop.services.importing.readers import EXCEL_CELL_LIMIT, CellValue

_EXCEL_EPOCH = date(1899, 12, 30)
_SERIAL_RANGE = (1, 2_958_465)  # 1900-01-01 .. 9999-12-31
_DATE_TEXT = re.compile(r"^\s*(\d{1,4})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{1,4})"
                        r"(?:[\sT]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*Z?\s*$")
#: Numeric cells whose digits are an identifier: Excel drops their leading zeros.
ZERO_PADDED = {"national_id": 10, "company_id": 11, "postal_code": 10}
_YES = {"بله", "بلی", "آری", "اری", "دارد", "هست", "موافق", "yes", "y", "true", "1", "✓", "✔", "x"}
_NO = {"خیر", "نه", "ندارد", "نیست", "مخالف", "no", "n", "false", "0", ""}


def check_cell(value: CellValue) -> None:
    """Refuse what no field accepts: a formula, or text longer than Excel keeps in a cell."""
    if isinstance(value, str):
        # openpyxl cuts longer cells to exactly the limit when reading, so reaching it means "too long".
        if len(value) >= EXCEL_CELL_LIMIT:
            raise ValidationError(f"سلول {format_number(EXCEL_CELL_LIMIT)} نویسه یا بیشتر دارد؛ متنی به این بلندی "
                                  "پذیرفته نیست (ممکن است بریده شده باشد).")
        if value.lstrip().startswith("="):
            raise ValidationError("سلول فرمول است (با «=» شروع می‌شود)؛ فرمول پذیرفته نیست، مقدار آن را بنویسید.")


def as_text(value: CellValue, field: str) -> str | None:
    """Text for a validator. A number keeps its digits (an integral float loses its «.0»); IDs get their zeros."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "بله" if value else "خیر"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        text = str(value)
        width = ZERO_PADDED.get(field)
        if width and len(text) < width:
            return text.zfill(width)
        if field == "mobile" and len(text) == 10 and text.startswith("9"):
            return "0" + text
        return text
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def _serial(number: float) -> date:
    if not _SERIAL_RANGE[0] <= number <= _SERIAL_RANGE[1]:
        raise ValidationError("عدد این سلول تاریخ Excel نیست.")
    return _EXCEL_EPOCH + timedelta(days=int(number))


def as_date(value: CellValue) -> date | None:
    """A date from a date cell, an Excel serial number, or text in Jalali (۱۳۶۵/۰۴/۱۲) or Gregorian (1986-07-03)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise ValidationError("تاریخ نامعتبر است.")
    if isinstance(value, int | float):
        return _serial(value)
    if not isinstance(value, str):
        raise ValidationError("تاریخ نامعتبر است.")
    day, _ = _date_and_time(value)
    return day


def _date_and_time(text: str) -> tuple[date, time | None]:
    ascii_text = to_ascii_digits(text).strip()
    if ascii_text.isdigit() and 4 < len(ascii_text) <= 7:
        return _serial(int(ascii_text)), None
    match = _DATE_TEXT.match(ascii_text)
    if match is None:
        raise ValidationError("تاریخ باید به شکل ۱۴۰۵/۰۹/۰۱ (شمسی) یا 2026-11-22 (میلادی) نوشته شود.")
    first, month, last = (int(match.group(i)) for i in (1, 2, 3))
    moment = None
    if match.group(4):
        hour, minute, second = int(match.group(4)), int(match.group(5)), int(match.group(6) or 0)
        if hour > 23 or minute > 59 or second > 59:
            raise ValidationError("ساعت نامعتبر است.")
        moment = time(hour, minute, second)
    if len(match.group(1)) < 4:
        raise ValidationError("تاریخ باید با سال چهاررقمی شروع شود (۱۴۰۵/۰۹/۰۱ یا 2026-11-22).")
    if first >= 1700:
        try:
            return date(first, month, last), moment
        except ValueError:
            raise ValidationError("تاریخ میلادی نامعتبر است.") from None
    return parse_jalali_date(f"{first}/{month}/{last}"), moment


def as_moment(value: CellValue) -> datetime | None:
    """An aware UTC instant from a date-time cell or text; times without a zone are Tehran time."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        local = value if value.tzinfo else value.replace(tzinfo=tehran_tz())
        return local.astimezone(UTC)
    if isinstance(value, date):
        return datetime.combine(value, time(), tehran_tz()).astimezone(UTC)
    if isinstance(value, int | float) and not isinstance(value, bool):
        day = _serial(value)
        seconds = round((float(value) % 1) * 86400)
        return (datetime.combine(day, time(), tehran_tz()) + timedelta(seconds=seconds)).astimezone(UTC)
    if not isinstance(value, str):
        raise ValidationError("تاریخ و ساعت نامعتبر است.")
    day, moment = _date_and_time(value)
    return datetime.combine(day, moment or time(), tehran_tz()).astimezone(UTC)


def _key(text: str) -> str:
    return normalize(text).replace(" ", "")


@lru_cache(maxsize=64)
def _choice_table(enum: type[StrEnum], aliases: tuple[tuple[str, str], ...]) -> dict[str, str]:
    table = {_key(str(m.value)): str(m.value) for m in enum}
    labels = getattr(enum, "choices", None)
    if labels is not None:
        table.update({_key(label): code for code, label in labels()})
    table.update({_key(alias): code for alias, code in aliases})
    return table


def as_choice(value: CellValue, enum: type[StrEnum], aliases: tuple[tuple[str, str], ...] = ()) -> object:
    """An enum value from its code («male») or Persian label («مرد»); anything else unchanged for the validator."""
    text = as_text(value, "")
    if text is None:
        return None
    return _choice_table(enum, aliases).get(_key(text), text)


def as_bool(value: CellValue) -> object:
    if isinstance(value, bool) or value is None:
        return bool(value)
    text = as_text(value, "")
    key = _key(text or "")
    if key in _YES:
        return True
    if key in _NO:
        return False
    return text  # the validator says «باید بله یا خیر باشد»
