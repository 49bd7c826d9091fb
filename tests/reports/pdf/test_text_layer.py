"""The right-to-left text layer: bidi runs, shaping, the glyph-to-text mapping, wrapping."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from crm_desktop.reports.pdf.bidi_runs import visual_runs
from crm_desktop.reports.pdf.fonts import BOLD, REGULAR, glyph_font
from crm_desktop.reports.pdf.shaping import logical_text, shape_line, text_width
from crm_desktop.reports.pdf.tounicode import glyph_texts, to_unicode_cmap
from crm_desktop.reports.pdf.wrap import wrap_text

PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")


def runs_text(text: str) -> list[tuple[str, bool]]:
    return [(text[r.start : r.end], r.rtl) for r in visual_runs(text)]


def test_plain_persian_is_one_right_to_left_run() -> None:
    assert runs_text("درخواست‌های خدمت") == [("درخواست‌های خدمت", True)]


def test_latin_code_and_digits_are_left_to_right_runs_in_visual_order() -> None:
    runs = runs_text("کد محصول ABC-123 در شعبه")
    # Visual order, left to right: the last Persian words, then the code, then the first words.
    assert runs == [(" در شعبه", True), ("ABC-123", False), ("کد محصول ", True)]


def test_number_after_a_colon_stays_left_of_the_word() -> None:
    assert runs_text("تعداد: ۱۲") == [("۱۲", False), ("تعداد: ", True)]


def test_a_jalali_date_is_one_left_to_right_run() -> None:
    assert runs_text("تاریخ ۱۴۰۵/۰۷/۰۱") == [("۱۴۰۵/۰۷/۰۱", False), ("تاریخ ", True)]


def test_shaped_glyphs_are_not_presentation_form_text_but_are_joined() -> None:
    line = shape_line("سلام", REGULAR, 10)
    font = glyph_font(REGULAR)
    names = [font.hb_font.glyph_to_string(font.face.charToGlyph[g.code]) for g in line.glyphs]
    assert "uniFEFC" in names  # the لا ligature is used: the letters are joined
    assert [g.text for g in line.glyphs] == ["م", "ال", "س"]  # drawn left to right; the ligature in visual order
    assert logical_text(line) == "سلام"


def test_digits_of_a_persian_number_are_drawn_in_order() -> None:
    line = shape_line("جمع ۱۲٬۳۴۵ ریال", REGULAR, 10)
    digits = [g.text for g in line.glyphs if g.text in "۰۱۲۳۴۵۶۷۸۹٬"]
    assert "".join(digits) == "۱۲٬۳۴۵"


def test_mixed_line_positions_first_word_rightmost() -> None:
    line = shape_line("کد IR820540102680020817909002 ثبت", REGULAR, 10)
    xs = line.positions()
    x_of = {g.text: x for g, x in zip(line.glyphs, xs, strict=True)}
    assert x_of["ک"] > x_of["I"] > x_of["ث"]  # first word at the right, the IBAN in the middle, last word left
    iban = [g.text for g in line.glyphs if g.text.isascii()]
    assert "".join(iban).strip() == "IR820540102680020817909002"


def test_parentheses_are_mirrored_but_read_back_logically() -> None:
    line = shape_line("(حساب جاری)", REGULAR, 10)
    font = glyph_font(REGULAR)
    first, last = line.glyphs[0], line.glyphs[-1]
    # The leftmost glyph is the logical ")" drawn with the "(" shape, and the other way round.
    assert (first.text, last.text) == (")", "(")
    assert font.face.charToGlyph[first.code] == font.face.charToGlyph[ord("(")]
    assert logical_text(line) == "(حساب جاری)"


def test_zwnj_draws_nothing_but_stays_in_the_text() -> None:
    line = shape_line("درخواست‌ها", REGULAR, 10)
    assert all(g.advance > 0 for g in line.glyphs)
    assert logical_text(line) == "درخواست‌ها"


def test_glyph_texts_share_a_cluster_and_reverse_right_to_left_pieces() -> None:
    # Two glyphs for one cluster of two characters (a base letter and its mark), left to right.
    assert glyph_texts("بٌ", [0, 0], rtl=False) == ["ب", "ٌ"]
    # Right to left: glyphs come in visual order, so the logical first glyph is the last one.
    assert glyph_texts("بٌ", [0, 0], rtl=True) == ["ٌ", "ب"]
    assert glyph_texts("لا", [0], rtl=True) == ["ال"]
    assert glyph_texts("abc", [0, 2], rtl=False) == ["ab", "c"]


def test_to_unicode_cmap_maps_codes_to_utf16_text() -> None:
    cmap = to_unicode_cmap("X", ["\x00", "ا", "ال", "\U0001F600"])
    pairs = dict(re.findall(r"<([0-9A-F]{2})> <([0-9A-F]+)>", cmap.split("beginbfchar")[1]))
    assert pairs == {"00": "0000", "01": "0627", "02": "06270644", "03": "D83DDE00"}
    many = to_unicode_cmap("X", ["ا"] * 256)
    assert many.count("beginbfchar") == 3  # blocks of at most 100 entries


def test_same_glyph_can_read_as_different_texts() -> None:
    font = glyph_font(REGULAR)
    gid = font.face.charToGlyph[ord("ا")]
    assert font.code_for(gid, "ا") == ord("ا")
    other = font.code_for(gid, "ای")
    assert other != ord("ا") and font.texts[other] == "ای" and font.face.charToGlyph[other] == gid


def test_shaping_is_cached_per_text_font_and_size() -> None:
    assert shape_line("شعبه مرکزی", REGULAR, 9) is shape_line("شعبه مرکزی", REGULAR, 9)
    assert text_width("شعبه مرکزی", BOLD, 9) > text_width("شعبه مرکزی", REGULAR, 9) * 0.9
    assert text_width("شعبه مرکزی", REGULAR, 18) == 2 * text_width("شعبه مرکزی", REGULAR, 9)


def test_wrap_breaks_at_words_and_keeps_every_word() -> None:
    text = "این یادداشت طولانی باید در چند خط شکسته شود تا شکستن خطوط در مرز واژه‌ها دیده شود"
    lines = wrap_text(text, REGULAR, 10, 120)
    assert len(lines) > 2
    assert " ".join(lines) == text
    assert all(text_width(line, REGULAR, 10) <= 120 for line in lines)


def test_wrap_cuts_a_word_longer_than_the_width() -> None:
    lines = wrap_text("IR820540102680020817909002", REGULAR, 10, 40)
    assert "".join(lines) == "IR820540102680020817909002"
    assert all(text_width(line, REGULAR, 10) <= 40 for line in lines)


PERSIAN = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیئآ"
ALPHABET = PERSIAN + "ABCXYZabc-" + "۰۱۲۳۴۵۶۷۸۹0123456789" + " /:()٬٫٪.\u200c"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, min_size=1, max_size=40).filter(lambda t: t.strip("\u200c")))
def test_any_mixed_text_round_trips_through_the_glyph_mapping(text: str) -> None:
    line = shape_line(text, REGULAR, 10)
    assert logical_text(line) == text
    read = "".join(g.text for g in line.glyphs)
    assert not PRESENTATION_FORMS.search(read)
    assert all(unicodedata.category(ch) != "Co" for ch in read)  # no private-use code points leak out
