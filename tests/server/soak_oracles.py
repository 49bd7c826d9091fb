"""The oracles of design note §12 against the real PostgreSQL and the desks' real SQLite files.

O4 (cursors never move back except across a reset; no held version above the server's ``row_version``)
and O5 (``integrity_check``, ``foreign_key_check``) hold after every step; O1 (every captured op has
exactly one ``sync_applied_op`` row, or was parked unsent), O2 (every value an op wrote is the final
server value, superseded by a later op, decided by a rule, in ``sync_conflict``, or its op is in the
desk's ``sync_rejected``) and O3 (every desk equals the server's projection of its branch, every outbox
is empty) hold at quiescence. Each check returns a list of failures (empty: the oracle holds).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text

from crm_desktop.server.schema import scope_sql
from crm_desktop.sync import catalog, protocol
from crm_desktop.sync.catalog import GLOBAL_SCOPE, FieldClass
from crm_desktop.sync.client import store
from crm_desktop.sync.client.store import Key, _wire_changed
from crm_desktop.sync.values import from_python, normalize
from tests.server.soak_world import SoakDesk, SoakServer

CONFLICT_COLUMNS = ("id", "tbl", "pk", "field", "status")


@dataclass
class DeskMarks:
    """What O4 remembers of a desk between steps."""

    cursor: tuple[int, int] = (0, 0)
    reset_copy: str | None = None


# -- O4, O5: after every step ---------------------------------------------------------------------
def step_check(desk: SoakDesk, server_versions: dict[tuple[str, str], int], marks: DeskMarks) -> list[str]:
    failures: list[str] = []
    with desk.db.read_raw() as raw:
        integrity = [r[0] for r in raw.execute("PRAGMA integrity_check")]
        if integrity != ["ok"]:
            failures.append(f"O5 {desk.name}: integrity_check {integrity}")
        broken = raw.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            failures.append(f"O5 {desk.name}: foreign_key_check {broken[:5]}")
        cursor = protocol.parse_cursor(store.get(raw, Key.CURSOR) or protocol.START_CURSOR)
        reset_copy = store.get(raw, Key.LAST_RESET)
        held = raw.execute("SELECT tbl, pk, version FROM sync_row_version").fetchall()
    if cursor < marks.cursor and reset_copy == marks.reset_copy:
        failures.append(f"O4 {desk.name}: cursor moved back {marks.cursor} -> {cursor} without a reset")
    marks.cursor, marks.reset_copy = cursor, reset_copy
    for tbl, pk, version in held:
        top = server_versions.get((tbl, pk))
        if top is not None and int(version) > top:
            failures.append(f"O4 {desk.name}: holds {tbl}/{pk} at version {version} > server {top}")
    return failures


def server_versions(server: SoakServer) -> dict[tuple[str, str], int]:
    """The server's ``row_version`` of every synced row (one query)."""
    sql = " UNION ALL ".join(f"SELECT '{tbl}', id::text, row_version FROM {tbl}"
                             for tbl in (*catalog.SYNCED_TABLES, "sync_conflict"))
    with server.engine.connect() as conn:
        return {(tbl, pk): int(version) for tbl, pk, version in conn.execute(text(sql))}


def feed_settled(server: SoakServer) -> bool:
    """Every feed entry is below the watermark (no running transaction holds one back)."""
    with server.engine.connect() as conn:
        return conn.execute(text(
            "SELECT NOT EXISTS (SELECT 1 FROM sync_change WHERE txid >= pg_snapshot_xmin(pg_current_snapshot()))"
        )).scalar_one() is True


# -- the captured ops -----------------------------------------------------------------------------
@dataclass(frozen=True)
class CapturedOp:
    device_id: str
    op_id: int
    tbl: str
    pk: str
    kind: str
    changed: dict[str, list[Any]]
    sha256: str


def captured(desk: SoakDesk) -> list[CapturedOp]:
    """The desk's journal entries since the run began that travel as ops."""
    ops: list[CapturedOp] = []
    with desk.db.read_raw() as raw:
        rows = raw.execute("SELECT seq, tx_id, tbl, pk, kind, changed, user_id, hlc FROM change_journal"
                           " WHERE seq >= ? ORDER BY seq", (desk.first_op,)).fetchall()
    for seq, tx_id, tbl, pk, kind, changed_text, user_id, hlc in rows:
        changed = _wire_changed(tbl, kind, changed_text)
        if changed is None:
            continue
        op = {"op_id": seq, "tx_id": tx_id, "tbl": tbl, "pk": pk, "kind": kind, "changed": changed,
              "user_id": user_id, "hlc": hlc}
        ops.append(CapturedOp(desk.device_id, seq, tbl, pk, kind, changed, protocol.op_sha256(op)))
    return ops


def parked(desk: SoakDesk) -> dict[int, str]:
    with desk.db.read_raw() as raw:
        return {int(op_id): str(reason) for op_id, reason in raw.execute("SELECT op_id, reason FROM sync_rejected")}


