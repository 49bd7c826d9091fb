"""The dry run's result as an Excel file: one line per refused cell, the counts in the subtitle."""

from __future__ import annotations

from pathlib import Path

from crm_desktop.progress import Progress
from crm_desktop.reports.document import Column, Kind, Table
from crm_desktop.services.importing.plan import ImportSummary

COLUMNS = (Column("ردیف", Kind.INTEGER, 0.6), Column("ستون", Kind.TEXT, 1.2), Column("مقدار", Kind.TEXT, 2),
           Column("دلیل رد", Kind.TEXT, 3))


def write_report(summary: ImportSummary, target: Path, progress: Progress | None = None) -> int:
    """Write the refused rows of ``summary`` to ``target`` (.xlsx); returns the lines written."""
    table = Table(
        "سطرهای ردشده",
        COLUMNS,
        ((line.row, line.column, line.value, line.reason) for line in summary.refused),
        row_count=len(summary.refused),
        empty_text="هیچ سطری رد نشد.",
    )
    from crm_desktop.reports.xlsx import export_table_xlsx

    title = f"گزارش ورود اطلاعات «{summary.file_name}»"
    return export_table_xlsx(table, Path(target), title=title, subtitle=summary.headline(), progress=progress)
