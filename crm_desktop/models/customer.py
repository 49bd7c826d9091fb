"""The customer: an individual (person) or a corporate customer (company)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from crm_desktop.models.base import Base, SyncedMixin

LIVE = text("deleted_at IS NULL")


class Customer(SyncedMixin, Base):
    """One customer.

    ``display_name``, ``sort_key`` (Persian alphabetical order as binary text)
    and the ``*_key`` columns (normalized search keys) are derived by the
    services from the name fields; they are not journaled.
    """

    __tablename__ = "customer"
    __table_args__ = (
        CheckConstraint("kind IN ('individual','corporate')", name="kind"),
        CheckConstraint("lifecycle_stage IN ('acquisition','enhancement','retention')", name="lifecycle"),
        CheckConstraint("kyc_status IN ('verified','pending','expired')", name="kyc"),
        # Persian-order indexes; they also carry what a search walk tests, so that rows that do not match
        # are skipped without reading the table (migration 0003).
        Index("ix_customer_sort", "sort_key", "id", "first_key", "deleted_at", "merged_into"),
        Index("ix_customer_branch_sort", "branch_id", "sort_key", "id", "first_key", "deleted_at", "merged_into"),
        Index("uq_customer_national_id_live", "national_id", unique=True,
              sqlite_where=text("national_id IS NOT NULL AND deleted_at IS NULL")),
        Index("uq_customer_company_id_live", "company_id", unique=True,
              sqlite_where=text("company_id IS NOT NULL AND deleted_at IS NULL")),
        Index("ix_customer_mobile", "mobile"),
        Index("ix_customer_customer_no", "customer_no"),
        Index("ix_customer_last_key", "last_key"),
        Index("ix_customer_first_key", "first_key"),
        Index("ix_customer_org_key", "org_key"),
        Index("ix_customer_merged_into", "merged_into", sqlite_where=text("merged_into IS NOT NULL")),
        # Search by the start of a number inside one branch: the live rows of a prefix, already with their
        # Persian-order key, read from the index alone (migration 0004).
        *(Index(f"ix_customer_branch_{column}", "branch_id", column, "sort_key", "id",
                sqlite_where=text("deleted_at IS NULL AND merged_into IS NULL"))
          for column in ("national_id", "company_id", "mobile", "customer_no")),
        # Reports: new customers of a period, and the few customers that are gone (migration 0005).
        Index("ix_customer_branch_created", "branch_id", "created_at", "deleted_at", "merged_into"),
        Index("ix_customer_gone", "id", sqlite_where=text("deleted_at IS NOT NULL OR merged_into IS NOT NULL")),
    )
    journal_exclude = frozenset({"display_name", "sort_key", "name_key", "first_key", "last_key", "org_key"})

    branch_id: Mapped[str] = mapped_column(ForeignKey("branch.id"))
    kind: Mapped[str] = mapped_column(String(12))
    customer_no: Mapped[str | None] = mapped_column(String(20))
    # individual
    first_name: Mapped[str | None] = mapped_column(String(100))
    last_name: Mapped[str | None] = mapped_column(String(100))
    father_name: Mapped[str | None] = mapped_column(String(100))
    national_id: Mapped[str | None] = mapped_column(String(10))
    birth_date: Mapped[date | None] = mapped_column(Date)
    gender: Mapped[str | None] = mapped_column(String(8))
    # corporate
    company_name: Mapped[str | None] = mapped_column(String(200))
    company_id: Mapped[str | None] = mapped_column(String(11))
    registration_no: Mapped[str | None] = mapped_column(String(20))
    contact_person: Mapped[str | None] = mapped_column(String(200))
    # contact
    mobile: Mapped[str | None] = mapped_column(String(11))
    phone: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(254))
    address: Mapped[str | None] = mapped_column(Text)
    postal_code: Mapped[str | None] = mapped_column(String(10))
    # relationship with the bank
    segment: Mapped[str] = mapped_column(String(16))
    lifecycle_stage: Mapped[str] = mapped_column(String(16))
    kyc_status: Mapped[str] = mapped_column(String(12))
    kyc_date: Mapped[date | None] = mapped_column(Date)
    marketing_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str | None] = mapped_column(Text)
    merged_into: Mapped[str | None] = mapped_column(ForeignKey("customer.id"))
    # derived
    display_name: Mapped[str] = mapped_column(String(300))
    sort_key: Mapped[str] = mapped_column(String(300))
    name_key: Mapped[str] = mapped_column(String(300))
    first_key: Mapped[str | None] = mapped_column(String(100))
    last_key: Mapped[str | None] = mapped_column(String(100))
    org_key: Mapped[str | None] = mapped_column(String(200))
