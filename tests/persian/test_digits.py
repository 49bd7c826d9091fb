"""Tests for digit conversion and Persian number formatting."""

from __future__ import annotations

from decimal import Decimal

import pytest

from crm_desktop.persian import digits_only, format_number, to_ascii_digits, to_persian_digits


def test_to_persian_digits_converts_latin_and_arabic() -> None:
    assert to_persian_digits("0123456789") == "۰۱۲۳۴۵۶۷۸۹"
    assert to_persian_digits("٠١٢٣٤٥٦٧٨٩") == "۰۱۲۳۴۵۶۷۸۹"
    assert to_persian_digits("۰۱۲") == "۰۱۲"


def test_to_persian_digits_leaves_other_characters() -> None:
    assert to_persian_digits("کد 12-ab ٣") == "کد ۱۲-ab ۳"
    assert to_persian_digits("") == ""


def test_to_ascii_digits_converts_persian_and_arabic() -> None:
    assert to_ascii_digits("۰۱۲۳۴۵۶۷۸۹") == "0123456789"
    assert to_ascii_digits("٠١٢٣٤٥٦٧٨٩") == "0123456789"
    assert to_ascii_digits("شماره ۱۲ و ٣4") == "شماره 12 و 34"


def test_digits_only_keeps_digits_of_all_scripts() -> None:
    assert digits_only("۰۹۱۲-٣٤٥ 67 (89)") == "09123456789"
    assert digits_only("بدون رقم") == ""
    assert digits_only("²³") == ""  # superscripts are not digits here


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (0, 0, "۰"),
        (7, 0, "۷"),
        (999, 0, "۹۹۹"),
        (1000, 0, "۱٬۰۰۰"),
        (1234567, 0, "۱٬۲۳۴٬۵۶۷"),
        (-1234567, 0, "−۱٬۲۳۴٬۵۶۷"),
        (1000, 2, "۱٬۰۰۰٫۰۰"),
        (1234.5, 2, "۱٬۲۳۴٫۵۰"),
        (-12.25, 1, "−۱۲٫۲"),  # round half to even, like Python
        (0.125, 3, "۰٫۱۲۵"),
        (-0.001, 2, "۰٫۰۰"),  # rounds to zero: no sign
        (-0.0, 0, "۰"),
        (Decimal("-12.5"), 1, "−۱۲٫۵"),
        (Decimal("1234567.891"), 2, "۱٬۲۳۴٬۵۶۷٫۸۹"),
        (10**20 + 1, 0, "۱۰۰٬۰۰۰٬۰۰۰٬۰۰۰٬۰۰۰٬۰۰۰٬۰۰۱"),
    ],
)
def test_format_number(value: int | float | Decimal, decimals: int, expected: str) -> None:
    assert format_number(value, decimals) == expected


def test_format_number_default_has_no_decimals() -> None:
    assert format_number(2.6) == "۳"


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf"), Decimal("NaN")])
def test_format_number_rejects_non_finite(value: float | Decimal) -> None:
    with pytest.raises(ValueError):
        format_number(value)


def test_format_number_rejects_negative_decimals() -> None:
    with pytest.raises(ValueError):
        format_number(1, -1)
