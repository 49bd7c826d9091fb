"""Jalali (Solar Hijri) calendar: conversion, formatting and parsing.

Calendar arithmetic (and its leap rule) comes from ``jdatetime``. Times are shown in
Tehran time; a naive ``datetime`` is taken as UTC, which is how the app stores moments.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import jdatetime  # type: ignore[import-untyped, unused-ignore]

from crm_desktop.persian.digits import to_ascii_digits, to_persian_digits
from crm_desktop.persian.validators import ValidationError

JALALI_MONTHS: Final[tuple[str, ...]] = (
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
)

# Saturday first, as the Iranian week starts; ``(d.weekday() + 2) % 7`` indexes it.
JALALI_WEEKDAYS: Final[tuple[str, ...]] = (
    "شنبه",
    "یک‌شنبه",
    "دوشنبه",
    "سه‌شنبه",
    "چهارشنبه",
    "پنج‌شنبه",
    "جمعه",
)

PARSE_MIN_YEAR: Final = 1200
PARSE_MAX_YEAR: Final = 1600

# Iran has kept standard time all year since 2022, so a fixed offset is a safe fallback.
TEHRAN_FALLBACK: Final = timezone(timedelta(hours=3, minutes=30), "+0330")

_FA_LOCALE: Final[str] = jdatetime.FA_LOCALE
_MIN_YEAR: Final[int] = jdatetime.MINYEAR
_MAX_YEAR: Final[int] = jdatetime.MAXYEAR
_INVALID: Final = "تاریخ نامعتبر است: "

_INVISIBLE = re.compile(r"[\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_DATE_PATTERN = re.compile(r"\s*([0-9]{1,4})\s*[/\-.]\s*([0-9]{1,2})\s*[/\-.]\s*([0-9]{1,2})\s*")


def _fa(n: int) -> str:
    return to_persian_digits(str(n))


@lru_cache(maxsize=1)
def tehran_tz() -> tzinfo:
    """Asia/Tehran from the time-zone database, or a fixed UTC+03:30 without tzdata."""
    try:
        return ZoneInfo("Asia/Tehran")
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return TEHRAN_FALLBACK


def to_tehran(moment: datetime) -> datetime:
    """The same moment in Tehran time; a naive ``datetime`` is taken as UTC."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(tehran_tz())


def is_jalali_leap(year: int) -> bool:
    """Whether Esfand of Jalali ``year`` has 30 days (``jdatetime``'s 33-year rule)."""
    _check_year(year, _MIN_YEAR, _MAX_YEAR)
    return bool(jdatetime.date(year, 1, 1, locale=_FA_LOCALE).isleap())


def jalali_month_days(year: int, month: int) -> int:
    """Number of days in a Jalali month: 31 in months 1–6, 30 in 7–11, 29 or 30 in Esfand."""
    _check_year(year, _MIN_YEAR, _MAX_YEAR)
    _check_month(month)
    if month <= 6:
        return 31
    if month <= 11:
        return 30
    return 30 if is_jalali_leap(year) else 29


def _check_year(year: object, low: int, high: int, field: str | None = None) -> None:
    if isinstance(year, bool) or not isinstance(year, int) or not low <= year <= high:
        raise ValidationError(f"{_INVALID}سال باید بین {_fa(low)} و {_fa(high)} باشد", field=field)


def _check_month(month: object, field: str | None = None) -> None:
    if isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= 12:
        raise ValidationError(f"{_INVALID}ماه باید بین ۱ و ۱۲ باشد", field=field)


def _check_date(year: int, month: int, day: int, low: int, high: int, field: str | None = None) -> None:
    """Raise ``ValidationError`` with a Persian reason unless the Jalali date exists."""
    _check_year(year, low, high, field)
    _check_month(month, field)
    if isinstance(day, bool) or not isinstance(day, int) or not 1 <= day <= 31:
        raise ValidationError(f"{_INVALID}روز باید بین ۱ و ۳۱ باشد", field=field)
    length = jalali_month_days(year, month)
    if day > length:
        name = JALALI_MONTHS[month - 1]
        raise ValidationError(f"{_INVALID}{name} {_fa(year)} فقط {_fa(length)} روز دارد", field=field)


def jalali_to_gregorian(year: int, month: int, day: int) -> date:
    """The Gregorian date of a Jalali date; raises ``ValidationError`` if it does not exist."""
    _check_date(year, month, day, _MIN_YEAR, _MAX_YEAR)
    try:
        result: date = jdatetime.date(year, month, day, locale=_FA_LOCALE).togregorian()
    except (ValueError, OverflowError) as exc:
        raise ValidationError(f"{_INVALID}خارج از بازهٔ تقویم است") from exc
    return result


def gregorian_to_jalali(d: date) -> tuple[int, int, int]:
    """The Jalali (year, month, day) of a Gregorian date (a datetime's own date fields)."""
    if not isinstance(d, date):
        raise TypeError("gregorian_to_jalali expects a datetime.date")
    try:
        j = jdatetime.date.fromgregorian(date=d, locale=_FA_LOCALE)
    except (ValueError, OverflowError) as exc:
        raise ValidationError(f"{_INVALID}خارج از بازهٔ تقویم است") from exc
    return int(j.year), int(j.month), int(j.day)


def jalali_month_range(year: int, month: int) -> tuple[date, date]:
    """First and last Gregorian dates of a Jalali month."""
    first = jalali_to_gregorian(year, month, 1)
    return first, first + timedelta(days=jalali_month_days(year, month) - 1)


def _local_date(d: date | datetime) -> date:
    return to_tehran(d).date() if isinstance(d, datetime) else d


def format_jalali_date(d: date | datetime) -> str:
    """«۱۴۰۵/۰۹/۰۱»: a Jalali date with Persian digits.

    A ``datetime`` is first moved to Tehran time (a naive one is taken as UTC).
    """
    year, month, day = gregorian_to_jalali(_local_date(d))
    return to_persian_digits(f"{year:04d}/{month:02d}/{day:02d}")


def format_jalali_datetime(dt: datetime) -> str:
    """«۱۴۰۵/۰۹/۰۱ ۱۴:۰۵»: Jalali date and time in Tehran (a naive value is taken as UTC)."""
    if not isinstance(dt, datetime):
        raise TypeError("format_jalali_datetime expects a datetime.datetime")
    local = to_tehran(dt)
    return f"{format_jalali_date(local.date())} {to_persian_digits(f'{local.hour:02d}:{local.minute:02d}')}"


def parse_jalali_date(text: str, *, field: str | None = None) -> date:
    """Read a Jalali date such as «۱۴۰۵/۹/۱» or «1405-09-01»; return its Gregorian date.

    Digits may be Persian, Arabic-Indic or Latin; parts are separated by / - or . with
    optional spaces; the year must lie in 1200–1600. Raises ``ValidationError``.
    """
    value: object = text
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValidationError("تاریخ وارد نشده است", field=field)
    if not isinstance(value, str):
        raise ValidationError("تاریخ باید به‌صورت متن وارد شود", field=field)
    match = _DATE_PATTERN.fullmatch(_INVISIBLE.sub("", to_ascii_digits(value)))
    if match is None:
        raise ValidationError(f"{_INVALID}باید به شکل ۱۴۰۵/۰۹/۰۱ نوشته شود", field=field)
    year, month, day = (int(part) for part in match.groups())
    _check_date(year, month, day, PARSE_MIN_YEAR, PARSE_MAX_YEAR, field)
    return jalali_to_gregorian(year, month, day)
