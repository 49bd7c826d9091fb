"""Reading server rows in wire form, with the scope each row is in now."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import Connection, text

from crm_desktop.models.base import to_utc_text
from crm_desktop.server.schema import scope_sql
from crm_desktop.sync import catalog
from crm_desktop.sync.catalog import TableSpec
from crm_desktop.sync.protocol import REMOVE, TOMBSTONE, UPSERT, Row
from crm_desktop.sync.values import Kind, from_python, normalize

CONFLICT_TABLE = "sync_conflict"
KNOWN_TABLES = frozenset({*catalog.CATALOG, CONFLICT_TABLE})


@cache
def select_sql(name: str, *, lock: bool) -> str:
    sql = f"SELECT t.*, {scope_sql(name, 't')} AS _scope FROM {name} t WHERE t.id = ANY(:ids)"
    return sql + (" FOR UPDATE OF t" if lock else "")


def to_wire(name: str, row: Mapping[str, Any]) -> dict[str, Any]:
    """A database row (mapping) as the ``data`` of a wire row: travelling columns only, wire values."""
    if name == CONFLICT_TABLE:
        return {k: (normalize_time(v) if isinstance(v, datetime) else v) for k, v in row.items()
                if k not in ("_scope", "row_version")}
    return {c: None if (v := row[c]) is None else convert(v) for c, convert in _converters(name)}


def _fast(kind: Kind, is_wire: Callable[[Any], bool]) -> Callable[[Any], Any]:
    """``from_python`` for one kind, with a shortcut for the value type PostgreSQL returns (a large pull
    page converts half a million values: the general path was half the page's time)."""
    return lambda v: v if is_wire(v) else from_python(kind, v)


_CONVERT: dict[Kind, Callable[[Any], Any]] = {
    Kind.TEXT: _fast(Kind.TEXT, lambda v: type(v) is str),
    Kind.INT: _fast(Kind.INT, lambda v: type(v) is int),
    Kind.BOOL: _fast(Kind.BOOL, lambda v: type(v) is bool),
    Kind.DATE: lambda v: v.isoformat() if type(v) is date else from_python(Kind.DATE, v),
    Kind.TIME: lambda v: to_utc_text(v) if type(v) is datetime and v.tzinfo is not None else from_python(Kind.TIME, v),
}


@cache
def _converters(name: str) -> tuple[tuple[str, Callable[[Any], Any]], ...]:
    spec = catalog.CATALOG[name]
    return tuple((c, _CONVERT[spec.kinds[c]]) for c in spec.wire_columns)


def normalize_time(value: datetime) -> str:
    result: str = normalize(Kind.TIME, value)
    return result


def from_db(spec: TableSpec, name: str, value: Any) -> Any:
    return from_python(spec.kinds[name], value)


def fetch(conn: Connection, name: str, ids: Iterable[str], *, lock: bool = False) -> dict[str, Mapping[str, Any]]:
    """Current rows of ``name`` by id (with ``_scope``), optionally locked ``FOR UPDATE``."""
    id_list = list(ids)
    if not id_list:
        return {}
    result = conn.execute(text(select_sql(name, lock=lock)), {"ids": id_list})
    keys = list(result.keys())
    rows = (dict(zip(keys, r, strict=True)) for r in result.tuples())
    return {str(r["id"]): r for r in rows}


def wire_row(name: str, pk: str, row: Mapping[str, Any] | None, scopes: tuple[str, ...], *,
             deleted_version: int = 0) -> Row | None:
    """The wire row a device with ``scopes`` may see: upsert, remove (out of scope) or tombstone (gone)."""
    if row is None:
        return Row(tbl=name, pk=pk, row_version=deleted_version, kind=TOMBSTONE, data=None) \
            if deleted_version else None
    version = int(row["row_version"])
    if row["_scope"] not in scopes:
        return Row(tbl=name, pk=pk, row_version=version, kind=REMOVE, data=None)
    return Row(tbl=name, pk=pk, row_version=version, kind=UPSERT, data=to_wire(name, row))
