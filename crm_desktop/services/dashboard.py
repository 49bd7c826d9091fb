"""The branch at a glance: the figures a manager opens the day with (read-only, one snapshot)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from crm_desktop.models.base import to_utc_text
from crm_desktop.persian import gregorian_to_jalali, jalali_month_range, tehran_tz
from crm_desktop.services.actor import Actor
from crm_desktop.services.base import ServiceBase
from crm_desktop.services.permissions import Action, require
from crm_desktop.services.request_states import OPEN_STATUSES, WORKING_STATUSES


@dataclass(frozen=True)
class DashboardFigures:
    """Counts for one branch (or every branch), this Jalali month where a period applies."""

    branch_id: str | None
    month_start: datetime  # UTC instant of the first day of the Jalali month, Tehran midnight
    customers: int
    by_segment: list[tuple[str, int]]
    by_stage: list[tuple[str, int]]
    open_requests: int
    overdue: int
    due_today: int
    opened_this_month: int
    closed_this_month: int
    closed_in_time_this_month: int
    average_satisfaction: float | None
    interactions_by_channel: list[tuple[str, int]]

    @property
    def in_time_share(self) -> float | None:
        """Share of this month's resolved-or-closed requests that met their deadline (None when none)."""
        if not self.closed_this_month:
            return None
        return self.closed_in_time_this_month / self.closed_this_month


class DashboardService(ServiceBase):
    def figures(self, actor: Actor, *, branch_id: str | None = None) -> DashboardFigures:
        """Managers see their branch; admins and auditors every branch, or the one they choose."""
        require(actor, Action.RUN_REPORTS)
        scope = (branch_id or None) if actor.sees_all_branches else actor.branch_id
        now = self.now()
        tehran = tehran_tz()
        today = now.astimezone(tehran).date()
        year, month, _day = gregorian_to_jalali(today)
        first, _last = jalali_month_range(year, month)
        month_start = datetime.combine(first, time(), tehran)
        day_start = datetime.combine(today, time(), tehran)
        bounds = {
            "now": to_utc_text(now), "month": to_utc_text(month_start),
            "day": to_utc_text(day_start), "tomorrow": to_utc_text(day_start + timedelta(days=1)),
        }
        with self.db.read_raw() as conn:
            return _figures(conn, scope, month_start, bounds)


def _figures(conn: sqlite3.Connection, scope: str | None, month_start: datetime,
             bounds: dict[str, str]) -> DashboardFigures:
    branch = "branch_id = ? AND " if scope else ""
    params: tuple[str, ...] = (scope,) if scope else ()
    open_list = ",".join(f"'{s}'" for s in OPEN_STATUSES)
    working = ",".join(f"'{s}'" for s in WORKING_STATUSES)

    def one(sql: str, *extra: str) -> int:
        return int(conn.execute(sql, params + extra).fetchone()[0] or 0)

    def groups(sql: str, *extra: str) -> list[tuple[str, int]]:
        return [(str(k), int(n)) for k, n in conn.execute(sql, params + extra)]

    live = f"{branch}deleted_at IS NULL"
    customers_live = f"{live} AND merged_into IS NULL"
    satisfaction = conn.execute(
        f"SELECT avg(satisfaction) FROM service_request WHERE {live} AND closed_at >= ? AND satisfaction IS NOT NULL",
        (*params, bounds["month"]),
    ).fetchone()[0]
    return DashboardFigures(
        branch_id=scope,
        month_start=month_start,
        customers=one(f"SELECT count(*) FROM customer WHERE {customers_live}"),
        by_segment=groups(f"SELECT segment, count(*) FROM customer WHERE {customers_live} GROUP BY segment "
                          "ORDER BY count(*) DESC"),
        by_stage=groups(f"SELECT lifecycle_stage, count(*) FROM customer WHERE {customers_live} "
                        "GROUP BY lifecycle_stage ORDER BY count(*) DESC"),
        open_requests=one(f"SELECT count(*) FROM service_request WHERE {live} AND status IN ({open_list})"),
        overdue=one(f"SELECT count(*) FROM service_request WHERE {live} AND status IN ({working}) AND due_at < ?",
                    bounds["now"]),
        due_today=one(f"SELECT count(*) FROM service_request WHERE {live} AND status IN ({open_list}) "
                      "AND due_at >= ? AND due_at < ?", bounds["day"], bounds["tomorrow"]),
        opened_this_month=one(f"SELECT count(*) FROM service_request WHERE {live} AND opened_at >= ?",
                              bounds["month"]),
        closed_this_month=one(f"SELECT count(*) FROM service_request WHERE {live} "
                              "AND coalesce(resolved_at, closed_at) >= ?", bounds["month"]),
        closed_in_time_this_month=one(f"SELECT count(*) FROM service_request WHERE {live} "
                                      "AND coalesce(resolved_at, closed_at) >= ? "
                                      "AND coalesce(resolved_at, closed_at) <= due_at", bounds["month"]),
        average_satisfaction=float(satisfaction) if satisfaction is not None else None,
        interactions_by_channel=groups(f"SELECT channel, count(*) FROM interaction WHERE {live} "
                                       "AND occurred_at >= ? GROUP BY channel ORDER BY count(*) DESC",
                                       bounds["month"]),
    )
