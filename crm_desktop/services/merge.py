"""Merging duplicate customers into one survivor, undoing a merge, and the list of merges.

A merge is one unit of work (source ``merge``): the survivor takes the chosen values, the others become
tombstones (``deleted_at`` set, ``merged_into`` the survivor) and their interactions, service requests and
products move to the survivor. Records merged earlier into one of the others are re-pointed to the survivor, so
an old link is always one step from the live record. Every change is an ordinary journaled update, so a merge
syncs like any edit, and the journal alone is enough to undo it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from crm_desktop.db import WriteContext
from crm_desktop.models import Branch, Customer, Interaction, Product, ServiceRequest, User
from crm_desktop.models.base import to_utc_text
from crm_desktop.persian import format_number
from crm_desktop.services.actor import Actor
from crm_desktop.services.base import ServiceBase
from crm_desktop.services.changes import Changes, Outcome
from crm_desktop.services.customer_fields import clean_customer, derived_keys, tidy_text
from crm_desktop.services.customers import CustomerService
from crm_desktop.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from crm_desktop.services.merge_journal import (
    MERGE_SOURCE,
    UNDO_SOURCE,
    load_merge,
    recent_merge_ids,
    undo_of,
)
from crm_desktop.services.merge_plan import (
    MERGE_FIELDS,
    MergeCandidate,
    MergePreview,
    MergeResult,
    MergeSummary,
    UndoResult,
    customer_values,
    field_values,
    fields_for,
    resolve_choices,
    suggest_survivor,
)
from crm_desktop.services.merge_undo import check_undo, find_merge, revert
from crm_desktop.services.paging import check_limit
from crm_desktop.services.permissions import Action, allowed, require, require_branch
from crm_desktop.services.rows import names

MAX_RECORDS = 200
NOTE_LIMIT = 500
CHILDREN = (("interaction", Interaction), ("service_request", ServiceRequest), ("product", Product))


class MergeService(ServiceBase):
    # -- reading ------------------------------------------------------------------------------
    def preview(self, actor: Actor, customer_ids: Sequence[str]) -> MergePreview:
        """The records side by side: per field the distinct values, and what each record brings along."""
        require(actor, Action.VIEW_CUSTOMER)
        ids = _check_ids(customer_ids)
        with self.db.read() as session:
            customers = _load(session, actor, ids)
            branches = names(session, Branch, {c.branch_id for c in customers.values()}, Branch.code)
            counts = {table: _live_counts(session, model, ids) for table, model in CHILDREN}
        records = tuple(
            MergeCandidate(
                id=c.id, version=c.version, kind=c.kind, display_name=c.display_name, branch_id=c.branch_id,
                branch_code=branches.get(c.branch_id, ""), created_at=c.created_at, updated_at=c.updated_at,
                values=customer_values(c), interactions=counts["interaction"].get(c.id, 0),
                requests=counts["service_request"].get(c.id, 0), products=counts["product"].get(c.id, 0),
            )
            for c in (customers[i] for i in ids)
        )
        kinds = {r.kind for r in records}
        shown = fields_for(records[0].kind) if len(kinds) == 1 else tuple(MERGE_FIELDS)
        return MergePreview(records, field_values(records, shown), suggest_survivor(records), len(kinds) == 1)

    def list_merges(self, actor: Actor, *, limit: int = 50, survivor_id: str | None = None) -> list[MergeSummary]:
        """Recent merges, newest first (a manager sees those whose survivor is in their branch)."""
        require(actor, Action.READ_AUDIT)
        check_limit(limit, 500)
        if survivor_id is not None and not isinstance(survivor_id, str):
            raise InvalidInput({"survivor_id": "شناسه مشتری نامعتبر است."})
        branch = None if actor.sees_all_branches else actor.branch_id
        with self.db.read() as session:
            found = recent_merge_ids(session, limit=limit, survivor_id=survivor_id, branch_id=branch)
            merges = [m for m in (load_merge(session, tx, children=False) for tx in found) if m is not None]
            people = names(session, Customer, {i for m in merges for i in (m.survivor_id, *m.merged_ids)},
                           Customer.display_name)
            users = names(session, User, {m.user_id for m in merges}, User.full_name)
            undos = {m.tx_id: undo_of(session, m) for m in merges}
        summaries = []
        for m in merges:
            undo = undos[m.tx_id]
            summaries.append(MergeSummary(
                tx_id=m.tx_id, at=m.at, user_id=m.user_id, user_name=users.get(m.user_id, ""),
                survivor_id=m.survivor_id, survivor_name=people.get(m.survivor_id, ""),
                merged=tuple((i, people.get(i, "")) for i in m.merged_ids),
                interactions=m.moved_counts.get("interaction", 0), requests=m.moved_counts.get("service_request", 0),
                products=m.moved_counts.get("product", 0), reason=m.reason(),
                undo_tx_id=undo.tx_id if undo else None, undone_at=undo.at if undo else None,
            ))
        return summaries

    # -- merging ------------------------------------------------------------------------------
    def merge(
        self,
        actor: Actor,
        survivor_id: str,
        customer_ids: Sequence[str],
        choices: Mapping[str, Any] | None = None,
        note: str | None = None,
        *,
        expected_versions: Mapping[str, int] | None = None,
    ) -> Outcome[MergeResult]:
        """Merge ``customer_ids`` (2 or more, the survivor among them) into ``survivor_id``, as one operation.

        ``choices`` maps a field to the id of the record whose value the survivor takes, or to the value itself;
        fields left out keep the survivor's value.
        """
        _require_merge_role(actor)
        ids = _check_ids(customer_ids)
        if not isinstance(survivor_id, str) or survivor_id not in ids:
            raise InvalidInput({"survivor_id": "پرونده باقی‌مانده باید یکی از پرونده‌های ادغام باشد."})
        if choices is not None and not isinstance(choices, Mapping):
            raise InvalidInput({"choices": "انتخاب‌های ادغام نامعتبر است."})
        text_note = _check_note(note)
        ctx = WriteContext(user_id=actor.user_id, source=MERGE_SOURCE)
        with self.db.write(ctx) as session:
            customers = _load(session, actor, ids)
            _check_versions(customers, expected_versions)
            if len({c.kind for c in customers.values()}) > 1:
                raise InvalidInput({"customer_ids": "مشتری حقیقی و حقوقی را نمی‌توان با هم ادغام کرد."})
            values = {i: customer_values(c) for i, c in customers.items()}
            raw, errors = resolve_choices(values, survivor_id, choices or {})
            clean, field_errors = clean_customer(raw, self.now().date())
            if errors or field_errors:
                raise InvalidInput({**errors, **field_errors})
            new_values = {**clean, **derived_keys(clean)}
            others = [i for i in ids if i != survivor_id]
            reason = f"ادغام در «{new_values['display_name']}»" + (f": {text_note}" if text_note else "")
            # Tombstones first: a merged-away record must not hold a national ID the survivor takes.
            for other in others:
                customers[other].deleted_at = self.now()
                customers[other].deleted_reason = reason
                customers[other].merged_into = survivor_id
            session.flush()
            repointed = list(session.scalars(select(Customer).where(Customer.merged_into.in_(others))))
            for old in repointed:
                old.merged_into = survivor_id
            CustomerService._refuse_existing_ids(session, clean, survivor_id)
            survivor = customers[survivor_id]
            for key, value in new_values.items():
                if getattr(survivor, key) != value:
                    setattr(survivor, key, value)
            session.flush()
            moved = {table: _move(session, model, others, survivor_id) for table, model in CHILDREN}
            self._log_access(session, actor, "merge_customers", "customer", survivor_id,
                             {"tx_id": ctx.tx_id, "merged": others, "note": text_note})
        detail = CustomerService(self.db, self.now).get(actor, survivor_id)
        result = MergeResult(
            tx_id=ctx.tx_id, survivor=detail, merged_ids=tuple(others),
            repointed_ids=tuple(c.id for c in repointed), interactions=len(moved["interaction"]),
            requests=len(moved["service_request"]), products=len(moved["product"]),
        )
        changes = Changes(customers=frozenset(ids) | {c.id for c in repointed},
                          interactions=frozenset(moved["interaction"]), requests=frozenset(moved["service_request"]))
        return Outcome(result, changes)

    # -- undoing ------------------------------------------------------------------------------
    def undo(self, actor: Actor, merge: str, note: str | None = None) -> Outcome[UndoResult]:
        """Undo a merge (named by its transaction id, or by its survivor: the latest merge into it).

        Refused when any record the merge changed has changed since; itself one operation (``merge-undo``).
        """
        _require_merge_role(actor, undo=True)
        if not isinstance(merge, str) or not merge.strip():
            raise InvalidInput({"merge": "ادغامی برای برگرداندن انتخاب نشده است."})
        text_note = _check_note(note)
        ctx = WriteContext(user_id=actor.user_id, source=UNDO_SOURCE)
        with self.db.write(ctx) as session:
            tx = find_merge(session, merge.strip())
            check_undo(session, actor, tx)
            stamp = {"updated_at": to_utc_text(session.info["now"]), "changed_by": actor.user_id,
                     "changed_device": self.db.device_id}
            try:
                revert(session, tx, stamp)
                session.flush()
            except IntegrityError:
                raise Conflict("مشتری دیگری اکنون کد ملی یا شناسه ملی یکی از این پرونده‌ها را دارد؛"
                               " برگرداندن ادغام ممکن نیست.") from None
            session.expire_all()
            self._log_access(session, actor, "undo_merge", "customer", tx.survivor_id,
                             {"tx_id": ctx.tx_id, "merge_tx_id": tx.tx_id, "note": text_note})
        restored = (*tx.merged_ids, *tx.repointed_ids)
        changes = Changes(customers=frozenset({tx.survivor_id, *restored}),
                          interactions=frozenset(tx.moved("interaction")),
                          requests=frozenset(tx.moved("service_request")))
        return Outcome(UndoResult(ctx.tx_id, tx.tx_id, tx.survivor_id, tx.merged_ids), changes)


# -- checks -------------------------------------------------------------------------------------
def _require_merge_role(actor: Actor, *, undo: bool = False) -> None:
    if not allowed(actor, Action.MERGE_CUSTOMERS):  # managers and administrators
        verb = "ادغام را برگرداند" if undo else "مشتریان تکراری را ادغام کند"
        raise PermissionDenied(f"فقط رئیس شعبه یا مدیر سامانه می‌تواند {verb}.")


def _check_ids(customer_ids: Sequence[str]) -> list[str]:
    if isinstance(customer_ids, str) or not isinstance(customer_ids, Sequence | set | frozenset):
        raise InvalidInput({"customer_ids": "فهرست پرونده‌های ادغام نامعتبر است."})
    if not all(isinstance(i, str) and i for i in customer_ids):
        raise InvalidInput({"customer_ids": "فهرست پرونده‌های ادغام نامعتبر است."})
    ids = list(dict.fromkeys(customer_ids))
    if len(ids) < 2:
        raise InvalidInput({"customer_ids": "برای ادغام دست‌کم دو پرونده لازم است."})
    if len(ids) > MAX_RECORDS:
        raise InvalidInput({"customer_ids": f"در هر ادغام حداکثر {format_number(MAX_RECORDS)} پرونده پذیرفته می‌شود."})
    return ids


def _check_note(note: object) -> str | None:
    if note is not None and not isinstance(note, str):
        raise InvalidInput({"note": "یادداشت باید متن باشد."})
    text = tidy_text(note)
    if text is not None and len(text) > NOTE_LIMIT:
        raise InvalidInput({"note": "یادداشت بیش از ۵۰۰ نویسه است."})
    return text


def _load(session: Session, actor: Actor, ids: Sequence[str]) -> dict[str, Customer]:
    """The live records, each one the actor may see (another branch's record is refused before it is named)."""
    found = {c.id: c for c in session.scalars(select(Customer).where(Customer.id.in_(ids)))}
    for customer_id in ids:
        customer = found.get(customer_id)
        if customer is None:
            raise NotFound("مشتری پیدا نشد.")
        try:
            require_branch(actor, customer.branch_id)
        except PermissionDenied:
            raise PermissionDenied("این مشتری متعلق به شعبه دیگری است.") from None
        if customer.merged_into is not None:
            raise InvalidInput({"customer_ids": f"«{customer.display_name}» پیش‌تر در پرونده دیگری ادغام شده است."})
        if customer.deleted_at is not None:
            raise InvalidInput({"customer_ids": f"«{customer.display_name}» حذف شده است و ادغام نمی‌شود."})
    return found


def _check_versions(customers: Mapping[str, Customer], expected: Mapping[str, int] | None) -> None:
    if expected is None:
        return
    if not isinstance(expected, Mapping):
        raise InvalidInput({"expected_versions": "نسخه‌های مورد انتظار نامعتبر است."})
    for customer_id, version in expected.items():
        customer = customers.get(customer_id)
        if customer is not None and customer.version != version:
            raise Conflict(f"«{customer.display_name}» پس از باز شدن تغییر کرده است؛ مقایسه را دوباره باز کنید.")


def _live_counts(session: Session, model: type[Interaction | ServiceRequest | Product],
                 ids: Sequence[str]) -> dict[str, int]:
    rows = session.execute(
        select(model.customer_id, func.count()).where(model.customer_id.in_(ids), model.deleted_at.is_(None))
        .group_by(model.customer_id)
    )
    return {row[0]: row[1] for row in rows}


def _move(session: Session, model: type[Interaction | ServiceRequest | Product], from_ids: Sequence[str],
          to_id: str) -> list[str]:
    """Move every row (deleted ones too) of the merged records to the survivor: one journaled update each."""
    moved = list(session.scalars(select(model.id).where(model.customer_id.in_(from_ids))))
    if moved:
        ctx: WriteContext = session.info["write_ctx"]
        session.execute(
            update(model).where(model.customer_id.in_(from_ids))
            .values(customer_id=to_id, version=model.version + 1, updated_at=session.info["now"],
                    changed_by=ctx.user_id, changed_device=session.info["device_id"])
            .execution_options(synchronize_session=False)
        )
    return moved
