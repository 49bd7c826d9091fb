"""The sync inbox service on a desk: conflicts as the server sends them, decisions journaled as resolve ops,
refused changes retried or discarded."""

from __future__ import annotations

import json
from typing import Any

import pytest

from crm_desktop.models import new_id
from crm_desktop.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from crm_desktop.services.sync_conflicts import PENDING
from crm_desktop.sync import protocol
from crm_desktop.sync.client import store
from crm_desktop.sync.client.apply import apply_rows
from crm_desktop.sync.client.store import Parked
from tests.conftest import World
from tests.sync.client.helpers import edit, max_seq, row

NOW = "2026-11-23T06:00:00.000000Z"


def plant_conflict(world: World, pk: str, field: str, base: Any, server: Any, mine: Any, *,
                   author: str | None = None, branch: str | None = None, tbl: str = "customer") -> str:
    """A conflict row arriving from the server, applied like a pull page."""
    conflict_id = new_id()
    data = {"id": conflict_id, "branch_id": branch or world.branch_id, "tbl": tbl, "pk": pk, "field": field,
            "base": base, "server_value": server, "client_value": mine, "server_author": world.clerk2.user_id,
            "client_author": author or world.clerk.user_id, "device_id": None, "op_id": 7,
            "client_hlc": "1795000000000-00001-dev", "status": "open", "created_at": NOW, "resolved_by": None,
            "resolved_at": None, "resolution": None, "note": None}
    with store.write_tx(world.db, applying=True) as raw:
        apply_rows(raw, [{"tbl": "sync_conflict", "pk": conflict_id, "row_version": 1, "kind": "upsert",
                          "data": data}], {})
    return conflict_id


def journal(world: World, seq: int) -> dict[str, Any]:
    with world.db.read_raw() as raw:
        tbl, pk, kind, changed, user, source = raw.execute(
            "SELECT tbl, pk, kind, changed, user_id, source FROM change_journal WHERE seq = ?", (seq,)).fetchone()
    return {"tbl": tbl, "pk": pk, "kind": kind, "changed": json.loads(changed), "user_id": user, "source": source}


def test_open_conflicts_are_shown_in_persian_mine_first_and_scoped_to_the_branch(
        world: World, customer: str, other_customer: str) -> None:
    theirs = plant_conflict(world, customer, "mobile", "09120000000", "09121111111", "09123333333",
                            author=world.clerk2.user_id)
    mine = plant_conflict(world, customer, "birth_date", None, "1990-03-21", "1991-03-21")
    plant_conflict(world, other_customer, "mobile", None, "09121111111", "09124444444",
                   branch=world.other_branch_id)
    cards = world.services.sync_conflicts.list_open(world.clerk)
    assert [c.id for c in cards] == [mine, theirs]
    card = cards[1]
    assert card.record_label == "علی کریمی" and card.field_label == "تلفن همراه"
    assert (card.base, card.current, card.mine) == ("۰۹۱۲۰۰۰۰۰۰۰", "۰۹۱۲۱۱۱۱۱۱۱", "۰۹۱۲۳۳۳۳۳۳۳")
    assert card.current_author == "حسن همکار" and card.mine_author == "حسن همکار"
    assert card.mine_at is not None and card.mine_at.year == 2026 and card.detected_at is not None
    assert not card.needs_note and cards[0].needs_note  # a birth date is an identity field
    assert cards[0].current == "۱۳۶۹/۰۱/۰۱"  # Jalali
    assert card.moved  # the desk holds the customer's own mobile (none), not the server value of the conflict
    assert len(world.services.sync_conflicts.list_open(world.admin)) == 3
    assert len(world.services.sync_conflicts.list_open(world.auditor)) == 3  # auditors read every branch


