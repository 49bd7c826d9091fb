"""Planners for rows that belong to an existing customer: products held and interactions.

The customer is found by کد ملی / شناسه ملی / شماره مشتری (validated by the customer rules); a product is
matched by its account number, an interaction by (customer, time, channel, subject), so importing the
same file twice changes nothing the second time.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from crm_desktop.models.base import to_utc_text
from crm_desktop.models.enums import ProductState
from crm_desktop.persian import format_number
from crm_desktop.services.actor import Actor
from crm_desktop.services.customer_fields import clean_customer
from crm_desktop.services.errors import InvalidInput
from crm_desktop.services.importing.headers import IDENTITY_FIELDS, ColumnMap
from crm_desktop.services.importing.plan import (
    ID_LABELS,
    MERGED,
    MISSING_ID,
    OTHER_BRANCH,
    QUERY_CHUNK,
    Action,
    Decision,
    DuplicateTracker,
    fetch_customers,
    refusal,
)
from crm_desktop.services.importing.rows import Prepared, clean_product
from crm_desktop.services.interactions import InteractionInput

PRODUCT_COLUMNS = {"product_kind": "kind", "account_no": "account_no", "opened_on": "opened_on", "state": "state",
                   "balance_band": "balance_band"}
NOT_FOUND = "مشتری‌ای با این {label} پیدا نشد؛ نخست خود مشتری را وارد کنید."


def _chunks(values: Sequence[str]) -> list[Sequence[str]]:
    return [values[i:i + QUERY_CHUNK] for i in range(0, len(values), QUERY_CHUNK)]


class OwnerResolver:
    """Finds the customer a row belongs to, with the customer rules for the identifiers."""

    def __init__(self, cmap: ColumnMap, actor: Actor, today: date) -> None:
        self.cmap, self.actor, self.today = cmap, actor, today

    def resolve(self, conn: sqlite3.Connection, batch: Sequence[Prepared]) -> list[tuple[Prepared, Any]]:
        """Each row with its customer record, or with the refused ``Decision`` explaining why not."""
        staged: list[tuple[Prepared, dict[str, str], dict[str, str]]] = []
        wanted: dict[str, set[str]] = {name: set() for name in IDENTITY_FIELDS}
        for prepared in batch:
            given = {n: prepared.values[n] for n in IDENTITY_FIELDS if n in prepared.values}
            clean, errors = clean_customer({"kind": "individual", **given}, self.today)
            bad = {n: errors[n] for n in given if n in errors}
            ids = {n: clean[n] for n in given if n not in bad}
            for name, value in ids.items():
                wanted[name].add(value)
            staged.append((prepared, ids, bad))
        found = fetch_customers(conn, wanted)
        out: list[tuple[Prepared, Any]] = []
        for prepared, ids, bad in staged:
            out.append((prepared, self._owner(prepared, ids, bad, found)))
        return out

    def _owner(self, prepared: Prepared, ids: dict[str, str], bad: dict[str, str],
               found: dict[tuple[str, str], dict[str, Any]]) -> Any:
        if bad or prepared.issues:
            return refusal(self.cmap, prepared, bad)
        if not ids:
            return refusal(self.cmap, prepared, {"national_id": MISSING_ID})
        records = {found[(n, v)]["id"]: found[(n, v)] for n, v in ids.items() if (n, v) in found}
        if not records:
            name = next(iter(ids))
            return refusal(self.cmap, prepared, {name: NOT_FOUND.format(label=ID_LABELS[name])})
        if len(records) > 1:
            return refusal(self.cmap, prepared, {next(iter(ids)): "شناسه‌های این سطر به مشتریان متفاوتی تعلق دارند."})
        record = next(iter(records.values()))
        if record["merged_into"]:
            return refusal(self.cmap, prepared, {next(iter(ids)): MERGED})
        if not self.actor.sees_all_branches and record["branch_id"] != self.actor.branch_id:
            return refusal(self.cmap, prepared, {next(iter(ids)): OTHER_BRANCH})
        return record


class ProductPlanner:
    def __init__(self, cmap: ColumnMap, actor: Actor, today: date) -> None:
        self.cmap, self.today = cmap, today
        self.owners = OwnerResolver(cmap, actor, today)
        self.duplicates = DuplicateTracker()

    def decide(self, conn: sqlite3.Connection, batch: Sequence[Prepared]) -> list[Decision]:
        resolved = self.owners.resolve(conn, batch)
        accounts = sorted({str(p.values["account_no"]).replace(" ", "").replace("-", "").upper()
                           for p, owner in resolved if isinstance(owner, dict) and p.values.get("account_no")})
        existing: dict[tuple[str, str], dict[str, Any]] = {}
        columns = ("id", "version", "customer_id", *PRODUCT_COLUMNS.values())
        for chunk in _chunks(accounts):
            sql = (f"SELECT {', '.join(columns)} FROM product WHERE deleted_at IS NULL"
                   f" AND account_no IN ({', '.join('?' * len(chunk))})")
            for row in conn.execute(sql, list(chunk)):
                record = dict(zip(columns, row, strict=True))
                record["opened_on"] = date.fromisoformat(record["opened_on"])
                existing[(record["customer_id"], record["account_no"])] = record
        return [owner if isinstance(owner, Decision) else self._one(prepared, owner, existing)
                for prepared, owner in resolved]

    def _one(self, prepared: Prepared, owner: dict[str, Any], existing: dict[tuple[str, str], Any]) -> Decision:
        fields = {f: prepared.values[f] for f in PRODUCT_COLUMNS if f in prepared.values}
        defaults: dict[str, Any] = {"state": str(ProductState.ACTIVE)}
        clean, errors = clean_product({**defaults, **fields}, self.today)
        account = clean.get("account_no")
        if account and "account_no" not in errors:
            twice = self.duplicates.check([("account_no", f"{owner['id']}:{account}")], prepared.row)
            if twice:
                return refusal(self.cmap, prepared, {"account_no": f"همین شماره حساب در سطر {twice[1]:,} هم آمده است."
                                                     .replace(f"{twice[1]:,}", format_number(twice[1]))})
        record = existing.get((owner["id"], account)) if account else None
        if record is None:
            if errors:
                return refusal(self.cmap, prepared, errors)
            values = {PRODUCT_COLUMNS[f]: clean[f] for f in PRODUCT_COLUMNS}
            return Decision(prepared.row, Action.CREATE, {**values, "customer_id": owner["id"]},
                            branch_id=owner["branch_id"])
        base = {f: record[column] for f, column in PRODUCT_COLUMNS.items()}
        clean, errors = clean_product({**base, **fields}, self.today)
        if errors:
            return refusal(self.cmap, prepared, errors)
        changed = {PRODUCT_COLUMNS[f]: clean[f] for f in fields if clean[f] != record[PRODUCT_COLUMNS[f]]}
        if not changed:
            return Decision(prepared.row, Action.UNCHANGED, target_id=record["id"])
        return Decision(prepared.row, Action.UPDATE, changed, record["id"], record["version"], owner["branch_id"])


class InteractionPlanner:
    """Interactions are only ever created; the same contact already on file is «unchanged»."""

    def __init__(self, cmap: ColumnMap, actor: Actor, today: date,
                 clean: Callable[[InteractionInput], dict[str, Any]]) -> None:
        self.cmap, self.clean = cmap, clean
        self.owners = OwnerResolver(cmap, actor, today)
        self.duplicates = DuplicateTracker()

    def decide(self, conn: sqlite3.Connection, batch: Sequence[Prepared]) -> list[Decision]:
        resolved = self.owners.resolve(conn, batch)
        owners = sorted({owner["id"] for _, owner in resolved if isinstance(owner, dict)})
        known: set[tuple[str, str, str, str]] = set()
        for chunk in _chunks(owners):
            sql = ("SELECT customer_id, occurred_at, channel, subject FROM interaction WHERE deleted_at IS NULL"
                   f" AND customer_id IN ({', '.join('?' * len(chunk))})")
            known.update(conn.execute(sql, list(chunk)))
        return [owner if isinstance(owner, Decision) else self._one(prepared, owner, known)
                for prepared, owner in resolved]

    def _one(self, prepared: Prepared, owner: dict[str, Any], known: set[tuple[str, str, str, str]]) -> Decision:
        v = prepared.values
        data = InteractionInput(
            customer_id=owner["id"], channel=v.get("channel", ""), direction=v.get("direction", "inbound"),
            subject=v.get("subject", ""), notes=v.get("notes"), occurred_at=v.get("occurred_at"),
            duration_minutes=v.get("duration_minutes"), outcome=v.get("outcome"), follow_up_on=v.get("follow_up_on"),
        )
        if "occurred_at" not in v:
            return refusal(self.cmap, prepared, {"occurred_at": "«تاریخ و ساعت» تعامل را وارد کنید."})
        try:
            clean = self.clean(data)
        except InvalidInput as exc:
            return refusal(self.cmap, prepared, exc.errors)
        key = (owner["id"], to_utc_text(clean["occurred_at"]), clean["channel"], clean["subject"])
        twice = self.duplicates.check([("interaction", "|".join(key))], prepared.row)
        if twice:
            reason = f"همین تعامل در سطر {format_number(twice[1])} هم آمده است."
            return refusal(self.cmap, prepared, {"subject": reason})
        if key in known:
            return Decision(prepared.row, Action.UNCHANGED)
        return Decision(prepared.row, Action.CREATE, clean, branch_id=owner["branch_id"])
