"""Frozen records the duplicate finder returns (never ORM objects)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from crm_desktop.persian import to_persian_digits


@dataclass(frozen=True)
class DuplicateRecord:
    """One customer of a candidate group, with the fields a comparison shows side by side."""

    id: str
    branch_code: str
    kind: str
    display_name: str
    first_name: str | None
    last_name: str | None
    father_name: str | None
    national_id: str | None
    birth_date: date | None
    company_name: str | None
    company_id: str | None
    registration_no: str | None
    customer_no: str | None
    mobile: str | None
    email: str | None
    address: str | None
    postal_code: str | None


@dataclass(frozen=True)
class DuplicatePair:
    """Two records of a group that matched each other directly."""

    first_id: str
    second_id: str
    score: int
    reasons: tuple[str, ...]
    differences: tuple[str, ...]


@dataclass(frozen=True)
class DuplicateGroup:
    """Customers joined by candidate pairs (connected: A~B and B~C make one group of three).

    ``score`` is the group's strongest pair; ``reasons`` are the distinct reasons of its pairs, strongest first.
    """

    records: tuple[DuplicateRecord, ...]
    pairs: tuple[DuplicatePair, ...]
    score: int
    reasons: tuple[str, ...]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.records)


@dataclass(frozen=True)
class DuplicateScan:
    """What a scan found, and how much it looked at."""

    groups: tuple[DuplicateGroup, ...]
    customers: int  # live customers read
    candidates: int  # pairs that shared a blocking key
    compared: int  # candidate pairs scored in full (the others could not reach the threshold, or were dismissed)
    oversized_blocks: int  # blocks too common to compare (see blocking.MAX_BLOCK)
    dismissed: int  # candidate pairs skipped because someone said "not a duplicate"


@dataclass(frozen=True)
class SimilarCustomer:
    """An existing customer that looks like the one being typed or imported."""

    record: DuplicateRecord
    score: int
    reasons: tuple[str, ...]
    differences: tuple[str, ...]

    def warning(self) -> str:
        """The sentence the form shows (Persian): who, where, and why."""
        who = f"«{self.record.display_name}»"
        if self.record.branch_code:
            who += f" در شعبه {to_persian_digits(self.record.branch_code)}"
        why = "؛ ".join(self.reasons) or "مشخصات مشابه"
        return f"احتمال تکراری بودن با {who}: {why}."
