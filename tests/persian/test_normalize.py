"""Tests for the search-key normalization."""

from __future__ import annotations

import sys

import pytest

from crm_desktop.persian import normalize
from crm_desktop.persian.normalize import _TABLE


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("علي", "علی"),  # Arabic yeh
        ("مصطفى", "مصطفی"),  # alef maksura
        ("كريم", "کریم"),  # Arabic kaf
        ("فاطمة", "فاطمه"),  # teh marbuta
        ("خانۀ", "خانه"),  # heh with yeh above
        ("أحمد", "احمد"),
        ("إيران", "ایران"),
        ("آرش", "آرش"),  # آ is kept
        ("ٱلله", "الله"),
    ],
)
def test_arabic_letters_become_persian(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_digits_become_ascii() -> None:
    assert normalize("۰۹۱۲ ٣٤٥ 678") == "0912 345 678"


def test_diacritics_and_tatweel_are_removed() -> None:
    assert normalize("مُحَمَّد") == "محمد"
    assert normalize("عَلِیٌّ") == "علی"
    assert normalize("رحمٰن") == "رحمن"  # superscript alef
    assert normalize("مـــحمد") == "محمد"  # tatweel


def test_zwnj_equals_space() -> None:
    assert normalize("می\u200cشود") == normalize("می شود") == "می شود"
    assert normalize("خانه\u200cها") == "خانه ها"


@pytest.mark.parametrize(
    "mark",
    ["\u200b", "\u200c", "\u200d", "\ufeff", "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202e"],
)
def test_zero_width_and_bidi_marks_separate_words(mark: str) -> None:
    assert normalize(f"{mark}الف{mark}ب{mark}") == "الف ب"


def test_soft_hyphen_is_removed() -> None:
    assert normalize("co\u00adop") == "coop"


def test_latin_is_case_folded() -> None:
    assert normalize("Ali REZAEI") == "ali rezaei"
    assert normalize("Straße") == "strasse"


def test_whitespace_is_folded_and_stripped() -> None:
    assert normalize("  علی \t\n  رضایی\u00a0\u3000 ") == "علی رضایی"
    assert normalize("") == ""
    assert normalize(" \u200c\u200f ") == ""


def test_presentation_forms_become_base_letters() -> None:
    assert normalize("\ufed9\ufeea\ufef4\ufee6") == normalize("کهین")  # isolated/final/medial forms
    assert normalize("\ufefb") == "لا"  # lam-alef ligature
    assert normalize("\ufdf2") == "الله"
    assert normalize("\ufbfc") == "ی"  # Persian yeh isolated
    assert normalize("\ufb8e") == "ک"  # keheh isolated
    assert normalize("\ufe8d\ufe8e") == "اا"


def test_mixed_example() -> None:
    raw = "  آقاي مُحَمّد\u200cرضا  كريمي  ۱۲۳ "
    assert normalize(raw) == "آقای محمد رضا کریمی 123"


def test_table_values_are_fixed_points() -> None:
    """The translate table never produces one of its own keys."""
    for value in _TABLE.values():
        assert all(ord(ch) not in _TABLE for ch in value)
        assert value.casefold() == value


def test_casefold_never_produces_table_keys() -> None:
    """Together with the test above this makes ``normalize`` idempotent on every string."""
    for cp in range(sys.maxunicode + 1):
        ch = chr(cp)
        folded = ch.casefold()
        if folded == ch or cp in _TABLE:
            continue
        assert folded.casefold() == folded, hex(cp)
        assert all(ord(x) not in _TABLE for x in folded), hex(cp)


def test_idempotent_on_every_special_character() -> None:
    for cp in _TABLE:
        once = normalize(chr(cp) + "a" + chr(cp))
        assert normalize(once) == once, hex(cp)
