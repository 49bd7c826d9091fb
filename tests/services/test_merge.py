"""Merging duplicate customers: choices, moved children, tombstones, journal, permissions, bad input, undo, chains."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import date
from typing import Any

import pytest
from sqlalchemy import text

from crm_desktop.db import WriteContext
from crm_desktop.models import Product
from crm_desktop.persian import normalize
from crm_desktop.persian.validators import make_national_id
from crm_desktop.services.actor import Actor
from crm_desktop.services.errors import (
    Conflict,
    CrmError,
    DuplicateCustomer,
    InvalidInput,
    NotFound,
    PermissionDenied,
)
from crm_desktop.services.interactions import InteractionInput
from crm_desktop.services.merge import MergeService
from crm_desktop.services.records import CustomerInput
from crm_desktop.services.service_requests import RequestInput
from tests.conftest import PASSWORD, World

TABLES = ("customer", "interaction", "service_request", "product")
META = {"version", "updated_at", "changed_by", "changed_device"}
PERSIAN = re.compile(r"[\u0600-\u06FF]")


# -- helpers ------------------------------------------------------------------------------------
@pytest.fixture
def merges(world: World) -> MergeService:
    return MergeService(world.db, world.clock)


def connect(world: World) -> closing[sqlite3.Connection]:
    return closing(sqlite3.connect(world.db.path))


def rows(world: World, *, without_meta: bool = False) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the tables a merge touches, by plain SQL."""
    result = {}
    with connect(world) as conn:
        for table in TABLES:
            columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
            if without_meta:
                columns = [c for c in columns if c not in META]
            result[table] = conn.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY id").fetchall()
    return result


def journal_size(world: World) -> int:
    with connect(world) as conn:
        return int(conn.execute("SELECT count(*) FROM change_journal").fetchone()[0])


def scalar(world: World, sql: str, *params: Any) -> Any:
    with connect(world) as conn:
        return conn.execute(sql, params).fetchone()[0]


def children_of(world: World, customer_id: str) -> dict[str, int]:
    return {t: scalar(world, f"SELECT count(*) FROM {t} WHERE customer_id = ?", customer_id) for t in TABLES[1:]}


_serial = iter(range(100_000, 999_999, 7919))


def person(world: World, first: str, last: str, *, actor: Actor | None = None, **fields: Any) -> str:
    fields.setdefault("national_id", make_national_id(f"{next(_serial):09d}"))
    data = CustomerInput(first_name=first, last_name=last, **fields)
    return world.services.customers.create(actor or world.clerk, data).value.id


def add_history(world: World, customer_id: str, *, interactions: int = 0, requests: int = 0, products: int = 0,
                actor: Actor | None = None) -> None:
    who = actor or world.clerk
    for n in range(interactions):
        world.services.interactions.log(
            who, InteractionInput(customer_id, channel="phone", direction="inbound", subject=f"تماس {n}"))
    for n in range(requests):
        world.services.requests.open(
            who, RequestInput(customer_id, category="complaint", priority="normal", subject=f"شکایت {n}"))
    with world.db.write(WriteContext(user_id=who.user_id, source="test")) as session:
        for n in range(products):
            session.add(Product(customer_id=customer_id, kind="savings", account_no=f"10{n:08d}",
                                opened_on=date(2024, 1, 1), state="active"))


def manager_of_other_branch(world: World) -> Actor:
    world.services.users.add(world.admin, username="manager2", full_name="نادر ونکی", role="manager",
                             branch_id=world.other_branch_id, password=PASSWORD)
    return world.services.users.authenticate("manager2", PASSWORD)


@pytest.fixture
def trio(world: World) -> Iterator[tuple[str, str, str]]:
    """Three records of one person, written differently, each with some history."""
    a = person(world, "علیرضا", "کریمی", mobile="09121234567")
    b = person(world, "علی رضا", "کريمي", father_name="حسن", birth_date=date(1985, 3, 21))
    c = person(world, "عليرضا", "کریمی", mobile="09351112233", address="تهران، خیابان ولیعصر")
    add_history(world, a, interactions=1)
    add_history(world, b, interactions=2, requests=1, products=1)
    add_history(world, c, interactions=1, products=2)
    yield a, b, c


