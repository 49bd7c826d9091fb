"""`python -m bench.reports_pdf`: time the PDF renderer on a 10,000-row request list and a branch summary.

Prints one JSON object per line: ``{"name", "p50_ms", "rows", "pages", "runs"}``. The data is
synthetic but realistic (Faker fa_IR names, Persian categories, Jalali dates); only the rendering
is timed. Each run starts with empty shaping caches, as a fresh app process would.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from faker import Faker

from crm_desktop.persian import to_persian_digits
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
from crm_desktop.reports.pdf import render_pdf
from crm_desktop.reports.pdf.bidi_runs import visual_runs
from crm_desktop.reports.pdf.shaping import _shape, shape_line

CATEGORIES = ["شکایت", "درخواست", "استعلام", "پیشنهاد"]
PRIORITIES = ["کم", "عادی", "زیاد", "فوری"]
STATUSES = ["جدید", "ارجاع‌شده", "در حال رسیدگی", "در انتظار مشتری", "حل‌شده", "بسته‌شده"]
CHANNELS = ["مراجعه حضوری", "تماس تلفنی", "پیامک", "پست الکترونیک", "وب / اینترنت‌بانک"]
MADE = datetime(2026, 11, 23, 6, 30, tzinfo=UTC)


def _document(title: str, sections: list[Section]) -> ReportDocument:
    return ReportDocument(title, "بانک نمونه", "شعبه مرکزی (۱۰۱)", "۱۴۰۵/۰۷/۰۱ تا ۱۴۰۵/۰۷/۳۰", MADE, "مریم احمدی",
                          sections)


def request_rows(n: int, seed: int = 7) -> Iterator[Sequence[Value]]:
    """``n`` service-request rows (a generator, as the service streams them)."""
    fake, rnd = Faker("fa_IR"), random.Random(seed)
    Faker.seed(seed)
    clerks = [fake.name() for _ in range(25)]
    start = datetime(2026, 9, 23, 4, 30, tzinfo=UTC)
    for i in range(n):
        opened = start + timedelta(minutes=rnd.randrange(0, 30 * 24 * 60))
        due = opened + timedelta(hours=rnd.choice([24, 48, 72]))
        resolved = opened + timedelta(hours=rnd.uniform(1, 120)) if rnd.random() < 0.7 else None
        delay = max(0.0, (resolved - due).total_seconds() / 3600) if resolved else None
        yield (f"{140507:06d}{i:05d}", fake.name(), rnd.choice(CATEGORIES), rnd.choice(PRIORITIES),
               rnd.choice(STATUSES), rnd.choice(clerks), opened, due.date(), resolved, delay)


def request_list(n: int) -> ReportDocument:
    columns = [Column("شماره درخواست", Kind.CODE, 1.3), Column("مشتری", Kind.TEXT, 1.6), Column("دسته‌بندی"),
               Column("اولویت", weight=0.7), Column("وضعیت", weight=1.2), Column("مسئول رسیدگی", weight=1.5),
               Column("ثبت", Kind.DATETIME, 1.3), Column("مهلت رسیدگی", Kind.DATE), Column("حل", Kind.DATETIME, 1.3),
               Column("تأخیر", Kind.HOURS)]
    table = Table("درخواست‌های خدمت", columns, request_rows(n), row_count=n)
    return _document("گزارش درخواست‌های خدمت", [Section("فهرست درخواست‌ها", [table])])


def branch_summary() -> ReportDocument:
    rnd = random.Random(3)
    figures = Figures("مشتریان و درخواست‌ها", [
        Figure("مشتریان جدید", 1234, Kind.INTEGER, 1102, True),
        Figure("مشتریان فعال", 45210, Kind.INTEGER, 44950, True),
        Figure("نرخ حفظ مشتری", 0.913, Kind.PERCENT, 0.905, True),
        Figure("درخواست‌های ثبت‌شده", 3120, Kind.INTEGER, 2990, True),
        Figure("درصد رسیدگی در مهلت", 0.875, Kind.PERCENT, 0.84, True),
        Figure("میانگین زمان رسیدگی", 12.5, Kind.HOURS, 14.2, True),
        Figure("میانه زمان رسیدگی", 9.0, Kind.HOURS, 10.5, True),
        Figure("میانگین رضایت مشتری", 4.25, Kind.DECIMAL, 4.1, True),
    ])
    lifecycle = Figures("حرکت در چرخه عمر", [Figure("از جذب به ارتقا", 320), Figure("از ارتقا به حفظ", 210)])
    clerks = Table("فعالیت کارمندان", [Column("کارمند", weight=2), Column("تعاملات", Kind.INTEGER),
                                      Column("درخواست‌ها", Kind.INTEGER), Column("در مهلت", Kind.PERCENT),
                                      Column("رضایت", Kind.DECIMAL)],
                   [[to_persian_digits(f"کارمند {i + 1}"), rnd.randint(50, 400), rnd.randint(10, 90), rnd.random(),
                     rnd.uniform(3, 5)] for i in range(12)])
    by_cat = Table("درخواست‌ها به تفکیک دسته و اولویت", [Column("دسته‌بندی", weight=1.5)]
                   + [Column(p, Kind.INTEGER) for p in PRIORITIES],
                   [[c] + [rnd.randint(0, 300) for _ in PRIORITIES] for c in CATEGORIES],
                   totals=["جمع کل", 500, 600, 700, 80])
    top = Table("مشتریان با بیشترین درخواست باز", [Column("مشتری", weight=2), Column("کد ملی", Kind.CODE),
                                                    Column("درخواست باز", Kind.INTEGER)],
                [[to_persian_digits(f"مشتری شماره {i + 1}"), f"00{i}1234567"[:10], 10 - i] for i in range(8)])
    charts = [Chart("تعاملات به تفکیک کانال", CHANNELS, [Series("تعداد", [420, 310, 120, 45, 230])]),
              Chart("وضعیت درخواست‌ها", STATUSES, [Series("تعداد", [40, 25, 60, 10, 180, 95])], ChartKind.PIE),
              Chart("درخواست‌ها: این دوره و دوره قبل", CATEGORIES,
                    [Series("این دوره", [30, 120, 60, 12]), Series("دوره قبل", [25, 110, 70, 9])])]
    note = Note("ارقام این گزارش از داده‌های شعبه در بازه زمانی گزارش محاسبه شده‌اند؛ رکوردهای حذف‌شده در آن نیستند.")
    return _document("گزارش عملکرد شعبه", [Section("خلاصه", [figures, lifecycle, note, charts[0]]),
                                            Section("درخواست‌ها", [charts[1], charts[2], by_cat, top]),
                                            Section("کارمندان", [clerks])])


def clear_caches() -> None:
    shape_line.cache_clear()
    _shape.cache_clear()
    visual_runs.cache_clear()


def time_render(name: str, make: Callable[[], ReportDocument], rows: int, runs: int) -> dict[str, object]:
    timings, pages = [], 0
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(runs):
            document = make()  # building the data is not timed ...
            clear_caches()
            start = time.perf_counter()  # ... but reading a generator's rows is part of rendering
            pages = render_pdf(document, Path(folder) / "report.pdf")
            timings.append((time.perf_counter() - start) * 1000)
    return {"name": name, "p50_ms": round(statistics.median(timings), 1), "rows": rows, "pages": pages,
            "runs": runs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    # Rows are pre-generated so that Faker's time is not counted; the renderer still reads a one-shot iterator.
    rows = list(request_rows(args.rows))

    def listing() -> ReportDocument:
        document = request_list(args.rows)
        table = document.sections[0].blocks[0]
        assert isinstance(table, Table)
        table.rows = iter(rows)
        return document

    print(json.dumps(time_render("pdf_request_list", listing, args.rows, args.runs), ensure_ascii=False))
    print(json.dumps(time_render("pdf_branch_summary", branch_summary, 0, max(args.runs, 5)), ensure_ascii=False))


if __name__ == "__main__":
    main()
