"""SLA due times counted in working hours on a working-week calendar.

Every datetime going in or out is timezone-aware UTC; the calendar's ``tz``
decides which local days and hours are working time.  The clock is walked one
working period (one local day) at a time, so long targets and long holiday
runs stay cheap.  Pure: no database, no Qt, no implicit "now".
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Final

from crm_desktop.errors import CrmError
from crm_desktop.persian import tehran_tz

Interval = tuple[datetime, datetime]
Pause = tuple[datetime, datetime | None]

MAX_IDLE_DAYS: Final = 3660
"""Give up when this many consecutive local days contain no working time."""

_ZERO: Final = timedelta(0)


@dataclass(frozen=True)
class WorkCalendar:
    """Working days and hours; weekdays are Python's (Monday=0), holidays are local dates."""

    workdays: frozenset[int] = frozenset({5, 6, 0, 1, 2})  # Saturday–Wednesday
    day_start: time = time(7, 30)
    day_end: time = time(14, 30)
    holidays: frozenset[date] = frozenset()
    tz: tzinfo = field(default_factory=tehran_tz)

    def __post_init__(self) -> None:
        # Accept any iterable from callers but keep the dataclass hashable.
        object.__setattr__(self, "workdays", frozenset(self.workdays))
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        if not self.workdays:
            raise CrmError("تقویم کاری باید دست‌کم یک روز کاری داشته باشد.", field="workdays")
        if not self.workdays <= set(range(7)):
            raise CrmError("روزهای کاری باید عددی بین ۰ تا ۶ باشند.", field="workdays")
        if self.day_start >= self.day_end:
            raise CrmError("ساعت شروع کار باید پیش از ساعت پایان کار باشد.", field="day_start")

    def is_working_day(self, day: date) -> bool:
        """Whether the local date ``day`` has working hours."""
        return day.weekday() in self.workdays and day not in self.holidays

    def period(self, day: date) -> Interval | None:
        """The UTC working period of local date ``day``, or ``None`` on a day off."""
        if not self.is_working_day(day):
            return None
        start = datetime.combine(day, self.day_start, self.tz).astimezone(UTC)
        end = datetime.combine(day, self.day_end, self.tz).astimezone(UTC)
        # A DST jump can swallow a short working day entirely.
        return (start, end) if start < end else None


def default_calendar(holidays: Iterable[date] = ()) -> WorkCalendar:
    """Saturday–Wednesday, 07:30–14:30 Tehran time, with the given holidays."""
    return WorkCalendar(holidays=frozenset(holidays))


@dataclass(frozen=True)
class SlaPolicy:
    """SLA targets (working time) for one request category and priority."""

    category: str
    priority: str
    target: timedelta
    first_response: timedelta | None = None

    def __post_init__(self) -> None:
        if self.target <= _ZERO:
            raise CrmError("مهلت رسیدگی باید بیشتر از صفر باشد.", field="target")
        if self.first_response is not None and self.first_response <= _ZERO:
            raise CrmError("مهلت اولین پاسخ باید بیشتر از صفر باشد.", field="first_response")


DEFAULT_TARGET_HOURS: Final[dict[str, float]] = {"urgent": 4, "high": 8, "normal": 21, "low": 35}
"""Working hours to resolve, by priority, when no policy row exists (7-hour days)."""


def default_target(priority: str) -> timedelta:
    """The default resolution target for ``priority``."""
    try:
        return timedelta(hours=DEFAULT_TARGET_HOURS[priority])
    except KeyError:
        raise CrmError(
            f"اولویت «{priority}» شناخته‌شده نیست.", field="priority", code="unknown_priority"
        ) from None


# --- walking the clock ------------------------------------------------------


