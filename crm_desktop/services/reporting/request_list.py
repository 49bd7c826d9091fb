"""The service requests of a period, row by row, streamed from the database (for the request report and exports).

Every request opened in the period, oldest first. The delay is how many hours a request was (or still is, at the
report's moment) past its deadline; ``None`` when it was not late.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from crm_desktop.models.base import to_utc_text
from crm_desktop.models.enums import Priority, RequestCategory
from crm_desktop.reports.document import Value
from crm_desktop.reports.period import Period
from crm_desktop.services.reporting.activity import Scope
from crm_desktop.services.request_states import STATUS_LABELS, WORKING_STATUSES, RequestStatus

WORKING_LIST = ",".join(f"'{s}'" for s in WORKING_STATUSES)

ROWS_SQL = (
    "SELECT r.number, c.display_name, r.category, r.priority, r.status, u.full_name, r.opened_at, r.due_at,"
    " r.resolved_at FROM service_request r JOIN customer c ON c.id = r.customer_id"
    " LEFT JOIN app_user u ON u.id = r.assignee_id"
)


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None  # stored as «…T…Z», fixed width, UTC


def _hours_late(due: datetime, finished: datetime | None, moment: datetime) -> float | None:
    late = ((finished or moment) - due).total_seconds() / 3600
    return round(late, 2) if late > 0 else None


@dataclass(frozen=True)
class RequestLine:
    number: str
    customer: str
    category: str  # Persian labels
    priority: str
    status: str
    assignee: str | None
    opened_at: datetime
    due_at: datetime
    resolved_at: datetime | None
    hours_late: float | None

    def values(self) -> tuple[Value, ...]:
        return (self.number, self.customer, self.category, self.priority, self.status, self.assignee,
                self.opened_at, self.due_at, self.resolved_at, self.hours_late)


def _line(row: tuple[object, ...], moment: datetime) -> RequestLine:
    number, customer, category, priority, status, assignee, opened, due, resolved = row
    due_at = _time(str(due))
    resolved_at = _time(resolved if isinstance(resolved, str) else None)
    assert due_at is not None
    still_working = status in WORKING_STATUSES
    return RequestLine(
        number=str(number), customer=str(customer), category=RequestCategory(str(category)).label,
        priority=Priority(str(priority)).label, status=STATUS_LABELS[RequestStatus(str(status))],
        assignee=str(assignee) if assignee else None, opened_at=_time(str(opened)) or due_at, due_at=due_at,
        resolved_at=resolved_at,
        hours_late=_hours_late(due_at, resolved_at, moment) if resolved_at or still_working else None,
    )


def count_opened(conn: sqlite3.Connection, scope: Scope, period: Period) -> int:
    start, end = period.bounds()
    return int(conn.execute(
        f"SELECT count(*) FROM service_request x WHERE {scope.where('x')}x.opened_at >= ? AND x.opened_at < ?"
        " AND x.deleted_at IS NULL", (*scope.params, start, end)).fetchone()[0])


def opened_lines(conn: sqlite3.Connection, scope: Scope, period: Period, moment: datetime) -> Iterator[RequestLine]:
    """Requests opened in the period, oldest first; read lazily (the cursor stays open while it is consumed)."""
    start, end = period.bounds()
    cursor = conn.execute(
        f"{ROWS_SQL} WHERE {scope.where('r')}r.opened_at >= ? AND r.opened_at < ? AND r.deleted_at IS NULL"
        " ORDER BY r.opened_at, r.id", (*scope.params, start, end))
    for row in cursor:
        yield _line(row, moment)


def overdue_lines(conn: sqlite3.Connection, scope: Scope, moment: datetime) -> list[RequestLine]:
    """Requests being worked on whose deadline had passed at ``moment``, most late first."""
    at = to_utc_text(moment)
    rows = conn.execute(
        f"{ROWS_SQL} WHERE {scope.where('r')}r.deleted_at IS NULL AND r.opened_at < ? AND r.due_at < ?"
        f" AND (r.status IN ({WORKING_LIST}) OR (r.resolved_at IS NOT NULL AND r.resolved_at >= ?))"
        " ORDER BY r.due_at, r.id", (*scope.params, at, at, at)).fetchall()
    lines = [_line(row, moment) for row in rows]
    # A request resolved after the moment was still being worked on then: its delay runs to the moment.
    return [
        RequestLine(**{**line.__dict__, "hours_late": _hours_late(line.due_at, None, moment)})
        if line.resolved_at and line.resolved_at >= moment else line
        for line in lines
    ]


def category_priority_counts(conn: sqlite3.Connection, scope: Scope, period: Period) -> Counter[tuple[str, str]]:
    start, end = period.bounds()
    return Counter({(str(cat), str(pri)): int(n) for cat, pri, n in conn.execute(
        f"SELECT x.category, x.priority, count(*) FROM service_request x WHERE {scope.where('x')}"
        "x.opened_at >= ? AND x.opened_at < ? AND x.deleted_at IS NULL GROUP BY 1, 2",
        (*scope.params, start, end))})
