"""Interactions: log a contact with a customer, edit it, list them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select, tuple_

from crm_desktop.models import Interaction
from crm_desktop.models.base import from_utc_text, to_utc_text
from crm_desktop.models.enums import Channel, Direction, Outcome
from crm_desktop.persian import ValidationError, parse_jalali_date, tehran_tz, to_ascii_digits
from crm_desktop.services.actor import Actor
from crm_desktop.services.base import ServiceBase
from crm_desktop.services.changes import Changes
from crm_desktop.services.changes import Outcome as Result
from crm_desktop.services.customer_fields import tidy_text
from crm_desktop.services.customers import load_customer
from crm_desktop.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from crm_desktop.services.paging import Page, PageKey, check_limit
from crm_desktop.services.permissions import Action, allowed, require, require_branch
from crm_desktop.services.records import InteractionRow
from crm_desktop.services.rows import interaction_rows


@dataclass(frozen=True)
class InteractionInput:
    customer_id: str
    channel: str
    direction: str
    subject: str
    notes: str | None = None
    occurred_at: datetime | None = None
    duration_minutes: int | str | None = None
    outcome: str | None = None
    follow_up_on: date | str | None = None


class InteractionService(ServiceBase):
    def log(self, actor: Actor, data: InteractionInput) -> Result[InteractionRow]:
        require(actor, Action.LOG_INTERACTION)
        clean = self._clean(data)
        with self._write(actor) as session:
            customer = load_customer(session, actor, clean["customer_id"])
            item = Interaction(branch_id=customer.branch_id, user_id=actor.user_id, **clean)
            session.add(item)
            session.flush()
            row = interaction_rows(session, select(Interaction).where(Interaction.id == item.id))[0]
        return Result(row, Changes(interactions=frozenset({row.id}), customers=frozenset({row.customer_id})))

    def edit(
        self, actor: Actor, interaction_id: str, data: InteractionInput, *, expected_version: int | None = None
    ) -> Result[InteractionRow]:
        """Change an interaction: its author, or a manager of its branch."""
        require(actor, Action.LOG_INTERACTION)
        clean = self._clean(data)
        with self._write(actor) as session:
            item = session.get(Interaction, interaction_id) if isinstance(interaction_id, str) else None
            if item is None or item.deleted_at is not None:
                raise NotFound("تعامل پیدا نشد.")
            require_branch(actor, item.branch_id)
            if item.user_id != actor.user_id and not allowed(actor, Action.EDIT_ANY_INTERACTION):
                raise PermissionDenied("فقط ثبت‌کننده تعامل یا رئیس شعبه می‌تواند آن را ویرایش کند.")
            if expected_version is not None and expected_version != item.version:
                raise Conflict("این تعامل پس از باز شدن توسط کاربر دیگری تغییر کرده است.")
            if clean["customer_id"] != item.customer_id:
                raise InvalidInput({"customer_id": "مشتری یک تعامل ثبت‌شده را نمی‌توان تغییر داد."})
            for key, value in clean.items():
                if getattr(item, key) != value:
                    setattr(item, key, value)
            session.flush()
            row = interaction_rows(session, select(Interaction).where(Interaction.id == item.id))[0]
        return Result(row, Changes(interactions=frozenset({row.id}), customers=frozenset({row.customer_id})))

    def list(
        self,
        actor: Actor,
        *,
        customer_id: str | None = None,
        user_id: str | None = None,
        channel: str | None = None,
        period: tuple[date, date] | None = None,
        branch_id: str | None = None,
        after: PageKey | None = None,
        limit: int = 200,
    ) -> Page[InteractionRow]:
        """Newest first, keyset-paged on (time, id); ``period`` is inclusive local dates (UTC days)."""
        require(actor, Action.VIEW_CUSTOMER)
        check_limit(limit)
        query = select(Interaction).where(Interaction.deleted_at.is_(None))
        scope = branch_id if actor.sees_all_branches else actor.branch_id
        if scope:
            query = query.where(Interaction.branch_id == scope)
        if customer_id:
            query = query.where(Interaction.customer_id == customer_id)
        if user_id:
            query = query.where(Interaction.user_id == user_id)
        if channel:
            query = query.where(Interaction.channel == channel)
        if period:
            start, end = period
            if end < start:
                raise InvalidInput({"period": "تاریخ پایان بازه زمانی پیش از تاریخ شروع است."})
            query = query.where(
                Interaction.occurred_at >= _utc_midnight(start),
                Interaction.occurred_at < _utc_midnight(end + timedelta(days=1)),
            )
        if after is not None:
            query = query.where(
                tuple_(Interaction.occurred_at, Interaction.id)
                < tuple_(from_utc_text(after[0]), after[1], types=[Interaction.occurred_at.type, Interaction.id.type])
            )
        query = query.order_by(Interaction.occurred_at.desc(), Interaction.id.desc()).limit(limit)
        with self.db.read() as session:
            rows = interaction_rows(session, query)
        next_key = (to_utc_text(rows[-1].occurred_at), rows[-1].id) if len(rows) == limit else None
        return Page(rows, next_key)

    # -- validation ---------------------------------------------------------------------------
    def validate(self, data: InteractionInput) -> dict[str, str]:
        try:
            self._clean(data)
        except InvalidInput as exc:
            return exc.errors
        return {}

    def _clean(self, data: InteractionInput) -> dict[str, Any]:
        if not isinstance(data, InteractionInput):
            raise InvalidInput({"interaction": "اطلاعات تعامل نامعتبر است."})
        errors: dict[str, str] = {}
        clean: dict[str, Any] = {"customer_id": data.customer_id}
        if not isinstance(data.customer_id, str) or not data.customer_id:
            errors["customer_id"] = "مشتری را انتخاب کنید."
        for field, enum, label in (("channel", Channel, "کانال ارتباطی"), ("direction", Direction, "جهت")):
            try:
                clean[field] = str(enum(getattr(data, field)))
            except ValueError:
                errors[field] = f"{label} نامعتبر است."
        if data.outcome in (None, ""):
            clean["outcome"] = None
        else:
            try:
                clean["outcome"] = str(Outcome(data.outcome))
            except ValueError:
                errors["outcome"] = "نتیجه نامعتبر است."
        try:
            subject = tidy_text(data.subject)
            if not subject:
                errors["subject"] = "موضوع تعامل را بنویسید."
            elif len(subject) > 200:
                errors["subject"] = "موضوع بیش از ۲۰۰ نویسه است."
            clean["subject"] = subject
            notes = data.notes.strip() if isinstance(data.notes, str) else None
            if data.notes is not None and not isinstance(data.notes, str):
                errors["notes"] = "یادداشت باید متن باشد."
            elif notes and len(notes) > 4000:
                errors["notes"] = "یادداشت بیش از ۴۰۰۰ نویسه است."
            clean["notes"] = tidy_text(notes) and notes
        except ValidationError as exc:
            errors["subject"] = exc.message
        now = self.now()
        occurred = data.occurred_at or now
        if not isinstance(occurred, datetime) or occurred.tzinfo is None:
            errors["occurred_at"] = "تاریخ و ساعت تعامل نامعتبر است."
        elif occurred > now + timedelta(minutes=5):
            errors["occurred_at"] = "تاریخ و ساعت تعامل نمی‌تواند در آینده باشد."
        clean["occurred_at"] = occurred
        clean["duration_minutes"] = _duration(data.duration_minutes, errors)
        clean["follow_up_on"] = _follow_up(data.follow_up_on, errors)
        if errors:
            raise InvalidInput(errors)
        return clean


def _duration(value: int | str | None, errors: dict[str, str]) -> int | None:
    if value in (None, ""):
        return None
    try:
        minutes = int(to_ascii_digits(value)) if isinstance(value, str) else value
        if isinstance(minutes, bool) or not isinstance(minutes, int) or not 0 <= minutes <= 24 * 60:
            raise ValueError
    except (ValueError, TypeError):
        errors["duration_minutes"] = "مدت باید عددی بین ۰ تا ۱۴۴۰ دقیقه باشد."
        return None
    return minutes


def _follow_up(value: date | str | None, errors: dict[str, str]) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return parse_jalali_date(value)
        except ValidationError as exc:
            errors["follow_up_on"] = f"تاریخ پیگیری: {exc.message}"
            return None
    errors["follow_up_on"] = "تاریخ پیگیری نامعتبر است."
    return None


def _utc_midnight(day: date) -> datetime:
    """The UTC instant at which local (Tehran) day ``day`` begins."""
    return datetime(day.year, day.month, day.day, tzinfo=tehran_tz()).astimezone(UTC)

