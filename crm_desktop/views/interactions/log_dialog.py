"""Log (or edit) one interaction with a customer in a few keystrokes: subject, Enter."""

from __future__ import annotations

import itertools
from datetime import datetime

from PySide6.QtCore import Qt, QTime, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.errors import CrmError
from crm_desktop.models.enums import Channel, Direction, Outcome
from crm_desktop.persian import tehran_tz, to_persian_digits, to_tehran
from crm_desktop.services.errors import InvalidInput
from crm_desktop.services.interactions import InteractionInput
from crm_desktop.services.records import InteractionRow
from crm_desktop.views.context import AppContext
from crm_desktop.views.errors import show_error
from crm_desktop.views.tasks import ServiceOp
from crm_desktop.views.widgets.field_errors import FieldErrors
from crm_desktop.views.widgets.jalali_date_edit import JalaliDateEdit

FIELDS = ("subject", "channel", "direction", "notes", "occurred_at", "duration_minutes", "outcome", "follow_up_on")


class LogInteractionDialog(QDialog):
    """Signals:
        logged(object): the saved ``InteractionRow`` (new or edited).
    """

    logged = Signal(object)

    def __init__(self, ctx: AppContext, *, customer_id: str, customer_name: str,
                 interaction: InteractionRow | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.customer_id = customer_id
        self.interaction = interaction
        self.saving = False
        self._touched: set[str] = set()
        self.setObjectName("logInteractionDialog")
        self.setWindowTitle(self.tr("Edit interaction") if interaction else self.tr("Log an interaction"))
        self.errors = FieldErrors()
        self._build(customer_name)
        self._fill(interaction)
        self._initial_when = self._when_fields()
        self._connect_signals()
        self._validate()

    # -- building -----------------------------------------------------------------------------
    def _build(self, customer_name: str) -> None:
        em = self.fontMetrics().horizontalAdvance("M")
        title = QLabel(self.tr("Customer: {0}").format(customer_name))
        title.setObjectName("dialogTitle")
        self.subject = QLineEdit()
        self.subject.setMaxLength(200)
        self.channel = QComboBox()
        for value, label in Channel.choices():
            self.channel.addItem(label, value)
        self.direction = QComboBox()
        for value, label in Direction.choices():
            self.direction.addItem(label, value)
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + em)
        date_width = self.fontMetrics().horizontalAdvance("8888/88/88") + em * 5
        self.date = JalaliDateEdit(object_name="occurredDate")
        self.date.setFixedWidth(date_width)
        self.time = QTimeEdit()
        # Left to right before the format is set: in a right-to-left widget Qt reverses the sections (mm:HH).
        self.time.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.time.setDisplayFormat("HH:mm")
        self.duration = QLineEdit()
        self.duration.setMaxLength(4)
        self.duration.setFixedWidth(em * 5)
        self.outcome = QComboBox()
        self.outcome.addItem(self.tr("Not recorded"), None)
        for value, label in Outcome.choices():
            self.outcome.addItem(label, value)
        self.follow_up = JalaliDateEdit(object_name="followUpDate")
        self.follow_up.setFixedWidth(date_width)
        names = {"subject": self.subject, "channel": self.channel, "direction": self.direction, "notes": self.notes,
                 "occurredTime": self.time, "duration": self.duration, "outcome": self.outcome}
        for name, widget in names.items():
            widget.setObjectName(name)
        when = QHBoxLayout()
        when.addWidget(self.date)
        when.addWidget(self.time)
        when.addStretch(1)
        minutes = QHBoxLayout()
        minutes.addWidget(self.duration)
        minutes.addWidget(QLabel(self.tr("minutes")))
        minutes.addStretch(1)
        follow = QHBoxLayout()
        follow.addWidget(self.follow_up)
        follow.addStretch(1)
        form = QFormLayout()
        rows: list[tuple[str, str, QWidget, QWidget | QHBoxLayout]] = [
            ("subject", self.tr("Subject"), self.subject, self.subject),
            ("channel", self.tr("Channel"), self.channel, self.channel),
            ("direction", self.tr("Direction"), self.direction, self.direction),
            ("notes", self.tr("Notes"), self.notes, self.notes),
            ("occurred_at", self.tr("Date and time"), self.date, when),
            ("duration_minutes", self.tr("Duration"), self.duration, minutes),
            ("outcome", self.tr("Outcome"), self.outcome, self.outcome),
            ("follow_up_on", self.tr("Follow-up date"), self.follow_up, follow),
        ]
        for field, label, widget, cell in rows:
            widget.setAccessibleName(label)
            if isinstance(cell, QWidget):  # two calls: one per addRow overload
                form.addRow(label, cell)
            else:
                form.addRow(label, cell)
            form.addRow("", self.errors.label_for(field, widget))
        self.time.setAccessibleName(self.tr("Time"))
        self.general = QLabel()
        self.general.setObjectName("logError")
        self.general.setProperty("role", "error")
        self.general.setWordWrap(True)
        self.general.hide()
        hint = QLabel(self.tr("Enter saves; from the notes, Ctrl+Enter."))
        hint.setProperty("role", "muted")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.addButton(self.tr("Save"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("saveButton")
        self.save_button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(self.general)
        layout.addWidget(hint)
        layout.addWidget(self.buttons)
        order = (self.subject, self.channel, self.direction, self.notes, self.date, self.time, self.duration,
                 self.outcome, self.follow_up, self.save_button)
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)
        self.setMinimumWidth(em * 38)

    def _fill(self, row: InteractionRow | None) -> None:
        when = to_tehran(row.occurred_at if row else self.ctx.services.interactions.now())
        self.date.set_date(when.date())
        self.time.setTime(QTime(when.hour, when.minute))
        if row is None:
            self.channel.setCurrentIndex(self.channel.findData(str(Channel.BRANCH)))
            self.direction.setCurrentIndex(self.direction.findData(str(Direction.INBOUND)))
            return
        self.subject.setText(row.subject)
        self.channel.setCurrentIndex(max(0, self.channel.findData(row.channel)))
        self.direction.setCurrentIndex(max(0, self.direction.findData(row.direction)))
        self.notes.setPlainText(row.notes or "")
        self.duration.setText(to_persian_digits(str(row.duration_minutes)) if row.duration_minutes is not None else "")
        self.outcome.setCurrentIndex(max(0, self.outcome.findData(row.outcome)))
        self.follow_up.set_date(row.follow_up_on)

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_save_requested)
        self.buttons.rejected.connect(self.reject)
        for sequence in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(sequence), self).activated.connect(self._on_save_requested)
        edits = (
            ("notes", self.notes.textChanged),
            ("occurred_at", self.date.edited), ("occurred_at", self.time.timeChanged),
            ("duration_minutes", self.duration.textEdited), ("follow_up_on", self.follow_up.edited),
            ("channel", self.channel.currentIndexChanged), ("direction", self.direction.currentIndexChanged),
            ("outcome", self.outcome.currentIndexChanged),
        )
        for field, signal in edits:
            signal.connect(lambda *_args, field=field: self._on_field_edited(field))
        self.subject.textChanged.connect(self._on_subject_text_changed)

    # -- values -------------------------------------------------------------------------------
    def _when_fields(self) -> tuple[str, QTime]:
        return self.date.text(), self.time.time()

    def _occurred_at(self) -> datetime | None:
        """The moment on screen in Tehran time; None when unchanged (the service stamps "now" on a new one)."""
        if self._when_fields() == self._initial_when:
            return self.interaction.occurred_at if self.interaction else None
        day, clock = self.date.date(), self.time.time()
        if day is None:
            return None
        return datetime(day.year, day.month, day.day, clock.hour(), clock.minute(), tzinfo=tehran_tz())

    def input(self) -> InteractionInput:
        notes = self.notes.toPlainText()
        return InteractionInput(
            customer_id=self.customer_id, channel=self.channel.currentData(), direction=self.direction.currentData(),
            subject=self.subject.text(), notes=notes if notes.strip() else None, occurred_at=self._occurred_at(),
            duration_minutes=self.duration.text().strip() or None, outcome=self.outcome.currentData(),
            follow_up_on=self.follow_up.text() or None,
        )

    def current_errors(self) -> dict[str, str]:
        errors = self.ctx.services.interactions.validate(self.input())
        if not self.date.text():
            errors["occurred_at"] = self.tr("Enter the date of the interaction.")
        elif self.date.error():
            errors["occurred_at"] = self.date.error()
        return errors

    # -- validation and saving ----------------------------------------------------------------
    def _validate(self, *, show_all: bool = False) -> bool:
        errors = self.current_errors()
        shown = errors if show_all else {k: v for k, v in errors.items() if k in self._touched}
        self._show_errors(shown)
        self.save_button.setEnabled(not errors and not self.saving)
        return not errors

    def _show_errors(self, errors: dict[str, str]) -> None:
        orphans = self.errors.show(errors)
        self.general.setText("\n".join(orphans))
        self.general.setVisible(bool(orphans))
        self._fit_height()

    def _fit_height(self) -> None:
        """Grow when messages appear: wrapped messages need more height than the window's minimum knows."""
        layout = self.layout()
        if layout is None or not self.isVisible():
            return
        layout.activate()
        needed = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() else layout.sizeHint().height()
        if needed > self.height():
            self.resize(self.width(), needed)

    def save(self) -> None:
        """Save if the form is valid; the input stays on screen if the service refuses."""
        if self.saving or not self._validate(show_all=True):
            return
        actor, data = self.ctx.actor, self.input()
        self.saving = True
        self.save_button.setEnabled(False)
        if self.interaction is None:
            op = ServiceOp(self, self.ctx, lambda s: s.interactions.log(actor, data))
        else:
            item_id, version = self.interaction.id, self.interaction.version
            op = ServiceOp(self, self.ctx,
                           lambda s: s.interactions.edit(actor, item_id, data, expected_version=version))
        op.success(self._on_saved).failure(self._on_failed)
        op.run()

    def _on_saved(self, outcome: object) -> None:
        self.saving = False
        row = getattr(outcome, "value", None)
        self.ctx.messages.info.emit(self.tr("Interaction saved."))
        self.logged.emit(row)
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self.saving = False
        if isinstance(exc, InvalidInput):
            self._touched.update(FIELDS)
            self._show_errors(exc.errors)
            focus = self.errors.first_invalid()
            if focus is not None:
                focus.setFocus()
        elif isinstance(exc, CrmError):
            show_error(self, exc)
        self.save_button.setEnabled(not self.current_errors())

    # -- slots --------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.subject.setFocus(Qt.FocusReason.OtherFocusReason)
        self.subject.deselect()
        self.subject.end(False)

    @Slot()
    def _on_save_requested(self) -> None:
        self.save()

    def _on_field_edited(self, field: str) -> None:
        self._touched.add(field)
        self._validate()

    @Slot(str)
    def _on_subject_text_changed(self, _text: str) -> None:
        if "subject" not in self._touched and self.subject.text():
            self._touched.add("subject")
        self._validate()
