"""Apply server rows (push checkpoints and pull pages) to the local database (design note §8, §11).

Callers run this inside ``store.write_tx(db, applying=True)``: one short transaction per page, no
journal capture, foreign keys checked at COMMIT. The guard is ``row_version >= held version``
(``sync_row_version``; ``>=`` repairs a losing desk whose value the server re-asserted). Fields with
pending ops keep their local value (the op will carry them to the server). ``remove`` and
``tombstone`` delete the local copy and the children that hang on it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from crm_desktop.sync import catalog
from crm_desktop.sync.protocol import REMOVE, TOMBSTONE, Row
from crm_desktop.sync.values import Kind

CONFLICT_TABLE = "sync_conflict"
CONFLICT_JSON = ("base", "server_value", "client_value", "resolution")
#: Values a row created from the server needs for local-only NOT NULL columns.
INSERT_DEFAULTS: dict[str, dict[str, Any]] = {"app_user": {"password_hash": "!"}}
_CHUNK = 500


@dataclass
class ApplyStats:
    upserted: int = 0
    deleted: int = 0
    skipped: int = 0  # older than what this desk holds

    def __iadd__(self, other: ApplyStats) -> ApplyStats:
        self.upserted += other.upserted
        self.deleted += other.deleted
        self.skipped += other.skipped
        return self


@cache
def _converted(tbl: str) -> tuple[str, ...]:
    """Columns of ``tbl`` whose wire value differs from the stored one (booleans; conflict JSON)."""
    if tbl == CONFLICT_TABLE:
        return CONFLICT_JSON
    return tuple(c for c, kind in catalog.CATALOG[tbl].kinds.items() if kind is Kind.BOOL)


def local_data(tbl: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """A wire row's data as SQLite stores it (only the few columns that need it are converted)."""
    out = dict(data)
    for column in _converted(tbl):
        if out.get(column) is not None:
            out[column] = local_value(tbl, column, out[column])
    return out


def local_value(tbl: str, column: str, value: Any) -> Any:
    """A wire value as SQLite stores it (booleans 0/1, JSON columns of conflicts as text)."""
    if value is None:
        return None
    if tbl == CONFLICT_TABLE:
        return json.dumps(value, ensure_ascii=False) if column in CONFLICT_JSON else value
    if catalog.CATALOG[tbl].kinds.get(column) is Kind.BOOL:
        return int(bool(value))
    return value


def held_versions(raw: sqlite3.Connection, rows: Sequence[Row]) -> dict[tuple[str, str], int]:
    keys = [(r["tbl"], r["pk"]) for r in rows]
    found: dict[tuple[str, str], int] = {}
    for i in range(0, len(keys), _CHUNK):
        chunk = keys[i:i + _CHUNK]
        where = " OR ".join(["(tbl = ? AND pk = ?)"] * len(chunk))
        params = [v for key in chunk for v in key]
        for tbl, pk, version in raw.execute(f"SELECT tbl, pk, version FROM sync_row_version WHERE {where}", params):
            found[(tbl, pk)] = int(version)
    return found


def apply_rows(raw: sqlite3.Connection, rows: Sequence[Row],
               dirty: Mapping[tuple[str, str], set[str]]) -> ApplyStats:
    """Apply server rows in the caller's applying transaction."""
    stats = ApplyStats()
    held = held_versions(raw, rows)
    bulk: dict[str, list[dict[str, Any]]] = {}
    kept: dict[str, list[tuple[dict[str, Any], set[str]]]] = {}
    removed: dict[str, list[str]] = {}
    versions: list[tuple[str, str, int]] = []
    for row in rows:
        tbl, pk, version = row["tbl"], row["pk"], int(row["row_version"])
        if tbl != CONFLICT_TABLE and tbl not in catalog.CATALOG:
            continue
        if version < held.get((tbl, pk), 0):
            stats.skipped += 1
            continue
        versions.append((tbl, pk, version))
        if row["kind"] in (REMOVE, TOMBSTONE) or row["data"] is None:
            removed.setdefault(tbl, []).append(pk)
            continue
        data = local_data(tbl, row["data"])
        keep = dirty.get((tbl, pk))
        if keep:
            kept.setdefault(tbl, []).append((data, keep))
        else:
            bulk.setdefault(tbl, []).append(data)
        stats.upserted += 1
    _upsert_all(raw, bulk, kept)
    for tbl, pks in removed.items():
        stats.deleted += delete_tree(raw, tbl, pks)
    raw.executemany(
        "INSERT INTO sync_row_version(tbl, pk, version) VALUES (?, ?, ?)"
        " ON CONFLICT(tbl, pk) DO UPDATE SET version = excluded.version", versions)
    return stats


