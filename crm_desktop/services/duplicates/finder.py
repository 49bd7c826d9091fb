"""The duplicate finder as a service: scan a branch, warn while typing, remember "not a duplicate"."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import asdict
from itertools import combinations
from typing import Any

from sqlalchemy import select

from crm_desktop.models import Branch, Customer, DuplicateDismissal
from crm_desktop.progress import Progress
from crm_desktop.services.actor import Actor
from crm_desktop.services.base import ServiceBase
from crm_desktop.services.changes import Changes, Outcome
from crm_desktop.services.duplicates.records import DuplicateScan, SimilarCustomer
from crm_desktop.services.duplicates.scan import Pair, ordered, scan_customers
from crm_desktop.services.duplicates.similar import find_similar
from crm_desktop.services.errors import InvalidInput, NotFound
from crm_desktop.services.permissions import Action, require, require_branch
from crm_desktop.services.records import CustomerInput

DEFAULT_MIN_SCORE = 50
MAX_DISMISS = 50  # records in one "not a duplicate" decision
NOTE_LIMIT = 500


class DuplicateService(ServiceBase):
    def scan(
        self,
        actor: Actor,
        branch_code: str | None = None,
        min_score: int = DEFAULT_MIN_SCORE,
        progress: Progress | None = None,
    ) -> DuplicateScan:
        """Likely duplicate groups in a branch; ``branch_code`` None is every branch for those who see them
        all (administrator, auditor) and the actor's own branch for everyone else. Runs in minutes on a
        million customers: call it off the UI thread; ``progress.check()`` cancels it.
        """
        require(actor, Action.VIEW_CUSTOMER)
        if isinstance(min_score, bool) or not isinstance(min_score, int) or not 0 <= min_score <= 100:
            raise InvalidInput({"min_score": "حداقل امتیاز باید عددی از ۰ تا ۱۰۰ باشد."})
        with self.db.read_raw() as conn:
            branch_id = _scope(conn, actor, branch_code)
            result = scan_customers(conn, branch_id=branch_id, min_score=min_score, dismissed=dismissed_pairs(conn),
                                    progress=progress)
        self.record_access(actor, "duplicate_scan", "branch", branch_id,
                           {"min_score": min_score, "groups": len(result.groups), "customers": result.customers})
        return result

    def similar(
        self, actor: Actor, draft: CustomerInput | Mapping[str, Any], *, exclude_id: str | None = None, limit: int = 5
    ) -> list[SimilarCustomer]:
        """Existing customers that look like ``draft`` (what the form holds so far, valid or not), for the
        warning while typing; ``exclude_id`` is the customer being edited."""
        require(actor, Action.VIEW_CUSTOMER)
        fields = asdict(draft) if isinstance(draft, CustomerInput) else dict(draft)
        with self.db.read_raw() as conn:
            return find_similar(conn, fields, exclude_id=exclude_id, limit=limit)

    def dismiss(self, actor: Actor, ids: Iterable[str], note: str | None = None) -> Outcome[int]:
        """Remember that these customers are not duplicates of each other (every pair of them); the scan
        stops offering them together. Returns how many pairs were newly recorded."""
        require(actor, Action.EDIT_CUSTOMER)
        unique = sorted({i for i in ids if isinstance(i, str)}) if not isinstance(ids, str) else []
        if len(unique) < 2:
            raise InvalidInput({"ids": "دست‌کم دو مشتری را برای «تکراری نیست» انتخاب کنید."})
        if len(unique) > MAX_DISMISS:
            raise InvalidInput({"ids": f"در هر بار حداکثر {MAX_DISMISS} مشتری را می‌توان انتخاب کرد."})
        text = note.strip() if isinstance(note, str) else ""
        if len(text) > NOTE_LIMIT:
            raise InvalidInput({"note": "یادداشت بیش از ۵۰۰ نویسه است."})
        added = 0
        with self._write(actor, "duplicates") as session:
            for customer_id in unique:
                customer = session.get(Customer, customer_id)
                if customer is None or customer.deleted_at is not None:
                    raise NotFound("مشتری پیدا نشد.")
                require_branch(actor, customer.branch_id)
            existing = {
                (a, b) for a, b in session.execute(
                    select(DuplicateDismissal.customer_a, DuplicateDismissal.customer_b).where(
                        DuplicateDismissal.customer_a.in_(unique), DuplicateDismissal.customer_b.in_(unique),
                        DuplicateDismissal.deleted_at.is_(None)))
            }
            for a, b in combinations(unique, 2):
                if (a, b) not in existing:
                    session.add(DuplicateDismissal(customer_a=a, customer_b=b, note=text or None))
                    added += 1
        return Outcome(added, Changes())


def dismissed_pairs(conn: sqlite3.Connection) -> set[Pair]:
    """Every live "not a duplicate" pair, in id order."""
    return {ordered(a, b) for a, b in conn.execute(
        "SELECT customer_a, customer_b FROM duplicate_dismissal WHERE deleted_at IS NULL")}


def _scope(conn: sqlite3.Connection, actor: Actor, branch_code: str | None) -> str | None:
    if branch_code is None:
        return None if actor.sees_all_branches else actor.branch_id
    if not isinstance(branch_code, str):
        raise InvalidInput({"branch_code": "کد شعبه نامعتبر است."})
    row = conn.execute(f"SELECT id FROM {Branch.__tablename__} WHERE code = ?", (branch_code.strip(),)).fetchone()
    if row is None:
        raise NotFound(f"شعبه‌ای با کد «{branch_code}» نیست.")
    require_branch(actor, row[0])
    return str(row[0])
