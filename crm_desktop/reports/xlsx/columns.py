"""A table's columns as sheet columns: one per report column, plus the Jalali text beside each date.

``RowConverter`` turns a report row into the values ``ws.append`` takes. Numbers go through one
styled template cell per sheet column (for their number format), reused for every row: openpyxl
writes a row as soon as it is appended, so the template is free again for the next row, and no
style object is built per cell.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from crm_desktop.reports.document import Column, Kind, Value
from crm_desktop.reports.xlsx.values import (
    DATE_KINDS,
    NUMBER_FORMATS,
    NUMERIC_KINDS,
    as_date,
    as_number,
    display_text,
    jalali_day,
    jalali_local_datetime,
    tehran_local,
    text_cell,
)

JALALI_SUFFIX = " (شمسی)"
GREGORIAN_SUFFIX = " (میلادی)"
TEHRAN_TIME_NOTE = "ساعت به وقت تهران است (اکسل منطقهٔ زمانی ندارد)."

Out = list[object]
Step = Callable[[Value, Out], None]


@dataclass(frozen=True)
class SheetColumn:
    header: str
    kind: Kind
    jalali: bool = False  # the Jalali text beside a date column
    comment: str | None = None  # a note on the header cell


def sheet_columns(columns: Sequence[Column]) -> list[SheetColumn]:
    """Each report column, and after each DATE/DATETIME column its Jalali text column."""
    out: list[SheetColumn] = []
    for column in columns:
        if column.kind in DATE_KINDS:
            note = TEHRAN_TIME_NOTE if column.kind is Kind.DATETIME else None
            out.append(SheetColumn(column.title + GREGORIAN_SUFFIX, column.kind, comment=note))
            out.append(SheetColumn(column.title + JALALI_SUFFIX, Kind.TEXT, jalali=True))
        else:
            out.append(SheetColumn(column.title, column.kind))
    return out


def sample_texts(kind: Kind, value: Value) -> list[str]:
    """Roughly what Excel shows for ``value`` in the sheet column(s) of one report column (for widths)."""
    if kind in DATE_KINDS:
        if not isinstance(value, date):
            return [display_text(value), ""]
        if kind is Kind.DATETIME and isinstance(value, datetime):
            local = tehran_local(value)
            return [local.strftime("%Y-%m-%d %H:%M:%S"), jalali_local_datetime(local)]
        day = as_date(value)
        return [day.isoformat(), jalali_day(day)]
    number = as_number(value, kind) if kind in NUMERIC_KINDS else None
    if number is None:
        return [display_text(value, kind)]
    if kind is Kind.PERCENT:
        return [f"{number * 100:.1f}%"]
    decimals = {Kind.DECIMAL: 2, Kind.HOURS: 1}.get(kind, 0)
    return [f"{number:,.{decimals}f}"]


class RowConverter:
    """Converts report rows of ``columns`` into sheet rows for one write-only sheet."""

    def __init__(self, ws: WriteOnlyWorksheet, columns: Sequence[Column]) -> None:
        self._ws = ws
        self._steps = [self._step(column.kind) for column in columns]

    def __call__(self, row: Sequence[Value]) -> Out:
        out: Out = []
        for step, value in zip(self._steps, row, strict=False):
            step(value, out)
        return out

    def _template(self, kind: Kind) -> Cell:
        cell = WriteOnlyCell(self._ws)
        cell.number_format = NUMBER_FORMATS[kind]
        return cell

    def _step(self, kind: Kind) -> Step:
        ws = self._ws

        def as_text(value: Value, out: Out) -> None:
            if value is None:
                out.append(None)
            else:
                out.append(text_cell(ws, value if isinstance(value, str) else display_text(value, kind)))

        if kind in NUMERIC_KINDS:
            template = self._template(kind)

            def number(value: Value, out: Out) -> None:
                n = as_number(value, kind)
                if n is None:
                    as_text(value, out)
                else:
                    template.value = n
                    out.append(template)

            return number

        if kind in DATE_KINDS:
            # Plain naive values: openpyxl gives them its own date formats (NUMBER_FORMATS matches
            # them), which spares a template cell and about 1 µs per cell.
            with_time = kind is Kind.DATETIME

            def moment(value: Value, out: Out) -> None:
                if isinstance(value, datetime) and with_time:
                    local = tehran_local(value)
                    out.append(local)
                    out.append(jalali_local_datetime(local))
                elif isinstance(value, date):
                    day = as_date(value)
                    out.append(day)
                    out.append(jalali_day(day))
                else:
                    as_text(value, out)
                    out.append(None)

            return moment

        return as_text
