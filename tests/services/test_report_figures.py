"""Report figures against an independent count: plain Python over every row of the database.

A seeded history of three Jalali months (شهریور, مهر, آبان ۱۴۰۵) is built through the services with the
clock moved along; then each figure of the branch summary, the clerk report, the request list and the customer
mix is recomputed here from the raw rows, with period bounds from jdatetime (not the report's own code).
"""

from __future__ import annotations

import random
import sqlite3
import statistics
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jdatetime
import pytest
from sqlalchemy import text

from crm_desktop.db import WriteContext
from crm_desktop.persian import make_national_id
from crm_desktop.reports.period import Period, jalali_month
from crm_desktop.services.interactions import InteractionInput
from crm_desktop.services.records import CustomerInput
from crm_desktop.services.reporting.activity import ActivityReader, Scope, clerk_activity
from crm_desktop.services.reporting.customer_mix import customer_mix
from crm_desktop.services.reporting.request_list import category_priority_counts, opened_lines, overdue_lines
from crm_desktop.services.service_requests import RequestInput

TEHRAN = timedelta(hours=3, minutes=30)
OPEN = {"new", "assigned", "in_progress", "waiting_customer"}


def bounds(year: int, month: int) -> tuple[datetime, datetime]:
    """UTC instants of Tehran midnight starting the Jalali month and the next one (independently of the app)."""
    first = jdatetime.date(year, month, 1).togregorian()
    nxt = jdatetime.date(year + (month == 12), month % 12 + 1, 1).togregorian()
    start = datetime(first.year, first.month, first.day, tzinfo=UTC) - TEHRAN
    end = datetime(nxt.year, nxt.month, nxt.day, tzinfo=UTC) - TEHRAN
    return start, end


def parse(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


@dataclass
class Rows:
    customers: list[dict]
    interactions: list[dict]
    requests: list[dict]
    changes: list[dict]
    users: dict[str, str]


def all_rows(db_path) -> Rows:
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row

    def table(sql: str) -> list[dict]:
        return [dict(r) for r in conn.execute(sql)]

    rows = Rows(table("SELECT * FROM customer"), table("SELECT * FROM interaction"),
                table("SELECT * FROM service_request"), table("SELECT * FROM request_status_change"),
                {r["id"]: r["full_name"] for r in table("SELECT * FROM app_user")})
    conn.close()
    return rows


@pytest.fixture
def history(world, db_path):
    """Customers, interactions and requests over three months, in two branches, some later deleted."""
    rng = random.Random(1405)
    s, clock = world.services, world.clock
    final_now = clock.current
    clock.current = bounds(1405, 6)[0] + timedelta(days=2)
    clerks = [world.clerk, world.clerk2]
    mine, theirs = [], []
    for i in range(14):
        clock.current += timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 10))
        actor = world.other_clerk if i % 5 == 4 else rng.choice(clerks)
        nid = make_national_id(f"{100000000 + i * 7919:09d}")
        customer = s.customers.create(actor, CustomerInput(
            first_name=rng.choice(["علی", "زهرا", "رضا", "مریم"]), last_name=rng.choice(["کریمی", "احمدی", "نوری"]),
            national_id=nid, mobile=f"0912{i:07d}", segment=rng.choice(["mass", "affluent", "private", "sme"]),
            lifecycle_stage=rng.choice(["acquisition", "enhancement", "retention"]))).value
        (theirs if actor is world.other_clerk else mine).append(customer.id)
    requests = []
    for step in range(60):
        clock.current += timedelta(hours=rng.randint(5, 30))
        if clock.current >= final_now - timedelta(days=1):
            break
        for customer_id, actor in ((rng.choice(mine), rng.choice(clerks)), (rng.choice(theirs), world.other_clerk)):
            s.interactions.log(actor, InteractionInput(
                customer_id=customer_id, channel=rng.choice(["branch", "phone", "sms", "web"]), direction="inbound",
                subject="پیگیری", occurred_at=clock.current - timedelta(minutes=rng.randint(0, 300))))
        if step % 2 == 0:
            actor = rng.choice(clerks)
            request = s.requests.open(actor, RequestInput(
                customer_id=rng.choice(mine), category=rng.choice(["complaint", "inquiry", "request"]),
                priority=rng.choice(["normal", "high", "urgent"]), subject="درخواست آزمایشی",
                assignee_id=rng.choice(clerks).user_id)).value
            requests.append((request.id, request.assignee_id))
        for request_id, assignee in list(requests):
            if rng.random() < 0.25:
                owner = world.clerk if assignee == world.clerk.user_id else world.clerk2
                status = s.requests.detail(owner, request_id).row.status
                step_name = {"assigned": "start", "in_progress": "resolve", "resolved": "close"}.get(status)
                if status == "new" or (rng.random() < 0.1 and status == "assigned"):
                    step_name = "cancel"
                if step_name:
                    s.requests.transition(owner if step_name != "cancel" else world.manager, request_id, step_name,
                                          resolution="انجام شد" if step_name == "resolve" else None,
                                          satisfaction=rng.randint(1, 5) if step_name == "close" else None)
    clock.current = final_now
    # Tombstones, as a sync or a manager leaves them: none of these may count.
    late = (bounds(1405, 8)[0] + timedelta(days=3)).isoformat().replace("+00:00", "Z")
    with world.db.write(WriteContext(user_id=world.admin.user_id, source="test")) as session:
        session.execute(text("UPDATE interaction SET deleted_at = :t, version = version + 1"
                             " WHERE rowid IN (SELECT rowid FROM interaction LIMIT 3)"), {"t": late})
        session.execute(text("UPDATE service_request SET deleted_at = :t, version = version + 1"
                             " WHERE rowid = (SELECT min(rowid) FROM service_request)"), {"t": late})
    clock.current = bounds(1405, 8)[0] + timedelta(days=10)
    s.customers.delete(world.manager, mine[0], "پرونده تکراری")
    clock.current = final_now
    return world


