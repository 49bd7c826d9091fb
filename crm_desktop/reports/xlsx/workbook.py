"""The two entry points: a whole report as a workbook, and one list as a one-sheet workbook.

Both stream through openpyxl's write-only mode (each sheet goes to a temporary file as rows
arrive, so memory does not grow with the row count) and write the workbook to a temporary file
in the target's folder that replaces the target only once complete: an error or ``Cancelled``
leaves no file, and no half-written sheet in the temporary folder either.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from openpyxl import Workbook

from crm_desktop.persian import format_jalali_datetime, to_persian_digits
from crm_desktop.progress import NullProgress, Progress
from crm_desktop.reports.document import ReportDocument, Table
from crm_desktop.reports.files import replace_file
from crm_desktop.reports.xlsx.style import use_default_style
from crm_desktop.reports.xlsx.summary import SUMMARY_SHEET, SummaryWriter
from crm_desktop.reports.xlsx.table_sheet import Heading, RowProgress, write_table_sheet
from crm_desktop.reports.xlsx.values import clean_text

MAX_SHEET_NAME: Final = 31
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
_RESERVED_NAMES: Final = frozenset({"history"})  # Excel keeps «History» for itself
GENERATED_AT: Final = "تهیه‌شده در "


def render_xlsx(document: ReportDocument, target: Path, progress: Progress | None = None) -> None:
    """The whole report as a workbook: a summary sheet, then one data sheet per Table."""
    progress = progress or NullProgress()
    progress.check()
    tables = [block for section in document.sections for block in section.blocks if isinstance(block, Table)]
    counts = [table.row_count for table in tables]
    rows = RowProgress(progress, sum(n for n in counts if n is not None) if None not in counts else None)
    made = GENERATED_AT + format_jalali_datetime(document.generated_at)
    subtitle = " — ".join(part for part in (document.bank, document.branch, document.period, made) if part)
    with _atomic_workbook(Path(target), document.title, document.generated_by, document.generated_at) as wb:
        taken = {SUMMARY_SHEET.casefold()}

        def write_table(table: Table) -> tuple[str, int]:
            name = unique_sheet_name(table.sheet_name or table.title, taken)
            return name, write_table_sheet(wb, name, table, Heading(table.title, subtitle), rows)

        SummaryWriter(wb, document, write_table, progress).write()


def export_table_xlsx(
    table: Table, target: Path, *, title: str, subtitle: str = "", progress: Progress | None = None
) -> int:
    """One list (what a list screen shows, e.g. customers found by a search) as a one-sheet workbook; rows written."""
    progress = progress or NullProgress()
    progress.check()
    now = datetime.now(UTC)
    made = GENERATED_AT + format_jalali_datetime(now)
    heading = Heading(title, " — ".join(part for part in (subtitle, made) if part))
    with _atomic_workbook(Path(target), title, "", now) as wb:
        name = unique_sheet_name(table.sheet_name or title, set())
        return write_table_sheet(wb, name, table, heading, RowProgress(progress, table.row_count))


def unique_sheet_name(wanted: str, taken: set[str]) -> str:
    """A valid Excel sheet name from ``wanted`` (≤ 31 characters, none of []:*?/\\), unique in ``taken``.

    Excel compares sheet names without case; the chosen name is added to ``taken``.
    """
    base = " ".join(_SHEET_NAME_BAD.sub(" ", clean_text(wanted)).split()).strip("'").strip()
    base = base[:MAX_SHEET_NAME].rstrip().strip("'") or "جدول"
    name, number = base, 2
    while name.casefold() in taken or name.casefold() in _RESERVED_NAMES:
        suffix = f" ({to_persian_digits(str(number))})"
        name = base[: MAX_SHEET_NAME - len(suffix)].rstrip() + suffix
        number += 1
    taken.add(name.casefold())
    return name


@contextmanager
def _atomic_workbook(target: Path, title: str, creator: str, created: datetime) -> Iterator[Workbook]:
    """A write-only workbook saved to ``target`` when the block ends without an error."""
    wb = Workbook(write_only=True)
    use_default_style(wb)
    wb.properties.title = title
    wb.properties.creator = creator or "crm-desktop"
    wb.properties.created = created.astimezone(UTC).replace(tzinfo=None)
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".xlsx.part", dir=target.parent)
    os.close(fd)
    try:
        yield wb
        wb.save(temp_name)
        replace_file(temp_name, target)
    except BaseException:
        _discard(wb)
        Path(temp_name).unlink(missing_ok=True)
        raise


def _discard(wb: Workbook) -> None:
    """Close the sheets' streams and delete their temporary files (openpyxl keeps them until exit)."""
    for ws in wb.worksheets:
        writer = getattr(ws, "_writer", None)
        if writer is None:
            continue
        try:
            rows = getattr(ws, "_rows", None)
            if rows is not None:
                rows.close()
            writer.close()
            if os.path.exists(writer.out):
                writer.cleanup()
        except Exception:  # best effort: the original error is the one to report
            pass
