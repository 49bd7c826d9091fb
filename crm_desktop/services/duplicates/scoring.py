"""How alike two customers are: a score from 0 to 100 and the reasons for it, in Persian.

Evidence adds or takes away points; the weights are set so that one strong sign alone (a shared mobile,
an equal name) stays below the scan's default threshold of 50 and two agreeing signs pass it:

=====================================  ======
same national ID (however written)      +60, and the score is at least 80
national IDs one typo apart             +10
two different valid national IDs        -25
same mobile / same e-mail               +25 / +15
names equal after normalisation         +35
names similar (rapidfuzz, >= 80 %)      +18 … +34
first and last name swapped             +30
names clearly different                 -20
same birth date / same year only        +20 / +5
different birth dates                   -15
same father's name / different          +5 / -10
same registration number (companies)    +15
similar address or same postal code     +10
=====================================  ======

A missing father's name, birth date or national ID on one side is named as a reason but weighs nothing;
evidence against (different IDs, names, dates) is named apart, so that a score can be understood.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from crm_desktop.persian import format_jalali_date, format_number, to_persian_digits
from crm_desktop.services.duplicates.probe import Probe

# The weights of the table above; ``score_bound`` relies on them as much as ``score_pair`` does.
ID_SAME, ID_FLOOR, ID_TYPO, ID_DIFFERENT = 60, 80, 10, 25
MOBILE, EMAIL = 25, 15
NAME_EQUAL, NAME_SWAPPED, NAMES_DIFFERENT = 35, 30, 20
BIRTH_SAME, BIRTH_YEAR, BIRTH_DIFFERENT = 20, 5, 15
FATHER_SAME, FATHER_DIFFERENT = 5, 10
REGISTRATION, ADDRESS = 15, 10

NAME_SIMILAR = 80.0  # rapidfuzz ratio (0–100) from which two names count as a likely misspelling
FATHER_SIMILAR = 85.0
ADDRESS_SIMILAR = 85.0


@dataclass(frozen=True)
class PairScore:
    score: int
    reasons: tuple[str, ...]  # what makes the two look alike (and what one of them lacks)
    differences: tuple[str, ...] = ()  # what speaks against
    agreements: int = 0  # how many independent signs agree
    #: The two share a mobile or an e-mail: worth a warning in the form even when the rest differs.
    shares_contact: bool = False


class Sketch(NamedTuple):
    """What a scan keeps of every row as integers: enough to bound the score of a pair (see ``score_bound``)."""

    corporate: bool
    ident: int  # national ID or company ID digits as a number; 0 when absent
    mobile: int  # 0 when absent
    email: int  # a hash; 0 when absent
    birth: int  # YYYYMMDD; 0 when absent


def score_bound(a: Sketch, b: Sketch) -> int:
    """The highest score ``score_pair`` could give two rows with these sketches (names, father's names,
    addresses and registration numbers are taken to agree as well as they possibly could)."""
    if a.corporate != b.corporate:
        return 0
    points, floor = NAME_EQUAL + ADDRESS, 0
    if a.ident and b.ident:
        if a.ident == b.ident:
            points, floor = points + ID_SAME, ID_FLOOR
        else:
            width = 11 if a.corporate else 10
            close = Levenshtein.distance(f"{a.ident:0{width}d}", f"{b.ident:0{width}d}") <= 2
            points += ID_TYPO if close else -ID_DIFFERENT
    if a.mobile and a.mobile == b.mobile:
        points += MOBILE
    if a.email and a.email == b.email:
        points += EMAIL
    if a.corporate:
        points += REGISTRATION
    else:
        points += FATHER_SAME
        if a.birth and b.birth:
            if a.birth == b.birth:
                points += BIRTH_SAME
            elif a.birth // 10_000 == b.birth // 10_000:
                points += BIRTH_YEAR
            else:
                points -= BIRTH_DIFFERENT
    return max(floor, min(100, max(0, points)))


class _Evidence:
    def __init__(self) -> None:
        self.points = 0
        self.reasons: list[str] = []
        self.differences: list[str] = []
        self.agreements = 0

    def agree(self, points: int, reason: str) -> None:
        self.points += points
        self.agreements += 1
        self.reasons.append(reason)

    def note(self, reason: str) -> None:
        self.reasons.append(reason)

    def differ(self, points: int, reason: str) -> None:
        self.points -= points
        self.differences.append(reason)


def score_pair(a: Probe, b: Probe) -> PairScore:
    """How likely ``a`` and ``b`` are one customer (0–100), with the reasons in Persian."""
    if a.corporate != b.corporate:
        return PairScore(0, (), ("یکی مشتری حقیقی و دیگری حقوقی است",))
    e = _Evidence()
    floor = _ids(a, b, e)
    contact = e.agreements
    if a.mobile and a.mobile == b.mobile:
        e.agree(MOBILE, f"تلفن همراه یکسان ({to_persian_digits(a.mobile)})")
    if a.email and a.email == b.email:
        e.agree(EMAIL, f"پست الکترونیک یکسان ({a.email})")
    contact = e.agreements - contact
    _names(a, b, e)
    if a.corporate:
        if a.registration_no and a.registration_no == b.registration_no:
            e.agree(REGISTRATION, f"شماره ثبت یکسان ({to_persian_digits(a.registration_no)})")
    else:
        _birth(a, b, e)
        _father(a, b, e)
    _address(a, b, e)
    score = max(floor, min(100, max(0, e.points)))
    return PairScore(score, tuple(e.reasons), tuple(e.differences), e.agreements, shares_contact=contact > 0)


def _ids(a: Probe, b: Probe, e: _Evidence) -> int:
    """Evidence from the national ID (or the company's national ID); returns the score's floor."""
    left, right = (a.company_id, b.company_id) if a.corporate else (a.national_id, b.national_id)
    label = "شناسه ملی" if a.corporate else "کد ملی"
    if not left or not right:
        if left or right:
            e.note(f"{label} در یکی از دو پرونده ثبت نشده است")
        return 0
    if left == right:
        if not a.corporate and a.national_id_raw != b.national_id_raw:
            e.agree(ID_SAME, f"کد ملی یکسان با نگارش متفاوت ({to_persian_digits(left)})")
        else:
            e.agree(ID_SAME, f"{label} یکسان ({to_persian_digits(left)})")
        return ID_FLOOR
    if Levenshtein.distance(left, right) <= 2:
        e.agree(ID_TYPO, f"{label}‌ها فقط در یک یا دو رقم فرق دارند (احتمال اشتباه تایپی)")
    else:
        e.differ(ID_DIFFERENT, f"{label} متفاوت")
    return 0


def _names(a: Probe, b: Probe, e: _Evidence) -> None:
    if not a.full or not b.full:
        return
    if a.full == b.full:
        e.agree(NAME_EQUAL, "نام‌ها پس از یکسان‌سازی نویسه‌ها برابرند")
    elif not a.corporate and a.first and a.last and a.first == b.last and a.last == b.first:
        e.agree(NAME_SWAPPED, "نام و نام خانوادگی جابه‌جا نوشته شده‌اند")
    elif (similarity := fuzz.ratio(a.full, b.full)) >= NAME_SIMILAR:
        e.agree(round(NAME_EQUAL * (similarity - 60) / 40), f"نام‌ها شبیه‌اند ({format_number(round(similarity))}٪)")
    else:
        e.differ(NAMES_DIFFERENT, "نام‌ها متفاوت")


def _birth(a: Probe, b: Probe, e: _Evidence) -> None:
    if a.birth_date is None or b.birth_date is None:
        if a.birth_date or b.birth_date:
            e.note("تاریخ تولد در یکی از دو پرونده ثبت نشده است")
    elif a.birth_date == b.birth_date:
        e.agree(BIRTH_SAME, f"تاریخ تولد یکسان ({format_jalali_date(a.birth_date)})")
    elif a.birth_date.year == b.birth_date.year:
        e.points += BIRTH_YEAR
        e.note("سال تولد یکسان، روز و ماه متفاوت")
    else:
        e.differ(BIRTH_DIFFERENT, "تاریخ تولد متفاوت")


def _father(a: Probe, b: Probe, e: _Evidence) -> None:
    if not a.father or not b.father:
        if a.father or b.father:
            e.note("نام پدر در یکی از دو پرونده ثبت نشده است")
    elif a.father == b.father or fuzz.ratio(a.father, b.father) >= FATHER_SIMILAR:
        e.agree(FATHER_SAME, "نام پدر یکسان")
    else:
        e.differ(FATHER_DIFFERENT, "نام پدر متفاوت")


def _address(a: Probe, b: Probe, e: _Evidence) -> None:
    if a.postal_code and a.postal_code == b.postal_code:
        e.agree(ADDRESS, f"کد پستی یکسان ({to_persian_digits(a.postal_code)})")
    elif a.address and b.address and fuzz.token_set_ratio(a.address, b.address) >= ADDRESS_SIMILAR:
        e.agree(ADDRESS, "نشانی مشابه")
