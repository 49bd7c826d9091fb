"""What syncs: the synced tables, how each is scoped to a branch, and the class of every column.

Field classes (design note §9), consulted only when the *same* field changed on both sides:

* ``R`` rule-merged: the rule decides (``max``, ``min_set``, ``restrictive``), recorded in the result;
* ``A`` append-only: set when the row is created and never edited (a later edit that meets a
  different server value becomes a conflict, so nothing is lost);
* ``H`` human review: the server value stays and a ``sync_conflict`` row opens;
* ``S`` server-owned: a desktop op may not write it (the op is rejected). Bookkeeping stamps, the
  derived search keys the server recomputes, ``merged_into`` (a back-office merge, or a manager's
  merge on a desk: ``crm_desktop/server/merges.py``) and ``app_user.password_hash`` (never leaves
  either side: ``local``).

Scopes: reference data (branches, users, SLA policy, holidays, settings) is ``'*'``; a customer is
scoped by its ``branch_id``; its children (products, interactions, service requests, and the
requests' status history) follow their customer through their foreign keys, so a desk never holds
a child whose parent it cannot see.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import Column, Table

from crm_desktop.models import SYNCED_MODELS, Base
from crm_desktop.models.enums import Role
from crm_desktop.sync.values import Kind, kind_of

GLOBAL_SCOPE = "*"


class FieldClass(StrEnum):
    RULE = "R"
    APPEND = "A"
    HUMAN = "H"
    SERVER = "S"


class Rule(StrEnum):
    MAX = "max"  # the later value wins (None counts as nothing)
    MIN_SET = "min_set"  # the earliest non-null value wins: archiving wins over an edit, first archive kept
    RESTRICTIVE = "restrictive"  # False wins over True (opt-out beats opt-in; a deactivated account stays off)


@dataclass(frozen=True)
class FieldSpec:
    cls: FieldClass
    rule: Rule | None = None
    derived: bool = False  # computed from other columns (on both sides); never written by an op
    local: bool = False  # never travels in ops or rows (a password hash)

    def __post_init__(self) -> None:
        if (self.cls is FieldClass.RULE) != (self.rule is not None):
            raise ValueError("a rule belongs to class R and class R needs a rule")


@dataclass(frozen=True)
class TableSpec:
    name: str
    fields: Mapping[str, FieldSpec]
    kinds: Mapping[str, Kind]
    #: ``None`` for reference data ('*'); a column holding the branch id; or a (fk column, parent table) hop.
    scope_column: str | None = None
    parent: tuple[str, str] | None = None
    #: Roles that may create or edit rows of this table from a desk.
    writers: frozenset[str] = frozenset()
    #: Columns a row travels without (``local``), in the order of the table.
    wire_columns: tuple[str, ...] = field(default=())

    @property
    def is_global(self) -> bool:
        return self.scope_column is None and self.parent is None

    def writable(self, column: str) -> bool:
        spec = self.fields.get(column)
        return spec is not None and spec.cls is not FieldClass.SERVER


S = FieldSpec(FieldClass.SERVER)
H = FieldSpec(FieldClass.HUMAN)
A = FieldSpec(FieldClass.APPEND)
DERIVED = FieldSpec(FieldClass.SERVER, derived=True)
ARCHIVE = FieldSpec(FieldClass.RULE, Rule.MIN_SET)

#: Columns of SyncedMixin, the same on every synced table.
COMMON: dict[str, FieldSpec] = {
    "id": A,
    "created_at": A,
    "updated_at": S,
    "version": S,
    "changed_by": S,
    "changed_device": S,
    "deleted_at": ARCHIVE,
    "deleted_reason": H,
}

_STAFF = frozenset({Role.CLERK, Role.MANAGER, Role.ADMIN})
_MANAGERS = frozenset({Role.MANAGER, Role.ADMIN})
_ADMINS = frozenset({Role.ADMIN})

#: Per table: scope, writers and the classes of the table's own columns (everything else is ``H``
#: unless listed; the completeness test still demands that every column is covered here or in COMMON).
_TABLES: dict[str, dict[str, Any]] = {
    "branch": {"writers": _ADMINS, "fields": {"code": H, "name": H, "address": H}},
    "app_user": {
        "writers": _ADMINS,
        "fields": {
            "username": A, "full_name": H, "role": H, "branch_id": H,
            "password_hash": FieldSpec(FieldClass.SERVER, local=True),
            "active": FieldSpec(FieldClass.RULE, Rule.RESTRICTIVE),
        },
    },
    "customer": {
        "scope_column": "branch_id",
        "writers": _STAFF,
        "fields": {
            "branch_id": H, "kind": A, "customer_no": H,
            "first_name": H, "last_name": H, "father_name": H, "national_id": H, "birth_date": H, "gender": H,
            "company_name": H, "company_id": H, "registration_no": H, "contact_person": H,
            "mobile": H, "phone": H, "email": H, "address": H, "postal_code": H,
            "segment": H, "lifecycle_stage": H, "kyc_status": H, "kyc_date": H,
            "marketing_consent": FieldSpec(FieldClass.RULE, Rule.RESTRICTIVE),
            "notes": H, "merged_into": S,
            "display_name": DERIVED, "sort_key": DERIVED, "name_key": DERIVED,
            "first_key": DERIVED, "last_key": DERIVED, "org_key": DERIVED,
        },
    },
    "product": {
        "parent": ("customer_id", "customer"),
        "writers": _STAFF,
        "fields": {"customer_id": A, "kind": A, "account_no": H, "opened_on": H, "state": H, "balance_band": H},
    },
    "interaction": {
        "parent": ("customer_id", "customer"),
        "writers": _STAFF,
        "fields": {
            "customer_id": A, "branch_id": A, "user_id": A, "channel": A, "direction": A, "occurred_at": A,
            "subject": H, "notes": H, "duration_minutes": H, "outcome": H, "follow_up_on": H,
        },
    },
    "service_request": {
        "parent": ("customer_id", "customer"),
        "writers": _STAFF,
        "fields": {
            "number": A, "customer_id": A, "branch_id": A, "category": H, "priority": H, "status": H,
            "subject": H, "description": H, "assignee_id": H, "opened_by": A, "opened_at": A, "due_at": H,
            "first_response_at": FieldSpec(FieldClass.RULE, Rule.MIN_SET),
            "resolved_at": H, "closed_at": H, "resolution": H, "satisfaction": H,
        },
    },
    "request_status_change": {
        "parent": ("request_id", "service_request"),
        "writers": _STAFF,
        "fields": {"request_id": A, "from_status": A, "to_status": A, "transition": A, "user_id": A,
                   "changed_at": A, "note": A},
    },
    "sla_policy": {"writers": _MANAGERS,
                   "fields": {"category": A, "priority": A, "target_minutes": H, "first_response_minutes": H}},
    "holiday": {"writers": _ADMINS, "fields": {"day": H, "name": H}},
    "setting": {"writers": _ADMINS, "fields": {"key": A, "value": H}},
    "duplicate_dismissal": {
        "parent": ("customer_a", "customer"),
        "writers": _STAFF,
        "fields": {"customer_a": A, "customer_b": A, "note": H},
    },
}


def _build() -> dict[str, TableSpec]:
    """Specs of the configured synced tables; a synced model missing from ``_TABLES`` is left out
    (it does not sync at all, rather than sync unscoped) and ``unclassified_columns`` reports it."""
    specs: dict[str, TableSpec] = {}
    for model in SYNCED_MODELS:
        table: Table = model.__table__  # type: ignore[attr-defined]
        conf = _TABLES.get(table.name)
        if conf is None:
            continue
        fields: dict[str, FieldSpec] = {}
        for column in table.columns:
            spec = conf["fields"].get(column.name) or COMMON.get(column.name)
            if spec is not None:
                fields[column.name] = spec
        kinds = {c.name: kind_of(c) for c in table.columns}
        wire = tuple(c.name for c in table.columns if c.name in fields and not fields[c.name].local)
        specs[table.name] = TableSpec(
            name=table.name, fields=fields, kinds=kinds, scope_column=conf.get("scope_column"),
            parent=conf.get("parent"), writers=frozenset(str(r) for r in conf["writers"]), wire_columns=wire,
        )
    return specs


CATALOG: dict[str, TableSpec] = _build()
#: Synced tables in dependency order (parents before children).
SYNCED_TABLES: tuple[str, ...] = tuple(
    m.__table__.name for m in SYNCED_MODELS if m.__table__.name in CATALOG  # type: ignore[attr-defined]
)


def table(name: str) -> TableSpec:
    """The spec of a synced table; KeyError for any other name."""
    return CATALOG[name]


def unclassified_columns() -> list[str]:
    """``table.column`` of every column of a synced table that has no field class (must stay empty)."""
    missing = []
    for model in SYNCED_MODELS:
        name = model.__table__.name  # type: ignore[attr-defined]
        columns: list[Column[Any]] = list(Base.metadata.tables[name].columns)
        known = CATALOG[name].fields if name in CATALOG else {}
        missing += [f"{name}.{c.name}" for c in columns if c.name not in known]
    return missing


def scope_path(name: str) -> list[tuple[str, str]]:
    """The (fk column, parent table) hops from ``name`` to the table that holds the scope column."""
    hops: list[tuple[str, str]] = []
    spec = CATALOG[name]
    while spec.parent is not None:
        hops.append(spec.parent)
        spec = CATALOG[spec.parent[1]]
    return hops


def scope_root(name: str) -> TableSpec:
    """The table whose column decides the scope of ``name`` (itself when it has the column)."""
    path = scope_path(name)
    return CATALOG[path[-1][1]] if path else CATALOG[name]


def children(name: str) -> list[str]:
    """Tables whose scope runs through ``name`` (directly or further down), parents first."""
    found = [t for t in SYNCED_TABLES if CATALOG[t].parent is not None and CATALOG[t].parent[1] == name]  # type: ignore[index]
    result: list[str] = []
    for child in found:
        result += [child, *children(child)]
    return result
