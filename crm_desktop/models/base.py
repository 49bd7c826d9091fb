"""Declarative base, column types and the sync-ready mixin every business table has.

Every synced record carries: a UUIDv7 primary key minted locally, created and
updated times in UTC, a version counter bumped on every change, the user and
device that changed it last, and a tombstone (``deleted_at``) instead of a
hard delete. Times are stored as fixed-width UTC ISO-8601 text
(``2026-11-23T08:15:30.000123Z``) so that text order is time order.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

import uuid_utils
from sqlalchemy import Dialect, Integer, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ISO_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def new_id() -> str:
    """A new time-ordered UUIDv7, as text."""
    return str(uuid_utils.uuid7())


def utc_now() -> datetime:
    return datetime.now(UTC)


def to_utc_text(value: datetime) -> str:
    """A UTC ISO text for an aware datetime (naive values are taken as UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    elif value.utcoffset():
        value = value.astimezone(UTC)
    # isoformat() is several times faster than strftime() and gives the same fixed-width text.
    return value.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def from_utc_text(text: str) -> datetime:
    return datetime.strptime(text, ISO_FORMAT).replace(tzinfo=UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetime stored as fixed-width ISO text."""

    impl = String(27)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> str | None:
        return None if value is None else to_utc_text(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> datetime | None:
        return None if value is None else from_utc_text(value)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UtcDateTime()}


class SyncedMixin:
    """Columns that make a table sync-ready and journaled.

    ``version`` is SQLAlchemy's version counter: every ORM update bumps it and
    refuses to overwrite a row someone else changed meanwhile. A guard trigger
    makes Core and raw-SQL updates bump it too.
    """

    #: Columns left out of journal diffs (they change on every write, or derive from others).
    journal_exclude: ClassVar[frozenset[str]] = frozenset()
    #: Columns whose values never reach the journal (written as "***").
    journal_redact: ClassVar[frozenset[str]] = frozenset()

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)
    version: Mapped[int] = mapped_column(Integer, default=1)
    changed_by: Mapped[str | None] = mapped_column(String(36))
    changed_device: Mapped[str | None] = mapped_column(String(36))
    deleted_at: Mapped[datetime | None] = mapped_column()
    deleted_reason: Mapped[str | None] = mapped_column(Text)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


#: Bookkeeping columns that every journal row already records for itself.
META_COLUMNS = frozenset({"updated_at", "version", "changed_by", "changed_device"})