def test_period_bounds_match_jdatetime() -> None:
    for year, month in ((1405, 8), (1403, 12), (1404, 1)):
        start, end = bounds(year, month)
        period = jalali_month(year, month)
        assert period.start == start and period.end == end
    assert jalali_month(1403, 12).days == 30  # 1403 is a leap year: اسفند has 30 days
    assert jalali_month(1404, 12).days == 29


def test_previous_period_of_a_month_is_the_month_before_even_across_the_new_year() -> None:
    assert jalali_month(1405, 1).previous() == jalali_month(1404, 12)
    assert jalali_month(1405, 8).previous() == jalali_month(1405, 7)
    spanning = Period(jalali_month(1404, 12).first, jalali_month(1405, 1).last)
    assert spanning.previous() == Period(jalali_month(1404, 10).first, jalali_month(1404, 11).last)


def expected_activity(rows: Rows, branch: str | None, start: datetime, end: datetime,
                      prev: tuple[datetime, datetime]) -> dict:
    def scoped(r: dict) -> bool:
        return branch is None or r["branch_id"] == branch

    dead = {c["id"] for c in rows.customers if c["deleted_at"] or c["merged_into"]}
    inter = [i for i in rows.interactions if scoped(i) and not i["deleted_at"]]
    reqs = [r for r in rows.requests if scoped(r) and not r["deleted_at"]]

    def active(a: datetime, b: datetime) -> set[str]:
        ids = {i["customer_id"] for i in inter if a <= parse(i["occurred_at"]) < b}
        ids |= {r["customer_id"] for r in reqs if a <= parse(r["opened_at"]) < b}
        return ids - dead

    now_active, prev_active = active(start, end), active(*prev)
    resolved = [r for r in reqs if r["resolved_at"] and start <= parse(r["resolved_at"]) < end]
    closed = [r for r in reqs if r["closed_at"] and start <= parse(r["closed_at"]) < end]

    def cancelled_at(r: dict) -> datetime | None:
        times = [parse(c["changed_at"]) for c in rows.changes if c["request_id"] == r["id"]
                 and c["to_status"] == "cancelled"]
        return max(times) if times else None

    still_open = [r for r in reqs if parse(r["opened_at"]) < end and (
        r["status"] in OPEN or (r["resolved_at"] and parse(r["resolved_at"]) >= end)
        or (r["status"] == "cancelled" and cancelled_at(r) >= end))]
    hours = [(parse(r["resolved_at"]) - parse(r["opened_at"])).total_seconds() / 3600 for r in resolved]
    channels: dict[str, int] = {}
    for i in inter:
        if start <= parse(i["occurred_at"]) < end:
            channels[i["channel"]] = channels.get(i["channel"], 0) + 1
    return {
        "new_customers": sum(1 for c in rows.customers if scoped(c) and c["id"] not in dead
                             and start <= parse(c["created_at"]) < end),
        "active_customers": len(now_active),
        "retained": len(now_active & prev_active),
        "previous_active": len(prev_active),
        "interactions": sum(channels.values()),
        "interactions_by_channel": channels,
        "requests_opened": sum(1 for r in reqs if start <= parse(r["opened_at"]) < end),
        "requests_resolved": len(resolved),
        "resolved_in_time": sum(1 for r in resolved if parse(r["resolved_at"]) <= parse(r["due_at"])),
        "requests_closed": len(closed),
        "satisfaction": sorted(r["satisfaction"] for r in closed if r["satisfaction"] is not None),
        "still_open": len(still_open),
        "median_hours": statistics.median(hours) if hours else None,
    }


