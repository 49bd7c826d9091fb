"""Bar and pie charts: shapes from reportlab.graphics, every word drawn by the RTL text layer.

reportlab's own labels cannot shape Persian, so the chart is drawn without them
and the title, category labels, legend and value labels are laid over it with
``TextPainter`` (so they stay searchable text like the rest of the page). Axis
numbers are plain Persian digits, which need no shaping, in Vazirmatn.
Categories run right to left: the first one is the rightmost bar.
"""

from __future__ import annotations

import math

from reportlab.graphics import renderPDF
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import Color, HexColor
from reportlab.platypus import Flowable

from crm_desktop.persian import format_number
from crm_desktop.reports.document import Chart, ChartKind
from crm_desktop.reports.pdf.flowables import INK, painter_for
from crm_desktop.reports.pdf.fonts import BOLD, REGULAR
from crm_desktop.reports.pdf.shaping import text_width
from crm_desktop.reports.pdf.values import PERCENT_SIGN

PALETTE = [HexColor(c) for c in ("#2F6DB5", "#E8893B", "#4BA36B", "#C8504B", "#8A6FBF", "#7A8A99", "#D4B43C")]
TITLE_SIZE = 10.5
LABEL_SIZE = 8
LEGEND_ROW = 14


def _number(value: float) -> str:
    return format_number(value, 0 if float(value).is_integer() else 1)


class ChartFlowable(Flowable):
    def __init__(self, chart: Chart, width: float, height: float = 210) -> None:
        super().__init__()
        self.chart, self.width, self.height = chart, width, height
        self.spaceAfter = 12
        self.hAlign = "RIGHT"

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        painter = painter_for(self.canv)
        self.canv.setFillColor(INK)
        painter.draw_text(self.chart.title, BOLD, TITLE_SIZE, self.width, self.height - TITLE_SIZE)
        if not self.chart.categories or not self.chart.series:
            painter.draw_text("داده‌ای برای نمودار نیست.", REGULAR, LABEL_SIZE + 1, self.width, self.height / 2)
            return
        if self.chart.kind is ChartKind.PIE:
            self._draw_pie()
        else:
            self._draw_bars()

    # -- the legend, at the right ------------------------------------------------------------
    def _legend(self, names: list[str], colors: list[Color], top: float) -> float:
        """Draw swatch + name rows from ``top`` down at the right edge; return the legend's width."""
        painter = painter_for(self.canv)
        widest = max(text_width(name, REGULAR, LABEL_SIZE) for name in names)
        y = top
        for name, color in zip(names, colors, strict=True):
            self.canv.setFillColor(color)
            self.canv.rect(self.width - 9, y - 1, 8, 8, stroke=0, fill=1)
            self.canv.setFillColor(INK)
            painter.draw_text(name, REGULAR, LABEL_SIZE, self.width - 13, y)
            y -= LEGEND_ROW
        return widest + 18

    def _draw_bars(self) -> None:
        chart = self.chart
        series = list(chart.series)
        legend_w = self._legend([s.name for s in series], PALETTE[: len(series)] or PALETTE,
                                self.height - 2.4 * TITLE_SIZE) if len(series) > 1 else 0.0
        plot_w = self.width - legend_w - 40
        bottom, plot_h = 30.0, self.height - 30 - 2.6 * TITLE_SIZE
        drawing = Drawing(self.width, self.height)
        bars = VerticalBarChart()
        bars.x, bars.y, bars.width, bars.height = 30, bottom, plot_w, plot_h
        # Right to left: the first category is the rightmost group, the first series the right bar of a group.
        bars.data = [list(s.values)[::-1] for s in reversed(series)]
        bars.categoryAxis.categoryNames = [""] * len(chart.categories)
        bars.categoryAxis.labels.fontSize = 1
        bars.valueAxis.valueMin = 0
        bars.valueAxis.labels.fontName = REGULAR
        bars.valueAxis.labels.fontSize = LABEL_SIZE - 1
        bars.valueAxis.labelTextFormat = _number
        bars.valueAxis.visibleGrid = True
        bars.valueAxis.gridStrokeColor = HexColor("#DDE2E8")
        bars.valueAxis.gridStrokeWidth = 0.3
        bars.barSpacing = 1
        bars.groupSpacing = 8
        for i in range(len(series)):
            bars.bars[i].fillColor = PALETTE[(len(series) - 1 - i) % len(PALETTE)]
            bars.bars[i].strokeColor = None
        drawing.add(bars)
        renderPDF.draw(drawing, self.canv, 0, 0)
        painter = painter_for(self.canv)
        self.canv.setFillColor(INK)
        step = plot_w / len(chart.categories)
        for i, name in enumerate(reversed(list(chart.categories))):
            centre = 30 + step * (i + 0.5)
            label = name
            while text_width(label, REGULAR, LABEL_SIZE) > step - 2 and len(label) > 2:
                label = label[:-2] + "…"
            painter.draw_text(label, REGULAR, LABEL_SIZE, centre, bottom - 12, align="center")
        top = max((max(s.values, default=0) for s in series), default=0)
        if len(series) == 1 and top > 0:
            scale_top = bars.valueAxis.valueMax if bars.valueAxis.valueMax else top
            for i, value in enumerate(reversed(list(series[0].values))):
                y = bottom + plot_h * value / scale_top + 2
                painter.draw_text(_number(value), REGULAR, LABEL_SIZE - 1, 30 + step * (i + 0.5), y, align="center")

    def _draw_pie(self) -> None:
        chart = self.chart
        values = [max(0.0, float(v)) for v in chart.series[0].values]
        total = sum(values)
        names = [f"{name} ({_share(v, total)})" for name, v in zip(chart.categories, values, strict=True)]
        colors = [PALETTE[i % len(PALETTE)] for i in range(len(values))]
        self._legend(names, colors, self.height - 2.4 * TITLE_SIZE)
        if total <= 0:
            return
        size = min(self.height - 3 * TITLE_SIZE, self.width / 2)
        drawing = Drawing(self.width, self.height)
        pie = Pie()
        pie.x, pie.y, pie.width, pie.height = 30, (self.height - 2 * TITLE_SIZE - size) / 2, size, size
        pie.data = values
        pie.startAngle, pie.direction = 90, "clockwise"
        pie.sideLabels = False
        pie.labels = None
        pie.simpleLabels = True
        for i in range(len(values)):
            pie.slices[i].fillColor = colors[i]
            pie.slices[i].strokeColor = HexColor("#FFFFFF")
            pie.slices[i].strokeWidth = 0.8
            pie.slices[i].fontSize = 1
            pie.slices[i].label_visible = False
        drawing.add(pie)
        renderPDF.draw(drawing, self.canv, 0, 0)
        painter = painter_for(self.canv)
        self.canv.setFillColor(HexColor("#FFFFFF"))
        angle = 90.0
        cx, cy, radius = pie.x + size / 2, pie.y + size / 2, size / 2
        for value in values:
            sweep = 360 * value / total
            if sweep >= 18:
                mid = math.radians(angle - sweep / 2)
                painter.draw_text(_share(value, total), BOLD, LABEL_SIZE, cx + 0.62 * radius * math.cos(mid),
                                  cy + 0.62 * radius * math.sin(mid) - 3, align="center")
            angle -= sweep
        self.canv.setFillColor(INK)


def _share(value: float, total: float) -> str:
    return format_number(100 * value / total if total else 0, 1).rstrip("۰").rstrip("٫") + PERCENT_SIGN
