"""The customers of a scope: how they divide by segment and stage, who came and went, products held, open requests.

Counts by segment and stage, products held and open requests are the state when the report is made; new and lost
customers belong to the period: new = created in it (and still live), lost = deleted in it (a merge is not a loss).
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass

from crm_desktop.models.enums import ProductState
from crm_desktop.reports.period import Period
from crm_desktop.services.reporting.activity import OPEN_LIST, Scope

MOST_PRODUCTS_BUCKET = 5  # «۵ و بیشتر»
TOP_OPEN = 20


@dataclass(frozen=True)
class CustomerMix:
    by_segment_stage: Counter[tuple[str, str]]
    new: int
    lost: int
    previous_new: int
    previous_lost: int
    products_held: Counter[int]  # number of products not closed (capped at MOST_PRODUCTS_BUCKET) -> customers
    most_open: list[tuple[str, str, str | None, int]]  # customer id, name, national or company id, open requests

    @property
    def customers(self) -> int:
        return sum(self.by_segment_stage.values())


def _new_and_lost(conn: sqlite3.Connection, scope: Scope, period: Period) -> tuple[int, int]:
    start, end = period.bounds()
    w, p = scope.where("x"), scope.params
    new = conn.execute(
        f"SELECT count(*) FROM customer x INDEXED BY ix_customer_branch_created WHERE {w}x.created_at >= ?"
        " AND x.created_at < ? AND x.deleted_at IS NULL AND x.merged_into IS NULL", (*p, start, end)).fetchone()[0]
    lost = conn.execute(
        f"SELECT count(*) FROM customer x INDEXED BY ix_customer_gone WHERE {w}x.deleted_at >= ? AND x.deleted_at < ?"
        " AND x.merged_into IS NULL AND (x.deleted_at IS NOT NULL OR x.merged_into IS NOT NULL)",
        (*p, start, end)).fetchone()[0]
    return int(new), int(lost)


def customer_mix(conn: sqlite3.Connection, scope: Scope, period: Period) -> CustomerMix:
    w, p = scope.where("x"), scope.params
    live = f"{w}x.deleted_at IS NULL AND x.merged_into IS NULL"
    by_segment_stage = Counter({(str(seg), str(stage)): int(n) for seg, stage, n in conn.execute(
        f"SELECT x.segment, x.lifecycle_stage, count(*) FROM customer x WHERE {live} GROUP BY 1, 2", p)})
    new, lost = _new_and_lost(conn, scope, period)
    previous_new, previous_lost = _new_and_lost(conn, scope, period.previous())
    # Two plain reads joined here: a correlated count per customer reads the product table once per customer.
    products = dict(conn.execute(
        "SELECT customer_id, count(*) FROM product WHERE deleted_at IS NULL"
        f" AND state != '{ProductState.CLOSED}' GROUP BY customer_id").fetchall())
    held: Counter[int] = Counter()
    for (customer_id,) in conn.execute(f"SELECT x.id FROM customer x WHERE {live}", p):
        held[min(int(products.get(customer_id, 0)), MOST_PRODUCTS_BUCKET)] += 1
    most_open = [(str(cid), str(name), code, int(n)) for cid, name, code, n in conn.execute(
        "SELECT c.id, c.display_name, coalesce(c.national_id, c.company_id), r.n FROM"
        f" (SELECT x.customer_id AS id, count(*) AS n FROM service_request x WHERE {w}x.status IN ({OPEN_LIST})"
        " AND x.deleted_at IS NULL GROUP BY x.customer_id) r JOIN customer c ON c.id = r.id"
        " WHERE c.deleted_at IS NULL AND c.merged_into IS NULL ORDER BY r.n DESC, c.sort_key LIMIT ?",
        (*p, TOP_OPEN))]
    return CustomerMix(by_segment_stage, new, lost, previous_new, previous_lost, held, most_open)
