"""Service requests (complaints, inquiries, requests, suggestions), their history and SLA policy."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from crm_desktop.models.base import Base, SyncedMixin


class ServiceRequest(SyncedMixin, Base):
    __tablename__ = "service_request"
    __table_args__ = (
        CheckConstraint("satisfaction IS NULL OR satisfaction BETWEEN 1 AND 5", name="satisfaction"),
        Index("ix_service_request_customer", "customer_id", "opened_at"),
        Index("ix_service_request_branch_status_due", "branch_id", "status", "due_at", "opened_at", "deleted_at"),
        Index("ix_service_request_assignee_status", "assignee_id", "status", "due_at"),
        # The report indexes carry what the reports read, so a period is read from the index alone (migration 0005).
        Index("ix_service_request_opened", "branch_id", "opened_at", "customer_id", "deleted_at"),
        Index("ix_service_request_resolved", "branch_id", "resolved_at", "opened_at", "due_at", "assignee_id",
              "deleted_at", sqlite_where=text("resolved_at IS NOT NULL")),
        Index("ix_service_request_closed", "branch_id", "closed_at", "satisfaction", "assignee_id", "deleted_at",
              sqlite_where=text("closed_at IS NOT NULL")),
    )

    number: Mapped[str] = mapped_column(String(40), unique=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customer.id"))
    branch_id: Mapped[str] = mapped_column(ForeignKey("branch.id"))
    category: Mapped[str] = mapped_column(String(16))
    priority: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    assignee_id: Mapped[str | None] = mapped_column(ForeignKey("app_user.id"))
    opened_by: Mapped[str] = mapped_column(ForeignKey("app_user.id"))
    opened_at: Mapped[datetime] = mapped_column()
    due_at: Mapped[datetime] = mapped_column()
    first_response_at: Mapped[datetime | None] = mapped_column()
    resolved_at: Mapped[datetime | None] = mapped_column()
    closed_at: Mapped[datetime | None] = mapped_column()
    resolution: Mapped[str | None] = mapped_column(Text)
    satisfaction: Mapped[int | None] = mapped_column(Integer)


class RequestStatusChange(SyncedMixin, Base):
    """One step in a request's status history (append-only in practice)."""

    __tablename__ = "request_status_change"
    __table_args__ = (Index("ix_request_status_change_request", "request_id", "changed_at", "to_status"),)

    request_id: Mapped[str] = mapped_column(ForeignKey("service_request.id"))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    transition: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[str] = mapped_column(ForeignKey("app_user.id"))
    changed_at: Mapped[datetime] = mapped_column()
    note: Mapped[str | None] = mapped_column(Text)


class SlaPolicyRow(SyncedMixin, Base):
    """Working time to resolve a request of one category and priority."""

    __tablename__ = "sla_policy"
    __table_args__ = (UniqueConstraint("category", "priority"),)

    category: Mapped[str] = mapped_column(String(16))
    priority: Mapped[str] = mapped_column(String(8))
    target_minutes: Mapped[int] = mapped_column(Integer)
    first_response_minutes: Mapped[int | None] = mapped_column(Integer)


class Holiday(SyncedMixin, Base):
    """A day off on the working calendar, entered by an administrator."""

    __tablename__ = "holiday"

    day: Mapped[date] = mapped_column(Date, unique=True)
    name: Mapped[str] = mapped_column(String(200))


class Setting(SyncedMixin, Base):
    """A shared setting (e.g. the working week), journaled like any record."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(64), unique=True)
    value: Mapped[str] = mapped_column(Text)


class RequestSequence(Base):
    """The last request number this device handed out for one prefix (local, never reused)."""

    __tablename__ = "request_sequence"

    prefix: Mapped[str] = mapped_column(String(32), primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer, default=0)


__all__ = ["Holiday", "RequestSequence", "RequestStatusChange", "ServiceRequest", "Setting", "SlaPolicyRow"]
