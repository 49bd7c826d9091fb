"""Tests for the Iranian identifier validators."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from crm_desktop.errors import CrmError
from crm_desktop.persian import (
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

VALIDATORS: list[tuple[Callable[[str], str], str]] = [
    (validate_national_id, "national_id"),
    (validate_company_id, "company_id"),
    (validate_mobile, "mobile"),
    (validate_postal_code, "postal_code"),
    (validate_iban, "iban"),
    (validate_card_number, "card_number"),
]


def _error(validator: Callable[[str], str], value: object) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        validator(value)  # type: ignore[arg-type]
    return info.value


def test_validation_error_shape() -> None:
    error = ValidationError("مقدار نامعتبر است", field="mobile")
    assert isinstance(error, CrmError)
    assert isinstance(error, ValueError)
    assert error.code == "validation"
    assert error.field == "mobile"
    assert error.message == str(error) == "مقدار نامعتبر است"


@pytest.mark.parametrize(("validator", "field"), VALIDATORS)
@pytest.mark.parametrize("value", [None, "", "   ", "-", "\u200c"])
def test_missing_value(validator: Callable[[str], str], field: str, value: str | None) -> None:
    error = _error(validator, value)
    assert error.field == field
    assert error.code == "validation"
    assert "وارد نشده است" in error.message


@pytest.mark.parametrize(("validator", "field"), VALIDATORS)
@pytest.mark.parametrize("value", [1234567890, 12.5, b"0912", ["0912"], object()])
def test_non_text_value(validator: Callable[[str], str], field: str, value: object) -> None:
    error = _error(validator, value)
    assert error.field == field
    assert "متن" in error.message


@pytest.mark.parametrize(("validator", "field"), VALIDATORS)
@pytest.mark.parametrize("value", ["abc", "۱۲۳الف", "9" * 5000, "١" * 40, "1²3", "0912 123 45 67 ext 2"])
def test_garbage(validator: Callable[[str], str], field: str, value: str) -> None:
    assert _error(validator, value).field == field


# --- national ID ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0499370899", "0499370899"),
        ("0012345679", "0012345679"),
        ("1000000011", "1000000011"),  # remainder 1: the check digit is the remainder itself
        ("۰۴۹۹۳۷۰۸۹۹", "0499370899"),
        ("٠٤٩٩٣٧٠٨٩٩", "0499370899"),
        ("049-937089-9", "0499370899"),
        (" 049 937 0899 ", "0499370899"),
        ("12345679", "0012345679"),  # eight digits are left-padded
        ("012345679", "0012345679"),  # nine digits too
    ],
)
def test_national_id_valid(raw: str, expected: str) -> None:
    assert validate_national_id(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("0499370898", "نامعتبر"),
        ("0499370809", "نامعتبر"),
        ("1111111111", "نامعتبر"),  # check digit fits but all digits are the same
        ("0000000000", "نامعتبر"),
        ("00000000", "نامعتبر"),
        ("1234567", "۱۰ رقم"),
        ("04993708990", "۱۰ رقم"),
        ("04993708a9", "رقم"),
    ],
)
def test_national_id_invalid(raw: str, reason: str) -> None:
    error = _error(validate_national_id, raw)
    assert error.field == "national_id"
    assert reason in error.message


def test_make_national_id() -> None:
    assert make_national_id("049937089") == "0499370899"
    assert make_national_id("۰۰۱۲۳۴۵۶۷") == "0012345679"
    for first9 in ("000000001", "123456789", "987654320", "100000001"):
        code = make_national_id(first9)
        assert validate_national_id(code) == code
    with pytest.raises(ValidationError):
        make_national_id("12345678")
    with pytest.raises(ValidationError):
        make_national_id("111111111")  # would give 1111111111


# --- company ID -------------------------------------------------------------------------


def test_company_id_hand_computed() -> None:
    # d = 0 + 2; Σ (digit + 2) × [29 27 23 19 17 29 27 23 19 17] = 1149; 1149 mod 11 = 5.
    assert validate_company_id("10101567805") == "10101567805"
    # d = 3 + 2; the sum is 1528; 1528 mod 11 = 10, which counts as 0.
    assert validate_company_id("10860000030") == "10860000030"
    assert validate_company_id("۱۰۱۰-۱۵۶۷-۸۰۵") == "10101567805"


@pytest.mark.parametrize("raw", ["10101567804", "10860000031", "1010156780", "101015678050"])
def test_company_id_invalid(raw: str) -> None:
    assert _error(validate_company_id, raw).field == "company_id"


def test_make_company_id() -> None:
    assert make_company_id("1010156780") == "10101567805"
    assert make_company_id("1086000003") == "10860000030"
    for first10 in ("1410000000", "1032005678", "1400123456", "9999999999"):
        code = make_company_id(first10)
        assert validate_company_id(code) == code
        wrong = code[:10] + str((int(code[10]) + 1) % 10)
        with pytest.raises(ValidationError):
            validate_company_id(wrong)
    with pytest.raises(ValidationError):
        make_company_id("123")


# --- mobile -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "09121234567",
        "9121234567",
        "+989121234567",
        "00989121234567",
        "989121234567",
        "+98 912 123 4567",
        "+98 (912) 123-4567",
        "(0912) 123-45-67",
        "+98 (0) 912 123 4567",
        "۰۹۱۲۱۲۳۴۵۶۷",
        "٠٩١٢١٢٣٤٥٦٧",
        "+۹۸۹۱۲۱۲۳۴۵۶۷",
        "\u200e0912 123 4567\u200e",
    ],
)
def test_mobile_valid(raw: str) -> None:
    assert validate_mobile(raw) == "09121234567"


@pytest.mark.parametrize(
    "raw",
    [
        "0912123456",  # too short
        "091212345678",  # too long
        "02112345678",  # Tehran landline
        "2112345678",
        "+18005551234",
        "+0912123456",
        "+00989121234567",
        "0098 (0) 2112345678",
        "09121234567+",
        "0912+1234567",
        "0912.123.4567",
        "00912123456",
        "+",
    ],
)
def test_mobile_invalid(raw: str) -> None:
    error = _error(validate_mobile, raw)
    assert error.field == "mobile"
    assert "شمارهٔ همراه" in error.message


# --- postal code ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1314567890", "1314567890"),
        ("13145-67890", "1314567890"),
        ("۱۳۱۴۵-۶۷۸۹۰", "1314567890"),
        ("٤٤٤٤٤ ٥٥٥٥٥", "4444455555"),
        ("1111122222", "1111122222"),  # 0 and 2 are fine after the fifth digit
    ],
)
def test_postal_code_valid(raw: str, expected: str) -> None:
    assert validate_postal_code(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["0314567890", "1304567890", "1314267890", "1111111111", "131456789", "13145678901", "12345-67890"],
)
def test_postal_code_invalid(raw: str) -> None:
    assert _error(validate_postal_code, raw).field == "postal_code"


# --- IBAN -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("IR062960000000100324200001", "IR062960000000100324200001"),
        ("IR710570029971601460641001", "IR710570029971601460641001"),
        ("ir06 2960 0000 0010 0324 2000 01", "IR062960000000100324200001"),
        ("IR۰۶۲۹۶۰۰۰۰۰۰۰۱۰۰۳۲۴۲۰۰۰۰۱", "IR062960000000100324200001"),
        ("IR06-2960-0000-0010-0324-2000-01", "IR062960000000100324200001"),
    ],
)
def test_iban_valid(raw: str, expected: str) -> None:
    assert validate_iban(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "IR062960000000100324200002",  # wrong check
        "IR162960000000100324200001",
        "062960000000100324200001",  # country code missing
        "DE89370400440532013000",  # a valid German IBAN is not Iranian
        "IR06296000000010032420000",  # 23 digits
        "IR0629600000001003242000011",  # 25 digits
        "IRXX2960000000100324200001",
    ],
)
def test_iban_invalid(raw: str) -> None:
    assert _error(validate_iban, raw).field == "iban"


def test_make_iban() -> None:
    assert make_iban("2960000000100324200001") == "IR062960000000100324200001"
    iban = make_iban("0" * 21 + "1")
    assert validate_iban(iban) == iban
    with pytest.raises(ValidationError):
        make_iban("123")


# --- card number ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("6274129005473742", "6274129005473742"),
        ("6274-1290-0547-3742", "6274129005473742"),
        ("6274 1290 0547 3742", "6274129005473742"),
        ("۶۲۷۴۱۲۹۰۰۵۴۷۳۷۴۲", "6274129005473742"),
        ("4111111111111111", "4111111111111111"),
    ],
)
def test_card_number_valid(raw: str, expected: str) -> None:
    assert validate_card_number(raw) == expected


@pytest.mark.parametrize("raw", ["6274129005473743", "6037991234567890", "627412900547374", "62741290054737421"])
def test_card_number_invalid(raw: str) -> None:
    assert _error(validate_card_number, raw).field == "card_number"


def test_make_card_number() -> None:
    assert make_card_number("627412900547374") == "6274129005473742"
    assert make_card_number("411111111111111") == "4111111111111111"
    for first15 in ("603799123456789", "610433781234567", "000000000000000"):
        card = make_card_number(first15)
        assert validate_card_number(card) == card
