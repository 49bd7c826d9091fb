"""Reading server rows in wire form, with the scope each row is in now."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from functools import cache
from typing import Any

import orjson
from sqlalchemy import Connection, text

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
    spec = catalog.CATALOG[name]
    return {c: from_python(spec.kinds[c], row[c]) for c in spec.wire_columns}


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
    rows = (dict(zip(keys, r, strict=True)) for r in result)
    return {str(r["id"]): r for r in rows}


#: A wire value computed by PostgreSQL, per kind (the same text ``from_python`` gives; tested for parity).
_WIRE_SQL: dict[Kind, str] = {
    Kind.TEXT: "{c}", Kind.INT: "{c}", Kind.BOOL: "{c}",
    Kind.DATE: "to_char({c}, 'YYYY-MM-DD')",
    Kind.TIME: "to_char({c} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')",
}


@cache
def wire_select_sql(name: str) -> str:
    """Rows with their wire ``data`` built by PostgreSQL as one JSON text (``row_to_json`` of the wire columns),
    and ``_fk``, the column that leads to the row's scope parent (``NULL`` for a table without one)."""
    spec = catalog.CATALOG[name]
    columns = ", ".join(f'{_WIRE_SQL[spec.kinds[c]].format(c=f"t.{c}")} AS "{c}"' for c in spec.wire_columns)
    fk = f"t.{spec.parent[0]}" if spec.parent is not None else "NULL"
    return (f"SELECT t.id AS id, {scope_sql(name, 't')} AS _scope, t.row_version AS row_version,"
            f" row_to_json(w)::text AS data, {fk} AS _fk FROM {name} t CROSS JOIN LATERAL (SELECT {columns}) w"
            " WHERE t.id = ANY(:ids)")


def fetch_wire(conn: Connection, name: str, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Current rows of ``name`` by id as ``{"_scope", "row_version", "data", "_fk"}``; ``data`` is the row's wire
    form as JSON text, which the answer splices in as it is (``orjson.Fragment``).

    The pull's path: PostgreSQL formats the values and writes the JSON, instead of Python converting
    half a million typed values one by one for a bootstrap page, or parsing and re-serialising them.
    """
    id_list = list(ids)
    if not id_list:
        return {}
    if name == CONFLICT_TABLE:
        return {pk: {"_scope": row["_scope"], "row_version": row["row_version"], "_fk": None,
                     "data": orjson.dumps(to_wire(name, row)).decode()}
                for pk, row in fetch(conn, name, id_list).items()}
    result = conn.execute(text(wire_select_sql(name)), {"ids": id_list})
    return {str(pk): {"_scope": scope, "row_version": version, "data": data, "_fk": fk}
            for pk, scope, version, data, fk in result}


def wire_row(name: str, pk: str, row: Mapping[str, Any] | None, scopes: tuple[str, ...], *,
             deleted_version: int = 0) -> Row | None:
    """The wire row a device with ``scopes`` may see of a ``fetch_wire`` row: upsert, remove (out of scope)
    or tombstone (gone)."""
    if row is None:
        return Row(tbl=name, pk=pk, row_version=deleted_version, kind=TOMBSTONE, data=None) \
            if deleted_version else None
    version = int(row["row_version"])
    if row["_scope"] not in scopes:
        return Row(tbl=name, pk=pk, row_version=version, kind=REMOVE, data=None)
    return Row(tbl=name, pk=pk, row_version=version, kind=UPSERT, data=orjson.Fragment(row["data"]))
