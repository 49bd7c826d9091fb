"""A clerk's decision on a conflict record (a ``resolve`` op, design note §9; wire shape in ``protocol``).

``keep_current`` closes the conflict. ``use_mine`` and ``edit`` write the chosen value through the same
three-way merge as any edit, with the conflict's server value as the base: the value lands only while
the field still holds what the clerk saw; if it moved again the merge opens a new conflict (never an
overwrite) and this one is marked ``superseded``. A conflict another desk already closed is never
reopened: keeping is then a no-op, and a different value meets the field's present value as a new
conflict. Every decision is re-authorised here (author active in the device's branch, a writing role
of the record's table, the conflict in the device's branch) and identity fields need a note.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy import text

from crm_desktop.models import new_id
from crm_desktop.server import rows as server_rows
from crm_desktop.server.apply import ApplyContext, Rejection, _json, _update, _wire
from crm_desktop.sync import catalog
from crm_desktop.sync.catalog import GLOBAL_SCOPE
from crm_desktop.sync.protocol import (
    CONFLICT_TABLE,
    KEEP_CURRENT,
    RESOLVE_CHOICES,
    OpResult,
    Reason,
    needs_note,
)


def _pair(changed: Mapping[str, Any], name: str) -> list[Any]:
    pair = changed.get(name)
    if not isinstance(pair, list) or len(pair) != 2:
        raise Rejection(Reason.BAD_VALUE, field=name)
    return pair


def resolve_op(ctx: ApplyContext, op: Mapping[str, Any]) -> tuple[OpResult, tuple[str, str]]:
    """Apply one resolve op; returns its result and the record it decided on (for the write checkpoint)."""
    if op["tbl"] != CONFLICT_TABLE:
        raise Rejection(Reason.UNKNOWN_TABLE)
    changed: Mapping[str, Any] = op["changed"]
    choice = _pair(changed, "choice")[1]
    _seen, value = _pair(changed, "value")  # the conflict row holds the authoritative seen value
    note = _pair(changed, "note")[1]
    if choice not in RESOLVE_CHOICES:
        raise Rejection(Reason.BAD_VALUE, field="choice")
    if note is not None and not isinstance(note, str):
        raise Rejection(Reason.BAD_VALUE, field="note")
    note = (note or "").strip() or None
    role = ctx.author_role(str(op["user_id"]))
    found = ctx.conn.execute(text("SELECT * FROM sync_conflict WHERE id = :id FOR UPDATE"),
                             {"id": op["pk"]}).mappings().first()
    if found is None:
        raise Rejection(Reason.NOT_FOUND)
    conflict: dict[str, Any] = dict(found)
    if conflict["branch_id"] != ctx.branch_id:
        raise Rejection(Reason.NOT_IN_SCOPE)
    spec = catalog.CATALOG.get(conflict["tbl"])
    if spec is None:
        raise Rejection(Reason.UNKNOWN_TABLE)
    name = str(conflict["field"])
    if role not in spec.writers:
        raise Rejection(Reason.ROLE)
    if not spec.writable(name):
        raise Rejection(Reason.SERVER_FIELD, field=name)
    if needs_note(spec.name, name) and note is None:
        raise Rejection(Reason.NOTE_REQUIRED, field=name)
    key = (spec.name, str(conflict["pk"]))
    is_open = conflict["status"] == "open"
    try:
        current = ctx.row(*key)
        if current is None:
            raise Rejection(Reason.NOT_FOUND)
        if current["_scope"] not in (ctx.branch_id, GLOBAL_SCOPE):
            raise Rejection(Reason.NOT_IN_SCOPE)
        present = server_rows.from_db(spec, name, current[name])
        chosen = present if choice == KEEP_CURRENT else _wire(spec, name, value)
        result: OpResult = {"op_id": int(op["op_id"]), "status": "applied", "applied_fields": [],
                            "row_version": int(current["row_version"]), "conflicts": []}
        if chosen == present:  # keeping, or the chosen value is there already: nothing to write
            pass
        elif is_open:  # the merge writes only while the field holds the value the clerk saw
            base = _wire(spec, name, conflict["server_value"], validate=False)
            stamps = {"changed_by": str(op["user_id"]), "changed_device": ctx.device_id, "updated_at": ctx.now}
            result = _update(ctx.conn, spec, {**op, "pk": key[1]}, {name: [base, chosen]}, current, stamps,
                             ctx.branch_id)
        else:  # another desk decided already: a different value is a new question, never an overwrite
            new_id_ = _open_conflict(ctx, op, conflict, present, chosen, current.get("changed_by"))
            result = {**result, "status": "conflict", "conflicts": [{"field": name, "conflict_id": new_id_}]}
    finally:
        ctx.rows.pop(key, None)
    if is_open:
        superseded = result["conflicts"][0]["conflict_id"] if result["conflicts"] else None
        resolution = {"choice": choice, "value": chosen, "device_id": ctx.device_id, "op_id": int(op["op_id"])}
        if superseded:
            resolution["superseded_by"] = superseded
        ctx.conn.execute(
            text("UPDATE sync_conflict SET status = :s, resolved_by = :u, resolved_at = :at,"
                 " resolution = CAST(:r AS jsonb), note = :n WHERE id = :id"),
            {"s": "superseded" if superseded else "resolved", "u": str(op["user_id"]), "at": ctx.now,
             "r": json.dumps(resolution, ensure_ascii=False), "n": note, "id": op["pk"]},
        )
    return result, key


def _open_conflict(ctx: ApplyContext, op: Mapping[str, Any], conflict: Mapping[str, Any], present: Any,
                   chosen: Any, server_author: str | None) -> str:
    conflict_id = new_id()
    ctx.conn.execute(
        text("INSERT INTO sync_conflict(id, branch_id, tbl, pk, field, base, server_value, client_value,"
             " server_author, client_author, device_id, op_id, client_hlc) VALUES (:id, :b, :t, :pk, :f,"
             " CAST(:base AS jsonb), CAST(:cur AS jsonb), CAST(:new AS jsonb), :sa, :ca, :d, :op, :hlc)"),
        {"id": conflict_id, "b": conflict["branch_id"], "t": conflict["tbl"], "pk": conflict["pk"],
         "f": conflict["field"], "base": _json(conflict["server_value"]), "cur": _json(present),
         "new": _json(chosen), "sa": server_author, "ca": str(op["user_id"]), "d": ctx.device_id,
         "op": int(op["op_id"]), "hlc": op.get("hlc")},
    )
    return conflict_id


__all__ = ["resolve_op"]
