"""``POST /v1/sync/pull``: the gap-free change feed (design note §5).

One REPEATABLE READ transaction per page. Entries are read by ``(txid, change_id)`` after the cursor
and strictly below the snapshot's ``xmin`` (the watermark): every transaction below it has ended and
new ones always get larger txids, so a transaction that commits late is never skipped, only
delivered later. A page takes up to ``limit`` entries and then the rest of its last transaction, so
it always ends on a server-transaction boundary. The payload is state-based: entries collapse to the
current row (``row_version`` guards the desk's apply), ``remove`` when the row left the scope,
``tombstone`` when it was deleted, and the current parents of children in the page come along unless
the cursor shows the desk already holds them (their last entry up to the cursor is an upsert): a
bootstrap then carries each customer once, not again with every page of its products and interactions.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import psycopg
from sqlalchemy import Connection, Engine, text

from crm_desktop.server import rows as server_rows
from crm_desktop.server.auth import Principal, load_device
from crm_desktop.server.db import get_meta
from crm_desktop.server.errors import ApiError
from crm_desktop.server.push import check_versions
from crm_desktop.server.schema import FEED_TABLES, NOTIFY_CHANNEL, scope_sql
from crm_desktop.sync import catalog, protocol
from crm_desktop.sync.catalog import GLOBAL_SCOPE
from crm_desktop.sync.protocol import REMOVE, TOMBSTONE, ErrorCode, PullResponse, Row

_AFTER = "(sc.txid, sc.change_id) > (CAST(:t AS text)::xid8, :c) AND sc.txid < pg_snapshot_xmin(pg_current_snapshot())"
_ONE_SCOPE = (
    "(SELECT sc.txid::text::bigint AS txid, sc.change_id, sc.tbl, sc.pk, sc.kind, sc.row_version FROM sync_change sc"
    f" WHERE sc.scope = :{{name}} AND {_AFTER} ORDER BY sc.txid, sc.change_id LIMIT :n)"
)
PAGE_SQL = (
    f"SELECT * FROM ({_ONE_SCOPE.format(name='branch')} UNION ALL {_ONE_SCOPE.format(name='star')}) AS e"
    " ORDER BY txid, change_id LIMIT :n"
)
REST_OF_TX_SQL = (
    "SELECT sc.txid::text::bigint AS txid, sc.change_id, sc.tbl, sc.pk, sc.kind, sc.row_version FROM sync_change sc"
    " WHERE sc.scope IN (:branch, :star) AND sc.txid = CAST(:t AS text)::xid8 AND sc.change_id > :c"
    " ORDER BY sc.change_id"
)
WATERMARK_SQL = "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint"
TABLE_ORDER = {name: i for i, name in enumerate(FEED_TABLES)}


def pull(engine: Engine, principal: Principal, body: Mapping[str, Any]) -> PullResponse:
    """One page of changes for the device's scope (empty with ``has_more`` false when up to date)."""
    limit = max(1, min(int(body.get("limit") or protocol.DEFAULT_PULL_LIMIT), protocol.MAX_PULL_LIMIT))
    try:
        cursor = protocol.parse_cursor(str(body["cursor"]))
    except ValueError as exc:
        raise ApiError(ErrorCode.INVALID, field="cursor") from exc
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn, conn.begin():
        try:
            check_versions(conn, str(body["server_epoch"]), int(body["schema_version"]))
        except ApiError as exc:
            if exc.code == ErrorCode.EPOCH_MISMATCH:
                raise ApiError(ErrorCode.RESYNC_REQUIRED, reason="epoch", server_epoch=exc.extra["server_epoch"]) \
                    from exc
            raise
        device = load_device(conn, principal)
        branch = str(device.branch_id)
        horizon = int(get_meta(conn, "tombstone_horizon") or 0)
        if cursor != (0, 0) and cursor[0] < horizon:
            raise ApiError(ErrorCode.RESYNC_REQUIRED, reason="horizon", horizon=horizon)
        response = _page(conn, branch, cursor, limit)
        response["request_cursor"] = str(body["cursor"])
        if body.get("counts") and not response["has_more"]:
            response["counts"] = scope_counts(conn, (branch, GLOBAL_SCOPE))
        conn.execute(text("UPDATE sync_device SET last_cursor = :c, last_seen_at = now() WHERE device_id = :d"),
                     {"c": response["cursor"], "d": principal.device_id})
    return response


def _page(conn: Connection, branch: str, cursor: tuple[int, int], limit: int) -> PullResponse:
    start = cursor
    params = {"branch": branch, "star": GLOBAL_SCOPE, "t": str(cursor[0]), "c": cursor[1], "n": limit}
    entries = list(conn.execute(text(PAGE_SQL), params))
    watermark = int(conn.execute(text(WATERMARK_SQL)).scalar_one())
    if entries:
        last = entries[-1]
        entries += list(conn.execute(text(REST_OF_TX_SQL), {**params, "t": str(last.txid), "c": last.change_id}))
        cursor = (int(entries[-1].txid), int(entries[-1].change_id))
    has_more = bool(entries) and conn.execute(
        text(f"SELECT 1 FROM sync_change sc WHERE sc.scope IN (:branch, :star) AND {_AFTER} LIMIT 1"),
        {**params, "t": str(cursor[0]), "c": cursor[1]},
    ).first() is not None
    return {
        "changes": _rows(conn, entries, (branch, GLOBAL_SCOPE), start),
        "cursor": protocol.format_cursor(*cursor),
        "has_more": has_more,
        "watermark": str(watermark),
        "server_time": datetime.now(UTC).isoformat(),
    }


