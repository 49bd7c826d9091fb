"""First run on an empty database: create the branch and the administrator."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from crm_desktop.errors import CrmError
from crm_desktop.services.actor import Actor
from crm_desktop.services.errors import InvalidInput
from crm_desktop.services.users import PASSWORD_RULES
from crm_desktop.views.errors import error_text, show_error
from crm_desktop.views.tasks import TaskRunner
from crm_desktop.views.widgets.field_errors import FieldErrors


class FirstRunDialog(QDialog):
    """Signals: set_up(Actor): the branch and its administrator exist; the administrator is signed in."""

    set_up = Signal(object)

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None,
                 encrypted_first_run: Callable[..., Actor] | None = None) -> None:
        """``encrypted_first_run`` (same arguments as ``UserService.first_run``) makes the database encrypted
        instead; when given, a check box offers it."""
        super().__init__(parent)
        self._runner = runner
        self._encrypted_first_run = encrypted_first_run
        self.actor: Actor | None = None
        self.setObjectName("firstRunDialog")
        self.setWindowTitle(self.tr("First run"))
        self.errors = FieldErrors()
        intro = QLabel(self.tr("This database is new. Create the branch and the system administrator's account."))
        intro.setObjectName("dialogTitle")
        intro.setWordWrap(True)
        rules = QLabel(PASSWORD_RULES)
        rules.setObjectName("passwordRules")
        rules.setWordWrap(True)
        form = QFormLayout()
        self.branch_code = self._field(form, "branch_code", self.tr("Branch code"))
        self.branch_name = self._field(form, "branch_name", self.tr("Branch name"))
        self.full_name = self._field(form, "full_name", self.tr("Administrator's full name"))
        self.username = self._field(form, "username", self.tr("Username"))
        self.password = self._field(form, "password", self.tr("Password"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = self._field(form, "repeat", self.tr("Repeat password"))
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.encrypt = QCheckBox(self.tr("Encrypt this database (for a field laptop): it opens only with a password"))
        self.encrypt.setObjectName("encrypt")
        self.encrypt.setVisible(encrypted_first_run is not None)
        self.general = QLabel()
        self.general.setProperty("role", "error")
        self.general.setObjectName("firstRunError")
        self.general.setWordWrap(True)
        self.general.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.addButton(self.tr("Create"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setObjectName("createButton")
        self.ok.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(rules)
        layout.addWidget(self.encrypt)
        layout.addWidget(self.general)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self._on_submit)
        self.buttons.rejected.connect(self.reject)

    def _field(self, form: QFormLayout, name: str, label: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setAccessibleName(label)
        form.addRow(label, edit)
        form.addRow("", self.errors.label_for(name, edit))
        return edit

    @Slot()
    def _on_submit(self) -> None:
        self.general.hide()
        if self.password.text() != self.repeat.text():
            self.errors.show({"repeat": self.tr("The two passwords are not the same.")})
            return
        values = {"branch_code": self.branch_code.text(), "branch_name": self.branch_name.text(),
                  "username": self.username.text(), "full_name": self.full_name.text(),
                  "password": self.password.text()}
        self.ok.setEnabled(False)
        first_run = self._runner.services.users.first_run
        if self._encrypted_first_run is not None and self.encrypt.isChecked():
            first_run = self._encrypted_first_run
        self._runner.submit(lambda: first_run(**values), write=True,
                            success=self._on_created, failure=self._on_failed)

    def _on_created(self, actor: Actor) -> None:
        self.actor = actor
        self.set_up.emit(actor)
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self.ok.setEnabled(True)
        if isinstance(exc, InvalidInput):
            orphans = self.errors.show(exc.errors)
            if orphans:
                self.general.setText("\n".join(orphans))
                self.general.show()
        elif isinstance(exc, CrmError):
            self.general.setText(error_text(exc))
            self.general.show()
        else:
            show_error(self, exc)
