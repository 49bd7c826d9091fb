"""`python -m bench`: time the service calls the UI makes, on a demo database.

Builds (or reuses) a demo database with ``--customers`` customers, signs in as a
clerk of the main branch and prints one JSON object per line:
``{"name", "n", "p50_ms", "p95_ms", "max_ms", "raw_p50_ms", "raw_p95_ms"}``. ``raw_*`` replays the very
SQL statements the service ran (captured from SQLAlchemy) in plain ``sqlite3``,
so the difference is the cost of the service layer itself.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import event, select

from bench.measure import percentile
from crm_desktop.db.migrate import open_database
from crm_desktop.models import Customer
from crm_desktop.services import Services
from crm_desktop.services.demo import DEMO_PASSWORD, build_demo
from crm_desktop.services.records import CustomerInput

DATA = Path(__file__).resolve().parent / "data"




class Recorder:
    """Captures the SQL a service call runs: SQLAlchemy statements and raw ``sqlite3`` ones (``Database.trace``)."""

    def __init__(self, db: Any) -> None:
        self.statements: list[tuple[str, Any]] | None = None
        event.listen(db.engine, "before_cursor_execute", self._on_execute)
        db.trace = self._on_trace

    def _on_execute(self, conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        if self.statements is not None and statement.lstrip().upper().startswith(("SELECT", "WITH")):
            self.statements.append((statement, parameters))

    def _on_trace(self, statement: str) -> None:
        if self.statements is not None and statement.lstrip().upper().startswith(("SELECT", "WITH")):
            self.statements.append((statement, ()))

    def capture(self, fn: Callable[[], Any]) -> list[tuple[str, Any]]:
        self.statements = []
        try:
            fn()
            return self.statements
        finally:
            self.statements = None


def time_calls(calls: list[Callable[[], Any]], warmup: int = 3) -> list[float]:
    for call in calls[:warmup]:
        call()
    timings = []
    for call in calls:
        start = time.perf_counter()
        call()
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def time_raw(conn: sqlite3.Connection, batches: list[list[tuple[str, Any]]]) -> list[float]:
    timings = []
    for statements in batches:
        start = time.perf_counter()
        conn.execute("BEGIN")
        for sql, params in statements:
            conn.execute(sql, params).fetchall()
        conn.execute("ROLLBACK")
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def report(name: str, timings: list[float], raw: list[float] | None = None) -> dict[str, Any]:
    row: dict[str, Any] = {
        "name": name,
        "n": len(timings),
        "p50_ms": round(statistics.median(timings), 3),
        "p95_ms": round(percentile(timings, 0.95), 3),
        "max_ms": round(max(timings), 3),
    }
    if raw:
        row["raw_p50_ms"] = round(statistics.median(raw), 3)
        row["raw_p95_ms"] = round(percentile(raw, 0.95), 3)
        row["ratio_p95"] = round(row["p95_ms"] / row["raw_p95_ms"], 2) if row["raw_p95_ms"] else None
    print(json.dumps(row, ensure_ascii=False), flush=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--db", type=Path, help="an existing demo database (default: bench/data/demo-N.db)")
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    path = args.db or DATA / f"demo-{args.customers}.db"
    if not path.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        db = open_database(path)
        summary = build_demo(db, args.customers)
        print(json.dumps({"name": "build_demo", "customers": summary.customers, "interactions": summary.interactions,
                          "requests": summary.requests, "seconds": round(time.perf_counter() - started, 1)}),
              flush=True)
    else:
        db = open_database(path)
    services = Services(db)
    clerk = services.users.authenticate("karmand", DEMO_PASSWORD)
    rng = random.Random(args.seed)
    recorder = Recorder(db)
    raw = sqlite3.connect(path, isolation_level=None)

    with db.read() as session:
        picks = session.execute(
            select(Customer.id, Customer.national_id, Customer.mobile, Customer.last_key)
            .where(Customer.branch_id == clerk.branch_id, Customer.kind == "individual")
            .order_by(Customer.id).limit(50_000)
        ).all()
    sample = rng.sample(picks, min(args.samples, len(picks)))

    def search_case(name: str, queries: list[str]) -> None:
        calls = [lambda q=q: services.search.search(clerk, q) for q in queries]
        timings = time_calls(calls)
        statements = [recorder.capture(call) for call in calls]
        report(name, timings, time_raw(raw, statements))

    search_case("search_national_id", [r.national_id for r in sample])
    search_case("search_mobile", [r.mobile for r in sample])
    search_case("search_name_prefix", [r.last_key[: rng.randint(2, 4)] for r in sample])
    search_case("search_name_two_words", [f"{r.last_key} " for r in sample])

    first_page = [lambda: services.search.search(clerk, "", limit=200)] * 50
    report("list_first_page_200", time_calls(first_page),
           time_raw(raw, [recorder.capture(first_page[0])] * 50))

    keys = []
    page = services.search.search(clerk, "", limit=200)
    for _ in range(300):
        if page.next_key is None:
            break
        keys.append(page.next_key)
        page = services.search.search(clerk, "", after=page.next_key, limit=200)
    later_keys = rng.sample(keys, min(50, len(keys)))
    later = [lambda k=k: services.search.search(clerk, "", after=k, limit=200) for k in later_keys]
    report("list_later_page_200", time_calls(later), time_raw(raw, [recorder.capture(c) for c in later]))

    profile_calls = [lambda cid=r.id: services.customers.profile(clerk, cid) for r in sample]
    report("customer_360", time_calls(profile_calls))

    def edit(cid: str, n: int) -> None:
        detail = services.customers.get(clerk, cid)
        data = CustomerInput(**{f: getattr(detail, f) for f in CustomerInput.__dataclass_fields__
                                if hasattr(detail, f)} | {"notes": f"یادداشت آزمون کارایی {n}"})
        start = time.perf_counter()
        services.customers.edit(clerk, cid, data, expected_version=detail.version)
        save_timings.append((time.perf_counter() - start) * 1000)

    save_timings: list[float] = []
    for n, r in enumerate(sample[:100]):
        edit(r.id, n)
    report("customer_save_with_journal", save_timings[3:])
    db.dispose()


if __name__ == "__main__":
    main()