@pytest.mark.parametrize("month", [(1405, 7), (1405, 8), (1405, 5)])
@pytest.mark.parametrize("who", ["manager", "admin"])
def test_branch_summary_figures_match_an_independent_count(history, db_path, month, who) -> None:
    world = history
    branch = world.branch_id if who == "manager" else None
    period = jalali_month(*month)
    rows = all_rows(db_path)
    want = expected_activity(rows, branch, *bounds(*month), bounds(*_previous(month)))
    with world.db.read_raw() as conn:
        got = ActivityReader(conn, Scope(branch)).activity(period)
    assert got.new_customers == want["new_customers"]
    assert got.active_customers == want["active_customers"]
    assert got.retained == want["retained"] and got.previous_active == want["previous_active"]
    assert got.interactions == want["interactions"]
    assert got.interactions_by_channel == want["interactions_by_channel"]
    assert got.requests_opened == want["requests_opened"]
    assert got.requests_resolved == want["requests_resolved"]
    assert got.resolved_in_time == want["resolved_in_time"]
    assert got.requests_closed == want["requests_closed"]
    assert sorted(got.satisfaction_scores) == want["satisfaction"]
    assert got.still_open == want["still_open"]
    if want["median_hours"] is None:
        assert got.median_resolution_hours is None
    else:
        assert got.median_resolution_hours == pytest.approx(want["median_hours"], abs=1e-3)
    if month == (1405, 8):
        assert want["interactions"] > 10 and want["requests_resolved"] > 0  # the history really fills the month


def _previous(month: tuple[int, int]) -> tuple[int, int]:
    year, m = month
    return (year - 1, 12) if m == 1 else (year, m - 1)


def test_an_empty_period_gives_zeros_and_no_averages(history) -> None:
    with history.db.read_raw() as conn:
        got = ActivityReader(conn, Scope(history.branch_id)).activity(jalali_month(1403, 12))
    assert (got.new_customers, got.active_customers, got.interactions, got.requests_opened) == (0, 0, 0, 0)
    assert got.in_time_share is None and got.mean_satisfaction is None and got.retention is None
    assert got.median_resolution_hours is None


def test_clerk_activity_matches_an_independent_count(history, db_path) -> None:
    world = history
    period = jalali_month(1405, 8)
    start, end = bounds(1405, 8)
    rows = all_rows(db_path)
    with world.db.read_raw() as conn:
        got = {c.user_id: c for c in clerk_activity(conn, Scope(world.branch_id), period)}
    for clerk in (world.clerk, world.clerk2):
        logged = sum(1 for i in rows.interactions if i["user_id"] == clerk.user_id and not i["deleted_at"]
                     and i["branch_id"] == world.branch_id and start <= parse(i["occurred_at"]) < end)
        resolved = [r for r in rows.requests if r["assignee_id"] == clerk.user_id and not r["deleted_at"]
                    and r["resolved_at"] and start <= parse(r["resolved_at"]) < end]
        closed = [r for r in rows.requests if r["assignee_id"] == clerk.user_id and not r["deleted_at"]
                  and r["closed_at"] and start <= parse(r["closed_at"]) < end]
        mine = got[clerk.user_id]
        assert mine.name == rows.users[clerk.user_id]
        assert mine.interactions == logged
        assert mine.requests_resolved == len(resolved)
        assert mine.resolved_in_time == sum(1 for r in resolved if r["resolved_at"] <= r["due_at"])
        assert mine.requests_closed == len(closed)
        assert sorted(mine.satisfaction_scores) == sorted(r["satisfaction"] for r in closed if r["satisfaction"])
    assert world.other_clerk.user_id not in got  # another branch's clerk did nothing here


