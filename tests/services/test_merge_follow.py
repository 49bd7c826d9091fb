"""An old link to a merged-away record leads to the live survivor, however many merges lie in between.

One desk's merge re-points earlier tombstones to its survivor, so a chain is usually one step; two desks that
merge and sync can leave a longer one (A merged into B here, B merged into C there). The chain is built here the
way sync would apply it: ordinary journaled updates of ``merged_into``.
"""

from __future__ import annotations

import pytest

from crm_desktop.db import WriteContext
from crm_desktop.models import Customer
from crm_desktop.persian.validators import make_national_id
from crm_desktop.services.errors import NotFound
from crm_desktop.services.records import CustomerInput
from tests.conftest import World


def people(world: World, count: int) -> list[str]:
    return [world.services.customers.create(world.clerk, CustomerInput(
        first_name="علی", last_name=name, national_id=make_national_id(f"00{i + 1}765432"))).value.id
        for i, name in enumerate(("کریمی", "کريمي", "كريمى", "کریمیان")[:count])]


def point(world: World, record: str, target: str) -> None:
    """Set ``record.merged_into`` as a synced change from another desk would."""
    with world.db.write(WriteContext(user_id=world.admin.user_id, source="sync")) as session:
        row = session.get(Customer, record)
        assert row is not None
        row.merged_into = target


def test_a_chain_of_merges_leads_to_the_last_survivor(world: World) -> None:
    a, b, c, d = people(world, 4)
    merges = world.services.merge
    merges.merge(world.manager, b, [a, b])  # here: A into B
    merges.merge(world.manager, c, [b, c])  # B into C (A is re-pointed to C by this desk)
    merges.merge(world.manager, d, [c, d])  # C into D
    point(world, a, b)  # the other desk's older pointer arrives: A → B → D
    with world.db.read_raw() as conn:
        chain = dict(conn.execute("SELECT id, merged_into FROM customer WHERE merged_into IS NOT NULL"))
    assert chain[a] == b and chain[b] == d and d not in chain

    for old in (a, b, c):
        profile = world.services.customers.profile(world.clerk, old)
        assert profile.customer.id == d and profile.customer.merged_into is None
    with pytest.raises(NotFound):
        world.services.customers.get(world.clerk, a)  # not following: the tombstone is no live record


def test_a_cycle_of_pointers_ends_as_not_found_instead_of_looping(world: World) -> None:
    a, b = people(world, 2)
    world.services.merge.merge(world.manager, b, [a, b])
    point(world, b, a)  # impossible by merging; possible in a damaged or hand-edited file
    with world.db.write(WriteContext(user_id=world.admin.user_id, source="test")) as session:
        row = session.get(Customer, b)
        assert row is not None
        row.deleted_at = world.clock()
    for old in (a, b):
        with pytest.raises(NotFound):
            world.services.customers.profile(world.clerk, old)
