"""export_table_xlsx: one list as a one-sheet workbook, read back with openpyxl."""

from __future__ import annotations

import tempfile
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from crm_desktop.errors import Cancelled
from crm_desktop.persian import format_jalali_date, format_jalali_datetime
from crm_desktop.progress import CancellableProgress
from crm_desktop.reports.document import Column, Kind, Table, Value
from crm_desktop.reports.xlsx import export_table_xlsx

from .support import (
    FIRST_DATA_ROW,
    HEADER_ROW,
    REQUEST_COLUMNS,
    REQUEST_HEADERS,
    OneShot,
    load,
    request_row,
    request_rows,
    request_table,
    zip_text,
)


@pytest.fixture
def target(tmp_path: Path) -> Path:
    return tmp_path / "list.xlsx"


def data_rows(path: Path) -> list[tuple[object, ...]]:
    ws = load(path).active
    return [tuple(row) for row in ws.iter_rows(min_row=FIRST_DATA_ROW, values_only=True)]


def test_layout_right_to_left_header_freeze_and_filter(target: Path) -> None:
    written = export_table_xlsx(request_table(30), target, title="درخواست‌ها", subtitle="شعبه مرکزی (۱۰۱)")
    assert written == 30
    wb = load(target)
    assert wb.sheetnames == ["درخواست‌ها"]  # the title given (or table.sheet_name when set)
    ws = wb.active
    assert ws.sheet_view.rightToLeft is True
    assert ws["A1"].value == "درخواست‌ها"
    assert ws["A1"].font.b
    assert ws["A2"].value.startswith("شعبه مرکزی (۱۰۱) — تهیه‌شده در ")
    assert "ساعت‌ها به وقت تهران" in ws["A2"].value
    header = [cell.value for cell in ws[HEADER_ROW]]
    assert header == REQUEST_HEADERS
    first = ws.cell(HEADER_ROW, 1)
    assert first.font.b and first.fill.fgColor.rgb.endswith("DDEBF7")
    assert first.border.bottom.style == "thin" and first.alignment.wrap_text
    assert ws.freeze_panes == f"A{HEADER_ROW + 1}"
    assert ws.auto_filter.ref == f"A{HEADER_ROW}:J{HEADER_ROW + 30}"
    assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"  # the header repeats on printed pages
    assert ws.cell(HEADER_ROW, 3).comment is not None  # the date-time column says «Tehran time»


def test_values_keep_their_types(target: Path) -> None:
    export_table_xlsx(request_table(12), target, title="t")
    ws = load(target).active
    for offset in range(12):
        source = request_row(offset)
        row = [cell for cell in ws[FIRST_DATA_ROW + offset]]
        code, customer, opened, opened_fa, delay, count, share, score, birth, birth_fa = row
        assert code.value == source[0] and code.data_type == "s"  # national ID keeps its leading zeros
        assert customer.value == source[1]
        assert isinstance(opened.value, datetime) and opened.value.tzinfo is None
        assert opened.number_format == "yyyy-mm-dd h:mm:ss"
        assert opened_fa.value == format_jalali_datetime(source[2])  # type: ignore[arg-type]
        assert isinstance(delay.value, int | float) and delay.value == source[3]
        assert delay.number_format == "#,##0.0"
        assert type(count.value) is int and count.number_format == "#,##0"
        assert isinstance(share.value, float) and share.value == 0.875 and share.number_format == "0.0%"
        assert isinstance(score.value, float) and score.number_format == "#,##0.00"
        assert birth.value == datetime.combine(source[7], datetime.min.time())  # type: ignore[arg-type]
        assert birth.number_format == "yyyy-mm-dd"
        assert birth_fa.value == format_jalali_date(source[7])  # type: ignore[arg-type]


