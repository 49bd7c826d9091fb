"""Interactions: logging, editing rights, validation, listing with filters and keyset pages."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import text

from crm_desktop.persian import make_national_id
from crm_desktop.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from crm_desktop.services.interactions import InteractionInput
from crm_desktop.services.records import CustomerInput

PERSIAN = re.compile(r"[\u0600-\u06FF]")


def counts(db) -> tuple[int, int]:
    with db.read() as s:
        return (
            s.execute(text("SELECT count(*) FROM interaction")).scalar_one(),
            s.execute(text("SELECT count(*) FROM change_journal")).scalar_one(),
        )


def note(customer_id: str, subject: str = "پیگیری وام", **kw) -> InteractionInput:
    return InteractionInput(customer_id=customer_id, channel=kw.pop("channel", "phone"),
                            direction=kw.pop("direction", "outbound"), subject=subject, **kw)


# -- logging -----------------------------------------------------------------------------------


def test_log(world, customer) -> None:
    out = world.services.interactions.log(
        world.clerk, note(customer, "پيگيري  وام", notes=" یادداشت ", duration_minutes="۱۵", outcome="follow_up",
                          follow_up_on="1405/09/10"))
    row = out.value
    assert row.subject == "پیگیری وام"  # Arabic letters and double spaces tidied
    assert row.notes == "یادداشت"
    assert row.duration_minutes == 15
    assert row.outcome == "follow_up"
    assert row.follow_up_on == date(2026, 12, 1)
    assert row.occurred_at == world.clock()
    assert row.user_id == world.clerk.user_id and row.user_name == "مریم کارمند"
    assert row.customer_id == customer and row.customer_name == "علی کریمی"
    assert row.version == 1
    assert out.changes.interactions == frozenset({row.id})
    assert out.changes.customers == frozenset({customer})
    with world.db.read() as s:
        branch = s.execute(text("SELECT branch_id FROM interaction WHERE id = :i"), {"i": row.id}).scalar()
    assert branch == world.branch_id


def test_log_in_the_past_and_slightly_ahead(world, customer) -> None:
    past = world.clock() - timedelta(days=3)
    assert world.services.interactions.log(world.clerk, note(customer, occurred_at=past)).value.occurred_at == past
    soon = world.clock() + timedelta(minutes=4)  # clock skew between PCs is tolerated
    assert world.services.interactions.log(world.clerk, note(customer, occurred_at=soon)).value.occurred_at == soon


BAD = [
    ({"channel": "pigeon"}, "channel"),
    ({"channel": None}, "channel"),
    ({"direction": "sideways"}, "direction"),
    ({"subject": ""}, "subject"),
    ({"subject": "   "}, "subject"),
    ({"subject": None}, "subject"),
    ({"subject": 12}, "subject"),
    ({"subject": "م" * 201}, "subject"),
    ({"notes": "x" * 4001}, "notes"),
    ({"notes": 5}, "notes"),
    ({"occurred_at": datetime(2027, 1, 1, tzinfo=UTC)}, "occurred_at"),
    ({"occurred_at": datetime(2026, 11, 1, 8, 0)}, "occurred_at"),  # naive
    ({"occurred_at": "1405/09/01"}, "occurred_at"),
    ({"duration_minutes": -1}, "duration_minutes"),
    ({"duration_minutes": 1441}, "duration_minutes"),
    ({"duration_minutes": "ده"}, "duration_minutes"),
    ({"duration_minutes": True}, "duration_minutes"),
    ({"outcome": "maybe"}, "outcome"),
    ({"follow_up_on": "1405/13/01"}, "follow_up_on"),
    ({"follow_up_on": 14050910}, "follow_up_on"),
    ({"customer_id": ""}, "customer_id"),
    ({"customer_id": None}, "customer_id"),
]


def test_invalid_input_writes_nothing(world, customer) -> None:
    before = counts(world.db)
    for change, field in BAD:
        data = replace(note(customer), **change)
        with pytest.raises(InvalidInput) as info:
            world.services.interactions.log(world.clerk, data)
        assert field in info.value.errors, change
        assert all(PERSIAN.search(m) for m in info.value.errors.values()), change
        assert counts(world.db) == before, change
        assert field in world.services.interactions.validate(data), change


def test_future_time_refused(world, customer) -> None:
    before = counts(world.db)
    with pytest.raises(InvalidInput) as info:
        world.services.interactions.log(world.clerk, note(customer, occurred_at=world.clock() + timedelta(hours=1)))
    assert "آینده" in info.value.errors["occurred_at"]
    assert counts(world.db) == before


def test_unknown_customer(world) -> None:
    before = counts(world.db)
    with pytest.raises(NotFound):
        world.services.interactions.log(world.clerk, note("no-such-customer"))
    assert counts(world.db) == before


def test_deleted_customer(world, customer) -> None:
    world.services.customers.delete(world.manager, customer, "ثبت اشتباه")
    with pytest.raises(NotFound):
        world.services.interactions.log(world.clerk, note(customer))


def test_other_branch_customer_refused(world, other_customer) -> None:
    before = counts(world.db)
    with pytest.raises(PermissionDenied):
        world.services.interactions.log(world.clerk, note(other_customer))
    assert counts(world.db) == before
    assert world.services.interactions.log(world.other_clerk, note(other_customer)).value.customer_id == other_customer


def test_auditor_cannot_log(world, customer) -> None:
    before = counts(world.db)
    with pytest.raises(PermissionDenied):
        world.services.interactions.log(world.auditor, note(customer))
    assert counts(world.db) == before


# -- editing ------------------------------------------------------------------------------------


def test_edit_by_author(world, customer) -> None:
    row = world.services.interactions.log(world.clerk, note(customer)).value
    out = world.services.interactions.edit(world.clerk, row.id, note(customer, "موضوع تازه", channel="branch"),
                                           expected_version=1)
    assert out.value.subject == "موضوع تازه" and out.value.channel == "branch"
    assert out.value.version == 2
    assert out.value.user_id == world.clerk.user_id  # the author stays


def test_edit_by_another_clerk_refused(world, customer) -> None:
    row = world.services.interactions.log(world.clerk, note(customer)).value
    before = counts(world.db)
    with pytest.raises(PermissionDenied) as info:
        world.services.interactions.edit(world.clerk2, row.id, note(customer, "دستکاری"))
    assert PERSIAN.search(info.value.message)
    assert counts(world.db) == before
    assert world.services.interactions.list(world.clerk, customer_id=customer).rows[0].subject == "پیگیری وام"


def test_edit_by_manager(world, customer) -> None:
    row = world.services.interactions.log(world.clerk, note(customer)).value
    out = world.services.interactions.edit(world.manager, row.id, note(customer, "اصلاح رئیس"))
    assert out.value.subject == "اصلاح رئیس"
    assert out.value.user_id == world.clerk.user_id


def test_edit_by_other_branch_and_auditor_refused(world, customer) -> None:
    row = world.services.interactions.log(world.clerk, note(customer)).value
    with pytest.raises(PermissionDenied):
        world.services.interactions.edit(world.other_clerk, row.id, note(customer, "x موضوع"))
    with pytest.raises(PermissionDenied):
        world.services.interactions.edit(world.auditor, row.id, note(customer, "x موضوع"))


def test_edit_stale_version_conflict(world, customer) -> None:
    row = world.services.interactions.log(world.clerk, note(customer)).value
    world.services.interactions.edit(world.clerk, row.id, note(customer, "یک"))
    before = counts(world.db)
    with pytest.raises(Conflict):
        world.services.interactions.edit(world.manager, row.id, note(customer, "دو"), expected_version=1)
    assert counts(world.db) == before


def test_edit_cannot_move_to_other_customer(world, customer) -> None:
    row = world.services.interactions.log(world.clerk, note(customer)).value
    other = world.services.customers.create(
        world.clerk, CustomerInput(first_name="حسن", last_name="احمدی", national_id=make_national_id("002345678"))
    ).value.id
    with pytest.raises(InvalidInput) as info:
        world.services.interactions.edit(world.clerk, row.id, note(other))
    assert "customer_id" in info.value.errors


def test_edit_invalid_and_unknown(world, customer) -> None:
    row = world.services.interactions.log(world.clerk, note(customer)).value
    before = counts(world.db)
    with pytest.raises(InvalidInput):
        world.services.interactions.edit(world.clerk, row.id, note(customer, ""))
    with pytest.raises(NotFound):
        world.services.interactions.edit(world.clerk, "nope", note(customer))
    assert counts(world.db) == before


# -- listing ------------------------------------------------------------------------------------


@pytest.fixture
def logged(world, customer, other_customer) -> dict[str, str]:
    """A few interactions at known times (clock: Sunday 2026-11-23 10:00 Tehran)."""
    now = world.clock()
    svc = world.services.interactions
    other = world.services.customers.create(
        world.clerk, CustomerInput(first_name="حسن", last_name="احمدی", national_id=make_national_id("002345678"))
    ).value.id
    ids = {
        "now": svc.log(world.clerk, note(customer, "اکنون", channel="phone")).value.id,
        "yesterday": svc.log(world.clerk2, note(customer, "دیروز", channel="branch",
                                                occurred_at=now - timedelta(days=1))).value.id,
        # 2026-11-22 20:45 UTC is already 2026-11-23 00:15 in Tehran
        "after_midnight": svc.log(world.clerk, note(other, "بامداد", channel="sms",
                                                    occurred_at=datetime(2026, 11, 22, 20, 45, tzinfo=UTC))).value.id,
        # 2026-11-22 20:15 UTC is 2026-11-22 23:45 in Tehran
        "before_midnight": svc.log(world.clerk, note(other, "شب", channel="phone",
                                                     occurred_at=datetime(2026, 11, 22, 20, 15, tzinfo=UTC))).value.id,
        "week_ago": svc.log(world.clerk2, note(customer, "هفته پیش", channel="email",
                                               occurred_at=now - timedelta(days=7))).value.id,
        "elsewhere": svc.log(world.other_clerk, note(other_customer, "شعبه دیگر")).value.id,
    }
    return ids


def ids_of(page) -> list[str]:
    return [r.id for r in page.rows]


def test_list_newest_first_and_scoped(world, logged) -> None:
    page = world.services.interactions.list(world.clerk)
    assert ids_of(page) == [logged[k] for k in ("now", "after_midnight", "before_midnight", "yesterday", "week_ago")]
    assert page.next_key is None
    assert ids_of(world.services.interactions.list(world.other_clerk)) == [logged["elsewhere"]]
    assert len(world.services.interactions.list(world.admin).rows) == 6
    assert len(world.services.interactions.list(world.auditor).rows) == 6
    assert ids_of(world.services.interactions.list(world.admin, branch_id=world.other_branch_id)) == [
        logged["elsewhere"]]
    # a clerk cannot widen their scope
    assert logged["elsewhere"] not in ids_of(world.services.interactions.list(world.clerk,
                                                                                branch_id=world.other_branch_id))


def test_list_by_customer_user_channel(world, logged, customer) -> None:
    svc = world.services.interactions
    assert ids_of(svc.list(world.clerk, customer_id=customer)) == [logged[k] for k in ("now", "yesterday", "week_ago")]
    assert ids_of(svc.list(world.clerk, user_id=world.clerk2.user_id)) == [logged["yesterday"], logged["week_ago"]]
    assert ids_of(svc.list(world.clerk, channel="phone")) == [logged["now"], logged["before_midnight"]]
    assert ids_of(svc.list(world.clerk, customer_id=customer, channel="phone")) == [logged["now"]]


def test_list_by_local_date_period(world, logged) -> None:
    svc = world.services.interactions
    today = date(2026, 11, 23)
    assert ids_of(svc.list(world.clerk, period=(today, today))) == [logged["now"], logged["after_midnight"]]
    yesterday = today - timedelta(days=1)
    assert ids_of(svc.list(world.clerk, period=(yesterday, yesterday))) == [logged["before_midnight"],
                                                                           logged["yesterday"]]
    assert len(svc.list(world.clerk, period=(today - timedelta(days=7), today)).rows) == 5
    assert svc.list(world.clerk, period=(today + timedelta(days=1), today + timedelta(days=9))).rows == []
    with pytest.raises(InvalidInput):
        svc.list(world.clerk, period=(today, yesterday))


def test_keyset_paging_newest_first(world, customer) -> None:
    now = world.clock()
    made = []
    for i in range(11):
        made.append(world.services.interactions.log(
            world.clerk, note(customer, f"تماس {i}", occurred_at=now - timedelta(hours=i % 4, minutes=i))).value)
    # two at exactly the same moment: the id breaks the tie
    same = now - timedelta(hours=9)
    made.append(world.services.interactions.log(world.clerk, note(customer, "همزمان ۱", occurred_at=same)).value)
    made.append(world.services.interactions.log(world.clerk, note(customer, "همزمان ۲", occurred_at=same)).value)
    rows, after, pages = [], None, 0
    while True:
        page = world.services.interactions.list(world.clerk, after=after, limit=4)
        rows.extend(page.rows)
        pages += 1
        if page.next_key is None:
            break
        after = page.next_key
    assert pages == 4
    assert len(rows) == len({r.id for r in rows}) == 13
    keys = [(r.occurred_at, r.id) for r in rows]
    assert keys == sorted(keys, reverse=True)
    assert {r.id for r in rows} == {m.id for m in made}


def test_list_bad_limit(world) -> None:
    for limit in (0, 1001, "5", None):
        with pytest.raises(InvalidInput):
            world.services.interactions.list(world.clerk, limit=limit)
