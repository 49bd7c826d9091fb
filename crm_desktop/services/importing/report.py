"""The dry run's result as an Excel file: the refused cells on the first sheet, the rows that look like stored
customers («مشتریان مشابه») on the second, the counts in the subtitle."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from crm_desktop.persian import format_jalali_datetime, to_persian_digits
from crm_desktop.progress import NullProgress, Progress
from crm_desktop.reports.document import Column, Kind, Table
from crm_desktop.services.importing.plan import ImportSummary

COLUMNS = (Column("ردیف", Kind.INTEGER, 0.6), Column("ستون", Kind.TEXT, 1.2), Column("مقدار", Kind.TEXT, 2),
           Column("دلیل رد", Kind.TEXT, 3))
SIMILAR_SHEET = "مشتریان مشابه"
SIMILAR_COLUMNS = (Column("ردیف", Kind.INTEGER, 0.6), Column("نام در فایل", Kind.TEXT, 1.5),
                   Column("مشتری موجود", Kind.TEXT, 1.5), Column("شماره مشتری", Kind.CODE, 1),
                   Column("کد ملی / شناسه ملی", Kind.CODE, 1.1), Column("امتیاز", Kind.INTEGER, 0.6),
                   Column("دلایل", Kind.TEXT, 3.5))


def write_report(summary: ImportSummary, target: Path, progress: Progress | None = None) -> int:
    """Write the refused rows and the similar-customer warnings of ``summary`` to ``target`` (.xlsx); returns
    the lines written (both sheets)."""
    # The workbook helpers of crm_desktop.reports.xlsx; export_table_xlsx writes a single sheet only.
    from crm_desktop.reports.xlsx.table_sheet import Heading, RowProgress, write_table_sheet
    from crm_desktop.reports.xlsx.workbook import GENERATED_AT, _atomic_workbook, unique_sheet_name

    progress = progress or NullProgress()
    progress.check()
    refused = Table(
        "سطرهای ردشده",
        COLUMNS,
        ((line.row, line.column, line.value, line.reason) for line in summary.refused),
        row_count=len(summary.refused),
        empty_text="هیچ سطری رد نشد.",
    )
    similar = Table(
        SIMILAR_SHEET,
        SIMILAR_COLUMNS,
        ((w.row, w.name, w.customer_name, to_persian_digits(w.customer_no), to_persian_digits(w.identity), w.score,
          "؛ ".join(w.reasons)) for w in summary.similar),
        row_count=len(summary.similar),
        empty_text="هیچ سطری به مشتریان موجود شبیه نبود.",
    )
    now = datetime.now(UTC)
    title = f"گزارش ورود اطلاعات «{summary.file_name}»"
    lines = [summary.headline(), summary.similar_headline()]
    if summary.similar_rows > len(summary.similar):
        kept = to_persian_digits(str(len(summary.similar)))
        lines.append(f"فقط {kept} مورد نخست در برگه «{SIMILAR_SHEET}» آمده است.")
    subtitle = " — ".join(part for part in (*lines, GENERATED_AT + format_jalali_datetime(now)) if part)
    rows = RowProgress(progress, len(summary.refused) + len(summary.similar))
    taken: set[str] = set()
    written = 0
    with _atomic_workbook(Path(target), title, "", now) as wb:
        for table in (refused, similar):
            heading = Heading(title if table is refused else f"{title}: {SIMILAR_SHEET}", subtitle)
            written += write_table_sheet(wb, unique_sheet_name(table.title, taken), table, heading, rows)
    return written
