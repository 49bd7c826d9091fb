"""What happened in a branch during a period: the figures of the branch summary and the clerk activity report.

Plain SQL over one read snapshot. The definitions, which the tests recompute independently:

* deleted records count nowhere: a deleted interaction or request is left out, and so is a deleted or merged
  customer from the customer counts (the work done for a customer deleted later still counts as work);
* new customers: created in the period; active customers: with an interaction or an opened request in the period;
* retention: of the customers active in the previous period, the share active again in this one;
* resolved: ``resolved_at`` in the period (a reopened request has none); in time: resolved at or before ``due_at``;
  resolution time: hours from opening to resolution, wall clock;
* closed: ``closed_at`` in the period; satisfaction: the scores given at closing in the period;
* still open: opened before the period ended and not yet resolved or cancelled when it ended;
* lifecycle movement: changes of ``lifecycle_stage`` in the change journal during the period.
"""

from __future__ import annotations

import json
import sqlite3
import statistics
from collections import Counter
from dataclasses import dataclass
from operator import itemgetter

from crm_desktop.reports.period import Period
from crm_desktop.services.request_states import OPEN_STATUSES, RequestStatus

LIVE_CUSTOMER = "c.deleted_at IS NULL AND c.merged_into IS NULL"
OPEN_LIST = ",".join(f"'{s}'" for s in OPEN_STATUSES)


@dataclass(frozen=True)
class Scope:
    """One branch, or every branch (``None``)."""

    branch_id: str | None

    def where(self, alias: str) -> str:
        return f"{alias}.branch_id = ? AND " if self.branch_id else ""

    @property
    def params(self) -> tuple[str, ...]:
        return (self.branch_id,) if self.branch_id else ()

    @property
    def interactions(self) -> str:
        """The interaction table as ``x``, read through the branch-and-time index that carries the counted columns.

        Named, because for "per clerk" SQLite preferred the clerk index and read every row from the table (6 s).
        """
        return "interaction x INDEXED BY ix_interaction_branch_time" if self.branch_id else "interaction x"


@dataclass(frozen=True)
class Activity:
    new_customers: int
    active_customers: int
    retained: int  # active in the previous period and in this one
    previous_active: int  # active in the previous period
    interactions: int
    interactions_by_channel: dict[str, int]
    interactions_by_user: dict[str, int]
    requests_opened: int
    requests_resolved: int
    resolved_in_time: int
    resolution_hours: list[float]
    requests_closed: int
    satisfaction_scores: list[int]
    still_open: int
    lifecycle_moves: dict[tuple[str, str], int]

    @property
    def in_time_share(self) -> float | None:
        return self.resolved_in_time / self.requests_resolved if self.requests_resolved else None

    @property
    def retention(self) -> float | None:
        return self.retained / self.previous_active if self.previous_active else None

    @property
    def mean_resolution_hours(self) -> float | None:
        return statistics.fmean(self.resolution_hours) if self.resolution_hours else None

    @property
    def median_resolution_hours(self) -> float | None:
        return statistics.median(self.resolution_hours) if self.resolution_hours else None

    @property
    def mean_satisfaction(self) -> float | None:
        return statistics.fmean(self.satisfaction_scores) if self.satisfaction_scores else None


@dataclass(frozen=True)
class ClerkActivity:
    user_id: str
    name: str
    interactions: int
    requests_resolved: int
    resolved_in_time: int
    requests_closed: int
    satisfaction_scores: list[int]

    @property
    def in_time_share(self) -> float | None:
        return self.resolved_in_time / self.requests_resolved if self.requests_resolved else None

    @property
    def mean_satisfaction(self) -> float | None:
        return statistics.fmean(self.satisfaction_scores) if self.satisfaction_scores else None


@dataclass(frozen=True)
class InteractionScan:
    customers: set[str]  # everyone with an interaction in the period (dead or alive)
    by_channel_user: Counter[tuple[str, str]]

    def totals(self, part: int) -> Counter[str]:
        """Counts by channel (``part`` 0) or by user (1)."""
        counts: Counter[str] = Counter()
        for key, n in self.by_channel_user.items():
            counts[key[part]] += n
        return counts


