"""``POST /v1/sync/push``: apply a device's ops exactly once, in order, in one PostgreSQL transaction.

Per push (design note §6): check epoch, schema and revocation; lock the device row (``FOR UPDATE``,
so two loops of one device serialise); then per op: dedupe by ``(device_id, op_id)`` with the payload
hash (same hash: ``duplicate`` and the stored result; other hash: 409 ``op_id_reuse``, nothing kept),
the FIFO chain (``prev_op_id`` must equal the device's ``last_op_id``, else 422 ``gap`` after
committing what was done), re-authorisation (author active in the device's branch with a writing
role, row in scope, field writable), the three-way merge per field, conflict records for class H,
and the ``sync_applied_op`` row. Ops sharing a ``tx_id`` run under one savepoint: a rejection
rejects the group and every later op of the push on the same record. ``rows`` carries the
post-apply state of every record the push touched, duplicates included (the write checkpoint).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from crm_desktop.server import rows as server_rows
from crm_desktop.server.apply import ApplyContext, Rejection, apply_op
from crm_desktop.server.auth import Principal, load_device
from crm_desktop.server.db import get_meta
from crm_desktop.server.errors import ApiError
from crm_desktop.server.resolve import resolve_op
from crm_desktop.sync import protocol
from crm_desktop.sync.catalog import GLOBAL_SCOPE
from crm_desktop.sync.protocol import ErrorCode, OpResult, PushResponse, Reason, Row


@dataclass
class PushOutcome:
    response: PushResponse
    gap_expected: int | None = None  # set when the push stopped at a gap (answer 422 after committing)


class NeedsCareful(Exception):
    """A database error without a savepoint to roll back to: run the push again with one per group."""


@dataclass
class _Batch:
    ctx: ApplyContext
    careful: bool
    touched: dict[tuple[str, str], int] = field(default_factory=dict)  # (tbl, pk) -> version when deleted
    applied_rows: list[dict[str, Any]] = field(default_factory=list)


def check_versions(conn: Connection, epoch: str, schema_version: int) -> None:
    """409 on another server incarnation, 426 on a schema outside ``[min_schema_version, SCHEMA_VERSION]``."""
    if epoch != get_meta(conn, "server_epoch"):
        raise ApiError(ErrorCode.EPOCH_MISMATCH, server_epoch=get_meta(conn, "server_epoch"))
    low = int(get_meta(conn, "min_schema_version") or protocol.MIN_SCHEMA_VERSION)
    if not low <= schema_version <= protocol.SCHEMA_VERSION:
        raise ApiError(ErrorCode.UPGRADE_REQUIRED, min_schema_version=low, schema_version=protocol.SCHEMA_VERSION)


def push(conn: Connection, principal: Principal, body: Mapping[str, Any], *, careful: bool = False) -> PushOutcome:
    """Apply one push inside the caller's transaction (the caller commits, also when a gap is reported).

    Ops of a multi-op group always run under a savepoint. A single op runs under one only when
    ``careful``: without it a database error (a constraint) raises ``NeedsCareful`` and the caller
    reruns the whole push, in a new transaction, with ``careful=True``. Errors are rare, savepoints
    cost two round trips per op.
    """
    if body["device_id"] != principal.device_id:
        raise ApiError(ErrorCode.DEVICE_MISMATCH)
    ops: list[dict[str, Any]] = list(body["ops"])
    if len(ops) > protocol.MAX_PUSH_OPS:
        raise ApiError(ErrorCode.TOO_LARGE, max_ops=protocol.MAX_PUSH_OPS)
    check_versions(conn, body["server_epoch"], int(body["schema_version"]))
    device = load_device(conn, principal, lock=True)
    ctx = ApplyContext(conn, principal.device_id, str(device.branch_id), datetime.now(UTC))
    batch = _Batch(ctx, careful)
    last = int(device.last_op_id)
    ctx.prefetch((op["tbl"], op["pk"]) for op in ops if int(op["op_id"]) > last)
    stored = _stored_results(conn, ctx.device_id, [int(op["op_id"]) for op in ops])
    results: list[OpResult] = []
    gap: int | None = None
    rejected_pks: set[tuple[str, str]] = set()
    i = 0
    while i < len(ops):
        op = ops[i]
        op_id = int(op["op_id"])
        digest = protocol.op_sha256(op)
        if op_id <= last:
            results.append(_duplicate(op, digest, stored.get(op_id)))
            batch.touched.setdefault((op["tbl"], op["pk"]), 0)
            i += 1
            continue
        if int(op["prev_op_id"]) != last:
            gap = last
            break
        group = [op]
        while i + len(group) < len(ops) and ops[i + len(group)]["tx_id"] == op["tx_id"] \
                and int(ops[i + len(group)]["prev_op_id"]) == int(ops[i + len(group) - 1]["op_id"]) \
                and int(ops[i + len(group)]["op_id"]) > last:
            group.append(ops[i + len(group)])
        results += _apply_group(conn, batch, group, rejected_pks)
        last = int(group[-1]["op_id"])
        i += len(group)
    if batch.applied_rows:
        conn.execute(
            text("INSERT INTO sync_applied_op(device_id, op_id, payload_sha256, user_id, client_hlc, tbl, pk, status,"
                 " result) VALUES (:device_id, :op_id, :sha, :user_id, :hlc, :tbl, :pk, :status,"
                 " CAST(:result AS jsonb))"),
            batch.applied_rows,
        )
    conn.execute(
        text("UPDATE sync_device SET last_op_id = :last, last_seen_at = now(), client_version = :v,"
             " schema_version = :s WHERE device_id = :d"),
        {"last": last, "v": body.get("client_version"), "s": int(body["schema_version"]), "d": ctx.device_id},
    )
    response: PushResponse = {"acked_through": last, "results": results, "rows": _checkpoint(conn, batch),
                               "batch_id": str(body.get("batch_id") or "")}
    return PushOutcome(response, gap)


def _stored_results(conn: Connection, device_id: str, op_ids: list[int]) -> dict[int, tuple[bytes, dict[str, Any]]]:
    if not op_ids:
        return {}
    found = conn.execute(
        text("SELECT op_id, payload_sha256, result FROM sync_applied_op WHERE device_id = :d AND op_id = ANY(:ids)"),
        {"d": device_id, "ids": op_ids},
    )
    return {int(r.op_id): (bytes(r.payload_sha256), r.result) for r in found}


def _duplicate(op: Mapping[str, Any], digest: str, stored: tuple[bytes, dict[str, Any]] | None) -> OpResult:
    if stored is not None and stored[0] != bytes.fromhex(digest):
        raise ApiError(ErrorCode.OP_ID_REUSE, op_id=int(op["op_id"]))
    result: OpResult = {"op_id": int(op["op_id"]), "status": "duplicate", "applied_fields": [], "row_version": None,
                        "conflicts": []}
    if stored is not None:
        original = stored[1]
        result.update({k: v for k, v in original.items() if k not in ("op_id", "status")})  # type: ignore[typeddict-item]
        result["original_status"] = original.get("status")  # type: ignore[typeddict-unknown-key]
    return result


def _apply_group(conn: Connection, batch: _Batch, group: list[dict[str, Any]],
                 rejected_pks: set[tuple[str, str]]) -> list[OpResult]:
    """Apply the ops of one local transaction under a savepoint; one rejection rejects them all."""
    results: list[OpResult] = []
    failed: Rejection | None = None
    failed_op: int | None = None
    savepoint = conn.begin_nested() if batch.careful or len(group) > 1 else None
    try:
        for op in group:
            key = (op["tbl"], op["pk"])
            if key in rejected_pks:
                raise Rejection(Reason.SAME_RECORD)
            if op["kind"] == "resolve":
                result, record = resolve_op(batch.ctx, op)
                results.append(result)
                batch.touched.setdefault(record, 0)  # the decided record goes back in the checkpoint too
            else:
                results.append(apply_op(batch.ctx, op))
            batch.touched.setdefault(key, 0)
            for conflict in results[-1]["conflicts"]:
                batch.touched.setdefault(("sync_conflict", conflict["conflict_id"]), 0)
            if op["kind"] == "purge":
                batch.touched[key] = int(results[-1]["row_version"] or 1)
    except Rejection as exc:
        failed, failed_op = exc, int(op["op_id"])
    except IntegrityError as exc:
        if savepoint is None:
            raise NeedsCareful from exc
        failed, failed_op = Rejection.from_integrity(exc), int(op["op_id"])
    except DBAPIError as exc:  # a value PostgreSQL refuses (too long, out of range): the op is bad, not the server
        if exc.connection_invalidated or savepoint is None:
            raise NeedsCareful from exc
        failed, failed_op = Rejection(Reason.BAD_VALUE, detail=str(exc.orig).splitlines()[0]), int(op["op_id"])
    if failed is None:
        if savepoint is not None:
            savepoint.commit()
    else:
        if savepoint is not None:
            savepoint.rollback()
        for op in group:
            batch.ctx.rows.pop((op["tbl"], op["pk"]), None)
        results = []
        for op in group:
            rejection = failed if int(op["op_id"]) == failed_op else Rejection(Reason.GROUP)
            results.append(rejection.result(int(op["op_id"])))
            rejected_pks.add((op["tbl"], op["pk"]))
            batch.touched.setdefault((op["tbl"], op["pk"]), 0)
    for op, result in zip(group, results, strict=True):
        batch.applied_rows.append({
            "device_id": batch.ctx.device_id, "op_id": int(op["op_id"]), "sha": bytes.fromhex(protocol.op_sha256(op)),
            "user_id": str(op["user_id"]), "hlc": op.get("hlc"), "tbl": op["tbl"], "pk": op["pk"],
            "status": result["status"], "result": json.dumps(result, ensure_ascii=False),
        })
    return results


def _checkpoint(conn: Connection, batch: _Batch) -> list[Row]:
    """The authoritative rows of everything the push touched (plus the conflict records it opened)."""
    scopes = (batch.ctx.branch_id, GLOBAL_SCOPE)
    by_table: dict[str, list[str]] = {}
    for tbl, pk in batch.touched:
        by_table.setdefault(tbl, []).append(pk)
    rows: list[Row] = []
    for tbl, pks in by_table.items():
        if tbl not in server_rows.KNOWN_TABLES:
            continue
        current = server_rows.fetch_wire(conn, tbl, pks)
        for pk in pks:
            row = server_rows.wire_row(tbl, pk, current.get(pk), scopes, deleted_version=batch.touched[(tbl, pk)])
            if row is not None:
                rows.append(row)
    return rows
