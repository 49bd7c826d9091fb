"""``render_pdf``: a ReportDocument as an A4 right-to-left PDF (portrait, or landscape for wide tables)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Sequence
from itertools import islice
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Spacer

from crm_desktop.progress import NullProgress, Progress
from crm_desktop.reports.document import Block, Chart, Figures, Kind, Note, ReportDocument, Table, Value
from crm_desktop.reports.pdf.charts import ChartFlowable
from crm_desktop.reports.pdf.flowables import GridRow, GridTable, RtlParagraph, shape_row
from crm_desktop.reports.pdf.fonts import BOLD
from crm_desktop.reports.pdf.page import FOOTER_HEIGHT, HEADER_HEIGHT, MARGIN_X, PageCanvas, PageText
from crm_desktop.reports.pdf.shaping import shape_line
from crm_desktop.reports.pdf.values import format_change, format_value

CHUNK = 250  # rows read between two progress reports / cancel checks
WIDE_TABLE = 8  # a table with this many columns or more turns the pages to landscape
SECTION_SIZE = 13
CAPTION_SIZE = 10.5


class _Work:
    """Progress over reading rows and then drawing them (each row counts twice)."""

    def __init__(self, progress: Progress, rows: int | None) -> None:
        self.progress, self.total, self.done = progress, (2 * rows if rows is not None else None), 0

    def add(self, n: int, message: str) -> None:
        self.done += n
        self.progress.update(self.done, self.total, message)
        self.progress.check()


def render_pdf(document: ReportDocument, target: Path, progress: Progress | None = None) -> int:
    """Write the document to ``target`` (a temporary file in the same folder, then ``os.replace``).

    Returns the page count. ``progress.check()`` runs between row chunks and pages;
    when it raises ``Cancelled`` no file is left behind.
    """
    progress = progress or NullProgress()
    target = Path(target)
    wide = any(isinstance(b, Table) and len(b.columns) >= WIDE_TABLE for s in document.sections for b in s.blocks)
    pagesize = landscape(A4) if wide else A4
    frame_width = pagesize[0] - 2 * MARGIN_X
    known = [b.row_count for s in document.sections for b in s.blocks if isinstance(b, Table)]
    work = _Work(progress, sum(n for n in known if n is not None) if None not in known else None)
    progress.check()
    fd, temp_name = tempfile.mkstemp(prefix=".", suffix=".pdf.part", dir=target.parent)
    os.close(fd)
    try:
        story = _story(document, frame_width, work)
        doc = BaseDocTemplate(temp_name, pagesize=pagesize, leftMargin=MARGIN_X, rightMargin=MARGIN_X,
                              topMargin=HEADER_HEIGHT, bottomMargin=FOOTER_HEIGHT, title=document.title,
                              author=document.generated_by, subject=document.period, creator="crm-desktop",
                              pageCompression=1)
        frame = Frame(MARGIN_X, FOOTER_HEIGHT, frame_width, pagesize[1] - HEADER_HEIGHT - FOOTER_HEIGHT,
                      leftPadding=0, rightPadding=0, topPadding=6, bottomPadding=4, id="body")
        doc.addPageTemplates([PageTemplate("page", [frame], onPage=lambda _c, _d: progress.check())])
        canvases: list[PageCanvas] = []

        def make_canvas(*args: object, **kwargs: object) -> PageCanvas:
            canvas = PageCanvas(*args, page_text=PageText.of(document), **kwargs)
            canvases.append(canvas)
            return canvas

        doc.build(story, canvasmaker=make_canvas)
        os.replace(temp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    return canvases[-1].page_count


def _story(document: ReportDocument, width: float, work: _Work) -> list[Flowable]:
    story: list[Flowable] = []
    for section in document.sections:
        title = RtlParagraph(section.title, SECTION_SIZE, BOLD, space_after=6)
        title.keepWithNext = True
        story.append(title)
        for block in section.blocks:
            story.extend(_block(block, width, work))
    if not story:
        story.append(RtlParagraph("این گزارش محتوایی ندارد."))
    return story


def _block(block: Block, width: float, work: _Work) -> list[Flowable]:
    if isinstance(block, Note):
        return [RtlParagraph(block.text, 9.5, space_after=8)]
    if isinstance(block, Chart):
        return [ChartFlowable(block, min(width, 520))]
    if isinstance(block, Figures):
        return [_figures(block, width)]
    return _table(block, width, work)


def _widths(weights: Sequence[float], width: float) -> list[float]:
    total = sum(weights) or 1.0
    return [width * w / total for w in weights]


def _figures(block: Figures, width: float) -> Flowable:
    compare = any(item.compare for item in block.items)
    size = 9.0
    if compare:
        titles = ["شاخص", block.current_label, block.previous_label, "تغییر"]
        widths = _widths([2.6, 1, 1, 1], min(width, 470))
        rows = [[item.label, format_value(item.value, item.kind),
                 format_value(item.previous, item.kind) if item.compare else "",
                 format_change(item.change, item.kind) if item.compare else ""] for item in block.items]
    else:
        titles = ["شاخص", block.current_label]
        widths = _widths([2.6, 1], min(width, 330))
        rows = [[item.label, format_value(item.value, item.kind)] for item in block.items]
    header = shape_row(titles, widths, size, bold=True)
    caption = shape_line(block.title, BOLD, CAPTION_SIZE)
    return GridTable(header, [shape_row(r, widths, size) for r in rows], widths, size, caption=caption)


def _table(block: Table, width: float, work: _Work) -> list[Flowable]:
    columns = list(block.columns)
    size = 8.0 if len(columns) >= WIDE_TABLE else 8.5
    widths = _widths([c.weight for c in columns], width)
    kinds = [c.kind for c in columns]
    header = shape_row([c.title for c in columns], widths, size, bold=True)
    caption = shape_line(block.title, BOLD, CAPTION_SIZE)
    rows = _read_rows(block.rows, kinds, widths, size, work)
    if block.totals is not None:
        rows.append(shape_row(_texts(block.totals, kinds), widths, size, bold=True, style="total"))
    if not rows:
        return [GridTable(header, [], widths, size, caption=caption),
                RtlParagraph(block.empty_text, 9, space_after=10), Spacer(1, 4)]
    return [GridTable(header, rows, widths, size, caption=caption,
                      on_drawn=lambda n: work.add(n, "ساختن صفحه‌ها"))]


def _texts(values: Sequence[Value], kinds: Sequence[Kind]) -> list[str]:
    return [format_value(v, k) for v, k in zip(values, kinds, strict=True)]


def _read_rows(source: Iterable[Sequence[Value]], kinds: list[Kind], widths: list[float], size: float,
               work: _Work) -> list[GridRow]:
    """Read the rows once (a generator is fine), in chunks, reporting progress between chunks."""
    rows: list[GridRow] = []
    iterator = iter(source)
    while chunk := list(islice(iterator, CHUNK)):
        rows.extend(shape_row(_texts(values, kinds), widths, size) for values in chunk)
        work.add(len(chunk), "خواندن ردیف‌ها")
    return rows
