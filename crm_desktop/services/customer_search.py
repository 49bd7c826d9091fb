"""Search as you type over customers, in keyset pages sorted in Persian order.

A query is normalized (Persian letters, ASCII digits, no ZWNJ differences).
Digits match the start of a national ID, company ID, mobile or customer
number; words match the start of a first, last or company name (further words
must start a word of the full name). ``contains=True`` matches anywhere in the
name instead (a scan, for when the start is not known).

Both kinds of query must stay fast on a million customers. A narrow query (few
matches) reads its matches through the prefix indexes and sorts them; a broad
one (many matches, e.g. one letter) walks the Persian-order index and keeps
the rows that match, which finds a page quickly because matches are dense.
A capped count of the prefix matches decides between the two. Both plans rely
on SQLite's statistics (``ANALYZE``, see ``crm_desktop.db.session``): without
them SQLite guesses that a branch holds few customers and walks the wrong index.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, func, literal, or_, select, tuple_
from sqlalchemy.orm import Session

from crm_desktop.models import Branch, Customer
from crm_desktop.persian import normalize
from crm_desktop.services.actor import Actor
from crm_desktop.services.base import ServiceBase
from crm_desktop.services.errors import InvalidInput
from crm_desktop.services.paging import Page, PageKey
from crm_desktop.services.permissions import Action, require
from crm_desktop.services.records import CustomerRow

NARROW_LIMIT = 4000
MAX_PAGE = 1000
ROW_COLUMNS = (
    Customer.id, Customer.kind, Customer.display_name, Customer.national_id, Customer.company_id,
    Customer.mobile, Customer.customer_no, Branch.code, Customer.segment, Customer.lifecycle_stage,
    Customer.kyc_status, Customer.sort_key,
)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _prefix(column: Any, text: str) -> Any:
    """``column`` starts with ``text``, as an index-friendly range."""
    return and_(column >= text, column < text + "\U0010ffff")


class CustomerSearch(ServiceBase):
    def search(
        self,
        actor: Actor,
        query: str = "",
        *,
        after: PageKey | None = None,
        limit: int = 200,
        contains: bool = False,
        segment: str | None = None,
        lifecycle_stage: str | None = None,
        branch_id: str | None = None,
        descending: bool = False,
    ) -> Page[CustomerRow]:
        """One page of customers matching ``query`` in Persian order, after ``after``."""
        require(actor, Action.VIEW_CUSTOMER)
        if not isinstance(limit, int) or not 1 <= limit <= MAX_PAGE:
            raise InvalidInput({"limit": "اندازه صفحه نامعتبر است."})
        if not isinstance(query, str):
            raise InvalidInput({"query": "عبارت جستجو نامعتبر است."})
        key = normalize(query)
        filters: list[Any] = [Customer.deleted_at.is_(None), Customer.merged_into.is_(None)]
        scope = branch_id if actor.sees_all_branches else actor.branch_id
        if scope:
            filters.append(Customer.branch_id == scope)
        if segment:
            filters.append(Customer.segment == segment)
        if lifecycle_stage:
            filters.append(Customer.lifecycle_stage == lifecycle_stage)

        with self.db.read() as session:
            if not key:
                return self._page(session, filters, after, limit, descending)
            match, prefix_sources = self._match(key, contains)
            if contains or self._is_broad(session, prefix_sources):
                return self._page(session, [*filters, match], after, limit, descending)
            return self._narrow_page(session, prefix_sources, [*filters, match], after, limit, descending)

    def rows_by_id(self, actor: Actor, ids: list[str]) -> list[CustomerRow]:
        """Fresh rows for customers that changed (for a list that updates in place)."""
        require(actor, Action.VIEW_CUSTOMER)
        with self.db.read() as session:
            query = _select_rows().where(Customer.id.in_(ids), Customer.deleted_at.is_(None))
            if not actor.sees_all_branches:
                query = query.where(Customer.branch_id == actor.branch_id)
            return [_row(r) for r in session.execute(query)]

    # -- plans --------------------------------------------------------------------------------
    @staticmethod
    def _match(key: str, contains: bool) -> tuple[Any, list[Select[Any]]]:
        """The WHERE condition for ``key`` and the index-range queries that find its candidates."""
        if contains:
            return Customer.name_key.like(f"%{_escape_like(key)}%", escape="\\"), []
        key = key[1:] if key.startswith("+") and key[1:].isdigit() else key  # «+98912…» is a mobile number
        if key.isdigit():
            mobile = key
            if key.startswith("98") and len(key) > 2:
                mobile = "0" + key[2:]
            elif key.startswith("9"):
                mobile = "0" + key
            conditions = [
                _prefix(Customer.national_id, key),
                _prefix(Customer.company_id, key),
                _prefix(Customer.mobile, mobile),
                _prefix(Customer.customer_no, key),
            ]
            return or_(*conditions), _sources(conditions)
        first, *rest = key.split(" ")
        starts = [_prefix(Customer.last_key, first), _prefix(Customer.first_key, first),
                  _prefix(Customer.org_key, first)]
        word_conditions = [
            (literal(" ") + Customer.name_key).like(f"% {_escape_like(word)}%", escape="\\") for word in rest
        ]
        return and_(or_(*starts), *word_conditions), _sources(starts)

    @staticmethod
    def _is_broad(session: Session, sources: list[Select[Any]]) -> bool:
        if not sources:
            return True
        union = sources[0].union(*sources[1:]).limit(NARROW_LIMIT + 1).subquery()
        count = session.scalar(select(func.count()).select_from(union)) or 0
        return count > NARROW_LIMIT

    @staticmethod
    def _page(
        session: Session, filters: list[Any], after: PageKey | None, limit: int, descending: bool,
    ) -> Page[CustomerRow]:
        """Walk the Persian-order index (per branch when scoped) and keep matching rows."""
        order = (Customer.sort_key.desc(), Customer.id.desc()) if descending else (Customer.sort_key, Customer.id)
        query = _select_rows().where(*filters)
        if after is not None:
            position = tuple_(Customer.sort_key, Customer.id)
            query = query.where(position < tuple_(*after) if descending else position > tuple_(*after))
        query = query.order_by(*order).limit(limit)
        return _to_page([_row(r) for r in session.execute(query)], limit)

    @staticmethod
    def _narrow_page(
        session: Session, sources: list[Select[Any]], filters: list[Any], after: PageKey | None, limit: int,
        descending: bool,
    ) -> Page[CustomerRow]:
        """Few candidates: fetch them through the prefix indexes, then sort."""
        candidates = sources[0].union(*sources[1:]).subquery()
        query = _select_rows().where(Customer.id.in_(select(candidates.c.id)), *filters)
        if after is not None:
            position = tuple_(Customer.sort_key, Customer.id)
            query = query.where(position < tuple_(*after) if descending else position > tuple_(*after))
        order = (Customer.sort_key.desc(), Customer.id.desc()) if descending else (Customer.sort_key, Customer.id)
        rows = [_row(r) for r in session.execute(query.order_by(*order).limit(limit))]
        return _to_page(rows, limit)


def _sources(conditions: list[Any]) -> list[Select[Any]]:
    """One index-range query per condition; ``deleted_at IS NULL`` lets SQLite use the partial indexes."""
    return [select(Customer.id).where(c, Customer.deleted_at.is_(None)) for c in conditions]


def _select_rows() -> Select[Any]:
    return select(*ROW_COLUMNS).join(Branch, Branch.id == Customer.branch_id)  # type: ignore[return-value]


def _row(r: Any) -> CustomerRow:
    return CustomerRow(
        id=r.id, kind=r.kind, display_name=r.display_name, national_id=r.national_id or r.company_id,
        mobile=r.mobile, customer_no=r.customer_no, branch_code=r.code, segment=r.segment,
        lifecycle_stage=r.lifecycle_stage, kyc_status=r.kyc_status, sort_key=r.sort_key,
    )


def _to_page(rows: list[CustomerRow], limit: int) -> Page[CustomerRow]:
    next_key = (rows[-1].sort_key, rows[-1].id) if len(rows) == limit else None
    return Page(rows, next_key)
