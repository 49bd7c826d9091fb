"""Turning ORM rows into list records, with the names they show, in a few queries."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from crm_desktop.models import Customer, ServiceRequest, User
from crm_desktop.services.records import InteractionRow, RequestRow


def names(session: Session, model: Any, ids: Iterable[str | None], column: Any) -> dict[str, str]:
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    return {row[0]: row[1] for row in session.execute(select(model.id, column).where(model.id.in_(wanted)))}


def interaction_rows(session: Session, query: Select[Any]) -> list[InteractionRow]:
    items = list(session.scalars(query))
    customers = names(session, Customer, (i.customer_id for i in items), Customer.display_name)
    users = names(session, User, (i.user_id for i in items), User.full_name)
    return [
        InteractionRow(
            id=i.id, version=i.version, customer_id=i.customer_id, customer_name=customers.get(i.customer_id, ""),
            user_id=i.user_id, user_name=users.get(i.user_id, ""), channel=i.channel, direction=i.direction,
            subject=i.subject, notes=i.notes, occurred_at=i.occurred_at, duration_minutes=i.duration_minutes,
            outcome=i.outcome, follow_up_on=i.follow_up_on,
        )
        for i in items
    ]


def request_rows(session: Session, query: Select[Any]) -> list[RequestRow]:
    items = list(session.scalars(query))
    customers = names(session, Customer, (r.customer_id for r in items), Customer.display_name)
    users = names(session, User, (r.assignee_id for r in items), User.full_name)
    return [request_row(r, customers.get(r.customer_id, ""), users.get(r.assignee_id or "")) for r in items]


def request_row(r: ServiceRequest, customer_name: str, assignee_name: str | None) -> RequestRow:
    return RequestRow(
        id=r.id, version=r.version, number=r.number, customer_id=r.customer_id, customer_name=customer_name,
        category=r.category, priority=r.priority, status=r.status, subject=r.subject,
        assignee_id=r.assignee_id, assignee_name=assignee_name, opened_at=r.opened_at, due_at=r.due_at,
        resolved_at=r.resolved_at, closed_at=r.closed_at, satisfaction=r.satisfaction,
    )
