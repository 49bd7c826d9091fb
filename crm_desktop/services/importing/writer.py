"""Write decided rows inside an open unit of work, in bulk (``executemany``).

The rows go through the same tables and therefore the same journal triggers as a hand edit: every insert
and every changed column is journaled with the unit of work's user and ``import:<file>`` source, and every
update bumps ``version`` (the guard trigger refuses one that does not).
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from datetime import date, datetime
from typing import Any

from crm_desktop.models import new_id
from crm_desktop.models.base import to_utc_text
from crm_desktop.services.customer_fields import derived_keys
from crm_desktop.services.errors import Conflict
from crm_desktop.services.importing.headers import ImportKind
from crm_desktop.services.importing.plan import CUSTOMER_FIELDS, Action, Decision

META = ("id", "created_at", "updated_at", "version", "changed_by", "changed_device")
DERIVED = ("display_name", "sort_key", "name_key", "first_key", "last_key", "org_key")
COLUMNS: dict[ImportKind, tuple[str, tuple[str, ...]]] = {
    ImportKind.CUSTOMERS: ("customer", ("branch_id", *CUSTOMER_FIELDS, *DERIVED)),
    ImportKind.PRODUCTS: ("product", ("customer_id", "kind", "account_no", "opened_on", "state", "balance_band")),
    ImportKind.INTERACTIONS: ("interaction", ("customer_id", "branch_id", "user_id", "channel", "direction", "subject",
                                              "notes", "occurred_at", "duration_minutes", "outcome",
                                              "follow_up_on")),
}


#: Columns whose values are dates, times or booleans (everything else is stored as it comes).
TYPED = frozenset({"birth_date", "kyc_date", "marketing_consent", "opened_on", "occurred_at", "follow_up_on"})


def _sql_value(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        return to_utc_text(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


class BulkWriter:
    """Inserts and updates of one kind, stamped like the ORM stamps its writes."""

    def __init__(self, kind: ImportKind, user_id: str, device_id: str, now: datetime) -> None:
        self.kind, self.user_id, self.device_id = kind, user_id, device_id
        self.now_text = to_utc_text(now)
        self.table, self.columns = COLUMNS[kind]
        self.typed = [i for i, c in enumerate(self.columns) if c in TYPED]
        self.touched_customers: set[str] = set()
        self.created_interactions: set[str] = set()

    def write(self, conn: sqlite3.Connection, decisions: list[Decision]) -> None:
        inserts = [d for d in decisions if d.action is Action.CREATE]
        updates = [d for d in decisions if d.action is Action.UPDATE]
        try:
            if inserts:
                self._insert(conn, inserts)
            if updates:
                self._update(conn, updates)
        except sqlite3.IntegrityError:
            # The decisions were made in this same transaction, so this is a rule the planner does not know.
            raise Conflict("ثبت این بخش از فایل با قواعد پایگاه داده سازگار نبود (مثلاً شناسه تکراری)؛ "
                           "هیچ سطری از این بخش ثبت نشد. ورود را دوباره اجرا کنید.") from None

    def _insert(self, conn: sqlite3.Connection, decisions: list[Decision]) -> None:
        columns = (*META, *self.columns)
        rows = []
        for decision in decisions:
            values = dict(decision.values)
            if self.kind is ImportKind.CUSTOMERS:
                values.update(derived_keys(values), branch_id=decision.branch_id)
            elif self.kind is ImportKind.INTERACTIONS:
                values.update(branch_id=decision.branch_id, user_id=self.user_id)
            row_id = new_id()
            self._touch(row_id, values)
            row = [values.get(c) for c in self.columns]
            for i in self.typed:
                row[i] = _sql_value(row[i])
            rows.append((row_id, self.now_text, self.now_text, 1, self.user_id, self.device_id, *row))
        conn.executemany(f"INSERT INTO {self.table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                         rows)

    def _update(self, conn: sqlite3.Connection, decisions: list[Decision]) -> None:
        groups: dict[tuple[str, ...], list[tuple[Any, ...]]] = defaultdict(list)
        for decision in decisions:
            values = dict(decision.values)
            clean = values.pop("_clean", None)
            if clean is not None:
                values.update(derived_keys(clean))
            assert decision.target_id is not None
            self._touch(decision.target_id, values)
            names = tuple(sorted(values))
            groups[names].append((*(_sql_value(values[n]) for n in names), self.now_text, self.user_id,
                                  self.device_id, decision.target_id, decision.version))
        for names, rows in groups.items():
            assignments = ", ".join(f"{n} = ?" for n in names)
            cursor = conn.executemany(
                f"UPDATE {self.table} SET {assignments}, version = version + 1, updated_at = ?, changed_by = ?,"
                " changed_device = ? WHERE id = ? AND version = ? AND deleted_at IS NULL", rows)
            if cursor.rowcount != len(rows):
                raise Conflict("رکوردی در میانه ورود اطلاعات توسط کاربر دیگری تغییر کرد؛ ورود را دوباره اجرا کنید.")

    def _touch(self, row_id: str, values: dict[str, Any]) -> None:
        if self.kind is ImportKind.CUSTOMERS:
            self.touched_customers.add(row_id)
        else:
            customer = values.get("customer_id")
            if customer:
                self.touched_customers.add(customer)
            if self.kind is ImportKind.INTERACTIONS:
                self.created_interactions.add(row_id)
