"""Merges of duplicate customers on the server: a desk's merge arrives as ordinary ops and must survive sync.

A merge on a desk (``MergeService.merge``) is one local transaction: the merged records become tombstones
(``deleted_at``, ``deleted_reason``, ``merged_into`` the survivor), the survivor takes the chosen values and
the children (interactions, service requests, products) move to it. ``merged_into`` is a server-owned column
(catalog class S): no clerk writes it. This module is the one door through which a desk's merge (or its undo)
sets it, and it keeps every desk converging while other desks still hold the merged records:

* **Setting ``merged_into``** (a merge, the re-pointing of an older tombstone, or an undo back to ``None``):
  only a manager or an administrator (anyone else meets it as a server-owned field); the survivor must
  exist in the device's branch, and the chain must not loop. The three-way rule still holds: the value the
  op expects (``old``) must be what the server holds, else the record was merged differently on another desk
  meanwhile and the whole merge is refused (parked on the desk with a Persian reason, the merge never half
  applied; the manager merges again from what is there now).
* **A merge sweeps** every child still on the merged record (one another desk added after the merging desk
  last synced) and every older tombstone pointing at it over to the final survivor, so nothing is left behind
  on a tombstone, whatever the order in which the desks sync.
* **A child created on a merged record** (an interaction logged or a request opened on a desk that had not
  heard of the merge) is re-pointed to the final survivor as it is inserted; the op's result says so
  (status ``merged``, ``repointed``) and the write checkpoint sends the row back with its new customer.
* **A field edit of a merged record** (made on a desk that still showed it live) lands on the tombstone, so
  the journal keeps it and an undo of the merge brings it back; and it is carried to the survivor through the
  same three-way merge: where the survivor still holds the value the editor started from, the edit applies to
  the survivor; where it holds another value (the manager kept a different one), the server value stays and a
  conflict opens on the survivor's field for the branch's conflict inbox. Nothing is silently lost, and the
  merge is never undone by an edit: ``merged_into`` and ``deleted_at`` of a tombstone are only ever changed by
  a merge or its undo.

Children *moved* by an update (the desk's own merge moves, an undo moving them back) are never re-pointed: an
undo moves its children back onto the record it revives within the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, text

from crm_desktop.models.enums import Role
from crm_desktop.sync import catalog
from crm_desktop.sync.catalog import GLOBAL_SCOPE, FieldClass
from crm_desktop.sync.protocol import OpResult

if TYPE_CHECKING:  # apply imports this module; the context is only a type here
    from crm_desktop.server.apply import ApplyContext

#: ``update(survivor_row, survivor_id, pairs)``: the server's three-way update of one customer (``apply._update``).
Update = Callable[[Mapping[str, Any], str, dict[str, list[Any]]], OpResult]

MERGE_ROLES = frozenset({str(Role.MANAGER), str(Role.ADMIN)})
#: Child tables whose rows follow their customer into the survivor (those the desk's merge moves).
CHILD_TABLES: tuple[str, ...] = tuple(
    name for name, spec in catalog.CATALOG.items() if spec.parent == ("customer_id", "customer")
)
#: Customer columns an edit of a tombstone never carries over to the survivor: who and where the record is,
#: and its own life cycle (deleting a tombstone must not delete the survivor).
NOT_FORWARDED = frozenset({"id", "created_at", "branch_id", "kind", "deleted_at", "deleted_reason", "merged_into"})
FORWARDED: frozenset[str] = frozenset(
    name for name, spec in catalog.CATALOG["customer"].fields.items()
    if spec.cls is not FieldClass.SERVER and name not in NOT_FORWARDED
)
MAX_CHAIN = 64  # a merge chain longer than this is a loop (each merge re-points older tombstones: chains are short)

MESSAGES = {
    "moved_on": "این پرونده در این فاصله روی دستگاه دیگری در پرونده دیگری ادغام یا از ادغام خارج شده است؛"
                " ادغام را با وضعیت کنونی پرونده‌ها دوباره انجام دهید.",
    "loop": "ادغام پرونده در خودش یا در پرونده‌ای که در آن ادغام شده است ممکن نیست.",
}


class MergeRefused(Exception):
    """A desk's merge op the server refuses: a ``Reason`` code plus, optionally, a key of ``MESSAGES``."""

    def __init__(self, reason: str, message: str | None = None) -> None:
        super().__init__(reason)
        self.reason, self.message = reason, MESSAGES.get(message or "")


@dataclass(frozen=True)
class MergeApplied:
    """What setting ``merged_into`` did: the value written, and the rows swept to the survivor."""

    value: str | None
    swept: dict[str, list[str]]  # table -> ids moved (children) or re-pointed (older tombstones)


def survivor_of(conn: Connection, customer_id: str) -> str | None:
    """The live end of a ``merged_into`` chain (the id itself when not merged); None if the id is unknown."""
    seen: list[str] = []
    current = customer_id
    while len(seen) < MAX_CHAIN:
        nxt = conn.execute(text("SELECT merged_into FROM customer WHERE id = :id"), {"id": current}).first()
        if nxt is None:
            return None if not seen else seen[-1]
        seen.append(current)
        if nxt[0] is None or nxt[0] in seen:
            return current
        current = str(nxt[0])
    return current


def forwarded_pairs(changed: Mapping[str, list[Any]]) -> dict[str, list[Any]]:
    """The ``[old, new]`` pairs of an edit of a tombstone that are carried over to its survivor."""
    return {name: pair for name, pair in changed.items() if name in FORWARDED}


