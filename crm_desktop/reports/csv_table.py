"""One list as a CSV file that Excel opens in Persian: UTF-8 with a BOM, CRLF, the xlsx export's columns.

The columns and values follow the one-sheet workbook of ``reports.xlsx`` (same headers, a Jalali text column
beside each date), written the way Excel reads a CSV on opening it:

- numbers and the Gregorian date-times in Latin digits, so that Excel takes them as numbers and dates it can sum
  and sort (date-times are Tehran wall-clock time, as in the workbook);
- codes (national ID, mobile, customer and request numbers) in Persian digits: Excel keeps them as text, so
  «0012345678» and «09121234567» keep their leading zeros (Latin digits would become the numbers 12345678 and
  9121234567); the Jalali dates, like every Persian text, are text as well;
- text that Excel or another spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab
  or a carriage return, per OWASP's CSV injection advice), or read as an error value such as «#N/A», gets a
  leading ``'``.

Rows stream from the table's iterator into a temporary file beside the target, which replaces the target only
when complete: an error or ``Cancelled`` leaves no file, and an older file of that name as it was.
"""

from __future__ import annotations

import csv
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Final

from openpyxl.cell.cell import ERROR_CODES

from crm_desktop.persian import to_persian_digits
from crm_desktop.progress import NullProgress, Progress
from crm_desktop.reports.document import Kind, Table, Value
from crm_desktop.reports.files import replace_file
from crm_desktop.reports.xlsx.columns import sheet_columns
from crm_desktop.reports.xlsx.values import (
    DATE_KINDS,
    FORMULA_STARTS,
    MAX_CELL_TEXT,
    NUMERIC_KINDS,
    as_date,
    as_number,
    clean_text,
    display_text,
    jalali_day,
    jalali_local_datetime,
    tehran_local,
)

ENCODING: Final = "utf-8-sig"  # the BOM tells Excel the file is UTF-8
PROGRESS_EVERY: Final = 1000
NEUTRALISER: Final = "'"
ERROR_VALUES: Final = frozenset(ERROR_CODES)  # text Excel would read as an error value («#N/A»)
# Anything safe_text must look at twice: a formula start, «#», or a control character.
_CAREFUL: Final = re.compile(r"^[=+\-@\t\r#]|[\x00-\x08\x0b\x0c\x0e-\x1f]")
_DECIMALS: Final = {Kind.DECIMAL: 2, Kind.HOURS: 1, Kind.PERCENT: 1}

Out = list[str]
Step = Callable[[Value, Out], None]


def safe_text(text: str) -> str:
    """``text`` as a cell no spreadsheet runs as a formula (a leading «'» when it starts like one)."""
    if _CAREFUL.search(text) is None and len(text) <= MAX_CELL_TEXT:
        return text  # the common case, with one regex search
    text = clean_text(text)
    if text.startswith(FORMULA_STARTS) or text in ERROR_VALUES:
        return NEUTRALISER + text
    return text


def header_row(table: Table) -> list[str]:
    """The header of the workbook's sheet: each column, and «… (شمسی)» after each date column."""
    return [safe_text(column.header) for column in sheet_columns(table.columns)]


class CsvRowConverter:
    """Converts report rows of ``columns`` into CSV rows (one or two strings per column)."""

    def __init__(self, columns: Sequence[Kind]) -> None:
        self._steps = [_step(kind) for kind in columns]

    def __call__(self, row: Sequence[Value]) -> Out:
        out: Out = []
        for step, value in zip(self._steps, row, strict=False):
            step(value, out)
        return out


def _step(kind: Kind) -> Step:
    def as_text(value: Value, out: Out) -> None:
        if value is None:
            out.append("")
        else:
            out.append(safe_text(value if isinstance(value, str) else display_text(value, kind)))

    if kind is Kind.CODE:
        def code(value: Value, out: Out) -> None:
            if value is None:
                out.append("")
            else:
                out.append(safe_text(to_persian_digits(str(value))))

        return code

    if kind in NUMERIC_KINDS:
        decimals = _DECIMALS.get(kind, 0)

        def number(value: Value, out: Out) -> None:
            n = as_number(value, kind)
            if n is None:
                as_text(value, out)
            elif kind is Kind.PERCENT:
                out.append(f"{n * 100:.{decimals}f}%")  # Excel reads «87.5%» as the number 0.875
            elif isinstance(n, int):
                out.append(str(n))
            else:
                out.append(f"{n:.{decimals or 2}f}")

        return number

    if kind in DATE_KINDS:
        with_time = kind is Kind.DATETIME

        def moment(value: Value, out: Out) -> None:
            if isinstance(value, datetime) and with_time:
                local = tehran_local(value)
                out.append(local.strftime("%Y-%m-%d %H:%M:%S"))
                out.append(jalali_local_datetime(local))
            elif isinstance(value, date):
                day = as_date(value)
                out.append(day.isoformat())
                out.append(jalali_day(day))
            else:
                as_text(value, out)
                out.append("")

        return moment

    return as_text


def export_table_csv(table: Table, target: Path, *, progress: Progress | None = None) -> int:
    """Stream ``table`` to ``target`` as CSV (header, then one line per row); return the data rows written."""
    progress = progress or NullProgress()
    progress.check()
    target = Path(target)
    convert = CsvRowConverter([column.kind for column in table.columns])
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".csv.part", dir=target.parent)
    rows = iter(table.rows)
    count = 0
    try:
        with os.fdopen(fd, "w", encoding=ENCODING, newline="") as handle:
            writer = csv.writer(handle, dialect="excel", lineterminator="\r\n")
            writer.writerow(header_row(table))
            progress.update(0, table.row_count, table.title)
            for row in rows:
                writer.writerow(convert(row))
                count += 1
                if count % PROGRESS_EVERY == 0:
                    progress.update(count, table.row_count, table.title)
                    progress.check()
        progress.update(count, table.row_count, table.title)
        replace_file(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    finally:
        close = getattr(rows, "close", None)  # a generator reading the database: let it clean up
        if close is not None:
            close()
    return count
