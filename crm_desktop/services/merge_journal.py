"""Merges as the change journal records them: read back, listed, checked and reverted.

A merge is one transaction with source ``merge``; its journal rows say everything about it:

* the merged-away records: ``customer`` rows whose ``merged_into`` went from nothing to the survivor;
* records merged earlier into one of those, re-pointed to the survivor (``merged_into`` [old survivor, survivor]);
* the survivor's own field changes ([old, new] per field);
* the children moved: ``interaction``, ``service_request`` and ``product`` rows whose ``customer_id`` changed.

Values in the journal are the stored SQLite values (dates and times as text, booleans as 0/1), so checking and
restoring them is done on stored values too, in SQL, never through Python types.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select, text
from sqlalchemy.orm import Session

from crm_desktop.models import Customer, Interaction, JournalEntry, Product, ServiceRequest, SyncedMixin
from crm_desktop.services.errors import Conflict

MERGE_SOURCE = "merge"
UNDO_SOURCE = "merge-undo"
#: Tables a merge touches, and the ones whose rows it moves to the survivor.
TABLES: dict[str, type[SyncedMixin]] = {
    "customer": Customer, "interaction": Interaction, "service_request": ServiceRequest, "product": Product,
}
CHILD_TABLES: dict[str, type[SyncedMixin]] = {k: v for k, v in TABLES.items() if k != "customer"}
CHUNK = 500  # ids per statement, well under SQLite's limit of bound values
_MERGED_OLD = func.json_extract(JournalEntry.changed, "$.merged_into[0]")
_MERGED_NEW = func.json_extract(JournalEntry.changed, "$.merged_into[1]")


@dataclass(frozen=True)
class JournalChange:
    """One journal row: ``changed`` is {column: [old, new]} in stored values."""

    seq: int
    table: str
    pk: str
    kind: str
    changed: dict[str, list[Any]]

    def old(self) -> dict[str, Any]:
        return {column: pair[0] for column, pair in self.changed.items()}

    def new(self) -> dict[str, Any]:
        return {column: pair[1] for column, pair in self.changed.items()}


@dataclass(frozen=True)
class MergeTx:
    """One merge read back from the journal."""

    tx_id: str
    at: datetime
    user_id: str
    survivor_id: str
    merged_ids: tuple[str, ...]
    repointed_ids: tuple[str, ...]
    changes: tuple[JournalChange, ...]
    moved_counts: Mapping[str, int]  # moved rows per child table

    @property
    def last_seq(self) -> int:
        return max(c.seq for c in self.changes)

    def moved(self, table: str) -> tuple[str, ...]:
        return tuple(c.pk for c in self.changes if c.table == table and "customer_id" in c.changed)

    def reason(self) -> str | None:
        for change in self.changes:
            if change.pk in self.merged_ids and "deleted_reason" in change.changed:
                value = change.changed["deleted_reason"][1]
                return str(value) if value is not None else None
        return None


def load_merge(session: Session, tx_id: str, *, children: bool = True) -> MergeTx | None:
    """The merge written by transaction ``tx_id``, or None when that transaction is not a merge.

    ``children=False`` reads only the customer changes and counts the moved rows (enough for a list).
    """
    # Plain columns, not entities: a merge of thousands of moved rows is read in a few milliseconds.
    query = select(JournalEntry.seq, JournalEntry.tbl, JournalEntry.pk, JournalEntry.kind, JournalEntry.changed,
                   JournalEntry.source).where(JournalEntry.tx_id == tx_id).order_by(JournalEntry.seq)
    if not children:
        query = query.where(JournalEntry.tbl == "customer")
    entries = session.execute(query).all()
    if not entries or any(e.source != MERGE_SOURCE for e in entries):
        return None
    changes = tuple(JournalChange(e.seq, e.tbl, e.pk, e.kind, json.loads(e.changed)) for e in entries)
    merged: list[str] = []
    repointed: list[str] = []
    survivors: set[Any] = set()
    for change in changes:
        if change.table != "customer" or "merged_into" not in change.changed:
            continue
        old, new = change.changed["merged_into"]
        if new is None:
            return None
        survivors.add(new)
        (merged if old is None else repointed).append(change.pk)
    if len(survivors) != 1 or not merged:
        return None
    first = session.execute(
        select(JournalEntry.created_at, JournalEntry.user_id).where(JournalEntry.seq == entries[0].seq)
    ).one()
    counts = {str(row[0]): int(row[1]) for row in session.execute(
        select(JournalEntry.tbl, func.count()).where(JournalEntry.tx_id == tx_id, JournalEntry.tbl != "customer")
        .group_by(JournalEntry.tbl)
    )}
    return MergeTx(
        tx_id=tx_id, at=first.created_at, user_id=first.user_id, survivor_id=survivors.pop(),
        merged_ids=tuple(merged), repointed_ids=tuple(repointed), changes=changes, moved_counts=counts,
    )


def recent_merge_ids(
    session: Session, *, limit: int, survivor_id: str | None = None, branch_id: str | None = None
) -> list[str]:
    """Transaction ids of the latest merges, newest first; optionally of one survivor or one branch's survivors.

    ``+tbl`` keeps SQLite off the per-table time index (which would walk every customer change ever made), so
    that an index on ``source`` is used when there is one.
    """
    survivor = "json_extract(j.changed, '$.merged_into[1]')"
    sql = (
        f"SELECT j.tx_id, max(j.seq) AS last FROM change_journal j WHERE j.source = :source AND +j.tbl = 'customer'"
        f" AND json_extract(j.changed, '$.merged_into[0]') IS NULL AND {survivor} IS NOT NULL"
    )
    params: dict[str, Any] = {"source": MERGE_SOURCE, "limit": limit}
    if survivor_id is not None:
        sql += f" AND {survivor} = :survivor"
        params["survivor"] = survivor_id
    if branch_id is not None:
        sql += f" AND EXISTS (SELECT 1 FROM customer c WHERE c.id = {survivor} AND c.branch_id = :branch)"
        params["branch"] = branch_id
    sql += " GROUP BY j.tx_id ORDER BY last DESC LIMIT :limit"
    return [row[0] for row in session.execute(text(sql), params)]


@dataclass(frozen=True)
class UndoMark:
    tx_id: str
    at: datetime


def undo_of(session: Session, merge: MergeTx) -> UndoMark | None:
    """The transaction that undid ``merge``: a later ``merge-undo`` taking one of its records off the survivor."""
    row = session.execute(
        select(JournalEntry.tx_id, JournalEntry.created_at)
        .where(JournalEntry.tbl == "customer", JournalEntry.pk.in_(merge.merged_ids),
               JournalEntry.seq > merge.last_seq, JournalEntry.source == UNDO_SOURCE,
               _MERGED_OLD == merge.survivor_id, _MERGED_NEW.is_(None))
        .order_by(JournalEntry.seq)
        .limit(1)
    ).first()
    return UndoMark(row[0], row[1]) if row else None


def _columns(change: JournalChange) -> list[str]:
    """The changed columns, each checked against the table's own columns (they are put into SQL)."""
    model = TABLES.get(change.table)
    if model is None or change.kind not in ("update", "delete"):
        raise Conflict("سابقه این ادغام در دفتر تغییرات قابل برگرداندن نیست.")
    known = set(model.__table__.columns.keys())  # type: ignore[attr-defined]
    columns = list(change.changed)
    if not set(columns) <= known:
        raise Conflict("سابقه این ادغام در دفتر تغییرات قابل برگرداندن نیست.")
    return columns


