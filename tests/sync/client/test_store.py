"""The outbox read from the journal: chained ops, skipped entries, parking with dependants, counts."""

from __future__ import annotations

from crm_desktop.sync import protocol
from crm_desktop.sync.client import store
from crm_desktop.sync.client.store import Key, Parked
from tests.conftest import PASSWORD, World
from tests.sync.client.helpers import edit, max_seq


def test_outbox_chains_ops_from_the_servers_last_op_and_hashes_them(world: World, customer: str) -> None:
    start = max_seq(world.db)
    with store.write_tx(world.db) as raw:
        store.set_pushed_seq(raw, start)
        store.put(raw, Key.LAST_ACKED, 7)  # the server's last op for this device (holes are normal)
    edit(world.db, world.clerk.user_id, "customer", customer, mobile="09121111111")
    edit(world.db, world.clerk.user_id, "customer", customer, phone="02155556666")
    with store.read_tx(world.db) as raw:
        ops = store.outbox(raw)
    assert [op["op_id"] for op in ops] == [start + 1, start + 2]
    assert [op["prev_op_id"] for op in ops] == [7, start + 1]
    assert ops[0]["changed"] == {"mobile": [None, "09121111111"]}
    assert all(op["sha256"] == protocol.op_sha256(op) for op in ops)
    with store.read_tx(world.db) as raw:
        assert len(store.outbox(raw, limit=1)) == 1


def test_password_changes_never_travel_and_do_not_stay_pending(world: World) -> None:
    start = max_seq(world.db)
    with store.write_tx(world.db) as raw:
        store.set_pushed_seq(raw, start)
    world.services.users.set_password(world.admin, "clerk", PASSWORD + "x")
    assert max_seq(world.db) > start  # the journal recorded it (redacted)
    with store.read_tx(world.db) as raw:
        ops = store.outbox(raw)
    assert ops == []
    with store.write_tx(world.db) as raw:
        store.acknowledge(raw, 0)  # nothing acked by the server, but the mark moves over unsendable entries
        assert store.pushed_seq(raw) == max_seq(world.db)
        assert store.counts(raw).pending == 0


def test_a_rejected_op_parks_later_ops_on_its_record_and_the_rest_flows(world: World, customer: str,
                                                                       other_customer: str) -> None:
    start = max_seq(world.db)
    with store.write_tx(world.db) as raw:
        store.set_pushed_seq(raw, start)
    edit(world.db, world.clerk.user_id, "customer", customer, mobile="09121111111")
    rejected_seq = max_seq(world.db)
    edit(world.db, world.other_clerk.user_id, "customer", other_customer, phone="02100000000")
    edit(world.db, world.clerk.user_id, "customer", customer, phone="02111111111")
    dependant = max_seq(world.db)
    with store.write_tx(world.db) as raw:
        store.acknowledge(raw, rejected_seq)
        parked = store.park(raw, [Parked(rejected_seq, protocol.Reason.ROLE, "اجازه ندارد")],
                            acked_through=rejected_seq, now="2026-11-23T06:30:00.000000Z")
        store.advance_mark(raw)
        ops = store.outbox(raw)
        reasons = dict(raw.execute("SELECT op_id, reason FROM sync_rejected").fetchall())
        counts = store.counts(raw)
    assert parked == 2
    assert reasons == {rejected_seq: protocol.Reason.ROLE, dependant: protocol.Reason.SAME_RECORD}
    assert [op["pk"] for op in ops] == [other_customer]
    assert ops[0]["prev_op_id"] == rejected_seq
    assert counts.pending == 1 and counts.rejected == 2 and counts.open_conflicts == 0


def test_dirty_fields_are_the_pending_ones_only(world: World, customer: str) -> None:
    with store.write_tx(world.db) as raw:
        store.set_pushed_seq(raw, max_seq(world.db))
    edit(world.db, world.clerk.user_id, "customer", customer, mobile="09121111111")
    with store.read_tx(world.db) as raw:
        assert store.dirty_fields(raw) == {("customer", customer): {"mobile"}}
    with store.write_tx(world.db) as raw:
        store.acknowledge(raw, max_seq(world.db))
        assert store.dirty_fields(raw) == {}


def test_a_gap_rebases_the_chain_and_resends_what_the_server_lost(world: World, customer: str) -> None:
    start = max_seq(world.db)
    edit(world.db, world.clerk.user_id, "customer", customer, mobile="09121111111")
    with store.write_tx(world.db) as raw:
        store.acknowledge(raw, max_seq(world.db))
        assert store.outbox(raw) == []
        store.rebase(raw, start)
        ops = store.outbox(raw)
    assert [op["op_id"] for op in ops] == [start + 1] and ops[0]["prev_op_id"] == start
