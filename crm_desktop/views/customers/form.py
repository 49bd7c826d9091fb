"""New and edit customer: individual or corporate, checked as you type, saved off the UI thread.

Messages come from ``services.customers.validate`` (Persian, per field) about 150 ms after the last
keystroke and appear next to the fields the user has touched; Save stays disabled until nothing is
wrong. A failed save keeps the input: field errors go next to their fields, an existing national ID
shows a button that opens that customer, anything else a message above the buttons.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.errors import CrmError
from crm_desktop.models.enums import CustomerKind
from crm_desktop.services.changes import Outcome
from crm_desktop.services.errors import DuplicateCustomer, InvalidInput
from crm_desktop.services.records import CustomerDetail, CustomerInput
from crm_desktop.views.context import AppContext
from crm_desktop.views.customers.details import kind_title
from crm_desktop.views.customers.form_fields import CustomerFields
from crm_desktop.views.errors import error_text
from crm_desktop.views.tasks import ServiceOp
from crm_desktop.views.widgets.field_errors import FieldErrors

VALIDATE_AFTER_MS = 150
INDIVIDUAL_FIELDS = ("first_name", "last_name", "father_name", "national_id", "birth_date", "gender")
CORPORATE_FIELDS = ("company_name", "company_id", "registration_no", "contact_person")
CONTACT_FIELDS = ("customer_no", "mobile", "phone", "email", "address", "postal_code")
#: A field whose rule depends on another: its message shows once the other was touched too.
DEPENDS_ON = {"kyc_date": "kyc_status"}
BANK_FIELDS = ("segment", "lifecycle_stage", "kyc_status", "kyc_date", "marketing_consent", "notes")


class CustomerForm(QDialog):
    """Signals:
        saved(object, list): the CustomerDetail as saved, and the services' warnings (likely duplicates).
        existing_opened(str): the user asked to open the customer that already has this national ID.
    """

    saved = Signal(object, list)
    existing_opened = Signal(str)

    def __init__(self, ctx: AppContext, *, customer: CustomerDetail | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.customer = customer
        self.setObjectName("customerForm")
        self.setWindowTitle(self.tr("New customer") if customer is None else self.tr("Edit customer"))
        self.errors = FieldErrors()
        self.fields = CustomerFields(self.errors, self._on_field_edited)
        self._touched: set[str] = set()
        self._show_all = False
        self._saving = False
        self._filling = False
        self._existing_id: str | None = None
        self.current_errors: dict[str, str] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(VALIDATE_AFTER_MS)

        title = QLabel(self.windowTitle() if customer is None else
                       self.tr("Edit customer: {0}").format(customer.display_name))
        title.setObjectName("dialogTitle")
        self.individual_radio = QRadioButton(kind_title(CustomerKind.INDIVIDUAL))
        self.individual_radio.setObjectName("kindIndividual")
        self.corporate_radio = QRadioButton(kind_title(CustomerKind.CORPORATE))
        self.corporate_radio.setObjectName("kindCorporate")
        self.kind_group = QButtonGroup(self)
        for radio in (self.individual_radio, self.corporate_radio):
            radio.setAccessibleName(radio.text())
            self.kind_group.addButton(radio)
        kind_row = QHBoxLayout()
        kind_row.addWidget(QLabel(self.tr("Customer type:")))
        kind_row.addWidget(self.individual_radio)
        kind_row.addWidget(self.corporate_radio)
        kind_row.addStretch(1)

        self.individual_box = self._group("individualBox", self.tr("Person"), INDIVIDUAL_FIELDS)
        self.corporate_box = self._group("corporateBox", self.tr("Company"), CORPORATE_FIELDS)
        contact_box = self._group("contactBox", self.tr("Contact"), CONTACT_FIELDS)
        bank_box = self._group("bankBox", self.tr("Relationship with the bank"), BANK_FIELDS)
        columns = QHBoxLayout()
        first, second = QVBoxLayout(), QVBoxLayout()
        first.addWidget(self.individual_box)
        first.addWidget(self.corporate_box)
        first.addWidget(contact_box)
        first.addStretch(1)
        second.addWidget(bank_box)
        second.addStretch(1)
        columns.addLayout(first, 1)
        columns.addLayout(second, 1)

        self.duplicate_panel = QFrame()
        self.duplicate_panel.setObjectName("duplicatePanel")
        self.duplicate_text = QLabel()
        self.duplicate_text.setObjectName("duplicateText")
        self.duplicate_text.setProperty("role", "chip-warn")
        self.duplicate_text.setWordWrap(True)
        self.open_existing_button = QPushButton(self.tr("Open the existing customer"))
        self.open_existing_button.setObjectName("openExistingButton")
        self.open_existing_button.setAccessibleName(self.open_existing_button.text())
        duplicate_row = QHBoxLayout(self.duplicate_panel)
        duplicate_row.setContentsMargins(0, 0, 0, 0)
        duplicate_row.addWidget(self.duplicate_text, 1)
        duplicate_row.addWidget(self.open_existing_button)
        self.duplicate_panel.hide()
        self.general = QLabel()
        self.general.setObjectName("formError")
        self.general.setProperty("role", "error")
        self.general.setWordWrap(True)
        self.general.hide()
        self.hint = QLabel(self.tr("Save becomes available when every required field is filled in correctly."))
        self.hint.setObjectName("formHint")
        self.hint.setProperty("role", "muted")
        self.hint.setWordWrap(True)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.addButton(self.tr("Save"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("saveButton")
        self.save_button.setDefault(True)
        self.save_button.setEnabled(False)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setObjectName("cancelButton")

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(kind_row)
        layout.addLayout(columns)
        layout.addWidget(self.duplicate_panel)
        layout.addWidget(self.general)
        layout.addWidget(self.hint)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 66)
        self._connect_signals()
        self._start(customer)

    def _group(self, name: str, title: str, names: tuple[str, ...]) -> QGroupBox:
        box = QGroupBox(title)
        box.setObjectName(name)
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for field in names:
            setattr(self, field, self.fields.add(form, field))
        return box

    def _connect_signals(self) -> None:
        self._timer.timeout.connect(self._on_timer_timeout)
        self.individual_radio.toggled.connect(self._on_kind_toggled)
        self.buttons.accepted.connect(self._on_save_clicked)
        self.buttons.rejected.connect(self.reject)
        self.open_existing_button.clicked.connect(self._on_open_existing_clicked)

    def _start(self, customer: CustomerDetail | None) -> None:
        self._filling = True
        if customer is not None:
            self.fields.fill(customer)
        corporate = customer is not None and customer.kind == CustomerKind.CORPORATE
        (self.corporate_radio if corporate else self.individual_radio).setChecked(True)
        self._show_kind()
        self._filling = False
        self.validate_now()
        first = "company_name" if corporate else "first_name"
        self.fields.widget(first).setFocus()

    # -- reading and checking -----------------------------------------------------------------
    def kind(self) -> str:
        return str(CustomerKind.CORPORATE if self.corporate_radio.isChecked() else CustomerKind.INDIVIDUAL)

    def read_input(self) -> CustomerInput:
        return self.fields.read(self.kind(), self.customer.branch_id if self.customer else None)

    def validate_now(self) -> dict[str, str]:
        """Check the input with the services (pure, no database) and show what is wrong where it was touched."""
        self._timer.stop()
        self.current_errors = self.ctx.services.customers.validate(self.read_input())
        visible = {f: m for f, m in self.current_errors.items()
                   if self._show_all or f in self._touched or DEPENDS_ON.get(f) in self._touched}
        orphans = self.errors.show(visible)
        self._set_general("\n".join(orphans))
        self.save_button.setEnabled(not self.current_errors and not self._saving)
        self.hint.setVisible(bool(self.current_errors))
        return self.current_errors

    def _show_kind(self) -> None:
        individual = self.kind() == CustomerKind.INDIVIDUAL
        self.individual_box.setVisible(individual)
        self.corporate_box.setVisible(not individual)

    def _set_general(self, text: str) -> None:
        self.general.setText(text)
        self.general.setVisible(bool(text))

    # -- slots --------------------------------------------------------------------------------
    def _on_field_edited(self, field: str) -> None:
        if self._filling:
            return
        self._touched.add(field)
        if field in ("national_id", "company_id") and self.duplicate_panel.isVisible():
            self.duplicate_panel.hide()
            self._existing_id = None
        self._timer.start()

    @Slot()
    def _on_timer_timeout(self) -> None:
        self.validate_now()

    @Slot(bool)
    def _on_kind_toggled(self, _checked: bool) -> None:
        self._show_kind()
        if not self._filling:
            self._timer.start()

    @Slot()
    def _on_save_clicked(self) -> None:
        self._show_all = True
        if self.validate_now() or self._saving:
            first = self.errors.first_invalid()
            if first is not None:
                first.setFocus()
            return
        data, actor = self.read_input(), self.ctx.actor
        self._set_saving(True)
        if self.customer is None:
            op = ServiceOp(self, self.ctx, lambda s: s.customers.create(actor, data))
        else:
            customer_id, version = self.customer.id, self.customer.version
            op = ServiceOp(self, self.ctx,
                           lambda s: s.customers.edit(actor, customer_id, data, expected_version=version))
        op.success(self._on_saved).failure(self._on_save_failed).run()

    def _set_saving(self, saving: bool) -> None:
        self._saving = saving
        self.save_button.setEnabled(not saving and not self.current_errors)
        self.save_button.setText(self.tr("Saving…") if saving else self.tr("Save"))

    def _on_saved(self, outcome: Outcome[CustomerDetail]) -> None:
        self._set_saving(False)
        self.customer = outcome.value
        self.saved.emit(outcome.value, list(outcome.warnings))
        self.accept()

    def _on_save_failed(self, exc: BaseException) -> None:
        self._set_saving(False)
        if isinstance(exc, InvalidInput):
            orphans = self.errors.show(exc.errors)
            self._set_general("\n".join(orphans))
        elif isinstance(exc, DuplicateCustomer):
            self._existing_id = exc.existing_id
            self.duplicate_text.setText(exc.message)
            self.duplicate_panel.show()
            if exc.field:
                self.errors.show({exc.field: exc.message})
            self.open_existing_button.setFocus()
        elif isinstance(exc, CrmError):
            self._set_general(error_text(exc))
        first = self.errors.first_invalid()
        if first is not None and not self.duplicate_panel.isVisible():
            first.setFocus()

    @Slot()
    def _on_open_existing_clicked(self) -> None:
        if self._existing_id is not None:
            self.existing_opened.emit(self._existing_id)
            self.reject()

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        # Enter in a one-line field saves (when Save is enabled), as the default button would.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not self.save_button.isEnabled():
            event.accept()
            return
        super().keyPressEvent(event)
