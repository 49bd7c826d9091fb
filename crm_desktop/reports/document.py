"""What a report says, independent of how it is drawn (PDF or Excel).

The services compute the figures and build a ``ReportDocument``; a renderer
(``reports.pdf`` or ``reports.xlsx``) turns it into a file. Values stay typed
(int, float, Decimal, UTC datetime, date, str, None) so that the PDF can show
them in Persian digits and Jalali dates while the Excel file keeps real numbers
and date-times that a manager can sum and pivot.

A table's rows may be a one-shot iterator so that large lists stream from the
database to the file without being held in memory.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

Value = str | int | float | Decimal | datetime | date | None


class Kind(StrEnum):
    """How a column's values are shown (the renderers decide the exact format)."""

    TEXT = "text"  # free text, may mix Persian and Latin (a product code, an IBAN)
    CODE = "code"  # digits or a code read as one token (national ID, request number): never grouped
    INTEGER = "integer"  # counts: grouped with «٬» in the PDF, a number in Excel
    DECIMAL = "decimal"  # one or two decimals (an average score)
    PERCENT = "percent"  # a share between 0 and 1, shown as «۸۷٫۵٪»
    HOURS = "hours"  # a duration in hours (resolution time, delay)
    DATE = "date"  # a ``date``: Jalali in the PDF; a real date in Excel with the Jalali text beside
    DATETIME = "datetime"  # an aware UTC ``datetime``: Jalali date and Tehran time


@dataclass(frozen=True)
class Column:
    title: str
    kind: Kind = Kind.TEXT
    weight: float = 1.0  # share of the table width in the PDF (relative to the other columns)


@dataclass(frozen=True)
class Figure:
    """A key figure, with the previous period's value beside it when the report compares periods."""

    label: str
    value: Value
    kind: Kind = Kind.INTEGER
    previous: Value = None
    compare: bool = False  # show the previous value and the change (even when one side is None)

    @property
    def change(self) -> float | int | Decimal | None:
        """value − previous, when both are numbers."""
        numbers = (int, float, Decimal)
        if isinstance(self.value, numbers) and isinstance(self.previous, numbers):
            return self.value - self.previous  # type: ignore[operator]
        return None


@dataclass(frozen=True)
class Figures:
    """A block of key figures (a two- or four-column table in the PDF, rows on the Excel summary sheet)."""

    title: str
    items: Sequence[Figure]
    current_label: str = "این دوره"
    previous_label: str = "دوره قبل"


@dataclass
class Table:
    """A titled table. ``rows`` may be a generator (read once); ``row_count`` helps progress when known."""

    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Value]]
    row_count: int | None = None
    totals: Sequence[Value] | None = None  # an optional last row (bold), same length as ``columns``
    empty_text: str = "موردی در این دوره نیست."
    sheet_name: str | None = None  # Excel sheet name (≤ 31 characters); the title when None


class ChartKind(StrEnum):
    BAR = "bar"  # vertical bars, one group per category
    PIE = "pie"  # shares of one series


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[int | float]


@dataclass(frozen=True)
class Chart:
    title: str
    categories: Sequence[str]
    series: Sequence[Series]
    kind: ChartKind = ChartKind.BAR


@dataclass(frozen=True)
class Note:
    """A paragraph of running text (may mix Persian with Latin codes and numbers)."""

    text: str


Block = Figures | Table | Chart | Note


@dataclass
class Section:
    title: str
    blocks: list[Block] = field(default_factory=list)


@dataclass
class ReportDocument:
    """One report: a header (bank, branch, period), sections of blocks, and when it was made."""

    title: str
    bank: str
    branch: str  # «شعبه مرکزی (۱۰۱)» or «همه شعب»
    period: str  # «۱۴۰۵/۰۷/۰۱ تا ۱۴۰۵/۰۷/۳۰», already in Persian
    generated_at: datetime  # aware UTC; shown in Jalali, Tehran time
    generated_by: str
    sections: list[Section] = field(default_factory=list)
