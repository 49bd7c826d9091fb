"""Shaping one line: bidi runs, each shaped by harfbuzz in its direction, glyphs left to right.

A ``ShapedLine`` knows its glyphs (as codes of a ``GlyphFont``, each reading back as
its own piece of the logical text), where each one sits and how wide the line is.
Lines are cached per (text, font, size): a report repeats the same values a lot.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import uharfbuzz as hb

from crm_desktop.reports.pdf.bidi_runs import visual_runs
from crm_desktop.reports.pdf.fonts import GlyphFont, glyph_font
from crm_desktop.reports.pdf.tounicode import glyph_texts

_FEATURES = {"kern": True, "liga": True}


@dataclass(frozen=True, slots=True)
class Glyph:
    """One glyph to draw; lengths in thousandths of the font size (PDF text space units)."""

    code: int  # code point in the GlyphFont (reads back as ``text``)
    text: str  # the characters it stands for, in the order a PDF reader wants them
    advance: float
    x_offset: float = 0.0
    y_offset: float = 0.0
    rtl: bool = False
    cluster: int = 0  # where the glyph's characters start in the line's (logical) text


@dataclass(frozen=True, slots=True)
class ShapedLine:
    text: str
    font: str  # registered font name
    size: float
    glyphs: tuple[Glyph, ...]  # left to right, as drawn

    @property
    def width(self) -> float:
        return sum(g.advance for g in self.glyphs) * self.size / 1000

    def positions(self) -> list[float]:
        """The x of each glyph's origin, from the line's left edge, in points."""
        x, result = 0.0, []
        for glyph in self.glyphs:
            result.append(x + glyph.x_offset * self.size / 1000)
            x += glyph.advance * self.size / 1000
        return result


@lru_cache(maxsize=200_000)
def shape_line(text: str, font: str, size: float) -> ShapedLine:
    """Shape one line of (right-to-left paragraph) text. Newlines and tabs are shown as spaces."""
    text = text.replace("\n", " ").replace("\t", " ").replace("\r", " ")
    return ShapedLine(text, font, size, _shape(text, font))


@lru_cache(maxsize=200_000)
def _shape(text: str, font_name: str) -> tuple[Glyph, ...]:
    font = glyph_font(font_name)
    glyphs: list[Glyph] = []
    for run in visual_runs(text):
        glyphs.extend(_shape_run(font, text, run.start, run.end, run.rtl))
    return tuple(glyphs)


def _shape_run(font: GlyphFont, text: str, start: int, end: int, rtl: bool) -> list[Glyph]:
    buf = hb.Buffer()
    buf.add_str(text, start, end - start)  # the whole line as context for joining
    buf.guess_segment_properties()
    # ZWNJ and friends draw nothing; their characters stay in the text of the glyph before them.
    buf.flags = hb.BufferFlags.REMOVE_DEFAULT_IGNORABLES
    buf.direction = "rtl" if rtl else "ltr"
    hb.shape(font.hb_font, buf, _FEATURES)
    scale = 1000 / font.units_per_em
    infos, positions = buf.glyph_infos, buf.glyph_positions
    texts = glyph_texts(text[start:end], [info.cluster - start for info in infos], rtl)
    return [
        Glyph(
            code=font.code_for(info.codepoint, piece),
            text=piece,
            advance=pos.x_advance * scale,
            x_offset=pos.x_offset * scale,
            y_offset=pos.y_offset * scale,
            rtl=rtl,
            cluster=info.cluster,
        )
        for info, pos, piece in zip(infos, positions, texts, strict=True)
    ]


def logical_text(line: ShapedLine) -> str:
    """The text a PDF reader recovers from the glyphs' ToUnicode entries, read back in logical order.

    A reader takes each right-to-left run backwards (glyphs and the letters of each
    glyph); sorting the glyphs by cluster does the same here. Used by the tests.
    """
    order = sorted(range(len(line.glyphs)),
                   key=lambda i: (line.glyphs[i].cluster, -i if line.glyphs[i].rtl else i))
    return "".join(line.glyphs[i].text[::-1] if line.glyphs[i].rtl else line.glyphs[i].text for i in order)


def text_width(text: str, font: str, size: float) -> float:
    """The width of ``text`` shaped as one line, in points."""
    return shape_line(text, font, size).width
