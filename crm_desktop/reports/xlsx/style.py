"""Fonts, header style and column widths for right-to-left Persian sheets.

The font is Tahoma, not Vazirmatn: a workbook cannot embed fonts and it is forwarded to head office,
so it must name a font every Windows machine has. Tahoma ships with every Windows since 95, has
complete Persian glyphs, and is what Persian Office users expect; Excel for Mac and LibreOffice
substitute a Persian-capable font for it. (The app's PDF and screens use the bundled Vazirmatn.)
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable
from typing import Final

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils.indexed_list import IndexedList

FONT_NAME: Final = "Tahoma"
FONT_SIZE: Final = 10
BASE_FONT: Final = Font(name=FONT_NAME, size=FONT_SIZE, family=2)
BOLD_FONT: Final = Font(name=FONT_NAME, size=FONT_SIZE, family=2, bold=True)
TITLE_FONT: Final = Font(name=FONT_NAME, size=14, family=2, bold=True, color="1F3864")
SECTION_FONT: Final = Font(name=FONT_NAME, size=12, family=2, bold=True, color="1F3864")
SUBTITLE_FONT: Final = Font(name=FONT_NAME, size=FONT_SIZE, family=2, color="595959")
NOTE_FONT: Final = Font(name=FONT_NAME, size=FONT_SIZE, family=2, italic=True, color="595959")
LINK_FONT: Final = Font(name=FONT_NAME, size=FONT_SIZE, family=2, underline="single", color="0563C1")

_THIN: Final = Side(style="thin", color="8EA9DB")
HEADER_BORDER: Final = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
HEADER_FILL: Final = PatternFill(fill_type="solid", start_color="DDEBF7", end_color="DDEBF7")
HEADER_ALIGNMENT: Final = Alignment(horizontal="center", vertical="center", wrap_text=True, readingOrder=2)
# Right-to-left paragraph whatever the text starts with (a Jalali date has no letters to tell by).
RTL_ALIGNMENT: Final = Alignment(readingOrder=2)
TOTAL_FILL: Final = PatternFill(fill_type="solid", start_color="F2F2F2", end_color="F2F2F2")
TOTAL_BORDER: Final = Border(top=Side(style="thin", color="000000"), bottom=Side(style="double", color="000000"))

MIN_WIDTH: Final = 6.0
MAX_WIDTH: Final = 60.0
MAX_HEADER_WIDTH: Final = 22.0  # a longer header wraps instead of widening its column
PADDING: Final = 2.0
LINE_HEIGHT: Final = 15.0  # points per line of Tahoma 10 in a wrapped header


def use_default_style(wb: Workbook) -> None:
    """Make Tahoma and a right-to-left reading order the workbook's default cell style.

    Call before any cell is styled. Every unstyled cell (most text) then shows in Tahoma as a
    right-to-left paragraph without carrying a style of its own, which keeps streaming as fast as
    plain openpyxl: a style per cell costs about 5 % of the export time per column. The reading
    order matters for text with no letters to tell the direction by, such as «۱۴۰۵/۰۹/۰۱ ۱۴:۰۵»,
    which would otherwise show the time before the date. openpyxl has no public setter for the
    default style: it is the first entry of ``wb._cell_styles`` (font 0, alignment by index); the
    tests check the written styles.xml so an openpyxl upgrade that changes this fails loudly.
    """
    wb._fonts = IndexedList([BASE_FONT])
    normal = wb._named_styles["Normal"]
    normal.font = BASE_FONT
    normal.alignment = RTL_ALIGNMENT
    default = StyleArray()
    default.alignmentId = wb._alignments.add(RTL_ALIGNMENT)
    wb._cell_styles = IndexedList([default])


def char_width(ch: str) -> float:
    """Rough width of one character in Tahoma 10, in Excel width units (the width of «0»)."""
    code = ord(ch)
    if 0x0600 <= code <= 0x06FF or 0xFB50 <= code <= 0xFEFF:
        return 1.0 if 0x06F0 <= code <= 0x06F9 or 0x0660 <= code <= 0x0669 else 1.1
    if ch == " ":
        return 0.5
    if code in (0x200C, 0x200D) or unicodedata.category(ch) in ("Mn", "Cf"):
        return 0.0
    if ch.isdigit():
        return 1.0
    if ch.isupper() or ch in "mwMW@%":
        return 1.25
    if ch.isalpha():
        return 0.9
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 2.0
    return 0.6


def text_width(text: str) -> float:
    return sum(char_width(ch) for ch in text)


def fit_width(header: str, samples: Iterable[str], *, number: bool = False) -> float:
    """A column width that fits its header (wrapped when long) and the widest sampled value.

    A number or date that does not fit shows as «####» in Excel (text only overflows), so those
    count a full unit per character.
    """
    measure = len if number else text_width
    data = max((measure(s) for s in samples), default=0.0)
    head = min(text_width(header) * 1.1, MAX_HEADER_WIDTH)  # bold
    return max(MIN_WIDTH, round(min(max(data, head) + PADDING, MAX_WIDTH), 1))


def header_height(headers: Iterable[tuple[str, float]]) -> float:
    """Row height (points) for a wrapped header row of (text, column width) pairs."""
    lines = 1
    for text, width in headers:
        usable = max(width - PADDING, 1.0)
        lines = max(lines, math.ceil(text_width(text) * 1.1 / usable))
    return LINE_HEIGHT * lines + 4