def test_datetimes_are_tehran_wall_clock(target: Path) -> None:
    moments = [
        datetime(2026, 10, 1, 6, 30, tzinfo=UTC),  # +03:30 → 10:00
        datetime(2021, 6, 1, 6, 30, tzinfo=UTC),  # Iran still kept summer time: +04:30 → 11:00
        datetime(2026, 3, 20, 20, 45, tzinfo=UTC),  # after midnight in Tehran: 1405/01/01 00:15
        datetime(2026, 10, 1, 6, 30),  # naive: taken as UTC
    ]
    table = Table("زمان‌ها", [Column("زمان", Kind.DATETIME)], [[m] for m in moments])
    export_table_xlsx(table, target, title="t")
    rows = data_rows(target)
    assert [r[0] for r in rows] == [
        datetime(2026, 10, 1, 10, 0),
        datetime(2021, 6, 1, 11, 0),
        datetime(2026, 3, 21, 0, 15),
        datetime(2026, 10, 1, 10, 0),
    ]
    assert [r[1] for r in rows] == ["۱۴۰۵/۰۷/۰۹ ۱۰:۰۰", "۱۴۰۰/۰۳/۱۱ ۱۱:۰۰", "۱۴۰۵/۰۱/۰۱ ۰۰:۱۵", "۱۴۰۵/۰۷/۰۹ ۱۰:۰۰"]


def test_none_is_an_empty_cell_and_odd_values_become_text(target: Path) -> None:
    columns = [Column("متن"), Column("عدد", Kind.INTEGER), Column("تاریخ", Kind.DATE), Column("کد", Kind.CODE)]
    rows: list[list[Value]] = [
        [None, None, None, None],
        [12345, "نامشخص", "—", 42],
        [date(2026, 3, 21), 7, date(2026, 3, 21), "007"],
    ]
    export_table_xlsx(Table("t", columns, rows), target, title="t")
    got = data_rows(target)
    assert got[0] == (None, None, None, None, None)
    assert got[1] == ("۱۲٬۳۴۵", "نامشخص", "—", None, "42")
    assert got[2] == ("۱۴۰۵/۰۱/۰۱", 7, datetime(2026, 3, 21), "۱۴۰۵/۰۱/۰۱", "007")


@pytest.mark.parametrize(
    "text", ['=HYPERLINK("http://x","y")', "=1+1", "+98 912 000 0000", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "#N/A"]
)
def test_formula_injection_is_neutralised(target: Path, text: str) -> None:
    table = Table("t", [Column("یادداشت"), Column("کد", Kind.CODE)], [[text, text]], totals=[text, None])
    export_table_xlsx(table, target, title=text, subtitle=text)
    sheet_xml = zip_text(target, "xl/worksheets/sheet1.xml")
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    assert 't="e"' not in sheet_xml
    ws = load(target).active
    for cell in (ws.cell(FIRST_DATA_ROW, 1), ws.cell(FIRST_DATA_ROW, 2), ws.cell(FIRST_DATA_ROW + 1, 1), ws["A1"]):
        # kept exactly, no apostrophe added (without lxml, XML reads a lone CR back as LF)
        assert cell.value in (text, text.replace("\r", "\n"))
        assert cell.data_type == "s"
        assert cell.quotePrefix  # Excel keeps it text even when the cell is edited


def test_plain_text_is_not_marked(target: Path) -> None:
    export_table_xlsx(Table("t", [Column("متن")], [["سلام"], ["a=b"]]), target, title="t")
    ws = load(target).active
    assert [ws.cell(FIRST_DATA_ROW + i, 1).quotePrefix for i in range(2)] == [False, False]


def test_control_characters_are_dropped(target: Path) -> None:
    export_table_xlsx(Table("t", [Column("متن")], [["الف\x00ب\x1bپ"]]), target, title="t")
    assert data_rows(target) == [("الفبپ",)]


def test_totals_row_is_bold_after_the_data_and_outside_the_filter(target: Path) -> None:
    totals = ["جمع", None, None, 75.0, 435, 0.5, None, None]
    export_table_xlsx(request_table(30, totals=totals), target, title="t")
    ws = load(target).active
    last = HEADER_ROW + 30 + 1
    assert ws.max_row == last
    assert ws.auto_filter.ref == f"A{HEADER_ROW}:J{last - 1}"
    values = [cell.value for cell in ws[last]]
    assert values == ["جمع", None, None, None, 75, 435, 0.5, None, None, None]
    assert all(cell.font.b for cell in ws[last])
    assert ws.cell(last, 5).number_format == "#,##0.0" and ws.cell(last, 7).number_format == "0.0%"


def test_empty_table_shows_its_text(target: Path) -> None:
    table = Table("t", REQUEST_COLUMNS, iter(()), empty_text="موردی یافت نشد.")
    assert export_table_xlsx(table, target, title="t") == 0
    ws = load(target).active
    assert [cell.value for cell in ws[HEADER_ROW]] == REQUEST_HEADERS
    assert ws.cell(FIRST_DATA_ROW, 1).value == "موردی یافت نشد."
    assert ws.auto_filter.ref == f"A{HEADER_ROW}:J{HEADER_ROW}"


