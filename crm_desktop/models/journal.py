"""The change journal (audit trail and sync outbox), the access log, and local bookkeeping tables."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from crm_desktop.models.base import Base


class JournalEntry(Base):
    """One captured change of one record, written by triggers in the same transaction.

    ``seq`` is AUTOINCREMENT: strictly increasing and never reused, so the sync
    can use it as the op id. ``changed`` is JSON ``{field: [old, new]}``.
    """

    __tablename__ = "change_journal"
    __table_args__ = (
        Index("ix_change_journal_record", "tbl", "pk", "seq"),
        Index("ix_change_journal_tx", "tx_id"),
        Index("ix_change_journal_time", "tbl", "created_at"),
        Index("ix_change_journal_source", "source", "seq"),
        {"sqlite_autoincrement": True},
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    tx_id: Mapped[str] = mapped_column(String(36))
    tbl: Mapped[str] = mapped_column(String(64))
    pk: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(8))
    changed: Mapped[str] = mapped_column(Text)
    user_id: Mapped[str] = mapped_column(String(36))
    device_id: Mapped[str] = mapped_column(String(36))
    hlc: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(64))
    schema_version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column()


class AccessLogEntry(Base):
    """Who looked at what: opened a 360° record, exported, ran a report, signed in."""

    __tablename__ = "access_log"
    __table_args__ = (
        Index("ix_access_log_target", "target_tbl", "target_id", "seq"),
        Index("ix_access_log_user", "user_id", "seq"),
        {"sqlite_autoincrement": True},
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column()
    user_id: Mapped[str | None] = mapped_column(String(36))
    device_id: Mapped[str] = mapped_column(String(36))
    action: Mapped[str] = mapped_column(String(32))
    target_tbl: Mapped[str | None] = mapped_column(String(64))
    target_id: Mapped[str | None] = mapped_column(String(36))
    detail: Mapped[str | None] = mapped_column(Text)


class AppMeta(Base):
    """Local facts about this database: device id, request-number prefix."""

    __tablename__ = "app_meta"

    k: Mapped[str] = mapped_column(String(64), primary_key=True)
    v: Mapped[str] = mapped_column(Text)


class SyncContext(Base):
    """The context the journal triggers read: tx id, user, HLC, source; ``applying`` for sync."""

    __tablename__ = "sync_ctx"

    k: Mapped[str] = mapped_column(String(32), primary_key=True)
    v: Mapped[str | None] = mapped_column(Text)