# -- merging ------------------------------------------------------------------------------------
def test_two_records_merge_children_move_and_the_other_becomes_a_tombstone(world: World, merges: MergeService,
                                                                           trio: tuple[str, str, str]) -> None:
    a, b, _ = trio
    before_a, before_b = children_of(world, a), children_of(world, b)
    outcome = merges.merge(world.manager, a, [a, b])
    after_a, after_b = children_of(world, a), children_of(world, b)
    assert after_b == {"interaction": 0, "service_request": 0, "product": 0}
    assert after_a == {t: before_a[t] + before_b[t] for t in before_a}
    assert (outcome.value.interactions, outcome.value.requests, outcome.value.products) == (2, 1, 1)
    merged_into, deleted_at, reason = scalar_row(world, "SELECT merged_into, deleted_at, deleted_reason"
                                                 " FROM customer WHERE id = ?", b)
    assert merged_into == a and deleted_at is not None and "ادغام" in reason
    assert scalar(world, "SELECT merged_into FROM customer WHERE id = ?", a) is None
    # every moved row was bumped once
    assert scalar(world, "SELECT min(version) FROM interaction WHERE customer_id = ? AND subject LIKE 'تماس%'"
                  " AND id IN (SELECT pk FROM change_journal WHERE source = 'merge')", a) == 2
    assert b in outcome.changes.customers and a in outcome.changes.customers
    assert len(outcome.changes.interactions) == 2


def scalar_row(world: World, sql: str, *params: Any) -> tuple[Any, ...]:
    with connect(world) as conn:
        return tuple(conn.execute(sql, params).fetchone())


def test_four_records_take_the_chosen_value_per_field(world: World, merges: MergeService,
                                                       trio: tuple[str, str, str]) -> None:
    a, b, c = trio
    d_nid = make_national_id("004445556")
    d = person(world, "علیرضا", "کریمی", national_id=d_nid, postal_code="1345678901", segment="affluent")
    add_history(world, d, requests=2)
    choices = {
        "first_name": b,  # «علی رضا»
        "father_name": b,
        "birth_date": b,
        "mobile": c,
        "address": c,
        "national_id": d,  # held by a record that is merged away: must not block the survivor
        "postal_code": d,
        "segment": d,
        "notes": "سه پرونده تکراری از شعبه",  # a value typed in
        "email": "ALI@Example.com",
    }
    outcome = merges.merge(world.manager, a, [a, b, c, d], choices, "تکراری در ورود اطلاعات")
    s = outcome.value.survivor
    assert (s.first_name, s.father_name, s.birth_date) == ("علی رضا", "حسن", date(1985, 3, 21))
    assert (s.mobile, s.address, s.national_id, s.postal_code) == ("09351112233", "تهران، خیابان ولیعصر", d_nid,
                                                                    "1345678901")
    assert (s.segment, s.notes, s.email) == ("affluent", "سه پرونده تکراری از شعبه", "ali@example.com")
    assert s.display_name == "علی رضا کریمی"
    assert set(outcome.value.merged_ids) == {b, c, d}
    assert scalar(world, "SELECT count(*) FROM customer WHERE merged_into = ? AND deleted_at IS NOT NULL", a) == 3
    assert children_of(world, a) == {"interaction": 4, "service_request": 3, "product": 3}
    # the survivor's derived keys follow the chosen name; the search finds the survivor alone
    assert scalar(world, "SELECT name_key FROM customer WHERE id = ?", a) == normalize("علی رضا کریمی")
    assert [r.id for r in world.services.search.search(world.clerk, "کریمی").rows] == [a]