def test_rows_are_read_once_and_all_written(target: Path) -> None:
    rows = OneShot(request_rows(450))  # more than the rows sampled for the widths
    assert export_table_xlsx(Table("t", REQUEST_COLUMNS, rows), target, title="t") == 450
    assert rows.iterations == 1 and rows.yielded == 450
    got = data_rows(target)
    assert len(got) == 450
    assert [r[0] for r in got] == [f"{i:010d}" for i in range(450)]  # order kept across the sample boundary


def test_column_widths_fit_persian_text(target: Path) -> None:
    long_name = "شرکت سرمایه‌گذاری توسعه صنایع پتروشیمی خلیج فارس"
    table = Table(
        "t",
        [Column("کد", Kind.CODE), Column("نام مشتری"), Column("زمان", Kind.DATETIME)],
        [["0012345678", long_name, datetime(2026, 1, 1, tzinfo=UTC)], ["1", "علی", None]],
    )
    export_table_xlsx(table, target, title="t")
    ws = load(target).active
    widths = {letter: ws.column_dimensions[letter].width for letter in "ABCD"}
    assert widths["B"] > len(long_name)  # Persian letters are wider than the width unit («0»)
    assert 10 <= widths["A"] < widths["B"]
    assert widths["C"] >= len("2026-01-01 03:30:00") and widths["D"] >= len("۱۴۰۴/۱۰/۱۱ ۰۳:۳۰")
    assert ws.row_dimensions[HEADER_ROW].height >= 15


def test_progress_reports_and_cancel_leaves_no_file(
    target: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    private_temp = tmp_path / "temp"  # where openpyxl streams its sheets, away from other processes
    private_temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private_temp))
    target.write_bytes(b"old report")  # a previous export stays untouched
    progress = CancellableProgress()
    seen: list[int] = []

    def rows():  # type: ignore[no-untyped-def]
        for i in range(5000):
            if i == 2500:
                progress.cancel()
            yield request_row(i)
            seen.append(i)

    with pytest.raises(Cancelled):
        export_table_xlsx(Table("t", REQUEST_COLUMNS, rows(), row_count=5000), target, title="t", progress=progress)
    assert progress.snapshot()[:2] == (3000, 5000)  # reported every 1,000 rows; stopped at the next check
    assert len(seen) < 3001
    assert target.read_bytes() == b"old report"
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name, "temp"]  # no temporary file left
    assert list(private_temp.iterdir()) == []  # openpyxl's half-written sheet is deleted too


def test_error_in_rows_leaves_no_file(target: Path) -> None:
    def rows():  # type: ignore[no-untyped-def]
        yield request_row(0)
        raise RuntimeError("database gone")

    with pytest.raises(RuntimeError):
        export_table_xlsx(Table("t", REQUEST_COLUMNS, rows()), target, title="t")
    assert list(target.parent.iterdir()) == []


def test_generator_is_closed_when_cancelled(target: Path) -> None:
    progress = CancellableProgress()
    closed: list[bool] = []

    def rows():  # type: ignore[no-untyped-def]
        try:
            for i in range(5000):
                if i == 10:
                    progress.cancel()
                yield request_row(i)
        finally:
            closed.append(True)  # a database cursor would be released here

    with pytest.raises(Cancelled):
        export_table_xlsx(Table("t", REQUEST_COLUMNS, rows()), target, title="t", progress=progress)
    assert closed == [True]
    assert not target.exists()


def _peak(path: Path, n: int) -> int:
    columns = [Column("نام"), Column("زمان", Kind.DATETIME)]
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    rows: Iterator[list[Value]] = (["مریم احمدی", moment] for _ in range(n))
    tracemalloc.start()
    try:
        export_table_xlsx(Table("t", columns, rows), path, title="t")
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_rows(tmp_path: Path) -> None:
    _peak(tmp_path / "warm.xlsx", 10)  # imports and caches
    small = _peak(tmp_path / "small.xlsx", 1_000)
    large = _peak(tmp_path / "large.xlsx", 8_000)
    # Holding the 7,000 extra rows would cost over a megabyte; streaming costs nothing per row
    # (measured here: about 450 KB peak for 1,000, 10,000 and 20,000 rows alike).
    assert large < small + 256 * 1024, (small, large)
