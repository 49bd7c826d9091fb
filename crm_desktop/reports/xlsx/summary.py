"""The summary sheet «خلاصه»: the report's header, its figures, notes and native Excel charts.

Columns: A the label, B this period, C the previous period, D the change; charts sit to the side
(from column F) and read their data from the cells written just before them, so a manager can
restyle a chart or copy its numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Final

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.chart import BarChart, PieChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.hyperlink import Hyperlink

from crm_desktop.persian import format_jalali_datetime, format_number
from crm_desktop.progress import Progress
from crm_desktop.reports.document import Chart, ChartKind, Figure, Figures, Kind, Note, ReportDocument, Table, Value
from crm_desktop.reports.xlsx.style import (
    BOLD_FONT,
    HEADER_ALIGNMENT,
    HEADER_BORDER,
    HEADER_FILL,
    LINK_FONT,
    NOTE_FONT,
    SECTION_FONT,
    TITLE_FONT,
    fit_width,
)
from crm_desktop.reports.xlsx.table_sheet import TITLE_ROW_HEIGHT, prepare_sheet
from crm_desktop.reports.xlsx.values import (
    CHANGE_FORMATS,
    NUMBER_FORMATS,
    NUMERIC_KINDS,
    as_number,
    display_text,
    styled_cell,
)

SUMMARY_SHEET: Final = "خلاصه"
CHART_ROWS: Final = 17  # rows a chart of CHART_HEIGHT covers at the default row height
CHART_HEIGHT: Final = 8.0  # cm
CHART_WIDTH: Final = 16.0  # cm
VALUE_WIDTH: Final = 16.0
MAX_LABEL_WIDTH: Final = 45.0

TableWriter = Callable[[Table], tuple[str, int]]  # writes a data sheet; returns (sheet name, rows)


class SummaryWriter:
    """Writes ``document`` to the summary sheet, handing each Table to ``write_table``."""

    def __init__(self, wb: Workbook, document: ReportDocument, write_table: TableWriter, progress: Progress) -> None:
        self.ws: WriteOnlyWorksheet = wb.create_sheet(SUMMARY_SHEET)
        self.document = document
        self.write_table = write_table
        self.progress = progress
        self.row = 0  # the last row written
        widest = max((_series_count(b) for b in _blocks(document)), default=0)
        self.chart_column = get_column_letter(max(6, widest + 3))  # one empty column after the chart data
        prepare_sheet(self.ws)

    def write(self) -> None:
        self._set_layout()
        doc = self.document
        self._append([styled_cell(self.ws, doc.title, font=TITLE_FONT)])
        for label, value in (
            ("بانک", doc.bank),
            ("شعبه", doc.branch),
            ("دوره", doc.period),
            ("زمان تهیه", format_jalali_datetime(doc.generated_at)),
            ("تهیه‌کننده", doc.generated_by),
        ):
            self._append([styled_cell(self.ws, label, font=BOLD_FONT), styled_cell(self.ws, value)])
        for section in doc.sections:
            self.progress.check()
            self._append([])
            self._append([styled_cell(self.ws, section.title, font=SECTION_FONT)])
            for block in section.blocks:
                self.progress.check()
                if isinstance(block, Figures):
                    self._figures(block)
                elif isinstance(block, Chart):
                    self._chart(block)
                elif isinstance(block, Note):
                    self._append([styled_cell(self.ws, block.text)])
                else:
                    self._table_link(block)

    def _append(self, cells: Sequence[object]) -> None:
        self.ws.append(list(cells))
        self.row += 1

    def _set_layout(self) -> None:
        labels: list[str] = ["تهیه‌کننده"]
        for block in _blocks(self.document):
            if isinstance(block, Figures):
                labels += [figure.label for figure in block.items]
            elif isinstance(block, Chart):
                labels += list(block.categories)
        label_width = min(fit_width("", labels), MAX_LABEL_WIDTH)
        dims = self.ws.column_dimensions
        dims["A"].width = label_width
        for letter in "BCD":
            dims[letter].width = VALUE_WIDTH
        self.ws.row_dimensions[1].height = TITLE_ROW_HEIGHT

    def _header(self, texts: Sequence[str]) -> None:
        style = {"font": BOLD_FONT, "fill": HEADER_FILL, "border": HEADER_BORDER, "alignment": HEADER_ALIGNMENT}
        self._append([styled_cell(self.ws, text, **style) for text in texts])

    def _figures(self, block: Figures) -> None:
        self._append([styled_cell(self.ws, block.title, font=BOLD_FONT)])
        compare = any(figure.compare for figure in block.items)
        heads = ["شاخص", block.current_label] + ([block.previous_label, "تغییر"] if compare else [])
        self._header(heads)
        for figure in block.items:
            self._append(self._figure_row(figure, compare))

    def _figure_row(self, figure: Figure, compare: bool) -> list[object]:
        cells: list[object] = [styled_cell(self.ws, figure.label), self._value(figure.value, figure.kind)]
        if compare and figure.compare:
            cells.append(self._value(figure.previous, figure.kind))
            change = figure.change
            if change is not None and figure.kind in CHANGE_FORMATS:
                cells.append(self._value(change, figure.kind, CHANGE_FORMATS[figure.kind]))
        return cells

    def _value(self, value: Value, kind: Kind, number_format: str | None = None) -> Cell | None:
        if value is None:
            return None
        number = as_number(value, kind) if kind in NUMERIC_KINDS else None
        if number is None:
            return styled_cell(self.ws, display_text(value, kind))
        return styled_cell(self.ws, number, number_format=number_format or NUMBER_FORMATS[kind])

    def _chart(self, chart: Chart) -> None:
        self._append([styled_cell(self.ws, chart.title, font=BOLD_FONT)])
        first = self.row + 1
        if not chart.categories or not chart.series:
            self._append([styled_cell(self.ws, "داده‌ای برای این نمودار نیست.", font=NOTE_FONT)])
            return
        self._header(["", *(series.name for series in chart.series)])
        for index, category in enumerate(chart.categories):
            values = [s.values[index] if index < len(s.values) else None for s in chart.series]
            self._append([styled_cell(self.ws, category), *(self._value(v, _number_kind(v)) for v in values)])
        header_row, last = first, self.row
        self.ws.add_chart(_excel_chart(self.ws, chart, header_row, last), f"{self.chart_column}{first - 1}")
        while self.row < first - 1 + CHART_ROWS:  # leave room: the next block starts below the chart
            self._append([])

    def _table_link(self, table: Table) -> None:
        self.progress.check()
        name, count = self.write_table(table)
        text = f"{table.title}: {format_number(count)} ردیف، در برگه «{name}»"
        cell = styled_cell(self.ws, text, font=LINK_FONT)
        cell.hyperlink = Hyperlink(ref="", location=f"'{name}'!A1", display=text)
        self._append([cell])


def _excel_chart(ws: WriteOnlyWorksheet, chart: Chart, header_row: int, last_row: int) -> BarChart | PieChart:
    """A native chart over the cells just written (categories in A, one series per column from B)."""
    categories = Reference(ws, min_col=1, min_row=header_row + 1, max_row=last_row)
    result: BarChart | PieChart
    if chart.kind is ChartKind.PIE:
        result = PieChart()
        result.add_data(Reference(ws, min_col=2, min_row=header_row, max_row=last_row), titles_from_data=True)
        result.dataLabels = DataLabelList(
            showPercent=True, showVal=False, showCatName=False, showSerName=False, showLegendKey=False
        )
    else:
        result = BarChart()
        result.type = "col"
        data = Reference(ws, min_col=2, max_col=1 + len(chart.series), min_row=header_row, max_row=last_row)
        result.add_data(data, titles_from_data=True)
        result.x_axis.scaling.orientation = "maxMin"  # categories run right to left, value axis on the right
        result.x_axis.delete = False  # openpyxl 3.1 hides the axes otherwise
        result.y_axis.delete = False
        if len(chart.series) == 1:
            result.legend = None
    if result.legend is not None:
        result.legend.position = "b"  # below: neither side is neutral in a right-to-left report
    result.set_categories(categories)
    result.title = chart.title
    result.width, result.height = CHART_WIDTH, CHART_HEIGHT
    return result


def _blocks(document: ReportDocument) -> list[object]:
    return [block for section in document.sections for block in section.blocks]


def _series_count(block: object) -> int:
    return len(block.series) if isinstance(block, Chart) else 0


def _number_kind(value: object) -> Kind:
    return Kind.INTEGER if isinstance(value, int) else Kind.DECIMAL