class ActivityReader:
    """Reads the figures of one scope; remembers what it read of each period (retention needs two periods)."""

    FETCH = 20_000  # rows per fetch: the scan is counted as it streams

    def __init__(self, conn: sqlite3.Connection, scope: Scope) -> None:
        self.conn = conn
        self.scope = scope
        self._scans: dict[Period, InteractionScan] = {}
        self._active: dict[Period, set[str]] = {}
        self._gone: set[str] | None = None

    def gone(self) -> set[str]:
        """Deleted or merged customers: few, read once from their own partial index."""
        if self._gone is None:
            self._gone = {r[0] for r in self.conn.execute(
                "SELECT id FROM customer INDEXED BY ix_customer_gone"
                " WHERE deleted_at IS NOT NULL OR merged_into IS NOT NULL")}
        return self._gone

    def interactions(self, period: Period) -> InteractionScan:
        """One pass over the period's interactions (the index alone), counted here: a GROUP BY had to sort them."""
        if period not in self._scans:
            cursor = self._period_interactions(period, "x.customer_id, x.channel, x.user_id")
            customers: set[str] = set()
            pairs: Counter[tuple[str, str]] = Counter()
            while chunk := cursor.fetchmany(self.FETCH):
                customers.update(map(itemgetter(0), chunk))
                pairs.update(map(itemgetter(1, 2), chunk))
            self._scans[period] = InteractionScan(customers, pairs)
        return self._scans[period]

    def interaction_customers(self, period: Period) -> set[str]:
        """Who had an interaction in the period: from the full scan when it was made, else a lighter one.

        Retention of the previous period needs the period before it, but only its customers: reading one
        column instead of three saves about a third of that pass.
        """
        if period in self._scans:
            return self._scans[period].customers
        cursor = self._period_interactions(period, "x.customer_id")
        customers: set[str] = set()
        while chunk := cursor.fetchmany(self.FETCH):
            customers.update(map(itemgetter(0), chunk))
        return customers

    def _period_interactions(self, period: Period, columns: str) -> sqlite3.Cursor:
        """The scope's live interactions of the period, ``columns`` of each, read from the branch-and-time index."""
        start, end = period.bounds()
        w, p = self.scope.where("x"), self.scope.params
        return self.conn.execute(
            f"SELECT {columns} FROM {self.scope.interactions} WHERE {w}"
            "x.occurred_at >= ? AND x.occurred_at < ? AND x.deleted_at IS NULL", (*p, start, end))

    def active(self, period: Period) -> set[str]:
        """Live customers with an interaction or an opened request in the period."""
        if period not in self._active:
            start, end = period.bounds()
            w, p = self.scope.where("x"), self.scope.params
            ids = set(self.interaction_customers(period))
            ids.update(r[0] for r in self.conn.execute(
                f"SELECT x.customer_id FROM service_request x WHERE {w}x.opened_at >= ? AND x.opened_at < ?"
                " AND x.deleted_at IS NULL", (*p, start, end)))
            self._active[period] = ids - self.gone()
        return self._active[period]

    def activity(self, period: Period) -> Activity:
        conn, scope = self.conn, self.scope
        start, end = period.bounds()
        w, p = scope.where("x"), scope.params

        def one(sql: str, *params: object) -> int:
            return int(conn.execute(sql, params).fetchone()[0] or 0)

        scan = self.interactions(period)
        by_channel, by_user = scan.totals(0), scan.totals(1)
        resolved = conn.execute(
            "SELECT (julianday(x.resolved_at) - julianday(x.opened_at)) * 24, x.resolved_at <= x.due_at"
            f" FROM service_request x INDEXED BY ix_service_request_resolved WHERE {w}x.resolved_at >= ?"
            " AND x.resolved_at < ? AND x.resolved_at IS NOT NULL AND x.deleted_at IS NULL", (*p, start, end)
        ).fetchall()
        closed = [r[0] for r in conn.execute(
            f"SELECT x.satisfaction FROM service_request x INDEXED BY ix_service_request_closed WHERE {w}"
            "x.closed_at >= ? AND x.closed_at < ? AND x.closed_at IS NOT NULL AND x.deleted_at IS NULL",
            (*p, start, end))]
        active = self.active(period)
        previous = self.active(period.previous())
        return Activity(
            new_customers=one(f"SELECT count(*) FROM customer x INDEXED BY ix_customer_branch_created WHERE {w}"
                              "x.created_at >= ? AND x.created_at < ? AND x.deleted_at IS NULL"
                              " AND x.merged_into IS NULL", *p, start, end),
            active_customers=len(active),
            retained=len(active & previous),
            previous_active=len(previous),
            interactions=sum(by_channel.values()),
            interactions_by_channel=dict(by_channel),
            interactions_by_user=dict(by_user),
            requests_opened=one(f"SELECT count(*) FROM service_request x WHERE {w}x.opened_at >= ?"
                                " AND x.opened_at < ? AND x.deleted_at IS NULL", *p, start, end),
            requests_resolved=len(resolved),
            resolved_in_time=sum(1 for _hours, in_time in resolved if in_time),
            resolution_hours=[float(hours) for hours, _in_time in resolved],
            requests_closed=len(closed),
            satisfaction_scores=[int(score) for score in closed if score is not None],
            still_open=_still_open(conn, scope, end),
            lifecycle_moves=_lifecycle_moves(conn, scope, start, end),
        )


