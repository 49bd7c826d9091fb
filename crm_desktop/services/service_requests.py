"""Service requests: open, assign, move through the state machine, and the work queues."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from crm_desktop.models import Branch, Customer, RequestSequence, RequestStatusChange, ServiceRequest, User
from crm_desktop.models.base import from_utc_text, to_utc_text
from crm_desktop.models.enums import Priority, RequestCategory, Role
from crm_desktop.persian import ValidationError, tehran_tz
from crm_desktop.services.actor import Actor
from crm_desktop.services.base import ServiceBase
from crm_desktop.services.calendar import load_calendar, load_policy
from crm_desktop.services.changes import Changes, Outcome
from crm_desktop.services.customer_fields import tidy_text
from crm_desktop.services.customers import load_customer
from crm_desktop.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from crm_desktop.services.paging import Page, PageKey, check_limit
from crm_desktop.services.permissions import Action, allowed, require, require_branch
from crm_desktop.services.records import RequestDetail, RequestRow, StatusChangeRow
from crm_desktop.services.request_states import (
    OPEN_STATUSES,
    RequestStatus,
    Transition,
    allowed_transitions,
    next_status,
)
from crm_desktop.services.rows import names, request_row, request_rows
from crm_desktop.services.sla import due_time

WORKING_STATUSES = (RequestStatus.NEW, RequestStatus.ASSIGNED, RequestStatus.IN_PROGRESS)


class Queue(StrEnum):
    MINE = "mine"
    BRANCH_OPEN = "branch_open"
    OVERDUE = "overdue"
    DUE_TODAY = "due_today"
    ALL = "all"


@dataclass(frozen=True)
class RequestInput:
    customer_id: str
    category: str
    priority: str
    subject: str
    description: str | None = None
    assignee_id: str | None = None


class ServiceRequestService(ServiceBase):
    # -- opening ------------------------------------------------------------------------------
    def open(self, actor: Actor, data: RequestInput) -> Outcome[RequestRow]:
        require(actor, Action.WORK_REQUEST)
        clean = _clean(data)
        with self._write(actor) as session:
            customer = load_customer(session, actor, clean["customer_id"])
            now = self.now()
            policy = load_policy(session, clean["category"], clean["priority"])
            due = due_time(now, policy.target, load_calendar(session))
            request = ServiceRequest(
                number=self._next_number(session, customer.branch_id),
                customer_id=customer.id, branch_id=customer.branch_id, category=clean["category"],
                priority=clean["priority"], status=str(RequestStatus.NEW), subject=clean["subject"],
                description=clean["description"], opened_by=actor.user_id, opened_at=now, due_at=due,
            )
            session.add(request)
            session.flush()
            self._record(session, actor, request, None, RequestStatus.NEW, None, None)
            if clean["assignee_id"]:
                self._apply(session, actor, request, Transition.ASSIGN, assignee_id=clean["assignee_id"])
            session.flush()
            row = self._row(session, request)
        return Outcome(row, _changes(row))

    def _next_number(self, session: Session, branch_id: str) -> str:
        """``<branch code>-<device tag>-<sequence>``: unique across offline devices without a server."""
        branch = session.get(Branch, branch_id)
        assert branch is not None
        prefix = f"{branch.code}-{self.db.device_id.replace('-', '')[-6:].upper()}"
        seq = session.get(RequestSequence, prefix)
        if seq is None:
            seq = RequestSequence(prefix=prefix, last_value=0)
            session.add(seq)
        seq.last_value += 1
        return f"{prefix}-{seq.last_value:06d}"

    # -- moving -------------------------------------------------------------------------------
    def transition(
        self,
        actor: Actor,
        request_id: str,
        transition: Transition | str,
        *,
        assignee_id: str | None = None,
        note: str | None = None,
        resolution: str | None = None,
        satisfaction: int | None = None,
        expected_version: int | None = None,
    ) -> Outcome[RequestRow]:
        """Apply one transition, if the state machine and the actor's role allow it."""
        require(actor, Action.WORK_REQUEST)
        try:
            step = Transition(transition)
        except ValueError:
            raise InvalidInput({"transition": "عملیات نامعتبر است."}) from None
        with self._write(actor) as session:
            request = self._load(session, actor, request_id)
            if expected_version is not None and expected_version != request.version:
                raise Conflict("این درخواست پس از باز شدن توسط کاربر دیگری تغییر کرده است.")
            self._apply(session, actor, request, step, assignee_id=assignee_id, note=note,
                        resolution=resolution, satisfaction=satisfaction)
            session.flush()
            row = self._row(session, request)
        return Outcome(row, _changes(row))

    def _apply(
        self, session: Session, actor: Actor, request: ServiceRequest, step: Transition, *,
        assignee_id: str | None = None, note: str | None = None, resolution: str | None = None,
        satisfaction: int | None = None,
    ) -> None:
        current = RequestStatus(request.status)
        target = next_status(current, step)
        self._check_role(actor, request, step)
        clean_note = _text(note, "note", "یادداشت", 2000)
        now = self.now()
        if step is Transition.ASSIGN:
            request.assignee_id = self._assignee(session, request, assignee_id)
        elif step is Transition.RESOLVE:
            text = _text(resolution, "resolution", "شرح رسیدگی", 4000)
            if not text:
                raise InvalidInput({"resolution": "شرح رسیدگی را بنویسید."})
            request.resolution, request.resolved_at = text, now
        elif step is Transition.CLOSE:
            if satisfaction is not None and (
                isinstance(satisfaction, bool) or not isinstance(satisfaction, int) or not 1 <= satisfaction <= 5
            ):
                raise InvalidInput({"satisfaction": "رضایت مشتری باید عددی از ۱ تا ۵ باشد."})
            request.satisfaction, request.closed_at = satisfaction, now
        elif step is Transition.REOPEN:
            request.resolved_at = None
        if target is RequestStatus.IN_PROGRESS and request.first_response_at is None:
            request.first_response_at = now
        request.status = str(target)
        self._record(session, actor, request, current, target, step, clean_note)
        if step in (Transition.RESUME, Transition.REOPEN):
            request.due_at = self._due_with_pauses(session, request, now)

    def _check_role(self, actor: Actor, request: ServiceRequest, step: Transition) -> None:
        if step is Transition.CANCEL and request.opened_by != actor.user_id and not allowed(
            actor, Action.CANCEL_ANY_REQUEST
        ):
            raise PermissionDenied("فقط ثبت‌کننده درخواست یا رئیس شعبه می‌تواند آن را لغو کند.")
        if step in (Transition.START, Transition.WAIT_CUSTOMER, Transition.RESUME, Transition.RESOLVE) and (
            request.assignee_id not in (None, actor.user_id) and actor.role is Role.CLERK
        ):
            raise PermissionDenied("این درخواست به همکار دیگری ارجاع شده است.")

    @staticmethod
    def _assignee(session: Session, request: ServiceRequest, assignee_id: str | None) -> str:
        if not assignee_id or not isinstance(assignee_id, str):
            raise InvalidInput({"assignee_id": "مسئول رسیدگی را انتخاب کنید."})
        user = session.get(User, assignee_id)
        if user is None or not user.active or user.deleted_at is not None:
            raise InvalidInput({"assignee_id": "کاربر انتخاب‌شده وجود ندارد یا غیرفعال است."})
        if user.branch_id != request.branch_id:
            raise InvalidInput({"assignee_id": "مسئول رسیدگی باید از کارکنان همان شعبه باشد."})
        if user.role == Role.AUDITOR:
            raise InvalidInput({"assignee_id": "درخواست را نمی‌توان به بازرس ارجاع داد."})
        return user.id

    def _due_with_pauses(self, session: Session, request: ServiceRequest, now: datetime) -> datetime:
        """The due time with every wait for the customer taken off the clock."""
        history = session.execute(
            select(RequestStatusChange.to_status, RequestStatusChange.changed_at)
            .where(RequestStatusChange.request_id == request.id)
            .order_by(RequestStatusChange.changed_at, RequestStatusChange.id)
        ).all()
        pauses: list[tuple[datetime, datetime | None]] = []
        for status, at in history:
            if status == RequestStatus.WAITING_CUSTOMER:
                pauses.append((at, None))
            elif pauses and pauses[-1][1] is None:
                pauses[-1] = (pauses[-1][0], at)
        policy = load_policy(session, request.category, request.priority)
        return due_time(request.opened_at, policy.target, load_calendar(session), pauses, now=now)

    def _record(
        self, session: Session, actor: Actor, request: ServiceRequest, old: RequestStatus | None,
        new: RequestStatus, step: Transition | None, note: str | None,
    ) -> None:
        session.add(RequestStatusChange(
            request_id=request.id, from_status=str(old) if old else None, to_status=str(new),
            transition=str(step) if step else "open", user_id=actor.user_id, changed_at=self.now(), note=note,
        ))

    # -- reading ------------------------------------------------------------------------------
    def detail(self, actor: Actor, request_id: str) -> RequestDetail:
        require(actor, Action.VIEW_CUSTOMER)
        with self.db.read() as session:
            request = self._load(session, actor, request_id)
            history = session.scalars(
                select(RequestStatusChange)
                .where(RequestStatusChange.request_id == request.id)
                .order_by(RequestStatusChange.changed_at, RequestStatusChange.id)
            ).all()
            users = names(session, User, [h.user_id for h in history] + [request.opened_by], User.full_name)
            steps = [] if not allowed(actor, Action.WORK_REQUEST) else [
                str(t) for t in allowed_transitions(RequestStatus(request.status))
                if self._permits(actor, request, t)
            ]
            return RequestDetail(
                row=self._row(session, request), description=request.description,
                opened_by_name=users.get(request.opened_by, ""), first_response_at=request.first_response_at,
                resolution=request.resolution,
                history=[StatusChangeRow(h.from_status, h.to_status, h.transition, users.get(h.user_id, ""),
                                         h.changed_at, h.note) for h in history],
                allowed_transitions=steps,
            )

    def _permits(self, actor: Actor, request: ServiceRequest, step: Transition) -> bool:
        try:
            self._check_role(actor, request, step)
        except PermissionDenied:
            return False
        return True

    def queue(
        self, actor: Actor, queue: Queue | str = Queue.BRANCH_OPEN, *, after: PageKey | None = None,
        limit: int = 200, branch_id: str | None = None,
    ) -> Page[RequestRow]:
        """A work queue, soonest deadline first, keyset-paged on (due time, id)."""
        require(actor, Action.VIEW_CUSTOMER)
        try:
            which = Queue(queue)
        except ValueError:
            raise InvalidInput({"queue": "صف نامعتبر است."}) from None
        check_limit(limit)
        now = self.now()
        query = select(ServiceRequest).where(ServiceRequest.deleted_at.is_(None))
        scope = branch_id if actor.sees_all_branches else actor.branch_id
        if scope:
            query = query.where(ServiceRequest.branch_id == scope)
        open_values = [str(s) for s in OPEN_STATUSES]
        if which is Queue.MINE:
            query = query.where(ServiceRequest.assignee_id == actor.user_id, ServiceRequest.status.in_(open_values))
        elif which is Queue.BRANCH_OPEN:
            query = query.where(ServiceRequest.status.in_(open_values))
        elif which is Queue.OVERDUE:
            query = query.where(ServiceRequest.status.in_([str(s) for s in WORKING_STATUSES]),
                                ServiceRequest.due_at < now)
        elif which is Queue.DUE_TODAY:
            start, end = _local_day_bounds(now)
            query = query.where(ServiceRequest.status.in_(open_values), ServiceRequest.due_at >= start,
                                ServiceRequest.due_at < end)
        if after is not None:
            position = tuple_(ServiceRequest.due_at, ServiceRequest.id)
            types = [ServiceRequest.due_at.type, ServiceRequest.id.type]
            bound = tuple_(from_utc_text(after[0]), after[1], types=types)
            query = query.where(position > bound)
        query = query.order_by(ServiceRequest.due_at, ServiceRequest.id).limit(limit)
        with self.db.read() as session:
            rows = request_rows(session, query)
        next_key = (to_utc_text(rows[-1].due_at), rows[-1].id) if len(rows) == limit else None
        return Page(rows, next_key)

    def due_soon(self, actor: Actor, window: timedelta = timedelta(hours=2)) -> list[RequestRow]:
        """Open requests whose deadline falls within ``window`` of now (not yet overdue)."""
        require(actor, Action.VIEW_CUSTOMER)
        now = self.now()
        query = select(ServiceRequest).where(
            ServiceRequest.deleted_at.is_(None),
            ServiceRequest.status.in_([str(s) for s in WORKING_STATUSES]),
            ServiceRequest.due_at >= now, ServiceRequest.due_at < now + window,
        )
        if not actor.sees_all_branches:
            query = query.where(ServiceRequest.branch_id == actor.branch_id)
        with self.db.read() as session:
            return request_rows(session, query.order_by(ServiceRequest.due_at, ServiceRequest.id).limit(1000))

    # -- helpers ------------------------------------------------------------------------------
    @staticmethod
    def _load(session: Session, actor: Actor, request_id: str) -> ServiceRequest:
        request = session.get(ServiceRequest, request_id) if isinstance(request_id, str) else None
        if request is None or request.deleted_at is not None:
            raise NotFound("درخواست خدمت پیدا نشد.")
        require_branch(actor, request.branch_id)
        return request

    @staticmethod
    def _row(session: Session, request: ServiceRequest) -> RequestRow:
        customer = names(session, Customer, [request.customer_id], Customer.display_name)
        assignee = names(session, User, [request.assignee_id], User.full_name)
        return request_row(request, customer.get(request.customer_id, ""), assignee.get(request.assignee_id or ""))


