"""Tests for the Persian sort key and its agreement with SQLite's BINARY collation."""

from __future__ import annotations

import sqlite3

import pytest

from crm_desktop.persian import persian_sort_key
from crm_desktop.persian.collation import PERSIAN_ALPHABET


def _sorted(names: list[str]) -> list[str]:
    return sorted(names, key=persian_sort_key)


def test_given_names_sort_alphabetically() -> None:
    expected = ["آرش", "احمد", "بهرام", "پرویز", "تینا", "جواد", "چنگیز", "حسن", "زهرا", "ژاله"]
    assert _sorted(list(reversed(expected))) == expected
    assert _sorted(sorted(expected)) == expected


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("ز", "ژ"),
        ("ک", "گ"),
        ("ب", "پ"),
        ("ج", "چ"),
        ("آ", "ا"),
        ("و", "ه"),
        ("ه", "ی"),
        ("ن", "و"),
        ("ع", "غ"),
        ("زهره", "ژیلا"),
        ("کامران", "گلناز"),
        ("آزاده", "ابراهیم"),
        ("علی", "علی اکبر"),
        ("علی اکبر", "علیرضا"),
        ("علی", "علیرضا"),
    ],
)
def test_pairs_in_order(first: str, second: str) -> None:
    assert persian_sort_key(first) < persian_sort_key(second)


def test_yeh_is_the_last_letter() -> None:
    others = [ch for ch in PERSIAN_ALPHABET if ch not in "یئ"]
    assert all(persian_sort_key(ch) < persian_sort_key("ی") for ch in others)


def test_full_alphabet_order() -> None:
    letters = list("آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی")
    assert _sorted(list(reversed(letters))) == letters


def test_hamza_forms() -> None:
    assert persian_sort_key("أحمد") == persian_sort_key("احمد")
    assert persian_sort_key("إ") == persian_sort_key("ا")
    assert persian_sort_key("و") < persian_sort_key("ؤ") < persian_sort_key("ه")
    assert persian_sort_key("ی") < persian_sort_key("ئ")
    assert persian_sort_key("ء") < persian_sort_key("آ")


def test_arabic_variants_share_the_key() -> None:
    assert persian_sort_key("علي") == persian_sort_key("علی")
    assert persian_sort_key("كاظم") == persian_sort_key("کاظم")
    assert persian_sort_key("می\u200cشود") == persian_sort_key("می شود")
    assert persian_sort_key("Ali") == persian_sort_key("ali")


def test_groups_space_digits_persian_latin_other() -> None:
    ordered = [" ", "0", "9", "ء", "آ", "ی", "a", "z", "!", "é", "中"]
    keys = [persian_sort_key("x" + ch + "x") for ch in ordered]
    assert keys == sorted(keys)


def test_unknown_characters_keep_code_point_order() -> None:
    unknown = ["!", "(", "@", "é", "ٹ", "中", "\U0001f600"]
    assert _sorted(list(reversed(unknown))) == unknown
    assert all(persian_sort_key("ی") < persian_sort_key(ch) for ch in unknown)


def test_numbers_sort_before_names() -> None:
    assert _sorted(["بانک", "12", "Bank"]) == ["12", "بانک", "Bank"]


def test_empty_and_prefix() -> None:
    assert persian_sort_key("") == ""
    assert persian_sort_key("محمد رضا").startswith(persian_sort_key("محمد"))


def test_key_is_deterministic_and_valid_utf8() -> None:
    key = persian_sort_key("علی Ali ۱۲ !")
    assert key == persian_sort_key("علی Ali ۱۲ !")
    assert key.encode("utf-8").decode("utf-8") == key


def test_sqlite_binary_order_matches_python_order() -> None:
    names = [
        "ژاله", "زهرا", "آرش", "احمد", "علیرضا", "علی اکبر", "علی", "گلناز", "کامران",
        "یاسمن", "Bob", "alice", "12 بانک", "#دفتر", "وحید", "مؤمن", "هادی", "پرویز", "بهرام",
    ]  # fmt: skip
    con = sqlite3.connect(":memory:")
    try:
        con.execute("CREATE TABLE people (name TEXT, sort_key TEXT)")
        con.execute("CREATE INDEX people_sort ON people (sort_key)")
        con.executemany("INSERT INTO people VALUES (?, ?)", [(n, persian_sort_key(n)) for n in names])
        from_db = [row[0] for row in con.execute("SELECT name FROM people ORDER BY sort_key, name")]
    finally:
        con.close()
    assert from_db == sorted(names, key=lambda n: (persian_sort_key(n), n))
