"""One ``Table`` streamed to one write-only sheet: title block, header, rows, totals.

Layout (right to left): row 1 the title, row 2 the subtitle, row 3 empty (so Excel's "current
region", used by PivotTable and Sort, starts at the header), row 4 the header, data from row 5.
Write-only sheets need widths, frozen panes and row heights before the first row, so the first
``SAMPLE_ROWS`` rows are taken from the iterator to size the columns, then chained back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain, islice
from typing import Final

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from crm_desktop.progress import Progress
from crm_desktop.reports.document import Table, Value
from crm_desktop.reports.xlsx.columns import RowConverter, SheetColumn, sample_texts, sheet_columns
from crm_desktop.reports.xlsx.style import (
    BOLD_FONT,
    HEADER_ALIGNMENT,
    HEADER_BORDER,
    HEADER_FILL,
    NOTE_FONT,
    SUBTITLE_FONT,
    TITLE_FONT,
    TOTAL_BORDER,
    TOTAL_FILL,
    fit_width,
    header_height,
)
from crm_desktop.reports.xlsx.values import DATE_KINDS, NUMERIC_KINDS, styled_cell

HEADER_ROW: Final = 4
SAMPLE_ROWS: Final = 200
PROGRESS_EVERY: Final = 1000
TITLE_ROW_HEIGHT: Final = 24.0
TEHRAN_TIME_SUBTITLE: Final = "ساعت‌ها به وقت تهران"


class RowProgress:
    """Rows written across all the sheets of one workbook, reported every ``PROGRESS_EVERY`` rows."""

    def __init__(self, progress: Progress, total: int | None) -> None:
        self.progress = progress
        self.total = total
        self.done = 0

    def report(self, message: str = "") -> None:
        self.progress.update(self.done, self.total, message)
        self.progress.check()


@dataclass(frozen=True)
class Heading:
    title: str
    subtitle: str = ""


def prepare_sheet(ws: WriteOnlyWorksheet) -> None:
    """Right to left, printed landscape and one page wide."""
    ws.sheet_view.rightToLeft = True
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def write_table_sheet(wb: Workbook, name: str, table: Table, heading: Heading, progress: RowProgress) -> int:
    """Stream ``table`` to a new sheet ``name``; return the number of data rows written."""
    progress.report(table.title)
    ws: WriteOnlyWorksheet = wb.create_sheet(name)
    prepare_sheet(ws)
    columns = sheet_columns(table.columns)
    rows = iter(table.rows)
    try:
        sample = list(islice(rows, SAMPLE_ROWS))
        _set_layout(ws, table, columns, sample)
        _write_heading(ws, heading, columns)
        convert = RowConverter(ws, table.columns)
        count = 0
        for row in chain(sample, rows):
            ws.append(convert(row))
            count += 1
            if count % PROGRESS_EVERY == 0:
                progress.done += PROGRESS_EVERY
                progress.report(table.title)
        progress.done += count % PROGRESS_EVERY
    finally:
        close = getattr(rows, "close", None)  # a generator reading the database: let it clean up
        if close is not None:
            close()
    last_column = get_column_letter(len(columns))
    if count == 0:
        ws.append([styled_cell(ws, table.empty_text, font=NOTE_FONT)])
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last_column}{HEADER_ROW + count}"
    if table.totals is not None:
        ws.append(_totals_row(ws, table, len(columns)))
    progress.report(table.title)
    return count


def _set_layout(
    ws: WriteOnlyWorksheet, table: Table, columns: list[SheetColumn], sample: list[Sequence[Value]]
) -> None:
    texts: list[list[str]] = [[] for _ in columns]
    extra = [table.totals] if table.totals is not None else []
    for row in chain(sample, extra):
        position = 0
        for column, value in zip(table.columns, row, strict=False):
            for text in sample_texts(column.kind, value):
                texts[position].append(text)
                position += 1
    widths = [
        fit_width(column.header, texts[i], number=column.kind in NUMERIC_KINDS or column.kind in DATE_KINDS)
        for i, column in enumerate(columns)
    ]
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.row_dimensions[1].height = TITLE_ROW_HEIGHT
    ws.row_dimensions[HEADER_ROW].height = header_height((c.header, w) for c, w in zip(columns, widths, strict=True))
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"


def _write_heading(ws: WriteOnlyWorksheet, heading: Heading, columns: list[SheetColumn]) -> None:
    ws.append([styled_cell(ws, heading.title, font=TITLE_FONT)])
    parts = [heading.subtitle] if heading.subtitle else []
    if any(column.comment for column in columns):
        parts.append(TEHRAN_TIME_SUBTITLE)  # Excel has no time zones: say which clock the times follow
    ws.append([styled_cell(ws, " — ".join(parts), font=SUBTITLE_FONT)] if parts else [])
    ws.append([])
    header = []
    for column in columns:
        cell = styled_cell(
            ws, column.header, font=BOLD_FONT, fill=HEADER_FILL, border=HEADER_BORDER, alignment=HEADER_ALIGNMENT
        )
        if column.comment:
            cell.comment = Comment(column.comment, "crm-desktop", width=220, height=60)
        header.append(cell)
    ws.append(header)


def _totals_row(ws: WriteOnlyWorksheet, table: Table, width: int) -> list[object]:
    """The totals in bold on a shaded band across every sheet column."""
    values = RowConverter(ws, table.columns)(table.totals or [])
    values += [None] * (width - len(values))
    cells: list[object] = []
    for value in values:
        number_format = value.number_format if isinstance(value, Cell) else None
        cells.append(
            styled_cell(ws, value, font=BOLD_FONT, fill=TOTAL_FILL, border=TOTAL_BORDER, number_format=number_format)
        )
    return cells
