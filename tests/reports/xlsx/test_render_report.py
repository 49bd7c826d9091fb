"""render_xlsx: a whole report as a workbook (summary sheet, charts, one data sheet per table)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from crm_desktop.errors import Cancelled
from crm_desktop.progress import CancellableProgress
from crm_desktop.reports.document import Column, Kind, Section, Table
from crm_desktop.reports.xlsx import render_xlsx

from .support import FIRST_DATA_ROW, HEADER_ROW, load, request_table, sample_document, zip_names, zip_text


@pytest.fixture
def target(tmp_path: Path) -> Path:
    return tmp_path / "report.xlsx"


def summary_rows(path: Path) -> list[tuple[object, ...]]:
    return [tuple(r) for r in load(path)["خلاصه"].iter_rows(values_only=True)]


def find_row(rows: list[tuple[object, ...]], label: str) -> tuple[object, ...]:
    return next(r for r in rows if r and r[0] == label)


def test_sheets_summary_first_then_one_per_table(target: Path) -> None:
    tables = [
        request_table(5),
        Table("درخواست‌های معوق", [Column("شماره", Kind.CODE)], [["1"]], sheet_name="معوق"),
        Table("فهرست درخواست‌های خدمت", [Column("شماره", Kind.CODE)], []),  # same title again
        Table("مشتریان [بخش: ویژه] / حقوقی? * و حقیقی با بیشترین درخواست باز", [Column("نام")], []),
    ]
    render_xlsx(sample_document(tables), target)
    wb = load(target)
    assert wb.sheetnames == [
        "خلاصه",
        "فهرست درخواست‌های خدمت",
        "معوق",
        "فهرست درخواست‌های خدمت (۲)",
        "مشتریان بخش ویژه حقوقی و حقیقی",
    ]
    assert all(len(name) <= 31 for name in wb.sheetnames)
    assert all(ws.sheet_view.rightToLeft for ws in wb.worksheets)
    assert wb.active.title == "خلاصه"


def test_summary_header_figures_and_notes(target: Path) -> None:
    render_xlsx(sample_document(), target)
    rows = summary_rows(target)
    assert rows[0][0] == "گزارش عملکرد شعبه"
    assert find_row(rows, "بانک")[1] == "بانک نمونه"
    assert find_row(rows, "شعبه")[1] == "شعبه مرکزی (۱۰۱)"
    assert find_row(rows, "دوره")[1] == "۱۴۰۵/۰۷/۰۱ تا ۱۴۰۵/۰۷/۳۰"
    assert find_row(rows, "زمان تهیه")[1] == "۱۴۰۵/۰۸/۰۱ ۱۳:۳۰"  # Jalali, Tehran time
    assert find_row(rows, "تهیه‌کننده")[1] == "مدیر سامانه"
    assert find_row(rows, "شاخص")[:4] == ("شاخص", "این دوره", "دوره قبل", "تغییر")
    assert find_row(rows, "مشتریان جدید")[:4] == ("مشتریان جدید", 1234, 1100, 134)
    share = find_row(rows, "سهم حل‌شده در مهلت")
    assert share[1:3] == (0.875, 0.8) and share[3] == pytest.approx(0.075)
    assert find_row(rows, "میانگین رضایت")[:4] == ("میانگین رضایت", 4.25, None, None)
    assert find_row(rows, "مشتریان فعال")[:4] == ("مشتریان فعال", 54321, None, None)
    assert any(r[0] == "شماره شبا IR820540102680020817909002 در گزارش آمده است." for r in rows)
    ws = load(target)["خلاصه"]
    figure_row = next(c.row for c in ws["A"] if c.value == "سهم حل‌شده در مهلت")
    assert ws.cell(figure_row, 2).number_format == "0.0%"
    assert ws.cell(figure_row, 4).number_format == "+0.0%;-0.0%;0.0%"


def test_charts_are_native_with_persian_titles_over_the_summary_cells(target: Path) -> None:
    render_xlsx(sample_document(), target)
    names = zip_names(target)
    assert "xl/charts/chart1.xml" in names and "xl/charts/chart2.xml" in names
    bar, pie = zip_text(target, "xl/charts/chart1.xml"), zip_text(target, "xl/charts/chart2.xml")
    assert "<barChart>" in bar and "<a:t>درخواست‌ها بر اساس کانال</a:t>" in bar
    assert "<pieChart>" in pie and "<a:t>سهم دسته‌بندی‌ها</a:t>" in pie
    assert re.search(r'<orientation val="maxMin" ?/>', bar)  # categories run right to left
    assert re.search(r'<delete val="0" ?/>', bar)  # axes shown
    drawing_rels = zip_text(target, "xl/worksheets/_rels/sheet1.xml.rels")
    assert "drawing" in drawing_rels  # the charts hang on the summary sheet
    # The series read the cells written on the summary sheet: check each reference against them.
    ws = load(target)["خلاصه"]
    refs = re.findall(r"<f>'?([^<!']+)'?!\$?([A-Z]+)\$?(\d+)(?::\$([A-Z]+)\$(\d+))?</f>", bar)
    assert refs and all(sheet == "خلاصه" for sheet, *_ in refs)
    categories = next(r for r in refs if r[1] == "A")
    assert [ws[f"A{i}"].value for i in range(int(categories[2]), int(categories[4]) + 1)] == [
        "مراجعه حضوری",
        "تماس تلفنی",
        "پیامک",
    ]
    values = next(r for r in refs if r[1] == "B" and r[3] == "B")
    assert [ws[f"B{i}"].value for i in range(int(values[2]), int(values[4]) + 1)] == [120, 80, 30]
    title_refs = [r for r in refs if r[3] == "" and r[1] in "BC"]
    assert {ws[f"{r[1]}{r[2]}"].value for r in title_refs} == {"این دوره", "دوره قبل"}


def test_data_sheet_has_report_heading_and_typed_rows(target: Path) -> None:
    render_xlsx(sample_document([request_table(25)]), target)
    ws = load(target)["فهرست درخواست‌های خدمت"]
    assert ws["A1"].value == "فهرست درخواست‌های خدمت"
    assert ws["A2"].value == (
        "بانک نمونه — شعبه مرکزی (۱۰۱) — ۱۴۰۵/۰۷/۰۱ تا ۱۴۰۵/۰۷/۳۰ — تهیه‌شده در ۱۴۰۵/۰۸/۰۱ ۱۳:۳۰ — ساعت‌ها به وقت تهران"
    )
    assert ws.freeze_panes == f"A{HEADER_ROW + 1}"
    assert ws.auto_filter.ref == f"A{HEADER_ROW}:J{HEADER_ROW + 25}"
    assert ws.cell(FIRST_DATA_ROW, 1).value == "0000000000"
    assert type(ws.cell(FIRST_DATA_ROW + 3, 6).value) is int


def test_summary_links_each_table_with_its_row_count(target: Path) -> None:
    render_xlsx(sample_document([request_table(25), Table("خالی", [Column("نام")], [])]), target)
    ws = load(target)["خلاصه"]
    links = [c for c in ws["A"] if c.hyperlink is not None]
    assert [c.value for c in links] == [
        "فهرست درخواست‌های خدمت: ۲۵ ردیف، در برگه «فهرست درخواست‌های خدمت»",
        "خالی: ۰ ردیف، در برگه «خالی»",
    ]
    assert links[0].hyperlink.location == "'فهرست درخواست‌های خدمت'!A1"


def test_default_style_is_tahoma_right_to_left(target: Path) -> None:
    render_xlsx(sample_document([request_table(3)]), target)
    styles = zip_text(target, "xl/styles.xml")
    first_font = re.search(r"<fonts[^>]*>\s*<font>(.*?)</font>", styles, re.S)
    assert first_font is not None and re.search(r'<name val="Tahoma" ?/>', first_font.group(1))
    assert "Calibri" not in styles
    default_xf = re.search(r"<cellXfs[^>]*>\s*<xf ([^>]*)>\s*<alignment ([^>]*)/>", styles)
    assert default_xf is not None and 'fontId="0"' in default_xf.group(1)
    assert 'readingOrder="2"' in default_xf.group(2)  # unstyled text reads right to left


def test_progress_counts_rows_of_all_tables_and_cancel_leaves_no_file(target: Path) -> None:
    progress = CancellableProgress()
    render_xlsx(sample_document([request_table(1500), request_table(700)]), target, progress)
    assert progress.snapshot()[:2] == (2200, 2200)

    cancelling = CancellableProgress()
    doc = sample_document([request_table(1500), request_table(3000)])
    doc.sections.append(Section("پایان", []))
    original = cancelling.update

    def update(done: int, total: int | None = None, message: str = "") -> None:
        original(done, total, message)
        if done >= 2000:
            cancelling.cancel()

    cancelling.update = update  # type: ignore[method-assign]
    other = target.with_name("other.xlsx")
    with pytest.raises(Cancelled):
        render_xlsx(doc, other, cancelling)
    assert not other.exists()
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]
