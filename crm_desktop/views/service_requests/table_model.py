"""The rows of one work queue, soonest deadline first, read a keyset page at a time."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QBrush, QColor

from crm_desktop.persian import format_jalali_date, format_jalali_datetime
from crm_desktop.services import Services
from crm_desktop.services.changes import Changes
from crm_desktop.services.paging import Page, PageKey
from crm_desktop.services.records import RequestRow
from crm_desktop.services.service_requests import Queue
from crm_desktop.services.sla import WorkCalendar
from crm_desktop.views.context import AppContext
from crm_desktop.views.keyset_model import Column, KeysetTableModel
from crm_desktop.views.service_requests.deadline import Tone, deadline_tone
from crm_desktop.views.service_requests.labels import category_label, priority_label, request_number, status_label

_CENTER = Qt.AlignmentFlag.AlignCenter
TONE_COLOURS: dict[Tone, tuple[QColor, QColor]] = {  # (background, text)
    Tone.OVERDUE: (QColor("#fdecea"), QColor("#8c1d18")),
    Tone.DUE_SOON: (QColor("#fff4d6"), QColor("#6b4a00")),
}


class RequestTableModel(KeysetTableModel[RequestRow]):
    """One queue (mine, branch open, overdue, due today) over ``services.requests.queue``.

    Rows are tinted by their deadline: red once overdue, amber when due within two working hours.
    """

    context = "RequestTableModel"
    columns = (
        Column("number", QT_TRANSLATE_NOOP("RequestTableModel", "Number")),
        Column("customer", QT_TRANSLATE_NOOP("RequestTableModel", "Customer")),
        Column("subject", QT_TRANSLATE_NOOP("RequestTableModel", "Subject")),
        Column("category", QT_TRANSLATE_NOOP("RequestTableModel", "Category"), align=_CENTER),
        Column("priority", QT_TRANSLATE_NOOP("RequestTableModel", "Priority"), align=_CENTER),
        Column("status", QT_TRANSLATE_NOOP("RequestTableModel", "Status"), align=_CENTER),
        Column("assignee", QT_TRANSLATE_NOOP("RequestTableModel", "Assignee")),
        Column("opened", QT_TRANSLATE_NOOP("RequestTableModel", "Opened"), align=_CENTER),
        Column("due", QT_TRANSLATE_NOOP("RequestTableModel", "Deadline"), align=_CENTER),
    )

    def __init__(self, ctx: AppContext, queue: Queue = Queue.MINE, parent: Any = None) -> None:
        super().__init__(ctx, parent)
        self.queue = queue
        self.calendar: WorkCalendar | None = None
        self._tones: dict[str, Tone] = {}
        self._tones_at: datetime | None = None

    # -- queries ------------------------------------------------------------------------------
    def set_queue(self, queue: Queue) -> None:
        if queue != self.queue:
            self.queue = queue
            self.reload()

    def set_calendar(self, calendar: WorkCalendar) -> None:
        """The working calendar makes "due soon" count working hours; repaint with it."""
        self.calendar = calendar
        self.refresh_tones()

    def refresh_tones(self) -> None:
        """Time moved on: recompute every row's colour."""
        self._tones.clear()
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1),
                                  [Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole])

    def fetch_page(self, services: Services, after: PageKey | None, limit: int) -> Page[RequestRow]:
        return services.requests.queue(self.ctx.actor, self.queue, after=after, limit=limit)

    def changed_ids(self, changes: Changes) -> frozenset[str]:
        return changes.requests  # any request may enter or leave a queue: read it again

    # -- display ------------------------------------------------------------------------------
    def display(self, row: RequestRow, key: str) -> str:
        if key == "number":
            return request_number(row.number)
        if key == "customer":
            return row.customer_name
        if key == "subject":
            return row.subject
        if key == "category":
            return category_label(row.category)
        if key == "priority":
            return priority_label(row.priority)
        if key == "status":
            return status_label(row.status)
        if key == "assignee":
            return row.assignee_name or ""
        if key == "opened":
            return format_jalali_date(row.opened_at)
        if key == "due":
            return format_jalali_datetime(row.due_at)
        return ""

    def tone(self, row: RequestRow) -> Tone:
        now = self.ctx.services.requests.now()
        minute = now.replace(second=0, microsecond=0)
        if minute != self._tones_at:
            self._tones, self._tones_at = {}, minute
        tone = self._tones.get(row.id)
        if tone is None:
            tone = self._tones[row.id] = deadline_tone(row, now, self.calendar)
        return tone

    def background(self, row: RequestRow) -> QBrush | None:
        colours = TONE_COLOURS.get(self.tone(row))
        return QBrush(colours[0]) if colours else None

    def foreground(self, row: RequestRow) -> QBrush | None:
        colours = TONE_COLOURS.get(self.tone(row))
        return QBrush(colours[1]) if colours else None

    def reload(self) -> None:
        self._tones.clear()
        super().reload()
