"""Search as you type over customers, in keyset pages sorted in Persian order.

A query is normalized (Persian letters, ASCII digits, no ZWNJ differences).
Digits match the start of a national ID, company ID, mobile or customer
number; a word matches the start of a last name, company name or first name
(further words must start a word of the full name). ``contains=True`` matches
anywhere in the name instead (a scan, for when the start is not known).

It must stay fast on a million customers, for narrow queries (a national ID)
and broad ones (one letter) alike. Each way of matching is a *stream* of rows
in Persian order, and a page merges the streams:

* last and company names: the sort key starts with the name, so their matches
  are one contiguous range of the Persian-order index, read in order;
* every other field (first name, IDs, mobile): when few rows match (at most
  ``NARROW_LIMIT``) they are read through that field's index and sorted; when
  many match, the Persian-order index is walked and rows are tested, which
  finds a page quickly precisely because matches are dense.

The queries are written so that SQLite has one sensible index to use: its
planner's guesses (with or without ``ANALYZE``) cannot send them elsewhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, func, literal, select, tuple_
from sqlalchemy.orm import Session

from crm_desktop.models import Branch, Customer
from crm_desktop.persian import normalize, persian_sort_key
from crm_desktop.services.actor import Actor
from crm_desktop.services.base import ServiceBase
from crm_desktop.services.errors import InvalidInput
from crm_desktop.services.paging import Page, PageKey
from crm_desktop.services.permissions import Action, require
from crm_desktop.services.records import CustomerRow

NARROW_LIMIT = 4000
MAX_PAGE = 1000
TOP = "\U0010ffff"
ROW_COLUMNS = (
    Customer.id, Customer.kind, Customer.display_name, Customer.national_id, Customer.company_id,
    Customer.mobile, Customer.customer_no, Branch.code, Customer.segment, Customer.lifecycle_stage,
    Customer.kyc_status, Customer.sort_key,
)


@dataclass(frozen=True)
class Prefix:
    """Rows whose ``column`` starts with ``text``."""

    column: Any
    text: str

    def as_range(self) -> Any:
        """Index-friendly form, for reading through the column's own index."""
        return and_(self.column >= self.text, self.column < self.text + TOP)

    def as_test(self) -> Any:
        """Index-proof form, for testing rows met while walking another index."""
        return func.substr(self.column, 1, len(self.text)) == self.text


