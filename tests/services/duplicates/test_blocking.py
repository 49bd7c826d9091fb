"""Blocking: pairs come only from shared keys, common keys are skipped, the scan is not all-pairs."""

from __future__ import annotations

from typing import Any

from crm_desktop.persian import make_national_id
from crm_desktop.services.duplicates import blocking
from crm_desktop.services.duplicates.blocking import PairCollector, block_keys, unpack


def row(first: str, last: str, *, nid: str | None = None, birth: str | None = "1980-01-01",
        father: str | None = None, mobile: str | None = None, email: str | None = None) -> tuple[Any, ...]:
    return ("individual", first, last, father, nid, birth, None, None, mobile, email)


def pairs_of(rows: list[tuple[Any, ...]], min_score: int = 0) -> set[tuple[int, int]]:
    collector = PairCollector()
    for r in rows:
        collector.add(r)
    return {unpack(p) for p in collector.pairs(min_score)}


def test_spellings_of_one_name_born_the_same_year_share_a_key() -> None:
    keys_a, _ = block_keys(row("علی‌رضا", "كريمي", birth="1981-08-03"))
    keys_b, _ = block_keys(row("علی رضا", "کریمی", birth="1981-02-01"))
    assert set(keys_a) & set(keys_b)


def test_unrelated_customers_are_never_paired() -> None:
    people = [("علی", "کریمی"), ("مریم", "احمدی"), ("رضا", "رضایی"), ("سارا", "نوری")]
    rows = [row(f, l_, nid=make_national_id(f"00{i + 1:07d}"), mobile=f"0912{1234500 + i:07d}",
                birth=f"{1950 + i}-01-01") for i, (f, l_) in enumerate(people)]
    assert pairs_of(rows) == set()


def test_same_mobile_pairs_two_otherwise_different_records() -> None:
    rows = [row("علی", "کریمی", mobile="09121234567"), row("مریم", "احمدی", mobile="+989121234567", birth=None),
            row("رضا", "رضایی")]
    assert pairs_of(rows) == {(0, 1)}


def test_name_and_fathers_name_pairs_only_when_a_birth_date_is_missing() -> None:
    dated = [row("علی", "کریمی", father="حسین", birth="1960-01-01"),
             row("علی", "کریمی", father="حسين", birth="1990-01-01")]
    assert pairs_of(dated) == set()
    undated = [dated[0], row("علی", "کریمی", father="حسين", birth=None)]
    assert pairs_of(undated) == {(0, 1)}


def test_a_placeholder_shared_by_too_many_is_skipped_not_compared(monkeypatch) -> None:
    monkeypatch.setattr(blocking, "MAX_BLOCK", 5)
    rows = [row(f"نام{'ا' * i}", "فامیل", email="none@bank.ir", birth=f"{1950 + i}-01-01") for i in range(8)]
    collector = PairCollector()
    for r in rows:
        collector.add(r)
    assert collector.pairs() == []
    assert collector.oversized_blocks == 1


def test_pairs_that_cannot_reach_the_threshold_are_not_read_again() -> None:
    # namesakes born the same year with different national IDs: candidates, but far below 50
    rows = [row("علی", "کریمی", nid=make_national_id("001234567"), birth="1980-01-01"),
            row("علی", "کریمی", nid=make_national_id("007654321"), birth="1980-03-01")]
    collector = PairCollector()
    for r in rows:
        collector.add(r)
    assert collector.pairs(50) == [] and collector.bounded == 1
    assert pairs_of(rows, 0) == {(0, 1)}


def made_up_name(n: int) -> str:
    """A distinct name per number: its digits as letters, neighbours from different sets (no repeats)."""
    sets = ("بپتجچخدرزژ", "سشفقکگلمنه")
    return "".join(sets[pos % 2][int(d)] for pos, d in enumerate(f"{n:04d}"))


def test_pair_count_grows_with_duplicates_not_with_the_square_of_customers() -> None:
    rows = [row(made_up_name(i), made_up_name(i + 5000), nid=make_national_id(f"1{i:08d}"),
                birth=f"{1940 + i % 60}-01-01") for i in range(3000)]
    rows.append(row(made_up_name(7), made_up_name(5007), birth="1947-05-05"))  # one planted duplicate of row 7
    assert pairs_of(rows) == {(7, 3000)}
