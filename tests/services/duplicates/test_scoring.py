"""The score of a pair and its Persian reasons; the bound the scan prunes with never undercuts it."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from crm_desktop.persian import make_national_id
from crm_desktop.services.duplicates.blocking import block_keys
from crm_desktop.services.duplicates.probe import Probe
from crm_desktop.services.duplicates.scoring import score_bound, score_pair

PERSIAN = re.compile(r"^[\u0600-\u06FF\u200c\s\d()،.٪«»/۰-۹a-z@-]+$")
NID_1, NID_2 = make_national_id("001234567"), make_national_id("009876543")


def person(**fields: Any) -> Probe:
    base: dict[str, Any] = {"kind": "individual", "first_name": "علی", "last_name": "کریمی"}
    return Probe.from_fields({**base, **fields})


def test_same_national_id_written_differently_is_a_near_certain_duplicate() -> None:
    result = score_pair(person(national_id=NID_1), person(national_id="۰۰۱-۲۳۴۵۶۷-" + NID_1[-1], first_name="حسن"))
    assert result.score >= 80
    assert any("کد ملی یکسان با نگارش متفاوت" in r for r in result.reasons)
    assert "نام‌ها متفاوت" not in result.reasons and any("نام" in d for d in result.differences)


def test_three_spellings_with_one_mobile_and_birth_date_score_high() -> None:
    a = person(first_name="علی‌رضا", last_name="كريمي", mobile="09121234567", birth_date=date(1981, 8, 3))
    b = person(first_name="علی رضا", last_name="کریمی", mobile="+98 912 123 4567", birth_date="۱۳۶۰/۰۵/۱۲")
    result = score_pair(a, b)
    assert result.score >= 75 and result.shares_contact
    assert "نام‌ها پس از یکسان‌سازی نویسه‌ها برابرند" in result.reasons
    assert any(r.startswith("تلفن همراه یکسان") for r in result.reasons)
    assert any(r.startswith("تاریخ تولد یکسان (۱۳۶۰/۰۵/۱۲)") for r in result.reasons)


def test_a_family_sharing_a_mobile_is_not_a_duplicate_but_shares_contact() -> None:
    father = person(first_name="حسن", national_id=NID_1, mobile="09121234567", birth_date=date(1960, 1, 1))
    son = person(first_name="مهدی", national_id=NID_2, mobile="09121234567", birth_date=date(1990, 5, 5))
    result = score_pair(father, son)
    assert result.score < 30 and result.shares_contact
    assert {"کد ملی متفاوت", "نام‌ها متفاوت", "تاریخ تولد متفاوت"} <= set(result.differences)


def test_a_missing_fathers_name_is_named_but_weighs_nothing() -> None:
    with_father = person(father_name="حسین", birth_date=date(1980, 1, 1))
    without = person(birth_date=date(1980, 1, 1))
    result = score_pair(with_father, without)
    assert "نام پدر در یکی از دو پرونده ثبت نشده است" in result.reasons
    assert result.score == score_pair(without, without).score


def test_a_misspelt_name_is_similar_not_equal() -> None:
    result = score_pair(person(first_name="اسماعیل", birth_date=date(1980, 1, 1)),
                        person(first_name="اسمعیل", birth_date=date(1980, 1, 1)))
    assert any(r.startswith("نام‌ها شبیه‌اند") for r in result.reasons)
    exact = score_pair(person(birth_date=date(1980, 1, 1)), person(birth_date=date(1980, 1, 1)))
    assert 0 < result.score < exact.score


def test_swapped_first_and_last_name() -> None:
    result = score_pair(person(), person(first_name="کریمی", last_name="علی"))
    assert "نام و نام خانوادگی جابه‌جا نوشته شده‌اند" in result.reasons


def test_a_person_and_a_company_never_match() -> None:
    company = Probe.from_fields({"kind": "corporate", "company_name": "علی کریمی", "mobile": "09121234567"})
    assert score_pair(person(mobile="09121234567"), company).score == 0


def test_reasons_are_persian() -> None:
    a = person(national_id=NID_1, mobile="09121234567", email="a@b.ir", birth_date=date(1980, 1, 1),
               father_name="حسین", postal_code="1234567890")
    result = score_pair(a, a)
    assert result.score == 100
    for reason in result.reasons:
        assert PERSIAN.match(reason), reason


names = st.sampled_from(["علی", "علي", "ولی", "رضا", "علیرضا", "علی رضا", "", "کریمی", "كريمي", "کرمی"])
ids = st.sampled_from([NID_1, NID_2, make_national_id("001234576"), "۰۰۱۲۳۴۵۶۷" + NID_1[-1], None])
mobiles = st.sampled_from(["09121234567", "+989121234567", "09351112233", None])
births = st.sampled_from(["1980-01-01", "1980-06-01", "1990-01-01", "1359/10/11", None])


@settings(max_examples=300, deadline=None)
@given(st.fixed_dictionaries({"first_name": names, "last_name": names, "father_name": names, "national_id": ids,
                              "mobile": mobiles, "birth_date": births, "address": st.sampled_from(["تهران", None]),
                              "kind": st.sampled_from(["individual", "individual", "corporate"]),
                              "company_name": names, "company_id": st.sampled_from(["10101234567", None])}),
       st.fixed_dictionaries({"first_name": names, "last_name": names, "father_name": names, "national_id": ids,
                              "mobile": mobiles, "birth_date": births, "address": st.sampled_from(["تهران", None]),
                              "kind": st.sampled_from(["individual", "corporate"]),
                              "company_name": names, "company_id": st.sampled_from(["10101234567", None])}))
def test_the_bound_the_scan_prunes_with_is_never_below_the_score(a: dict[str, Any], b: dict[str, Any]) -> None:
    def row(d: dict[str, Any]) -> tuple[Any, ...]:
        return (d["kind"], d["first_name"], d["last_name"], d["father_name"], d["national_id"], d["birth_date"],
                d["company_name"], d["company_id"], d["mobile"], None)

    exact = score_pair(Probe.from_fields(a), Probe.from_fields(b)).score
    assert score_bound(block_keys(row(a))[1], block_keys(row(b))[1]) >= exact