@dataclass(frozen=True)
class Plan:
    sort_ranges: list[str]  # sort-key prefixes: read as ranges of the Persian-order index
    prefixes: list[Prefix]  # other columns: narrow through their index, or broad by walking
    extra: list[Any]  # conditions every match must also meet (further words)


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
        if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= MAX_PAGE:
            raise InvalidInput({"limit": "اندازه صفحه نامعتبر است."})
        if not isinstance(query, str):
            raise InvalidInput({"query": "عبارت جستجو نامعتبر است."})
        if after is not None and (len(after) != 2 or not all(isinstance(part, str) for part in after)):
            raise InvalidInput({"after": "نشانه صفحه نامعتبر است."})
        key = normalize(query)
        filters: list[Any] = [Customer.deleted_at.is_(None), Customer.merged_into.is_(None)]
        scope = branch_id if actor.sees_all_branches else actor.branch_id
        if scope:
            filters.append(Customer.branch_id == scope)
        if segment:
            filters.append(Customer.segment == segment)
        if lifecycle_stage:
            filters.append(Customer.lifecycle_stage == lifecycle_stage)
        if after is not None:
            position = tuple_(Customer.sort_key, Customer.id)
            filters.append(position < tuple_(*after) if descending else position > tuple_(*after))

        with self.db.read() as session:
            if not key:
                return _to_page(self._walk(session, filters, limit, descending), limit)
            if contains:
                pattern = f"%{_escape_like(key)}%"
                rows = self._walk(session, [*filters, Customer.name_key.like(pattern, escape="\\")], limit, descending)
                return _to_page(rows, limit)
            plan = _plan(key)
            found: dict[str, Any] = {}
            for sort_prefix in plan.sort_ranges:
                condition = and_(Customer.sort_key >= sort_prefix, Customer.sort_key < sort_prefix + TOP)
                for row in self._walk(session, [*filters, condition, *plan.extra], limit, descending):
                    found[row.id] = row
            for prefix in plan.prefixes:
                ids = self._narrow_candidates(session, prefix)
                if ids is None:
                    rows = self._walk(session, [*filters, prefix.as_test(), *plan.extra], limit, descending)
                else:
                    rows = self._sorted_subset(session, ids, [*filters, *plan.extra], limit, descending)
                for row in rows:
                    found[row.id] = row
        merged = sorted(found.values(), key=lambda r: (r.sort_key, r.id), reverse=descending)[:limit]
        return _to_page([_row(r) for r in merged], limit)

    def rows_by_id(self, actor: Actor, ids: list[str]) -> list[CustomerRow]:
        """Fresh rows for customers that changed (for a list that updates in place)."""
        require(actor, Action.VIEW_CUSTOMER)
        with self.db.read() as session:
            query = _select_rows().where(Customer.id.in_(ids), Customer.deleted_at.is_(None))
            if not actor.sees_all_branches:
                query = query.where(Customer.branch_id == actor.branch_id)
            return [_row(r) for r in session.execute(query)]

    # -- the two ways of reading ----------------------------------------------------------------
    @staticmethod
    def _walk(session: Session, conditions: list[Any], limit: int, descending: bool) -> Sequence[Any]:
        """Read in Persian order along the sort index, keeping the rows that meet ``conditions``."""
        order = (Customer.sort_key.desc(), Customer.id.desc()) if descending else (Customer.sort_key, Customer.id)
        return session.execute(_select_rows().where(*conditions).order_by(*order).limit(limit)).all()

    @staticmethod
    def _narrow_candidates(session: Session, prefix: Prefix) -> list[str] | None:
        """The ids starting with ``prefix`` through its own index, or None when there are too many."""
        ids = session.scalars(
            select(Customer.id).where(prefix.as_range(), Customer.deleted_at.is_(None)).limit(NARROW_LIMIT + 1)
        ).all()
        return None if len(ids) > NARROW_LIMIT else list(ids)

    @staticmethod
    def _sorted_subset(
        session: Session, ids: list[str], conditions: list[Any], limit: int, descending: bool
    ) -> list[Any]:
        """The first ``limit`` of a few known customers, in Persian order, that meet ``conditions``.

        Fetched by primary key in chunks and sorted here, so that no index on the
        other conditions can tempt SQLite into a scan.
        """
        rows: list[Any] = []
        keys = session.execute(select(Customer.id, Customer.sort_key).where(Customer.id.in_(ids))).all()
        ordered = [k.id for k in sorted(keys, key=lambda k: (k.sort_key, k.id), reverse=descending)]
        for start in range(0, len(ordered), limit):
            chunk = ordered[start:start + limit]
            fetched = session.execute(_select_rows().where(Customer.id.in_(chunk), *conditions)).all()
            rows.extend(fetched)
            if len(rows) >= limit:
                break
        return rows


def _plan(key: str) -> Plan:
    """How to find the rows that match a normalized query."""
    if key.startswith("+") and key[1:].isdigit():
        key = key[1:]  # «+98912…» is a mobile number
    if key.isdigit():
        mobile = key
        if key.startswith("98") and len(key) > 2:
            mobile = "0" + key[2:]
        elif key.startswith("9"):
            mobile = "0" + key
        prefixes = [Prefix(Customer.national_id, key), Prefix(Customer.company_id, key),
                    Prefix(Customer.mobile, mobile), Prefix(Customer.customer_no, key)]
        return Plan([], prefixes, [])
    first, *rest = key.split(" ")
    extra = [(literal(" ") + Customer.name_key).like(f"% {_escape_like(word)}%", escape="\\") for word in rest]
    # Individuals sort by "last first" and companies by their name: both prefixes are sort-key prefixes.
    return Plan([persian_sort_key(first)], [Prefix(Customer.first_key, first)], extra)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _select_rows() -> Select[Any]:
    return select(*ROW_COLUMNS).join(Branch, Branch.id == Customer.branch_id)  # type: ignore[return-value]


def _row(r: Any) -> CustomerRow:
    return CustomerRow(
        id=r.id, kind=r.kind, display_name=r.display_name, national_id=r.national_id or r.company_id,
        mobile=r.mobile, customer_no=r.customer_no, branch_code=r.code, segment=r.segment,
        lifecycle_stage=r.lifecycle_stage, kyc_status=r.kyc_status, sort_key=r.sort_key,
    )


def _to_page(rows: Sequence[Any], limit: int) -> Page[CustomerRow]:
    records = [r if isinstance(r, CustomerRow) else _row(r) for r in rows]
    next_key = (records[-1].sort_key, records[-1].id) if len(records) == limit else None
    return Page(records, next_key)
