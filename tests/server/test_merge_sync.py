"""Merges survive sync (issue #7): two desks A and B of one branch against the real service.

A merge is made on A through ``MergeService`` while B, offline, still shows the merged record Y live and works
on it. Whatever order the desks sync in, the merge is never undone or duplicated, and nothing B did is lost:
children B adds to Y end on the survivor X, and B's field edits of Y reach X through the three-way merge (see
``crm_desktop/server/merges.py`` for the policy).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from crm_desktop.db.session import Database
from crm_desktop.persian.validators import make_national_id
from crm_desktop.services import Services
from crm_desktop.services.errors import NotFound
from crm_desktop.services.interactions import InteractionInput
from crm_desktop.services.records import CustomerInput
from crm_desktop.services.service_requests import RequestInput
from tests.conftest import CHEAP_HASHER, World
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
from tests.sync.client.helpers import edit

__all__ = ["server"]

MOBILE = "09121234567"
Y_NID = make_national_id("001234568")


@dataclass
class Pair:
    a: DeskClient
    b: DeskClient
    sa: Services  # services on desk A (the world's database)
    sb: Services  # services on desk B
    x: str  # the survivor
    y: str  # the duplicate that A merges into X

    def desks(self) -> tuple[tuple[DeskClient, Services], ...]:
        return (self.a, self.sa), (self.b, self.sb)


@pytest.fixture
def pair(server: Server, world: World, tmp_path: Path) -> Iterator[Pair]:
    """X and Y, the same person twice (Arabic and Persian letters, a mistyped national ID), on both desks."""
    seeded(server, world)
    x = world.services.customers.create(world.clerk, CustomerInput(
        first_name="علی‌رضا", last_name="کریمی", national_id=make_national_id("001234567"), mobile=MOBILE)).value.id
    y = world.services.customers.create(world.clerk, CustomerInput(
        first_name="عليرضا", last_name="كريمي", national_id=Y_NID, mobile=MOBILE)).value.id
    second: Database = clone(world.db, tmp_path / "desk2.db")
    a, b = connect_desk(server, world.db), connect_desk(server, second)
    a.engine.sync_once()
    mark_all_pushed(second)  # B's copies are the ones A just pushed
    b.engine.sync_once()
    yield Pair(a, b, world.services, Services(second, clock=world.clock, hasher=CHEAP_HASHER), x, y)
    second.dispose()


def edit_mobile(services: Services, world: World, customer_id: str, mobile: str) -> None:
    services.customers.edit(world.clerk2, customer_id, CustomerInput(
        first_name="عليرضا", last_name="كريمي", national_id=Y_NID, mobile=mobile))


def work_on(services: Services, world: World, customer_id: str) -> tuple[str, str]:
    """B logs an interaction and opens a service request on the customer; returns their ids."""
    interaction = services.interactions.log(world.clerk2, InteractionInput(
        customer_id=customer_id, channel="phone", direction="inbound", subject="تماس درباره کارت")).value.id
    request = services.requests.open(world.clerk2, RequestInput(
        customer_id=customer_id, category="request", priority="normal", subject="صدور کارت")).value.id
    return interaction, request


def applied(server: Server, tbl: str, pk: str) -> list[dict[str, object]]:
    """The server's stored results of the ops on one record, oldest first."""
    with server.engine.connect() as conn:
        found = conn.exec_driver_sql("SELECT result FROM sync_applied_op WHERE tbl = %s AND pk = %s ORDER BY"
                                     " applied_at, op_id", (tbl, pk)).all()
    return [r[0] if isinstance(r[0], dict) else json.loads(r[0]) for r in found]


def assert_merged_everywhere(p: Pair, server: Server) -> None:
    """Y is a tombstone pointing at X and X is the one live record: on the server and on both desks, equal."""
    for tbl, pk in (("customer", p.x), ("customer", p.y)):
        expected = server_row(server, tbl, pk)
        assert desk_row(p.a, tbl, pk) == expected == desk_row(p.b, tbl, pk)
    x, y = server_row(server, "customer", p.x), server_row(server, "customer", p.y)
    assert y["merged_into"] == p.x and y["deleted_at"] is not None
    assert x["merged_into"] is None and x["deleted_at"] is None
    for desk in (p.a, p.b):
        assert desk.counts().pending == 0 and desk.counts().rejected == 0


