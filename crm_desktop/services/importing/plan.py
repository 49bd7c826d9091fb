"""The dry run's vocabulary (decisions, refused rows, the summary) and the customer planner.

A planner takes a batch of prepared rows and, on an open connection, decides for each row: create, update
(only the fields present in the file), unchanged, or refused with the column and a Persian reason. The same
planner serves the dry run (on a read snapshot) and the import (inside the write transaction), so what the
dry run promises is what the import does.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from crm_desktop.models.enums import CustomerKind
from crm_desktop.persian import format_number
from crm_desktop.services.actor import Actor
from crm_desktop.services.customer_fields import clean_customer
from crm_desktop.services.importing.headers import IDENTITY_FIELDS, ColumnMap, ImportKind
from crm_desktop.services.importing.rows import ROW, Prepared
from crm_desktop.services.records import CustomerInput

MAX_VALUE_SHOWN = 200
QUERY_CHUNK = 500
ID_LABELS = {"national_id": "کد ملی", "company_id": "شناسه ملی", "customer_no": "شماره مشتری"}
CUSTOMER_FIELDS = ("kind", "first_name", "last_name", "father_name", "national_id", "birth_date", "gender",
                   "company_name", "company_id", "registration_no", "contact_person", "customer_no", "mobile",
                   "phone", "email", "address", "postal_code", "segment", "lifecycle_stage", "kyc_status",
                   "kyc_date", "marketing_consent", "notes")
NAME_FIELDS = frozenset({"kind", "first_name", "last_name", "company_name"})
MISSING_ID = "برای شناختن مشتری «کد ملی»، «شناسه ملی» یا «شماره مشتری» لازم است."
MERGED = "این پرونده با پرونده مشتری دیگری ادغام شده است؛ اطلاعات را در پرونده اصلی وارد کنید."
MAX_SIMILAR_KEPT = 1000  # warnings kept in memory (all are counted)
OTHER_BRANCH = "این مشتری در شعبه دیگری ثبت شده است؛ فقط شعبه خود او می‌تواند اطلاعاتش را تغییر دهد."


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    REFUSED = "refused"


@dataclass(frozen=True)
class RefusedRow:
    row: int  # as the user sees it in Excel
    column: str  # the column header in the file (or the field's Persian name when the file lacks it)
    value: str
    reason: str  # Persian


@dataclass(frozen=True)
class SimilarRow:
    """A row of the file that looks like a stored customer (the row is still created)."""

    row: int  # as the user sees it in Excel
    name: str  # the name in the file
    customer_id: str
    customer_no: str  # the stored customer's number ("" when none)
    customer_name: str
    identity: str  # the stored customer's national ID or company ID ("" when none)
    score: int
    reasons: tuple[str, ...]  # Persian
    warning: str  # the sentence the form shows (Persian)


@dataclass
class Decision:
    row: int
    action: Action
    values: dict[str, Any] = field(default_factory=dict)  # create: every column; update: the changed ones
    target_id: str | None = None
    version: int | None = None
    branch_id: str | None = None
    refused: list[RefusedRow] = field(default_factory=list)


@dataclass
class ImportSummary:
    """What a dry run found, or what an import did (``written``)."""

    kind: ImportKind
    file_name: str
    encoding: str
    header_row: int
    mapping: dict[str, str | None]
    rows: int = 0  # data rows read
    to_create: int = 0
    to_update: int = 0
    unchanged: int = 0
    refused_rows: int = 0
    refused: list[RefusedRow] = field(default_factory=list)  # one line per refused cell
    similar_rows: int = 0  # rows to create that look like a stored customer (warned, still created)
    similar: list[SimilarRow] = field(default_factory=list)  # the first ``MAX_SIMILAR_KEPT`` of them
    notes: list[str] = field(default_factory=list)
    written: bool = False
    all_or_nothing: bool = False
    cancelled: bool = False

    def add(self, decision: Decision) -> None:
        self.rows += 1
        if decision.action is Action.CREATE:
            self.to_create += 1
        elif decision.action is Action.UPDATE:
            self.to_update += 1
        elif decision.action is Action.UNCHANGED:
            self.unchanged += 1
        else:
            self.refused_rows += 1
            self.refused.extend(decision.refused)

    def add_similar(self, warnings: Iterable[SimilarRow]) -> None:
        for warning in warnings:
            self.similar_rows += 1
            if len(self.similar) < MAX_SIMILAR_KEPT:
                self.similar.append(warning)

    def similar_headline(self) -> str:
        """The warnings in one Persian sentence ("" when there are none)."""
        if not self.similar_rows:
            return ""
        count = format_number(self.similar_rows)
        if self.written:
            return (f"{count} مشتری جدید به مشتریانی که پیش‌تر ثبت شده بودند شبیه است؛ اگر تکراری‌اند، در صفحه "
                    "«مشتریان تکراری» ادغامشان کنید.")
        return (f"{count} سطر به مشتریانی که پیش‌تر ثبت شده‌اند شبیه است؛ این فقط هشدار است و این سطرها هم "
                "ثبت می‌شوند.")

    def headline(self) -> str:
        noun = {"customers": "مشتری", "products": "محصول", "interactions": "تعامل"}[self.kind.value]
        made, changed = ("ایجاد شد", "به‌روز شد") if self.written else ("ایجاد می‌شود", "به‌روز می‌شود")
        return (f"{format_number(self.rows)} سطر خوانده شد: {format_number(self.to_create)} {noun} {made}، "
                f"{format_number(self.to_update)} {changed}، {format_number(self.unchanged)} بدون تغییر، "
                f"{format_number(self.refused_rows)} سطر رد شد.")


def shown(value: object) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= MAX_VALUE_SHOWN else text[:MAX_VALUE_SHOWN] + "…"


def refusal(cmap: ColumnMap, prepared: Prepared, errors: dict[str, str] | None = None) -> Decision:
    """A refused decision listing the row's cell issues and the validators' errors (one line each)."""
    lines: list[RefusedRow] = []
    flagged = {issue.field for issue in prepared.issues}
    for issue in prepared.issues:
        column = "" if issue.field == ROW else cmap.header_of(issue.field)
        lines.append(RefusedRow(prepared.row, column, shown(prepared.cells.get(issue.field)), issue.reason))
    for name, reason in (errors or {}).items():
        if name in flagged:
            continue
        lines.append(RefusedRow(prepared.row, cmap.header_of(name), shown(prepared.cells.get(name)), reason))
    return Decision(prepared.row, Action.REFUSED, refused=lines)


class DuplicateTracker:
    """Rows of one file that name the same customer (or the same record) twice: the later ones are refused."""

    def __init__(self) -> None:
        self._first: dict[tuple[str, str], int] = {}

    def check(self, keys: Iterable[tuple[str, str]], row: int) -> tuple[str, int] | None:
        keys = list(keys)
        for key in keys:
            first = self._first.get(key)
            if first is not None:
                return key[0], first
        for key in keys:
            self._first[key] = row
        return None


def fetch_customers(conn: sqlite3.Connection, keys: dict[str, set[str]]) -> dict[tuple[str, str], dict[str, Any]]:
    """Live customers by national ID, company ID and customer number: {(field, value): record}."""
    columns = ("id", "version", "branch_id", "merged_into", *CUSTOMER_FIELDS)
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for name, values in keys.items():
        ordered = sorted(values)
        for start in range(0, len(ordered), QUERY_CHUNK):
            chunk = ordered[start:start + QUERY_CHUNK]
            sql = (f"SELECT {', '.join(columns)} FROM customer WHERE deleted_at IS NULL"
                   f" AND {name} IN ({', '.join('?' * len(chunk))})")
            for row in conn.execute(sql, chunk):
                record = dict(zip(columns, row, strict=True))
                for date_field in ("birth_date", "kyc_date"):
                    if record[date_field]:
                        record[date_field] = date.fromisoformat(record[date_field])
                record["marketing_consent"] = bool(record["marketing_consent"])
                found[(name, record[name])] = record
    return found


_DEFAULTS = {k: v for k, v in asdict(CustomerInput()).items() if k != "branch_id"}


class CustomerPlanner:
    """Decides customer rows: match by کد ملی / شناسه ملی / شماره مشتری, then create, update or refuse."""

    def __init__(self, cmap: ColumnMap, actor: Actor, branch_id: str, today: date) -> None:
        self.cmap, self.actor, self.branch_id, self.today = cmap, actor, branch_id, today
        self.duplicates = DuplicateTracker()

    def decide(self, conn: sqlite3.Connection, batch: Sequence[Prepared]) -> list[Decision]:
        staged: list[tuple[Prepared, dict[str, Any], dict[str, str], dict[str, str]]] = []
        wanted: dict[str, set[str]] = {name: set() for name in IDENTITY_FIELDS}
        for prepared in batch:
            raw = {**_DEFAULTS, **prepared.values}
            if "kind" not in prepared.values and "national_id" not in prepared.values and (
                    "company_id" in prepared.values or "company_name" in prepared.values):
                raw["kind"] = str(CustomerKind.CORPORATE)
            clean, errors = clean_customer(raw, self.today)  # as a new customer; an update is checked again
            ids = {n: clean[n] for n in IDENTITY_FIELDS if n in prepared.values and n not in errors and clean.get(n)}
            for name, value in ids.items():
                wanted[name].add(value)
            staged.append((prepared, clean, errors, ids))
        existing = fetch_customers(conn, wanted)
        return [self._one(prepared, clean, errors, ids, existing) for prepared, clean, errors, ids in staged]

    def _one(self, prepared: Prepared, clean: dict[str, Any], errors: dict[str, str], ids: dict[str, str],
             existing: dict[tuple[str, str], dict[str, Any]]) -> Decision:
        bad_ids = {n: errors[n] for n in IDENTITY_FIELDS if n in errors and n in prepared.values}
        if prepared.issues or bad_ids:
            # The row cannot be matched: report what is wrong with the cells it has, not what it lacks.
            return refusal(self.cmap, prepared, {n: e for n, e in errors.items() if n in prepared.values})
        if not ids:
            return refusal(self.cmap, prepared, {**errors, "national_id": MISSING_ID})
        twice = self.duplicates.check(ids.items(), prepared.row)
        if twice:
            name, first = twice
            return refusal(self.cmap, prepared, {name: f"همین {ID_LABELS[name]} در سطر {format_number(first)} "
                                                        "همین فایل هم آمده است؛ هر مشتری یک بار."})
        matches = {name: existing[(name, value)] for name, value in ids.items() if (name, value) in existing}
        targets = {record["id"] for record in matches.values()}
        if len(targets) > 1:
            names = "، ".join(ID_LABELS[n] for n in matches)
            return refusal(self.cmap, prepared, {next(iter(matches)): f"{names} این سطر به مشتریان متفاوتی تعلق "
                                                                      "دارند؛ یکی از آن‌ها نادرست است."})
        if not targets:
            if errors:
                return refusal(self.cmap, prepared, errors)
            return Decision(prepared.row, Action.CREATE, clean, branch_id=self.branch_id)
        return self._update(prepared, next(iter(matches.values())))

    def _update(self, prepared: Prepared, record: dict[str, Any]) -> Decision:
        if not self.actor.sees_all_branches and record["branch_id"] != self.actor.branch_id:
            return refusal(self.cmap, prepared, {next(iter(prepared.values)): OTHER_BRANCH})
        if record["merged_into"]:
            return refusal(self.cmap, prepared, {next(iter(prepared.values)): MERGED})
        if "kind" in prepared.values and prepared.values["kind"] != record["kind"]:
            return refusal(self.cmap, prepared, {"kind": "نوع مشتری (حقیقی یا حقوقی) را با ورود اطلاعات نمی‌توان "
                                                         "تغییر داد."})
        base = {name: record[name] for name in CUSTOMER_FIELDS}
        clean, errors = clean_customer({**base, **prepared.values}, self.today)
        if errors:
            return refusal(self.cmap, prepared, errors)
        changed = {name: clean[name] for name in prepared.values if clean.get(name) != record[name]}
        if not changed:
            return Decision(prepared.row, Action.UNCHANGED, target_id=record["id"])
        if NAME_FIELDS & changed.keys():
            changed["_clean"] = clean  # the writer re-derives display name and search keys
        return Decision(prepared.row, Action.UPDATE, changed, record["id"], record["version"], record["branch_id"])