def test_merged_away_id_leads_to_the_survivor_in_search_and_profile(world: World, merges: MergeService,
                                                                    trio: tuple[str, str, str]) -> None:
    a, b, _ = trio
    b_nid = world.services.customers.get(world.clerk, b).national_id
    assert b_nid is not None
    merges.merge(world.manager, a, [a, b], {"national_id": b})
    profile = world.services.customers.profile(world.clerk, b)
    assert profile.customer.id == a
    assert profile.interaction_count == 3
    assert [r.id for r in world.services.search.search(world.clerk, b_nid).rows] == [a]
    assert b not in {r.id for r in world.services.search.search(world.clerk, "کریمی").rows}
    with pytest.raises(NotFound):
        world.services.customers.get(world.clerk, b)  # without following, the tombstone is not a live record


def test_the_journal_holds_the_merge_as_one_operation(world: World, merges: MergeService,
                                                      trio: tuple[str, str, str]) -> None:
    a, b, c = trio
    start = scalar(world, "SELECT max(seq) FROM change_journal")
    outcome = merges.merge(world.manager, a, [a, b, c], {"mobile": c})
    with connect(world) as conn:
        entries = conn.execute("SELECT tx_id, source, tbl, pk, kind, changed, user_id FROM change_journal"
                               " WHERE seq > ? ORDER BY seq", (start,)).fetchall()
    assert {e[0] for e in entries} == {outcome.value.tx_id}
    assert {e[1] for e in entries} == {"merge"}
    assert {e[6] for e in entries} == {world.manager.user_id}
    by_pk = {(e[2], e[3]): (e[4], json.loads(e[5])) for e in entries}
    assert by_pk["customer", b][0] == "delete" and by_pk["customer", b][1]["merged_into"] == [None, a]
    assert by_pk["customer", a][1]["mobile"] == ["09121234567", "09351112233"]
    moved = [e for e in entries if e[2] != "customer"]
    assert len(moved) == 2 + 1 + 1 + 1 + 2
    assert all(json.loads(e[5])["customer_id"][1] == a for e in moved)


# -- who may merge ------------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["clerk", "auditor", "other_manager"])
def test_only_a_manager_of_the_branch_or_an_admin_may_merge(world: World, merges: MergeService,
                                                            trio: tuple[str, str, str], who: str) -> None:
    a, b, _ = trio
    actor = manager_of_other_branch(world) if who == "other_manager" else getattr(world, who)
    before, size = rows(world), journal_size(world)
    with pytest.raises(PermissionDenied) as caught:
        merges.merge(actor, a, [a, b])
    assert PERSIAN.search(caught.value.message)
    assert rows(world) == before and journal_size(world) == size


def test_an_admin_merges_across_branches_a_manager_cannot(world: World, merges: MergeService,
                                                          other_customer: str, trio: tuple[str, str, str]) -> None:
    a = trio[0]
    with pytest.raises(PermissionDenied, match="شعبه دیگری"):
        merges.merge(world.manager, a, [a, other_customer])
    merges.merge(world.admin, a, [a, other_customer])
    assert scalar(world, "SELECT merged_into FROM customer WHERE id = ?", other_customer) == a


def test_undo_is_for_managers_of_the_branch(world: World, merges: MergeService, trio: tuple[str, str, str]) -> None:
    a, b, _ = trio
    tx = merges.merge(world.manager, a, [a, b]).value.tx_id
    before = rows(world)
    for actor in (world.clerk, manager_of_other_branch(world)):
        with pytest.raises(PermissionDenied):
            merges.undo(actor, tx)
    assert rows(world) == before