@dataclass(frozen=True)
class ServerOp:
    device_id: str
    op_id: int
    sha256: str
    status: str
    result: dict[str, Any]
    order: tuple[int, int]


def server_ops(server: SoakServer) -> dict[tuple[str, int], ServerOp]:
    with server.engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT device_id::text AS d, op_id, encode(payload_sha256, 'hex') AS sha, status, result,"
            " server_txid::text::bigint AS txid FROM sync_applied_op"))
        return {(r.d, int(r.op_id)): ServerOp(r.d, int(r.op_id), r.sha, r.status, r.result, (int(r.txid), r.op_id))
                for r in rows}


# -- O1: exactly once -----------------------------------------------------------------------------
def check_o1(desks: Sequence[SoakDesk], server: SoakServer) -> list[str]:
    failures: list[str] = []
    on_server = server_ops(server)
    known: set[tuple[str, int]] = set()
    for desk in desks:
        rejected = parked(desk)
        for op in captured(desk):
            key = (op.device_id, op.op_id)
            known.add(key)
            applied = on_server.get(key)
            if applied is None:
                if op.op_id not in rejected:
                    failures.append(f"O1 {desk.name}: op {op.op_id} ({op.tbl} {op.kind}) never reached the server")
                continue
            if applied.sha256 != op.sha256:
                failures.append(f"O1 {desk.name}: op {op.op_id} applied with another payload")
            if op.op_id in rejected and applied.status != protocol.REJECTED:
                failures.append(f"O1 {desk.name}: op {op.op_id} parked on the desk but {applied.status} on the server")
    for key, answered in on_server.items():
        if key not in known:
            failures.append(f"O1: the server applied op {key} that no desk captured ({answered.status})")
    return failures


# -- O2: no silent loss ---------------------------------------------------------------------------
def check_o2(desks: Sequence[SoakDesk], server: SoakServer) -> list[str]:
    failures: list[str] = []
    on_server = server_ops(server)
    ops = [(desk, op, on_server.get((op.device_id, op.op_id))) for desk in desks for op in captured(desk)]
    decided = _decided(server)
    ops = [(desk, _as_write(op, decided), applied) for desk, op, applied in ops]
    writes: dict[tuple[str, str, str], list[tuple[int, int]]] = {}  # (tbl, pk, field) -> orders that wrote it
    for _desk, op, applied in ops:
        if applied is not None and applied.status != protocol.REJECTED:
            for name in op.changed:
                writes.setdefault((op.tbl, op.pk, name), []).append(applied.order)
    conflicts = _conflicts(server)
    finals = _final_rows(server, {(op.tbl, op.pk) for _, op, _ in ops if op.tbl in catalog.CATALOG})
    for desk, op, applied in ops:
        rejected = parked(desk)
        if applied is None or applied.status == protocol.REJECTED:
            if op.op_id not in rejected:
                failures.append(f"O2 {desk.name}: op {op.op_id} rejected on the server but not parked on the desk")
            continue
        if op.tbl not in catalog.CATALOG:
            continue  # a decision that wrote nothing (keep current)
        spec = catalog.CATALOG[op.tbl]
        merged = applied.result.get("merged") or {}
        final = finals.get((op.tbl, op.pk))
        for name, (_old, new) in op.changed.items():
            field = spec.fields.get(name)
            if field is None or field.cls is FieldClass.SERVER or name in merged:
                continue
            if final is not None and normalize(spec.kinds[name], new) == final.get(name):
                continue
            if any(order > applied.order for order in writes.get((op.tbl, op.pk, name), [])):
                continue
            if (op.tbl, op.pk, name, op.device_id, op.op_id) in conflicts:
                continue
            if field.cls is FieldClass.RULE and final is not None:
                continue  # a rule (max, earliest, restrictive) decided against it: recorded when it merged
            failures.append(f"O2 {desk.name}: op {op.op_id} wrote {op.tbl}.{name}={new!r} on {op.pk};"
                            f" the server has {None if final is None else final.get(name)!r},"
                            f" with no later write, conflict or parking ({applied.status})")
    return failures


def _decided(server: SoakServer) -> dict[str, tuple[str, str, str]]:
    """Every conflict record: id -> (tbl, pk, field) of the value it is about."""
    with server.engine.connect() as conn:
        return {r.id: (r.tbl, r.pk, r.field) for r in conn.execute(text(
            "SELECT id::text AS id, tbl, pk::text AS pk, field FROM sync_conflict"))}


