"""Customer search: prefixes, digits, Persian letters and order, keyset pages, scoping, both query plans."""

from __future__ import annotations

import pytest

from crm_desktop.persian import make_national_id, to_persian_digits
from crm_desktop.services import customer_search
from crm_desktop.services.errors import InvalidInput
from crm_desktop.services.records import CustomerInput


class Maker:
    """Creates customers with distinct valid national IDs."""

    def __init__(self, world) -> None:
        self.world = world
        self.n = 0

    def __call__(self, first: str, last: str, *, actor=None, **kw: object) -> str:
        self.n += 1
        nid = make_national_id(f"5{self.n:08d}")
        data = CustomerInput(first_name=first, last_name=last, national_id=kw.pop("national_id", nid), **kw)
        return self.world.services.customers.create(actor or self.world.clerk, data).value.id


@pytest.fixture
def make(world) -> Maker:
    return Maker(world)


def names(page) -> list[str]:
    return [r.display_name for r in page.rows]


def find(world, query: str, actor=None, **kw) -> set[str]:
    return set(names(world.services.search.search(actor or world.clerk, query, **kw)))


def all_pages(search, actor, query: str, limit: int, **kw) -> tuple[list, list]:
    rows, keys, after = [], [], None
    for _ in range(100):
        page = search.search(actor, query, after=after, limit=limit, **kw)
        rows.extend(page.rows)
        keys.append(page.next_key)
        if page.next_key is None:
            return rows, keys
        assert len(page.rows) == limit
        after = page.next_key
    raise AssertionError("paging never ended")


# -- what matches ----------------------------------------------------------------------------


def test_national_id_prefix(world, make) -> None:
    nid = make_national_id("012345678")
    make("علی", "کریمی", national_id=nid)
    make("حسن", "احمدی", national_id=make_national_id("099999999"))
    assert find(world, nid[:4]) == {"علی کریمی"}
    assert find(world, to_persian_digits(nid[:6])) == {"علی کریمی"}
    assert find(world, nid) == {"علی کریمی"}
    assert find(world, nid[1:5]) == set()  # digits match the start only


@pytest.mark.parametrize("typed", ["۰۹۱۲۳۴", "۹۱۲۳۴", "+۹۸۹۱۲۳۴", "۹۸۹۱۲۳۴", "٠٩١٢٣٤", "09123", "+989123"])
def test_mobile_in_any_form(world, make, typed) -> None:
    make("علی", "کریمی", mobile="09123456789")
    make("حسن", "احمدی", mobile="09353456789")
    assert find(world, typed) == {"علی کریمی"}
    assert find(world, typed.replace("۱۲", "۳۵").replace("12", "35").replace("١٢", "٣٥")) == {"حسن احمدی"}


def test_last_name_prefix_and_first_name(world, make) -> None:
    make("علی", "کریمی")
    make("حسن", "کرمانی")
    make("رضا", "احمدی")
    make("علیرضا", "نوری")
    assert find(world, "کری") == {"علی کریمی"}
    assert find(world, "کر") == {"علی کریمی", "حسن کرمانی"}
    assert find(world, "حسن") == {"حسن کرمانی"}
    assert find(world, "علی") == {"علی کریمی", "علیرضا نوری"}
    assert find(world, "ریمی") == set()  # not a prefix


def test_two_words(world, make) -> None:
    make("علی", "کریمی")
    make("علی", "احمدی")
    make("علیرضا", "کرمانی")
    make("حسن", "کریمی")
    assert find(world, "علی کر") == {"علی کریمی", "علیرضا کرمانی"}
    assert find(world, "  علی   کری ") == {"علی کریمی"}
    assert find(world, "کریمی حس") == {"حسن کریمی"}


def test_arabic_letters_in_query(world, make) -> None:
    make("علی", "کریمی")
    assert find(world, "كريمي") == {"علی کریمی"}
    assert find(world, "علي") == {"علی کریمی"}


def test_zwnj_and_space_are_the_same(world, make) -> None:
    make("محمد", "علی\u200cپور")
    assert find(world, "علی پور") == {"محمد علی\u200cپور"}


