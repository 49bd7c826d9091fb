"""Branch and user accounts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from crm_desktop.models.base import Base, SyncedMixin


class Branch(SyncedMixin, Base):
    __tablename__ = "branch"

    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(Text)


class User(SyncedMixin, Base):
    """A person who signs in. The password hash never reaches the journal."""

    __tablename__ = "app_user"
    __table_args__ = (CheckConstraint("role IN ('clerk','manager','admin','auditor')", name="role"),)
    journal_redact = frozenset({"password_hash"})

    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    branch_id: Mapped[str] = mapped_column(ForeignKey("branch.id"), index=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class LoginState(Base):
    """Failed sign-ins and lock time: local to this device, neither synced nor journaled.

    Sign-in attempts themselves go to the access log.
    """

    __tablename__ = "login_state"

    user_id: Mapped[str] = mapped_column(ForeignKey("app_user.id"), primary_key=True)
    failed_count: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column()
    last_login_at: Mapped[datetime | None] = mapped_column()
