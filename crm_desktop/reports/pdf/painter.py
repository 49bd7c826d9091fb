"""Writing shaped lines into a reportlab canvas as PDF text operators (glyphs by code, TJ kerning).

Glyphs go into the page left to right; each is shown with the font's nominal
width and a TJ adjustment brings the pen to harfbuzz's advance (kerning, a
zero-width joiner). Mark offsets use the text rise. The operators of a line are
kept per document: a table repeats the same values on every page.
"""

from __future__ import annotations

from reportlab.pdfgen.canvas import Canvas

from crm_desktop.reports.pdf.fonts import glyph_font
from crm_desktop.reports.pdf.shaping import ShapedLine, shape_line


def _num(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


class TextPainter:
    """Draws shaped lines on one canvas (one document)."""

    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self._ops: dict[tuple[str, str, float], str] = {}
        self._codes: dict[tuple[str, int], tuple[int, str]] = {}

    def draw(self, line: ShapedLine, x: float, y: float) -> None:
        """Draw ``line`` with its left end at ``x`` and its baseline at ``y``."""
        if not line.glyphs:
            return
        key = (line.text, line.font, line.size)
        ops = self._ops.get(key)
        if ops is None:
            ops = self._ops[key] = self._operators(line)
        self.canvas.addLiteral(f"BT 1 0 0 1 {_num(x)} {_num(y)} Tm {ops} ET")

    def draw_text(self, text: str, font: str, size: float, x: float, y: float, align: str = "right") -> float:
        """Shape and draw ``text``; ``x`` is its right end, centre or left end per ``align``. Returns the width."""
        line = shape_line(text, font, size)
        width = line.width
        left = x - width if align == "right" else x - width / 2 if align == "center" else x
        self.draw(line, left, y)
        return width

    def _encode(self, font_name: str, code: int) -> tuple[int, str]:
        key = (font_name, code)
        found = self._codes.get(key)
        if found is None:
            font = glyph_font(font_name)
            ((subset, data),) = font.splitString(chr(code), self.canvas._doc)
            found = self._codes[key] = (subset, data.hex().upper())
        return found

    def _operators(self, line: ShapedLine) -> str:
        font = glyph_font(line.font)
        doc = self.canvas._doc
        size = _num(line.size)
        widths = font.face.charWidths
        out: list[str] = []
        current_subset = -1
        items: list[str] = []

        def flush() -> None:
            if items:
                out.append("[" + "".join(items) + "] TJ")
                items.clear()

        for glyph in line.glyphs:
            subset, hexcode = self._encode(line.font, glyph.code)
            if subset != current_subset:
                flush()
                out.append(f"{font.getSubsetInternalName(subset, doc)} {size} Tf")
                current_subset = subset
            if glyph.y_offset:
                flush()
                out.append(f"{_num(glyph.y_offset * line.size / 1000)} Ts")
            if glyph.x_offset:
                items.append(_num(-glyph.x_offset))
            items.append(f"<{hexcode}>")
            adjust = widths.get(glyph.code, font.face.defaultWidth) - glyph.advance + glyph.x_offset
            if abs(adjust) > 0.005:
                items.append(_num(adjust))
            if glyph.y_offset:
                flush()
                out.append("0 Ts")
        flush()
        return " ".join(out)
