"""Local bookkeeping of the sync client (migration 0007): state, parked ops, row versions, conflicts.

These tables are never journaled: they describe this desk's relation to the server, they are not
business records. ``sync_conflict`` mirrors the server's conflict rows for this branch (read-only here).
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from crm_desktop.models.base import Base


class SyncStateEntry(Base):
    """One fact: device id, credential, server URL, server epoch, cursor, last acked op, last push/pull."""

    __tablename__ = "sync_state"

    k: Mapped[str] = mapped_column(String(64), primary_key=True)
    v: Mapped[str | None] = mapped_column(Text)


class RejectedOp(Base):
    """A parked op: the server refused it (or an earlier op of its record or transaction)."""

    __tablename__ = "sync_rejected"

    op_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    tx_id: Mapped[str] = mapped_column(String(36))
    tbl: Mapped[str] = mapped_column(String(64))
    pk: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(8))
    changed: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str | None] = mapped_column(Text)
    rejected_at: Mapped[str] = mapped_column(String(27))
    resolution: Mapped[str | None] = mapped_column(Text)


class SyncRowVersion(Base):
    """The server ``row_version`` this desk holds of a row (the version guard of apply)."""

    __tablename__ = "sync_row_version"

    tbl: Mapped[str] = mapped_column(String(64), primary_key=True)
    pk: Mapped[str] = mapped_column(String(36), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)


class LocalConflict(Base):
    """A conflict record of this branch as the server holds it (JSON values stored as JSON text)."""

    __tablename__ = "sync_conflict"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    branch_id: Mapped[str] = mapped_column(String(36))
    tbl: Mapped[str] = mapped_column(Text)
    pk: Mapped[str] = mapped_column(Text)
    field: Mapped[str] = mapped_column(Text)
    base: Mapped[str | None] = mapped_column(Text)
    server_value: Mapped[str | None] = mapped_column(Text)
    client_value: Mapped[str | None] = mapped_column(Text)
    server_author: Mapped[str | None] = mapped_column(Text)
    client_author: Mapped[str | None] = mapped_column(Text)
    device_id: Mapped[str | None] = mapped_column(String(36))
    op_id: Mapped[int | None] = mapped_column(BigInteger)
    client_hlc: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text, default="open")
    created_at: Mapped[str] = mapped_column(String(27))
    resolved_by: Mapped[str | None] = mapped_column(Text)
    resolved_at: Mapped[str | None] = mapped_column(String(27))
    resolution: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
