"""`python -m bench.reports --db demo-1m.db`: the report targets of issue #5 on a real database, in one run.

- ``report_branch_summary_pdf``: the branch summary for one Jalali month as PDF, through the report service
  (figures from the database, document, rendering), as the demo branch manager;
- ``xlsx_requests_raw`` and ``xlsx_requests_export``: the branch's service requests, 100,000 rows streamed from the
  database, written by raw openpyxl write-only (the 10 values as they come) and by ``export_table_xlsx`` (typed
  cells, Tehran date-times, the Jalali text beside each date, styles, widths); each in a fresh subprocess so that
  its peak resident memory is its own; ``ratio`` = export / raw;
- ``pdf_requests_10k``: the first 10,000 of those rows as a PDF list.

Prints JSON lines ``{"name", "p50_ms", ...}``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from bench.measure import peak_rss_mb
from crm_desktop.db.migrate import open_database
from crm_desktop.reports.document import ReportDocument, Section, Table
from crm_desktop.reports.period import Period, jalali_month
from crm_desktop.services import Services
from crm_desktop.services.demo import DEMO_PASSWORD, DEMO_USERNAME
from crm_desktop.services.reporting.activity import Scope
from crm_desktop.services.reporting.documents import REQUEST_COLUMNS
from crm_desktop.services.reporting.request_list import opened_lines
from crm_desktop.services.reports import ReportFormat, ReportName, ReportRequest

MONTH = (1405, 8)
LIST_PERIOD = Period(jalali_month(1405, 5).first, jalali_month(1405, 8).last)  # more than 100,000 requests


def emit(name: str, samples: list[float], **extra: object) -> None:
    ordered = sorted(samples)
    print(json.dumps({"name": name, "n": len(samples), "p50_ms": round(statistics.median(ordered), 1),
                      "max_ms": round(ordered[-1], 1), **extra}, ensure_ascii=False), flush=True)


def request_rows(db_path: Path, rows: int) -> Iterator[tuple[object, ...]]:
    db = open_database(db_path, create=False)
    services = Services(db)
    actor = services.users.authenticate(DEMO_USERNAME, DEMO_PASSWORD)
    with db.read_raw() as conn:
        moment = datetime.now(UTC)
        for line in itertools.islice(opened_lines(conn, Scope(actor.branch_id), LIST_PERIOD, moment), rows):
            yield line.values()


def xlsx_case(case: str, db_path: Path, rows: int, target: Path) -> dict[str, object]:
    """One case, in this process (run as a subprocess by ``main``)."""
    started = time.perf_counter()
    if case == "xlsx_requests_raw":
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet()
        ws.append([c.title for c in REQUEST_COLUMNS])
        written = 0
        for row in request_rows(db_path, rows):
            ws.append([v.replace(tzinfo=None) if isinstance(v, datetime) else v for v in row])
            written += 1
        wb.save(target)
    else:
        from crm_desktop.reports.xlsx import export_table_xlsx

        table = Table("درخواست‌های خدمت", REQUEST_COLUMNS, request_rows(db_path, rows), row_count=rows)
        written = export_table_xlsx(table, target, title="درخواست‌های خدمت")
    elapsed = (time.perf_counter() - started) * 1000
    return {"ms": elapsed, "rows": written, "peak_mb": round(peak_rss_mb(), 1), "bytes": target.stat().st_size}




def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--pdf-rows", type=int, default=10_000)
    parser.add_argument("--case")  # internal: one xlsx case in a subprocess
    parser.add_argument("--target", type=Path)
    args = parser.parse_args()
    if args.case:
        print(json.dumps(xlsx_case(args.case, args.db, args.rows, args.target)))
        return 0

    db = open_database(args.db, create=False)
    services = Services(db)
    actor = services.users.authenticate(DEMO_USERNAME, DEMO_PASSWORD)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        samples, pages = [], 0
        for run in range(args.runs):
            started = time.perf_counter()
            result = services.reports.run(actor, ReportRequest(
                ReportName.BRANCH_SUMMARY, ReportFormat.PDF, jalali_month(*MONTH)), out / f"summary{run}.pdf").value
            samples.append((time.perf_counter() - started) * 1000)
            pages = result.pages or 0
        emit("report_branch_summary_pdf", samples, pages=pages, target_ms=5000, first_run_ms=round(samples[0], 1))

        measured: dict[str, dict[str, object]] = {}
        for case in ("xlsx_requests_raw", "xlsx_requests_export"):
            runs = []
            for run in range(args.runs):
                cmd = [sys.executable, "-m", "bench.reports", "--db", str(args.db), "--rows", str(args.rows),
                       "--case", case, "--target", str(out / f"{case}{run}.xlsx")]
                runs.append(json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout))
            measured[case] = {"samples": [r["ms"] for r in runs], "rows": runs[0]["rows"],
                              "peak_mb": max(r["peak_mb"] for r in runs), "bytes": runs[0]["bytes"]}
        raw = statistics.median(measured["xlsx_requests_raw"]["samples"])  # type: ignore[arg-type]
        for case, data in measured.items():
            p50 = statistics.median(data["samples"])  # type: ignore[arg-type]
            emit(case, data["samples"], rows=data["rows"], peak_mb=data["peak_mb"],  # type: ignore[arg-type]
                 bytes=data["bytes"], ratio=round(p50 / raw, 2), target_ratio=1.3, target_peak_mb=300)

        from crm_desktop.reports.pdf import render_pdf

        samples = []
        for run in range(args.runs):
            rows = list(request_rows(args.db, args.pdf_rows))
            document = ReportDocument("گزارش درخواست‌های خدمت", "بانک", "شعبه", LIST_PERIOD.label(),
                                      datetime.now(UTC), "بنچمارک", [Section("فهرست درخواست‌ها", [
                                          Table("درخواست‌ها", REQUEST_COLUMNS, iter(rows), row_count=len(rows))])])
            started = time.perf_counter()
            pages = render_pdf(document, out / f"list{run}.pdf")
            samples.append((time.perf_counter() - started) * 1000)
        emit("pdf_requests_10k", samples, rows=args.pdf_rows, pages=pages, target_ms=30000)
    db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
