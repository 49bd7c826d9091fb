"""The GUI's composition root: QApplication, right-to-left Persian, fonts, translations, error hook, windows."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
from PySide6.QtCore import QObject, Qt, QTimer, Slot
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QDialog

from crm_desktop import config
from crm_desktop.db import cipher
from crm_desktop.db.migrate import open_database, remove_database
from crm_desktop.db.session import Database
from crm_desktop.progress import CancellableProgress
from crm_desktop.services import Services
from crm_desktop.services.actor import Actor
from crm_desktop.services.users import check_password_rules
from crm_desktop.sync.client.join import Join, JoinRequest
from crm_desktop.sync.client.join_state import pending_user
from crm_desktop.sync.client.online_sign_in import ServerPasswordCheck
from crm_desktop.views import translations
from crm_desktop.views.change_bus import ChangeBus
from crm_desktop.views.context import AppContext
from crm_desktop.views.errors import Messages, configure_logging, install_excepthook
from crm_desktop.views.first_run import FirstRunDialog
from crm_desktop.views.main_window import MainWindow
from crm_desktop.views.sign_in import SignInDialog
from crm_desktop.views.sync.state import ClerkCredentials
from crm_desktop.views.tasks import TaskRunner

log = logging.getLogger(__name__)
FONT_FILES = ("Vazirmatn-Regular.ttf", "Vazirmatn-Bold.ttf")
FONT_FAMILY = "Vazirmatn"


def load_fonts() -> str:
    """Register the shipped Persian font; return its family name (raises if the files are missing)."""
    families: set[str] = set()
    for name in FONT_FILES:
        font_id = QFontDatabase.addApplicationFont(str(config.resource_dir() / "fonts" / name))
        if font_id < 0:
            raise RuntimeError(f"font {name} could not be loaded from {config.resource_dir()}")
        families.update(QFontDatabase.applicationFontFamilies(font_id))
    return FONT_FAMILY if FONT_FAMILY in families else sorted(families)[0]


def style_sheet() -> str:
    return (config.resource_dir() / "style.qss").read_text(encoding="utf-8")


def create_application(settings: config.UserSettings, argv: list[str] | None = None) -> QApplication:
    """The QApplication, right to left in Persian (left to right in English), with our font and style."""
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or sys.argv[:1])
    app.setApplicationName(config.APP_NAME)
    app.setOrganizationName(config.APP_AUTHOR)
    app.setWindowIcon(QIcon(str(config.resource_dir() / "icons" / "app.svg")))
    app.setLayoutDirection(Qt.LayoutDirection.RightToLeft if settings.language == "fa"
                           else Qt.LayoutDirection.LeftToRight)
    family = load_fonts()
    font = QFont(family)
    font.setPointSize(settings.font_size)
    app.setFont(font)
    app.setStyleSheet(style_sheet())
    app.setProperty("crm_translators", translations.install(app, settings.language))
    return app


@dataclass
class GuiOptions:
    db_path: Path
    demo_hint: str = ""
    demo_username: str = ""
    #: For an encrypted database: opens it with a user's password (runs off the UI thread at sign-in).
    open_encrypted: Callable[[str, str], Services] | None = None
    #: The HTTP client for joining a branch server and for first online sign-ins (tests); None: a real one.
    http_client: httpx.Client | None = None


class Session(QObject):
    """Signs the user in, opens the main window, and starts over after a sign-out."""

    def __init__(self, app: QApplication, services: Services | None, options: GuiOptions,
                 settings: config.UserSettings):
        """``services`` is None for an encrypted database until the first sign-in unlocks it."""
        super().__init__(app)
        self.app, self.services, self.options, self.settings = app, services, options, settings
        self.runner = TaskRunner(services, self)
        self.bus = ChangeBus(self)
        self.messages = Messages(self)
        self.window: MainWindow | None = None
        #: The signed-in clerk's username and password for the sync server's token; dropped at sign-out.
        self.credentials: ClerkCredentials | None = None
        self._join: Join | None = None  # kept across attempts: a refused password reuses its registration

    def start(self) -> bool:
        """Show first-run or sign-in; False when the user gave up."""
        if self.services is None:
            actor = self._unlock()
        elif not self.services.users.has_users() or pending_user(self.services.db) is not None:
            actor = self._first_run()
        else:
            actor = self._sign_in()
        if actor is None:
            return False
        self.open_main_window(actor)
        return True

    def _first_run(self) -> Actor | None:
        dialog = self.first_run_dialog()
        return dialog.actor if dialog.exec() == QDialog.DialogCode.Accepted else None

    def first_run_dialog(self) -> FirstRunDialog:
        resume = pending_user(self.services.db) if self.services is not None else None
        return FirstRunDialog(self.runner, encrypted_first_run=self._encrypted_first_run, join=self.join,
                              resume_user=resume or "")

    def join(self, request: JoinRequest, progress: CancellableProgress) -> Actor:
        """Set this desk up from the branch server and sign the joining user in (on the worker thread).

        The empty database opened at start is closed first (an encrypted join replaces it). A join that stops
        leaves its database marked unfinished; the next attempt, in this window or after a restart, continues.
        """
        path = self.options.db_path
        if self.services is not None:
            self.services.db.dispose()
            self.services = None
        if self._join is None:
            self._join = Join(path, remember_password=_remember_password, client=self.options.http_client)
        try:
            db = self._join.run(request, progress)
        except BaseException:
            if not cipher.is_encrypted(path):  # the plain file again (empty, or marked unfinished)
                self.services = self.runner.services = Services(open_database(path))
            raise
        services = Services(db)
        actor = services.users.authenticate(request.username, request.password)  # offline: the hash is here now
        self.services = self.runner.services = services
        self.credentials = ClerkCredentials(actor.username, request.password)
        return actor

    def _encrypted_first_run(self, *, username: str, password: str, **values: str) -> Actor:
        """Replace the new, empty database by an encrypted one, then set it up (on the worker thread).

        Any failure leaves a new empty plain database again, so the form can be corrected and sent again.
        """
        assert self.services is not None
        check_password_rules(password, username)
        path = self.options.db_path
        self.services.db.dispose()
        remove_database(path)
        db = None
        try:
            db = open_database(path, key=cipher.create_key_file(path, username, password))
            services = Services(db)
            actor = services.users.first_run(username=username, password=password, **values)
        except BaseException:
            if db is not None:
                db.dispose()
            remove_database(path)
            self.services = self.runner.services = Services(open_database(path))
            raise
        self.services = self.runner.services = services
        return actor

    def _sign_in(self) -> Actor | None:
        dialog = self.sign_in_dialog()
        return dialog.actor if dialog.exec() == QDialog.DialogCode.Accepted else None

    def sign_in_dialog(self) -> SignInDialog:
        assert self.services is not None
        return SignInDialog(self.runner, hint=self.options.demo_hint, username=self.options.demo_username,
                            authenticate=self._remembering(self._online_authenticate(self.services)))

    def _online_authenticate(self, services: Services) -> Callable[[str, str], Actor]:
        """The users service's sign-in; on a registered desk, a user's first sign-in here asks the server."""

        def call(username: str, password: str) -> Actor:
            online = (ServerPasswordCheck(services.db, client=self.options.http_client)
                      if services.sync_state.status().registered else None)
            return services.users.authenticate(username, password, online=online)

        return call

    def _remembering(self, authenticate: Callable[[str, str], Actor]) -> Callable[[str, str], Actor]:
        """``authenticate`` that keeps the username and password of a successful sign-in (for the sync loop)."""

        def call(username: str, password: str) -> Actor:
            actor = authenticate(username, password)
            self.credentials = ClerkCredentials(actor.username, password)
            return actor

        return call

    def _unlock(self) -> Actor | None:
        dialog = self.unlock_dialog()
        return dialog.actor if dialog.exec() == QDialog.DialogCode.Accepted else None

    def unlock_dialog(self) -> SignInDialog:
        """Sign-in to an encrypted database: the password opens the database, then signs the user in."""
        opener = self.options.open_encrypted
        assert opener is not None

        def unlock_and_authenticate(username: str, password: str) -> Actor:
            # Opened once: a retry after a refused sign-in (a locked account, say) reuses the open database.
            services = self.services or opener(username, password)
            self.services = self.runner.services = services  # the UI waits on this job: no one else reads them
            return self._online_authenticate(services)(username, password)

        return SignInDialog(self.runner, authenticate=self._remembering(unlock_and_authenticate),
                            hint=self.tr("This database is encrypted: your password opens it."))

    def open_main_window(self, actor: Actor) -> MainWindow:
        assert self.services is not None, "signed in, so the database is open"
        ctx = AppContext(services=self.services, runner=self.runner, bus=self.bus, actor=actor,
                         settings=self.settings, db_path=self.options.db_path, messages=self.messages)
        self.window = MainWindow(ctx, sync_credentials=self.credentials)
        self.window.signed_out.connect(lambda: QTimer.singleShot(0, self._on_signed_out))
        self.window.closed.connect(self.app.quit)
        self.window.show()
        return self.window

    @Slot()
    def _on_signed_out(self) -> None:
        if self.credentials is not None:
            self.credentials.clear()  # the window's sync loop stopped with it
            self.credentials = None
        if self.window is not None:
            self.settings = self.window.ctx.settings
            self.window.deleteLater()
            self.window = None
        if not self.start():
            self.app.quit()


def _remember_password(db: Database, username: str, password: str) -> None:
    Services(db).users.remember_password(username, password)


def run_gui(services: Services | None, options: GuiOptions) -> int:
    """Open the app on an opened database; returns the process exit code."""
    settings = config.load_settings()
    configure_logging(config.log_path())
    app = create_application(settings)
    install_excepthook()
    session = Session(app, services, options, settings)
    app.setQuitOnLastWindowClosed(False)  # sign-out closes the window and signs in again
    try:
        if not session.start():
            return 0
        status = app.exec()
        session.runner.wait_idle()
        return status
    finally:
        if session.services is not None and session.services is not services:
            session.services.db.dispose()  # the database opened at sign-in, or made encrypted at first run
