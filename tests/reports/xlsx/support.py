"""Shared sample documents and readers for the Excel renderer tests."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from crm_desktop.reports.document import (
    Chart,
    ChartKind,
    Column,
    Figure,
    Figures,
    Kind,
    Note,
    ReportDocument,
    Section,
    Series,
    Table,
    Value,
)

HEADER_ROW = 4
FIRST_DATA_ROW = 5
IBAN_NOTE = "شماره شبا IR820540102680020817909002 در گزارش آمده است."
OPENED = datetime(2026, 10, 1, 6, 30, tzinfo=UTC)  # 10:00 in Tehran, 1405/07/09

REQUEST_COLUMNS = [
    Column("شماره درخواست", Kind.CODE),
    Column("مشتری"),
    Column("زمان ثبت", Kind.DATETIME),
    Column("تأخیر (ساعت)", Kind.HOURS),
    Column("تعداد", Kind.INTEGER),
    Column("سهم", Kind.PERCENT),
    Column("امتیاز", Kind.DECIMAL),
    Column("تاریخ تولد", Kind.DATE),
]
# Sheet columns: the two date columns each get a Jalali column beside them.
REQUEST_HEADERS = [
    "شماره درخواست",
    "مشتری",
    "زمان ثبت (میلادی)",
    "زمان ثبت (شمسی)",
    "تأخیر (ساعت)",
    "تعداد",
    "سهم",
    "امتیاز",
    "تاریخ تولد (میلادی)",
    "تاریخ تولد (شمسی)",
]


def request_row(i: int) -> list[Value]:
    return [
        f"{i:010d}",
        "مریم احمدی" if i % 2 else "شرکت فولاد مبارکه اصفهان",
        OPENED + timedelta(hours=7 * i),
        12.5 * (i % 4),
        i,
        Decimal("0.875"),
        4.25,
        date(1990, 3, 21) + timedelta(days=i),
    ]


def request_rows(n: int) -> Iterator[list[Value]]:
    for i in range(n):
        yield request_row(i)


def request_table(n: int = 30, **extra: object) -> Table:
    return Table("فهرست درخواست‌های خدمت", REQUEST_COLUMNS, request_rows(n), row_count=n, **extra)  # type: ignore[arg-type]


def sample_document(tables: Sequence[Table] = ()) -> ReportDocument:
    figures = Figures(
        "شاخص‌های اصلی",
        [
            Figure("مشتریان جدید", 1234, Kind.INTEGER, 1100, True),
            Figure("سهم حل‌شده در مهلت", 0.875, Kind.PERCENT, 0.8, True),
            Figure("میانگین زمان حل (ساعت)", 31.25, Kind.HOURS, 35.5, True),
            Figure("میانگین رضایت", Decimal("4.25"), Kind.DECIMAL, None, True),
            Figure("مشتریان فعال", 54321),
        ],
    )
    bar = Chart(
        "درخواست‌ها بر اساس کانال",
        ["مراجعه حضوری", "تماس تلفنی", "پیامک"],
        [Series("این دوره", [120, 80, 30]), Series("دوره قبل", [100, 90, 20])],
    )
    pie = Chart("سهم دسته‌بندی‌ها", ["شکایت", "درخواست"], [Series("تعداد", [10, 30])], ChartKind.PIE)
    return ReportDocument(
        title="گزارش عملکرد شعبه",
        bank="بانک نمونه",
        branch="شعبه مرکزی (۱۰۱)",
        period="۱۴۰۵/۰۷/۰۱ تا ۱۴۰۵/۰۷/۳۰",
        generated_at=datetime(2026, 10, 23, 10, 0, tzinfo=UTC),  # 13:30 in Tehran, 1405/08/01
        generated_by="مدیر سامانه",
        sections=[
            Section("خلاصه عملکرد", [figures, Note(IBAN_NOTE), bar, pie]),
            Section("درخواست‌های خدمت", list(tables)),
        ],
    )


def load(path: Path) -> Workbook:
    return load_workbook(path)


def zip_text(path: Path, member: str) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(member).decode("utf-8")


def zip_names(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        return archive.namelist()


class OneShot:
    """An iterable that can be iterated once only (like rows streamed from the database)."""

    def __init__(self, rows: Iterator[list[Value]]) -> None:
        self.rows = rows
        self.iterations = 0
        self.yielded = 0

    def __iter__(self) -> Iterator[list[Value]]:
        self.iterations += 1
        if self.iterations > 1:
            raise AssertionError("rows iterated twice")
        for row in self.rows:
            self.yielded += 1
            yield row
