"""Platypus flowables that draw through the RTL text layer: a paragraph and a grid table.

``GridTable`` is a light table of already shaped cells: rows share one list and a
split only moves an index, so a 10,000-row list costs no more per page than a
short one; the header row is drawn again at the top of every part.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.lib.colors import Color, HexColor
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from crm_desktop.reports.pdf.fonts import BOLD, REGULAR
from crm_desktop.reports.pdf.painter import TextPainter
from crm_desktop.reports.pdf.shaping import ShapedLine
from crm_desktop.reports.pdf.wrap import wrap_shaped

INK = HexColor("#1F2328")
HEADER_FILL = HexColor("#DCE6F2")
ZEBRA_FILL = HexColor("#F3F5F8")
TOTAL_FILL = HexColor("#E6E9EE")
RULE = HexColor("#A9B4C2")
PAD_X = 3.0
PAD_Y = 2.2


def painter_for(canvas: Canvas) -> TextPainter:
    """The one TextPainter of a canvas (its operator cache is per document)."""
    painter = getattr(canvas, "rtl_painter", None)
    if painter is None:
        painter = TextPainter(canvas)
        canvas.rtl_painter = painter
    return painter


class RtlParagraph(Flowable):
    """Running text, right-aligned and wrapped at word boundaries."""

    def __init__(self, text: str, size: float = 10, font: str = REGULAR, color: Color = INK,
                 leading: float | None = None, space_after: float = 4) -> None:
        super().__init__()
        self.text, self.size, self.font, self.color = text, size, font, color
        self.leading = leading or size * 1.6
        self.spaceAfter = space_after
        self.lines: list[ShapedLine] = []

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self.lines = wrap_shaped(self.text, self.font, self.size, availWidth)
        return availWidth, self.leading * len(self.lines)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self.wrap(availWidth, availHeight)
        fit = int(availHeight // self.leading)
        if fit <= 0 or fit >= len(self.lines):
            return []
        first = [line.text for line in self.lines[:fit]]
        rest = [line.text for line in self.lines[fit:]]
        return [RtlParagraph("\n".join(first), self.size, self.font, self.color, self.leading, 0),
                RtlParagraph("\n".join(rest), self.size, self.font, self.color, self.leading, self.spaceAfter)]

    def draw(self) -> None:
        painter = painter_for(self.canv)
        self.canv.setFillColor(self.color)
        baseline = len(self.lines) * self.leading - self.size * 1.15
        for line in self.lines:
            painter.draw(line, self.width - line.width, baseline)
            baseline -= self.leading


@dataclass(frozen=True, slots=True)
class GridRow:
    cells: tuple[tuple[ShapedLine, ...], ...]  # per column (rightmost first), the wrapped lines
    height: float
    style: str = "body"  # "body" or "total"


def shape_row(texts: Sequence[str], widths: Sequence[float], size: float, bold: bool = False,
              style: str = "body") -> GridRow:
    """Wrap and shape one row's cell texts for columns of ``widths`` (rightmost first)."""
    font = BOLD if bold else REGULAR
    cells = tuple(tuple(wrap_shaped(text, font, size, w - 2 * PAD_X)) for text, w in zip(texts, widths, strict=True))
    lines = max((len(cell) for cell in cells), default=1)
    return GridRow(cells, lines * size * 1.45 + 2 * PAD_Y, style)


class GridTable(Flowable):
    """Rows of shaped cells under a header row; columns right to left; zebra stripes."""

    def __init__(self, header: GridRow, rows: list[GridRow], widths: Sequence[float], size: float,
                 start: int = 0, end: int | None = None, zebra_offset: int = 0,
                 on_drawn: Callable[[int], None] | None = None, caption: ShapedLine | None = None) -> None:
        super().__init__()
        self.caption = caption  # the table's title, drawn above the first part only
        self.header, self.rows, self.widths, self.size = header, rows, list(widths), size
        self.start, self.end = start, len(rows) if end is None else end
        self.zebra_offset, self.on_drawn = zebra_offset, on_drawn
        self.spaceAfter = 10
        self.hAlign = "RIGHT"
        self.width = sum(self.widths)

    @property
    def caption_height(self) -> float:
        return self.caption.size * 2.0 if self.caption is not None else 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        height = self.caption_height + self.header.height + sum(row.height for row in self.rows[self.start : self.end])
        return self.width, height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        room = availHeight - self.header.height - self.caption_height
        cut = self.start
        while cut < self.end and room >= self.rows[cut].height:
            room -= self.rows[cut].height
            cut += 1
        if cut == self.start:
            return []  # not even one row fits: the frame moves us to the next page
        parts = (GridTable(self.header, self.rows, self.widths, self.size, self.start, cut, self.zebra_offset,
                           self.on_drawn, self.caption),
                 GridTable(self.header, self.rows, self.widths, self.size, cut, self.end,
                           self.zebra_offset + cut - self.start, self.on_drawn))
        parts[0].spaceAfter = 0
        return list(parts)

    def draw(self) -> None:
        canvas = self.canv
        painter = painter_for(canvas)
        right = self.width
        top = self.header.height + sum(row.height for row in self.rows[self.start : self.end])
        if self.caption is not None:
            canvas.setFillColor(INK)
            painter.draw(self.caption, right - self.caption.width, top + self.caption.size * 0.6)
        y = top
        rows = [(self.header, -1)] + [(row, i) for i, row in enumerate(self.rows[self.start : self.end])]
        for row, index in rows:
            y -= row.height
            fill = (HEADER_FILL if index < 0 else TOTAL_FILL if row.style == "total"
                    else ZEBRA_FILL if (index + self.zebra_offset) % 2 else None)
            if fill is not None:
                canvas.setFillColor(fill)
                canvas.rect(right - self.width, y, self.width, row.height, stroke=0, fill=1)
            canvas.setFillColor(INK)
            x = right
            for cell, width in zip(row.cells, self.widths, strict=True):
                baseline = y + row.height - PAD_Y - self.size * 1.1
                for line in cell:
                    left = x - width / 2 - line.width / 2 if index < 0 else x - PAD_X - line.width
                    painter.draw(line, left, baseline)
                    baseline -= self.size * 1.45
                x -= width
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.4)
        canvas.line(right - self.width, top, right, top)
        canvas.line(right - self.width, top - self.header.height, right, top - self.header.height)
        canvas.line(right - self.width, y, right, y)
        if self.on_drawn is not None:
            self.on_drawn(self.end - self.start)