def assert_on_survivor(p: Pair, server: Server, world: World, interaction: str, request: str) -> None:
    """B's interaction and request hang on X everywhere, and X's 360° view lists them on both desks."""
    for tbl, pk in (("interaction", interaction), ("service_request", request)):
        expected = server_row(server, tbl, pk)
        assert expected["customer_id"] == p.x
        assert desk_row(p.a, tbl, pk) == expected == desk_row(p.b, tbl, pk)
    for _desk, services in p.desks():
        profile = services.customers.profile(world.clerk, p.x)
        assert interaction in {i.id for i in profile.interactions}
        assert request in {r.id for r in profile.requests}
        listed = services.interactions.list(world.clerk, customer_id=p.x).rows
        assert interaction in {i.id for i in listed}


def test_merge_first_then_the_other_desks_edits_of_the_merged_record_follow_it(
        pair: Pair, server: Server, world: World) -> None:
    p = pair
    merge = p.sa.merge.merge(world.manager, p.x, [p.x, p.y]).value
    edit_mobile(p.sb, world, p.y, "09127654321")  # B still shows Y live
    interaction, request = work_on(p.sb, world, p.y)
    p.a.engine.sync_once()
    result = p.b.engine.sync_once()
    assert result.parked == 0 and result.conflicts == 0
    p.a.engine.sync_once()

    assert_merged_everywhere(p, server)
    assert_on_survivor(p, server, world, interaction, request)
    # B's new mobile: on the tombstone (kept for the merge's history) and on the survivor, which still held
    # the number B started from.
    assert server_row(server, "customer", p.y)["mobile"] == "09127654321"
    assert server_row(server, "customer", p.x)["mobile"] == "09127654321"
    assert applied(server, "interaction", interaction)[0]["status"] == "merged"
    assert applied(server, "interaction", interaction)[0]["repointed"] == {"customer_id": [p.y, p.x]}
    assert applied(server, "service_request", request)[0]["repointed"] == {"customer_id": [p.y, p.x]}
    edit_result = applied(server, "customer", p.y)[-1]
    assert edit_result["forwarded"] == {"customer_id": p.x, "applied_fields": ["mobile"], "conflicts": []}
    # Only one live record carries the person's mobile on each desk: the search finds X alone.
    for _desk, services in p.desks():
        found = services.search.search(world.clerk, "09127654321").rows
        assert [c.id for c in found] == [p.x]
    assert merge.merged_ids == (p.y,)


def test_an_edit_of_the_merged_record_that_meets_another_survivor_value_opens_a_conflict(
        pair: Pair, server: Server, world: World) -> None:
    """The manager gave X another mobile in the merge: B's edit of Y's mobile is not applied over it; the
    branch's conflict inbox gets it (on X), and the merge stays."""
    p = pair
    p.sa.merge.merge(world.manager, p.x, [p.x, p.y], {"mobile": "09120000000"})
    edit_mobile(p.sb, world, p.y, "09127654321")
    p.a.engine.sync_once()
    assert p.b.engine.sync_once().conflicts == 1
    p.a.engine.sync_once()

    assert_merged_everywhere(p, server)
    assert server_row(server, "customer", p.x)["mobile"] == "09120000000"
    for desk, services in p.desks():
        cards = services.sync_conflicts.list_open(world.manager)
        assert [(c.record_id, c.field) for c in cards] == [(p.x, "mobile")]
        with desk.db.read_raw() as raw:
            values = raw.execute("SELECT server_value, client_value FROM sync_conflict").fetchone()
        assert tuple(json.loads(v) for v in values) == ("09120000000", "09127654321")


def test_edits_synced_before_the_merge_arrives_end_on_the_survivor(pair: Pair, server: Server,
                                                                    world: World) -> None:
    """B syncs its work on Y first; A's merge (made without knowing it) then sweeps B's children to X.

    B's mobile edit reached the server while Y was live: it stays on the tombstone (the manager merged without
    it; the merge's undo brings it back with Y). X keeps the values the manager chose.
    """
    p = pair
    edit_mobile(p.sb, world, p.y, "09127654321")
    interaction, request = work_on(p.sb, world, p.y)
    p.b.engine.sync_once()
    p.sa.merge.merge(world.manager, p.x, [p.x, p.y])  # A is offline: it has not seen B's work
    result = p.a.engine.sync_once()
    assert result.parked == 0
    p.b.engine.sync_once()

    assert_merged_everywhere(p, server)
    assert_on_survivor(p, server, world, interaction, request)
    tombstone = [r for r in applied(server, "customer", p.y) if "merged_into" in str(r["applied_fields"])]
    assert tombstone[0]["swept"] == {"interaction": 1, "service_request": 1}
    assert server_row(server, "customer", p.y)["mobile"] == "09127654321"
    assert server_row(server, "customer", p.x)["mobile"] == MOBILE


