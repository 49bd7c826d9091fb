"""Ask what one transition needs (a colleague, the resolution, the satisfaction score, a note) and apply it."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.errors import CrmError
from crm_desktop.persian import to_persian_digits
from crm_desktop.services.changes import Outcome
from crm_desktop.services.errors import InvalidInput
from crm_desktop.services.records import RequestRow
from crm_desktop.services.request_states import Transition
from crm_desktop.services.users import UserRow
from crm_desktop.views.context import AppContext
from crm_desktop.views.errors import show_error
from crm_desktop.views.service_requests.colleagues import assignable_colleagues, branch_code_of, fill_colleagues
from crm_desktop.views.service_requests.labels import request_number, transition_label
from crm_desktop.views.service_requests.lifetime import while_alive
from crm_desktop.views.tasks import QueryOp, ServiceOp
from crm_desktop.views.widgets.field_errors import FieldErrors


class TransitionDialog(QDialog):
    """One step of a request's life, with the inputs that step requires.

    Signals:
        applied(RequestRow): the transition was saved.
        refused(): the request changed underneath or the step is no longer allowed (read it again).
    """

    applied = Signal(object)
    refused = Signal()

    def __init__(self, ctx: AppContext, row: RequestRow, transition: Transition,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.row, self.transition = ctx, row, transition
        self._saving = False
        self.setObjectName("transitionDialog")
        self.setWindowTitle(transition_label(transition))
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)
        self.errors = FieldErrors()
        self.assignee: QComboBox | None = None
        self.resolution: QPlainTextEdit | None = None
        self.satisfaction: QComboBox | None = None

        title = QLabel(self.tr("{0}: request {1}").format(transition_label(transition), request_number(row.number)))
        title.setObjectName("dialogTitle")
        title.setWordWrap(True)
        form = QFormLayout()
        if transition is Transition.ASSIGN:
            self.assignee = QComboBox()
            self.assignee.setObjectName("assignee")
            self.assignee.setAccessibleName(self.tr("Assignee"))
            form.addRow(self.tr("Assign to"), self.errors.stacked("assignee_id", self.assignee))
        if transition is Transition.RESOLVE:
            self.resolution = self._text_box("resolution", self.tr("Resolution"), lines=5)
            form.addRow(self.tr("Resolution"), self.errors.stacked("resolution", self.resolution))
        if transition is Transition.CLOSE:
            self.satisfaction = QComboBox()
            self.satisfaction.setObjectName("satisfaction")
            self.satisfaction.setAccessibleName(self.tr("Customer satisfaction"))
            self.satisfaction.addItem(self.tr("Choose…"), None)
            for score, text in enumerate((self.tr("very dissatisfied"), self.tr("dissatisfied"), self.tr("neutral"),
                                          self.tr("satisfied"), self.tr("very satisfied")), start=1):
                self.satisfaction.addItem(f"{to_persian_digits(str(score))} – {text}", score)
            form.addRow(self.tr("Customer satisfaction"), self.errors.stacked("satisfaction", self.satisfaction))
        self.note = self._text_box("note", self.tr("Note"), lines=3)
        note_title = self.tr("Reason") if transition is Transition.CANCEL else self.tr("Note")
        form.addRow(note_title, self.errors.stacked("note", self.note))
        self.general_error = QLabel()
        self.general_error.setObjectName("generalError")
        self.general_error.setProperty("role", "error")
        self.general_error.setWordWrap(True)
        self.general_error.hide()

        self.ok = QPushButton(transition_label(transition))
        self.ok.setObjectName("apply")
        self.ok.setProperty("primary", "true")
        self.ok.setDefault(True)
        self.cancel = QPushButton(self.tr("Cancel"))
        self.cancel.setObjectName("cancel")
        buttons = QDialogButtonBox()
        buttons.addButton(self.ok, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.cancel, QDialogButtonBox.ButtonRole.RejectRole)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(buttons)
        first = self.assignee or self.resolution or self.satisfaction or self.note
        first.setFocus()
        self._connect_signals()
        if self.assignee is not None:
            self.ok.setEnabled(False)
            self._load_colleagues()

    def _text_box(self, name: str, accessible: str, *, lines: int) -> QPlainTextEdit:
        box = QPlainTextEdit()
        box.setObjectName(name)
        box.setAccessibleName(accessible)
        box.setTabChangesFocus(True)
        box.setMinimumHeight(self.fontMetrics().lineSpacing() * (lines + 1))
        return box

    def _connect_signals(self) -> None:
        self.ok.clicked.connect(self._on_ok_clicked)
        self.cancel.clicked.connect(self.reject)

    def _load_colleagues(self) -> None:
        actor, code = self.ctx.actor, branch_code_of(self.row.number)
        branch = code if actor.sees_all_branches else None
        QueryOp(self, self.ctx, lambda s, _p: assignable_colleagues(s, actor, branch)) \
            .success(self._show_colleagues).run()

    @while_alive
    def _show_colleagues(self, users: list[UserRow]) -> None:
        assert self.assignee is not None
        others = [u for u in users if u.id != self.row.assignee_id]
        fill_colleagues(self.assignee, others, select=self.ctx.actor.user_id)
        self.ok.setEnabled(bool(others))
        if not others:
            self.errors.show({"assignee_id": self.tr("No colleague of this branch can take the request.")})

    # -- applying -----------------------------------------------------------------------------
    def _local_errors(self) -> dict[str, str]:
        if self.satisfaction is not None and self.satisfaction.currentData() is None:
            return {"satisfaction": self.tr("Choose the customer's satisfaction from 1 to 5.")}
        return {}

    @Slot()
    def _on_ok_clicked(self) -> None:
        if self._saving:
            return
        local = self._local_errors()
        if local:
            self.errors.show(local)
            return
        self._saving = True
        self.ok.setEnabled(False)
        self.errors.clear()
        actor, row, step = self.ctx.actor, self.row, self.transition
        assignee = self.assignee.currentData() if self.assignee is not None else None
        resolution = self.resolution.toPlainText() if self.resolution is not None else None
        satisfaction = self.satisfaction.currentData() if self.satisfaction is not None else None
        note = self.note.toPlainText() or None
        ServiceOp(self, self.ctx, lambda s: s.requests.transition(
            actor, row.id, step, assignee_id=assignee, note=note, resolution=resolution,
            satisfaction=satisfaction, expected_version=row.version,
        )).success(self._on_applied).failure(self._on_failed).run()

    @while_alive
    def _on_applied(self, outcome: Outcome[RequestRow]) -> None:
        self._saving = False
        self.applied.emit(outcome.value)
        self.accept()

    @while_alive
    def _on_failed(self, exc: BaseException) -> None:
        self._saving = False
        self.ok.setEnabled(True)
        if isinstance(exc, InvalidInput):
            orphans = self.errors.show(exc.errors)
            if orphans:
                self.general_error.setText("\n".join(orphans))
                self.general_error.show()
            return
        if isinstance(exc, CrmError):  # conflict, invalid transition, permission: the request moved on
            show_error(self, exc)
            self.refused.emit()
            self.reject()
