"""Decisions about likely duplicates: "these two customers are not the same person"."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column

from crm_desktop.models.base import Base, SyncedMixin


class DuplicateDismissal(SyncedMixin, Base):
    """One pair of customers a user said are not duplicates; the finder stops offering them together.

    The pair is stored in id order (``customer_a < customer_b``). A user decision the other desks should
    see, so it is journaled and synced like any business record; a tombstone (``deleted_at``) withdraws it.
    """

    __tablename__ = "duplicate_dismissal"
    __table_args__ = (
        CheckConstraint("customer_a < customer_b", name="pair_order"),
        Index("ix_duplicate_dismissal_pair", "customer_a", "customer_b"),
        Index("ix_duplicate_dismissal_b", "customer_b"),
    )

    customer_a: Mapped[str] = mapped_column(ForeignKey("customer.id"))
    customer_b: Mapped[str] = mapped_column(ForeignKey("customer.id"))
    note: Mapped[str | None] = mapped_column(Text)