def _utc(value: datetime, name: str) -> datetime:
    """``value`` in UTC; naive datetimes are a programming error."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got naive {value!r}")
    return value.astimezone(UTC)


def _non_negative(value: timedelta, name: str) -> None:
    if value < _ZERO:
        raise ValueError(f"{name} must not be negative, got {value!r}")


def _working_periods(start: datetime, cal: WorkCalendar) -> Iterator[Interval]:
    """Non-empty UTC working periods from ``start`` onwards (the first one clipped)."""
    day = start.astimezone(cal.tz).date()
    idle = 0
    while True:
        period = cal.period(day)
        if period is None:
            idle += 1
            if idle > MAX_IDLE_DAYS:
                raise CrmError("در تقویم کاری، تا ده سال آینده هیچ روز کاری پیدا نشد.", code="no_working_day")
        else:
            idle = 0
            if period[1] > start:
                yield max(period[0], start), period[1]
        day += timedelta(days=1)


def _normalize_pauses(pauses: Sequence[Pause], now: datetime | None) -> list[Interval]:
    """Pauses in UTC, open ones closed at ``now``, sorted and merged."""
    closed: list[Interval] = []
    for begin, end in pauses:
        if end is None:
            if now is None:
                raise ValueError("an open pause (end=None) needs `now`")
            end = now
        b, e = _utc(begin, "pause start"), _utc(end, "pause end")
        if e > b:
            closed.append((b, e))
    merged: list[Interval] = []
    for b, e in sorted(closed):
        if merged and b <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((b, e))
    return merged


def _subtract(period: Interval, pauses: Sequence[Interval]) -> Iterator[Interval]:
    """The non-empty parts of ``period`` outside the sorted, merged ``pauses``."""
    start, end = period
    for p_start, p_end in pauses:
        if p_end <= start:
            continue
        if p_start >= end:
            break
        if p_start > start:
            yield start, p_start
        start = p_end
        if start >= end:
            return
    yield start, end


def _clock(start: datetime, cal: WorkCalendar, pauses: Sequence[Interval]) -> Iterator[Interval]:
    """UTC intervals during which the SLA clock runs, from ``start`` onwards."""
    for period in _working_periods(start, cal):
        yield from _subtract(period, pauses)


def _consume(start: datetime, duration: timedelta, cal: WorkCalendar, pauses: Sequence[Interval]) -> datetime:
    """The instant at which ``duration`` of running clock has elapsed since ``start``."""
    if duration == _ZERO:
        return start
    remaining = duration
    for begin, end in _clock(start, cal, pauses):
        if remaining <= end - begin:
            return begin + remaining
        remaining -= end - begin
    raise AssertionError("unreachable: the working clock never ends")  # pragma: no cover


def _measure(start: datetime, end: datetime, cal: WorkCalendar, pauses: Sequence[Interval]) -> timedelta:
    """Running-clock time within ``[start, end)``."""
    total = _ZERO
    if end <= start:
        return total
    for begin, stop in _clock(start, cal, pauses):
        if begin >= end:
            break
        total += min(stop, end) - begin
    return total


# --- public API -------------------------------------------------------------


def add_working_time(start_utc: datetime, duration: timedelta, cal: WorkCalendar) -> datetime:
    """When ``duration`` of working time has elapsed from ``start_utc`` (UTC in, UTC out).

    Outside working hours counting starts at the next working period; a zero
    duration returns ``start_utc`` itself.
    """
    start = _utc(start_utc, "start_utc")
    _non_negative(duration, "duration")
    return _consume(start, duration, cal, ())


def working_time_between(start_utc: datetime, end_utc: datetime, cal: WorkCalendar) -> timedelta:
    """Working time within ``[start_utc, end_utc)``; zero when ``end_utc <= start_utc``."""
    return _measure(_utc(start_utc, "start_utc"), _utc(end_utc, "end_utc"), cal, ())


def due_time(
    opened_utc: datetime,
    target: timedelta,
    cal: WorkCalendar,
    pauses: Sequence[Pause] = (),
    now: datetime | None = None,
) -> datetime:
    """The due instant: ``target`` of working time from ``opened_utc``, pauses excluded.

    ``pauses`` are UTC ``(start, end)`` intervals; an open pause (``end=None``)
    is treated as ending at ``now``, which is then required.
    """
    opened = _utc(opened_utc, "opened_utc")
    _non_negative(target, "target")
    now_utc = None if now is None else _utc(now, "now")
    return _consume(opened, target, cal, _normalize_pauses(pauses, now_utc))


def sla_elapsed(
    opened_utc: datetime,
    now_utc: datetime,
    cal: WorkCalendar,
    pauses: Sequence[Pause] = (),
) -> timedelta:
    """Working time elapsed from ``opened_utc`` to ``now_utc``, pauses excluded (open ones end now)."""
    opened, now = _utc(opened_utc, "opened_utc"), _utc(now_utc, "now_utc")
    return _measure(opened, now, cal, _normalize_pauses(pauses, now))


def is_overdue(due_utc: datetime, now_utc: datetime) -> bool:
    """Whether the due instant has been reached."""
    return _utc(now_utc, "now_utc") >= _utc(due_utc, "due_utc")


def due_soon(
    due_utc: datetime,
    now_utc: datetime,
    cal: WorkCalendar,
    window: timedelta = timedelta(hours=2),
) -> bool:
    """Not yet overdue, and at most ``window`` of working time before the due instant."""
    due, now = _utc(due_utc, "due_utc"), _utc(now_utc, "now_utc")
    return now < due and _measure(now, due, cal, ()) <= window
