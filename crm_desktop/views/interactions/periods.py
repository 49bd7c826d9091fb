"""Quick period choices of the interactions list: today, this Jalali week (Saturday first), this Jalali month."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum

from crm_desktop.persian import gregorian_to_jalali, jalali_month_range, to_tehran

#: The open ends of a period with only one bound (the service wants both).
EARLIEST = date(1900, 1, 1)
LATEST = date(2999, 12, 31)


class QuickPeriod(StrEnum):
    ANY = "any"
    TODAY = "today"
    WEEK = "week"
    MONTH = "month"
    CUSTOM = "custom"


def local_today(now: datetime) -> date:
    """The date in Tehran at UTC moment ``now``."""
    return to_tehran(now).date()


def jalali_week(day: date) -> tuple[date, date]:
    """Saturday to Friday around ``day`` (Python's weekday: Monday 0 ... Saturday 5)."""
    start = day - timedelta(days=(day.weekday() - 5) % 7)
    return start, start + timedelta(days=6)


def jalali_month(day: date) -> tuple[date, date]:
    year, month, _ = gregorian_to_jalali(day)
    return jalali_month_range(year, month)


def quick_range(choice: QuickPeriod, today: date) -> tuple[date, date] | None:
    """The dates a quick choice stands for; None for any time (and for custom, which has its own dates)."""
    if choice == QuickPeriod.TODAY:
        return today, today
    if choice == QuickPeriod.WEEK:
        return jalali_week(today)
    if choice == QuickPeriod.MONTH:
        return jalali_month(today)
    return None


def period_of(start: date | None, end: date | None) -> tuple[date, date] | None:
    """The service's inclusive (start, end) for two optional bounds; None when both are open."""
    if start is None and end is None:
        return None
    return start or EARLIEST, end or LATEST
