"""The report files say what the figures say: the PDF through its extracted text, the Excel file read back."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from crm_desktop.persian import format_number, to_persian_digits
from crm_desktop.reports.period import jalali_month
from crm_desktop.services.reporting.activity import ActivityReader, Scope
from crm_desktop.services.reports import ReportFormat, ReportName, ReportRequest
from tests.services.test_report_figures import bounds, expected_activity

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")

PERIOD = jalali_month(1405, 8)


def expected(history, db_path) -> dict:
    from tests.services.test_report_figures import all_rows

    return expected_activity(all_rows(db_path), history.branch_id, *bounds(1405, 8), bounds(1405, 7))


def test_branch_summary_excel_summary_sheet_holds_the_independent_figures(history, db_path, tmp_path: Path) -> None:
    target = tmp_path / "summary.xlsx"
    history.services.reports.run(history.manager, ReportRequest(ReportName.BRANCH_SUMMARY, ReportFormat.XLSX,
                                                                PERIOD), target)
    want = expected(history, db_path)
    book = openpyxl.load_workbook(target)
    sheet = book["خلاصه"]
    assert sheet.sheet_view.rightToLeft
    rows: dict = {}
    for row in sheet.iter_rows(values_only=True):
        if isinstance(row[0], str) and row[1] is not None:
            rows.setdefault(row[0], row[1:4])  # a label's first row with figures (a section may share its name)
    assert rows["مشتریان جدید"][0] == want["new_customers"]
    assert rows["مشتریان فعال"][0] == want["active_customers"]
    assert rows["تعاملات"][0] == want["interactions"]
    assert rows["درخواست‌های ثبت‌شده"][0] == want["requests_opened"]
    assert rows["درخواست‌های حل‌شده"][0] == want["requests_resolved"]
    assert rows["درخواست‌های بسته‌شده"][0] == want["requests_closed"]
    assert rows["درخواست‌های باز در پایان دوره"][0] == want["still_open"]
    assert rows["میانه زمان رسیدگی"][0] == pytest.approx(want["median_hours"], abs=0.01)
    assert rows["حل‌شده در مهلت"][0] == pytest.approx(want["resolved_in_time"] / want["requests_resolved"])
    channels = book["کانال‌ها"]
    by_label = {r[0]: r[1] for r in channels.iter_rows(min_row=2, values_only=True) if r[0]}
    from crm_desktop.models.enums import Channel

    for channel, n in want["interactions_by_channel"].items():
        assert by_label[Channel(channel).label] == n


def test_branch_summary_pdf_text_holds_the_figures_in_persian_digits(history, db_path, tmp_path: Path) -> None:
    target = tmp_path / "summary.pdf"
    history.services.reports.run(history.manager, ReportRequest(ReportName.BRANCH_SUMMARY, ReportFormat.PDF,
                                                                PERIOD), target)
    text = subprocess.run(["pdftotext", "-raw", str(target), "-"], capture_output=True, text=True,
                          check=True).stdout
    want = expected(history, db_path)
    lines = [line.strip() for line in text.splitlines()]

    def value_after(label_words: str) -> str:
        """The first cell after the row's label (pdftotext -raw lists a right-to-left line's words reversed)."""
        reversed_label = " ".join(reversed(label_words.split()))
        index = next(i for i, line in enumerate(lines) if line.replace("\u202b", "").replace("\u202c", "")
                     == reversed_label)
        return lines[index + 1]

    assert value_after("مشتریان جدید") == format_number(want["new_customers"])
    assert value_after("مشتریان فعال") == format_number(want["active_customers"])
    assert value_after("تعاملات") == format_number(want["interactions"])
    assert value_after("درخواست‌های حل‌شده") == format_number(want["requests_resolved"])
    assert not any("\ufb50" <= ch <= "\ufeff" for ch in text)
    assert to_persian_digits("1405/08/01") in text  # the period in the header, digits in order
    assert "صفحه" in text


def test_the_reader_and_the_file_agree_for_every_month_across_the_new_year(history, tmp_path: Path) -> None:
    for month in ((1404, 12), (1405, 1)):
        with history.db.read_raw() as conn:
            figures = ActivityReader(conn, Scope(history.branch_id)).activity(jalali_month(*month))
        target = tmp_path / f"{month[1]}.xlsx"
        history.services.reports.run(history.manager, ReportRequest(
            ReportName.BRANCH_SUMMARY, ReportFormat.XLSX, jalali_month(*month)), target)
        sheet = openpyxl.load_workbook(target)["خلاصه"]
        values = [row[1] for row in sheet.iter_rows(values_only=True) if row[0] == "تعاملات" and row[1] is not None]
        assert values[0] == figures.interactions


def test_a_branch_with_no_requests_gets_zeros_and_the_empty_text(history, tmp_path: Path) -> None:
    target = tmp_path / "requests.xlsx"
    history.services.reports.run(history.admin, ReportRequest(
        ReportName.SERVICE_REQUESTS, ReportFormat.XLSX, PERIOD, branch_code="2040"), target)
    book = openpyxl.load_workbook(target)
    matrix = [row for row in book["نوع و اولویت"].iter_rows(min_row=2, values_only=True) if row[0]]
    assert matrix and all(value == 0 for row in matrix for value in row[1:] if isinstance(value, int))
    listed = [cell for row in book["درخواست‌ها"].iter_rows(values_only=True) for cell in row if cell]
    assert any("موردی در این دوره نیست" in str(cell) for cell in listed)
