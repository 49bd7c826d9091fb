"""The wire form of column values, shared by ops (``[old, new]``) and pulled rows.

It is the form the desktop's journal triggers already record (SQLite storage form): text, integers,
``YYYY-MM-DD`` dates and fixed-width UTC times ``2026-11-23T08:15:30.000123Z``. Booleans travel as
JSON ``true``/``false`` (SQLite stores 0/1; ``normalize`` accepts both). Values are compared only in
this normalized form, so ``1`` and ``true`` or two spellings of one instant never look like a change.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Boolean, Column, Date, DateTime, Integer
from sqlalchemy.types import TypeEngine

from crm_desktop.models.base import UtcDateTime, from_utc_text, to_utc_text


class Kind(StrEnum):
    TEXT = "text"
    INT = "int"
    BOOL = "bool"
    DATE = "date"
    TIME = "time"  # an instant, UTC


def kind_of(column: Column[Any]) -> Kind:
    """The wire kind of a column, from its SQLAlchemy type."""
    col_type: TypeEngine[Any] = column.type
    if isinstance(col_type, UtcDateTime | DateTime):
        return Kind.TIME
    if isinstance(col_type, Boolean):
        return Kind.BOOL
    if isinstance(col_type, Date):
        return Kind.DATE
    if isinstance(col_type, Integer):
        return Kind.INT
    return Kind.TEXT


def normalize(kind: Kind, value: Any) -> Any:
    """The canonical wire form of ``value``; raises ValueError when it cannot be one of ``kind``."""
    if value is None:
        return None
    if kind is Kind.BOOL:
        if isinstance(value, bool):
            return value
        if value in (0, 1, "0", "1"):
            return bool(int(value))
        raise ValueError(f"not a boolean: {value!r}")
    if kind is Kind.INT:
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise ValueError(f"not an integer: {value!r}")
        return int(value)
    if kind is Kind.DATE:
        if isinstance(value, datetime):
            raise ValueError(f"not a date: {value!r}")
        return (value if isinstance(value, date) else date.fromisoformat(str(value))).isoformat()
    if kind is Kind.TIME:
        if isinstance(value, datetime):
            return to_utc_text(value)
        text = str(value)
        try:
            return to_utc_text(from_utc_text(text))
        except ValueError:
            return to_utc_text(datetime.fromisoformat(text.replace("Z", "+00:00")))
    if not isinstance(value, str):
        raise ValueError(f"not text: {value!r}")
    return value


def to_python(kind: Kind, wire: Any) -> Any:
    """A wire value as the Python value a database driver binds (dates and aware datetimes)."""
    value = normalize(kind, wire)
    if value is None:
        return None
    if kind is Kind.DATE:
        return date.fromisoformat(value)
    if kind is Kind.TIME:
        return from_utc_text(value)
    return value


def from_python(kind: Kind, value: Any) -> Any:
    """A value read from a database (either side) in wire form."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = value.astimezone(UTC)
    return normalize(kind, value)