def test_keeping_the_current_value_journals_a_resolve_op_that_goes_out_and_hides_the_card(
        world: World, customer: str) -> None:
    conflict = plant_conflict(world, customer, "mobile", None, "09121111111", "09123333333")
    outcome = world.services.sync_conflicts.resolve(world.clerk, conflict, protocol.KEEP_CURRENT)
    entry = journal(world, outcome.value)
    assert entry == {"tbl": "sync_conflict", "pk": conflict, "kind": "resolve", "user_id": world.clerk.user_id,
                     "source": "sync-resolve",
                     "changed": {"choice": [None, "keep_current"], "value": ["09121111111", "09121111111"],
                                 "note": [None, None]}}
    assert outcome.changes.customers == frozenset({customer})
    assert world.services.sync_conflicts.list_open(world.clerk) == []
    with world.db.read_raw() as raw:
        ops = store.outbox(raw)
        status = raw.execute("SELECT status, resolved_by FROM sync_conflict WHERE id = ?", (conflict,)).fetchone()
        counts = store.counts(raw)
    assert status == (PENDING, world.clerk.user_id)
    assert counts.open_conflicts == 0
    resolve_ops = [op for op in ops if op["kind"] == "resolve"]
    assert len(resolve_ops) == 1 and resolve_ops[0]["op_id"] == outcome.value
    assert resolve_ops[0]["sha256"] == protocol.op_sha256(resolve_ops[0])
    history = world.services.audit.history(world.manager, "sync_conflict", conflict)
    assert [h.kind for h in history] == ["resolve"]  # the decision is in the audit trail
    with pytest.raises(Conflict):
        world.services.sync_conflicts.resolve(world.clerk, conflict, protocol.USE_MINE)


def test_use_mine_sends_the_desk_value_based_on_the_server_value(world: World, customer: str) -> None:
    conflict = plant_conflict(world, customer, "mobile", None, "09121111111", "09123333333")
    seq = world.services.sync_conflicts.resolve(world.clerk, conflict, protocol.USE_MINE).value
    assert journal(world, seq)["changed"]["value"] == ["09121111111", "09123333333"]
    assert row(world.db, "customer", customer)["mobile"] is None  # the record changes with the server's answer


def test_an_identity_field_needs_a_note(world: World, customer: str) -> None:
    conflict = plant_conflict(world, customer, "national_id", None, "0012345679", "0012345680")
    with pytest.raises(InvalidInput) as caught:
        world.services.sync_conflicts.resolve(world.clerk, conflict, protocol.KEEP_CURRENT, note="  ")
    assert "note" in caught.value.errors and "کد ملی" in caught.value.errors["note"]
    seq = world.services.sync_conflicts.resolve(world.clerk, conflict, protocol.KEEP_CURRENT, note="مدرک دیده شد").value
    assert journal(world, seq)["changed"]["note"] == [None, "مدرک دیده شد"]


def test_an_edited_value_is_cleaned_like_the_form_cleans_it(world: World, customer: str) -> None:
    conflict = plant_conflict(world, customer, "mobile", None, "09121111111", "09123333333")
    with pytest.raises(InvalidInput) as caught:
        world.services.sync_conflicts.resolve(world.clerk, conflict, protocol.EDIT, "۰۲۱۱")
    assert "value" in caught.value.errors
    seq = world.services.sync_conflicts.resolve(world.clerk, conflict, protocol.EDIT, "۰۹۱۲ ۵۵۵ ۵۵۵۵").value
    assert journal(world, seq)["changed"]["value"] == ["09121111111", "09125555555"]
    dated = plant_conflict(world, customer, "birth_date", None, "1990-03-21", "1991-03-21")
    with pytest.raises(InvalidInput):
        world.services.sync_conflicts.resolve(world.clerk, dated, protocol.EDIT, "۱۴۱۰/۰۱/۰۱", note="آینده")
    seq = world.services.sync_conflicts.resolve(world.clerk, dated, protocol.EDIT, "۱۳۷۰/۰۱/۰۲", note="شناسنامه").value
    assert journal(world, seq)["changed"]["value"][1] == "1991-03-22"


def test_only_the_branch_staff_may_decide(world: World, customer: str, other_customer: str) -> None:
    conflict = plant_conflict(world, customer, "mobile", None, "09121111111", "09123333333")
    with pytest.raises(PermissionDenied):
        world.services.sync_conflicts.resolve(world.auditor, conflict, protocol.KEEP_CURRENT)
    with pytest.raises(PermissionDenied):
        world.services.sync_conflicts.resolve(world.other_clerk, conflict, protocol.KEEP_CURRENT)
    with pytest.raises(NotFound):
        world.services.sync_conflicts.resolve(world.clerk, new_id(), protocol.KEEP_CURRENT)
    with pytest.raises(InvalidInput):
        world.services.sync_conflicts.resolve(world.clerk, conflict, "toss_a_coin")
    assert world.services.sync_conflicts.list_open(world.other_clerk) == []