def _changes(row: RequestRow) -> Changes:
    return Changes(requests=frozenset({row.id}), customers=frozenset({row.customer_id}))


def _text(value: object, field: str, label: str, limit: int) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidInput({field: f"«{label}» باید متن باشد."})
    text = value.strip()
    if len(text) > limit:
        raise InvalidInput({field: f"«{label}» بیش از {limit} نویسه است."})
    return text or None


def _clean(data: RequestInput) -> dict[str, Any]:
    if not isinstance(data, RequestInput):
        raise InvalidInput({"request": "اطلاعات درخواست نامعتبر است."})
    errors: dict[str, str] = {}
    if not isinstance(data.customer_id, str) or not data.customer_id:
        errors["customer_id"] = "مشتری را انتخاب کنید."
    if not isinstance(data.category, str) or data.category not in {str(c) for c in RequestCategory}:
        errors["category"] = "دسته‌بندی نامعتبر است."
    if not isinstance(data.priority, str) or data.priority not in {str(p) for p in Priority}:
        errors["priority"] = "اولویت نامعتبر است."
    subject: str | None = None
    try:
        subject = tidy_text(data.subject)
    except ValidationError as exc:
        errors["subject"] = exc.message
    if not subject and "subject" not in errors:
        errors["subject"] = "موضوع درخواست را بنویسید."
    elif subject and len(subject) > 200:
        errors["subject"] = "موضوع بیش از ۲۰۰ نویسه است."
    description = None
    try:
        description = _text(data.description, "description", "شرح درخواست", 4000)
    except InvalidInput as exc:
        errors.update(exc.errors)
    if data.assignee_id is not None and not isinstance(data.assignee_id, str):
        errors["assignee_id"] = "مسئول رسیدگی نامعتبر است."
    if errors:
        raise InvalidInput(errors)
    return {"customer_id": data.customer_id, "category": data.category, "priority": data.priority,
            "subject": subject, "description": description, "assignee_id": data.assignee_id}


def _local_day_bounds(now: datetime) -> tuple[datetime, datetime]:
    """Today's start and end (Tehran time) as UTC instants."""
    local = now.astimezone(tehran_tz())
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return start.astimezone(now.tzinfo), (start + timedelta(days=1)).astimezone(now.tzinfo)
