"""Validators for Iranian identifiers; each returns the clean value or raises ``ValidationError``.

Every validator accepts Persian, Arabic-Indic and Latin digits, ignores spaces, dashes and
invisible direction marks, and raises nothing but ``ValidationError`` (with ``field`` set),
whatever the input. The ``make_*`` helpers build valid values for demo data.
"""

from __future__ import annotations

import re

from crm_desktop.errors import CrmError
from crm_desktop.persian.digits import to_ascii_digits, to_persian_digits


class ValidationError(CrmError, ValueError):
    """A value a person typed is not acceptable; the message says why, in Persian."""

    code = "validation"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None) -> None:
        super().__init__(message, field=field, code=code)


# Spaces, dashes and invisible marks that people (or copy and paste) put inside numbers.
_NOISE = re.compile(
    r"[\s\-\u2010-\u2015\u2212"  # whitespace and dashes
    r"\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]+"  # invisible marks
)
_ASCII_DIGITS = re.compile(r"[0-9]+")
_MOBILE_NOISE = re.compile(r"[()]")

_NATIONAL_ID_LEN = 10
_COMPANY_ID_LEN = 11
_COMPANY_COEFFICIENTS = (29, 27, 23, 19, 17, 29, 27, 23, 19, 17)
_IBAN_DIGITS = 24
_CARD_LEN = 16


def _fa(n: int) -> str:
    return to_persian_digits(str(n))


def _clean(value: object, field: str, label: str) -> str:
    """Check ``value`` is non-empty text; return it with Latin digits and no separators."""
    if value is None:
        raise ValidationError(f"{label} وارد نشده است", field=field)
    if not isinstance(value, str):
        raise ValidationError(f"{label} باید به‌صورت متن وارد شود", field=field)
    cleaned = _NOISE.sub("", to_ascii_digits(value))
    if not cleaned:
        raise ValidationError(f"{label} وارد نشده است", field=field)
    return cleaned


def _clean_digits(value: object, field: str, label: str, length: int) -> str:
    """Like ``_clean`` but the result must be exactly ``length`` Latin digits."""
    cleaned = _clean(value, field, label)
    if not _ASCII_DIGITS.fullmatch(cleaned):
        raise ValidationError(f"{label} فقط باید شامل رقم باشد", field=field)
    if len(cleaned) != length:
        raise ValidationError(f"{label} باید {_fa(length)} رقم باشد", field=field)
    return cleaned


# --- national ID (کد ملی) -------------------------------------------------------------


def _national_id_check(first9: str) -> int:
    r = sum(int(first9[i]) * (10 - i) for i in range(9)) % 11
    return r if r < 2 else 11 - r


def validate_national_id(text: object) -> str:
    """Validate an Iranian national ID (کد ملی); return its 10 Latin digits.

    Eight or nine digits are left-padded with zeros, as is common practice.
    """
    field, label = "national_id", "کد ملی"
    cleaned = _clean(text, field, label)
    if _ASCII_DIGITS.fullmatch(cleaned) and 8 <= len(cleaned) < _NATIONAL_ID_LEN:
        cleaned = cleaned.zfill(_NATIONAL_ID_LEN)
    code = _clean_digits(cleaned, field, label, _NATIONAL_ID_LEN)
    if len(set(code)) == 1 or _national_id_check(code[:9]) != int(code[9]):
        raise ValidationError("کد ملی نامعتبر است", field=field)
    return code


def make_national_id(first9: str) -> str:
    """Append the check digit to nine digits, giving a valid national ID."""
    digits = _clean_digits(first9, "national_id", "بخش اول کد ملی", 9)
    code = digits + str(_national_id_check(digits))
    if len(set(code)) == 1:
        raise ValidationError("کد ملی با رقم‌های یکسان معتبر نیست", field="national_id")
    return code


# --- legal-entity national ID (شناسهٔ ملی) ------------------------------------------


def _company_id_check(first10: str) -> int:
    d = int(first10[9]) + 2
    s = sum((int(first10[i]) + d) * _COMPANY_COEFFICIENTS[i] for i in range(10))
    r = s % 11
    return 0 if r == 10 else r