def park(world: World, seq: int, reason: str = "bad_value", detail: str | None = "مقدار «mobile» پذیرفته نشد.") -> None:
    with store.write_tx(world.db) as raw:
        store.park(raw, [Parked(seq, reason, detail)], acked_through=0, now=NOW)


def test_a_refused_edit_is_listed_and_retried_on_top_of_what_the_desk_holds(world: World, customer: str) -> None:
    edit(world.db, world.clerk.user_id, "customer", customer, email="a@bank.ir")
    refused = max_seq(world.db)
    park(world, refused)
    with store.write_tx(world.db, applying=True) as raw:  # the server's answer put its own value back
        raw.execute("UPDATE customer SET email = 'server@bank.ir' WHERE id = ?", (customer,))
    [parked] = world.services.sync_conflicts.list_rejected(world.clerk)
    assert (parked.op_id, parked.record_label, parked.fields, parked.author) == (
        refused, "علی کریمی", ("پست الکترونیک",), "مریم کارمند")
    assert parked.reason == "مقدار «mobile» پذیرفته نشد."
    seq = world.services.sync_conflicts.retry(world.clerk, refused).value
    assert seq > refused
    entry = journal(world, seq)
    assert (entry["kind"], entry["changed"]) == ("update", {"email": ["server@bank.ir", "a@bank.ir"]})
    assert row(world.db, "customer", customer)["email"] == "a@bank.ir"
    assert world.services.sync_conflicts.list_rejected(world.clerk) == []
    with world.db.read_raw() as raw:
        assert [op["op_id"] for op in store.outbox(raw)][-1] == seq
        resolution = json.loads(raw.execute("SELECT resolution FROM sync_rejected WHERE op_id = ?",
                                            (refused,)).fetchone()[0])
        logged = raw.execute("SELECT count(*) FROM access_log WHERE action = 'sync_retry'").fetchone()[0]
    assert resolution["action"] == "retried" and resolution["op_id"] == seq and logged == 1


def test_discarding_needs_a_note_is_audited_and_reopens_a_refused_decision(world: World, customer: str) -> None:
    conflict = plant_conflict(world, customer, "mobile", None, "09121111111", "09123333333")
    seq = world.services.sync_conflicts.resolve(world.clerk, conflict, protocol.USE_MINE).value
    park(world, seq, "not_in_scope", None)
    [parked] = world.services.sync_conflicts.list_rejected(world.clerk)
    assert parked.reason == "این پرونده در حوزهٔ شعبهٔ این دستگاه نیست."
    assert parked.record_label.startswith("تعارض «تلفن همراه»")
    with pytest.raises(PermissionDenied):
        world.services.sync_conflicts.discard(world.clerk2, seq, "نه")
    with pytest.raises(InvalidInput):
        world.services.sync_conflicts.discard(world.clerk, seq, " ")
    world.services.sync_conflicts.discard(world.clerk, seq, "تصمیم دوباره")
    assert world.services.sync_conflicts.list_rejected(world.clerk) == []
    assert [c.id for c in world.services.sync_conflicts.list_open(world.clerk)] == [conflict]
    with world.db.read_raw() as raw:
        detail = raw.execute("SELECT detail FROM access_log WHERE action = 'sync_discard'").fetchone()[0]
    assert json.loads(detail)["note"] == "تصمیم دوباره"
    with pytest.raises(Conflict):
        world.services.sync_conflicts.retry(world.clerk, seq)


def test_a_manager_may_retry_a_clerks_change_and_an_auditor_only_reads(world: World, customer: str) -> None:
    edit(world.db, world.clerk.user_id, "customer", customer, email="a@bank.ir")
    refused = max_seq(world.db)
    park(world, refused)
    assert len(world.services.sync_conflicts.list_rejected(world.auditor)) == 1
    with pytest.raises(PermissionDenied):
        world.services.sync_conflicts.retry(world.auditor, refused)
    seq = world.services.sync_conflicts.retry(world.manager, refused).value
    assert journal(world, seq)["changed"] == {"email": [None, "a@bank.ir"]}  # nothing to rewrite: sent as it was
