"""Resolving conflicts end to end: a clerk's decision on a desk travels as a 'resolve' op through the outbox,
the real service applies it exactly once (or opens a new conflict when the value moved again), and both desks
converge on the record and the closed conflict."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from crm_desktop.db.session import Database
from crm_desktop.models import new_id
from crm_desktop.services import Services
from crm_desktop.sync import protocol
from crm_desktop.sync.client.transport import SyncError
from tests.conftest import CHEAP_HASHER, World
from tests.server.client_fixtures import DeskClient, clone, connect_desk, desk_row, mark_all_pushed, server, server_row
from tests.server.helpers import Server
from tests.server.test_client_sync import customer
from tests.sync.client.helpers import edit

__all__ = ["customer", "server"]


@pytest.fixture
def desks(server: Server, world: World, customer: str, tmp_path: Path) -> Iterator[tuple[DeskClient, DeskClient]]:
    """Two desks of one branch; A's mobile beat B's on the server, so one conflict is open on both."""
    second: Database = clone(world.db, tmp_path / "desk2.db")
    a, b = connect_desk(server, world.db), connect_desk(server, second)
    a.engine.sync_once()
    mark_all_pushed(second)
    b.engine.sync_once()
    edit(a.db, world.clerk.user_id, "customer", customer, mobile="09121111111")
    edit(b.db, world.clerk2.user_id, "customer", customer, mobile="09123333333")
    a.engine.sync_once()
    assert b.engine.sync_once().conflicts == 1
    a.engine.sync_once()
    yield a, b
    second.dispose()


def services_of(desk: DeskClient, world: World) -> Services:
    return Services(desk.db, clock=world.clock, hasher=CHEAP_HASHER)


def server_conflicts(server: Server) -> list[dict[str, Any]]:
    with server.engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT id, field, status, base, server_value, client_value, resolved_by,"
                                    " resolution, note FROM sync_conflict ORDER BY created_at, id").mappings().all()
    return [dict(r) for r in rows]


def local_conflicts(desk: DeskClient) -> dict[str, str]:
    with desk.db.read_raw() as raw:
        return {str(i): str(s) for i, s in raw.execute("SELECT id, status FROM sync_conflict")}


def test_use_mine_lands_on_the_server_and_both_desks_converge(desks: tuple[DeskClient, DeskClient], server: Server,
                                                             world: World, customer: str) -> None:
    a, b = desks
    [card] = services_of(b, world).sync_conflicts.list_open(world.clerk2)
    assert (card.current_value, card.mine_value, card.mine_is_yours) == ("09121111111", "09123333333", True)
    services_of(b, world).sync_conflicts.resolve(world.clerk2, card.id, protocol.USE_MINE)
    assert b.counts().open_conflicts == 0 and b.counts().pending == 1
    result = b.engine.sync_once()
    assert result.pushed == 1 and result.parked == 0
    assert server_row(server, "customer", customer)["mobile"] == "09123333333"
    [conflict] = server_conflicts(server)
    assert conflict["status"] == "resolved" and conflict["resolved_by"] == world.clerk2.user_id
    assert conflict["resolution"]["choice"] == "use_mine" and conflict["resolution"]["value"] == "09123333333"
    a.engine.sync_once()
    for desk in (a, b):
        assert desk_row(desk, "customer", customer) == server_row(server, "customer", customer)
        assert local_conflicts(desk) == {card.id: "resolved"}
        assert desk.counts().open_conflicts == 0 and desk.counts().pending == 0
    status = server.scalar("SELECT status FROM sync_applied_op WHERE tbl = 'sync_conflict' AND pk = %s", card.id)
    assert status == "applied"


def test_keep_current_closes_the_conflict_and_changes_nothing(desks: tuple[DeskClient, DeskClient], server: Server,
                                                             world: World, customer: str) -> None:
    a, b = desks
    version = server.scalar("SELECT row_version FROM customer WHERE id = %s", customer)
    [card] = world.services.sync_conflicts.list_open(world.clerk)
    world.services.sync_conflicts.resolve(world.clerk, card.id, protocol.KEEP_CURRENT)
    a.engine.sync_once()
    b.engine.sync_once()
    assert server.scalar("SELECT row_version FROM customer WHERE id = %s", customer) == version
    assert server_row(server, "customer", customer)["mobile"] == "09121111111"
    assert server_conflicts(server)[0]["status"] == "resolved"
    assert local_conflicts(a) == local_conflicts(b) == {card.id: "resolved"}


def test_a_value_that_moved_again_opens_a_new_conflict_instead_of_overwriting(
        desks: tuple[DeskClient, DeskClient], server: Server, world: World, customer: str) -> None:
    a, b = desks
    [card] = services_of(b, world).sync_conflicts.list_open(world.clerk2)
    edit(a.db, world.clerk.user_id, "customer", customer, mobile="09124444444")
    a.engine.sync_once()  # the server value moves on after B saw the conflict
    services_of(b, world).sync_conflicts.resolve(world.clerk2, card.id, protocol.EDIT, "09125555555")
    assert b.engine.sync_once().conflicts == 1
    assert server_row(server, "customer", customer)["mobile"] == "09124444444"
    old, new = server_conflicts(server)
    assert old["status"] == "superseded" and old["resolution"]["superseded_by"] == new["id"]
    assert (new["status"], new["base"], new["server_value"], new["client_value"]) == (
        "open", "09121111111", "09124444444", "09125555555")
    a.engine.sync_once()
    for desk in (a, b):
        assert local_conflicts(desk) == {old["id"]: "superseded", new["id"]: "open"}
        assert desk_row(desk, "customer", customer)["mobile"] == "09124444444"


def test_a_lost_answer_is_resent_as_a_duplicate_and_applied_once(desks: tuple[DeskClient, DeskClient],
                                                                server: Server, world: World, customer: str) -> None:
    _, b = desks
    [card] = services_of(b, world).sync_conflicts.list_open(world.clerk2)
    services_of(b, world).sync_conflicts.resolve(world.clerk2, card.id, protocol.USE_MINE)
    b.transport.drop_next_push = True
    with pytest.raises(SyncError):
        b.engine.sync_once()
    version = server.scalar("SELECT row_version FROM sync_conflict WHERE id = %s", card.id)
    b.engine.sync_once()
    assert server.scalar("SELECT row_version FROM sync_conflict WHERE id = %s", card.id) == version
    assert server.scalar("SELECT count(*) FROM sync_applied_op WHERE tbl = 'sync_conflict'") == 1
    assert local_conflicts(b) == {card.id: "resolved"} and b.counts().pending == 0


def test_a_refused_decision_is_parked_and_discarding_it_reopens_the_conflict(
        desks: tuple[DeskClient, DeskClient], server: Server, world: World, customer: str) -> None:
    """The desk asks for a note on identity fields; the server checks again (a desk's check does not count)."""
    a, _ = desks
    conflict_id = new_id()
    server.execute("INSERT INTO sync_conflict(id, branch_id, tbl, pk, field, base, server_value, client_value)"
                   " VALUES (%s, %s, 'customer', %s, 'father_name', 'null', '\"رضا\"', '\"حسن\"')",
                   conflict_id, world.branch_id, customer)
    server.execute("UPDATE customer SET father_name = 'رضا' WHERE id = %s", customer)
    a.engine.sync_once()
    change = protocol.resolve_change(protocol.USE_MINE, "رضا", "حسن", None)
    _journal_by_hand(a, world, conflict_id, change)  # a desk that skipped its own check
    result = a.engine.sync_once()
    assert result.parked == 1
    [parked] = world.services.sync_conflicts.list_rejected(world.clerk)
    assert "هویتی" in parked.reason
    assert server_row(server, "customer", customer)["father_name"] == "رضا"
    world.services.sync_conflicts.discard(world.clerk, parked.op_id, "با دلیل دوباره")
    [card] = [c for c in world.services.sync_conflicts.list_open(world.clerk) if c.field == "father_name"]
    assert card.id == conflict_id and card.needs_note
    world.services.sync_conflicts.resolve(world.clerk, conflict_id, protocol.USE_MINE, note="شناسنامه دیده شد")
    a.engine.sync_once()
    assert server_row(server, "customer", customer)["father_name"] == "حسن"
    assert server_conflicts(server)[-1]["note"] == "شناسنامه دیده شد"


def _journal_by_hand(desk: DeskClient, world: World, conflict_id: str, change: dict[str, list[Any]]) -> None:
    from crm_desktop.db import WriteContext
    from crm_desktop.db.session import driver_connection

    with desk.db.write(WriteContext(user_id=world.clerk.user_id)) as session:
        ctx = "(SELECT v FROM sync_ctx WHERE k = '{}')"
        driver_connection(session).execute(
            "INSERT INTO change_journal(tx_id, tbl, pk, kind, changed, user_id, device_id, hlc, source,"
            f" schema_version, created_at) SELECT {ctx.format('tx')}, 'sync_conflict', ?, 'resolve', ?,"
            f" {ctx.format('user')}, {ctx.format('device')}, {ctx.format('hlc')}, 'test',"
            f" CAST({ctx.format('schema_version')} AS INTEGER), {ctx.format('now')}",
            (conflict_id, json.dumps(change, ensure_ascii=False)))


def test_the_server_refuses_decisions_outside_the_branch_or_by_a_reader(server: Server, world: World,
                                                                        customer: str) -> None:
    conflict_id = new_id()
    server.execute("INSERT INTO sync_conflict(id, branch_id, tbl, pk, field, base, server_value, client_value)"
                   " VALUES (%s, %s, 'customer', %s, 'mobile', 'null', '\"09121111111\"', '\"09123333333\"')",
                   conflict_id, world.other_branch_id, customer)
    desk = server.desk("1021", world.clerk.user_id)
    change = protocol.resolve_change(protocol.KEEP_CURRENT, "09121111111", "09121111111", None)
    body = desk.push([desk.op("sync_conflict", conflict_id, "resolve", change)])
    assert body["results"][0]["status"] == "rejected" and body["results"][0]["reason"] == "not_in_scope"
    server.execute("UPDATE sync_conflict SET branch_id = %s WHERE id = %s", world.branch_id, conflict_id)
    body = desk.push([desk.op("sync_conflict", conflict_id, "resolve", change, user_id=world.auditor.user_id)])
    assert body["results"][0]["reason"] in ("role", "user_inactive")
    bad = protocol.resolve_change("coin_toss", "09121111111", "09121111111", None)
    body = desk.push([desk.op("sync_conflict", conflict_id, "resolve", bad)])
    assert body["results"][0]["reason"] == "bad_value"
    assert server.scalar("SELECT status FROM sync_conflict WHERE id = %s", conflict_id) == "open"


def test_two_desks_deciding_differently_never_overwrite_each_other(desks: tuple[DeskClient, DeskClient],
                                                                  server: Server, world: World,
                                                                  customer: str) -> None:
    """A keeps the current value; B, not knowing yet, chose its own: B's choice becomes a new question."""
    a, b = desks
    [card] = world.services.sync_conflicts.list_open(world.clerk)
    world.services.sync_conflicts.resolve(world.clerk, card.id, protocol.KEEP_CURRENT)
    services_of(b, world).sync_conflicts.resolve(world.clerk2, card.id, protocol.USE_MINE)
    a.engine.sync_once()
    assert b.engine.sync_once().conflicts == 1
    assert server_row(server, "customer", customer)["mobile"] == "09121111111"
    first, second = server_conflicts(server)
    assert first["status"] == "resolved" and first["resolution"]["choice"] == "keep_current"
    assert (second["status"], second["server_value"], second["client_value"]) == (
        "open", "09121111111", "09123333333")
    a.engine.sync_once()
    assert local_conflicts(a) == local_conflicts(b) == {first["id"]: "resolved", second["id"]: "open"}


def test_the_server_validates_an_edited_value_again(desks: tuple[DeskClient, DeskClient], server: Server,
                                                    world: World, customer: str) -> None:
    a, _ = desks
    [card] = world.services.sync_conflicts.list_open(world.clerk)
    _journal_by_hand(a, world, card.id, protocol.resolve_change(protocol.EDIT, "09121111111", "12345", None))
    assert a.engine.sync_once().parked == 1
    with a.db.read_raw() as raw:
        assert raw.execute("SELECT reason FROM sync_rejected").fetchone()[0] == "bad_value"
    assert server_conflicts(server)[0]["status"] == "open"
    assert server_row(server, "customer", customer)["mobile"] == "09121111111"
