"""One service request: its facts, its deadline, its status history and the steps this user may take."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.persian import format_jalali_datetime, to_persian_digits
from crm_desktop.services.records import RequestDetail, RequestRow, StatusChangeRow
from crm_desktop.services.request_states import Transition
from crm_desktop.services.sla import WorkCalendar
from crm_desktop.views.context import AppContext
from crm_desktop.views.errors import show_error
from crm_desktop.views.service_requests.deadline import Tone, sla_text
from crm_desktop.views.service_requests.labels import (
    category_label,
    directed,
    priority_label,
    request_number,
    status_label,
    transition_label,
)
from crm_desktop.views.service_requests.lifetime import while_alive
from crm_desktop.views.service_requests.transition_dialog import TransitionDialog
from crm_desktop.views.tasks import QueryOp

_FIELDS = ("subject", "category", "priority", "status", "assignee", "opened", "opened_by", "first_response",
           "due", "resolved", "closed", "satisfaction")


class RequestPage(QWidget):
    """The request screen inside the requests section.

    Signals:
        customer_opened(str): the customer link was followed.
        back_requested(): the user wants the queue again.
        loaded(RequestDetail): a request was (re)read and shown.
    """

    customer_opened = Signal(str)
    back_requested = Signal()
    loaded = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.detail: RequestDetail | None = None
        self.calendar: WorkCalendar | None = None
        self.transition_dialog: TransitionDialog | None = None
        self.transition_buttons: dict[str, QPushButton] = {}
        self._request_id: str | None = None

        self.back = QPushButton(self.tr("Back to the queue"))
        self.back.setObjectName("backToQueue")
        self.back.setToolTip(self.tr("Esc"))
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.status_chip = self._chip("statusChip")
        self.priority_chip = self._chip("priorityChip")
        self.sla_chip = self._chip("slaChip")
        header = QHBoxLayout()
        header.addWidget(self.title)
        header.addWidget(self.status_chip)
        header.addWidget(self.priority_chip)
        header.addWidget(self.sla_chip)
        header.addStretch(1)
        header.addWidget(self.back)

        self.customer_link = QPushButton()
        self.customer_link.setObjectName("customerLink")
        self.customer_link.setAccessibleName(self.tr("Open the customer's profile"))
        self.customer_link.setFlat(True)
        self.customer_link.setCursor(Qt.CursorShape.PointingHandCursor)
        self.customer_link.setStyleSheet("QPushButton#customerLink { color: #1f5f8b; text-decoration: underline;"
                                         " border: none; background: transparent; padding: 0; }")
        self.values: dict[str, QLabel] = {key: self._value(key) for key in _FIELDS}
        self.description = self._value("description", selectable=True)
        self.resolution = self._value("resolution", selectable=True)
        self.values["subject"].setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        details = QGroupBox(self.tr("Request"))
        grid = QGridLayout(details)
        titles = {
            "subject": self.tr("Subject"), "category": self.tr("Category"), "priority": self.tr("Priority"),
            "status": self.tr("Status"), "assignee": self.tr("Assignee"), "opened": self.tr("Opened"),
            "opened_by": self.tr("Opened by"), "first_response": self.tr("First response"),
            "due": self.tr("Deadline"), "resolved": self.tr("Resolved"), "closed": self.tr("Closed"),
            "satisfaction": self.tr("Customer satisfaction"),
        }
        cells: list[tuple[str, QWidget]] = [(self.tr("Customer"), self.customer_link)]
        cells += [(titles[key], self.values[key]) for key in _FIELDS]
        leading = Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter
        for position, (text, widget) in enumerate(cells):
            row, column = divmod(position, 2)
            grid.addWidget(self._caption(text), row, column * 2)
            if widget is self.customer_link:  # a button would fill the cell and centre its text
                grid.addWidget(widget, row, column * 2 + 1, leading)
            else:
                grid.addWidget(widget, row, column * 2 + 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        last = (len(cells) + 1) // 2
        grid.addWidget(self._caption(self.tr("Description")), last, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.description, last, 1, 1, 3)
        grid.addWidget(self._caption(self.tr("Resolution")), last + 1, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.resolution, last + 1, 1, 1, 3)

        self.action_buttons = QHBoxLayout()
        self.no_actions = QLabel(self.tr("No step of this request is open to you."))
        self.no_actions.setObjectName("noActions")
        self.no_actions.setProperty("role", "muted")
        actions_box = QWidget()
        actions_row = QHBoxLayout(actions_box)
        actions_row.setContentsMargins(0, 0, 0, 0)
        actions_row.addLayout(self.action_buttons)
        actions_row.addWidget(self.no_actions)
        actions_row.addStretch(1)

        self.history = QTableWidget(0, 4)
        self.history.setObjectName("history")
        self.history.setAccessibleName(self.tr("Status history"))
        self.history.setHorizontalHeaderLabels([self.tr("Time"), self.tr("User"), self.tr("Change"),
                                                self.tr("Note")])
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history.verticalHeader().hide()
        self.history.setWordWrap(True)
        heads = self.history.horizontalHeader()
        for column in range(3):
            heads.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        heads.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        history_box = QGroupBox(self.tr("Status history"))
        QVBoxLayout(history_box).addWidget(self.history)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(details)
        layout.addWidget(actions_box)
        layout.addWidget(history_box, 1)
        self._connect_signals()

    def _chip(self, name: str) -> QLabel:
        chip = QLabel()
        chip.setObjectName(name)
        chip.setProperty("role", "chip")
        return chip

    def _caption(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setProperty("role", "muted")
        return label

    def _value(self, key: str, *, selectable: bool = False) -> QLabel:
        # Selectable labels lay text out by its own direction: only for text that starts with Persian words.
        label = QLabel()
        label.setObjectName(f"value_{key}")
        label.setWordWrap(True)
        if selectable:
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def _connect_signals(self) -> None:
        self.back.clicked.connect(self.back_requested)
        self.customer_link.clicked.connect(self._on_customer_link_clicked)

    # -- reading ------------------------------------------------------------------------------
    @property
    def request_id(self) -> str | None:
        return self._request_id

    def load(self, request_id: str) -> None:
        """Read the request (and, once, the working calendar) off the UI thread, then show it."""
        self._request_id = request_id
        actor, need_calendar = self.ctx.actor, self.calendar is None

        def read(services, _progress):  # type: ignore[no-untyped-def]
            calendar = services.calendar.calendar() if need_calendar else None
            return services.requests.detail(actor, request_id), calendar

        QueryOp(self, self.ctx, read).success(self._on_read).failure(self._on_read_failed).run()

    @while_alive
    def _on_read(self, result: tuple[RequestDetail, WorkCalendar | None]) -> None:
        detail, calendar = result
        if detail.row.id != self._request_id:
            return  # another request was opened meanwhile
        if calendar is not None:
            self.calendar = calendar
        self.show_detail(detail)

    @while_alive
    def _on_read_failed(self, exc: BaseException) -> None:
        show_error(self, exc)
        self.back_requested.emit()

    def show_detail(self, detail: RequestDetail) -> None:
        self.detail = detail
        row = detail.row
        self.title.setText(self.tr("Request {0}").format(request_number(row.number)))
        self.status_chip.setText(status_label(row.status))
        self.priority_chip.setText(priority_label(row.priority))
        self.customer_link.setText(row.customer_name or self.tr("(no name)"))
        self._set_values(detail)
        self.refresh_sla()
        self._show_history(detail.history)
        self._show_actions(detail.allowed_transitions)
        self.loaded.emit(detail)

    def _set_values(self, detail: RequestDetail) -> None:
        row = detail.row
        when = {"opened": row.opened_at, "first_response": detail.first_response_at, "due": row.due_at,
                "resolved": row.resolved_at, "closed": row.closed_at}
        texts = {key: format_jalali_datetime(value) if value is not None else "—" for key, value in when.items()}
        texts.update(
            subject=row.subject, category=category_label(row.category), priority=priority_label(row.priority),
            status=status_label(row.status), assignee=row.assignee_name or self.tr("Not assigned yet"),
            opened_by=detail.opened_by_name or "—",
            satisfaction=to_persian_digits(f"{row.satisfaction} / 5") if row.satisfaction is not None else "—",
        )
        for key, label in self.values.items():
            label.setText(self._directed(texts[key]))
        self.description.setText(self._directed(detail.description or "—"))
        self.resolution.setText(self._directed(detail.resolution or "—"))

    def _directed(self, text: str) -> str:
        return directed(self, text)

    def refresh_sla(self) -> None:
        """The deadline sentence, against the services' clock (called again as time passes)."""
        if self.detail is None:
            return
        text, tone = sla_text(self.detail.row, self.ctx.services.requests.now(), self.calendar)
        self.sla_chip.setText(text)
        role = "chip" if tone is Tone.NORMAL else "chip-warn"
        if self.sla_chip.property("role") != role:
            self.sla_chip.setProperty("role", role)
            self.sla_chip.style().unpolish(self.sla_chip)
            self.sla_chip.style().polish(self.sla_chip)

    def _show_history(self, history: list[StatusChangeRow]) -> None:
        self.history.setRowCount(len(history))
        for position, change in enumerate(history):
            if change.from_status is None:
                move = self.tr("Opened as {0}").format(status_label(change.to_status))
            elif change.from_status == change.to_status:
                move = f"{transition_label(change.transition)} ({status_label(change.to_status)})"
            else:
                move = self.tr("{0} → {1}").format(status_label(change.from_status), status_label(change.to_status))
            cells = (format_jalali_datetime(change.changed_at), change.user_name, move, change.note or "")
            for column, text in enumerate(cells):
                self.history.setItem(position, column, QTableWidgetItem(text))
        self.history.resizeRowsToContents()

    def _show_actions(self, allowed: list[str]) -> None:
        for button in self.transition_buttons.values():
            self.action_buttons.removeWidget(button)
            button.deleteLater()
        self.transition_buttons = {}
        for value in allowed:
            button = QPushButton(transition_label(value))
            button.setObjectName(f"transition_{value}")
            button.setAccessibleName(transition_label(value))
            if value in (Transition.RESOLVE, Transition.START, Transition.CLOSE):
                button.setProperty("primary", "true")
            button.clicked.connect(lambda _checked=False, step=value: self.start_transition(step))
            self.action_buttons.addWidget(button)
            self.transition_buttons[value] = button
        self.no_actions.setVisible(not allowed)

    # -- acting -------------------------------------------------------------------------------
    def start_transition(self, transition: str) -> TransitionDialog | None:
        """Ask what the step needs in a window-modal dialog; the request is read again afterwards."""
        if self.detail is None or transition not in self.detail.allowed_transitions:
            return None
        dialog = TransitionDialog(self.ctx, self.detail.row, Transition(transition), self)
        dialog.applied.connect(self._on_transition_dialog_applied)
        dialog.refused.connect(self._on_transition_dialog_refused)
        dialog.finished.connect(dialog.deleteLater)
        self.transition_dialog = dialog
        dialog.open()
        return dialog

    @Slot(object)
    def _on_transition_dialog_applied(self, row: RequestRow) -> None:
        self.ctx.messages.info.emit(self.tr("Request {0} is now «{1}».").format(request_number(row.number),
                                                                                 status_label(row.status)))
        self.load(row.id)

    @Slot()
    def _on_transition_dialog_refused(self) -> None:
        if self._request_id is not None:
            self.load(self._request_id)

    @Slot()
    def _on_customer_link_clicked(self) -> None:
        if self.detail is not None:
            self.customer_opened.emit(self.detail.row.customer_id)
