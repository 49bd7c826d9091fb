"""Name and identifier keys: the spellings of one Persian name meet, different names do not."""

from __future__ import annotations

import pytest
from rapidfuzz import fuzz

from crm_desktop.services.duplicates.names import (
    company_id_key,
    email_key,
    mobile_key,
    name_key,
    name_skeleton,
    national_id_key,
)


@pytest.mark.parametrize("spelling", ["علی‌رضا", "عليرضا", "علی رضا", "علیرضا", "عَلیرِضا", " علی  رضا "])
def test_the_spellings_of_alireza_have_one_key(spelling: str) -> None:
    assert name_key(spelling) == "علیرضا"


@pytest.mark.parametrize(("a", "b"), [
    ("كريمي", "کریمی"),  # Arabic kaf and yeh
    ("فاطمة", "فاطمه"),  # teh marbuta
    ("آرش", "ارش"),  # alef with madda
    ("مسئول", "مسیول"),  # hamza seat
    ("عبدالله", "عبد الله"),
])
def test_letters_persian_writes_two_ways_are_folded(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


def test_different_names_keep_different_keys() -> None:
    assert name_key("علی") != name_key("ولی")
    assert name_key("کریمی") != name_key("کریمیان")


@pytest.mark.parametrize(("a", "b"), [("اسماعیل", "اسمعیل"), ("مرتضی", "مرتضا"), ("داوود", "داود"),
                                      ("ثمین", "صمین"), ("طاهره", "تاهره")])
def test_sound_alike_spellings_share_a_skeleton(a: str, b: str) -> None:
    assert name_skeleton(a) == name_skeleton(b)
    assert name_key(a) != name_key(b)


def test_rapidfuzz_compares_code_points_so_names_are_keyed_first() -> None:
    # Arabic ي/ك are other code points than Persian ی/ک: rapidfuzz alone sees three edits...
    assert fuzz.ratio("كريمي", "کریمی") < 50
    # ...and after the key they are one name; a one-letter slip stays similar.
    assert fuzz.ratio(name_key("كريمي"), name_key("کریمی")) == 100
    assert fuzz.ratio(name_key("اسماعیل"), name_key("اسمعیل")) > 90


@pytest.mark.parametrize("typed", ["0012345678", "۰۰۱۲۳۴۵۶۷۸", "۰۰۱-۲۳۴۵۶۷-۸", "12345678", " 001 234 5678 "])
def test_a_national_id_is_its_ten_digits_however_typed(typed: str) -> None:
    assert national_id_key(typed) == "0012345678"


@pytest.mark.parametrize("junk", ["", "0000000000", "12", "abc", None])
def test_placeholder_ids_are_no_key(junk: str | None) -> None:
    assert national_id_key(junk) == ""


def test_company_id_is_eleven_digits() -> None:
    assert company_id_key("۱۰۱۰-۱۲۳۴۵۶۷") == "10101234567"


@pytest.mark.parametrize("typed", ["09121234567", "+989121234567", "+98 912 123 4567", "00989121234567",
                                   "۰۹۱۲۱۲۳۴۵۶۷", "9121234567", "0912-123-4567"])
def test_one_mobile_written_every_way(typed: str) -> None:
    assert mobile_key(typed) == "09121234567"


@pytest.mark.parametrize("junk", ["09120000000", "02188123456", "0912123", ""])
def test_landlines_short_numbers_and_placeholders_are_no_mobile(junk: str) -> None:
    assert mobile_key(junk) == ""


def test_email_key_ignores_case_and_spaces() -> None:
    assert email_key(" Ali.Karimi@Example.COM ") == "ali.karimi@example.com"
    assert email_key("not an address") == ""
