"""The interactions list as a lazy table model: newest first, keyset pages from the interactions service."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import Qt

from crm_desktop.models.enums import Channel, Direction, Outcome
from crm_desktop.persian import format_jalali_date, format_jalali_datetime
from crm_desktop.services import Services
from crm_desktop.services.changes import Changes
from crm_desktop.services.paging import Page, PageKey
from crm_desktop.services.records import InteractionRow
from crm_desktop.views.context import AppContext
from crm_desktop.views.customers.details import QT_TRANSLATE_NOOP
from crm_desktop.views.keyset_model import Column, KeysetTableModel

_CENTER = Qt.AlignmentFlag.AlignCenter


@dataclass(frozen=True)
class InteractionFilter:
    """What the list shows; None means "any"."""

    customer_id: str | None = None
    user_id: str | None = None
    channel: str | None = None
    period: tuple[date, date] | None = None
    branch_id: str | None = None


class InteractionTableModel(KeysetTableModel[InteractionRow]):
    """Interactions of the actor's branch (or the chosen one), newest first."""

    context = "InteractionTableModel"  # titles are translated in this context
    columns = (
        Column("occurred_at", QT_TRANSLATE_NOOP("InteractionTableModel", "Date and time"), align=_CENTER),
        Column("customer", QT_TRANSLATE_NOOP("InteractionTableModel", "Customer")),
        Column("channel", QT_TRANSLATE_NOOP("InteractionTableModel", "Channel")),
        Column("direction", QT_TRANSLATE_NOOP("InteractionTableModel", "Direction")),
        Column("subject", QT_TRANSLATE_NOOP("InteractionTableModel", "Subject")),
        Column("clerk", QT_TRANSLATE_NOOP("InteractionTableModel", "Clerk")),
        Column("outcome", QT_TRANSLATE_NOOP("InteractionTableModel", "Outcome")),
        Column("follow_up", QT_TRANSLATE_NOOP("InteractionTableModel", "Follow-up"), align=_CENTER),
    )

    def __init__(self, ctx: AppContext, parent: Any = None) -> None:
        super().__init__(ctx, parent)
        self.filter = InteractionFilter()

    def set_filter(self, value: InteractionFilter) -> None:
        """Show another selection, read again from the newest."""
        self.filter = value
        self.reload()

    # -- KeysetTableModel ---------------------------------------------------------------------
    def fetch_page(self, services: Services, after: PageKey | None, limit: int) -> Page[InteractionRow]:
        f = self.filter
        return services.interactions.list(
            self.ctx.actor, customer_id=f.customer_id, user_id=f.user_id, channel=f.channel, period=f.period,
            branch_id=f.branch_id, after=after, limit=limit,
        )

    def display(self, row: InteractionRow, key: str) -> str:
        if key == "occurred_at":
            return format_jalali_datetime(row.occurred_at)
        if key == "customer":
            return row.customer_name
        if key == "channel":
            return _label(Channel, row.channel)
        if key == "direction":
            return _label(Direction, row.direction)
        if key == "subject":
            return row.subject
        if key == "clerk":
            return row.user_name
        if key == "outcome":
            return _label(Outcome, row.outcome)
        if key == "follow_up":
            return format_jalali_date(row.follow_up_on) if row.follow_up_on else ""
        return ""

    def changed_ids(self, changes: Changes) -> frozenset[str]:
        return changes.interactions


def _label(enum: Any, value: str | None) -> str:
    if not value:
        return ""
    try:
        return str(enum(value).label)
    except ValueError:
        return value