def _still_open(conn: sqlite3.Connection, scope: Scope, end: str) -> int:
    """Open now, or finished only after the period ended (resolved later, or cancelled later)."""
    w, p = scope.where("x"), scope.params
    requests = f"FROM service_request x WHERE {w}x.deleted_at IS NULL AND x.opened_at < ?"
    open_now = conn.execute(f"SELECT count(*) {requests} AND x.status IN ({OPEN_LIST})", (*p, end)).fetchone()[0]
    resolved_later = conn.execute(
        f"SELECT count(*) FROM service_request x INDEXED BY ix_service_request_resolved WHERE {w}"
        "x.resolved_at >= ? AND x.resolved_at IS NOT NULL AND x.deleted_at IS NULL AND x.opened_at < ?",
        (*p, end, end)).fetchone()[0]
    cancelled_later = conn.execute(
        f"SELECT count(*) {requests} AND x.status = '{RequestStatus.CANCELLED}'"
        " AND (SELECT max(s.changed_at) FROM request_status_change s WHERE s.request_id = x.id"
        f" AND s.to_status = '{RequestStatus.CANCELLED}') >= ?", (*p, end, end)).fetchone()[0]
    return int(open_now) + int(resolved_later) + int(cancelled_later)


def _lifecycle_moves(conn: sqlite3.Connection, scope: Scope, start: str, end: str) -> dict[tuple[str, str], int]:
    moves: Counter[tuple[str, str]] = Counter()
    rows = conn.execute(
        "SELECT j.changed FROM change_journal j JOIN customer c ON c.id = j.pk"
        f" WHERE j.tbl = 'customer' AND j.kind = 'update' AND j.created_at >= ? AND j.created_at < ?"
        f" AND {scope.where('c')}{LIVE_CUSTOMER} AND j.changed LIKE '%\"lifecycle_stage\"%'",
        (start, end, *scope.params))
    for (changed,) in rows:
        old, new = json.loads(changed)["lifecycle_stage"]
        if old and new and old != new:
            moves[(str(old), str(new))] += 1
    return dict(moves)


def user_names(conn: sqlite3.Connection, scope: Scope, also: set[str]) -> dict[str, str]:
    """Names of the scope's active users, and of anyone else in ``also`` (a clerk from another branch, or gone)."""
    w, p = scope.where("x"), scope.params
    names: dict[str, str] = dict(conn.execute(
        f"SELECT x.id, x.full_name FROM app_user x WHERE {w}x.deleted_at IS NULL AND x.active", p).fetchall())
    missing = also - set(names)
    if missing:
        names.update(conn.execute(
            f"SELECT id, full_name FROM app_user WHERE id IN ({','.join('?' * len(missing))})", tuple(missing)))
    return names


def clerk_activity(conn: sqlite3.Connection, scope: Scope, period: Period) -> list[ClerkActivity]:
    """Per active user of the scope (and anyone else who worked on its records): what they did in the period."""
    start, end = period.bounds()
    w, p = scope.where("x"), scope.params
    logged = ActivityReader(conn, scope).interactions(period).totals(1)
    resolved: dict[str, tuple[int, int]] = {
        user: (int(n), int(in_time)) for user, n, in_time in conn.execute(
            "SELECT x.assignee_id, count(*), sum(x.resolved_at <= x.due_at) FROM service_request x"
            f" INDEXED BY ix_service_request_resolved WHERE {w}x.resolved_at >= ? AND x.resolved_at < ?"
            " AND x.resolved_at IS NOT NULL AND x.deleted_at IS NULL AND x.assignee_id IS NOT NULL"
            " GROUP BY x.assignee_id", (*p, start, end))}
    scores: dict[str, list[int]] = {}
    closed: Counter[str] = Counter()
    for user, score in conn.execute(
            f"SELECT x.assignee_id, x.satisfaction FROM service_request x INDEXED BY ix_service_request_closed"
            f" WHERE {w}x.closed_at >= ? AND x.closed_at < ? AND x.closed_at IS NOT NULL AND x.deleted_at IS NULL"
            " AND x.assignee_id IS NOT NULL", (*p, start, end)):
        closed[user] += 1
        if score is not None:
            scores.setdefault(user, []).append(int(score))
    names = user_names(conn, scope, set(logged) | set(resolved) | set(closed))
    rows = [
        ClerkActivity(
            user_id=uid, name=names.get(uid, "—"), interactions=logged[uid],
            requests_resolved=resolved.get(uid, (0, 0))[0], resolved_in_time=resolved.get(uid, (0, 0))[1],
            requests_closed=closed[uid], satisfaction_scores=scores.get(uid, []),
        )
        for uid in names
    ]
    return sorted(rows, key=lambda r: (-r.interactions, -r.requests_resolved, r.name))