def test_contains_finds_the_middle(world, make) -> None:
    make("علی", "کریمی")
    make("حسن", "احمدی")
    assert find(world, "ریم") == set()
    assert find(world, "ریم", contains=True) == {"علی کریمی"}
    assert find(world, "ريم", contains=True) == {"علی کریمی"}  # Arabic yeh folded here too
    assert find(world, "%", contains=True) == set()  # LIKE wildcards are literal
    assert find(world, "_", contains=True) == set()


# -- order -----------------------------------------------------------------------------------


PERSIAN_ORDER = ["آرمان", "احمدی", "بهرامی", "پاکزاد", "تهرانی", "چمران", "زمانی", "ژیان",
                 "کاظمی", "گودرزی", "یزدانی"]


def test_persian_alphabetical_order(world, make) -> None:
    for last in reversed(PERSIAN_ORDER):
        make("سارا", last)
    rows = world.services.search.search(world.clerk).rows
    got = [r.display_name.split(" ")[1] for r in rows]
    assert got == PERSIAN_ORDER
    assert got != sorted(PERSIAN_ORDER)  # code-point order would differ
    assert got.index("پاکزاد") == got.index("بهرامی") + 1
    assert got.index("گودرزی") == got.index("کاظمی") + 1
    assert got.index("ژیان") == got.index("زمانی") + 1
    desc = world.services.search.search(world.clerk, descending=True).rows
    assert [r.display_name.split(" ")[1] for r in desc] == list(reversed(PERSIAN_ORDER))


def test_sorted_by_last_name_then_first(world, make) -> None:
    make("ب", "کریمی")
    make("الف", "کریمی")
    make("ی", "احمدی")
    assert names(world.services.search.search(world.clerk)) == ["ی احمدی", "الف کریمی", "ب کریمی"]


# -- paging ----------------------------------------------------------------------------------


LETTERS = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"


@pytest.fixture
def thirty(world, make) -> list[str]:
    ids = []
    for i in range(30):
        ids.append(make("نگار", LETTERS[(i * 7) % len(LETTERS)] + "انی"))  # not created in order
    return ids


@pytest.mark.parametrize("query", ["", "نگار"])
def test_keyset_paging_covers_everything_once(world, thirty, query) -> None:
    rows, keys = all_pages(world.services.search, world.clerk, query, 7)
    ids = [r.id for r in rows]
    assert len(ids) == len(set(ids)) == 30
    assert set(ids) == set(thirty)
    sort_keys = [(r.sort_key, r.id) for r in rows]
    assert sort_keys == sorted(sort_keys)
    assert keys[-1] is None and all(k is not None for k in keys[:-1])
    assert len(keys) == 5


def test_keyset_paging_descending(world, thirty) -> None:
    rows, _ = all_pages(world.services.search, world.clerk, "", 7, descending=True)
    keys = [(r.sort_key, r.id) for r in rows]
    assert keys == sorted(keys, reverse=True) and len(set(keys)) == 30


def test_page_exact_multiple_ends_with_empty_page(world, thirty) -> None:
    rows, keys = all_pages(world.services.search, world.clerk, "", 10)
    assert len(rows) == 30 and len(keys) == 4 and keys[-1] is None


def test_bad_limit(world) -> None:
    for limit in (0, -1, 1001, "7", None):
        with pytest.raises(InvalidInput):
            world.services.search.search(world.clerk, "", limit=limit)


def test_bad_query_type(world) -> None:
    with pytest.raises(InvalidInput):
        world.services.search.search(world.clerk, 42)  # type: ignore[arg-type]


# -- what is never shown ---------------------------------------------------------------------


def test_deleted_never_appear(world, make) -> None:
    gone = make("علی", "کریمی", mobile="09121234567")
    make("حسن", "کرمانی")
    world.services.customers.delete(world.manager, gone, "ثبت اشتباه")
    for actor in (world.clerk, world.admin):
        assert find(world, "کر", actor) == {"حسن کرمانی"}
        assert find(world, "", actor) == {"حسن کرمانی"}
        assert find(world, "0912", actor) == set()
        assert find(world, "ریم", actor, contains=True) == set()
    assert world.services.search.rows_by_id(world.admin, [gone]) == []