def set_merged_into(conn: Connection, pk: str, pair: list[Any], *, role: str, scopes: tuple[str, ...],
                    stamps: Mapping[str, Any]) -> MergeApplied | None:
    """Apply a desk's ``merged_into: [old, new]`` to customer ``pk`` (None: nothing to do, already so)."""
    old, new = (None if v is None else str(v) for v in pair)
    row = conn.execute(text("SELECT merged_into FROM customer WHERE id = :id FOR UPDATE"), {"id": pk}).first()
    if row is None:
        raise MergeRefused("not_found")
    current = None if row[0] is None else str(row[0])
    if current == new:
        return None
    if role not in MERGE_ROLES:  # to anyone but a manager the column is the server's, like any class S field
        raise MergeRefused("server_field")
    if current != old:
        raise MergeRefused("constraint", "moved_on")
    value = new
    if new is not None:
        target = conn.execute(
            text("SELECT c.id, c.branch_id FROM customer c WHERE c.id = :id FOR UPDATE"), {"id": new}).first()
        if target is None:
            raise MergeRefused("not_found")
        if str(target.branch_id) not in scopes:
            raise MergeRefused("not_in_scope")
        value = survivor_of(conn, new)
        if value is None or value == pk:
            raise MergeRefused("constraint", "loop")
    conn.execute(text("UPDATE customer SET merged_into = :v, changed_by = :changed_by,"
                      " changed_device = :changed_device, updated_at = :updated_at WHERE id = :id"),
                 {"v": value, "id": pk, **stamps})
    swept = sweep(conn, pk, value, stamps) if value is not None else {}
    return MergeApplied(value, swept)


def sweep(conn: Connection, from_id: str, to_id: str, stamps: Mapping[str, Any]) -> dict[str, list[str]]:
    """Move what still hangs on a merged record to its survivor: children, and older tombstones' links."""
    moved: dict[str, list[str]] = {}
    for table in CHILD_TABLES:
        ids = [str(r[0]) for r in conn.execute(
            text(f"UPDATE {table} SET customer_id = :to, changed_by = :changed_by, changed_device = :changed_device,"
                 " updated_at = :updated_at WHERE customer_id = :from RETURNING id"),
            {"to": to_id, "from": from_id, **stamps})]
        if ids:
            moved[table] = ids
    relinked = [str(r[0]) for r in conn.execute(
        text("UPDATE customer SET merged_into = :to, changed_by = :changed_by, changed_device = :changed_device,"
             " updated_at = :updated_at WHERE merged_into = :from AND id <> :to RETURNING id"),
        {"to": to_id, "from": from_id, **stamps})]
    if relinked:
        moved["customer"] = relinked
    return moved


def record_merge(ctx: ApplyContext, op: Mapping[str, Any], pair: list[Any], role: str, stamps: Mapping[str, Any],
                 result: OpResult) -> OpResult:
    """A desk's merge (or undo) op: set ``merged_into`` after the op's other fields; the result says what moved."""
    done = set_merged_into(ctx.conn, str(op["pk"]), pair, role=role, scopes=(ctx.branch_id, GLOBAL_SCOPE),
                           stamps=stamps)
    if done is None:
        return result
    for tbl, pks in done.swept.items():
        for pk in pks:
            ctx.rows.pop((tbl, pk), None)  # cached for a later op of this push: stale now
    version = ctx.conn.execute(text("SELECT row_version FROM customer WHERE id = :id"), {"id": op["pk"]}).scalar()
    out: OpResult = {**result, "applied_fields": sorted({*result["applied_fields"], "merged_into"}),
                     "row_version": int(version or 0)}
    if done.value != pair[1]:
        out["repointed"] = {"merged_into": [pair[1], done.value]}  # type: ignore[typeddict-unknown-key]
    if done.swept:
        out["swept"] = {t: len(p) for t, p in done.swept.items()}  # type: ignore[typeddict-unknown-key]
    return out


def forward_edit(ctx: ApplyContext, op: Mapping[str, Any], changed: Mapping[str, list[Any]], result: OpResult,
                 update: Update) -> OpResult:
    """An edit of a merged record (it landed on the tombstone) is merged into the survivor too.

    The same three-way merge as any edit: applied where the survivor still holds the editor's ``old``, a
    conflict on the survivor's field (its value stays) where the survivor holds something else.
    """
    pairs = forwarded_pairs(changed)
    survivor = survivor_of(ctx.conn, str(op["pk"]))
    if not pairs or survivor is None or survivor == op["pk"]:
        return result
    row = ctx.row("customer", survivor)
    if row is None or row["_scope"] not in (ctx.branch_id, GLOBAL_SCOPE):
        return result  # a survivor out of this device's sight stays as it is (the edit is on the tombstone)
    try:
        forwarded = update(row, survivor, pairs)
    finally:
        ctx.rows.pop(("customer", survivor), None)
    conflicts = [*result["conflicts"], *forwarded["conflicts"]]
    status = "conflict" if conflicts else ("merged" if forwarded["applied_fields"] else result["status"])
    out: OpResult = {**result, "status": status, "conflicts": conflicts}
    out["forwarded"] = {"customer_id": survivor,  # type: ignore[typeddict-unknown-key]
                        "applied_fields": forwarded["applied_fields"],
                        "conflicts": [c["field"] for c in forwarded["conflicts"]]}
    return out


def repoint_child(conn: Connection, table: str, values: dict[str, Any]) -> list[str] | None:
    """A child created on a merged customer goes to the survivor (returns ``[merged, survivor]``, else None)."""
    if table not in CHILD_TABLES or not isinstance(values.get("customer_id"), str):
        return None
    survivor = survivor_of(conn, values["customer_id"])
    if survivor is None or survivor == values["customer_id"]:
        return None
    pair = [values["customer_id"], survivor]
    values["customer_id"] = survivor
    return pair
