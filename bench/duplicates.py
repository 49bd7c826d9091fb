"""`python -m bench.duplicates --db demo-1m.db`: the duplicate targets of issue #7 on a real database.

- ``duplicate_scan_1m``: the finder's scan of every live customer (or of ``--branch``), exactly the read side the
  service runs (``scan_customers`` on a plain ``sqlite3`` connection), with its wall time, CPU time and this
  process's peak resident memory; target ≤ 3 minutes and < 1 GB on a million customers;
- ``duplicate_warning``: the form's warning (``find_similar``) for customers typed again another way (Arabic
  ي/ك, the first name's ZWNJ or space changed, the mobile in Persian digits), p50/p95; target ≤ 50 ms.
  ``found`` is the share of drafts whose original customer was among the matches.

The database is opened read-only (``mode=ro``) and never migrated or written: others benchmark on it. A database
older than the dismissal table (schema 0005) is read as having no dismissals. Prints JSON lines.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import time
from pathlib import Path
from typing import Any

from bench.measure import peak_rss_mb
from crm_desktop.persian import to_persian_digits
from crm_desktop.services.duplicates.finder import DEFAULT_MIN_SCORE, dismissed_pairs
from crm_desktop.services.duplicates.scan import LIVE, Pair, scan_customers
from crm_desktop.services.duplicates.similar import find_similar

DEFAULT_DB = Path("/work/benchdata/demo-1m.db")


class PhaseClock:
    """A Progress that notes when each phase of the scan began (never cancels)."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.phases: dict[str, float] = {}

    def update(self, done: int, total: int | None = None, message: str = "") -> None:
        if message and message not in self.phases:
            self.phases[message] = round((time.perf_counter() - self.started) * 1000)

    def check(self) -> None:
        return None




def read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def dismissals(conn: sqlite3.Connection) -> set[Pair]:
    try:
        return dismissed_pairs(conn)
    except sqlite3.OperationalError:  # a database from before migration 0006
        return set()


def bench_scan(conn: sqlite3.Connection, branch: str | None, min_score: int) -> dict[str, Any]:
    branch_id = None
    if branch:
        row = conn.execute("SELECT id FROM branch WHERE code = ?", (branch,)).fetchone()
        if row is None:
            raise SystemExit(f"no branch {branch}")
        branch_id = row[0]
    clock = PhaseClock()
    cpu = time.process_time()
    started = time.perf_counter()
    result = scan_customers(conn, branch_id=branch_id, min_score=min_score, dismissed=dismissals(conn),
                            progress=clock)
    elapsed = (time.perf_counter() - started) * 1000
    return {"name": "duplicate_scan_1m" if branch is None else f"duplicate_scan_branch_{branch}",
            "ms": round(elapsed), "p50_ms": round(elapsed), "cpu_s": round(time.process_time() - cpu, 1),
            "peak_mb": round(peak_rss_mb(), 1), "customers": result.customers, "candidate_pairs": result.candidates,
            "scored_pairs": result.compared, "oversized_blocks": result.oversized_blocks,
            "groups": len(result.groups), "min_score": min_score, "phase_start_ms": clock.phases}


def retyped(row: tuple[Any, ...]) -> dict[str, Any]:
    """A customer as a clerk might type them again: Arabic letters, the first name's spacing changed."""
    kind, first, last, birth, mobile = row
    arabic = str.maketrans({"ی": "ي", "ک": "ك"})
    if kind == "corporate":
        return {"kind": kind, "company_name": last.translate(arabic), "mobile": to_persian_digits(mobile or "")}
    first = first.replace("\u200c", " ") if "\u200c" in first else first.translate(arabic)
    return {"kind": kind, "first_name": first, "last_name": last.translate(arabic), "birth_date": birth,
            "mobile": to_persian_digits(mobile) if mobile and len(first) % 2 else None}


def bench_warning(conn: sqlite3.Connection, samples: int) -> dict[str, Any]:
    total = conn.execute("SELECT max(rowid) FROM customer").fetchone()[0]
    step = max(1, total // samples)
    rows = conn.execute(
        f"SELECT id, kind, first_name, coalesce(last_name, company_name), birth_date, mobile FROM customer"
        f" WHERE rowid % ? = 7 AND {LIVE} LIMIT ?", (step, samples)).fetchall()
    times: list[float] = []
    found = 0
    for customer_id, *fields in rows:
        draft = retyped(tuple(fields))
        started = time.perf_counter()
        matches = find_similar(conn, draft)
        times.append((time.perf_counter() - started) * 1000)
        found += customer_id in {m.record.id for m in matches}
    times.sort()
    return {"name": "duplicate_warning", "n": len(times), "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[int(len(times) * 0.95) - 1], 1), "max_ms": round(times[-1], 1),
            "found": round(found / len(times), 3)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--branch", help="branch code (default: every branch)")
    parser.add_argument("--min-score", type=int, default=DEFAULT_MIN_SCORE)
    parser.add_argument("--warnings", type=int, default=200, help="drafts for the warning benchmark")
    parser.add_argument("--skip-scan", action="store_true")
    args = parser.parse_args()
    conn = read_only(args.db)
    try:
        if not args.skip_scan:
            print(json.dumps(bench_scan(conn, args.branch, args.min_score), ensure_ascii=False), flush=True)
        if args.warnings:
            print(json.dumps(bench_warning(conn, args.warnings), ensure_ascii=False), flush=True)
    finally:
        conn.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