# -- bad input ----------------------------------------------------------------------------------
BAD_INPUT = {
    "survivor_not_among_ids": (lambda a, b, c: dict(survivor_id=c, customer_ids=[a, b]), InvalidInput),
    "one_id": (lambda a, b, c: dict(survivor_id=a, customer_ids=[a]), InvalidInput),
    "the_same_id_twice": (lambda a, b, c: dict(survivor_id=a, customer_ids=[a, a]), InvalidInput),
    "not_a_list": (lambda a, b, c: dict(survivor_id=a, customer_ids=a), InvalidInput),
    "unknown_id": (lambda a, b, c: dict(survivor_id=a, customer_ids=[a, "no-such-id"]), NotFound),
    "unknown_field": (lambda a, b, c: dict(survivor_id=a, customer_ids=[a, b], choices={"password": b}),
                      InvalidInput),
    "corporate_field_for_a_person": (lambda a, b, c: dict(survivor_id=a, customer_ids=[a, b],
                                                          choices={"company_name": "شرکت"}), InvalidInput),
    "invalid_value": (lambda a, b, c: dict(survivor_id=a, customer_ids=[a, b], choices={"mobile": "123"}),
                      InvalidInput),
    "required_field_emptied": (lambda a, b, c: dict(survivor_id=a, customer_ids=[a, b],
                                                    choices={"national_id": None}), InvalidInput),
    "choices_not_a_mapping": (lambda a, b, c: dict(survivor_id=a, customer_ids=[a, b], choices=[b]), InvalidInput),
    "note_too_long": (lambda a, b, c: dict(survivor_id=a, customer_ids=[a, b], note="ب" * 501), InvalidInput),
}


@pytest.mark.parametrize("case", list(BAD_INPUT))
def test_bad_input_is_refused_and_changes_nothing(world: World, merges: MergeService,
                                                  trio: tuple[str, str, str], case: str) -> None:
    make, error = BAD_INPUT[case]
    before, size = rows(world), journal_size(world)
    with pytest.raises(error) as caught:
        merges.merge(world.manager, **make(*trio))
    assert PERSIAN.search(caught.value.message)
    assert rows(world) == before and journal_size(world) == size


def test_a_deleted_record_is_not_merged(world: World, merges: MergeService, trio: tuple[str, str, str]) -> None:
    a, b, _ = trio
    world.services.customers.delete(world.manager, b, "ثبت اشتباه")
    before = rows(world)
    with pytest.raises(InvalidInput, match="حذف شده"):
        merges.merge(world.manager, a, [a, b])
    assert rows(world) == before


def test_an_already_merged_record_is_not_merged_again(world: World, merges: MergeService,
                                                      trio: tuple[str, str, str]) -> None:
    a, b, c = trio
    merges.merge(world.manager, a, [a, b])
    with pytest.raises(InvalidInput, match="ادغام شده"):
        merges.merge(world.manager, c, [c, b])


def test_a_person_and_a_company_are_not_merged(world: World, merges: MergeService, trio: tuple[str, str, str]) -> None:
    from crm_desktop.persian import make_company_id

    company = world.services.customers.create(world.clerk, CustomerInput(
        kind="corporate", company_name="کریمی و شرکا", company_id=make_company_id("1010101010"))).value.id
    with pytest.raises(InvalidInput, match="حقیقی و حقوقی"):
        merges.merge(world.manager, trio[0], [trio[0], company])


def test_a_record_changed_since_the_preview_is_refused(world: World, merges: MergeService,
                                                       trio: tuple[str, str, str]) -> None:
    a, b, _ = trio
    preview = merges.preview(world.manager, [a, b])
    versions = {r.id: r.version for r in preview.records}
    world.services.customers.edit(world.clerk, b, CustomerInput(
        first_name="علی رضا", last_name="کریمی", national_id=preview.record(b).values["national_id"]))
    with pytest.raises(Conflict):
        merges.merge(world.manager, a, [a, b], expected_versions=versions)
    assert scalar(world, "SELECT merged_into FROM customer WHERE id = ?", b) is None


# -- preview ------------------------------------------------------------------------------------
def test_preview_shows_distinct_values_and_what_each_record_brings(world: World, merges: MergeService,
                                                                   trio: tuple[str, str, str]) -> None:
    a, b, c = trio
    preview = merges.preview(world.manager, [a, b, c])
    fields = {f.field: f for f in preview.fields}
    assert [o.value for o in fields["first_name"].options] == ["علیرضا", "علی رضا"]  # «عليرضا» was cleaned
    assert fields["first_name"].options[0].customer_ids == (a, c)
    assert fields["mobile"].differs and fields["mobile"].options[0].text == "۰۹۱۲۱۲۳۴۵۶۷"
    assert not fields["segment"].differs
    assert "company_name" not in fields
    assert [(r.interactions, r.requests, r.products) for r in preview.records] == [(1, 0, 0), (2, 1, 1), (1, 0, 2)]
    assert preview.suggested_survivor == b
    picks = preview.suggested_choices(a)
    assert picks["mobile"] == a and picks["father_name"] == b and picks["address"] == c