def test_an_undo_on_one_desk_revives_the_record_and_its_children_on_the_other(pair: Pair, server: Server,
                                                                            world: World) -> None:
    p = pair
    interaction, request = work_on(p.sb, world, p.y)
    p.b.engine.sync_once()
    p.a.engine.sync_once()
    merge = p.sa.merge.merge(world.manager, p.x, [p.x, p.y]).value
    assert merge.interactions == 1 and merge.requests == 1
    p.a.engine.sync_once()
    p.b.engine.sync_once()
    assert_merged_everywhere(p, server)
    assert_on_survivor(p, server, world, interaction, request)

    p.sa.merge.undo(world.manager, merge.tx_id)
    assert p.a.engine.sync_once().parked == 0
    p.b.engine.sync_once()
    for tbl, pk in (("customer", p.x), ("customer", p.y), ("interaction", interaction),
                    ("service_request", request)):
        expected = server_row(server, tbl, pk)
        assert desk_row(p.a, tbl, pk) == expected == desk_row(p.b, tbl, pk)
    y = server_row(server, "customer", p.y)
    assert y["merged_into"] is None and y["deleted_at"] is None
    profile = p.sb.customers.profile(world.clerk, p.y)
    assert [i.id for i in profile.interactions] == [interaction] and [r.id for r in profile.requests] == [request]
    assert not p.sb.customers.profile(world.clerk, p.x).interactions


def test_past_merges_list_only_the_merges_made_on_this_desk(pair: Pair, server: Server, world: World) -> None:
    """A's merge reaches B as ordinary row changes (B's sync applies rows without journaling them), and
    ``list_merges`` reads the journal: B's «past merges» shows nothing and B cannot undo A's merge (undo it on
    A). B still sees the merge on the records: Y is a tombstone whose reason names X, and opening Y leads to X.
    Kept so on purpose: the journal of B records what B's users did."""
    p = pair
    merge = p.sa.merge.merge(world.manager, p.x, [p.x, p.y]).value
    p.a.engine.sync_once()
    p.b.engine.sync_once()
    assert [m.tx_id for m in p.sa.merge.list_merges(world.manager)] == [merge.tx_id]
    assert p.sb.merge.list_merges(world.manager) == []
    with pytest.raises(NotFound):
        p.sb.merge.undo(world.manager, p.x)
    assert p.sb.customers.profile(world.clerk, p.y).customer.id == p.x  # an old link leads to the survivor
    assert "ادغام" in (desk_row(p.b, "customer", p.y)["deleted_reason"] or "")


def test_a_clerk_cannot_set_merged_into(pair: Pair, server: Server, world: World) -> None:
    p = pair
    edit(p.b.db, world.clerk2.user_id, "customer", p.y, merged_into=p.x)  # not through the service
    assert p.b.engine.sync_once().parked == 1
    with p.b.db.read_raw() as raw:
        assert raw.execute("SELECT reason FROM sync_rejected").fetchone()[0] == "server_field"
    assert server_row(server, "customer", p.y)["merged_into"] is None


def test_a_merge_of_a_record_merged_elsewhere_meanwhile_is_parked_whole(pair: Pair, server: Server,
                                                                       world: World) -> None:
    """B's manager merges Y into a third record Z while A's manager merges Y into X; B syncs first. A's whole
    merge is parked with a Persian reason (not half applied) and both desks show the server's state: Y in Z,
    X live. The person is then on X and Z, which the duplicate finder shows again; nothing is lost."""
    p = pair
    z = p.sb.customers.create(world.clerk2, CustomerInput(
        first_name="علی رضا", last_name="کریمی", national_id=make_national_id("001234569"))).value.id
    p.b.engine.sync_once()
    p.a.engine.sync_once()
    p.sb.merge.merge(world.manager, z, [z, p.y])
    p.sa.merge.merge(world.manager, p.x, [p.x, p.y])
    p.b.engine.sync_once()
    assert p.a.engine.sync_once().parked >= 1
    with p.a.db.read_raw() as raw:
        reasons = {r[0]: r[1] for r in raw.execute("SELECT pk, detail FROM sync_rejected WHERE tbl = 'customer'")}
    assert "دوباره" in (reasons.get(p.y) or "")
    p.b.engine.sync_once()
    for pk in (p.x, p.y, z):
        expected = server_row(server, "customer", pk)
        assert desk_row(p.a, "customer", pk) == expected == desk_row(p.b, "customer", pk)
    assert server_row(server, "customer", p.y)["merged_into"] == z
    assert server_row(server, "customer", p.x)["deleted_at"] is None
