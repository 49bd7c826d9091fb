"""Vazirmatn for reportlab, with a glyph-to-text mapping that keeps shaped Persian searchable.

reportlab identifies a glyph by a Unicode code point and writes a ToUnicode map
that sends each PDF code back to that code point. A shaped Arabic-script glyph
(an initial ``س``, the ``لا`` ligature) has no code point of its own, or only a
presentation form (U+FB50–U+FEFF), so a reader would copy presentation forms.

``GlyphFont`` gives every (glyph, text) pair that the RTL layer draws a private
code point (plane 15) of its own: reportlab's subsetter embeds the glyph under
that code, and ``addObjects`` rewrites the ToUnicode map so that the code reads
back as the pair's text: ordinary letters, two letters for a ligature. The same
glyph may so carry different texts in different places (a mark, a ligature).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import uharfbuzz as hb
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import SUBSETN, TTFont

from crm_desktop.config import resource_dir
from crm_desktop.reports.pdf.tounicode import to_unicode_cmap

REGULAR = "Vazirmatn"
BOLD = "Vazirmatn-Bold"
_FILES = {REGULAR: "Vazirmatn-Regular.ttf", BOLD: "Vazirmatn-Bold.ttf"}

_PRIVATE_START = 0xF0000  # Supplementary Private Use Area-A: 65,534 codes, none in the font
_PRIVATE_END = 0xFFFFD


class GlyphFont(TTFont):
    """A reportlab TTFont that can draw glyphs by id and map each drawn glyph to any text."""

    def __init__(self, name: str, filename: str) -> None:
        super().__init__(name, filename, shapable=False)
        self._lock = threading.Lock()
        self._codes: dict[tuple[int, str], int] = {}  # (glyph id, text) -> code point
        self.texts: dict[int, str] = {}  # private code point -> the text it stands for
        self._next = _PRIVATE_START
        blob = hb.Blob(self.face._ttf_data)
        self.hb_face = hb.Face(blob)
        self.hb_font = hb.Font(self.hb_face)
        self.units_per_em: int = self.hb_face.upem
        cmap = self.face.charToGlyph
        self._cmap_glyph = {code: gid for code, gid in cmap.items() if code < _PRIVATE_START}
        self._glyph_width = [width for width, _lsb in self.face.hmetrics]  # font units, by glyph id

    def code_for(self, gid: int, text: str) -> int:
        """The code point that draws glyph ``gid`` and reads back as ``text``."""
        key = (gid, text)
        code = self._codes.get(key)
        if code is not None:
            return code
        with self._lock:
            code = self._codes.get(key)
            if code is not None:
                return code
            if len(text) == 1 and self._cmap_glyph.get(ord(text)) == gid and ord(text) != 0xA0:
                code = ord(text)  # the font's own mapping already says the right thing
            else:
                if self._next > _PRIVATE_END:
                    raise RuntimeError("too many distinct glyphs for one font")
                code = self._next
                self._next += 1
                self.face.charToGlyph[code] = gid
                self.face.charWidths[code] = self.face._pdfScale(self._glyph_width[gid])
                self.texts[code] = text
            self._codes[key] = code
            return code

    def addObjects(self, doc: object) -> None:
        """Write the subsets as reportlab does, then replace each ToUnicode map with ours."""
        state = self.state.get(doc)
        subsets = [list(s) for s in state.subsets] if state is not None else []
        super().addObjects(doc)
        for n, subset in enumerate(subsets):
            base_name = (b"".join((SUBSETN(n), b"+", self.face.name, self.face.subfontNameX))).decode("pdfdoc")
            stream = doc.idToObject["toUnicodeCMap:" + base_name]  # type: ignore[attr-defined]
            stream.content = to_unicode_cmap(base_name, [self.texts.get(code, chr(code)) for code in subset])


@dataclass(frozen=True)
class Metrics:
    """Vertical metrics of a font at size 1 (multiply by the font size)."""

    ascent: float
    descent: float  # negative


@cache
def glyph_font(name: str) -> GlyphFont:
    """The registered font (``REGULAR`` or ``BOLD``), loaded once per process."""
    path = Path(resource_dir()) / "fonts" / _FILES[name]
    font = GlyphFont(name, str(path))
    pdfmetrics.registerFont(font)
    return font


def metrics(font: GlyphFont) -> Metrics:
    return Metrics(font.face.ascent / 1000, font.face.descent / 1000)
