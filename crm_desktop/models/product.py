"""Products a customer holds: accounts, deposits, loans, cards."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from crm_desktop.models.base import Base, SyncedMixin


class Product(SyncedMixin, Base):
    __tablename__ = "product"
    __table_args__ = (Index("ix_product_customer", "customer_id", "opened_on"),)

    customer_id: Mapped[str] = mapped_column(ForeignKey("customer.id"))
    kind: Mapped[str] = mapped_column(String(16))
    account_no: Mapped[str | None] = mapped_column(String(34))
    opened_on: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(12))
    balance_band: Mapped[str | None] = mapped_column(String(12))
