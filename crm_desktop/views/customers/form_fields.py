"""The customer form's input widgets: one per field, each with its error label, read into a CustomerInput."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from crm_desktop.models.enums import CustomerKind, Gender, KycStatus, LifecycleStage, Segment
from crm_desktop.persian import to_persian_digits
from crm_desktop.services.records import CustomerDetail, CustomerInput
from crm_desktop.views.customers.details import CORPORATE_ONLY, DIGITS, INDIVIDUAL_ONLY, field_title
from crm_desktop.views.widgets.field_errors import FieldErrors
from crm_desktop.views.widgets.jalali_date_edit import JalaliDateEdit

Input = QLineEdit | QComboBox | QCheckBox | QPlainTextEdit | JalaliDateEdit
LIMITS = {"first_name": 100, "last_name": 100, "father_name": 100, "company_name": 200, "contact_person": 200,
          "national_id": 10, "company_id": 11, "registration_no": 20, "customer_no": 20, "mobile": 13,
          "phone": 20, "email": 254, "address": 500, "postal_code": 11}
DATE_FIELDS = ("birth_date", "kyc_date")
DEFAULTS = CustomerInput()  # a new customer starts as mass, acquisition, KYC pending
CHOICES = {"gender": Gender, "segment": Segment, "lifecycle_stage": LifecycleStage, "kyc_status": KycStatus}


class CustomerFields:
    """Builds the inputs into form layouts and moves values between them and the services' records."""

    def __init__(self, errors: FieldErrors, on_edited: Callable[[str], None]) -> None:
        self.errors = errors
        self.inputs: dict[str, Input] = {}
        self._on_edited = on_edited

    # -- building -----------------------------------------------------------------------------
    def add(self, form: QFormLayout, field: str) -> Input:
        widget = self._make(field)
        title = field_title(field)
        widget.setObjectName(field)
        widget.setAccessibleName(title)
        self.inputs[field] = widget
        if isinstance(widget, QCheckBox):
            form.addRow("", widget)  # the box carries its own text
        else:
            label = QLabel(title + ":")
            label.setBuddy(widget)
            form.addRow(label, widget)
        target = widget.line if isinstance(widget, JalaliDateEdit) else widget
        form.addRow("", self.errors.label_for(field, target))
        return widget

    def _make(self, field: str) -> Input:
        edited = lambda *_args, f=field: self._on_edited(f)  # noqa: E731 - one tiny adapter per field
        if field in DATE_FIELDS:
            date_edit = JalaliDateEdit(object_name=field)
            date_edit.edited.connect(edited)
            return date_edit
        if field in CHOICES:
            combo = QComboBox()
            if field == "gender":
                combo.addItem("—", None)
            for value, text in CHOICES[field].choices():
                combo.addItem(text, value)
            combo.setCurrentIndex(max(0, combo.findData(getattr(DEFAULTS, field, None))))
            combo.currentIndexChanged.connect(edited)
            return combo
        if field == "marketing_consent":
            check = QCheckBox(field_title(field))
            check.toggled.connect(edited)
            return check
        if field == "notes":
            notes = QPlainTextEdit()
            notes.setTabChangesFocus(True)
            notes.setMaximumHeight(notes.fontMetrics().lineSpacing() * 5)
            notes.textChanged.connect(edited)
            return notes
        line = QLineEdit()
        line.setMaxLength(LIMITS.get(field, 200))
        line.textChanged.connect(edited)
        return line

    # -- values -------------------------------------------------------------------------------
    def text(self, field: str) -> str | None:
        widget = self.inputs.get(field)
        if isinstance(widget, QLineEdit | JalaliDateEdit):
            value = widget.text().strip()
        elif isinstance(widget, QPlainTextEdit):
            value = widget.toPlainText().strip()
        elif isinstance(widget, QComboBox):
            data = widget.currentData()
            value = str(data) if data else ""
        else:
            return None
        return value or None

    def read(self, kind: str, branch_id: str | None = None) -> CustomerInput:
        """What the user typed, as the services take it; the other kind's fields are left out."""
        skip = CORPORATE_ONLY if kind == CustomerKind.INDIVIDUAL else INDIVIDUAL_ONLY
        values: dict[str, object] = {"kind": kind, "branch_id": branch_id}
        for f in fields(CustomerInput):
            if f.name in ("kind", "branch_id") or f.name not in self.inputs:
                continue
            if f.name == "marketing_consent":
                widget = self.inputs[f.name]
                values[f.name] = isinstance(widget, QCheckBox) and widget.isChecked()
            elif f.name in skip:
                values[f.name] = None
            else:
                values[f.name] = self.text(f.name)
        for required in ("segment", "lifecycle_stage", "kyc_status"):
            values[required] = values.get(required) or ""
        return CustomerInput(**values)  # type: ignore[arg-type]

    def fill(self, customer: CustomerDetail) -> None:
        """Show a saved customer's values (edit); the services' digits and dates as people type them."""
        for field, widget in self.inputs.items():
            value = getattr(customer, field, None)
            if isinstance(widget, JalaliDateEdit):
                widget.set_date(value)
            elif isinstance(widget, QComboBox):
                widget.setCurrentIndex(max(0, widget.findData(value)))
            elif isinstance(widget, QCheckBox):
                widget.setChecked(bool(value))
            elif isinstance(widget, QPlainTextEdit):
                widget.setPlainText(value or "")
            elif isinstance(widget, QLineEdit):
                widget.setText(to_persian_digits(value) if value and field in DIGITS else value or "")

    def widget(self, field: str) -> QWidget:
        return self.inputs[field]