def _upsert_all(raw: sqlite3.Connection, bulk: Mapping[str, list[dict[str, Any]]],
                kept: Mapping[str, list[tuple[dict[str, Any], set[str]]]]) -> None:
    """Write the page's rows; when a unique value moves between rows of the page, free it first.

    SQLite checks a unique index row by row, so a page where two customers swap national ids (or
    a refused edit's row comes back beside the row that really holds the value) fails half-way
    even though the page as a whole is consistent. Then the rows are written again after their
    unique values were set aside (``NULL``, or a placeholder for a ``NOT NULL`` column). A clash
    with a row outside the page (a local change not yet sent) still fails: a real conflict.
    """
    raw.execute("SAVEPOINT apply_upserts")
    try:
        _write_upserts(raw, bulk, kept)
    except sqlite3.IntegrityError as exc:
        if "UNIQUE" not in str(exc):
            raise
        raw.execute("ROLLBACK TO apply_upserts")
        for tbl in {*bulk, *kept}:
            _set_aside_unique_values(raw, tbl, [(d, set()) for d in bulk.get(tbl, [])] + kept.get(tbl, []))
        _write_upserts(raw, bulk, kept)
    raw.execute("RELEASE apply_upserts")


def _write_upserts(raw: sqlite3.Connection, bulk: Mapping[str, list[dict[str, Any]]],
                   kept: Mapping[str, list[tuple[dict[str, Any], set[str]]]]) -> None:
    for tbl, datas in bulk.items():
        _upsert_many(raw, tbl, datas)
    for tbl, items in kept.items():
        for data, keep in items:
            _upsert_one(raw, tbl, data, keep)


def _unique_columns(raw: sqlite3.Connection, tbl: str) -> list[tuple[str, bool]]:
    """Single-column unique indexes of ``tbl`` (not the primary key): (column, nullable)."""
    nullable = {str(r[1]): not r[3] for r in raw.execute(f'PRAGMA table_info("{tbl}")')}
    found = []
    for index in raw.execute(f'PRAGMA index_list("{tbl}")').fetchall():
        if index[2] and index[3] != "pk":
            columns = [str(r[2]) for r in raw.execute(f'PRAGMA index_info("{index[1]}")')]
            if len(columns) == 1:
                found.append((columns[0], nullable.get(columns[0], False)))
    return found


def _set_aside_unique_values(raw: sqlite3.Connection, tbl: str,
                             items: Sequence[tuple[dict[str, Any], set[str]]]) -> None:
    """Give the page's local rows a value no other row holds in each unique column the page writes
    (a field with a pending local change keeps its value: it is not written either)."""
    for column, nullable in _unique_columns(raw, tbl):
        ids = [d["id"] for d, keep in items if column in d and column not in keep]
        for i in range(0, len(ids), _CHUNK):
            chunk = ids[i:i + _CHUNK]
            marks = ", ".join("?" for _ in chunk)
            aside = "NULL" if nullable else "'~' || id"
            raw.execute(f'UPDATE "{tbl}" SET "{column}" = {aside} WHERE id IN ({marks})', chunk)


def _upsert_sql(tbl: str, columns: Sequence[str], defaults: Iterable[str]) -> str:
    cols = [*columns, *defaults]
    names = ", ".join(f'"{c}"' for c in cols)
    marks = ", ".join("?" for _ in cols)
    updates = ", ".join(f'"{c}" = excluded."{c}"' for c in columns if c != "id")
    return f'INSERT INTO "{tbl}" ({names}) VALUES ({marks}) ON CONFLICT(id) DO UPDATE SET {updates}'


