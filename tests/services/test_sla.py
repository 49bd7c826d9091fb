"""Tests for SLA working-time arithmetic."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crm_desktop.errors import CrmError
from crm_desktop.services.sla import (
    DEFAULT_TARGET_HOURS,
    SlaPolicy,
    WorkCalendar,
    add_working_time,
    default_calendar,
    default_target,
    due_soon,
    due_time,
    is_overdue,
    sla_elapsed,
    working_time_between,
)

TEHRAN = ZoneInfo("Asia/Tehran")
CAL = default_calendar()
H = timedelta(hours=1)


def tehran(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    """A Tehran wall-clock time, as UTC."""
    return datetime(y, m, d, hh, mm, tzinfo=TEHRAN).astimezone(UTC)


# 2025-01-01 is a Wednesday; 01-02 Thursday, 01-03 Friday, 01-04 Saturday.
WED = (2025, 1, 1)
SAT = (2025, 1, 4)


# --- calendar ---------------------------------------------------------------


def test_default_calendar() -> None:
    assert CAL.workdays == {5, 6, 0, 1, 2}
    assert (CAL.day_start, CAL.day_end) == (time(7, 30), time(14, 30))
    assert CAL.holidays == frozenset()
    assert CAL.tz.utcoffset(datetime(2025, 1, 1)) == timedelta(hours=3, minutes=30)
    assert default_calendar(holidays=[date(2025, 1, 4)]).holidays == {date(2025, 1, 4)}
    assert not CAL.is_working_day(date(2025, 1, 2))  # Thursday
    assert not CAL.is_working_day(date(2025, 1, 3))  # Friday
    assert CAL.is_working_day(date(2025, 1, 4))  # Saturday


def test_calendar_accepts_plain_sets_and_stays_hashable() -> None:
    cal = WorkCalendar(workdays={0, 1}, holidays={date(2025, 1, 6)})  # type: ignore[arg-type]
    assert isinstance(cal.workdays, frozenset) and isinstance(cal.holidays, frozenset)
    assert hash(cal) == hash(WorkCalendar(workdays=frozenset({0, 1}), holidays=frozenset({date(2025, 1, 6)})))


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"day_start": time(14, 30), "day_end": time(7, 30)}, "day_start"),
        ({"day_start": time(8), "day_end": time(8)}, "day_start"),
        ({"workdays": frozenset()}, "workdays"),
        ({"workdays": frozenset({7})}, "workdays"),
    ],
)
def test_calendar_validation(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(CrmError) as info:
        WorkCalendar(**kwargs)  # type: ignore[arg-type]
    assert info.value.field == field
    assert "ی" in info.value.message and "ي" not in info.value.message


def test_fixed_tehran_offset_without_tzdata() -> None:
    # Without tzdata (crm_desktop.persian.tehran_tz falls back to a fixed +03:30, tested there).
    fixed = WorkCalendar(tz=timezone(timedelta(hours=3, minutes=30)))
    # Since 2022 Iran has no DST, so the fixed offset agrees with the zone.
    assert add_working_time(tehran(*WED, 13, 30), 4 * H, fixed) == tehran(*SAT, 10, 30)


def test_historical_dst_is_respected() -> None:
    # In June 2021 Tehran was on +04:30, so 07:30 local was 03:00 UTC.
    assert CAL.period(date(2021, 6, 1)) == (
        datetime(2021, 6, 1, 3, 0, tzinfo=UTC),
        datetime(2021, 6, 1, 10, 0, tzinfo=UTC),
    )


def test_working_day_swallowed_by_dst_gap_is_skipped() -> None:
    # Berlin springs forward 02:00 -> 03:00 on 2025-03-30 (a Sunday).
    cal = WorkCalendar(
        workdays=frozenset({6}), day_start=time(2, 59), day_end=time(3, 0), tz=ZoneInfo("Europe/Berlin")
    )
    assert cal.period(date(2025, 3, 30)) is None
    assert cal.period(date(2025, 4, 6)) is not None
    start = datetime(2025, 3, 29, tzinfo=UTC)
    assert working_time_between(start, datetime(2025, 4, 1, tzinfo=UTC), cal) == timedelta(0)
    assert add_working_time(start, timedelta(minutes=1), cal) == datetime(2025, 4, 6, 1, 0, tzinfo=UTC)


# --- add_working_time -------------------------------------------------------


def test_wednesday_afternoon_rolls_over_the_weekend() -> None:
    due = add_working_time(tehran(*WED, 13, 30), 4 * H, CAL)
    assert due == tehran(*SAT, 10, 30)
    assert due.tzinfo is UTC


def test_holiday_pushes_due_time() -> None:
    cal = default_calendar(holidays=[date(*SAT)])
    assert add_working_time(tehran(*WED, 13, 30), 4 * H, cal) == tehran(2025, 1, 5, 10, 30)


def test_opened_at_night_counts_from_next_morning() -> None:
    assert add_working_time(tehran(2024, 12, 31, 22, 0), 4 * H, CAL) == tehran(*WED, 11, 30)
    assert add_working_time(tehran(*SAT, 3, 0), 2 * H, CAL) == tehran(*SAT, 9, 30)
    assert add_working_time(tehran(2025, 1, 3, 10, 0), H, CAL) == tehran(*SAT, 8, 30)  # Friday


def test_start_exactly_at_day_end_counts_from_next_working_day() -> None:
    assert add_working_time(tehran(*WED, 14, 30), H, CAL) == tehran(*SAT, 8, 30)


def test_a_full_day_ends_at_day_end_not_next_morning() -> None:
    assert add_working_time(tehran(*SAT, 7, 30), 7 * H, CAL) == tehran(*SAT, 14, 30)


def test_zero_duration_returns_start_unchanged() -> None:
    start = tehran(2025, 1, 2, 23, 17)  # Thursday night
    assert add_working_time(start, timedelta(0), CAL) == start


def test_many_weeks() -> None:
    # 20 weeks × 5 days × 7 h, from Saturday morning: ends on the 20th Wednesday.
    due = add_working_time(tehran(*SAT, 7, 30), 700 * H, CAL)
    assert due == tehran(2025, 5, 21, 14, 30)
    assert working_time_between(tehran(*SAT, 7, 30), due, CAL) == 700 * H


def test_long_holiday_run() -> None:
    holidays = [date(2025, 1, 4) + timedelta(days=i) for i in range(400)]
    cal = default_calendar(holidays=holidays)
    # 2026-02-08 is the first day after the run; it is a Sunday.
    assert add_working_time(tehran(*WED, 14, 0), H, cal) == tehran(2026, 2, 8, 8, 0)


def test_no_working_day_for_ten_years_raises() -> None:
    first = date(2025, 1, 4)  # Saturday
    cal = WorkCalendar(
        workdays=frozenset({5}),
        holidays=frozenset(first + timedelta(weeks=w) for w in range(600)),
    )
    with pytest.raises(CrmError) as info:
        add_working_time(tehran(*WED), H, cal)
    assert info.value.code == "no_working_day"


def test_naive_and_negative_inputs_are_programming_errors() -> None:
    naive = datetime(2025, 1, 1, 10, 0)
    with pytest.raises(ValueError):
        add_working_time(naive, H, CAL)
    with pytest.raises(ValueError):
        working_time_between(tehran(*WED), naive, CAL)
    with pytest.raises(ValueError):
        due_time(naive, H, CAL)
    with pytest.raises(ValueError):
        add_working_time(tehran(*WED), -H, CAL)


def test_aware_non_utc_input_comes_back_as_utc() -> None:
    start = datetime(2025, 1, 1, 13, 30, tzinfo=TEHRAN)
    due = add_working_time(start, 4 * H, CAL)
    assert due.tzinfo is UTC and due == tehran(*SAT, 10, 30)


# --- working_time_between ---------------------------------------------------


def test_working_time_between_examples() -> None:
    assert working_time_between(tehran(*WED, 13, 30), tehran(*SAT, 10, 30), CAL) == 4 * H
    assert working_time_between(tehran(2025, 1, 2), tehran(2025, 1, 4), CAL) == timedelta(0)
    assert working_time_between(tehran(*SAT, 12), tehran(*SAT, 9), CAL) == timedelta(0)
    assert working_time_between(tehran(*SAT, 9), tehran(*SAT, 9), CAL) == timedelta(0)
    # A whole working week.
    assert working_time_between(tehran(*SAT), tehran(2025, 1, 11), CAL) == 35 * H


# --- due_time with pauses ---------------------------------------------------


def test_due_time_without_pauses_matches_add_working_time() -> None:
    assert due_time(tehran(*WED, 13, 30), 4 * H, CAL) == tehran(*SAT, 10, 30)


def test_pause_stops_the_clock() -> None:
    pauses = [(tehran(*SAT, 8, 30), tehran(*SAT, 9, 30))]
    assert due_time(tehran(*SAT, 7, 30), 4 * H, CAL, pauses) == tehran(*SAT, 12, 30)


def test_pause_over_non_working_time_changes_nothing() -> None:
    pauses = [(tehran(*WED, 14, 30), tehran(*SAT, 7, 30)), (tehran(*SAT, 20), tehran(2025, 1, 5, 6))]
    assert due_time(tehran(*WED, 13, 30), 4 * H, CAL, pauses) == tehran(*SAT, 10, 30)


def test_pause_across_the_weekend_counts_only_working_overlap() -> None:
    # Paused from Wednesday 14:00 to Saturday 08:00: 30 min + 30 min of working time.
    pauses = [(tehran(*WED, 14, 0), tehran(*SAT, 8, 0))]
    assert due_time(tehran(*WED, 13, 30), 4 * H, CAL, pauses) == tehran(*SAT, 11, 30)


def test_overlapping_pauses_are_not_double_counted() -> None:
    pauses = [
        (tehran(*SAT, 9, 0), tehran(*SAT, 10, 0)),
        (tehran(*SAT, 8, 30), tehran(*SAT, 9, 30)),
        (tehran(*SAT, 10, 0), tehran(*SAT, 10, 30)),  # touching
    ]
    assert due_time(tehran(*SAT, 7, 30), 4 * H, CAL, pauses) == tehran(*SAT, 13, 30)


def test_pause_before_opening_is_ignored() -> None:
    pauses = [(tehran(*WED, 8), tehran(*WED, 12))]
    assert due_time(tehran(*WED, 13, 30), 4 * H, CAL, pauses) == tehran(*SAT, 10, 30)


def test_open_pause_ends_at_now() -> None:
    opened = tehran(*SAT, 7, 30)
    pauses: list[tuple[datetime, datetime | None]] = [(tehran(*SAT, 8, 0), None)]
    now = tehran(*SAT, 10, 0)
    assert due_time(opened, 4 * H, CAL, pauses, now=now) == tehran(*SAT, 13, 30)
    assert due_time(opened, 4 * H, CAL, pauses, now=now) == due_time(
        opened, 4 * H, CAL, [(tehran(*SAT, 8, 0), now)]
    )
    with pytest.raises(ValueError):
        due_time(opened, 4 * H, CAL, pauses)


def test_open_pause_spanning_the_weekend() -> None:
    # Waiting on the customer since Wednesday 14:00; now is Saturday 09:00.
    opened = tehran(*WED, 12, 0)
    pauses: list[tuple[datetime, datetime | None]] = [(tehran(*WED, 14, 0), None)]
    due = due_time(opened, 4 * H, CAL, pauses, now=tehran(*SAT, 9, 0))
    # 2 h used on Wednesday, the clock resumes at 09:00 Saturday: 2 h more.
    assert due == tehran(*SAT, 11, 0)


# --- sla_elapsed ------------------------------------------------------------


def test_sla_elapsed() -> None:
    opened = tehran(*SAT, 7, 30)
    now = tehran(*SAT, 12, 0)
    assert sla_elapsed(opened, now, CAL) == timedelta(hours=4, minutes=30)
    closed = [(tehran(*SAT, 8), tehran(*SAT, 9))]
    assert sla_elapsed(opened, now, CAL, closed) == timedelta(hours=3, minutes=30)
    still_open: list[tuple[datetime, datetime | None]] = [*closed, (tehran(*SAT, 11), None)]
    assert sla_elapsed(opened, now, CAL, still_open) == timedelta(hours=2, minutes=30)
    assert sla_elapsed(now, opened, CAL) == timedelta(0)


# --- policies, due_soon -----------------------------------------------------


def test_default_targets() -> None:
    assert DEFAULT_TARGET_HOURS == {"urgent": 4, "high": 8, "normal": 21, "low": 35}
    assert default_target("urgent") == 4 * H
    assert default_target("low") == 35 * H
    with pytest.raises(CrmError) as info:
        default_target("whenever")
    assert info.value.code == "unknown_priority" and info.value.field == "priority"
    assert "«whenever»" in info.value.message


def test_sla_policy() -> None:
    policy = SlaPolicy(category="card", priority="high", target=8 * H, first_response=H)
    assert policy.first_response == H
    assert SlaPolicy("loan", "low", 35 * H).first_response is None
    with pytest.raises(CrmError):
        SlaPolicy("card", "high", timedelta(0))
    with pytest.raises(CrmError):
        SlaPolicy("card", "high", H, first_response=-H)


def test_due_soon_and_overdue() -> None:
    due = tehran(*SAT, 8, 0)
    # Wednesday 14:00 is one working hour before Saturday 08:00.
    assert due_soon(due, tehran(*WED, 14, 0), CAL)
    assert due_soon(due, tehran(2025, 1, 3, 12, 0), CAL)  # Friday
    assert not due_soon(due, tehran(*WED, 11, 0), CAL)  # 4 working hours ahead
    assert due_soon(due, tehran(*WED, 11, 0), CAL, window=4 * H)
    assert not due_soon(due, due, CAL)  # overdue, not "soon"
    assert not due_soon(due, tehran(*SAT, 9, 0), CAL)
    assert is_overdue(due, due) and not is_overdue(due, tehran(*WED, 14, 0))


# --- properties -------------------------------------------------------------

starts = st.datetimes(
    min_value=datetime(2015, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.just(UTC)
)
durations = st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=400))


@st.composite
def calendars(draw: st.DrawFn) -> WorkCalendar:
    workdays = draw(st.frozensets(st.integers(0, 6), min_size=1))
    begin = draw(st.integers(0, 24 * 60 - 2))
    end = draw(st.integers(begin + 1, 24 * 60 - 1))
    holidays = draw(st.frozensets(st.dates(date(2014, 12, 1), date(2036, 12, 31)), max_size=30))
    tz = draw(
        st.sampled_from([TEHRAN, UTC, timezone(timedelta(hours=3, minutes=30)), ZoneInfo("Europe/Berlin")])
    )
    return WorkCalendar(
        workdays=workdays,
        day_start=time(begin // 60, begin % 60),
        day_end=time(end // 60, end % 60),
        holidays=holidays,
        tz=tz,
    )


@settings(deadline=None)
@given(start=starts, duration=durations)
def test_round_trip_default_calendar(start: datetime, duration: timedelta) -> None:
    end = add_working_time(start, duration, CAL)
    assert end >= start and end.tzinfo is UTC
    assert working_time_between(start, end, CAL) == duration


@settings(deadline=None)
@given(start=starts, cal=calendars(), data=st.data())
def test_round_trip_any_calendar(start: datetime, cal: WorkCalendar, data: st.DataObject) -> None:
    # Up to ~10 working weeks of this calendar, to keep tiny-day calendars fast.
    day = datetime.combine(date.min, cal.day_end) - datetime.combine(date.min, cal.day_start)
    week_us = (day * len(cal.workdays)) // timedelta(microseconds=1)
    duration = timedelta(microseconds=data.draw(st.integers(0, 10 * week_us)))
    end = add_working_time(start, duration, cal)
    assert working_time_between(start, end, cal) == duration


@settings(deadline=None)
@given(start=starts, a=durations, b=durations)
def test_between_is_additive(start: datetime, a: timedelta, b: timedelta) -> None:
    middle, end = start + a, start + a + b
    assert working_time_between(start, end, CAL) == (
        working_time_between(start, middle, CAL) + working_time_between(middle, end, CAL)
    )


pause_offsets = st.lists(
    st.tuples(
        st.timedeltas(timedelta(hours=-24), timedelta(days=20)),
        st.timedeltas(timedelta(0), timedelta(days=3)),
    ),
    max_size=5,
)


@settings(deadline=None)
@given(opened=starts, target=durations, offsets=pause_offsets)
def test_due_time_consumes_exactly_the_target(
    opened: datetime, target: timedelta, offsets: list[tuple[timedelta, timedelta]]
) -> None:
    pauses = [(opened + at, opened + at + length) for at, length in offsets]
    due = due_time(opened, target, CAL, pauses)
    assert due >= add_working_time(opened, target, CAL)
    assert sla_elapsed(opened, due, CAL, pauses) == target
