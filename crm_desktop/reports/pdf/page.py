"""The page furniture: a header (bank, branch, title, period) and a footer «صفحه ۳ از ۱۲».

The total page count is known only at the end, so the canvas keeps every page
and draws header and footer on all of them when the document is saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.pdfgen.canvas import Canvas

from crm_desktop.persian import format_jalali_datetime, to_persian_digits
from crm_desktop.reports.document import ReportDocument
from crm_desktop.reports.pdf.flowables import INK, painter_for
from crm_desktop.reports.pdf.fonts import BOLD, REGULAR

MARGIN_X = 34.0
HEADER_HEIGHT = 54.0
FOOTER_HEIGHT = 30.0
MUTED = HexColor("#5B6673")
ACCENT = HexColor("#2F6DB5")


@dataclass(frozen=True)
class PageText:
    """What the header and footer say."""

    bank: str
    branch: str
    title: str
    period: str
    made: str  # «تهیه‌شده در … توسط …»

    @classmethod
    def of(cls, document: ReportDocument) -> PageText:
        made = f"تهیه‌شده در {format_jalali_datetime(document.generated_at)} توسط {document.generated_by}"
        return cls(document.bank, document.branch, document.title, f"بازه زمانی: {document.period}", made)


def page_label(page: int, pages: int) -> str:
    return f"صفحه {to_persian_digits(str(page))} از {to_persian_digits(str(pages))}"


class PageCanvas(Canvas):
    """A canvas that draws the header and footer on every page once the page count is known."""

    def __init__(self, *args: Any, page_text: PageText, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.page_text = page_text
        self._pages: list[dict[str, Any]] = []
        self.page_count = 0

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        pages = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._furniture(number, pages)
            super().showPage()
        self.page_count = pages
        super().save()

    def _furniture(self, number: int, pages: int) -> None:
        text, painter = self.page_text, painter_for(self)
        width, height = self._pagesize
        right, left = width - MARGIN_X, MARGIN_X
        top = height - 26
        self.setFillColor(INK)
        painter.draw_text(text.bank, BOLD, 11, right, top)
        painter.draw_text(text.title, BOLD, 12.5, left, top, align="left")
        self.setFillColor(MUTED)
        painter.draw_text(text.branch, REGULAR, 9, right, top - 15)
        painter.draw_text(text.period, REGULAR, 9, left, top - 15, align="left")
        self.setStrokeColor(ACCENT)
        self.setLineWidth(1)
        self.line(left, height - HEADER_HEIGHT + 4, right, height - HEADER_HEIGHT + 4)
        self.setStrokeColor(HexColor("#C9D1DA"))
        self.setLineWidth(0.5)
        self.line(left, FOOTER_HEIGHT - 4, right, FOOTER_HEIGHT - 4)
        painter.draw_text(page_label(number, pages), REGULAR, 8.5, right, FOOTER_HEIGHT - 16)
        painter.draw_text(text.made, REGULAR, 8, left, FOOTER_HEIGHT - 16, align="left")