# -- undo ---------------------------------------------------------------------------------------
def test_undo_restores_exactly_the_state_before_the_merge(world: World, merges: MergeService,
                                                          trio: tuple[str, str, str]) -> None:
    a, b, c = trio
    person(world, "علیرضا", "کریمی", national_id=make_national_id("004445556"))  # a live neighbour, untouched
    before = rows(world, without_meta=True)
    versions_before = dict(scalar_rows(world, "SELECT id, version FROM customer"))
    outcome = merges.merge(world.manager, a, [a, b, c],
                           {"first_name": b, "national_id": c, "mobile": c, "birth_date": b, "notes": "یکی شد"})
    assert rows(world, without_meta=True) != before
    start = scalar(world, "SELECT max(seq) FROM change_journal")
    undone = merges.undo(world.manager, outcome.value.tx_id, "ادغام اشتباه بود")
    assert rows(world, without_meta=True) == before
    assert dict(scalar_rows(world, "SELECT id, version FROM customer"))[a] > versions_before[a]
    with connect(world) as conn:
        sources = conn.execute("SELECT DISTINCT tx_id, source FROM change_journal WHERE seq > ?", (start,)).fetchall()
    assert sources == [(undone.value.tx_id, "merge-undo")]
    assert set(undone.value.restored_ids) == {b, c}
    assert [r.id for r in world.services.search.search(world.clerk, "کریمی").rows if r.id in {a, b, c}]
    assert world.services.customers.profile(world.clerk, b).customer.id == b


