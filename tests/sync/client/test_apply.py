"""Applying server rows: version guard, dirty-field protection, removes with children, no capture."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest

from crm_desktop.errors import CrmError
from crm_desktop.services.interactions import InteractionInput
from crm_desktop.sync import catalog
from crm_desktop.sync.client import store
from crm_desktop.sync.client.apply import apply_rows
from crm_desktop.sync.protocol import Row
from crm_desktop.sync.values import from_python
from tests.conftest import World
from tests.sync.client.helpers import edit, max_seq, row


def wire(world: World, tbl: str, pk: str, version: int, **changes: Any) -> Row:
    """The local row as a server would send it, with some fields changed."""
    local = row(world.db, tbl, pk)
    assert local is not None
    spec = catalog.CATALOG[tbl]
    data = {c: from_python(spec.kinds[c], local[c]) for c in spec.wire_columns}
    return {"tbl": tbl, "pk": pk, "row_version": version, "kind": "upsert", "data": {**data, **changes}}


def apply(world: World, rows: list[Row]) -> Any:
    with store.write_tx(world.db, applying=True) as raw:
        return apply_rows(raw, rows, store.dirty_fields(raw))


def test_newer_rows_apply_older_ones_are_skipped_and_nothing_is_captured(world: World, customer: str) -> None:
    with store.write_tx(world.db) as raw:
        store.set_pushed_seq(raw, max_seq(world.db))
    before = max_seq(world.db)
    stats = apply(world, [wire(world, "customer", customer, 5, mobile="09120000005", marketing_consent=True)])
    assert stats.upserted == 1
    assert row(world.db, "customer", customer)["mobile"] == "09120000005"  # type: ignore[index]
    assert row(world.db, "customer", customer)["marketing_consent"] == 1  # type: ignore[index]
    stats = apply(world, [wire(world, "customer", customer, 3, mobile="09120000003")])
    assert stats.skipped == 1
    assert row(world.db, "customer", customer)["mobile"] == "09120000005"  # type: ignore[index]
    apply(world, [wire(world, "customer", customer, 5, mobile="09120000055")])  # '>=': a re-asserted row lands
    assert row(world.db, "customer", customer)["mobile"] == "09120000055"  # type: ignore[index]
    assert max_seq(world.db) == before
    with world.db.read_raw() as raw:
        assert raw.execute("SELECT v FROM sync_ctx WHERE k = 'applying'").fetchone()[0] == "0"


def test_fields_with_pending_ops_keep_their_local_value(world: World, customer: str) -> None:
    with store.write_tx(world.db) as raw:
        store.set_pushed_seq(raw, max_seq(world.db))
    edit(world.db, world.clerk.user_id, "customer", customer, mobile="09121111111")
    apply(world, [wire(world, "customer", customer, 4, mobile="09129999999", phone="02188888888")])
    local = row(world.db, "customer", customer)
    assert local is not None
    assert local["mobile"] == "09121111111" and local["phone"] == "02188888888"


def test_a_new_user_from_the_server_is_inserted_without_a_usable_password(world: World) -> None:
    data = wire(world, "app_user", world.clerk.user_id, 1)["data"]
    assert data is not None
    new = {**data, "id": "0190f8a9-0000-7000-8000-000000000001", "username": "remote"}
    apply(world, [{"tbl": "app_user", "pk": new["id"], "row_version": 1, "kind": "upsert", "data": new}])
    assert row(world.db, "app_user", new["id"])["password_hash"] == "!"  # type: ignore[index]
    with pytest.raises(CrmError):
        world.services.users.authenticate("remote", "!")


def test_remove_deletes_the_local_copy_and_its_children(world: World, customer: str) -> None:
    world.services.interactions.log(world.clerk, InteractionInput(customer_id=customer, channel="phone",
                                                                  direction="inbound", subject="پیگیری"))
    with world.db.read_raw() as raw:
        assert raw.execute("SELECT count(*) FROM interaction WHERE customer_id = ?", (customer,)).fetchone()[0] == 1
    stats = apply(world, [{"tbl": "customer", "pk": customer, "row_version": 9, "kind": "remove", "data": None}])
    assert stats.deleted == 2
    assert row(world.db, "customer", customer) is None
    with world.db.read_raw() as raw:
        assert raw.execute("SELECT count(*) FROM interaction WHERE customer_id = ?", (customer,)).fetchone()[0] == 0
        assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
    # A stale upsert of the removed row (an older page) does not bring it back.
    assert apply(world, [{"tbl": "customer", "pk": customer, "row_version": 8, "kind": "upsert",
                          "data": {"id": customer}}]).skipped == 1


def test_conflict_rows_are_kept_with_json_values(world: World, customer: str) -> None:
    conflict = {"id": "c1", "branch_id": world.branch_id, "tbl": "customer", "pk": customer, "field": "mobile",
                "base": None, "server_value": "09120000001", "client_value": "09120000002",
                "server_author": "u1", "client_author": "u2", "device_id": "d", "op_id": 4, "client_hlc": "x",
                "status": "open", "created_at": "2026-11-23T06:30:00.000000Z", "resolved_by": None,
                "resolved_at": None, "resolution": None, "note": None}
    apply(world, [{"tbl": "sync_conflict", "pk": "c1", "row_version": 1, "kind": "upsert", "data": conflict}])
    with store.read_tx(world.db) as raw:
        assert store.counts(raw).open_conflicts == 1
        assert raw.execute("SELECT server_value FROM sync_conflict").fetchone()[0] == '"09120000001"'


def test_a_page_where_two_customers_swap_national_ids_applies_whole(world: World, customer: str,
                                                                    other_customer: str) -> None:
    with store.write_tx(world.db) as raw:
        store.set_pushed_seq(raw, max_seq(world.db))
    mine, theirs = (row(world.db, "customer", pk)["national_id"] for pk in (customer, other_customer))  # type: ignore[index]
    assert mine and theirs and mine != theirs
    apply(world, [wire(world, "customer", customer, 5, national_id=theirs),
                  wire(world, "customer", other_customer, 5, national_id=mine)])
    assert row(world.db, "customer", customer)["national_id"] == theirs  # type: ignore[index]
    assert row(world.db, "customer", other_customer)["national_id"] == mine  # type: ignore[index]
    with world.db.read_raw() as raw:
        assert raw.execute("SELECT count(*) FROM customer WHERE national_id IS NULL").fetchone()[0] == 0


def test_a_refused_edit_coming_back_beside_the_row_that_holds_its_value_applies(world: World, customer: str,
                                                                               other_customer: str) -> None:
    """The soak's case: this desk gave ``other`` the national id the server keeps on ``customer``; the
    server refused it and sends both rows back in one answer, ``customer`` first."""
    with store.write_tx(world.db) as raw:
        store.set_pushed_seq(raw, max_seq(world.db))
    mine, theirs = (row(world.db, "customer", pk)["national_id"] for pk in (customer, other_customer))  # type: ignore[index]
    edit(world.db, world.clerk.user_id, "customer", customer, national_id="0013542419")
    edit(world.db, world.clerk.user_id, "customer", other_customer, national_id=mine)
    with store.write_tx(world.db) as raw:
        store.set_pushed_seq(raw, max_seq(world.db))  # both edits sent (and refused, parked)
    apply(world, [wire(world, "customer", customer, 6, national_id=mine),
                  wire(world, "customer", other_customer, 6, national_id=theirs)])
    assert row(world.db, "customer", customer)["national_id"] == mine  # type: ignore[index]
    assert row(world.db, "customer", other_customer)["national_id"] == theirs  # type: ignore[index]


def test_a_clash_with_a_change_not_yet_sent_is_still_a_conflict(world: World, customer: str,
                                                              other_customer: str) -> None:
    with store.write_tx(world.db) as raw:
        store.set_pushed_seq(raw, max_seq(world.db))
    edit(world.db, world.clerk.user_id, "customer", other_customer, national_id="0013542419")  # not sent yet
    with pytest.raises(sqlite3.IntegrityError):
        apply(world, [wire(world, "customer", customer, 5, national_id="0013542419")])
    assert row(world.db, "customer", other_customer)["national_id"] == "0013542419"  # type: ignore[index]
