"""Open a new service request for one customer (from the 360° screen, Ctrl+R)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.errors import CrmError
from crm_desktop.models.enums import Priority, RequestCategory
from crm_desktop.persian import format_jalali_datetime
from crm_desktop.services.changes import Outcome
from crm_desktop.services.errors import InvalidInput
from crm_desktop.services.permissions import Action, allowed
from crm_desktop.services.records import RequestRow
from crm_desktop.services.service_requests import RequestInput
from crm_desktop.services.sla import SlaPolicy, WorkCalendar, due_time
from crm_desktop.services.users import UserRow
from crm_desktop.views.context import AppContext
from crm_desktop.views.errors import show_error
from crm_desktop.views.service_requests.colleagues import assignable_colleagues, fill_colleagues
from crm_desktop.views.service_requests.labels import directed
from crm_desktop.views.service_requests.lifetime import while_alive
from crm_desktop.views.tasks import QueryOp, ServiceOp
from crm_desktop.views.widgets.field_errors import FieldErrors

SUBJECT_LIMIT = 200
DESCRIPTION_LIMIT = 4000


class OpenRequestDialog(QDialog):
    """Category, priority, subject, description and an optional assignee; shows the deadline it will get.

    Signals:
        opened(RequestRow): the request was saved.
    """

    opened = Signal(object)

    def __init__(self, ctx: AppContext, *, customer_id: str, customer_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.customer_id = ctx, customer_id
        self._policies: dict[tuple[str, str], SlaPolicy] = {}
        self._calendar: WorkCalendar | None = None
        self._saving = False
        self.setWindowTitle(self.tr("New service request"))
        self.setObjectName("openRequestDialog")
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 70)

        title = QLabel(self.tr("New service request for {0}").format(customer_name))
        title.setObjectName("dialogTitle")
        title.setWordWrap(True)
        self.category = self._combo("category", self.tr("Category"), RequestCategory.choices())
        self.priority = self._combo("priority", self.tr("Priority"), Priority.choices())
        self.priority.setCurrentIndex(max(0, self.priority.findData(str(Priority.NORMAL))))
        self.subject = QLineEdit()
        self.subject.setObjectName("subject")
        self.subject.setAccessibleName(self.tr("Subject"))
        self.subject.setMaxLength(SUBJECT_LIMIT)
        self.description = QPlainTextEdit()
        self.description.setObjectName("description")
        self.description.setAccessibleName(self.tr("Description"))
        self.description.setTabChangesFocus(True)
        self.description.setMinimumHeight(self.fontMetrics().lineSpacing() * 5)
        self.assignee = QComboBox()
        self.assignee.setObjectName("assignee")
        self.assignee.setAccessibleName(self.tr("Assignee"))
        self.assignee.addItem(self.tr("Not assigned yet"), None)
        self.deadline = QLabel()
        self.deadline.setObjectName("deadlinePreview")
        self.deadline.setProperty("role", "muted")
        self.general_error = QLabel()
        self.general_error.setObjectName("generalError")
        self.general_error.setProperty("role", "error")
        self.general_error.setWordWrap(True)
        self.general_error.hide()

        self.errors = FieldErrors()
        form = QFormLayout()
        form.addRow(self.tr("Category"), self.errors.stacked("category", self.category))
        form.addRow(self.tr("Priority"), self.errors.stacked("priority", self.priority))
        form.addRow(self.tr("Subject"), self.errors.stacked("subject", self.subject))
        form.addRow(self.tr("Description"), self.errors.stacked("description", self.description))
        form.addRow(self.tr("Assignee"), self.errors.stacked("assignee_id", self.assignee))
        form.addRow(self.tr("Deadline"), self.deadline)

        self.buttons = QDialogButtonBox()
        self.save = QPushButton(self.tr("Open request"))
        self.save.setObjectName("save")
        self.save.setProperty("primary", "true")
        self.save.setDefault(True)
        self.cancel = QPushButton(self.tr("Cancel"))
        self.cancel.setObjectName("cancel")
        self.buttons.addButton(self.save, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel, QDialogButtonBox.ButtonRole.RejectRole)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        for first, second in ((self.category, self.priority), (self.priority, self.subject),
                              (self.subject, self.description), (self.description, self.assignee),
                              (self.assignee, self.save), (self.save, self.cancel)):
            QWidget.setTabOrder(first, second)
        self.subject.setFocus()
        self._connect_signals()
        self._load_choices()

    def _combo(self, name: str, accessible: str, choices: list[tuple[str, str]]) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.setAccessibleName(accessible)
        for value, label in choices:
            combo.addItem(label, value)
        return combo

    def _connect_signals(self) -> None:
        self.category.currentIndexChanged.connect(self._on_choice_changed)
        self.priority.currentIndexChanged.connect(self._on_choice_changed)
        self.subject.textEdited.connect(self._on_subject_text_edited)
        self.save.clicked.connect(self._on_save_clicked)
        self.cancel.clicked.connect(self.reject)

    # -- reading what the form needs ----------------------------------------------------------
    def _load_choices(self) -> None:
        actor = self.ctx.actor

        def read(services, _progress):  # type: ignore[no-untyped-def]
            colleagues = assignable_colleagues(services, actor) if allowed(actor, Action.WORK_REQUEST) else []
            return services.calendar.calendar(), services.calendar.policies(), colleagues

        QueryOp(self, self.ctx, read).success(self._show_choices).run()

    @while_alive
    def _show_choices(self, result: tuple[WorkCalendar, list[SlaPolicy], list[UserRow]]) -> None:
        self._calendar, policies, colleagues = result
        self._policies = {(p.category, p.priority): p for p in policies}
        fill_colleagues(self.assignee, colleagues)
        self._show_deadline()

    @Slot()
    def _on_choice_changed(self) -> None:
        self._show_deadline()

    def _show_deadline(self) -> None:
        policy = self._policies.get((str(self.category.currentData()), str(self.priority.currentData())))
        if policy is None or self._calendar is None:
            self.deadline.clear()
            return
        now: datetime = self.ctx.services.requests.now()
        due = due_time(now, policy.target, self._calendar)
        self.deadline.setText(directed(self, self.tr("About {0} if opened now").format(format_jalali_datetime(due))))

    # -- validating and saving ----------------------------------------------------------------
    @Slot(str)
    def _on_subject_text_edited(self, text: str) -> None:
        if text.strip():
            if self.errors.text("subject"):
                self.errors.clear()
        else:
            self.errors.show({"subject": self.tr("Write the request's subject.")})

    def draft(self) -> RequestInput:
        return RequestInput(
            customer_id=self.customer_id, category=str(self.category.currentData()),
            priority=str(self.priority.currentData()), subject=self.subject.text(),
            description=self.description.toPlainText() or None, assignee_id=self.assignee.currentData(),
        )

    @Slot()
    def _on_save_clicked(self) -> None:
        if self._saving:
            return
        self._saving = True
        self.save.setEnabled(False)
        self.general_error.hide()
        actor, draft = self.ctx.actor, self.draft()
        ServiceOp(self, self.ctx, lambda s: s.requests.open(actor, draft)) \
            .success(self._on_saved).failure(self._on_failed).run()

    @while_alive
    def _on_saved(self, outcome: Outcome[RequestRow]) -> None:
        self._saving = False
        self.save.setEnabled(True)
        self.opened.emit(outcome.value)
        self.ctx.messages.info.emit(self.tr("Service request opened."))
        self.accept()

    @while_alive
    def _on_failed(self, exc: BaseException) -> None:
        self._saving = False
        self.save.setEnabled(True)
        if isinstance(exc, InvalidInput):
            orphans = self.errors.show(exc.errors)
            if orphans:
                self.general_error.setText("\n".join(orphans))
                self.general_error.show()
            widget = self.errors.first_invalid()
            if widget is not None:
                widget.setFocus()
        elif isinstance(exc, CrmError):
            show_error(self, exc)