def test_branch_scoping(world, make) -> None:
    make("علی", "کریمی")
    make("حسن", "کرمانی", actor=world.admin, branch_id=world.other_branch_id)
    assert find(world, "کر", world.clerk) == {"علی کریمی"}
    assert find(world, "کر", world.other_clerk) == {"حسن کرمانی"}
    assert find(world, "کر", world.admin) == {"علی کریمی", "حسن کرمانی"}
    assert find(world, "کر", world.auditor) == {"علی کریمی", "حسن کرمانی"}
    # a clerk asking for another branch still sees only their own
    assert find(world, "کر", world.clerk, branch_id=world.other_branch_id) == {"علی کریمی"}
    assert find(world, "کر", world.admin, branch_id=world.other_branch_id) == {"حسن کرمانی"}
    assert find(world, "", world.clerk) == {"علی کریمی"}


def test_rows_by_id_scoped(world, make) -> None:
    mine = make("علی", "کریمی")
    theirs = make("حسن", "کرمانی", actor=world.admin, branch_id=world.other_branch_id)
    assert [r.id for r in world.services.search.rows_by_id(world.clerk, [mine, theirs])] == [mine]
    assert {r.id for r in world.services.search.rows_by_id(world.admin, [mine, theirs])} == {mine, theirs}


# -- the two plans agree ---------------------------------------------------------------------


@pytest.fixture
def crowd(world, make) -> None:
    for i, last in enumerate(["کریمی", "کرمانی", "کرباسی", "کرد", "کریمیان", "احمدی", "کرامتی", "رضایی"]):
        make("علی" if i % 2 else "زهرا", last, mobile=f"0912{i:07d}")
        make("رضا", last, actor=world.admin, branch_id=world.other_branch_id)


@pytest.mark.parametrize("who", ["clerk", "admin"])
def test_broad_plan_gives_same_results_as_narrow(world, crowd, monkeypatch, who) -> None:
    """The clerk's numbers go through the branch's number index, the admin's through each column's index."""
    actor = getattr(world, who)
    search = world.services.search
    real_in_order = customer_search._in_order
    for query in ["کر", "علی کر", "0912", "۹۱۲۰۰۰۰", "+۹۸۹۱۲", "زهرا", "ک"]:
        narrow_calls: list[int] = []

        def spy(*args, narrow_calls=narrow_calls, **kwargs):
            narrow_calls.append(1)
            return real_in_order(*args, **kwargs)

        monkeypatch.setattr(customer_search, "NARROW_LIMIT", 4000)
        monkeypatch.setattr(customer_search, "BRANCH_NARROW_LIMIT", 4000)
        monkeypatch.setattr(customer_search, "_in_order", spy)
        narrow, _ = all_pages(search, actor, query, 3)
        if " " not in query:  # several words are read as sort-key ranges only
            assert narrow_calls, f"the narrow plan was not used for {query!r}"
        assert narrow, f"{query!r} should match something"

        monkeypatch.setattr(customer_search, "NARROW_LIMIT", -1)  # every field is read by walking
        monkeypatch.setattr(customer_search, "BRANCH_NARROW_LIMIT", -1)

        def fail(*args, **kwargs):
            raise AssertionError("narrow plan used although the query is broad")

        monkeypatch.setattr(customer_search, "_in_order", fail)
        broad, _ = all_pages(search, actor, query, 3)
        assert broad == narrow, query


def test_number_prefix_pages_with_a_filter_both_ways_match_a_plain_count(world, make) -> None:
    """The branch number index gives ids in order; a segment filter that drops most of them still fills pages."""
    from crm_desktop.models.enums import Segment

    expected = set()
    for i in range(23):
        segment = Segment.PRIVATE if i % 4 == 0 else Segment.MASS
        first, last = ["علی", "زهرا", "رضا"][i % 3], ["کریمی", "احمدی", "رضایی", "کرمانی", "صادقی", "نوری"][i % 6]
        cid = make(first, last, mobile=f"0935{i:07d}", segment=segment)
        if segment == Segment.PRIVATE:
            expected.add(cid)
    make("حسن", "کرمانی", mobile="09350000001", actor=world.admin, branch_id=world.other_branch_id)
    for descending in (False, True):
        rows, _ = all_pages(world.services.search, world.clerk, "۰۹۳۵", 2, segment=Segment.PRIVATE,
                            descending=descending)
        assert {r.id for r in rows} == expected
        keys = [(r.sort_key, r.id) for r in rows]
        assert keys == sorted(keys, reverse=descending)
