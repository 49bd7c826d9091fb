"""The Persian PDF renderer: reportlab pages with a right-to-left text layer of our own.

reportlab draws the pages; ``bidi_runs`` + ``shaping`` turn a line into glyphs in
visual order (python-bidi levels, harfbuzz shaping per run), ``painter`` writes
them as PDF text and ``fonts``/``tounicode`` make every glyph read back as its
letters, so the PDF stays searchable and copyable.
"""

from __future__ import annotations

from crm_desktop.reports.pdf.render import render_pdf
from crm_desktop.reports.pdf.shaping import ShapedLine, shape_line, text_width
from crm_desktop.reports.pdf.wrap import wrap_text

__all__ = ["ShapedLine", "render_pdf", "shape_line", "text_width", "wrap_text"]
