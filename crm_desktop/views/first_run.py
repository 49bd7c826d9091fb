"""First run on an empty database: create the branch and its administrator, or join a branch server.

Joining sets this desk up from the server (a second desk of a branch, or a field laptop): it registers with
the administrator's one-time code, the server checks the user's password, and the branch's data arrives page
by page off the UI thread, with progress and a Stop button. A join that stopped (Stop, a network cut)
continues from where it stopped when Join is pressed again; the code is not needed again.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.errors import Cancelled, CrmError
from crm_desktop.persian import format_number
from crm_desktop.progress import CancellableProgress
from crm_desktop.services.actor import Actor
from crm_desktop.services.errors import InvalidInput
from crm_desktop.services.users import PASSWORD_RULES
from crm_desktop.sync.client.join import JoinInterrupted, JoinInvalid, JoinRequest, check_request
from crm_desktop.views.errors import error_text, show_error
from crm_desktop.views.tasks import TaskRunner
from crm_desktop.views.widgets.field_errors import FieldErrors

#: Runs a join on a worker thread and signs the joining user in (``Session.join`` in app.py).
JoinRunner = Callable[[JoinRequest, CancellableProgress], Actor]
POLL_MS = 100


class FirstRunDialog(QDialog):
    """Signals: set_up(Actor): the branch and its administrator exist (or the desk joined); the user is signed in."""

    set_up = Signal(object)

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None,
                 encrypted_first_run: Callable[..., Actor] | None = None, join: JoinRunner | None = None,
                 resume_user: str = "") -> None:
        """``encrypted_first_run`` (same arguments as ``UserService.first_run``) makes the database encrypted
        instead; when given, a check box offers it. ``join`` offers the "join a branch server" page;
        ``resume_user`` opens it to finish a join that stopped."""
        super().__init__(parent)
        self._runner = runner
        self._encrypted_first_run = encrypted_first_run
        self._join = join
        self._progress: CancellableProgress | None = None
        self._resuming = bool(resume_user)
        self.actor: Actor | None = None
        self.setObjectName("firstRunDialog")
        self.setWindowTitle(self.tr("First run"))
        self.errors = FieldErrors()
        self.join_errors = FieldErrors()
        self.new_mode = QRadioButton(self.tr("New branch database"))
        self.new_mode.setObjectName("newMode")
        self.join_mode = QRadioButton(self.tr("Join a branch server (a second desk or a field laptop)"))
        self.join_mode.setObjectName("joinMode")
        modes = QButtonGroup(self)
        modes.addButton(self.new_mode, 0)
        modes.addButton(self.join_mode, 1)
        self.new_mode.setChecked(True)
        for mode in (self.new_mode, self.join_mode):
            mode.setVisible(join is not None)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._new_page(encrypted_first_run is not None))
        self.pages.addWidget(self._join_page())
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
        layout.addWidget(self.new_mode)
        layout.addWidget(self.join_mode)
        layout.addWidget(self.pages)
        layout.addWidget(self.general)
        layout.addWidget(self.buttons)
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._connect_signals(modes)
        if resume_user:
            self.join_mode.setChecked(True)
            self.join_username.setText(resume_user)
            self._set_resuming(self.tr("Setting up this desk from the server stopped before the end. Enter the "
                                       "password to continue where it stopped."))

    # -- pages --------------------------------------------------------------------------------
    def _new_page(self, can_encrypt: bool) -> QWidget:
        page = QWidget()
        intro = QLabel(self.tr("This database is new. Create the branch and the system administrator's account."))
        intro.setObjectName("dialogTitle")
        intro.setWordWrap(True)
        rules = QLabel(PASSWORD_RULES)
        rules.setObjectName("passwordRules")
        rules.setWordWrap(True)
        form = QFormLayout()
        self.branch_code = self._field(form, self.errors, "branch_code", self.tr("Branch code"))
        self.branch_name = self._field(form, self.errors, "branch_name", self.tr("Branch name"))
        self.full_name = self._field(form, self.errors, "full_name", self.tr("Administrator's full name"))
        self.username = self._field(form, self.errors, "username", self.tr("Username"))
        self.password = self._field(form, self.errors, "password", self.tr("Password"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = self._field(form, self.errors, "repeat", self.tr("Repeat password"))
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.encrypt = QCheckBox(self.tr("Encrypt this database (for a field laptop): it opens only with a password"))
        self.encrypt.setObjectName("encrypt")
        self.encrypt.setVisible(can_encrypt)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(rules)
        layout.addWidget(self.encrypt)
        return page

    def _join_page(self) -> QWidget:
        page = QWidget()
        page.setObjectName("joinPage")
        intro = QLabel(self.tr("Set this desk up from the branch server: the branch's customers and users arrive "
                               "from the server. Ask the system administrator for a registration code."))
        intro.setObjectName("dialogTitle")
        intro.setWordWrap(True)
        form = QFormLayout()
        self.server = self._field(form, self.join_errors, "server", self.tr("Server address"))
        self.server.setPlaceholderText("https://sync.example.ir")
        self.code = self._field(form, self.join_errors, "code", self.tr("Registration code"))
        self.join_username = self._field(form, self.join_errors, "username", self.tr("Username"))
        self.join_username.setObjectName("joinUsername")
        self.join_password = self._field(form, self.join_errors, "password", self.tr("Password"))
        self.join_password.setObjectName("joinPassword")
        self.join_password.setEchoMode(QLineEdit.EchoMode.Password)
        for edit in (self.server, self.code, self.join_username):
            edit.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.join_encrypt = QCheckBox(self.tr("Encrypt this database (for a field laptop): it opens only with "
                                              "this user's password"))
        self.join_encrypt.setObjectName("joinEncrypt")
        note = QLabel(self.tr("Other users of the branch need the server once, at their first sign-in on this desk."))
        note.setObjectName("joinNote")
        note.setWordWrap(True)
        self.join_status = QLabel()
        self.join_status.setObjectName("joinStatus")
        self.join_status.setWordWrap(True)
        self.join_status.hide()
        self.join_bar = QProgressBar()
        self.join_bar.setObjectName("joinProgress")
        self.join_bar.setRange(0, 0)
        self.join_bar.hide()
        self.stop = QPushButton(self.tr("Stop"))
        self.stop.setObjectName("stopJoin")
        self.stop.hide()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.join_encrypt)
        layout.addWidget(note)
        layout.addWidget(self.join_bar)
        layout.addWidget(self.join_status)
        layout.addWidget(self.stop)
        return page

    def _field(self, form: QFormLayout, errors: FieldErrors, name: str, label: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setAccessibleName(label)
        form.addRow(label, edit)
        form.addRow("", errors.label_for(name, edit))
        return edit

    def _connect_signals(self, modes: QButtonGroup) -> None:
        modes.idToggled.connect(self._on_modes_id_toggled)
        self.buttons.accepted.connect(self._on_submit)
        self.buttons.rejected.connect(self.reject)
        self.stop.clicked.connect(self._on_stop_clicked)
        self._poll.timeout.connect(self._on_poll_timeout)

    @property
    def joining(self) -> bool:
        return self.join_mode.isChecked()

    @Slot(int, bool)
    def _on_modes_id_toggled(self, mode: int, checked: bool) -> None:
        if not checked:
            return
        self.pages.setCurrentIndex(mode)
        self.ok.setText(self.tr("Join") if mode == 1 else self.tr("Create"))
        self.general.hide()

    # -- submit -------------------------------------------------------------------------------
    @Slot()
    def _on_submit(self) -> None:
        self.general.hide()
        if self.joining:
            self._submit_join()
            return
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

    def _submit_join(self) -> None:
        request = JoinRequest(server_url=self.server.text(), code=self.code.text(),
                              username=self.join_username.text(), password=self.join_password.text(),
                              encrypted=self.join_encrypt.isChecked())
        try:
            check_request(request, resuming=self._resuming)  # before any thread or network
        except JoinInvalid as exc:
            self.join_errors.show(exc.errors)
            return
        self.join_errors.clear()
        assert self._join is not None
        join, progress = self._join, CancellableProgress()
        self._progress = progress
        self._set_busy(True)
        self.join_status.setText(self.tr("Registering this desk with the server…"))
        self.join_status.show()
        self._runner.submit(lambda: join(request, progress), write=True,
                            success=self._on_created, failure=self._on_join_failed)

    def _set_busy(self, busy: bool) -> None:
        self.ok.setEnabled(not busy)
        self.new_mode.setEnabled(not busy)
        self.join_mode.setEnabled(not busy)
        self.join_bar.setVisible(busy)
        self.stop.setVisible(busy)
        self.stop.setEnabled(busy)
        if busy:
            self._poll.start()
        else:
            self._poll.stop()

    def _set_resuming(self, text: str) -> None:
        self._resuming = True
        self.server.setEnabled(False)
        self.code.setEnabled(False)
        self.join_username.setReadOnly(True)
        self.join_encrypt.setEnabled(False)
        self.join_status.setText(text)
        self.join_status.show()

    @Slot()
    def _on_stop_clicked(self) -> None:
        if self._progress is not None:
            self._progress.cancel()
            self.stop.setEnabled(False)
            self.join_status.setText(self.tr("Stopping after the current page…"))

    @Slot()
    def _on_poll_timeout(self) -> None:
        if self._progress is None:
            return
        done, _total, _message = self._progress.snapshot()
        if done:
            self.join_status.setText(self.tr("Receiving the branch's data: {0} rows").format(format_number(done)))

    def _on_created(self, actor: Actor) -> None:
        self._set_busy(False)
        self.actor = actor
        self.set_up.emit(actor)
        self.accept()

    def _on_join_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.join_password.clear()
        if isinstance(exc, Cancelled):
            self._set_resuming(self.tr("Stopped. Press Join to continue where it stopped; the registration code "
                                       "is not needed again."))
        elif isinstance(exc, JoinInterrupted):
            self._set_resuming(self.tr("The connection to the server broke before the end. Press Join to "
                                       "continue where it stopped."))
            self._show_general(exc.message)
        elif isinstance(exc, JoinInvalid):
            self.join_status.hide()
            self.join_errors.show(exc.errors)
        elif isinstance(exc, CrmError):
            self.join_status.hide()
            self._show_general(error_text(exc))
        else:
            self.join_status.hide()
            show_error(self, exc)

    def _on_failed(self, exc: BaseException) -> None:
        self.ok.setEnabled(True)
        if isinstance(exc, InvalidInput):
            orphans = self.errors.show(exc.errors)
            if orphans:
                self._show_general("\n".join(orphans))
        elif isinstance(exc, CrmError):
            self._show_general(error_text(exc))
        else:
            show_error(self, exc)

    def _show_general(self, text: str) -> None:
        self.general.setText(text)
        self.general.show()
