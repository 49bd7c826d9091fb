"""The desk's sync engine against the real service: two desks, conflicts, the known bugs of design §12."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from crm_desktop.db.session import Database
from crm_desktop.progress import NullProgress
from crm_desktop.sync.client.engine import RoundResult
from crm_desktop.sync.client.transport import SyncError
from tests.conftest import World
from tests.server.client_fixtures import (
    DeskClient,
    clone,
    connect_desk,
    desk_row,
    mark_all_pushed,
    seeded,
    server,
    server_row,
)
from tests.server.helpers import Server
from tests.sync.client.helpers import edit, max_seq

__all__ = ["server"]


@pytest.fixture
def customer(server: Server, world: World) -> str:
    """A customer made on desk A after the server was seeded from it (so it is pending, not pushed)."""
    from crm_desktop.persian.validators import make_national_id
    from crm_desktop.services.records import CustomerInput

    seeded(server, world)
    data = CustomerInput(first_name="علی", last_name="کریمی", national_id=make_national_id("001234567"))
    return world.services.customers.create(world.clerk, data).value.id


@pytest.fixture
def desks(server: Server, world: World, customer: str, tmp_path: Path) -> Iterator[tuple[DeskClient, DeskClient]]:
    second: Database = clone(world.db, tmp_path / "desk2.db")
    a, b = connect_desk(server, world.db), connect_desk(server, second)
    a.engine.sync_once()  # pushes the customer
    mark_all_pushed(second)  # B's copy of it is the one A just pushed
    b.engine.sync_once()
    yield a, b
    second.dispose()


def test_two_desks_editing_different_fields_both_keep_their_change(desks: tuple[DeskClient, DeskClient],
                                                                  server: Server, world: World,
                                                                  customer: str) -> None:
    a, b = desks
    edit(a.db, world.clerk.user_id, "customer", customer, mobile="09121111111")
    edit(b.db, world.clerk2.user_id, "customer", customer, phone="02122222222")
    a.engine.sync_once()
    result = b.engine.sync_once()
    assert result.conflicts == 0
    a.engine.sync_once()
    expected = server_row(server, "customer", customer)
    assert expected["mobile"] == "09121111111" and expected["phone"] == "02122222222"
    assert desk_row(a, "customer", customer) == expected == desk_row(b, "customer", customer)
    assert a.counts().pending == 0 and b.counts().pending == 0


def test_same_field_keeps_the_server_value_on_both_desks_and_one_conflict_reaches_both(
        desks: tuple[DeskClient, DeskClient], server: Server, world: World, customer: str) -> None:
    """Also design §12 bug 2: the losing desk converges (the server re-asserts the row, apply uses >=)."""
    a, b = desks
    edit(a.db, world.clerk.user_id, "customer", customer, mobile="09121111111")
    edit(b.db, world.clerk2.user_id, "customer", customer, mobile="09123333333")
    a.engine.sync_once()
    result = b.engine.sync_once()
    assert result.conflicts == 1
    a.engine.sync_once()
    expected = server_row(server, "customer", customer)
    assert expected["mobile"] == "09121111111"
    assert desk_row(b, "customer", customer) == expected == desk_row(a, "customer", customer)
    for desk in (a, b):
        assert desk.counts().open_conflicts == 1
        with desk.db.read_raw() as raw:
            field, server_value, client_value = raw.execute(
                "SELECT field, server_value, client_value FROM sync_conflict").fetchone()
        assert (field, server_value, client_value) == ("mobile", '"09121111111"', '"09123333333"')
    assert b.counts().pending == 0


def test_op_ids_are_not_reused_after_the_outbox_empties(desks: tuple[DeskClient, DeskClient], server: Server,
                                                        world: World, customer: str) -> None:
    """Design §12 bug 1: a new edit after every op was acked gets a larger op id and is applied."""
    a, _ = desks
    edit(a.db, world.clerk.user_id, "customer", customer, mobile="09121111111")
    first = a.engine.sync_once().acked_through
    assert a.counts().pending == 0
    edit(a.db, world.clerk.user_id, "customer", customer, mobile="09124444444")
    assert max_seq(a.db) > first
    result = a.engine.sync_once()
    assert result.acked_through > first
    assert server_row(server, "customer", customer)["mobile"] == "09124444444"
    status = server.scalar("SELECT status FROM sync_applied_op WHERE op_id = %s AND device_id = %s",
                           result.acked_through, a.transport.device_id)
    assert status == "applied"


def test_a_lost_push_answer_is_resent_as_duplicate_and_the_desk_converges(
        desks: tuple[DeskClient, DeskClient], server: Server, world: World, customer: str) -> None:
    """Design §12 bug 3: the ack is lost, a pull skips the dirty field but moves the version; the resend's
    ``duplicate`` answer carries the row (the write checkpoint) and the desk converges."""
    a, b = desks
    edit(b.db, world.clerk2.user_id, "customer", customer, mobile="09125555555")
    b.transport.drop_next_push = True
    with pytest.raises(SyncError):
        b.engine.sync_once()
    assert b.counts().pending == 1  # not acked as far as the desk knows
    edit(a.db, world.clerk.user_id, "customer", customer, phone="02166666666")
    a.engine.sync_once()
    b.engine._pull_all(RoundResult(), NullProgress())  # skips the dirty mobile, takes A's phone and version
    assert desk_row(b, "customer", customer)["phone"] == "02166666666"
    result = b.engine.sync_once()
    assert result.pushed == 1
    statuses = server.scalar("SELECT count(*) FROM sync_applied_op WHERE device_id = %s AND tbl = 'customer'"
                             " AND pk = %s", b.transport.device_id, customer)
    assert statuses == 1  # applied exactly once
    expected = server_row(server, "customer", customer)
    assert expected["mobile"] == "09125555555" and expected["phone"] == "02166666666"
    assert desk_row(b, "customer", customer) == expected
    assert b.counts().pending == 0


def test_a_rejected_op_is_parked_and_the_rest_of_the_queue_syncs(desks: tuple[DeskClient, DeskClient],
                                                                 server: Server, world: World,
                                                                 customer: str) -> None:
    a, _ = desks
    edit(a.db, world.clerk.user_id, "branch", world.branch_id, address="تهران")  # admins only: refused
    edit(a.db, world.clerk.user_id, "branch", world.branch_id, name="شعبه تازه")  # same record
    edit(a.db, world.clerk.user_id, "customer", customer, notes="یادداشت")
    a.engine.batch = 1  # the branch edits travel in separate pushes
    a.transport.drop_next_push = True  # the refusal is committed, but the desk does not hear it
    with pytest.raises(SyncError):
        a.engine.sync_once()
    result = a.engine.sync_once()  # the resend answers duplicate(rejected): parked all the same
    assert result.parked == 2 and result.pushed == 2  # the dependant was parked unsent; the note went
    counts = a.counts()
    assert counts.pending == 0 and counts.rejected == 2
    with a.db.read_raw() as raw:
        reasons = [r[0] for r in raw.execute("SELECT reason FROM sync_rejected ORDER BY op_id")]
    assert reasons == ["role", "same_record"]
    assert server_row(server, "customer", customer)["notes"] == "یادداشت"
    # The parked values lose: the desk shows the server's branch again, the values wait in sync_rejected.
    assert desk_row(a, "branch", world.branch_id) == server_row(server, "branch", world.branch_id)
