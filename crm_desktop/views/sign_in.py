"""Sign-in, and the lock screen that asks the same user for the password again after idle time."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.errors import CrmError
from crm_desktop.persian import format_number
from crm_desktop.services.actor import Actor
from crm_desktop.services.errors import AccountLocked
from crm_desktop.views.errors import error_text, show_error
from crm_desktop.views.tasks import TaskRunner


def locked_text(exc: AccountLocked) -> str:
    minutes = max(1, -(-exc.seconds_left // 60))
    text = QCoreApplication.translate(
        "SignInDialog", "This account is locked after repeated wrong passwords. Try again in {0} minutes.")
    return text.format(format_number(minutes))


class SignInDialog(QDialog):
    """Asks for a username and password; authenticates off the UI thread (Argon2 is slow on purpose).

    Signals:
        signed_in(Actor): the user was authenticated.
    """

    signed_in = Signal(object)

    def __init__(self, runner: TaskRunner, *, hint: str = "", username: str = "", lock_for: Actor | None = None,
                 authenticate: Callable[[str, str], Actor] | None = None, parent: QWidget | None = None) -> None:
        """``authenticate`` replaces the users service's own (an encrypted database is unlocked by it first)."""
        super().__init__(parent)
        self._runner, self._lock_for = runner, lock_for
        self._authenticate = authenticate
        self.actor: Actor | None = None
        self.setObjectName("signInDialog")
        self.setWindowTitle(self.tr("Locked") if lock_for else self.tr("Sign in"))
        self.setModal(True)

        title = QLabel(self.tr("The window was locked. Enter your password to go on.") if lock_for
                       else self.tr("Customer relationship management: branch sign-in"))
        title.setObjectName("dialogTitle")
        title.setWordWrap(True)
        self.username = QLineEdit(lock_for.username if lock_for else username)
        self.username.setObjectName("username")
        self.username.setAccessibleName(self.tr("Username"))
        self.username.setReadOnly(lock_for is not None)
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setAccessibleName(self.tr("Password"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setObjectName("signInError")
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)
        self.error.hide()
        self.hint = QLabel(hint)
        self.hint.setObjectName("demoHint")
        self.hint.setWordWrap(True)
        self.hint.setVisible(bool(hint))
        self.hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        form = QFormLayout()
        form.addRow(self.tr("Username"), self.username)
        form.addRow(self.tr("Password"), self.password)
        self.buttons = QDialogButtonBox()
        self.ok = self.buttons.addButton(self.tr("Unlock") if lock_for else self.tr("Sign in"),
                                         QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setObjectName("signInButton")
        self.ok.setDefault(True)
        if lock_for:
            self.sign_out = self.buttons.addButton(self.tr("Sign out"), QDialogButtonBox.ButtonRole.RejectRole)
            self.sign_out.setObjectName("signOutButton")
        else:
            self.buttons.addButton(self.tr("Quit"), QDialogButtonBox.ButtonRole.RejectRole)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.hint)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._connect_signals()
        (self.password if lock_for or username else self.username).setFocus()

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_submit)
        self.buttons.rejected.connect(self.reject)

    @Slot()
    def _on_submit(self) -> None:
        username, password = self.username.text().strip(), self.password.text()
        if not username or not password:
            self._show(self.tr("Enter your username and password."))
            return
        self.ok.setEnabled(False)
        authenticate = self._authenticate or self._runner.services.users.authenticate
        self._runner.submit(lambda: authenticate(username, password), write=True,
                            success=self._on_authenticated, failure=self._on_failed)

    def _on_authenticated(self, actor: Actor) -> None:
        self.ok.setEnabled(True)
        if self._lock_for is not None and actor.user_id != self._lock_for.user_id:
            self._show(self.tr("Only the signed-in user can unlock this window."))
            return
        self.actor = actor
        self.signed_in.emit(actor)
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self.ok.setEnabled(True)
        self.password.clear()
        self.password.setFocus()
        if isinstance(exc, AccountLocked):
            self._show(locked_text(exc))
        elif isinstance(exc, CrmError):
            self._show(error_text(exc))
        else:
            show_error(self, exc)

    def _show(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