def _as_write(op: CapturedOp, decided: dict[str, tuple[str, str, str]]) -> CapturedOp:
    """A ``resolve`` op as the write it asks for: the chosen value into the conflict's field (``keep_current``
    asks for none); any other op as it is. A conflict it opens names the resolve op, as an edit's does."""
    if op.kind != "resolve":
        return op
    choice = op.changed.get("choice", [None, None])[1]
    about = decided.get(op.pk)
    if about is None or choice == protocol.KEEP_CURRENT:
        return dataclasses.replace(op, tbl=protocol.CONFLICT_TABLE, changed={})
    tbl, pk, name = about
    return dataclasses.replace(op, tbl=tbl, pk=pk, changed={name: op.changed["value"]})


def _conflicts(server: SoakServer) -> set[tuple[str, str, str, str, int]]:
    with server.engine.connect() as conn:
        return {(r.tbl, r.pk, r.field, r.d, int(r.op_id)) for r in conn.execute(text(
            "SELECT tbl, pk::text AS pk, field, device_id::text AS d, op_id FROM sync_conflict"))}


def _final_rows(server: SoakServer, keys: set[tuple[str, str]]) -> dict[tuple[str, str], dict[str, Any]]:
    by_table: dict[str, list[str]] = {}
    for tbl, pk in keys:
        by_table.setdefault(tbl, []).append(pk)
    found: dict[tuple[str, str], dict[str, Any]] = {}
    with server.engine.connect() as conn:
        for tbl, pks in by_table.items():
            spec = catalog.CATALOG[tbl]
            for row in conn.execute(text(f"SELECT * FROM {tbl} WHERE id::text = ANY(:ids)"), {"ids": pks}).mappings():
                found[(tbl, str(row["id"]))] = {c: from_python(spec.kinds[c], row[c]) for c in spec.wire_columns}
    return found


# -- O3: convergence ------------------------------------------------------------------------------
def check_o3(desk: SoakDesk, server: SoakServer, branch_id: str) -> list[str]:
    failures: list[str] = []
    with desk.db.read_raw() as raw:
        pending = store.counts(raw).pending
        local_only = {(tbl, pk) for tbl, pk in raw.execute("SELECT tbl, pk FROM sync_rejected WHERE kind = 'insert'")}
    if pending:
        failures.append(f"O3 {desk.name}: {pending} ops still in the outbox")
    scopes = (branch_id, GLOBAL_SCOPE)
    for tbl in catalog.SYNCED_TABLES:
        theirs = _server_table(server, tbl, scopes)
        ours = {pk: row for pk, row in _desk_table(desk, tbl).items() if (tbl, pk) not in local_only}
        if ours != theirs:
            failures.append(f"O3 {desk.name}: {tbl} differs from the server: {_diff(ours, theirs)}")
    with desk.db.read_raw() as raw:
        cur = raw.execute(f"SELECT {', '.join(CONFLICT_COLUMNS)} FROM sync_conflict")
        ours_c = {r[0]: tuple(r) for r in cur.fetchall()}
    with server.engine.connect() as conn:
        cols = ", ".join(f"{c}::text" if c in ("id", "pk") else c for c in CONFLICT_COLUMNS)
        theirs_c = {r[0]: tuple(r) for r in conn.execute(
            text(f"SELECT {cols} FROM sync_conflict WHERE branch_id = :b"), {"b": branch_id})}
    if ours_c != theirs_c:
        failures.append(f"O3 {desk.name}: sync_conflict differs: {_diff(ours_c, theirs_c)}")
    return failures


def _desk_table(desk: SoakDesk, tbl: str) -> dict[str, dict[str, Any]]:
    spec = catalog.CATALOG[tbl]
    with desk.db.read_raw() as raw:
        cur = raw.execute(f"SELECT id, {', '.join(spec.wire_columns)} FROM {tbl}")
        return {str(r[0]): {c: from_python(spec.kinds[c], v) for c, v in zip(spec.wire_columns, r[1:], strict=True)}
                for r in cur.fetchall()}


def _server_table(server: SoakServer, tbl: str, scopes: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    spec = catalog.CATALOG[tbl]
    sql = f"SELECT t.*, {scope_sql(tbl, 't')} AS _scope FROM {tbl} t"
    with server.engine.connect() as conn:
        rows = conn.execute(text(sql)).mappings().all()
    return {str(r["id"]): {c: from_python(spec.kinds[c], r[c]) for c in spec.wire_columns}
            for r in rows if r["_scope"] in scopes}


def _diff(ours: dict[str, Any], theirs: dict[str, Any]) -> str:
    only_ours = sorted(set(ours) - set(theirs))[:3]
    only_theirs = sorted(set(theirs) - set(ours))[:3]
    changed = []
    for pk in sorted(set(ours) & set(theirs)):
        if ours[pk] != theirs[pk]:
            a, b = ours[pk], theirs[pk]
            fields = {k: (a[k], b[k]) for k in a if a[k] != b.get(k)} if isinstance(a, dict) else (a, b)
            changed.append(f"{pk}: {fields}")
    return json.dumps({"desk_only": only_ours, "server_only": only_theirs, "changed": changed[:3]},
                      ensure_ascii=False, default=str)
