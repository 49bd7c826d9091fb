"""`python -m bench.reports_xlsx`: the service-request list to Excel, against raw openpyxl, side by side.

Each case runs in a fresh subprocess (so its peak resident memory is its own) and streams the same
synthetic Persian rows (request no, customer, category, priority, status, assignee, opened, due,
resolved, delay hours) from a one-shot generator:

- ``xlsx_raw_10col``: raw openpyxl write-only, the 10 values as they are (naive UTC date-times);
- ``xlsx_raw_same_cells``: raw openpyxl write-only writing exactly the cells our file holds (naive
  Tehran date-times and the Jalali text beside each of the 3 date-time columns: 13 columns),
  converted before the clock starts: the fair baseline;
- ``xlsx_export_table``: ``export_table_xlsx`` (conversion, Jalali text, styles, widths included);
- ``xlsx_render_report``: ``render_xlsx`` of a document holding that table (plus a summary sheet);
- ``xlsx_jalali_300k``: 300,000 date-times to Tehran time + Jalali text, our cached path vs
  ``format_jalali_datetime`` per value.

Prints JSON lines ``{"name", "p50_ms", "rows", "peak_mb", "ratio", ...}``; ``ratio`` is the time
against ``xlsx_raw_same_cells`` (``ratio_raw_10col`` against the 10-column raw run). ``cpu_ratio``
compares process CPU time, ``ratio_best`` the fastest runs: both are disturbed less than the p50 by
other work on a shared machine.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.measure import peak_rss_mb
from crm_desktop.reports.document import Column, Figure, Figures, Kind, ReportDocument, Section, Table, Value

CASES = ("xlsx_raw_10col", "xlsx_raw_same_cells", "xlsx_export_table", "xlsx_render_report")
POOL = 5000  # distinct rows, cycled: generating rows must not be what we time

FIRST = ["مریم", "علی", "زهرا", "محمد", "فاطمه", "حسین", "سارا", "رضا", "نرگس", "امیرحسین"]
LAST = ["احمدی", "رضایی", "محمدی", "حسینی", "کریمی", "موسوی", "جعفری", "صادقی", "قاسمی", "نوروزی"]
CATEGORIES = ["شکایت", "درخواست", "استعلام", "پیشنهاد"]
PRIORITIES = ["کم", "عادی", "زیاد", "فوری"]
STATUSES = ["جدید", "ارجاع‌شده", "در حال رسیدگی", "در انتظار مشتری", "حل‌شده", "بسته‌شده"]
COLUMNS = [
    Column("شماره درخواست", Kind.CODE),
    Column("مشتری"),
    Column("دسته‌بندی"),
    Column("اولویت"),
    Column("وضعیت"),
    Column("مسئول رسیدگی"),
    Column("زمان ثبت", Kind.DATETIME),
    Column("مهلت رسیدگی", Kind.DATETIME),
    Column("زمان حل", Kind.DATETIME),
    Column("تأخیر (ساعت)", Kind.HOURS),
]


def pool_rows() -> list[list[Value]]:
    """Synthetic request rows over one year, aware UTC date-times, about a third unresolved."""
    rng = random.Random(1405)
    start = datetime(2026, 3, 21, tzinfo=UTC)
    rows: list[list[Value]] = []
    for i in range(POOL):
        opened = start + timedelta(seconds=rng.randrange(365 * 86400))
        due = opened + timedelta(hours=rng.choice((24, 48, 72)))
        resolved = opened + timedelta(minutes=rng.randrange(10, 5 * 1440)) if rng.random() < 0.66 else None
        delay = round(max(0.0, (resolved - due).total_seconds() / 3600), 1) if resolved else None
        rows.append(
            [
                f"{1405_000000 + i}",
                f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                rng.choice(CATEGORIES),
                rng.choice(PRIORITIES),
                rng.choice(STATUSES),
                f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                opened,
                due,
                resolved,
                delay,
            ]
        )
    return rows


def stream(rows: Sequence[Any], n: int) -> Iterator[Any]:
    return itertools.islice(itertools.cycle(rows), n)


def same_cells(row: Sequence[Value]) -> list[object]:
    """The 13 cells our export writes for a row, the way raw openpyxl would take them."""
    from crm_desktop.persian import format_jalali_datetime, to_tehran

    out: list[object] = list(row[:6])
    for moment in row[6:9]:
        if isinstance(moment, datetime):
            out += [to_tehran(moment).replace(tzinfo=None), format_jalali_datetime(moment)]
        else:
            out += [None, None]
    return [*out, row[9]]


def run_case(case: str, rows: int, target: Path) -> dict[str, object]:
    from openpyxl import Workbook

    from crm_desktop.reports.xlsx import export_table_xlsx, render_xlsx

    pool = pool_rows()
    prepared: list[list[Any]] = []
    if case == "xlsx_raw_10col":
        prepared = [[v.replace(tzinfo=None) if isinstance(v, datetime) else v for v in r] for r in pool]
    elif case == "xlsx_raw_same_cells":
        prepared = [same_cells(r) for r in pool]
    start, cpu_start = time.perf_counter(), time.process_time()
    if case.startswith("xlsx_raw"):
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("requests")
        ws.append([c.title for c in COLUMNS])
        for row in stream(prepared, rows):
            ws.append(list(row))
        wb.save(target)
        written = rows
    else:
        table = Table("فهرست درخواست‌های خدمت", COLUMNS, stream(pool, rows), row_count=rows)
        if case == "xlsx_export_table":
            written = export_table_xlsx(table, target, title=table.title, subtitle="شعبه مرکزی (۱۰۱)")
        else:
            figures = Figures("شاخص‌ها", [Figure("درخواست‌های ثبت‌شده", rows, Kind.INTEGER, rows - 10, True)])
            doc = ReportDocument(
                "گزارش درخواست‌های خدمت",
                "بانک نمونه",
                "شعبه مرکزی (۱۰۱)",
                "۱۴۰۵/۰۱/۰۱ تا ۱۴۰۵/۱۲/۲۹",
                datetime.now(UTC),
                "مدیر سامانه",
                [Section("خلاصه", [figures]), Section("درخواست‌ها", [table])],
            )
            render_xlsx(doc, target)
            written = rows
    elapsed = (time.perf_counter() - start) * 1000
    cpu = (time.process_time() - cpu_start) * 1000
    return {
        "name": case,
        "ms": round(elapsed, 1),
        "cpu_ms": round(cpu, 1),
        "rows": written,
        "peak_mb": round(peak_rss_mb(), 1),
        "file_mb": round(target.stat().st_size / 1e6, 2),
    }


def jalali_bench(n: int = 300_000) -> dict[str, object]:
    from crm_desktop.persian import format_jalali_datetime
    from crm_desktop.reports.xlsx.values import jalali_local_datetime, tehran_local

    moments = [r[6] for r in pool_rows() if isinstance(r[6], datetime)]
    values = list(stream(moments, n))
    start = time.perf_counter()
    ours = [jalali_local_datetime(tehran_local(m)) for m in values]
    cached = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    plain = [format_jalali_datetime(m) for m in values]
    direct = (time.perf_counter() - start) * 1000
    assert ours == plain
    return {
        "name": "xlsx_jalali_300k",
        "p50_ms": round(cached, 1),
        "rows": n,
        "format_jalali_datetime_ms": round(direct, 1),
        "ratio": round(cached / direct, 3),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=1, help="runs per case (interleaved); p50 over them")
    parser.add_argument("--case", choices=CASES, help=argparse.SUPPRESS)  # one run, in this process
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        print(json.dumps(run_case(args.case, args.rows, args.out), ensure_ascii=False), flush=True)
        return 0
    runs: dict[str, list[dict[str, object]]] = {case: [] for case in CASES}
    with tempfile.TemporaryDirectory(prefix="bench-xlsx-") as folder:
        for _ in range(args.repeat):
            for case in CASES:
                target = Path(folder) / f"{case}.xlsx"
                cmd = [
                    sys.executable,
                    "-m",
                    "bench.reports_xlsx",
                    "--case",
                    case,
                    "--rows",
                    str(args.rows),
                    "--out",
                    str(target),
                ]
                done = subprocess.run(cmd, check=True, capture_output=True, text=True)
                runs[case].append(json.loads(done.stdout.strip().splitlines()[-1]))
    p50 = {case: statistics.median(float(r["ms"]) for r in results) for case, results in runs.items()}  # type: ignore[arg-type]
    best = {case: min(float(r["ms"]) for r in results) for case, results in runs.items()}  # type: ignore[arg-type]
    cpu = {case: statistics.median(float(r["cpu_ms"]) for r in results) for case, results in runs.items()}  # type: ignore[arg-type]
    for case, results in runs.items():
        row: dict[str, object] = {
            "name": case,
            "p50_ms": round(p50[case], 1),
            "n": len(results),
            "rows": results[0]["rows"],
            "peak_mb": max(float(r["peak_mb"]) for r in results),  # type: ignore[arg-type]
            "file_mb": results[0]["file_mb"],
            "ratio": round(p50[case] / p50["xlsx_raw_same_cells"], 3),
            "ratio_raw_10col": round(p50[case] / p50["xlsx_raw_10col"], 3),
            "cpu_p50_ms": round(cpu[case], 1),
            "cpu_ratio": round(cpu[case] / cpu["xlsx_raw_same_cells"], 3),
            "best_ms": round(best[case], 1),
            "ratio_best": round(best[case] / best["xlsx_raw_same_cells"], 3),
        }
        print(json.dumps(row, ensure_ascii=False), flush=True)
    print(json.dumps(jalali_bench(), ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
