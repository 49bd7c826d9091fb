"""Bugs the fault soak (``test_sync_stateful.py``) found in the desk's sync engine, one focused test each."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from crm_desktop.db.session import Database
from crm_desktop.persian.validators import make_national_id
from crm_desktop.server.db import rotate_epoch
from crm_desktop.services import Services
from crm_desktop.services.records import CustomerInput
from crm_desktop.sync.client import store
from crm_desktop.sync.client.engine import SyncEngine
from crm_desktop.sync.client.store import Key
from crm_desktop.sync.client.transport import APPLY_CONFLICT, SyncError, Transport
from tests.conftest import CHEAP_HASHER, PASSWORD, World
from tests.server.client_fixtures import (
    DeskClient,
    clone,
    connect_desk,
    desk_row,
    mark_all_pushed,
    seeded,
    server,
)
from tests.server.faults import Fault, FaultyTransport, faulty_client
from tests.server.helpers import Server
from tests.server.test_client_bootstrap import desk_table, server_table
from tests.sync.client.helpers import edit

__all__ = ["server"]
NATIONAL_ID = make_national_id("004455667")


@pytest.fixture
def two_desks(server: Server, world: World, tmp_path: Path) -> Iterator[tuple[DeskClient, DeskClient]]:
    """Desks A (the world's database) and B (a clone) of branch 1021, both registered, nothing pending."""
    seeded(server, world)
    second: Database = clone(world.db, tmp_path / "desk2.db")
    mark_all_pushed(second)
    yield connect_desk(server, world.db), connect_desk(server, second)
    second.dispose()


def onboard(db: Database, world: World, first_name: str) -> str:
    """The same person (one national id) created on a desk through the real service."""
    from crm_desktop.services import Services
    from tests.conftest import CHEAP_HASHER

    services = Services(db, clock=world.clock, hasher=CHEAP_HASHER)
    data = CustomerInput(first_name=first_name, last_name="کریمی", national_id=NATIONAL_ID)
    return services.customers.create(world.clerk, data).value.id


def parked_kinds(db: Database) -> list[str]:
    with db.read_raw() as raw:
        return [r[0] for r in raw.execute("SELECT kind FROM sync_rejected ORDER BY op_id")]


def assert_equals_server(desk: DeskClient, server: Server, world: World) -> None:
    assert desk_table(desk.db, "customer") == server_table(server, "customer", world.branch_id)
    assert desk.counts().pending == 0


def parked_reasons(desk: DeskClient) -> list[tuple[str, str]]:
    with desk.db.read_raw() as raw:
        return [(r[0], r[1]) for r in raw.execute("SELECT kind, reason FROM sync_rejected ORDER BY op_id")]


def test_the_same_person_onboarded_on_two_desks_parks_the_losing_insert_and_the_desk_converges(
        two_desks: tuple[DeskClient, DeskClient], server: Server, world: World) -> None:
    """Before: B kept its refused customer, so every pull of A's customer broke on the local unique national
    id (a raw sqlite3.IntegrityError) and B never synced again."""
    a, b = two_desks
    winner = onboard(a.db, world, "علی")
    loser = onboard(b.db, world, "زهرا")
    a.engine.sync_once()
    result = b.engine.sync_once()
    assert result.parked == 1
    assert parked_reasons(b) == [("insert", "constraint")]  # the values wait in the clerk's list
    assert b.row("customer", loser) is None and desk_row(b, "customer", winner)["first_name"] == "علی"
    assert_equals_server(b, server, world)
    b.engine.sync_once()  # and the next round is quiet


def test_a_pull_that_meets_a_pending_local_row_on_a_unique_key_is_a_retryable_error(
        two_desks: tuple[DeskClient, DeskClient], server: Server, world: World) -> None:
    """A page that clashes with an unanswered local insert must not escape as sqlite3.IntegrityError: the
    loop retries, and the next round pushes first, so the clash is parked and the pull goes through."""
    a, b = two_desks
    onboard(a.db, world, "علی")
    onboard(b.db, world, "زهرا")
    a.engine.sync_once()
    with pytest.raises(SyncError) as caught:
        b.engine.pull()
    assert caught.value.code == APPLY_CONFLICT and caught.value.retryable
    b.engine.sync_once()
    assert_equals_server(b, server, world)


def test_a_reset_replays_the_outbox_before_the_bootstrap(two_desks: tuple[DeskClient, DeskClient],
                                                         server: Server, world: World) -> None:
    """Before: the reset bootstrapped first, met the pending insert on the national id, and failed every
    round (the sweep never ran)."""
    a, b = two_desks
    onboard(a.db, world, "علی")
    onboard(b.db, world, "زهرا")
    a.engine.sync_once()
    rotate_epoch(server.engine)
    result = b.engine.sync_once()
    assert result.reset_copy is not None
    assert parked_reasons(b) == [("insert", "constraint")]
    assert_equals_server(b, server, world)


def faulty_desk(server: Server, db: Database) -> tuple[SyncEngine, FaultyTransport]:
    http, faults = faulty_client(server.client)
    engine = SyncEngine(db, Transport("", username="clerk", password=PASSWORD, client=http))
    engine.register("http://testserver", server.code("1021"), "میز آزمون")
    return engine, faults


def test_an_interrupted_reset_is_finished_by_the_next_round(server: Server, world: World) -> None:
    """Before: a reset cut off during its bootstrap left the new epoch stored, so the next round never swept
    away the rows the restored server no longer has."""
    seeded(server, world)
    engine, faults = faulty_desk(server, world.db)
    engine.sync_once()
    with store.write_tx(world.db, applying=True) as raw:
        raw.execute("INSERT INTO holiday (id, day, name, created_at, updated_at, version) VALUES ('h-lost',"
                    " '2026-12-01', 'تعطیل', '2026-11-23T06:30:00.000000Z', '2026-11-23T06:30:00.000000Z', 1)")
        raw.execute("INSERT INTO sync_row_version VALUES ('holiday', 'h-lost', 1)")
    rotate_epoch(server.engine)
    faults.arm(Fault.DROP_RESPONSE, after_calls=1)  # the pull answered resync_required; the bootstrap is cut
    with pytest.raises(SyncError):
        engine.sync_once()
    engine.sync_once()
    with world.db.read_raw() as raw:
        assert raw.execute("SELECT count(*) FROM holiday WHERE id = 'h-lost'").fetchone()[0] == 0
    assert desk_table(world.db, "holiday") == server_table(server, "holiday", None)


def test_two_resets_in_one_second_keep_both_forensic_copies(server: Server, world: World) -> None:
    """Before: the copy's name had a one-second stamp, so a second reset overwrote the first copy."""
    seeded(server, world)
    desk = connect_desk(server, world.db)
    desk.engine.sync_once()
    copies = []
    for _ in range(2):
        rotate_epoch(server.engine)
        copy = desk.engine.sync_once().reset_copy
        assert copy is not None
        copies.append(copy)
    assert copies[0] != copies[1] and all(c.exists() for c in copies)
    with world.db.read_raw() as raw:
        assert store.get(raw, Key.LAST_RESET) == str(copies[1])
    for copy in copies:
        conn = sqlite3.connect(copy)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()


def test_an_answer_delivered_for_another_push_is_never_applied(server: Server, world: World, tmp_path: Path) -> None:
    """Before: an older push answer (a refused edit) taken as the answer of a newer push parked the newer edit of
    the same record too, although the server had applied it (O1: parked on the desk, applied on the server)."""
    seeded(server, world)
    mine = onboard(world.db, world, "سارا")
    engine, faults = faulty_desk(server, world.db)
    engine.sync_once()
    other_db = clone(world.db, tmp_path / "desk2.db")
    mark_all_pushed(other_db)
    other = connect_desk(server, other_db)
    with store.write_tx(other_db, applying=True) as raw:  # desk B onboards someone with another national id
        raw.execute("DELETE FROM customer WHERE id = ?", (mine,))
    taken = make_national_id("008877665")
    Services(other_db, clock=world.clock, hasher=CHEAP_HASHER).customers.create(
        world.clerk, CustomerInput(first_name="رضا", last_name="نادری", national_id=taken))
    other.engine.sync_once()
    edit(world.db, world.clerk.user_id, "customer", mine, national_id=taken)  # the server refuses it
    engine.sync_once()
    assert parked_kinds(world.db) == ["update"]
    edit(world.db, world.clerk.user_id, "customer", mine, notes="یادداشت تازه")
    faults.arm(Fault.STALE)  # the server applies the notes; the desk is handed the refusal's answer again
    with pytest.raises(SyncError) as stale:
        engine.sync_once()
    assert stale.value.retryable
    engine.sync_once()
    assert parked_kinds(world.db) == ["update"]  # the newer edit was not parked, and it landed
    with server.engine.connect() as conn:
        assert conn.execute(text("SELECT notes FROM customer WHERE id = :id"), {"id": mine}).scalar() == "یادداشت تازه"
    other_db.dispose()
