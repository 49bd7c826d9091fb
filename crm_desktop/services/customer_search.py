"""Search as you type over customers, in keyset pages sorted in Persian order.

A query is normalized (Persian letters, ASCII digits, no ZWNJ differences).
Digits match the start of a national ID, company ID, mobile or customer
number; a word matches the start of a last name, company name or first name
(several words: "last first", "first last" or a name of several words). ``contains=True`` matches
anywhere in the name instead (a scan, for when the start is not known).

It must stay fast on a million customers, for narrow queries (a national ID)
and broad ones (one letter) alike. Each way of matching is a *stream* of rows
in Persian order, and a page merges the streams:

* last and company names: the sort key starts with the name, so their matches
  are one contiguous range of the Persian-order index, read in order;
* every other field (first name, IDs, mobile): when few rows match (at most
  ``NARROW_LIMIT``) they are read through that field's index and sorted; when
  many match, the Persian-order index is walked and rows are tested, which
  finds a page quickly precisely because matches are dense;
* numbers within one branch: the branch's number index carries the sort key,
  so up to ``BRANCH_NARROW_LIMIT`` matches are counted and ordered from that
  index alone; more matches than that are dense enough to walk.

This is the hottest read of the app, so it is plain SQL on a ``sqlite3``
connection: building SQLAlchemy statements cost more than running them. The
statements are written so that SQLite has one sensible index to use, whatever
its statistics say.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from crm_desktop.persian import normalize, persian_sort_key
from crm_desktop.services.actor import Actor
from crm_desktop.services.base import ServiceBase
from crm_desktop.services.errors import InvalidInput
from crm_desktop.services.paging import Page, PageKey, check_limit
from crm_desktop.services.permissions import Action, require
from crm_desktop.services.records import CustomerRow

NARROW_LIMIT = 5000
BRANCH_NARROW_LIMIT = 20000
MAX_PAGE = 1000
TOP = "\U0010ffff"
SELECT_ROWS = (
    "SELECT c.id, c.kind, c.display_name, coalesce(c.national_id, c.company_id), c.mobile, c.customer_no, b.code,"
    " c.segment, c.lifecycle_stage, c.kyc_status, c.sort_key FROM customer c JOIN branch b ON b.id = c.branch_id"
)
# Column -> the condition that lets SQLite read its index alone (the ID indexes only hold live rows).
PREFIX_COLUMNS = {
    "national_id": " AND deleted_at IS NULL",
    "company_id": " AND deleted_at IS NULL",
    "mobile": "",
    "customer_no": "",
    "first_key": "",
}
PRIMARY_KEY_INDEX = "sqlite_autoindex_customer_1"  # SQLite's name for the index of the text primary key ``id``
# Columns with a per-branch index over live rows that also holds the sort key (migration 0004).
BRANCH_INDEXED = ("national_id", "company_id", "mobile", "customer_no")


@dataclass(frozen=True)
class Prefix:
    """Rows whose ``column`` starts with ``text``."""

    column: str
    text: str


@dataclass(frozen=True)
class SortRange:
    """Rows whose sort key starts with ``key`` (and, optionally, whose first name starts with ``first``)."""

    key: str
    first: str | None = None


@dataclass(frozen=True)
class Plan:
    sort_ranges: list[SortRange]  # read as ranges of the Persian-order index
    prefixes: list[Prefix]  # other columns: narrow through their index, or broad by walking


@dataclass(frozen=True)
class Where:
    """The conditions every row of the page meets, as SQL and its parameters."""

    sql: str
    params: tuple[Any, ...]

    def extend(self, sql: str, *params: Any) -> Where:
        return Where(f"{self.sql} AND {sql}", self.params + params)


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
        check_limit(limit, MAX_PAGE)
        if not isinstance(query, str):
            raise InvalidInput({"query": "عبارت جستجو نامعتبر است."})
        if after is not None and (len(after) != 2 or not all(isinstance(part, str) for part in after)):
            raise InvalidInput({"after": "نشانه صفحه نامعتبر است."})
        for name, value in (("segment", segment), ("lifecycle_stage", lifecycle_stage), ("branch_id", branch_id)):
            if value is not None and not isinstance(value, str):
                raise InvalidInput({name: "فیلتر نامعتبر است."})
        where = Where("c.deleted_at IS NULL AND c.merged_into IS NULL", ())
        scope = branch_id if actor.sees_all_branches else actor.branch_id
        if scope:
            where = where.extend("c.branch_id = ?", scope)
        if segment:
            where = where.extend("c.segment = ?", segment)
        if lifecycle_stage:
            where = where.extend("c.lifecycle_stage = ?", lifecycle_stage)
        if after is not None:
            where = where.extend(f"(c.sort_key, c.id) {'<' if descending else '>'} (?, ?)", *after)
        key = normalize(query)
        sort_index = "ix_customer_branch_sort" if scope else "ix_customer_sort"

        with self.db.read_raw() as conn:
            if not key:
                return _to_page(_walk(conn, where, limit, descending, sort_index), limit)
            if contains:
                pattern = f"%{_escape_like(key)}%"
                return _to_page(_walk(conn, where.extend("c.name_key LIKE ? ESCAPE '\\'", pattern), limit,
                                      descending, sort_index), limit)
            plan = _plan(key)
            found: dict[str, tuple[Any, ...]] = {}
            for sort_range in plan.sort_ranges:
                ranged = where.extend("c.sort_key >= ? AND c.sort_key < ?", sort_range.key, sort_range.key + TOP)
                if sort_range.first:
                    ranged = ranged.extend("substr(c.first_key, 1, ?) = ?", len(sort_range.first), sort_range.first)
                found.update((row[0], row) for row in _walk(conn, ranged, limit, descending, sort_index))
            for prefix in plan.prefixes:
                if scope and prefix.column in BRANCH_INDEXED:
                    ordered = _branch_prefix_ids(conn, prefix, scope, after, descending)
                    if ordered is not None:
                        found.update((row[0], row) for row in _in_order(conn, ordered, where, limit))
                        continue
                    ids = None
                else:
                    ids = self._narrow_candidates(conn, prefix)
                if ids is None:
                    tested = where.extend(f"substr(c.{prefix.column}, 1, ?) = ?", len(prefix.text), prefix.text)
                    rows = _walk(conn, tested, limit, descending, sort_index)
                else:
                    rows = self._sorted_subset(conn, ids, where, limit, descending)
                found.update((row[0], row) for row in rows)
        merged = sorted(found.values(), key=lambda r: (r[10], r[0]), reverse=descending)[:limit]
        return _to_page(merged, limit)

    def rows_by_id(self, actor: Actor, ids: list[str]) -> list[CustomerRow]:
        """Fresh rows for customers that changed (for a list that updates in place)."""
        require(actor, Action.VIEW_CUSTOMER)
        where = Where("c.deleted_at IS NULL", ())
        if not actor.sees_all_branches:
            where = where.extend("c.branch_id = ?", actor.branch_id)
        with self.db.read_raw() as conn:
            return [_row(r) for r in _by_ids(conn, list(ids), where)]

    # -- the narrow way of reading ------------------------------------------------------------
    @staticmethod
    def _narrow_candidates(conn: sqlite3.Connection, prefix: Prefix) -> list[int] | None:
        """The rowids starting with ``prefix``, read from its index alone, or None when there are too many.

        Rowids are stable within the read transaction this runs in.
        """
        column, covered = prefix.column, PREFIX_COLUMNS[prefix.column]
        rowids = conn.execute(
            f"SELECT rowid FROM customer WHERE {column} >= ? AND {column} < ?{covered} LIMIT ?",
            (prefix.text, prefix.text + TOP, NARROW_LIMIT + 1),
        ).fetchall()
        return None if len(rowids) > NARROW_LIMIT else [r[0] for r in rowids]

    @staticmethod
    def _sorted_subset(
        conn: sqlite3.Connection, rowids: list[int], where: Where, limit: int, descending: bool
    ) -> list[tuple[Any, ...]]:
        """The first ``limit`` of a few known customers, in Persian order, that meet ``where``.

        Looked up by rowid and sorted here, so that no other index can tempt SQLite into a scan.
        """
        keys: list[tuple[str, str]] = []
        for start in range(0, len(rowids), 500):
            chunk = rowids[start:start + 500]
            keys += conn.execute(
                f"SELECT sort_key, id FROM customer WHERE rowid IN ({', '.join('?' * len(chunk))})", chunk
            ).fetchall()
        return _in_order(conn, [k[1] for k in sorted(keys, reverse=descending)], where, limit)


def _branch_prefix_ids(
    conn: sqlite3.Connection, prefix: Prefix, branch_id: str, after: PageKey | None, descending: bool
) -> list[str] | None:
    """Ids of one branch's live customers whose number starts with ``prefix``, in Persian order after ``after``.

    None when more than ``BRANCH_NARROW_LIMIT`` match: then they are dense and a walk is quicker. Both
    statements read the branch's number index alone, and the count stops at the cap.
    """
    column = prefix.column
    sql = (f"FROM customer INDEXED BY ix_customer_branch_{column} WHERE branch_id = ? AND {column} >= ?"
           f" AND {column} < ? AND deleted_at IS NULL AND merged_into IS NULL")
    params: tuple[Any, ...] = (branch_id, prefix.text, prefix.text + TOP)
    if after is not None:
        sql += f" AND (sort_key, id) {'<' if descending else '>'} (?, ?)"
        params += tuple(after)
    count = conn.execute(f"SELECT count(*) FROM (SELECT 1 {sql} LIMIT ?)", (*params, BRANCH_NARROW_LIMIT + 1))
    if count.fetchone()[0] > BRANCH_NARROW_LIMIT:
        return None
    order = "DESC" if descending else ""
    return [r[0] for r in conn.execute(f"SELECT id {sql} ORDER BY sort_key {order}, id {order}", params)]


def _in_order(conn: sqlite3.Connection, ids: list[str], where: Where, limit: int) -> list[tuple[Any, ...]]:
    """The first ``limit`` rows meeting ``where`` among ``ids``, which are already in page order."""
    rows: list[tuple[Any, ...]] = []
    for start in range(0, len(ids), limit):
        rows += _by_ids(conn, ids[start:start + limit], where)
        if len(rows) >= limit:
            break
    return rows


def _walk(conn: sqlite3.Connection, where: Where, limit: int, descending: bool, index: str) -> list[tuple[Any, ...]]:
    """Read in Persian order along the sort ``index``, keeping the rows that meet ``where``.

    The index is named: the branch's number indexes also start with the branch and hold only live rows, and
    SQLite would otherwise walk one of those and sort.
    """
    order = "c.sort_key DESC, c.id DESC" if descending else "c.sort_key, c.id"
    select = SELECT_ROWS.replace("FROM customer c", f"FROM customer c INDEXED BY {index}")
    return conn.execute(f"{select} WHERE {where.sql} ORDER BY {order} LIMIT ?", (*where.params, limit)).fetchall()


def _by_ids(conn: sqlite3.Connection, ids: list[str], where: Where) -> list[tuple[Any, ...]]:
    """The rows of ``ids`` that meet ``where``, looked up by primary key (never by a branch index)."""
    if not ids:
        return []
    select = SELECT_ROWS.replace("FROM customer c", f"FROM customer c INDEXED BY {PRIMARY_KEY_INDEX}")
    return conn.execute(
        f"{select} WHERE c.id IN ({', '.join('?' * len(ids))}) AND {where.sql}", (*ids, *where.params)
    ).fetchall()


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
        prefixes = [Prefix("national_id", key), Prefix("company_id", key), Prefix("mobile", mobile),
                    Prefix("customer_no", key)]
        return Plan([], prefixes)
    # Individuals sort by "last first" and companies by their name, so "last [first]" and a company name
    # are sort-key prefixes; "first last" is the last name's range, tested on the first name (in the index).
    words = key.split(" ")
    ranges = [SortRange(persian_sort_key(key))]
    ranges += [SortRange(persian_sort_key(" ".join(words[i:])), " ".join(words[:i])) for i in range(1, len(words))]
    return Plan(ranges, [Prefix("first_key", key)] if len(words) == 1 else [])


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _row(r: Sequence[Any]) -> CustomerRow:
    return CustomerRow(
        id=r[0], kind=r[1], display_name=r[2], national_id=r[3], mobile=r[4], customer_no=r[5], branch_code=r[6],
        segment=r[7], lifecycle_stage=r[8], kyc_status=r[9], sort_key=r[10],
    )


def _to_page(rows: Sequence[Sequence[Any]], limit: int) -> Page[CustomerRow]:
    records = [_row(r) for r in rows]
    next_key = (records[-1].sort_key, records[-1].id) if len(records) == limit else None
    return Page(records, next_key)
