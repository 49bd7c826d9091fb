"""Which text each drawn glyph stands for, and the ToUnicode CMap that says so.

Why a ToUnicode entry per (glyph, text) and not ActualText spans (tried with
poppler 22.12, whose ``pdftotext`` and whose viewers' copy share one text
extractor): poppler takes the characters of a word in drawing order and reverses
every right-to-left section itself, assuming visual order. Glyphs drawn left to
right with per-glyph letters therefore come out as logical words; an ActualText
span's logical text is reversed by that same step («مالس» for «سلام»).

Consequences, checked by ``tests/reports/pdf`` against real ``pdftotext``:
- a glyph of a right-to-left run standing for several letters (the ``لا``
  ligature) is mapped to them in *visual* order, ``ال``; poppler's reversal
  gives ``لا`` back;
- ``pdftotext -raw`` keeps the drawing order of the *words* of a line, so a
  right-to-left line comes out word by word from the left (each word correct);
  plain ``pdftotext`` orders them right to left. Drawing the words right to left
  instead makes poppler break the line after every word, so it is not done.
"""

from __future__ import annotations

from collections.abc import Sequence

_HEADER = (
    "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
    "/CMapName /{name} def\n/CMapType 2 def\n1 begincodespacerange\n<00> <FF>\nendcodespacerange\n"
)
_FOOTER = "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"
_BLOCK = 100  # the PDF reference allows at most 100 entries in one bfchar block


def utf16_hex(text: str) -> str:
    """Text as UTF-16BE hex digits (surrogate pairs beyond the BMP), as a CMap wants it."""
    return text.encode("utf-16-be").hex().upper()


def to_unicode_cmap(name: str, texts: Sequence[str]) -> str:
    """A ToUnicode CMap for a 256-code subset: code ``i`` reads as ``texts[i]``."""
    entries = [f"<{i:02X}> <{utf16_hex(text)}>" for i, text in enumerate(texts) if text]
    parts = [_HEADER.format(name=name)]
    for start in range(0, len(entries), _BLOCK):
        chunk = entries[start : start + _BLOCK]
        parts.append(f"{len(chunk)} beginbfchar\n" + "\n".join(chunk) + "\nendbfchar\n")
    parts.append(_FOOTER)
    return "".join(parts)


def glyph_texts(text: str, clusters: Sequence[int], rtl: bool) -> list[str]:
    """The text each glyph of a shaped run stands for, glyphs given in drawing (visual) order.

    ``clusters`` are harfbuzz cluster values (index into ``text`` where the glyph's
    cluster starts). A cluster's characters are shared out in logical order over its
    glyphs in logical order, one character each, the last glyph taking the rest;
    extra glyphs (a letter drawn as two pieces) stand for nothing. In a
    right-to-left run a glyph's own characters are written in visual order.
    """
    n = len(clusters)
    order = range(n - 1, -1, -1) if rtl else range(n)  # glyph indices in logical order
    starts = sorted(set(clusters))
    # Characters before the first cluster (a leading ZWNJ that draws nothing) go with the first glyph.
    begin = {start: (0 if i == 0 else start) for i, start in enumerate(starts)}
    end_of = {start: (starts[i + 1] if i + 1 < len(starts) else len(text)) for i, start in enumerate(starts)}
    members: dict[int, list[int]] = {}
    for index in order:
        members.setdefault(clusters[index], []).append(index)
    result = [""] * n
    for start, indices in members.items():
        chars = text[begin[start] : end_of[start]]
        for k, index in enumerate(indices):
            piece = chars[k : k + 1] if k < len(indices) - 1 else chars[k:]
            result[index] = piece[::-1] if rtl else piece
    return result
