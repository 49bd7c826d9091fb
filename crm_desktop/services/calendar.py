"""The working-week calendar, holidays and SLA policies: read by everyone, changed by few."""

from __future__ import annotations

import json
from datetime import date, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_desktop.errors import CrmError
from crm_desktop.models import Holiday, Setting, SlaPolicyRow
from crm_desktop.models.enums import Priority, RequestCategory
from crm_desktop.persian import ValidationError, format_jalali_date, parse_jalali_date
from crm_desktop.services.actor import Actor
from crm_desktop.services.base import ServiceBase
from crm_desktop.services.changes import Changes, Outcome
from crm_desktop.services.customer_fields import tidy_text
from crm_desktop.services.errors import InvalidInput, NotFound
from crm_desktop.services.permissions import Action, require
from crm_desktop.services.sla import SlaPolicy, WorkCalendar, default_target

CALENDAR_KEY = "work_calendar"


def load_calendar(session: Session) -> WorkCalendar:
    """The working week from settings plus every holiday (default: Saturday–Wednesday)."""
    holidays = frozenset(session.scalars(select(Holiday.day).where(Holiday.deleted_at.is_(None))))
    raw = session.scalar(select(Setting.value).where(Setting.key == CALENDAR_KEY, Setting.deleted_at.is_(None)))
    if not raw:
        return WorkCalendar(holidays=holidays)
    spec = json.loads(raw)
    return WorkCalendar(
        workdays=frozenset(spec["workdays"]),
        day_start=time.fromisoformat(spec["day_start"]),
        day_end=time.fromisoformat(spec["day_end"]),
        holidays=holidays,
    )


def load_policy(session: Session, category: str, priority: str) -> SlaPolicy:
    row = session.scalar(
        select(SlaPolicyRow).where(
            SlaPolicyRow.category == category,
            SlaPolicyRow.priority == priority,
            SlaPolicyRow.deleted_at.is_(None),
        )
    )
    if row is None:
        return SlaPolicy(category, priority, default_target(priority))
    first = timedelta(minutes=row.first_response_minutes) if row.first_response_minutes else None
    return SlaPolicy(category, priority, timedelta(minutes=row.target_minutes), first)


def _hours(value: object) -> bool:
    """A positive number of working hours, up to a year (``True`` is not a number here)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and 0 < value <= 24 * 365


class CalendarService(ServiceBase):
    def calendar(self) -> WorkCalendar:
        with self.db.read() as session:
            return load_calendar(session)

    def set_working_week(
        self, actor: Actor, workdays: set[int], day_start: time, day_end: time
    ) -> Outcome[WorkCalendar]:
        require(actor, Action.MANAGE_CALENDAR)
        if not isinstance(day_start, time) or not isinstance(day_end, time):
            raise InvalidInput({"day_start": "ساعت شروع و پایان کار نامعتبر است."})
        try:
            if any(isinstance(day, bool) or not isinstance(day, int) for day in workdays):
                raise TypeError("workdays")
            WorkCalendar(workdays=frozenset(workdays), day_start=day_start, day_end=day_end)
        except CrmError as exc:
            raise InvalidInput({exc.field or "workdays": exc.message}) from exc
        except (TypeError, ValueError) as exc:
            raise InvalidInput({"workdays": "روزهای کاری نامعتبر است."}) from exc
        value = json.dumps(
            {"workdays": sorted(workdays), "day_start": day_start.strftime("%H:%M"),
             "day_end": day_end.strftime("%H:%M")}
        )
        with self._write(actor) as session:
            row = session.scalar(select(Setting).where(Setting.key == CALENDAR_KEY))
            if row is None:
                session.add(Setting(key=CALENDAR_KEY, value=value))
            elif row.value != value or row.deleted_at is not None:
                row.value, row.deleted_at = value, None
            session.flush()
            cal = load_calendar(session)
        return Outcome(cal, Changes(settings=True))

    def holidays(self, year_from: date | None = None) -> list[tuple[date, str]]:
        with self.db.read() as session:
            query = select(Holiday.day, Holiday.name).where(Holiday.deleted_at.is_(None))
            if year_from:
                query = query.where(Holiday.day >= year_from)
            return [(d, n) for d, n in session.execute(query.order_by(Holiday.day))]

    def add_holiday(self, actor: Actor, day: date | str, name: str) -> Outcome[date]:
        require(actor, Action.MANAGE_CALENDAR)
        errors: dict[str, str] = {}
        parsed: date | None = None
        if isinstance(day, date):
            parsed = day
        else:
            try:
                parsed = parse_jalali_date(day)
            except ValidationError as exc:
                errors["day"] = exc.message
        try:
            clean_name = tidy_text(name)
        except ValidationError as exc:
            errors["name"], clean_name = exc.message, None
        if (not clean_name or not any(ch.isalpha() for ch in clean_name)) and "name" not in errors:
            errors["name"] = "نام تعطیلی را بنویسید."
        if errors or parsed is None or not clean_name:
            raise InvalidInput(errors)
        with self._write(actor) as session:
            existing = session.scalar(select(Holiday).where(Holiday.day == parsed))
            if existing is not None and existing.deleted_at is None:
                raise InvalidInput({"day": f"روز {format_jalali_date(parsed)} پیش‌تر تعطیل ثبت شده است."})
            if existing is not None:
                existing.deleted_at, existing.name = None, clean_name
            else:
                session.add(Holiday(day=parsed, name=clean_name))
        return Outcome(parsed, Changes(settings=True))

    def remove_holiday(self, actor: Actor, day: date) -> Outcome[None]:
        require(actor, Action.MANAGE_CALENDAR)
        with self._write(actor) as session:
            row = session.scalar(select(Holiday).where(Holiday.day == day, Holiday.deleted_at.is_(None)))
            if row is None:
                raise NotFound("این روز در فهرست تعطیلات نیست.")
            row.deleted_at = self.now()
        return Outcome(None, Changes(settings=True))

    def policies(self) -> list[SlaPolicy]:
        with self.db.read() as session:
            return [
                load_policy(session, str(c), str(p)) for c in RequestCategory for p in Priority
            ]

    def set_policy(
        self, actor: Actor, category: str, priority: str, target_hours: float,
        first_response_hours: float | None = None,
    ) -> Outcome[SlaPolicy]:
        require(actor, Action.MANAGE_SLA)
        errors: dict[str, str] = {}
        if not isinstance(category, str) or category not in {str(c) for c in RequestCategory}:
            errors["category"] = "دسته‌بندی نامعتبر است."
        if not isinstance(priority, str) or priority not in {str(p) for p in Priority}:
            errors["priority"] = "اولویت نامعتبر است."
        if not _hours(target_hours):
            errors["target_hours"] = "مهلت رسیدگی باید عددی مثبت (ساعت کاری) باشد."
        if first_response_hours is not None and not _hours(first_response_hours):
            errors["first_response_hours"] = "مهلت نخستین پاسخ باید عددی مثبت باشد."
        if errors:
            raise InvalidInput(errors)
        target = round(target_hours * 60)
        first = round(first_response_hours * 60) if first_response_hours else None
        with self._write(actor) as session:
            row = session.scalar(
                select(SlaPolicyRow).where(SlaPolicyRow.category == category, SlaPolicyRow.priority == priority)
            )
            if row is None:
                session.add(SlaPolicyRow(category=category, priority=priority, target_minutes=target,
                                         first_response_minutes=first))
            else:
                row.target_minutes, row.first_response_minutes, row.deleted_at = target, first, None
            session.flush()
            policy = load_policy(session, category, priority)
        return Outcome(policy, Changes(settings=True))