def _rows(conn: Connection, entries: list[Any], scopes: tuple[str, ...], start: tuple[int, int]) -> list[Row]:
    """Collapse entries to the current state of each row; add the parents of children the desk lacks."""
    latest: dict[tuple[str, str], Any] = {}
    for entry in entries:
        latest.pop((entry.tbl, entry.pk), None)
        latest[(entry.tbl, entry.pk)] = entry
    wanted: dict[str, list[str]] = {}
    for (tbl, pk), entry in latest.items():
        if entry.kind not in (REMOVE, TOMBSTONE):
            wanted.setdefault(tbl, []).append(pk)
    current = {tbl: server_rows.fetch_wire(conn, tbl, pks) for tbl, pks in wanted.items()}
    _add_parents(conn, current, scopes, start)
    out: list[tuple[int, int, Row]] = []
    for position, ((tbl, pk), entry) in enumerate(latest.items()):
        if entry.kind in (REMOVE, TOMBSTONE):
            out.append((TABLE_ORDER[tbl], position, {"tbl": tbl, "pk": pk, "row_version": int(entry.row_version),
                                                     "kind": entry.kind, "data": None}))
            continue
        row = current.get(tbl, {}).get(pk)
        if row is None or row["_scope"] not in scopes:
            continue  # deleted or moved since: its tombstone or remove entry comes after this page
        out.append((TABLE_ORDER[tbl], position, _upsert(tbl, pk, row, scopes)))
    for tbl, rows in current.items():
        for pk, row in rows.items():
            if (tbl, pk) not in latest and row["_scope"] in scopes:
                out.append((TABLE_ORDER[tbl], -1, _upsert(tbl, pk, row, scopes)))
    out.sort(key=lambda item: (item[0], item[1]))
    return [row for _, _, row in out]


def _upsert(tbl: str, pk: str, row: Mapping[str, Any], scopes: tuple[str, ...]) -> Row:
    wire = server_rows.wire_row(tbl, pk, row, scopes)  # in scope: checked by the caller
    assert wire is not None
    return wire


def _add_parents(conn: Connection, current: dict[str, dict[str, Any]], scopes: tuple[str, ...],
                 start: tuple[int, int]) -> None:
    """Fetch the current parent rows (along the scope path) of the page's children that the desk lacks.

    A parent whose last entry at or before the page's start cursor is an upsert is already on the desk
    (it applied every page up to that cursor); any other parent (never sent, sent and later removed or
    deleted, or whose only entry sits after its child's, as compaction can leave it) comes along.
    """
    for name in reversed(catalog.SYNCED_TABLES):  # children first, so a grandparent is reached through its child
        spec = catalog.CATALOG[name]
        if spec.parent is None or not current.get(name):
            continue
        parent = spec.parent[1]
        have = current.setdefault(parent, {})
        missing = {str(r["_fk"]) for r in current[name].values() if r["_fk"] is not None and str(r["_fk"]) not in have}
        missing -= _held_by_desk(conn, parent, missing, scopes, start)
        for pk, row in server_rows.fetch_wire(conn, parent, missing).items():
            if row["_scope"] in scopes:
                have[pk] = row


HELD_SQL = (
    "SELECT pk FROM (SELECT DISTINCT ON (sc.pk) sc.pk, sc.kind FROM sync_change sc"
    " WHERE sc.tbl = :tbl AND sc.pk = ANY(:pks) AND sc.scope IN (:branch, :star)"
    " AND (sc.txid, sc.change_id) <= (CAST(:t AS text)::xid8, :c)"
    " ORDER BY sc.pk, sc.txid DESC, sc.change_id DESC) AS last WHERE last.kind = 'upsert'"
)


def _held_by_desk(conn: Connection, tbl: str, pks: set[str], scopes: tuple[str, ...],
                  start: tuple[int, int]) -> set[str]:
    """Those of ``pks`` whose last feed entry up to ``start`` is an upsert: the desk holds them."""
    if not pks or start == (0, 0):
        return set()
    params = {"tbl": tbl, "pks": list(pks), "branch": scopes[0], "star": scopes[1], "t": str(start[0]),
              "c": start[1]}
    return {str(pk) for pk in conn.execute(text(HELD_SQL), params).scalars()}


def scope_counts(conn: Connection, scopes: tuple[str, ...]) -> dict[str, int]:
    """Rows per synced table in ``scopes`` (what a desk that is up to date holds from the server)."""
    counts = {}
    for name in catalog.SYNCED_TABLES:
        sql = f"SELECT count(*) FROM {name} t WHERE {scope_sql(name, 't')} IN (:a, :b)"
        counts[name] = int(conn.execute(text(sql), {"a": scopes[0], "b": scopes[1]}).scalar_one())
    return counts


def wait_for_change(url: str, scopes: tuple[str, ...], wait_s: float) -> bool:
    """Block until a NOTIFY for one of ``scopes`` arrives or ``wait_s`` passes (the long-poll)."""
    deadline = time.monotonic() + wait_s
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
        while (left := deadline - time.monotonic()) > 0:
            for note in conn.notifies(timeout=left, stop_after=1):
                if note.payload in scopes:
                    return True
    return False