def stored_row(session: Session, table: str, pk: str, columns: Sequence[str]) -> dict[str, Any] | None:
    """The stored values of some columns of one row (``table`` and ``columns`` already checked)."""
    return stored_rows(session, table, [pk], columns).get(pk)


def stored_rows(session: Session, table: str, pks: Sequence[str], columns: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The stored values of some columns of many rows, by id (``table`` and ``columns`` already checked)."""
    quoted = ", ".join(f'"{c}"' for c in columns)
    query = text(f'SELECT id, {quoted} FROM "{table}" WHERE id IN :ids').bindparams(bindparam("ids", expanding=True))
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(pks), CHUNK):
        for row in session.execute(query, {"ids": list(pks[start:start + CHUNK])}):
            found[row[0]] = dict(zip(columns, row[1:], strict=True))
    return found


def same_change_runs(changes: Sequence[JournalChange]) -> list[list[JournalChange]]:
    """Consecutive changes of one table with the same [old, new] values: the rows moved off one record.

    Checking and restoring them a run at a time keeps an undo of thousands of moved rows to a few statements.
    """
    runs: list[list[JournalChange]] = []
    for change in changes:
        if runs and runs[-1][0].table == change.table and runs[-1][0].changed == change.changed:
            runs[-1].append(change)
        else:
            runs.append([change])
    return runs


def changed_since(session: Session, run: Sequence[JournalChange]) -> dict[str, list[str]]:
    """Per row of a run, the columns whose stored value is no longer what the merge wrote (gone: all of them)."""
    first = run[0]
    columns = _columns(first)
    current = stored_rows(session, first.table, [c.pk for c in run], columns)
    stale: dict[str, list[str]] = {}
    for change in run:
        row = current.get(change.pk)
        differs = columns if row is None else [c for c in columns if row[c] != change.changed[c][1]]
        if differs:
            stale[change.pk] = differs
    return stale


def restore(session: Session, run: Sequence[JournalChange], stamp: dict[str, Any],
            extra: dict[str, Any] | None = None) -> None:
    """Put back the values a run of changes replaced (and ``extra`` columns), bumping versions like any update.

    ``stamp`` holds the stored ``updated_at``, ``changed_by`` and ``changed_device`` of the undo.
    """
    first = run[0]
    values = {**first.old(), **(extra or {})}
    columns = _columns(JournalChange(first.seq, first.table, first.pk, first.kind,
                                     {c: [None, v] for c, v in values.items()}))
    assignments = ", ".join(f'"{c}" = :v{i}' for i, c in enumerate(columns))
    params = {f"v{i}": values[c] for i, c in enumerate(columns)}
    statement = text(
        f'UPDATE "{first.table}" SET {assignments}, version = version + 1, updated_at = :updated_at,'
        " changed_by = :changed_by, changed_device = :changed_device WHERE id IN :ids"
    ).bindparams(bindparam("ids", expanding=True))
    pks = [c.pk for c in run]
    for start in range(0, len(pks), CHUNK):
        session.execute(statement, {**params, **stamp, "ids": pks[start:start + CHUNK]})
