"""Persian language support: digits, search normalization, collation, Jalali dates, validators.

Pure Python (standard library and ``jdatetime``); no Qt, no database.
"""

from __future__ import annotations

from crm_desktop.persian.collation import persian_sort_key
from crm_desktop.persian.digits import digits_only, format_number, to_ascii_digits, to_persian_digits
from crm_desktop.persian.jalali import (
    JALALI_MONTHS,
    JALALI_WEEKDAYS,
    format_jalali_date,
    format_jalali_datetime,
    gregorian_to_jalali,
    is_jalali_leap,
    jalali_month_days,
    jalali_month_range,
    jalali_to_gregorian,
    parse_jalali_date,
    tehran_tz,
    to_tehran,
)
from crm_desktop.persian.normalize import normalize
from crm_desktop.persian.validators import (
    ValidationError,
    make_card_number,
    make_company_id,
    make_iban,
    make_national_id,
    validate_card_number,
    validate_company_id,
    validate_iban,
    validate_mobile,
    validate_national_id,
    validate_postal_code,
)

__all__ = [
    "JALALI_MONTHS",
    "JALALI_WEEKDAYS",
    "ValidationError",
    "digits_only",
    "format_jalali_date",
    "format_jalali_datetime",
    "format_number",
    "gregorian_to_jalali",
    "is_jalali_leap",
    "jalali_month_days",
    "jalali_month_range",
    "jalali_to_gregorian",
    "make_card_number",
    "make_company_id",
    "make_iban",
    "make_national_id",
    "normalize",
    "parse_jalali_date",
    "persian_sort_key",
    "tehran_tz",
    "to_ascii_digits",
    "to_persian_digits",
    "to_tehran",
    "validate_card_number",
    "validate_company_id",
    "validate_iban",
    "validate_mobile",
    "validate_national_id",
    "validate_postal_code",
]
