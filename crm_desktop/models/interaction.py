"""One contact between the bank and a customer."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from crm_desktop.models.base import Base, SyncedMixin


class Interaction(SyncedMixin, Base):
    __tablename__ = "interaction"
    __table_args__ = (
        Index("ix_interaction_customer_time", "customer_id", "occurred_at"),
        # Carries what the reports count, so a month of a branch is read from the index alone (migration 0005).
        Index("ix_interaction_branch_time", "branch_id", "occurred_at", "channel", "user_id", "customer_id",
              "deleted_at"),
        Index("ix_interaction_user_time", "user_id", "occurred_at"),
    )

    customer_id: Mapped[str] = mapped_column(ForeignKey("customer.id"))
    branch_id: Mapped[str] = mapped_column(ForeignKey("branch.id"))
    user_id: Mapped[str] = mapped_column(ForeignKey("app_user.id"))
    channel: Mapped[str] = mapped_column(String(12))
    direction: Mapped[str] = mapped_column(String(10))
    subject: Mapped[str] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)
    occurred_at: Mapped[datetime] = mapped_column()
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[str | None] = mapped_column(String(16))
    follow_up_on: Mapped[date | None] = mapped_column(Date)
