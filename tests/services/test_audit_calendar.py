"""The audit views (journal, record history, access log) and the working calendar settings."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from crm_desktop.persian import make_national_id
from crm_desktop.services.errors import InvalidInput, NotFound, PermissionDenied
from crm_desktop.services.records import CustomerInput
from crm_desktop.services.sla import DEFAULT_TARGET_HOURS

# -- audit ------------------------------------------------------------------------------------------


def test_history_of_a_record(world, customer) -> None:
    svc = world.services
    svc.customers.edit(world.clerk2, customer, CustomerInput(first_name="علی", last_name="کریمی",
                                                             national_id=make_national_id("001234567"),
                                                             mobile="09121234567"))
    svc.customers.delete(world.manager, customer, "ثبت تکراری")
    history = svc.audit.history(world.auditor, "customer", customer)
    assert [(h.kind, h.user_name) for h in history] == [
        ("insert", "مریم کارمند"), ("update", "حسن همکار"), ("delete", "رضا رئیسی")]
    assert history[1].changed == {"mobile": [None, "09121234567"]}
    assert history[2].changed["deleted_reason"] == [None, "ثبت تکراری"]
    assert history[0].changed["first_name"] == [None, "علی"]
    assert all(h.device_id == world.db.device_id and h.source == "app" for h in history)
    assert [h.seq for h in history] == sorted(h.seq for h in history)
    assert svc.audit.history(world.manager, "customer", customer) == history


def test_audit_needs_permission(world, customer) -> None:
    for actor in (world.clerk, world.other_clerk):
        with pytest.raises(PermissionDenied):
            world.services.audit.history(actor, "customer", customer)
        with pytest.raises(PermissionDenied):
            world.services.audit.journal(actor)
        with pytest.raises(PermissionDenied):
            world.services.audit.access_log(actor)


def test_journal_pages(world, customer) -> None:
    rows, after = [], None
    while True:
        page = world.services.audit.journal(world.auditor, after=after, limit=4)
        rows.extend(page.rows)
        if page.next_key is None:
            break
        after = page.next_key
    seqs = [r.seq for r in rows]
    assert seqs == sorted(set(seqs))
    everything = world.services.audit.journal(world.auditor, limit=5000).rows
    assert rows == everything
    assert any(r.table == "customer" and r.record_id == customer for r in rows)
    with pytest.raises(InvalidInput):
        world.services.audit.journal(world.auditor, limit=0)


def test_access_log_newest_first(world, customer) -> None:
    world.services.customers.profile(world.clerk, customer)
    world.services.customers.profile(world.manager, customer)
    world.services.search.record_access(world.clerk, "export", detail={"rows": 3})
    rows = world.services.audit.access_log(world.auditor).rows
    assert [r.action for r in rows[:3]] == ["export", "view_customer", "view_customer"]
    assert rows[0].detail == {"rows": 3} and rows[0].user_name == "مریم کارمند"
    assert [r.user_name for r in rows[1:3]] == ["رضا رئیسی", "مریم کارمند"]
    mine = world.services.audit.access_log(world.auditor, target_id=customer).rows
    assert [r.action for r in mine] == ["view_customer", "view_customer"]
    page = world.services.audit.access_log(world.auditor, limit=1)
    second = world.services.audit.access_log(world.auditor, limit=1, after=page.next_key)
    assert second.rows[0].seq < page.rows[0].seq


# -- calendar ---------------------------------------------------------------------------------------


def test_default_calendar(world) -> None:
    cal = world.services.calendar.calendar()
    assert cal.workdays == frozenset({5, 6, 0, 1, 2})
    assert (cal.day_start, cal.day_end) == (time(7, 30), time(14, 30))
    assert cal.holidays == frozenset()


def test_set_working_week(world) -> None:
    with pytest.raises(PermissionDenied):
        world.services.calendar.set_working_week(world.manager, {5, 6, 0, 1, 2, 3}, time(8), time(16))
    cal = world.services.calendar.set_working_week(world.admin, {5, 6, 0, 1, 2, 3}, time(8), time(16)).value
    assert cal.workdays == frozenset({5, 6, 0, 1, 2, 3}) and cal.day_end == time(16)
    assert world.services.calendar.calendar() == cal
    assert world.services.calendar.calendar() == cal


@pytest.mark.parametrize(("workdays", "start", "end"), [
    ({9}, time(8), time(16)),
    (set(), time(8), time(16)),
    ({0}, time(16), time(8)),
    (None, time(8), time(16)),
    ({0, 1}, "08:00", "16:00"),
    ({0, 1}, None, time(16)),
], ids=["weekday-9", "no-days", "end-before-start", "days-none", "text-times", "start-none"])
def test_set_working_week_invalid(world, workdays, start, end) -> None:
    before = world.services.calendar.calendar()
    with pytest.raises(InvalidInput) as info:
        world.services.calendar.set_working_week(world.admin, workdays, start, end)
    assert info.value.errors
    assert world.services.calendar.calendar() == before


def test_working_week_changes_due_times(world, customer) -> None:
    from crm_desktop.services.service_requests import RequestInput

    world.services.calendar.set_working_week(world.admin, {5, 6, 0, 1, 2}, time(7, 30), time(18, 30))
    # 8 h from 10:00 Tehran now fits in the same day: 18:00 Tehran = 14:30 UTC
    row = world.services.requests.open(world.clerk, RequestInput(customer, "complaint", "high", "موضوع")).value
    assert row.due_at == world.clock() + timedelta(hours=8)


def test_holidays_add_list_remove(world) -> None:
    cal = world.services.calendar
    cal.add_holiday(world.admin, "1405/12/29", "ملی شدن صنعت نفت")
    cal.add_holiday(world.admin, date(2026, 12, 1), "تعطیل")
    assert cal.holidays() == [(date(2026, 12, 1), "تعطیل"), (date(2027, 3, 20), "ملی شدن صنعت نفت")]
    assert cal.holidays(date(2027, 1, 1)) == [(date(2027, 3, 20), "ملی شدن صنعت نفت")]
    with pytest.raises(InvalidInput) as info:
        cal.add_holiday(world.admin, date(2026, 12, 1), "دوباره")
    assert "day" in info.value.errors
    cal.remove_holiday(world.admin, date(2026, 12, 1))
    assert date(2026, 12, 1) not in world.services.calendar.calendar().holidays
    with pytest.raises(NotFound):
        cal.remove_holiday(world.admin, date(2026, 12, 1))
    cal.add_holiday(world.admin, date(2026, 12, 1), "بازگشت")  # a removed day can come back
    assert (date(2026, 12, 1), "بازگشت") in cal.holidays()
    with pytest.raises(PermissionDenied):
        cal.remove_holiday(world.manager, date(2026, 12, 1))


def test_add_holiday_invalid(world) -> None:
    for day, name, field in [
        ("1405/13/01", "تعطیل", "day"),
        ("", "تعطیل", "day"),
        (None, "تعطیل", "day"),
        (20261202, "تعطیل", "day"),
        (date(2026, 12, 2), "", "name"),
        (date(2026, 12, 2), None, "name"),
        (date(2026, 12, 2), 5, "name"),
    ]:
        with pytest.raises(InvalidInput) as info:
            world.services.calendar.add_holiday(world.admin, day, name)
        assert field in info.value.errors, (day, name)
    assert world.services.calendar.holidays() == []


def test_policies_listing(world) -> None:
    policies = world.services.calendar.policies()
    assert len(policies) == 16
    assert {p.target for p in policies if p.priority == "high"} == {timedelta(hours=DEFAULT_TARGET_HOURS["high"])}
    world.services.calendar.set_policy(world.manager, "inquiry", "low", 1.5)
    changed = [p for p in world.services.calendar.policies() if (p.category, p.priority) == ("inquiry", "low")]
    assert changed[0].target == timedelta(minutes=90)


def test_policy_hours_must_be_a_real_number(world) -> None:
    for hours in (True, False):
        with pytest.raises(InvalidInput):
            world.services.calendar.set_policy(world.manager, "complaint", "high", hours)


def test_holiday_name_needs_letters(world) -> None:
    for name in ("\u200c", " \u200c ", "۱۲۳"):
        with pytest.raises(InvalidInput):
            world.services.calendar.add_holiday(world.admin, date(2026, 12, 1), name)
    assert world.services.calendar.holidays() == []
