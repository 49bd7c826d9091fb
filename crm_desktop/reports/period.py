"""Report periods: whole Jalali days in Tehran, as UTC bounds for the queries.

A period runs from the start of its first day to the start of the day after its
last day, Tehran time (half-open, so a request resolved at 23:59 on the last day
counts and one at 00:00 the next day does not). The previous period is the run
of days of the same length just before it: the previous month for a whole
Jalali month, so that «مهر» is compared with «شهریور».
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from crm_desktop.errors import CrmError
from crm_desktop.models.base import to_utc_text
from crm_desktop.persian import (
    format_jalali_date,
    gregorian_to_jalali,
    jalali_month_days,
    jalali_to_gregorian,
    tehran_tz,
)

MAX_DAYS = 3 * 366  # longer periods are a mistake in the dates more often than a wish


class PeriodError(CrmError):
    code = "invalid_period"


@dataclass(frozen=True)
class Period:
    first: date  # Gregorian dates of the first and last Jalali day, inclusive
    last: date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise PeriodError("پایان دوره پیش از آغاز آن است.")
        if self.days > MAX_DAYS:
            raise PeriodError("دوره گزارش نباید از سه سال بیشتر باشد.")

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def start(self) -> datetime:
        """The first instant (Tehran midnight of the first day), aware."""
        return datetime.combine(self.first, time(), tehran_tz())

    @property
    def end(self) -> datetime:
        """The instant just after the period (Tehran midnight after the last day), aware."""
        return datetime.combine(self.last + timedelta(days=1), time(), tehran_tz())

    def bounds(self) -> tuple[str, str]:
        """UTC texts ``[start, end)`` comparable with the stored date-times."""
        return to_utc_text(self.start), to_utc_text(self.end)

    def previous(self) -> Period:
        """The period just before: the previous Jalali month(s) when this one is whole months, else as many days."""
        year, month, day = gregorian_to_jalali(self.first)
        last_year, last_month, last_day = gregorian_to_jalali(self.last)
        whole_months = day == 1 and last_day == jalali_month_days(last_year, last_month)
        if whole_months:
            months = (last_year * 12 + last_month) - (year * 12 + month) + 1
            index = year * 12 + (month - 1) - months
            first = jalali_to_gregorian(index // 12, index % 12 + 1, 1)
            return Period(first, self.first - timedelta(days=1))
        return Period(self.first - timedelta(days=self.days), self.first - timedelta(days=1))

    def label(self) -> str:
        """«۱۴۰۵/۰۷/۰۱ تا ۱۴۰۵/۰۷/۳۰»"""
        return f"{format_jalali_date(self.first)} تا {format_jalali_date(self.last)}"


def jalali_month(year: int, month: int) -> Period:
    first = jalali_to_gregorian(year, month, 1)
    return Period(first, first + timedelta(days=jalali_month_days(year, month) - 1))


def _month_index(today: date) -> int:
    year, month, _day = gregorian_to_jalali(today)
    return year * 12 + month - 1


def this_month(today: date) -> Period:
    index = _month_index(today)
    return jalali_month(index // 12, index % 12 + 1)


def last_month(today: date) -> Period:
    index = _month_index(today) - 1
    return jalali_month(index // 12, index % 12 + 1)


def this_quarter(today: date) -> Period:
    """The Jalali season: months 1–3, 4–6, 7–9 or 10–12."""
    year, month, _day = gregorian_to_jalali(today)
    first_month = (month - 1) // 3 * 3 + 1
    return Period(jalali_month(year, first_month).first, jalali_month(year, first_month + 2).last)


def this_year(today: date) -> Period:
    year, _month, _day = gregorian_to_jalali(today)
    return Period(jalali_month(year, 1).first, jalali_month(year, 12).last)


PRESETS = {
    "this_month": this_month,
    "last_month": last_month,
    "this_quarter": this_quarter,
    "this_year": this_year,
}
