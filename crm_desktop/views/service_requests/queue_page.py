"""The service requests section: the work queues, and the request screen opened from them."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer, Slot
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStackedWidget,
    QTabBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.persian import format_number
from crm_desktop.services.changes import Changes
from crm_desktop.services.permissions import Action, allowed
from crm_desktop.services.service_requests import Queue
from crm_desktop.services.sla import WorkCalendar
from crm_desktop.views.context import AppContext
from crm_desktop.views.keyset_model import ID_ROLE
from crm_desktop.views.section import SectionPage
from crm_desktop.views.service_requests.deadline import Tone
from crm_desktop.views.service_requests.lifetime import while_alive
from crm_desktop.views.service_requests.request_page import RequestPage
from crm_desktop.views.service_requests.table_model import TONE_COLOURS, RequestTableModel
from crm_desktop.views.tasks import QueryOp
from crm_desktop.views.widgets.export_button import ExportButton, ExportJob

QUEUES = (Queue.MINE, Queue.BRANCH_OPEN, Queue.OVERDUE, Queue.DUE_TODAY)
COUNT_CAP = 1000
"""Queue counts read at most this many rows each; beyond it the tab shows «۱٬۰۰۰+»."""
TICK_MS = 60_000


class RequestsPage(SectionPage):
    """Queues (mine, my branch's open ones, overdue, due today) over one lazy model; Enter opens a request."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._started = False
        self._counts: dict[Queue, int] = {}
        self.model = RequestTableModel(ctx, QUEUES[0], self)

        title = QLabel(self.tr("Service requests"))
        title.setObjectName("pageTitle")
        self.queues = QTabBar()
        self.queues.setObjectName("queues")
        self.queues.setAccessibleName(self.tr("Work queue"))
        self.queues.setExpanding(False)
        self.queues.setDrawBase(False)
        self.queues.setUsesScrollButtons(False)
        for queue in QUEUES:
            index = self.queues.addTab(self._queue_title(queue))
            self.queues.setTabData(index, str(queue))
        legend = QHBoxLayout()
        legend.addWidget(self.queues)
        legend.addStretch(1)
        legend.addWidget(self._legend(Tone.OVERDUE, self.tr("Overdue")))
        legend.addWidget(self._legend(Tone.DUE_SOON, self.tr("Due within two working hours")))
        self.export_button = ExportButton(ctx, self.tr("Service requests"), self.export_job)
        self.export_button.setVisible(allowed(ctx.actor, Action.EXPORT))
        legend.addWidget(self.export_button)

        self.table = QTableView()
        self.table.setObjectName("requestTable")
        self.table.setAccessibleName(self.tr("Service requests"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().lineSpacing() + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self._size_columns()
        self.empty = QLabel(self.tr("No request in this queue."))
        self.empty.setObjectName("emptyQueue")
        self.empty.setProperty("role", "muted")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.hide()

        queue_view = QWidget()
        column = QVBoxLayout(queue_view)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(title)
        column.addLayout(legend)
        column.addWidget(self.table, 1)
        column.addWidget(self.empty)
        self.queue_view = queue_view
        self.request_page = RequestPage(ctx)
        self.request_page.setObjectName("requestPage")
        self.stack = QStackedWidget()
        self.stack.addWidget(queue_view)
        self.stack.addWidget(self.request_page)
        QVBoxLayout(self).addWidget(self.stack)
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._connect_signals()

    def _size_columns(self) -> None:
        """Widths in characters of the font, never narrower than the (bold) column title."""
        header = self.table.horizontalHeader()
        bold = header.font()
        bold.setBold(True)
        titles = QFontMetrics(bold)
        char = self.fontMetrics().averageCharWidth()
        for column, chars in enumerate((20, 18, 0, 9, 8, 13, 16, 11, 16)):
            if chars:
                title = str(self.model.headerData(column, Qt.Orientation.Horizontal))
                self.table.setColumnWidth(column, max(chars * char, titles.horizontalAdvance(title) + 3 * char))

    def _legend(self, tone: Tone, text: str) -> QLabel:
        background, foreground = TONE_COLOURS[tone]
        label = QLabel(text)
        label.setObjectName(f"legend_{tone}")
        label.setStyleSheet(f"background: {background.name()}; color: {foreground.name()};"
                            " border-radius: 9px; padding: 0.1em 0.6em;")
        return label

    def _queue_title(self, queue: Queue) -> str:
        titles = {Queue.MINE: self.tr("Mine"), Queue.BRANCH_OPEN: self.tr("Branch open"),
                  Queue.OVERDUE: self.tr("Overdue"), Queue.DUE_TODAY: self.tr("Due today")}
        count = self._counts.get(queue)
        if count is None:
            return titles[queue]
        shown = format_number(count) + ("+" if count >= COUNT_CAP else "")
        return self.tr("{0} ({1})").format(titles[queue], shown)

    def _connect_signals(self) -> None:
        self.queues.currentChanged.connect(self._on_queues_current_changed)
        self.table.activated.connect(self._on_table_activated)
        self.model.rows_loaded.connect(self._on_model_rows_loaded)
        self.request_page.back_requested.connect(self._on_request_page_back_requested)
        self.request_page.customer_opened.connect(self.customer_opened)
        self.ctx.bus.changed.connect(self._on_bus_changed)
        self._tick.timeout.connect(self._on_tick_timeout)

    # -- SectionPage --------------------------------------------------------------------------
    def activated(self) -> None:
        if not self._started:
            self._started = True
            self.model.queue = self.current_queue
            self.model.reload()
            self._load_calendar()
            self._tick.start()
        self.refresh_counts()

    def focus_search(self) -> None:
        self.show_queues()
        self.queues.setFocus()

    def new_item(self) -> None:
        self.ctx.messages.info.emit(self.tr("Open a new request from the customer's profile (Ctrl+R)."))

    def go_back(self) -> bool:
        if self.stack.currentWidget() is self.request_page:
            self.show_queues()
            return True
        return False

    # -- public -------------------------------------------------------------------------------
    @property
    def current_queue(self) -> Queue:
        return Queue(self.queues.tabData(self.queues.currentIndex()))

    def select_queue(self, queue: Queue) -> None:
        self.queues.setCurrentIndex(QUEUES.index(queue))

    def open_request(self, request_id: str) -> None:
        """Show one request in this page (the main window calls this for links from other pages)."""
        if not self._started:
            self.activated()
        self.stack.setCurrentWidget(self.request_page)
        self.request_page.load(request_id)
        self.request_page.back.setFocus()

    def export_job(self) -> ExportJob:
        """The export of the queue shown now, in its order."""
        actor, queue = self.ctx.actor, self.model.queue
        return lambda s, path, progress: s.exports.requests(actor, path, queue=queue, progress=progress)

    def show_queues(self) -> None:
        opened = self.request_page.request_id
        self.stack.setCurrentWidget(self.queue_view)
        position = self.model.position_of(opened) if opened else None
        if position is not None:
            self.table.setCurrentIndex(self.model.index(position, 0))
        self.table.setFocus()

    def refresh_counts(self) -> None:
        actor = self.ctx.actor

        def count(services, _progress):  # type: ignore[no-untyped-def]
            return {queue: len(services.requests.queue(actor, queue, limit=COUNT_CAP).rows) for queue in QUEUES}

        QueryOp(self, self.ctx, count).success(self._show_counts).run()

    @while_alive
    def _show_counts(self, counts: dict[Queue, int]) -> None:
        self._counts = counts
        for index, queue in enumerate(QUEUES):
            self.queues.setTabText(index, self._queue_title(queue))

    def _load_calendar(self) -> None:
        QueryOp(self, self.ctx, lambda s, _p: s.calendar.calendar()).success(self._on_calendar_read).run()

    @while_alive
    def _on_calendar_read(self, calendar: WorkCalendar) -> None:
        self.model.set_calendar(calendar)

    # -- slots --------------------------------------------------------------------------------
    @Slot(int)
    def _on_queues_current_changed(self, index: int) -> None:
        if index >= 0 and self._started:
            self.model.set_queue(self.current_queue)

    @Slot(QModelIndex)
    def _on_table_activated(self, index: QModelIndex) -> None:
        request_id = index.data(ID_ROLE)
        if request_id:
            self.open_request(str(request_id))

    @Slot(int)
    def _on_model_rows_loaded(self, count: int) -> None:
        self.empty.setVisible(count == 0)

    @Slot()
    def _on_request_page_back_requested(self) -> None:
        self.show_queues()

    @Slot(object)
    def _on_bus_changed(self, changes: Changes) -> None:
        if self._started and (changes.requests or changes.users):
            self.refresh_counts()

    @Slot()
    def _on_tick_timeout(self) -> None:
        self.model.refresh_tones()
        self.request_page.refresh_sla()
