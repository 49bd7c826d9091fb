"""Breaking right-to-left text into lines that fit a width, at word boundaries."""

from __future__ import annotations

from crm_desktop.reports.pdf.shaping import ShapedLine, shape_line, text_width


def wrap_text(text: str, font: str, size: float, width: float) -> list[str]:
    """The lines of ``text`` (logical order each) so that each fits ``width`` points.

    Breaks at spaces (and at explicit newlines); a single word wider than the
    width is cut between characters. An empty text gives one empty line.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        if text_width(paragraph, font, size) <= width:
            lines.append(paragraph)
            continue
        space = text_width(" ", font, size)
        current: list[str] = []
        used = 0.0
        for word in paragraph.split():
            w = text_width(word, font, size)
            if w > width:
                if current:
                    lines.append(" ".join(current))
                pieces = _cut_word(word, font, size, width)
                lines.extend(pieces[:-1])
                current, used = [pieces[-1]], text_width(pieces[-1], font, size)
                continue
            if current and used + space + w > width:
                lines.append(" ".join(current))
                current, used = [word], w
            else:
                used += (space if current else 0.0) + w
                current.append(word)
        lines.append(" ".join(current))
    return lines


def _cut_word(word: str, font: str, size: float, width: float) -> list[str]:
    pieces: list[str] = []
    start = 0
    while start < len(word):
        end = start + 1
        while end < len(word) and text_width(word[start : end + 1], font, size) <= width:
            end += 1
        pieces.append(word[start:end])
        start = end
    return pieces


def wrap_shaped(text: str, font: str, size: float, width: float) -> list[ShapedLine]:
    """``wrap_text``, each line shaped."""
    return [shape_line(line, font, size) for line in wrap_text(text, font, size, width)]
