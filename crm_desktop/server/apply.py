"""One op against the server's current row: re-authorise, validate, merge per field, write.

Raises ``Rejection`` (a reason code plus a Persian message for the clerk's "couldn't save" list)
for anything the desk must fix; the caller rolls the op's group back.

Merges of duplicate customers (``merged_into``, server-owned) go through ``merges``: a desk's merge or its
undo sets it, a child created on a merged record is re-pointed to the survivor, and an edit of a merged
record is carried over to the survivor (see that module for the policy).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Connection, Insert, bindparam, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.dml import ReturningUpdate

from crm_desktop.errors import CrmError
from crm_desktop.models import new_id
from crm_desktop.models.enums import Role
from crm_desktop.persian import (
    validate_company_id,
    validate_mobile,
    validate_national_id,
    validate_postal_code,
)
from crm_desktop.server import merges
from crm_desktop.server import rows as server_rows
from crm_desktop.server.auth import UNUSABLE_PASSWORD
from crm_desktop.server.schema import scope_sql, table_of
from crm_desktop.sync import catalog
from crm_desktop.sync.catalog import GLOBAL_SCOPE, FieldClass, TableSpec
from crm_desktop.sync.derive import DERIVED
from crm_desktop.sync.merge import Action, merge_row
from crm_desktop.sync.protocol import FieldConflict, OpResult, Reason
from crm_desktop.sync.values import normalize, to_python

MESSAGES: dict[str, str] = {
    Reason.NOT_IN_SCOPE: "این پرونده در حوزهٔ شعبهٔ این دستگاه نیست.",
    Reason.ROLE: "نقش کاربر اجازهٔ این تغییر را ندارد.",
    Reason.SERVER_FIELD: "فیلد «{field}» را فقط سرور مرکزی تغییر می‌دهد.",
    Reason.UNKNOWN_TABLE: "نوع این رکورد برای سرور ناشناخته است.",
    Reason.UNKNOWN_FIELD: "فیلد «{field}» برای سرور ناشناخته است.",
    Reason.BAD_VALUE: "مقدار «{field}» پذیرفته نشد.",
    Reason.NOT_FOUND: "این پرونده یا پروندهٔ مرتبط با آن روی سرور پیدا نشد.",
    Reason.EXISTS: "پرونده‌ای با همین شناسه روی سرور هست.",
    Reason.CONSTRAINT: "این تغییر با قواعد داده‌های سرور سازگار نیست.",
    Reason.USER_INACTIVE: "کاربر ثبت‌کنندهٔ این تغییر فعال نیست یا در این شعبه نقشی ندارد.",
    Reason.GROUP: "تغییر دیگری از همان ذخیره پذیرفته نشد؛ این تغییر هم ذخیره نشد.",
    Reason.SAME_RECORD: "تغییر پیشینِ همین پرونده پذیرفته نشد؛ این تغییر هم ذخیره نشد.",
    Reason.NO_DELETE: "این پرونده حذف نمی‌شود؛ فقط بایگانی می‌شود.",
    Reason.MOVE_BRANCH: "انتقال پرونده به شعبهٔ دیگر فقط در دفتر مرکزی انجام می‌شود.",
    Reason.NOTE_REQUIRED: "برای تصمیم دربارهٔ یک فیلد هویتی نوشتن دلیل لازم است.",
}

#: Constraint name -> a clearer Persian message than the generic one.
CONSTRAINT_MESSAGES: dict[str, str] = {
    "uq_customer_national_id_live": "مشتری دیگری با همین کد ملی روی سرور ثبت شده است.",
    "uq_customer_company_id_live": "مشتری دیگری با همین شناسهٔ ملی شرکت روی سرور ثبت شده است.",
    "uq_service_request_number": "شمارهٔ این درخواست روی سرور تکراری است.",
    "uq_app_user_username": "نام کاربری تکراری است.",
    "uq_branch_code": "کد شعبه تکراری است.",
}

#: Fields the server validates again (the desk's check does not count).
VALIDATORS: dict[tuple[str, str], Callable[[object], str]] = {
    ("customer", "national_id"): validate_national_id,
    ("customer", "company_id"): validate_company_id,
    ("customer", "mobile"): validate_mobile,
    ("customer", "postal_code"): validate_postal_code,
}

#: Kinds of op that need more than a writer role (soft-deleting a customer is a manager's act).
DELETE_ROLES: dict[str, frozenset[str]] = {"customer": frozenset({Role.MANAGER, Role.ADMIN})}


class Rejection(Exception):
    def __init__(self, reason: str, *, field: str | None = None, detail: str | None = None) -> None:
        message = MESSAGES[reason].format(field=field or "")
        if detail:
            message = f"{message} {detail}"
        super().__init__(message)
        self.reason, self.message, self.field = reason, message, field

    @classmethod
    def from_integrity(cls, exc: IntegrityError) -> Rejection:
        diag = getattr(exc.orig, "diag", None)
        name = getattr(diag, "constraint_name", None) or ""
        rejection = cls(Reason.CONSTRAINT)
        if name in CONSTRAINT_MESSAGES:
            rejection.message = CONSTRAINT_MESSAGES[name]
        elif getattr(exc.orig, "sqlstate", "") == "23503":
            rejection = cls(Reason.NOT_FOUND)
        rejection.field = getattr(diag, "column_name", None) or rejection.field
        return rejection

    def result(self, op_id: int) -> OpResult:
        result: OpResult = {"op_id": op_id, "status": "rejected", "applied_fields": [], "row_version": None,
                            "conflicts": [], "reason": self.reason, "message": self.message}
        return result


@dataclass
class ApplyContext:
    """One push: the device, its branch (from the device row), and per-push caches of authors and rows."""

    conn: Connection
    device_id: str
    branch_id: str
    now: datetime
    authors: dict[str, str | None] = field(default_factory=dict)
    rows: dict[tuple[str, str], Mapping[str, Any] | None] = field(default_factory=dict)

    def prefetch(self, keys: Iterable[tuple[str, str]]) -> None:
        """Lock and cache the current rows an upcoming batch touches, one query per table."""
        by_table: dict[str, set[str]] = {}
        for tbl, pk in keys:
            if tbl in catalog.CATALOG and (tbl, pk) not in self.rows:
                by_table.setdefault(tbl, set()).add(pk)
        for tbl, pks in by_table.items():
            found = server_rows.fetch(self.conn, tbl, sorted(pks), lock=True)
            for pk in pks:
                self.rows[(tbl, pk)] = found.get(pk)

    def row(self, tbl: str, pk: str) -> Mapping[str, Any] | None:
        if (tbl, pk) not in self.rows:
            self.rows[(tbl, pk)] = server_rows.fetch(self.conn, tbl, [pk], lock=True).get(pk)
        return self.rows[(tbl, pk)]

    def author_role(self, user_id: str) -> str:
        """The op author's role; the author must be active and belong to the device's branch."""
        if user_id not in self.authors:
            row = self.conn.execute(text("SELECT role, branch_id, active, deleted_at FROM app_user WHERE id = :u"),
                                    {"u": user_id}).first()
            ok = row is not None and row.active and row.deleted_at is None and row.branch_id == self.branch_id
            self.authors[user_id] = str(row.role) if ok and row is not None else None
        role = self.authors[user_id]
        if role is None:
            raise Rejection(Reason.USER_INACTIVE)
        return role


def _wire(spec: TableSpec, name: str, value: Any, *, validate: bool = True) -> Any:
    try:
        result = normalize(spec.kinds[name], value)
        if validate and result is not None and (spec.name, name) in VALIDATORS:
            result = VALIDATORS[(spec.name, name)](result)
        return result
    except CrmError as exc:
        raise Rejection(Reason.BAD_VALUE, field=name, detail=exc.message) from exc
    except (ValueError, TypeError) as exc:
        raise Rejection(Reason.BAD_VALUE, field=name) from exc


def _scope_of_new(conn: Connection, spec: TableSpec, values: Mapping[str, Any]) -> str:
    if spec.is_global:
        return GLOBAL_SCOPE
    if spec.scope_column is not None:
        return str(values.get(spec.scope_column))
    assert spec.parent is not None
    fk, parent = spec.parent
    scope = conn.execute(text(f"SELECT {scope_sql(parent, 'p')} FROM {parent} p WHERE p.id = :id"),
                         {"id": values.get(fk)}).scalar()
    if scope is None:
        raise Rejection(Reason.NOT_FOUND)
    return str(scope)


def _bind(spec: TableSpec, values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: to_python(spec.kinds[k], v) if spec.kinds.get(k) is not None else v for k, v in values.items()}


def apply_op(ctx: ApplyContext, op: Mapping[str, Any]) -> OpResult:
    """Apply one op (the caller handles savepoints); the cached row of a written record is dropped."""
    try:
        return _apply(ctx, op)
    finally:
        ctx.rows.pop((op["tbl"], op["pk"]), None)


def _apply(ctx: ApplyContext, op: Mapping[str, Any]) -> OpResult:
    conn, device_id, branch_id, now = ctx.conn, ctx.device_id, ctx.branch_id, ctx.now
    spec = catalog.CATALOG.get(op["tbl"])
    if spec is None:
        raise Rejection(Reason.UNKNOWN_TABLE)
    kind = op["kind"]
    role = ctx.author_role(str(op["user_id"]))
    if role not in spec.writers or (kind == "delete" and role not in DELETE_ROLES.get(spec.name, spec.writers)):
        raise Rejection(Reason.ROLE)
    changed: dict[str, list[Any]] = dict(op["changed"])
    for name in changed:
        if name not in spec.fields:
            raise Rejection(Reason.UNKNOWN_FIELD, field=name)
    merge_pair = changed.pop("merged_into", None) if spec.name == "customer" else None
    current = ctx.row(spec.name, op["pk"])
    scopes = (branch_id, GLOBAL_SCOPE)
    stamps = {"changed_by": str(op["user_id"]), "changed_device": device_id, "updated_at": now}
    if current is None:
        if kind != "insert":
            raise Rejection(Reason.NOT_FOUND)
        result = _insert(conn, spec, op, changed, scopes, stamps)
        return _merged_into(ctx, op, merge_pair, role, stamps, result)
    if current["_scope"] not in scopes:
        raise Rejection(Reason.NOT_IN_SCOPE)
    if kind == "purge":
        if spec.name in ("customer",):
            raise Rejection(Reason.NO_DELETE)
        conn.execute(text(f"DELETE FROM {spec.name} WHERE id = :id"), {"id": op["pk"]})
        return {"op_id": int(op["op_id"]), "status": "applied", "applied_fields": [],
                "row_version": int(current["row_version"]) + 1, "conflicts": []}
    if kind == "insert":  # a replay after a server restore, or a resend of a lost insert: merge from empty
        changed = {k: [None, v[1]] for k, v in changed.items()}
        merge_pair = None if merge_pair is None else [None, merge_pair[1]]
    result = _update(conn, spec, op, changed, current, stamps, branch_id)
    if merge_pair is not None:
        return _merged_into(ctx, op, merge_pair, role, stamps, result)
    if spec.name == "customer" and current.get("merged_into") is not None:
        return _forward_to_survivor(ctx, op, changed, stamps, result)
    return result


def _merged_into(ctx: ApplyContext, op: Mapping[str, Any], pair: list[Any] | None, role: str,
                 stamps: Mapping[str, Any], result: OpResult) -> OpResult:
    if pair is None:
        return result
    try:
        return merges.record_merge(ctx, op, pair, role, stamps, result)
    except merges.MergeRefused as exc:
        rejection = Rejection(exc.reason, field="merged_into")
        rejection.message = exc.message or rejection.message
        raise rejection from None


def _forward_to_survivor(ctx: ApplyContext, op: Mapping[str, Any], changed: Mapping[str, list[Any]],
                         stamps: Mapping[str, Any], result: OpResult) -> OpResult:
    return merges.forward_edit(ctx, op, changed, result,
                               lambda row, pk, pairs: _update(ctx.conn, catalog.CATALOG["customer"], {**op, "pk": pk},
                                                              pairs, row, stamps, ctx.branch_id))


def _insert(conn: Connection, spec: TableSpec, op: Mapping[str, Any], changed: Mapping[str, list[Any]],
            scopes: tuple[str, ...], stamps: Mapping[str, Any]) -> OpResult:
    values: dict[str, Any] = {}
    for name, (_old, new) in changed.items():
        field_spec = spec.fields[name]
        if field_spec.cls is FieldClass.SERVER:
            if field_spec.local or field_spec.derived or name in stamps or name == "version" or new is None:
                continue
            raise Rejection(Reason.SERVER_FIELD, field=name)
        values[name] = _wire(spec, name, new)
    values["id"] = op["pk"]
    repointed = merges.repoint_child(conn, spec.name, values)
    if _scope_of_new(conn, spec, values) not in scopes:
        raise Rejection(Reason.NOT_IN_SCOPE)
    if spec.name in DERIVED:
        values.update(DERIVED[spec.name](values))
    bound = _bind(spec, values)
    if "password_hash" in spec.fields:
        bound["password_hash"] = UNUSABLE_PASSWORD
    bound.update(stamps)
    bound.setdefault("created_at", stamps["updated_at"])
    version = conn.execute(_insert_statement(spec.name), bound).scalar_one()
    result: OpResult = {"op_id": int(op["op_id"]), "status": "merged" if repointed else "applied",
                        "applied_fields": sorted(changed), "row_version": version, "conflicts": []}
    if repointed:
        result["repointed"] = {"customer_id": repointed}  # type: ignore[typeddict-unknown-key]
    return result


def _update(conn: Connection, spec: TableSpec, op: Mapping[str, Any], changed: Mapping[str, list[Any]],
            current: Mapping[str, Any], stamps: Mapping[str, Any], branch_id: str) -> OpResult:
    pairs: dict[str, list[Any]] = {}
    for name, (old, new) in changed.items():
        if not spec.writable(name):
            raise Rejection(Reason.SERVER_FIELD, field=name)
        pairs[name] = [_wire(spec, name, old, validate=False), _wire(spec, name, new)]
    wire_current = {name: server_rows.from_db(spec, name, current[name]) for name in pairs}
    merged = merge_row(spec.fields, wire_current, pairs)
    updates = merged.updates
    if spec.scope_column in updates:
        raise Rejection(Reason.MOVE_BRANCH)
    table = table_of(spec.name)
    conflicts: list[FieldConflict] = []
    for name in merged.conflicts:
        conflict_id = new_id()
        conn.execute(
            text("INSERT INTO sync_conflict(id, branch_id, tbl, pk, field, base, server_value, client_value,"
                 " server_author, client_author, device_id, op_id, client_hlc) VALUES (:id, :b, :t, :pk, :f,"
                 " CAST(:base AS jsonb), CAST(:cur AS jsonb), CAST(:new AS jsonb), :sa, :ca, :d, :op, :hlc)"),
            {"id": conflict_id, "b": branch_id if current["_scope"] == GLOBAL_SCOPE else current["_scope"],
             "t": spec.name, "pk": op["pk"], "f": name,
             "base": _json(pairs[name][0]), "cur": _json(wire_current[name]), "new": _json(pairs[name][1]),
             "sa": current.get("changed_by"), "ca": str(op["user_id"]), "d": stamps["changed_device"],
             "op": int(op["op_id"]), "hlc": op.get("hlc")},
        )
        conflicts.append(FieldConflict(field=name, conflict_id=conflict_id))
    if updates:
        values = dict(updates)
        if spec.name in DERIVED:
            full = {k: server_rows.from_db(spec, k, current[k]) for k in spec.fields if k in current}
            values.update(DERIVED[spec.name]({**full, **values}))
        bound = {**_bind(spec, values), **stamps}
        version = int(conn.execute(_update_statement(spec.name), {**bound, "_pk": op["pk"]}).scalar_one())
    elif conflicts:  # nothing changes, but the losing desk must get the row back: re-assert it (new row_version)
        version = conn.execute(
            table.update().where(table.c.id == op["pk"]).values(row_version=table.c.row_version)
            .returning(table.c.row_version)
        ).scalar_one()
    else:
        version = int(current["row_version"])
    status = "conflict" if conflicts else ("merged" if merged.rules and any(
        m.action is Action.MERGED for m in merged.fields.values()) else "applied")
    result: OpResult = {"op_id": int(op["op_id"]), "status": status,  # type: ignore[typeddict-item]
                        "applied_fields": sorted(updates), "row_version": version, "conflicts": conflicts}
    rules = {k: str(m.rule) for k, m in merged.fields.items() if m.action is Action.MERGED}
    if rules:
        result["merged"] = rules
    return result


@cache
def _insert_statement(name: str) -> Insert:
    table = table_of(name)
    return table.insert().returning(table.c.row_version)


@cache
def _update_statement(name: str) -> ReturningUpdate[Any]:
    table = table_of(name)
    return table.update().where(table.c.id == bindparam("_pk")).returning(table.c.row_version)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)

