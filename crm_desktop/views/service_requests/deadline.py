"""How close a request is to its deadline: the tone of its row and the SLA sentence on its screen.

Pure arithmetic on loaded rows and the working calendar (read once off the UI thread); the current
time always comes from the services' clock, so tests with a fake clock see what users would.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import StrEnum

from PySide6.QtCore import QCoreApplication

from crm_desktop.persian import format_jalali_datetime, to_persian_digits
from crm_desktop.services.records import RequestRow
from crm_desktop.services.request_states import RequestStatus
from crm_desktop.services.sla import WorkCalendar, due_soon, working_time_between

DUE_SOON_WINDOW = timedelta(hours=2)
"""A request is "due soon" within this much working time of its deadline."""

RUNNING = frozenset({RequestStatus.NEW, RequestStatus.ASSIGNED, RequestStatus.IN_PROGRESS})
"""Statuses in which the SLA clock runs (waiting for the customer pauses it)."""


class Tone(StrEnum):
    NORMAL = "normal"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def deadline_tone(row: RequestRow, now: datetime, calendar: WorkCalendar | None,
                  window: timedelta = DUE_SOON_WINDOW) -> Tone:
    """Overdue, due soon (within ``window`` of working time) or normal; only while the clock runs."""
    if row.status not in RUNNING:
        return Tone.NORMAL
    due, now = _aware(row.due_at), _aware(now)
    if now >= due:
        return Tone.OVERDUE
    if due - now <= window:  # wall time bounds working time: no calendar walk needed
        return Tone.DUE_SOON
    if calendar is not None and due_soon(due, now, calendar, window):
        return Tone.DUE_SOON
    return Tone.NORMAL


def duration_text(span: timedelta) -> str:
    """«۳ ساعت و ۲۰ دقیقه» style: hours and minutes in Persian digits."""
    minutes = max(0, int(span.total_seconds() // 60))
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        text = QCoreApplication.translate("RequestDeadline", "{0} h {1} min").format(hours, minutes)
    elif hours:
        text = QCoreApplication.translate("RequestDeadline", "{0} h").format(hours)
    else:
        text = QCoreApplication.translate("RequestDeadline", "{0} min").format(minutes)
    return to_persian_digits(text)


def sla_text(row: RequestRow, now: datetime, calendar: WorkCalendar | None) -> tuple[str, Tone]:
    """The sentence for the request screen («overdue since …», «due in … working time») and its tone."""
    status = RequestStatus(row.status)
    due = _aware(row.due_at)
    if status is RequestStatus.CANCELLED:
        return QCoreApplication.translate("RequestDeadline", "Cancelled"), Tone.NORMAL
    if status in (RequestStatus.RESOLVED, RequestStatus.CLOSED):
        resolved = _aware(row.resolved_at) if row.resolved_at is not None else None
        if resolved is not None and resolved > due:
            return QCoreApplication.translate("RequestDeadline", "Resolved after the deadline"), Tone.OVERDUE
        return QCoreApplication.translate("RequestDeadline", "Resolved within the deadline"), Tone.NORMAL
    if status is RequestStatus.WAITING_CUSTOMER:
        return QCoreApplication.translate("RequestDeadline", "Paused while waiting for the customer"), Tone.NORMAL
    tone = deadline_tone(row, now, calendar)
    if tone is Tone.OVERDUE:
        text = QCoreApplication.translate("RequestDeadline", "Overdue since {0}")
        return text.format(format_jalali_datetime(due)), tone
    left = working_time_between(_aware(now), due, calendar) if calendar is not None else due - _aware(now)
    text = QCoreApplication.translate("RequestDeadline", "Due in {0} of working time")
    return text.format(duration_text(left)), tone
