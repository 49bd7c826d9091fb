"""`python -m bench.import_xlsx --rows 100000`: dry run and import of a messy customer workbook (issue #7).

Builds the workbook with the tests' generator (mixed ي/ی and ك/ک, Persian/Latin digits, IDs as numbers,
Jalali, Gregorian and Excel dates; ~10% corporate customers), then, each in a fresh migrated temp database:

- ``import_dry_run_100k``: ``ImportService.dry_run`` (read, validate every row, match);
- ``import_run_100k``: ``ImportService.run`` all-or-nothing (one unit of work, journal triggers on);
- ``import_rerun_dry_100k``: the same file dry-run again on the filled database (every row matched and
  validated a second time with the stored values, all unchanged).

``--existing N`` first imports N other generated customers into each database (untimed; same name pool, other
IDs and mobiles), so that the rows to create are also compared with stored look-alikes (``similar`` counts the
warnings); the names then end in ``_existing_<N>``.

Prints JSON lines ``{"name", "p50_ms", "rows", "rows_per_s", ...}`` (one sample each: these are long runs).
The workbook is written by xlsxwriter as Excel writes one (shared strings, a ``<dimension>``); a workbook
written by openpyxl (inline strings, no dimension) takes openpyxl about twice as long to read.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from bench.measure import peak_rss_mb
from crm_desktop.db.migrate import open_database
from crm_desktop.services import Services
from crm_desktop.services.importing import ImportOptions, ImportService
from tests.services.importing.generator import customer_rows, write_xlsx

PASSWORD = "Bench-import-1405"
EXISTING_START = 5_000_000  # the stored customers' generator index: IDs and customer numbers unlike the file's


def emit(name: str, ms: float, rows: int, **extra: object) -> None:
    print(json.dumps({"name": name, "n": 1, "p50_ms": round(ms, 1), "rows": rows,
                      "rows_per_s": round(rows / (ms / 1000)) if ms else None, **extra}, ensure_ascii=False),
          flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="folder to keep the workbook and databases in")
    parser.add_argument("--existing", type=int, default=0, help="customers stored before each timed run")
    args = parser.parse_args(argv)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-import-"))
    folder.mkdir(parents=True, exist_ok=True)
    suffix = f"{args.rows // 1000}k" if args.rows >= 1000 else str(args.rows)

    started = time.perf_counter()
    header, rows, _ = customer_rows(args.rows, seed=1405)
    workbook = write_xlsx(folder / f"customers-{suffix}.xlsx", header, rows)
    del rows
    emit(f"import_make_xlsx_{suffix}", (time.perf_counter() - started) * 1000, args.rows,
         bytes=workbook.stat().st_size)
    stored = None
    if args.existing:
        header, rows, _ = customer_rows(args.existing, seed=2024, start=EXISTING_START)
        stored = write_xlsx(folder / f"existing-{args.existing}.xlsx", header, rows)
        del rows
        suffix += f"_existing_{args.existing // 1000}k" if args.existing >= 1000 else f"_existing_{args.existing}"

    for case in ("dry_run", "run"):
        db = open_database(folder / f"{case}.db")
        services = Services(db)
        admin = services.users.first_run(branch_code="1021", branch_name="شعبه مرکزی", username="admin",
                                         full_name="مدیر سامانه", password=PASSWORD)
        importer = ImportService(db)
        if stored is not None:
            importer.run(admin, stored)
        started = time.perf_counter()
        if case == "dry_run":
            summary = importer.dry_run(admin, workbook)
        else:
            summary = importer.run(admin, workbook, ImportOptions(all_or_nothing=True)).value
        ms = (time.perf_counter() - started) * 1000
        emit(f"import_{case}_{suffix}", ms, summary.rows, created=summary.to_create, refused=summary.refused_rows,
             similar=summary.similar_rows, peak_mb=round(peak_rss_mb(), 1))
        if case == "run":
            with db.read_raw() as conn:
                journal = conn.execute("SELECT count(*) FROM change_journal WHERE source = ?",
                                       (f"import:{workbook.name}",)).fetchone()[0]
            started = time.perf_counter()
            again = importer.dry_run(admin, workbook)
            emit(f"import_rerun_dry_{suffix}", (time.perf_counter() - started) * 1000, again.rows,
                 unchanged=again.unchanged, journal_rows=journal)
        db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