def test_request_list_overdue_and_matrix_match_the_rows(history, db_path) -> None:
    world = history
    period = jalali_month(1405, 8)
    start, end = bounds(1405, 8)
    rows = all_rows(db_path)
    mine = [r for r in rows.requests if r["branch_id"] == world.branch_id and not r["deleted_at"]]
    moment = min(world.clock.current, end)
    with world.db.read_raw() as conn:
        lines = list(opened_lines(conn, Scope(world.branch_id), period, moment))
        overdue = overdue_lines(conn, Scope(world.branch_id), moment)
        matrix = category_priority_counts(conn, Scope(world.branch_id), period)
    opened = sorted((r for r in mine if start <= parse(r["opened_at"]) < end), key=lambda r: r["opened_at"])
    assert [line.number for line in lines] == [r["number"] for r in opened]
    for line, r in zip(lines, opened, strict=True):
        due, resolved = parse(r["due_at"]), parse(r["resolved_at"])
        assert line.opened_at == parse(r["opened_at"]) and line.due_at == due
        late = ((resolved or moment) - due).total_seconds() / 3600
        if resolved or r["status"] in {"new", "assigned", "in_progress"}:
            assert line.hours_late == (pytest.approx(late, abs=0.01) if late > 0 else None)
        else:
            assert line.hours_late is None
    want_overdue = {r["number"] for r in mine if parse(r["opened_at"]) < moment and parse(r["due_at"]) < moment
                    and (r["status"] in {"new", "assigned", "in_progress"}
                         or (r["resolved_at"] and parse(r["resolved_at"]) >= moment))}
    assert {line.number for line in overdue} == want_overdue
    want_matrix: dict[tuple[str, str], int] = {}
    for r in opened:
        want_matrix[(r["category"], r["priority"])] = want_matrix.get((r["category"], r["priority"]), 0) + 1
    assert dict(matrix) == want_matrix


def test_customer_mix_matches_the_rows(history, db_path) -> None:
    world = history
    rows = all_rows(db_path)
    start, end = bounds(1405, 8)
    live = [c for c in rows.customers if c["branch_id"] == world.branch_id and not c["deleted_at"]
            and not c["merged_into"]]
    with world.db.read_raw() as conn:
        mix = customer_mix(conn, Scope(world.branch_id), jalali_month(1405, 8))
    assert mix.customers == len(live)
    for c in live:
        assert mix.by_segment_stage[(c["segment"], c["lifecycle_stage"])] >= 1
    assert sum(mix.by_segment_stage.values()) == len(live)
    assert mix.new == sum(1 for c in live if start <= parse(c["created_at"]) < end)
    gone = [c for c in rows.customers if c["branch_id"] == world.branch_id and c["deleted_at"]
            and not c["merged_into"] and start <= parse(c["deleted_at"]) < end]
    assert mix.lost == len(gone)
    assert sum(mix.products_held.values()) == len(live) and mix.products_held[0] == len(live)  # none hold products
    open_per_customer: dict[str, int] = {}
    for r in rows.requests:
        if r["branch_id"] == world.branch_id and r["status"] in OPEN and not r["deleted_at"]:
            open_per_customer[r["customer_id"]] = open_per_customer.get(r["customer_id"], 0) + 1
    live_ids = {c["id"] for c in live}
    assert sorted(n for cid, n in open_per_customer.items() if cid in live_ids) == sorted(
        n for _cid, _name, _code, n in mix.most_open)