def validate_company_id(text: object) -> str:
    """Validate the 11-digit national ID of a legal entity (شناسهٔ ملی); return its digits."""
    field, label = "company_id", "شناسهٔ ملی"
    code = _clean_digits(text, field, label, _COMPANY_ID_LEN)
    if _company_id_check(code[:10]) != int(code[10]):
        raise ValidationError("شناسهٔ ملی نامعتبر است", field=field)
    return code


def make_company_id(first10: str) -> str:
    """Append the check digit to ten digits, giving a valid legal-entity national ID."""
    digits = _clean_digits(first10, "company_id", "بخش اول شناسهٔ ملی", 10)
    return digits + str(_company_id_check(digits))


# --- mobile number (شمارهٔ همراه) ---------------------------------------------------


def validate_mobile(text: object) -> str:
    """Validate an Iranian mobile number in any common form; return «09xxxxxxxxx»."""
    field, label = "mobile", "شمارهٔ همراه"
    cleaned = _MOBILE_NOISE.sub("", _clean(text, field, label))
    invalid = ValidationError("شمارهٔ همراه نامعتبر است؛ نمونهٔ درست: ۰۹۱۲۱۲۳۴۵۶۷", field=field)
    plus = cleaned.startswith("+")
    digits = cleaned[1:] if plus else cleaned
    if not _ASCII_DIGITS.fullmatch(digits):
        raise invalid
    if digits.startswith("0098") and not plus:
        digits = digits[4:]
    elif digits.startswith("98") and (plus or len(digits) >= 12):
        digits = digits[2:]
    elif plus:
        raise invalid
    if digits.startswith("0"):
        digits = digits[1:]
    if len(digits) != 10 or not digits.startswith("9"):
        raise invalid
    return "0" + digits


# --- postal code (کد پستی) --------------------------------------------------------


def validate_postal_code(text: object) -> str:
    """Validate a 10-digit Iranian postal code; return its digits.

    The first five digits contain no 0 or 2, and not all ten digits are the same.
    """
    field, label = "postal_code", "کد پستی"
    code = _clean_digits(text, field, label, 10)
    if any(ch in "02" for ch in code[:5]) or len(set(code)) == 1:
        raise ValidationError("کد پستی نامعتبر است", field=field)
    return code


# --- IBAN (شمارهٔ شبا) --------------------------------------------------------------


def _iban_remainder(iban: str) -> int:
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97


def validate_iban(text: object) -> str:
    """Validate an Iranian IBAN (شبا): «IR» and 24 digits, ISO 7064 mod 97; return it compact."""
    field, label = "iban", "شمارهٔ شبا"
    iban = _clean(text, field, label).upper()
    if not re.fullmatch(r"IR[0-9]{24}", iban):
        raise ValidationError(f"{label} باید با IR شروع شود و پس از آن {_fa(_IBAN_DIGITS)} رقم بیاید", field=field)
    if _iban_remainder(iban) != 1:
        raise ValidationError("شمارهٔ شبا نامعتبر است", field=field)
    return iban


def make_iban(bban: str) -> str:
    """Build a valid Iranian IBAN from its 22-digit BBAN (the 24 digits minus the check digits)."""
    digits = _clean_digits(bban, "iban", "بخش حساب شبا", _IBAN_DIGITS - 2)
    check = 98 - _iban_remainder("IR00" + digits)
    return f"IR{check:02d}{digits}"


# --- bank card number (شمارهٔ کارت) -------------------------------------------------


def _luhn_sum(digits: str) -> int:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 1:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10


def validate_card_number(text: object) -> str:
    """Validate a 16-digit bank card number (Luhn check); return its digits."""
    field, label = "card_number", "شمارهٔ کارت"
    card = _clean_digits(text, field, label, _CARD_LEN)
    if _luhn_sum(card) != 0:
        raise ValidationError("شمارهٔ کارت نامعتبر است", field=field)
    return card


def make_card_number(first15: str) -> str:
    """Append the Luhn check digit to fifteen digits, giving a valid card number."""
    digits = _clean_digits(first15, "card_number", "بخش اول شمارهٔ کارت", _CARD_LEN - 1)
    return digits + str((10 - _luhn_sum(digits + "0")) % 10)
