"""The Excel renderer's building blocks: cached Jalali text, Tehran time, sheet names, widths."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from crm_desktop.persian import format_jalali_datetime, to_tehran
from crm_desktop.reports.xlsx import unique_sheet_name
from crm_desktop.reports.xlsx.style import fit_width, text_width
from crm_desktop.reports.xlsx.values import jalali_local_datetime, tehran_local

moments = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2060, 1, 1), timezones=st.just(UTC))


@settings(max_examples=400, deadline=None)
@given(moments)
def test_cached_jalali_text_matches_format_jalali_datetime(moment: datetime) -> None:
    local = tehran_local(moment)
    assert local.tzinfo is None
    assert local == to_tehran(moment).replace(tzinfo=None)
    assert jalali_local_datetime(local) == format_jalali_datetime(moment)


def test_tehran_local_across_the_old_summer_time_change() -> None:
    # Iran left summer time in 2022; at midnight after 2021-03-21 clocks moved from +03:30 to +04:30.
    before = datetime(2021, 3, 21, 20, 29, tzinfo=UTC)
    after = datetime(2021, 3, 21, 20, 31, tzinfo=UTC)
    assert tehran_local(before) == datetime(2021, 3, 21, 23, 59)
    assert tehran_local(after) == datetime(2021, 3, 22, 1, 1)


def test_sheet_names_are_valid_and_unique() -> None:
    taken = {"خلاصه"}
    assert unique_sheet_name("خلاصه", taken) == "خلاصه (۲)"
    assert unique_sheet_name("a/b\\c[d]e:f*g?h", taken) == "a b c d e f g h"
    long = "درخواست‌های خدمت معوق شعبه مرکزی در فصل پاییز"
    first = unique_sheet_name(long, taken)
    second = unique_sheet_name(long, taken)
    assert len(first) <= 31 and len(second) <= 31 and first != second and second.endswith(" (۲)")
    assert unique_sheet_name("REPORT", taken) == "REPORT"
    assert unique_sheet_name("report", taken) == "report (۲)"  # Excel ignores case
    assert unique_sheet_name("'quoted'", taken) == "quoted"
    assert unique_sheet_name("History", taken) == "History (۲)"  # reserved by Excel
    assert unique_sheet_name("???", taken) == "جدول"


def test_persian_text_is_estimated_wider_than_its_length() -> None:
    persian = "مسئول رسیدگی"
    assert text_width(persian) > len(persian.replace(" ", ""))
    assert text_width("\u200c") == 0
    assert fit_width("کد", ["1"]) >= 6
    assert fit_width("عنوان بسیار بلند یک ستون که باید در چند سطر بشکند", ["۱"]) <= 26  # long headers wrap
    assert fit_width("", ["x" * 500]) == 60