def scalar_rows(world: World, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with connect(world) as conn:
        return conn.execute(sql, params).fetchall()


def test_undo_by_survivor_undoes_the_latest_merge_into_it(world: World, merges: MergeService,
                                                          trio: tuple[str, str, str]) -> None:
    a, b, c = trio
    merges.merge(world.manager, a, [a, b])
    merges.merge(world.manager, a, [a, c])
    assert merges.undo(world.manager, a).value.restored_ids == (c,)
    assert scalar(world, "SELECT merged_into FROM customer WHERE id = ?", c) is None
    assert scalar(world, "SELECT merged_into FROM customer WHERE id = ?", b) == a
    assert merges.undo(world.manager, a).value.restored_ids == (b,)
    with pytest.raises(NotFound):
        merges.undo(world.manager, a)


def test_undo_is_refused_after_a_later_edit(world: World, merges: MergeService, trio: tuple[str, str, str]) -> None:
    a, b, c = trio
    outcome = merges.merge(world.manager, a, [a, b, c], {"mobile": c})
    s = outcome.value.survivor
    world.services.customers.edit(world.clerk, a, CustomerInput(
        first_name=s.first_name, last_name=s.last_name, national_id=s.national_id, mobile="09190000000"))
    before, size = rows(world), journal_size(world)
    with pytest.raises(Conflict, match="تلفن همراه") as caught:
        merges.undo(world.manager, outcome.value.tx_id)
    assert "علیرضا کریمی" in caught.value.message
    assert rows(world) == before and journal_size(world) == size


def test_undo_is_refused_when_a_moved_interaction_was_moved_again(world: World, merges: MergeService,
                                                                  trio: tuple[str, str, str]) -> None:
    a, b, c = trio
    tx = merges.merge(world.manager, a, [a, b]).value.tx_id
    moved = scalar(world, "SELECT pk FROM change_journal WHERE tx_id = ? AND tbl = 'interaction' LIMIT 1", tx)
    with world.db.write(WriteContext(user_id=world.admin.user_id, source="test")) as session:
        session.execute(text("UPDATE interaction SET customer_id = :c, version = version + 1 WHERE id = :i"),
                        {"c": c, "i": moved})
    with pytest.raises(Conflict, match="تعامل"):
        merges.undo(world.manager, tx)


def test_an_undone_merge_is_not_undone_twice(world: World, merges: MergeService, trio: tuple[str, str, str]) -> None:
    a, b, _ = trio
    tx = merges.merge(world.manager, a, [a, b]).value.tx_id
    merges.undo(world.manager, tx)
    with pytest.raises(Conflict, match="پیش‌تر برگردانده"):
        merges.undo(world.manager, tx)


# -- chains -------------------------------------------------------------------------------------
def test_a_chain_of_merges_keeps_leading_to_the_final_survivor(world: World, merges: MergeService,
                                                               trio: tuple[str, str, str]) -> None:
    a, b, c = trio
    first = merges.merge(world.manager, b, [a, b]).value.tx_id  # a into b
    second = merges.merge(world.manager, c, [b, c]).value        # then b into c
    assert second.repointed_ids == (a,)
    assert scalar(world, "SELECT merged_into FROM customer WHERE id = ?", a) == c
    for old in (a, b):
        assert world.services.customers.profile(world.clerk, old).customer.id == c
    assert children_of(world, c) == {"interaction": 4, "service_request": 1, "product": 3}
    # the first merge cannot be undone while the second stands; undone in reverse order, all comes back
    with pytest.raises(Conflict, match="نخست آن ادغام"):
        merges.undo(world.manager, first)
    merges.undo(world.manager, second.tx_id)
    assert scalar(world, "SELECT merged_into FROM customer WHERE id = ?", a) == b
    assert world.services.customers.profile(world.clerk, a).customer.id == b
    merges.undo(world.manager, first)
    assert [children_of(world, x)["interaction"] for x in (a, b, c)] == [1, 2, 1]


# -- the list of merges -------------------------------------------------------------------------
def test_list_of_merges_says_who_when_into_whom_and_whether_undone(world: World, merges: MergeService,
                                                                   trio: tuple[str, str, str]) -> None:
    a, b, c = trio
    first = merges.merge(world.manager, a, [a, b], note="تکراری").value.tx_id
    world.clock.advance(minutes=5)
    second = merges.merge(world.admin, c, [c, a]).value.tx_id
    merges.undo(world.manager, second)
    listed = merges.list_merges(world.manager)
    assert [m.tx_id for m in listed] == [second, first]
    newest, oldest = listed
    assert newest.undone and newest.user_name == world.admin.full_name and newest.survivor_id == c
    assert not oldest.undone and oldest.user_name == world.manager.full_name
    assert oldest.merged == ((b, "علی رضا کريمي".replace("ي", "ی")),)
    assert (oldest.interactions, oldest.requests, oldest.products) == (2, 1, 1)
    assert oldest.reason is not None and "تکراری" in oldest.reason
    assert merges.list_merges(manager_of_other_branch(world)) == []
    assert [m.tx_id for m in merges.list_merges(world.admin, survivor_id=c)] == [second]
    with pytest.raises(PermissionDenied):
        merges.list_merges(world.clerk)


def test_errors_are_crm_errors_with_persian_messages(world: World, merges: MergeService) -> None:
    for call in (lambda: merges.undo(world.manager, ""), lambda: merges.undo(world.manager, "no-such-merge")):
        with pytest.raises(CrmError) as caught:
            call()
        assert PERSIAN.search(caught.value.message)


def test_a_national_id_of_a_live_record_outside_the_merge_is_refused(world: World, merges: MergeService,
                                                                     trio: tuple[str, str, str]) -> None:
    a, b, _ = trio
    outsider = make_national_id("007007007")
    person(world, "مینا", "احمدی", national_id=outsider)
    before, size = rows(world), journal_size(world)
    with pytest.raises(DuplicateCustomer, match="مینا احمدی"):
        merges.merge(world.manager, a, [a, b], {"national_id": outsider})
    assert rows(world) == before and journal_size(world) == size
