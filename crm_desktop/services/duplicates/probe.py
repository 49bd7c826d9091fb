"""What the matcher knows of one customer (stored or typed): comparison keys computed once."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from crm_desktop.errors import CrmError
from crm_desktop.persian import normalize, parse_jalali_date
from crm_desktop.services.duplicates.names import (
    company_id_key,
    digits_key,
    email_key,
    mobile_key,
    name_key,
    name_skeleton,
    national_id_key,
)

#: The customer columns a probe is built from, in the order ``Probe.from_row`` expects them.
PROBE_COLUMNS = ("kind", "first_name", "last_name", "father_name", "national_id", "birth_date", "company_name",
                 "company_id", "registration_no", "mobile", "email", "address", "postal_code")


@dataclass(frozen=True, slots=True)
class Probe:
    corporate: bool
    first: str  # name_key of the first name
    last: str
    full: str  # name_key of first + last (or of the company name)
    father: str
    national_id: str  # ten digits, or ""
    national_id_raw: str  # as it was written
    birth_date: date | None
    company_id: str
    registration_no: str
    mobile: str
    email: str
    address: str  # normalize()d
    postal_code: str

    @classmethod
    def from_fields(cls, fields: Mapping[str, Any]) -> Probe:
        """From a mapping of customer fields: a clean record, a row, or a half-typed form."""
        corporate = fields.get("kind") == "corporate"
        first, last = _text(fields.get("first_name")), _text(fields.get("last_name"))
        full = name_key(_text(fields.get("company_name"))) if corporate else name_key(first) + name_key(last)
        return cls(
            corporate=corporate,
            first=name_key(first),
            last=name_key(last),
            full=full,
            father=name_key(_text(fields.get("father_name"))),
            national_id=national_id_key(_text(fields.get("national_id"))),
            national_id_raw=_text(fields.get("national_id")).strip(),
            birth_date=parse_date(fields.get("birth_date")),
            company_id=company_id_key(_text(fields.get("company_id"))),
            registration_no=digits_key(_text(fields.get("registration_no"))),
            mobile=mobile_key(_text(fields.get("mobile"))),
            email=email_key(_text(fields.get("email"))),
            address=normalize(_text(fields.get("address"))),
            postal_code=digits_key(_text(fields.get("postal_code"))),
        )

    @classmethod
    def from_row(cls, row: tuple[Any, ...]) -> Probe:
        """From a row whose first columns are ``PROBE_COLUMNS``."""
        return cls.from_fields(dict(zip(PROBE_COLUMNS, row, strict=False)))

    def name_block(self) -> str:
        """The skeletons of the name, order-free (a first and last name typed in each other's box still meet)."""
        if self.corporate:
            return name_skeleton(self.full)
        parts = sorted((name_skeleton(self.first), name_skeleton(self.last)))
        return "|".join(parts) if any(parts) else ""


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def parse_date(value: object) -> date | None:
    """A stored ISO date, a typed Jalali date, or a date object; None when it is none of these."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return date.fromisoformat(value)  # a stored value
    except ValueError:
        pass
    try:
        return parse_jalali_date(value)  # typed in a form or a file
    except CrmError:
        return None
