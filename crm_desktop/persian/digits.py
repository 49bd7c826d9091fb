"""Digit conversion between Latin, Persian and Arabic-Indic, and Persian number formatting."""

from __future__ import annotations

import math
from decimal import Decimal

PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
ASCII_DIGITS = "0123456789"

THOUSANDS_SEPARATOR = "٬"  # U+066C ARABIC THOUSANDS SEPARATOR
DECIMAL_SEPARATOR = "٫"  # U+066B ARABIC DECIMAL SEPARATOR
MINUS_SIGN = "−"  # U+2212 MINUS SIGN

_TO_PERSIAN = str.maketrans(ASCII_DIGITS + ARABIC_DIGITS, PERSIAN_DIGITS * 2)
_TO_ASCII = str.maketrans(PERSIAN_DIGITS + ARABIC_DIGITS, ASCII_DIGITS * 2)
_SEPARATORS = str.maketrans({",": THOUSANDS_SEPARATOR, ".": DECIMAL_SEPARATOR})
_ASCII_DIGIT_SET = frozenset(ASCII_DIGITS)


def to_persian_digits(text: str) -> str:
    """Write Latin and Arabic-Indic digits as Persian digits; leave everything else alone."""
    return text.translate(_TO_PERSIAN)


def to_ascii_digits(text: str) -> str:
    """Write Persian and Arabic-Indic digits as Latin digits; leave everything else alone."""
    return text.translate(_TO_ASCII)


def digits_only(text: str) -> str:
    """Keep only the digits of ``text`` (any of the three scripts), as Latin digits."""
    return "".join(ch for ch in to_ascii_digits(text) if ch in _ASCII_DIGIT_SET)


def format_number(n: int | float | Decimal, decimals: int = 0) -> str:
    """Format a number with Persian digits, «٬» between thousands and «٫» before decimals.

    ``format_number(1234567)`` gives «۱٬۲۳۴٬۵۶۷»; negatives start with «−» (U+2212).
    A value that rounds to zero is shown without a sign.
    """
    if isinstance(decimals, bool) or not isinstance(decimals, int) or decimals < 0:
        raise ValueError("decimals must be a non-negative int")
    if isinstance(n, float) and not math.isfinite(n):
        raise ValueError("cannot format a non-finite number")
    if isinstance(n, Decimal) and not n.is_finite():
        raise ValueError("cannot format a non-finite number")
    value: int | float | Decimal = n
    if isinstance(n, int):
        # Decimal keeps big integers exact; float formatting would round them.
        value = Decimal(int(n))
    text = f"{abs(value):,.{decimals}f}"
    negative = value < 0 and any(ch not in "0,." for ch in text)
    body = to_persian_digits(text.translate(_SEPARATORS))
    return MINUS_SIGN + body if negative else body
