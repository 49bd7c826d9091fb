"""Tests for the Jalali calendar helpers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from itertools import pairwise
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pytest

from crm_desktop.errors import CrmError
from crm_desktop.persian import (
    JALALI_MONTHS,
    JALALI_WEEKDAYS,
    ValidationError,
    format_jalali_date,
    format_jalali_datetime,
    gregorian_to_jalali,
    is_jalali_leap,
    jalali_month_days,
    jalali_month_range,
    jalali_to_gregorian,
    parse_jalali_date,
    tehran_tz,
)
from crm_desktop.persian import jalali as jalali_module

KNOWN = [
    ((1405, 9, 1), date(2026, 11, 22)),
    ((1405, 1, 1), date(2026, 3, 21)),
    ((1404, 1, 1), date(2025, 3, 21)),
    ((1403, 1, 1), date(2024, 3, 20)),
    ((1403, 12, 30), date(2025, 3, 20)),
    ((1399, 12, 30), date(2021, 3, 20)),
    ((1357, 11, 22), date(1979, 2, 11)),
    ((1300, 1, 1), date(1921, 3, 21)),
]


@pytest.mark.parametrize(("jalali", "gregorian"), KNOWN)
def test_known_conversions(jalali: tuple[int, int, int], gregorian: date) -> None:
    assert jalali_to_gregorian(*jalali) == gregorian
    assert gregorian_to_jalali(gregorian) == jalali


def test_gregorian_to_jalali_uses_datetime_fields() -> None:
    assert gregorian_to_jalali(datetime(2026, 11, 22, 23, 59)) == (1405, 9, 1)


@pytest.mark.parametrize(
    ("year", "leap"),
    [(1399, True), (1400, False), (1403, True), (1404, False), (1405, False), (1408, True)],
)
def test_is_jalali_leap(year: int, leap: bool) -> None:
    assert is_jalali_leap(year) is leap


def test_month_and_weekday_names() -> None:
    assert len(JALALI_MONTHS) == 12
    assert JALALI_MONTHS[0] == "فروردین"
    assert JALALI_MONTHS[6] == "مهر"
    assert JALALI_MONTHS[-1] == "اسفند"
    assert len(JALALI_WEEKDAYS) == 7
    assert JALALI_WEEKDAYS[0] == "شنبه"
    assert JALALI_WEEKDAYS[-1] == "جمعه"
    # 2026-11-22 is a Sunday; Python counts Monday as 0 and Persian weeks start on Saturday.
    assert JALALI_WEEKDAYS[(date(2026, 11, 22).weekday() + 2) % 7] == "یک\u200cشنبه"


def test_month_days() -> None:
    assert [jalali_month_days(1405, m) for m in range(1, 13)] == [31] * 6 + [30] * 5 + [29]
    assert jalali_month_days(1403, 12) == 30


def test_month_range() -> None:
    assert jalali_month_range(1405, 9) == (date(2026, 11, 22), date(2026, 12, 21))
    assert jalali_month_range(1405, 1) == (date(2026, 3, 21), date(2026, 4, 20))
    assert jalali_month_range(1404, 12) == (date(2026, 2, 20), date(2026, 3, 20))
    assert jalali_month_range(1403, 12) == (date(2025, 2, 19), date(2025, 3, 20))


def test_month_ranges_tile_a_year() -> None:
    ranges = [jalali_month_range(1402, m) for m in range(1, 13)]
    for (_, last), (first, _) in pairwise(ranges):
        assert first == last + timedelta(days=1)
    assert ranges[-1][1] + timedelta(days=1) == jalali_to_gregorian(1403, 1, 1)


def test_format_date() -> None:
    assert format_jalali_date(date(2026, 11, 22)) == "۱۴۰۵/۰۹/۰۱"
    assert format_jalali_date(date(2024, 3, 20)) == "۱۴۰۳/۰۱/۰۱"


def test_format_date_moves_datetimes_to_tehran() -> None:
    # 21:00 UTC is 00:30 the next day in Tehran.
    assert format_jalali_date(datetime(2026, 11, 21, 21, 0, tzinfo=UTC)) == "۱۴۰۵/۰۹/۰۱"
    assert format_jalali_date(datetime(2026, 11, 21, 20, 0, tzinfo=UTC)) == "۱۴۰۵/۰۸/۳۰"
    assert format_jalali_date(datetime(2026, 11, 21, 21, 0)) == "۱۴۰۵/۰۹/۰۱"  # naive = UTC
    new_york = timezone(timedelta(hours=-5))
    assert format_jalali_date(datetime(2026, 11, 21, 16, 0, tzinfo=new_york)) == "۱۴۰۵/۰۹/۰۱"


def test_format_datetime() -> None:
    assert format_jalali_datetime(datetime(2026, 11, 22, 10, 35)) == "۱۴۰۵/۰۹/۰۱ ۱۴:۰۵"
    assert format_jalali_datetime(datetime(2026, 11, 22, 10, 35, 59, tzinfo=UTC)) == "۱۴۰۵/۰۹/۰۱ ۱۴:۰۵"
    tehran = datetime(2026, 11, 22, 14, 5, tzinfo=ZoneInfo("Asia/Tehran"))
    assert format_jalali_datetime(tehran) == "۱۴۰۵/۰۹/۰۱ ۱۴:۰۵"
    assert format_jalali_datetime(datetime(2026, 11, 21, 20, 30)) == "۱۴۰۵/۰۹/۰۱ ۰۰:۰۰"


def test_format_datetime_rejects_plain_date() -> None:
    with pytest.raises(TypeError):
        format_jalali_datetime(date(2026, 11, 22))  # type: ignore[arg-type]


def test_tehran_fallback_without_tzdata(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(key: str) -> ZoneInfo:
        raise ZoneInfoNotFoundError(key)

    with monkeypatch.context() as patch:
        patch.setattr(jalali_module, "ZoneInfo", missing)
        tehran_tz.cache_clear()
        try:
            assert tehran_tz().utcoffset(None) == timedelta(hours=3, minutes=30)
            assert format_jalali_datetime(datetime(2026, 11, 22, 10, 35)) == "۱۴۰۵/۰۹/۰۱ ۱۴:۰۵"
            assert format_jalali_date(datetime(2026, 11, 21, 21, 0, tzinfo=UTC)) == "۱۴۰۵/۰۹/۰۱"
        finally:
            tehran_tz.cache_clear()
    assert isinstance(tehran_tz(), ZoneInfo)


@pytest.mark.parametrize(
    "text",
    [
        "۱۴۰۵/۹/۱",
        "۱۴۰۵/۰۹/۰۱",
        "1405-09-01",
        "1405/9/1",
        "1405.9.1",
        "١٤٠٥/٠٩/٠١",
        " 1405 / 09 / 01 ",
        "\u200f۱۴۰۵/۰۹/۰۱\u200e",
    ],
)
def test_parse_accepts_common_forms(text: str) -> None:
    assert parse_jalali_date(text) == date(2026, 11, 22)


def test_parse_accepts_leap_esfand_30() -> None:
    assert parse_jalali_date("1403/12/30") == date(2025, 3, 20)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("1405/13/01", "ماه باید بین ۱ و ۱۲ باشد"),
        ("1405/00/01", "ماه باید بین ۱ و ۱۲ باشد"),
        ("1405/09/00", "روز باید بین ۱ و ۳۱ باشد"),
        ("1405/01/32", "روز باید بین ۱ و ۳۱ باشد"),
        ("1405/07/31", "مهر ۱۴۰۵ فقط ۳۰ روز دارد"),
        ("1405/11/31", "بهمن ۱۴۰۵ فقط ۳۰ روز دارد"),
        ("1405/12/31", "اسفند ۱۴۰۵ فقط ۲۹ روز دارد"),
        ("1404/12/30", "اسفند ۱۴۰۴ فقط ۲۹ روز دارد"),
        ("1199/01/01", "سال باید بین ۱۲۰۰ و ۱۶۰۰ باشد"),
        ("1601/01/01", "سال باید بین ۱۲۰۰ و ۱۶۰۰ باشد"),
        ("05/09/01", "سال باید بین ۱۲۰۰ و ۱۶۰۰ باشد"),
        ("1405/09", "۱۴۰۵/۰۹/۰۱"),
        ("1405//01", "۱۴۰۵/۰۹/۰۱"),
        ("1405/09/", "۱۴۰۵/۰۹/۰۱"),
        ("امروز", "۱۴۰۵/۰۹/۰۱"),
        ("1405/09/01/02", "۱۴۰۵/۰۹/۰۱"),
        ("14050901", "۱۴۰۵/۰۹/۰۱"),
        ("1405/a/01", "۱۴۰۵/۰۹/۰۱"),
        ("-1405/09/01", "۱۴۰۵/۰۹/۰۱"),
        ("1405/009/01", "۱۴۰۵/۰۹/۰۱"),
    ],
)
def test_parse_rejects_impossible_dates(text: str, reason: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_jalali_date(text)
    assert info.value.message.startswith("تاریخ نامعتبر است: ")
    assert reason in info.value.message
    assert info.value.code == "validation"


@pytest.mark.parametrize("text", ["", "   ", None])
def test_parse_rejects_missing_text(text: str | None) -> None:
    with pytest.raises(ValidationError, match="تاریخ وارد نشده است"):
        parse_jalali_date(text)  # type: ignore[arg-type]


def test_parse_rejects_non_text_and_sets_field() -> None:
    with pytest.raises(ValidationError) as info:
        parse_jalali_date(14050901, field="birth_date")  # type: ignore[arg-type]
    assert info.value.field == "birth_date"
    with pytest.raises(ValidationError) as info:
        parse_jalali_date("1405/13/1", field="birth_date")
    assert info.value.field == "birth_date"


@pytest.mark.parametrize("args", [(1405, 13, 1), (1405, 7, 31), (1404, 12, 30), (0, 1, 1), (1405, 1, 0)])
def test_jalali_to_gregorian_rejects_impossible_dates(args: tuple[int, int, int]) -> None:
    with pytest.raises(ValidationError) as info:
        jalali_to_gregorian(*args)
    assert isinstance(info.value, CrmError)
    assert isinstance(info.value, ValueError)


def test_out_of_calendar_range() -> None:
    with pytest.raises(ValidationError):
        gregorian_to_jalali(date(1, 1, 1))
    with pytest.raises(ValidationError):
        is_jalali_leap(0)
    with pytest.raises(ValidationError):
        jalali_month_range(1405, 0)


def test_exhaustive_round_trip_1300_to_1500() -> None:
    day = jalali_to_gregorian(1300, 1, 1)
    end = jalali_to_gregorian(1501, 1, 1)
    expected = (1300, 1, 1)
    while day < end:
        jalali = gregorian_to_jalali(day)
        assert jalali == expected, day
        assert jalali_to_gregorian(*jalali) == day
        y, m, d = jalali
        expected = (y, m, d + 1) if d < jalali_month_days(y, m) else ((y, m + 1, 1) if m < 12 else (y + 1, 1, 1))
        day += timedelta(days=1)
    assert expected == (1501, 1, 1)
