"""Undoing a merge: find it, check that nothing it changed has changed since, and put every value back.

Everything comes from the journal rows of the merge's transaction ([old, new] per column), so a merge made on
another desk and synced here can be undone here as well.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_desktop.models import Customer
from crm_desktop.persian import format_number
from crm_desktop.services.actor import Actor
from crm_desktop.services.customer_fields import derived_keys
from crm_desktop.services.errors import Conflict, NotFound, PermissionDenied
from crm_desktop.services.merge_journal import (
    JournalChange,
    MergeTx,
    changed_since,
    load_merge,
    recent_merge_ids,
    restore,
    same_change_runs,
    stored_row,
    undo_of,
)
from crm_desktop.services.merge_plan import MERGE_FIELDS

NAME_COLUMNS = ("kind", "first_name", "last_name", "company_name")
CHILD_WORDS = {"interaction": "تعامل", "service_request": "درخواست خدمت", "product": "محصول"}


def revert(session: Session, tx: MergeTx, stamp: dict[str, Any]) -> None:
    """Put back every value the merge replaced, newest change first.

    Newest first: the survivor gives back what it took before the tombstones come back to life (a national ID
    may move back from the survivor to a restored record).
    """
    for run in reversed(same_change_runs(tx.changes)):
        if run[0].table == "customer" and set(NAME_COLUMNS) & set(run[0].changed):
            for change in run:  # each renamed customer gets its own display name and search keys back
                restore(session, [change], stamp, derived_after_undo(session, change))
        else:
            restore(session, run, stamp)


def find_merge(session: Session, key: str) -> MergeTx:
    """The merge of transaction ``key``, or else the latest merge into customer ``key`` not yet undone."""
    tx = load_merge(session, key)
    if tx is not None:
        return tx
    for tx_id in recent_merge_ids(session, limit=50, survivor_id=key):
        candidate = load_merge(session, tx_id)
        if candidate is not None and undo_of(session, candidate) is None:
            return candidate
    raise NotFound("ادغامی برای برگرداندن پیدا نشد.")


def check_undo(session: Session, actor: Actor, tx: MergeTx) -> None:
    if undo_of(session, tx) is not None:
        raise Conflict("این ادغام پیش‌تر برگردانده شده است.")
    records = {c.id: c for c in session.scalars(select(Customer).where(
        Customer.id.in_((tx.survivor_id, *tx.merged_ids))))}
    for customer in records.values():
        if not actor.sees_all_branches and customer.branch_id != actor.branch_id:
            raise PermissionDenied("این ادغام به پرونده‌های شعبه دیگری مربوط است.")
    survivor = records.get(tx.survivor_id)
    if survivor is not None and survivor.merged_into is not None:
        raise Conflict(f"«{survivor.display_name}» پس از این ادغام در پرونده دیگری ادغام شده است؛"
                       " نخست آن ادغام را برگردانید.")
    if survivor is not None and survivor.deleted_at is not None:
        raise Conflict(f"«{survivor.display_name}» پس از ادغام حذف شده است؛ برگرداندن ادغام ممکن نیست.")
    stale: list[str] = []
    children: dict[str, int] = {}
    for run in same_change_runs(tx.changes):
        for pk, columns in changed_since(session, run).items():
            if run[0].table == "customer":
                record: Customer | None = records.get(pk) or session.get(Customer, pk)
                labels = "، ".join(MERGE_FIELDS[c] for c in columns if c in MERGE_FIELDS)
                name = record.display_name if record else pk
                stale.append(f"«{name}»" + (f" ({labels})" if labels else ""))
            else:
                children[run[0].table] = children.get(run[0].table, 0) + 1
    stale += [f"{CHILD_WORDS[t]} ({format_number(n)} مورد)" for t, n in children.items()]
    if stale:
        raise Conflict("پس از این ادغام این پرونده‌ها تغییر کرده‌اند و ادغام برگردانده نمی‌شود: " + "، ".join(stale))


def derived_after_undo(session: Session, change: JournalChange) -> dict[str, Any]:
    """A customer whose name the merge changed gets its display name and search keys back as well."""
    if change.table != "customer" or not set(NAME_COLUMNS) & set(change.changed):
        return {}
    current = stored_row(session, "customer", change.pk, NAME_COLUMNS) or {}
    return derived_keys({**current, **{c: v for c, v in change.old().items() if c in NAME_COLUMNS}})
