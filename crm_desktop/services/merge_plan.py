"""What a merge shows and decides, without a database: the fields, their values side by side, the user's picks.

A merge takes, field by field, the value the user chose: the value of one of the merged records (named by its id)
or a value typed in. Fields left out keep the survivor's value. Everything is validated afterwards by
``clean_customer``, exactly like a hand edit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from crm_desktop.models import Customer
from crm_desktop.models.enums import CustomerKind, Gender, KycStatus, LifecycleStage, Segment
from crm_desktop.persian import format_jalali_date, to_persian_digits
from crm_desktop.services.customer_fields import FIELD_LABELS
from crm_desktop.services.records import CustomerDetail

#: Every field a merge can choose, with its Persian name (glossary words), in form order.
MERGE_FIELDS: dict[str, str] = {
    "first_name": FIELD_LABELS["first_name"],
    "last_name": FIELD_LABELS["last_name"],
    "father_name": FIELD_LABELS["father_name"],
    "national_id": "کد ملی",
    "birth_date": "تاریخ تولد",
    "gender": "جنسیت",
    "company_name": FIELD_LABELS["company_name"],
    "company_id": "شناسه ملی",
    "registration_no": "شماره ثبت",
    "contact_person": FIELD_LABELS["contact_person"],
    "customer_no": "شماره مشتری",
    "mobile": "تلفن همراه",
    "phone": "تلفن ثابت",
    "email": "پست الکترونیک",
    "address": "نشانی",
    "postal_code": "کد پستی",
    "segment": "بخش مشتری",
    "lifecycle_stage": "مرحله چرخه عمر",
    "kyc_status": "وضعیت احراز هویت",
    "kyc_date": "تاریخ احراز هویت",
    "marketing_consent": "رضایت دریافت پیام تبلیغاتی",
    "notes": "یادداشت",
}
INDIVIDUAL_ONLY = frozenset({"first_name", "last_name", "father_name", "national_id", "birth_date", "gender"})
CORPORATE_ONLY = frozenset({"company_name", "company_id", "registration_no", "contact_person"})
_ENUMS: dict[str, Any] = {"gender": Gender, "segment": Segment, "lifecycle_stage": LifecycleStage,
                          "kyc_status": KycStatus}
_DIGIT_FIELDS = frozenset({"national_id", "company_id", "registration_no", "customer_no", "mobile", "phone",
                           "postal_code"})
EMPTY_TEXT = "—"


def fields_for(kind: str) -> tuple[str, ...]:
    """The fields a customer of ``kind`` has (the other kind's fields are always empty)."""
    other = CORPORATE_ONLY if kind == CustomerKind.INDIVIDUAL else INDIVIDUAL_ONLY
    return tuple(f for f in MERGE_FIELDS if f not in other)


def customer_values(customer: Customer) -> dict[str, Any]:
    """The kind and every mergeable field of a customer, as the model holds them."""
    return {"kind": customer.kind, **{f: getattr(customer, f) for f in MERGE_FIELDS}}


def display_text(field: str, value: Any) -> str:
    """A value as the user reads it: Persian digits, Jalali dates, Persian names of choices."""
    if value is None or value == "":
        return EMPTY_TEXT
    if isinstance(value, bool):
        return "بله" if value else "خیر"
    if isinstance(value, date | datetime):
        return format_jalali_date(value)
    if field in _ENUMS:
        try:
            return str(_ENUMS[field](value).label)
        except ValueError:
            return str(value)
    if field in _DIGIT_FIELDS:
        return to_persian_digits(str(value))
    return str(value)


@dataclass(frozen=True)
class FieldOption:
    """One distinct value of a field and the records that hold it."""

    value: Any
    text: str
    customer_ids: tuple[str, ...]


@dataclass(frozen=True)
class FieldValues:
    """One field across the records: its distinct values in record order; ``differs`` when there are several."""

    field: str
    label: str
    options: tuple[FieldOption, ...]

    @property
    def differs(self) -> bool:
        return len(self.options) > 1


@dataclass(frozen=True)
class MergeCandidate:
    """One record of a merge preview, with what it brings along (live children)."""

    id: str
    version: int
    kind: str
    display_name: str
    branch_id: str
    branch_code: str
    created_at: datetime
    updated_at: datetime
    values: Mapping[str, Any]
    interactions: int
    requests: int
    products: int

    @property
    def weight(self) -> int:
        return self.interactions + self.requests + self.products


@dataclass(frozen=True)
class MergePreview:
    """The records side by side, per field the distinct values, and a suggested survivor."""

    records: tuple[MergeCandidate, ...]
    fields: tuple[FieldValues, ...]
    suggested_survivor: str
    same_kind: bool

    def record(self, customer_id: str) -> MergeCandidate:
        for record in self.records:
            if record.id == customer_id:
                return record
        raise KeyError(customer_id)

    def suggested_choices(self, survivor_id: str) -> dict[str, str]:
        """Per differing field, the record whose value to keep: the survivor's, or the first filled one."""
        choices: dict[str, str] = {}
        survivor = self.record(survivor_id)
        for item in self.fields:
            if not item.differs:
                continue
            if survivor.values.get(item.field) not in (None, ""):
                choices[item.field] = survivor_id
                continue
            filled = [o for o in item.options if o.value not in (None, "")]
            choices[item.field] = filled[0].customer_ids[0] if filled else survivor_id
        return choices


@dataclass(frozen=True)
class MergeResult:
    tx_id: str
    survivor: CustomerDetail
    merged_ids: tuple[str, ...]
    repointed_ids: tuple[str, ...]
    interactions: int
    requests: int
    products: int


@dataclass(frozen=True)
class UndoResult:
    tx_id: str
    merge_tx_id: str
    survivor_id: str
    restored_ids: tuple[str, ...]


@dataclass(frozen=True)
class MergeSummary:
    """One merge for the list: when, who, into whom, what it moved, and whether it was undone."""

    tx_id: str
    at: datetime
    user_id: str
    user_name: str
    survivor_id: str
    survivor_name: str
    merged: tuple[tuple[str, str], ...]  # (id, name) of each merged-away record
    interactions: int
    requests: int
    products: int
    reason: str | None
    undo_tx_id: str | None
    undone_at: datetime | None

    @property
    def undone(self) -> bool:
        return self.undo_tx_id is not None


def field_values(records: Sequence[MergeCandidate], fields: Sequence[str]) -> tuple[FieldValues, ...]:
    """Per field, its distinct values in the order the records come."""
    result = []
    for field in fields:
        holders: dict[Any, list[str]] = {}
        for record in records:
            holders.setdefault(_hashable(record.values.get(field)), []).append(record.id)
        options = tuple(
            FieldOption(value, display_text(field, value), tuple(ids)) for value, ids in holders.items()
        )
        result.append(FieldValues(field, MERGE_FIELDS[field], options))
    return tuple(result)


def suggest_survivor(records: Sequence[MergeCandidate]) -> str:
    """The record that brings the most history; on a tie, the oldest one."""
    return min(records, key=lambda r: (-r.weight, r.created_at, r.id)).id


def resolve_choices(
    values: Mapping[str, Mapping[str, Any]], survivor_id: str, choices: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    """The survivor's raw fields after the user's picks, and {field: Persian error} for picks that cannot be.

    A pick that is the id of one of the merged records takes that record's value; anything else is the
    value itself (validated later, like a hand edit).
    """
    raw = dict(values[survivor_id])
    allowed = fields_for(str(raw["kind"]))
    errors: dict[str, str] = {}
    for field, pick in choices.items():
        if not isinstance(field, str) or field not in MERGE_FIELDS:
            errors[str(field)] = f"«{field}» فیلدی نیست که در ادغام انتخاب شود."
        elif field not in allowed:
            errors[field] = f"«{MERGE_FIELDS[field]}» برای این نوع مشتری وجود ندارد."
        elif isinstance(pick, str) and pick in values:
            raw[field] = values[pick][field]
        else:
            raw[field] = pick
    return raw, errors


def _hashable(value: Any) -> Any:
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value