def _upsert_many(raw: sqlite3.Connection, tbl: str, datas: list[dict[str, Any]]) -> None:
    """``executemany`` per column set (every row of one table normally has the same columns)."""
    defaults = INSERT_DEFAULTS.get(tbl, {})
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for data in datas:
        groups.setdefault(tuple(data), []).append(data)
    for columns, group in groups.items():
        extra = [c for c in defaults if c not in columns]
        raw.executemany(_upsert_sql(tbl, columns, extra),
                        [[d[c] for c in columns] + [defaults[c] for c in extra] for d in group])


def _upsert_one(raw: sqlite3.Connection, tbl: str, data: dict[str, Any], keep: set[str]) -> None:
    """A row with pending local fields: insert it whole if new, else update only the other fields."""
    exists = raw.execute(f'SELECT 1 FROM "{tbl}" WHERE id = ?', (data["id"],)).fetchone()
    if exists is None:
        _upsert_many(raw, tbl, [data])
        return
    columns = [c for c in data if c != "id" and c not in keep]
    if columns:
        sets = ", ".join(f'"{c}" = ?' for c in columns)
        raw.execute(f'UPDATE "{tbl}" SET {sets} WHERE id = ?', [data[c] for c in columns] + [data["id"]])


def _child_links(tbl: str) -> list[tuple[str, str]]:
    """(child table, fk column) pairs whose rows cannot outlive a row of ``tbl``."""
    links = [(name, spec.parent[0]) for name, spec in catalog.CATALOG.items()
             if spec.parent is not None and spec.parent[1] == tbl]
    if tbl == "customer":
        links.append(("duplicate_dismissal", "customer_b"))
    return links


def delete_tree(raw: sqlite3.Connection, tbl: str, pks: Sequence[str]) -> int:
    """Delete rows and (first) their children; returns how many rows were deleted."""
    deleted = 0
    for i in range(0, len(pks), _CHUNK):
        chunk = list(pks[i:i + _CHUNK])
        marks = ", ".join("?" for _ in chunk)
        for child, fk in _child_links(tbl):
            kids = [r[0] for r in raw.execute(f'SELECT id FROM "{child}" WHERE "{fk}" IN ({marks})', chunk)]
            if kids:
                deleted += delete_tree(raw, child, kids)
        deleted += max(raw.execute(f'DELETE FROM "{tbl}" WHERE id IN ({marks})', chunk).rowcount, 0)
    return deleted


def drop_refused_inserts(raw: sqlite3.Connection, dirty: Mapping[tuple[str, str], set[str]]) -> int:
    """Delete local rows whose creation the server refused (a parked insert) and that the server never sent.

    The values stay in ``sync_rejected`` for the clerk (fix and retry, or discard); the local copy
    would otherwise block the server's own row on a unique key (the same national id onboarded on two
    desks) and keep the desk from ever equalling the server. A row with pending ops stays.
    """
    gone: dict[str, list[str]] = {}
    for tbl, pk in raw.execute(
            "SELECT DISTINCT r.tbl, r.pk FROM sync_rejected r WHERE r.kind = 'insert' AND r.resolution IS NULL"
            " AND NOT EXISTS (SELECT 1 FROM sync_row_version v WHERE v.tbl = r.tbl AND v.pk = r.pk)"):
        if tbl in catalog.CATALOG and (tbl, pk) not in dirty:
            gone.setdefault(tbl, []).append(pk)
    return sum(delete_tree(raw, tbl, pks) for tbl, pks in gone.items())


def sweep_unseen(raw: sqlite3.Connection, dirty: Mapping[tuple[str, str], set[str]]) -> int:
    """After a reset's bootstrap: delete synced rows the server did not send (none pending here)."""
    deleted = 0
    for tbl in reversed(catalog.SYNCED_TABLES):
        gone = [r[0] for r in raw.execute(
            f'SELECT id FROM "{tbl}" t WHERE NOT EXISTS'
            " (SELECT 1 FROM sync_row_version v WHERE v.tbl = ? AND v.pk = t.id)", (tbl,))
            if (tbl, r[0]) not in dirty]
        if gone:
            deleted += delete_tree(raw, tbl, gone)
    return deleted
