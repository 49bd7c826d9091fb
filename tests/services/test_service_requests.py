"""Service requests: numbers, SLA due times, the full life cycle, permissions, queues and the calendar."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import text

from crm_desktop.services.errors import Conflict, InvalidInput, InvalidTransition, NotFound, PermissionDenied
from crm_desktop.services.service_requests import RequestInput

PERSIAN = re.compile(r"[\u0600-\u06FF]")
# The clock fixture: 2026-11-23 06:30 UTC = 10:00 Tehran. That date is a Monday (conftest calls it Sunday;
# both are working days). Working week Saturday–Wednesday, 07:30–14:30 Tehran.
OPENED = datetime(2026, 11, 23, 6, 30, tzinfo=UTC)
TUESDAY_11_TEHRAN = datetime(2026, 11, 24, 7, 30, tzinfo=UTC)


def tehran(day: int, hour: int, minute: int = 0) -> datetime:
    """A November 2026 Tehran wall time as UTC (Tehran is +03:30 all year)."""
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC) - timedelta(hours=3, minutes=30)


def counts(db) -> tuple[int, ...]:
    with db.read() as s:
        return tuple(
            s.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
            for t in ("service_request", "request_status_change", "change_journal")
        )


def snapshot(db, request_id: str) -> tuple:
    with db.read() as s:
        return tuple(s.execute(text("SELECT * FROM service_request WHERE id = :i"), {"i": request_id}).one())


def req(customer_id: str, priority: str = "high", category: str = "complaint", **kw) -> RequestInput:
    return RequestInput(customer_id=customer_id, category=category, priority=priority,
                        subject=kw.pop("subject", "کارت مسدود شده"), **kw)


@pytest.fixture
def opened(world, customer):
    return world.services.requests.open(world.clerk, req(customer)).value


def move(world, actor, request_id: str, step: str, **kw):
    return world.services.requests.transition(actor, request_id, step, **kw).value


# -- opening -------------------------------------------------------------------------------------


def test_number_format_and_sequence(world, customer) -> None:
    tag = world.db.device_id.replace("-", "")[-6:].upper()
    numbers = [world.services.requests.open(world.clerk, req(customer)).value.number for _ in range(3)]
    assert numbers == [f"1021-{tag}-00000{i}" for i in (1, 2, 3)]
    assert all(re.fullmatch(r"1021-[0-9A-F]{6}-\d{6}", n) for n in numbers)


def test_numbers_per_branch(world, customer, other_customer) -> None:
    a = world.services.requests.open(world.clerk, req(customer)).value.number
    b = world.services.requests.open(world.other_clerk, req(other_customer)).value.number
    assert a.startswith("1021-") and a.endswith("-000001")
    assert b.startswith("2040-") and b.endswith("-000001")


def test_open_fields_and_default_sla(world, customer) -> None:
    row = world.services.requests.open(world.clerk, req(customer, description=" شرح ")).value
    assert row.status == "new"
    assert row.opened_at == OPENED
    # 8 working hours: 4.5 h today (10:00–14:30) and 3.5 h tomorrow from 07:30 → 11:00 Tehran
    assert row.due_at == TUESDAY_11_TEHRAN
    assert row.assignee_id is None
    assert row.customer_name == "علی کریمی"
    detail = world.services.requests.detail(world.clerk, row.id)
    assert detail.description == "شرح"
    assert detail.opened_by_name == "مریم کارمند"


DEFAULT_DUE = [
    ("urgent", tehran(23, 14)),  # 4 h: Monday 10:00 → 14:00
    ("high", tehran(24, 11)),  # 8 h: 4.5 on Monday, 3.5 on Tuesday
    ("normal", tehran(28, 10)),  # 21 h: 4.5 + 7 (Tue) + 7 (Wed), Thu/Fri off, 2.5 on Saturday
    ("low", tehran(30, 10)),  # 35 h: 18.5 by Wednesday, 7 on Saturday, 7 on Sunday, 2.5 on Monday
]

def test_default_sla_by_priority(world, customer) -> None:
    for priority, due in DEFAULT_DUE:
        assert world.services.requests.open(world.clerk, req(customer, priority)).value.due_at == due, priority


def test_open_with_assignee(world, customer) -> None:
    row = world.services.requests.open(world.clerk, req(customer, assignee_id=world.clerk2.user_id)).value
    assert row.status == "assigned"
    assert row.assignee_id == world.clerk2.user_id and row.assignee_name == "حسن همکار"
    history = world.services.requests.detail(world.clerk, row.id).history
    assert [(h.from_status, h.to_status, h.transition) for h in history] == [
        (None, "new", "open"), ("new", "assigned", "assign")]


BAD_OPEN = [
    ({"category": "praise"}, "category"),
    ({"priority": "asap"}, "priority"),
    ({"subject": ""}, "subject"),
    ({"subject": None}, "subject"),
    ({"subject": "x" * 201}, "subject"),
    ({"description": 5}, "description"),
    ({"description": "x" * 4001}, "description"),
    ({"customer_id": ""}, "customer_id"),
    ({"assignee_id": 7}, "assignee_id"),
    ({"category": {"x": 1}}, "category"),  # unhashable values must not crash the set lookup
    ({"priority": ["high"]}, "priority"),
]


def test_open_invalid_writes_nothing(world, customer) -> None:
    before = counts(world.db)
    for change, field in BAD_OPEN:
        with pytest.raises(InvalidInput) as info:
            world.services.requests.open(world.clerk, req(customer, **change) if "customer_id" not in change
                                         else RequestInput(change["customer_id"], "complaint", "high", "موضوع"))
        assert field in info.value.errors and PERSIAN.search(info.value.errors[field]), change
        assert counts(world.db) == before, change
    with pytest.raises(InvalidInput):
        world.services.requests.open(world.clerk, "not a request")  # type: ignore[arg-type]


def test_open_refusals(world, customer, other_customer) -> None:
    before = counts(world.db)
    with pytest.raises(PermissionDenied):
        world.services.requests.open(world.auditor, req(customer))
    with pytest.raises(PermissionDenied):
        world.services.requests.open(world.clerk, req(other_customer))
    with pytest.raises(NotFound):
        world.services.requests.open(world.clerk, req("nobody"))
    assert counts(world.db) == before


def test_open_with_bad_assignee_writes_nothing(world, customer) -> None:
    before = counts(world.db)
    for assignee in (world.other_clerk.user_id, world.auditor.user_id, "nobody"):
        with pytest.raises(InvalidInput) as info:
            world.services.requests.open(world.clerk, req(customer, assignee_id=assignee))
        assert "assignee_id" in info.value.errors
        assert counts(world.db) == before
    # the number was not used up either
    assert world.services.requests.open(world.clerk, req(customer)).value.number.endswith("-000001")


# -- the life cycle ------------------------------------------------------------------------------


def test_full_life_cycle(world, opened) -> None:
    rid = opened.id
    assert opened.due_at == TUESDAY_11_TEHRAN
    row = move(world, world.manager, rid, "assign", assignee_id=world.clerk.user_id, note="به مریم")
    assert (row.status, row.assignee_id) == ("assigned", world.clerk.user_id)
    world.clock.advance(minutes=30)
    row = move(world, world.clerk, rid, "start")
    assert row.status == "in_progress"
    assert world.services.requests.detail(world.clerk, rid).first_response_at == OPENED + timedelta(minutes=30)
    row = move(world, world.clerk, rid, "wait_customer", note="منتظر مدارک")
    assert row.status == "waiting_customer"
    assert row.due_at == TUESDAY_11_TEHRAN  # unchanged until the wait ends
    world.clock.advance(hours=3)
    row = move(world, world.clerk, rid, "resume")
    assert row.status == "in_progress"
    # the 3 working hours of waiting (10:30–13:30 Tehran) are off the clock
    assert row.due_at == TUESDAY_11_TEHRAN + timedelta(hours=3)
    with pytest.raises(InvalidInput) as info:
        move(world, world.clerk, rid, "resolve")
    assert "resolution" in info.value.errors
    with pytest.raises(InvalidInput):
        move(world, world.clerk, rid, "resolve", resolution="   ")
    world.clock.advance(minutes=10)
    row = move(world, world.clerk, rid, "resolve", resolution="کارت باز شد")
    assert row.status == "resolved" and row.resolved_at == world.clock()
    for bad in (0, 6, -1, True, "5", 4.5):
        before = counts(world.db)
        with pytest.raises(InvalidInput) as info:
            move(world, world.clerk, rid, "close", satisfaction=bad)
        assert "satisfaction" in info.value.errors
        assert counts(world.db) == before
    row = move(world, world.clerk, rid, "close", satisfaction=5)
    assert (row.status, row.satisfaction, row.closed_at) == ("closed", 5, world.clock())

    detail = world.services.requests.detail(world.clerk, rid)
    assert detail.resolution == "کارت باز شد"
    steps = [(h.from_status, h.to_status, h.transition, h.user_name) for h in detail.history]
    assert steps == [
        (None, "new", "open", "مریم کارمند"),
        ("new", "assigned", "assign", "رضا رئیسی"),
        ("assigned", "in_progress", "start", "مریم کارمند"),
        ("in_progress", "waiting_customer", "wait_customer", "مریم کارمند"),
        ("waiting_customer", "in_progress", "resume", "مریم کارمند"),
        ("in_progress", "resolved", "resolve", "مریم کارمند"),
        ("resolved", "closed", "close", "مریم کارمند"),
    ]
    times = [h.changed_at for h in detail.history]
    assert times == [OPENED, OPENED, OPENED + timedelta(minutes=30), OPENED + timedelta(minutes=30),
                     OPENED + timedelta(hours=3, minutes=30), OPENED + timedelta(hours=3, minutes=40),
                     OPENED + timedelta(hours=3, minutes=40)]
    assert [h.note for h in detail.history][1] == "به مریم"
    assert detail.history[3].note == "منتظر مدارک"
    assert detail.allowed_transitions == []


def test_close_without_satisfaction(world, opened) -> None:
    rid = opened.id
    move(world, world.clerk, rid, "assign", assignee_id=world.clerk.user_id)
    move(world, world.clerk, rid, "start")
    move(world, world.clerk, rid, "resolve", resolution="انجام شد")
    assert move(world, world.clerk, rid, "close").satisfaction is None


def test_wait_across_days_counts_only_working_time(world, opened) -> None:
    rid = opened.id
    move(world, world.clerk, rid, "assign", assignee_id=world.clerk.user_id)
    move(world, world.clerk, rid, "start")
    move(world, world.clerk, rid, "wait_customer")
    world.clock.current = tehran(24, 9)  # next day 09:00 Tehran: 4.5 h + 1.5 h of working time passed
    row = move(world, world.clerk, rid, "resume")
    # 8 h target, none used before waiting: due 8 working hours after Tuesday 09:00 → Wednesday 10:00
    assert row.due_at == tehran(25, 10)


def test_disallowed_transition_from_new_writes_nothing(world, opened) -> None:
    before = counts(world.db), snapshot(world.db, opened.id)
    for step in ["start", "wait_customer", "resume", "resolve", "close", "reopen"]:
        with pytest.raises(InvalidTransition) as info:
            move(world, world.clerk, opened.id, step, resolution="x", satisfaction=3)
        assert PERSIAN.search(info.value.message)
        assert info.value.current == "new" and info.value.transition == step
        assert (counts(world.db), snapshot(world.db, opened.id)) == before, step


def test_disallowed_transitions_later(world, opened) -> None:
    rid = opened.id
    move(world, world.clerk, rid, "assign", assignee_id=world.clerk.user_id)
    move(world, world.clerk, rid, "start")
    for step in ("start", "resume", "close", "cancel", "reopen"):
        before = counts(world.db)
        with pytest.raises(InvalidTransition):
            move(world, world.clerk, rid, step)
        assert counts(world.db) == before
    move(world, world.clerk, rid, "resolve", resolution="تمام")
    move(world, world.clerk, rid, "close")
    for step in ("assign", "start", "resolve", "close", "cancel", "reopen"):
        with pytest.raises(InvalidTransition):
            move(world, world.clerk, rid, step, assignee_id=world.clerk.user_id, resolution="x")


def test_unknown_transition_name(world, opened) -> None:
    with pytest.raises(InvalidInput):
        move(world, world.clerk, opened.id, "teleport")


def test_cancel_by_opener(world, opened) -> None:
    assert move(world, world.clerk, opened.id, "cancel", note="مشتری منصرف شد").status == "cancelled"
    with pytest.raises(InvalidTransition):
        move(world, world.clerk, opened.id, "reopen")


def test_cancel_by_other_clerk_refused_manager_ok(world, opened) -> None:
    before = counts(world.db)
    with pytest.raises(PermissionDenied):
        move(world, world.clerk2, opened.id, "cancel")
    assert counts(world.db) == before
    assert move(world, world.manager, opened.id, "cancel").status == "cancelled"


def test_cancel_after_work_started_refused(world, opened) -> None:
    move(world, world.clerk, opened.id, "assign", assignee_id=world.clerk.user_id)
    move(world, world.clerk, opened.id, "start")
    with pytest.raises(InvalidTransition):
        move(world, world.manager, opened.id, "cancel")


def test_clerk_cannot_work_a_colleagues_request(world, opened) -> None:
    move(world, world.clerk, opened.id, "assign", assignee_id=world.clerk.user_id)
    with pytest.raises(PermissionDenied):
        move(world, world.clerk2, opened.id, "start")
    # but a manager can, and a clerk may take it over by reassigning
    assert move(world, world.manager, opened.id, "start").status == "in_progress"
    assert move(world, world.clerk2, opened.id, "assign", assignee_id=world.clerk2.user_id).status == "in_progress"
    assert move(world, world.clerk2, opened.id, "resolve", resolution="حل شد").status == "resolved"


def test_reopen_resolved(world, opened) -> None:
    rid = opened.id
    move(world, world.clerk, rid, "assign", assignee_id=world.clerk.user_id)
    move(world, world.clerk, rid, "start")
    move(world, world.clerk, rid, "resolve", resolution="حل شد")
    world.clock.advance(hours=1)
    row = move(world, world.manager, rid, "reopen", note="مشتری راضی نبود")
    assert row.status == "in_progress" and row.resolved_at is None
    assert row.due_at == TUESDAY_11_TEHRAN  # no waiting: the target is unchanged
    assert world.services.requests.detail(world.clerk, rid).history[-1].transition == "reopen"


def test_stale_version_conflict(world, opened) -> None:
    move(world, world.clerk, opened.id, "assign", assignee_id=world.clerk.user_id)
    before = counts(world.db)
    with pytest.raises(Conflict):
        world.services.requests.transition(world.clerk, opened.id, "start", expected_version=opened.version)
    assert counts(world.db) == before


def test_assign_to_other_branch_or_auditor_refused(world, opened) -> None:
    for user in (world.other_clerk, world.auditor):
        before = counts(world.db), snapshot(world.db, opened.id)
        with pytest.raises(InvalidInput) as info:
            move(world, world.manager, opened.id, "assign", assignee_id=user.user_id)
        assert "assignee_id" in info.value.errors and PERSIAN.search(info.value.errors["assignee_id"])
        assert (counts(world.db), snapshot(world.db, opened.id)) == before
    with pytest.raises(InvalidInput):
        move(world, world.manager, opened.id, "assign")


def test_assign_to_inactive_user_refused(world, opened) -> None:
    world.services.users.set_active(world.admin, "clerk2", False)
    with pytest.raises(InvalidInput):
        move(world, world.manager, opened.id, "assign", assignee_id=world.clerk2.user_id)


def test_other_branch_and_auditor_cannot_transition(world, opened) -> None:
    with pytest.raises(PermissionDenied):
        move(world, world.other_clerk, opened.id, "assign", assignee_id=world.other_clerk.user_id)
    with pytest.raises(PermissionDenied):
        move(world, world.auditor, opened.id, "cancel")
    with pytest.raises(PermissionDenied):
        world.services.requests.detail(world.other_clerk, opened.id)


def test_allowed_transitions_follow_state_and_role(world, opened) -> None:
    rid = opened.id

    def allowed(actor) -> list[str]:
        return world.services.requests.detail(actor, rid).allowed_transitions

    assert allowed(world.clerk) == ["assign", "cancel"]
    assert allowed(world.clerk2) == ["assign"]  # not the opener: may not cancel
    assert allowed(world.manager) == ["assign", "cancel"]
    assert allowed(world.auditor) == []
    move(world, world.clerk, rid, "assign", assignee_id=world.clerk.user_id)
    assert allowed(world.clerk) == ["assign", "start", "cancel"]
    assert allowed(world.clerk2) == ["assign"]
    assert allowed(world.manager) == ["assign", "start", "cancel"]
    move(world, world.clerk, rid, "start")
    assert allowed(world.clerk) == ["assign", "wait_customer", "resolve"]
    move(world, world.clerk, rid, "wait_customer")
    assert allowed(world.clerk) == ["resume", "resolve"]
    move(world, world.clerk, rid, "resume")
    move(world, world.clerk, rid, "resolve", resolution="حل شد")
    assert allowed(world.clerk) == ["close", "reopen"]
    move(world, world.clerk, rid, "close", satisfaction=3)
    assert allowed(world.clerk) == [] and allowed(world.manager) == []


# -- queues ---------------------------------------------------------------------------------------


def ids(page) -> list[str]:
    return [r.id for r in page.rows]


@pytest.fixture
def several(world, customer, other_customer) -> dict[str, str]:
    svc = world.services.requests
    made = {
        "urgent_mine": svc.open(world.clerk, req(customer, "urgent", assignee_id=world.clerk.user_id)).value.id,
        "high_mine": svc.open(world.clerk, req(customer, "high", assignee_id=world.clerk.user_id)).value.id,
        "high_theirs": svc.open(world.clerk, req(customer, "high", assignee_id=world.clerk2.user_id)).value.id,
        "low_new": svc.open(world.clerk, req(customer, "low")).value.id,
        "urgent_waiting": svc.open(world.clerk, req(customer, "urgent", assignee_id=world.clerk.user_id)).value.id,
        "cancelled": svc.open(world.clerk, req(customer, "urgent")).value.id,
        "elsewhere": svc.open(world.other_clerk, req(other_customer, "urgent")).value.id,
    }
    move(world, world.clerk, made["urgent_waiting"], "start")
    move(world, world.clerk, made["urgent_waiting"], "wait_customer")
    move(world, world.clerk, made["cancelled"], "cancel")
    return made


def test_queue_mine(world, several) -> None:
    page = world.services.requests.queue(world.clerk, "mine")
    assert set(ids(page)) == {several["urgent_mine"], several["high_mine"], several["urgent_waiting"]}
    assert ids(world.services.requests.queue(world.clerk2, "mine")) == [several["high_theirs"]]


def test_queue_branch_open_sorted_by_due(world, several) -> None:
    page = world.services.requests.queue(world.clerk, "branch_open")
    assert set(ids(page)) == {several[k] for k in ("urgent_mine", "high_mine", "high_theirs", "low_new",
                                                   "urgent_waiting")}
    dues = [(r.due_at, r.id) for r in page.rows]
    assert dues == sorted(dues)
    assert ids(page)[-1] == several["low_new"]
    assert ids(world.services.requests.queue(world.other_clerk, "branch_open")) == [several["elsewhere"]]
    assert len(world.services.requests.queue(world.admin, "branch_open").rows) == 6


def test_queue_due_today_and_overdue(world, several) -> None:
    svc = world.services.requests
    today = {several[k] for k in ("urgent_mine", "urgent_waiting")}  # due 14:00 Tehran today
    assert set(ids(svc.queue(world.clerk, "due_today"))) == today
    assert svc.queue(world.clerk, "overdue").rows == []
    world.clock.advance(hours=4, minutes=1)  # 14:01 Tehran
    # a request waiting for the customer is not overdue
    assert ids(svc.queue(world.clerk, "overdue")) == [several["urgent_mine"]]
    assert set(ids(svc.queue(world.admin, "overdue"))) == {several["urgent_mine"], several["elsewhere"]}
    world.clock.current = tehran(24, 11, 1)  # next day 11:01: the high ones are late too
    assert set(ids(svc.queue(world.clerk, "overdue"))) == {several[k] for k in ("urgent_mine", "high_mine",
                                                                                 "high_theirs")}
    # today's due list holds the high ones, no longer yesterday's urgent ones
    assert set(ids(svc.queue(world.clerk, "due_today"))) == {several["high_mine"], several["high_theirs"]}


def test_queue_keyset_paging(world, customer) -> None:
    made = {world.services.requests.open(world.clerk, req(customer, p)).value.id
            for p in ("urgent", "high", "normal", "low", "urgent", "high", "urgent")}
    rows, after = [], None
    for _ in range(10):
        page = world.services.requests.queue(world.clerk, "branch_open", after=after, limit=2)
        rows.extend(page.rows)
        if page.next_key is None:
            break
        after = page.next_key
    assert len(rows) == len({r.id for r in rows}) == 7
    assert {r.id for r in rows} == made
    keys = [(r.due_at, r.id) for r in rows]
    assert keys == sorted(keys)


def test_queue_bad_name(world) -> None:
    with pytest.raises(InvalidInput):
        world.services.requests.queue(world.clerk, "someday")


def test_due_soon(world, several) -> None:
    world.clock.advance(hours=2, minutes=30)  # 12:30 Tehran, urgent due at 14:00
    assert [r.id for r in world.services.requests.due_soon(world.clerk)] == [several["urgent_mine"]]


# -- calendar and SLA policy ----------------------------------------------------------------------


def test_set_policy_permissions_and_effect(world, customer) -> None:
    with pytest.raises(PermissionDenied):
        world.services.calendar.set_policy(world.clerk, "complaint", "high", 2)
    with pytest.raises(PermissionDenied):
        world.services.calendar.set_policy(world.auditor, "complaint", "high", 2)
    policy = world.services.calendar.set_policy(world.manager, "complaint", "high", 2, 1).value
    assert policy.target == timedelta(hours=2) and policy.first_response == timedelta(hours=1)
    assert world.services.requests.open(world.clerk, req(customer)).value.due_at == tehran(23, 12)
    # another category keeps the default
    assert world.services.requests.open(world.clerk, req(customer, category="inquiry")).value.due_at == (
        TUESDAY_11_TEHRAN)
    # changing it again updates the same row
    world.services.calendar.set_policy(world.manager, "complaint", "high", 3)
    assert world.services.requests.open(world.clerk, req(customer)).value.due_at == tehran(23, 13)
    with world.db.read() as s:
        assert s.execute(text("SELECT count(*) FROM sla_policy")).scalar() == 1


BAD_POLICIES = [
    (("praise", "high", 2), "category"),
    (("complaint", "asap", 2), "priority"),
    (("complaint", "high", 0), "target_hours"),
    (("complaint", "high", -3), "target_hours"),
    (("complaint", "high", "2"), "target_hours"),
    (("complaint", "high", 2, 0), "first_response_hours"),
    (({"x": 1}, "high", 2), "category"),
    (("complaint", ["high"], 2), "priority"),
]


def test_set_policy_invalid(world) -> None:
    for args, field in BAD_POLICIES:
        with pytest.raises(InvalidInput) as info:
            world.services.calendar.set_policy(world.manager, *args)
        assert field in info.value.errors, args
    with world.db.read() as s:
        assert s.execute(text("SELECT count(*) FROM sla_policy")).scalar() == 0


def test_holiday_moves_due_time(world, customer) -> None:
    with pytest.raises(PermissionDenied):
        world.services.calendar.add_holiday(world.manager, date(2026, 11, 24), "تعطیل")
    world.services.calendar.add_holiday(world.admin, "۱۴۰۵/۰۹/۰۳", "تعطیل رسمی")  # Tuesday 2026-11-24
    assert world.services.calendar.holidays() == [(date(2026, 11, 24), "تعطیل رسمی")]
    row = world.services.requests.open(world.clerk, req(customer)).value
    assert row.due_at == tehran(25, 11)  # Wednesday instead of Tuesday


def test_holiday_counts_for_waiting_requests_too(world, opened) -> None:
    rid = opened.id
    move(world, world.clerk, rid, "assign", assignee_id=world.clerk.user_id)
    move(world, world.clerk, rid, "start")
    world.services.calendar.add_holiday(world.admin, date(2026, 11, 24), "تعطیل")
    move(world, world.clerk, rid, "wait_customer")
    move(world, world.clerk, rid, "resume")
    assert move(world, world.clerk, rid, "resolve", resolution="ok").status == "resolved"
    row = move(world, world.clerk, rid, "reopen")
    assert row.due_at == tehran(25, 11)  # recomputed with the holiday
