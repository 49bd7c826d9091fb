"""Frozen records the services return. Never ORM objects: nothing can lazy-load later."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class CustomerInput:
    """What a form or an import hands in: raw text, validated by the services."""

    kind: str = "individual"
    first_name: str | None = None
    last_name: str | None = None
    father_name: str | None = None
    national_id: str | None = None
    birth_date: date | str | None = None
    gender: str | None = None
    company_name: str | None = None
    company_id: str | None = None
    registration_no: str | None = None
    contact_person: str | None = None
    customer_no: str | None = None
    mobile: str | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    postal_code: str | None = None
    segment: str = "mass"
    lifecycle_stage: str = "acquisition"
    kyc_status: str = "pending"
    kyc_date: date | str | None = None
    marketing_consent: bool = False
    notes: str | None = None
    branch_id: str | None = None


@dataclass(frozen=True)
class CustomerRow:
    """One line of the customer list."""

    id: str
    kind: str
    display_name: str
    national_id: str | None
    mobile: str | None
    customer_no: str | None
    branch_code: str
    segment: str
    lifecycle_stage: str
    kyc_status: str
    sort_key: str


@dataclass(frozen=True)
class CustomerDetail:
    id: str
    version: int
    branch_id: str
    branch_code: str
    branch_name: str
    kind: str
    display_name: str
    first_name: str | None
    last_name: str | None
    father_name: str | None
    national_id: str | None
    birth_date: date | None
    gender: str | None
    company_name: str | None
    company_id: str | None
    registration_no: str | None
    contact_person: str | None
    customer_no: str | None
    mobile: str | None
    phone: str | None
    email: str | None
    address: str | None
    postal_code: str | None
    segment: str
    lifecycle_stage: str
    kyc_status: str
    kyc_date: date | None
    marketing_consent: bool
    notes: str | None
    created_at: datetime
    updated_at: datetime
    merged_into: str | None


@dataclass(frozen=True)
class ProductRow:
    id: str
    kind: str
    account_no: str | None
    opened_on: date
    state: str
    balance_band: str | None


@dataclass(frozen=True)
class InteractionRow:
    id: str
    version: int
    customer_id: str
    customer_name: str
    user_id: str
    user_name: str
    channel: str
    direction: str
    subject: str
    notes: str | None
    occurred_at: datetime
    duration_minutes: int | None
    outcome: str | None
    follow_up_on: date | None


@dataclass(frozen=True)
class StatusChangeRow:
    from_status: str | None
    to_status: str
    transition: str
    user_name: str
    changed_at: datetime
    note: str | None


@dataclass(frozen=True)
class RequestRow:
    id: str
    version: int
    number: str
    customer_id: str
    customer_name: str
    category: str
    priority: str
    status: str
    subject: str
    assignee_id: str | None
    assignee_name: str | None
    opened_at: datetime
    due_at: datetime
    resolved_at: datetime | None
    closed_at: datetime | None
    satisfaction: int | None


@dataclass(frozen=True)
class RequestDetail:
    row: RequestRow
    description: str | None
    opened_by_name: str
    first_response_at: datetime | None
    resolution: str | None
    history: list[StatusChangeRow]
    allowed_transitions: list[str]


@dataclass(frozen=True)
class CustomerProfile:
    """The 360° record: the customer and everything the branch did with them, newest first."""

    customer: CustomerDetail
    products: list[ProductRow]
    interactions: list[InteractionRow]
    interaction_count: int
    requests: list[RequestRow]
    request_count: int
    open_request_count: int
    warnings: list[str] = field(default_factory=list)
