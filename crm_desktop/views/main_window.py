"""The main window: navigation, the section pages, the status bar, shortcuts and the idle lock."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QProgressBar,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from crm_desktop import config
from crm_desktop.models.enums import Role
from crm_desktop.persian import format_number, to_persian_digits
from crm_desktop.services.sync_state import SyncStatus
from crm_desktop.views.context import AppContext
from crm_desktop.views.idle_lock import IdleWatcher
from crm_desktop.views.section import SectionPage
from crm_desktop.views.sign_in import SignInDialog
from crm_desktop.views.sync.controller import SyncController, TransportFactory, default_transport
from crm_desktop.views.sync.state import ClerkCredentials
from crm_desktop.views.sync.status_bar import SyncStatusWidget
from crm_desktop.views.tasks import QueryOp

BUSY_AFTER_MS = 300
PENDING_REFRESH_MS = 30_000


def icon(name: str) -> QIcon:
    return QIcon(str(config.resource_dir() / "icons" / f"{name}.svg"))


class MainWindow(QMainWindow):
    """Signals:
        signed_out(): the user signed out (the app shows the sign-in dialog again).
        closed(): the user closed the window (the app ends).
        conflicts_clicked(): the clerk clicked the open-conflicts count in the status bar.
        parked_clicked(): the clerk clicked the count of changes the server refused.
    """

    signed_out = Signal()
    closed = Signal()
    conflicts_clicked = Signal()
    parked_clicked = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *,
                 sync_credentials: ClerkCredentials | None = None,
                 sync_transport: TransportFactory = default_transport) -> None:
        """``sync_credentials``: the signed-in clerk's, for the sync loop of a registered desk (none: no loop)."""
        super().__init__(parent)
        self.ctx = ctx
        self._sync_credentials, self._sync_transport = sync_credentials, sync_transport
        self.sync: SyncController | None = None  # made once the desk is known to be registered
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("Customer relationship management — branch {0}").format(
            to_persian_digits(ctx.actor.branch_code)))
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setAccessibleName(self.tr("Navigation"))
        self.nav.setIconSize(QSize(22, 22))
        self.nav.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 16)
        self.stack = QStackedWidget()
        self.pages: dict[str, SectionPage] = {}  # built on first visit: a quick start, and no work for unseen pages
        self._sections = self._section_list()
        for key, title, _path in self._sections:
            self.stack.addWidget(QWidget())
            item = QListWidgetItem(icon(key), title)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setSizeHint(QSize(0, round(self.fontMetrics().height() * 2.4)))
            self.nav.addItem(item)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        side = QWidget()
        side.setObjectName("sidePanel")
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 6)
        side_layout.addWidget(self.nav, 1)
        self.lock_button = self._side_button("lockButton", "lock", self.tr("Lock"))
        self.sign_out_button = self._side_button("signOutButton", "sign_out", self.tr("Sign out"))
        side_layout.addWidget(self.lock_button)
        side_layout.addWidget(self.sign_out_button)
        layout.addWidget(side)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._build_status_bar()
        self.idle = IdleWatcher(ctx.settings.idle_lock_minutes, self)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.idle)
        self._lock_dialog: SignInDialog | None = None
        self._signing_out = False
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(BUSY_AFTER_MS)
        self._pending_timer = QTimer(self)
        self._pending_timer.setInterval(PENDING_REFRESH_MS)
        self._install_shortcuts()
        self._connect_signals()
        self.nav.setCurrentRow(0)
        self._pending_timer.start()
        QTimer.singleShot(0, self._refresh_pending)
        self.resize(1280, 800)

    # -- building -----------------------------------------------------------------------------
    def _section_list(self) -> list[tuple[str, str, str]]:
        """(key, title, "module:Class") of each section, imported only when first shown."""
        return [
            ("customers", self.tr("Customers"), "crm_desktop.views.customers.list_page:CustomersPage"),
            ("interactions", self.tr("Interactions"), "crm_desktop.views.interactions.list_page:InteractionsPage"),
            ("requests", self.tr("Service requests"), "crm_desktop.views.service_requests.queue_page:RequestsPage"),
            ("reports", self.tr("Reports"), "crm_desktop.views.reporting.section:ReportsSection"),
            ("duplicates", self.tr("Duplicates"), "crm_desktop.views.duplicates.section:DuplicatesSection"),
            ("conflicts", self.tr("Conflicts"), "crm_desktop.views.sync_inbox.section:SyncInboxSection"),
            ("settings", self.tr("Settings"), "crm_desktop.views.settings_page:SettingsPage"),
        ]

    def page(self, key: str) -> SectionPage:
        """The section page for ``key``, built (and wired) on first use."""
        built = self.pages.get(key)
        if built is not None:
            return built
        index = [k for k, _title, _path in self._sections].index(key)
        module_name, class_name = self._sections[index][2].split(":")
        factory: Callable[[AppContext], SectionPage] = getattr(importlib.import_module(module_name), class_name)
        page = factory(self.ctx)
        page.setObjectName(f"{key}Page")
        placeholder = self.stack.widget(index)
        self.stack.insertWidget(index, page)
        self.stack.removeWidget(placeholder)
        placeholder.deleteLater()
        self.pages[key] = page
        page.customer_opened.connect(self.open_customer)
        page.request_opened.connect(self.open_request)
        if hasattr(page, "idle_minutes_changed"):
            page.idle_minutes_changed.connect(self.idle.set_minutes)
        return page

    def _side_button(self, name: str, icon_name: str, text: str) -> QToolButton:
        button = QToolButton()
        button.setObjectName(name)
        button.setIcon(icon(icon_name))
        button.setText(text)
        button.setAccessibleName(text)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        button.setAutoRaise(True)
        return button

    def _build_status_bar(self) -> None:
        actor = self.ctx.actor
        bar = self.statusBar()
        bar.setObjectName("statusBar")
        self.user_label = QLabel(self.tr("User: {0} ({1})").format(actor.full_name, Role(actor.role).label))
        self.user_label.setObjectName("statusUser")
        self.branch_label = QLabel(self.tr("Branch: {0}").format(to_persian_digits(actor.branch_code)))
        self.branch_label.setObjectName("statusBranch")
        self.db_label = QLabel(self.tr("Database: {0}").format(self.ctx.db_path.name))
        self.db_label.setObjectName("statusDatabase")
        self.db_label.setToolTip(str(self.ctx.db_path))
        self.pending_label = QLabel()
        self.pending_label.setObjectName("statusPending")
        self.busy = QProgressBar()
        self.busy.setObjectName("busyIndicator")
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(90)
        self.busy.setMaximumHeight(12)
        self.busy.setTextVisible(False)
        self.busy.hide()
        self.sync_action = QAction(self.tr("Sync now"), self)
        self.sync_action.setObjectName("syncNowAction")
        self.sync_action.setShortcut(QKeySequence(Qt.Key.Key_F9))
        self.sync_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.sync_action.setToolTip(self.tr("Send the changes made here and fetch the others' now (F9)"))
        self.addAction(self.sync_action)
        self.sync_status = SyncStatusWidget(self.sync_action)
        for widget in (self.user_label, self.branch_label, self.db_label, self.pending_label, self.sync_status):
            bar.addPermanentWidget(widget)
        bar.addPermanentWidget(self.busy)

    def _install_shortcuts(self) -> None:
        bindings = (
            (QKeySequence.StandardKey.Find, self._on_find),
            (QKeySequence.StandardKey.New, self._on_new),
            (QKeySequence(Qt.Key.Key_Escape), self._on_escape),
        )
        for sequence, slot in bindings:
            shortcut = QShortcut(QKeySequence(sequence), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)
        for number in range(len(self._sections)):
            shortcut = QShortcut(QKeySequence(f"Alt+{number + 1}"), self)
            shortcut.activated.connect(lambda row=number: self.nav.setCurrentRow(row))

    def _connect_signals(self) -> None:
        self.nav.currentRowChanged.connect(self._on_nav_current_row_changed)
        self.ctx.runner.busy_changed.connect(self._on_runner_busy_changed)
        self._busy_timer.timeout.connect(self._on_busy_timer_timeout)
        self._pending_timer.timeout.connect(self._refresh_pending)
        self.ctx.bus.changed.connect(lambda _changes: self._refresh_pending())
        self.ctx.messages.info.connect(lambda text: self.statusBar().showMessage(text, 5000))
        self.idle.idle.connect(self.lock)
        self.lock_button.clicked.connect(self.lock)
        self.sign_out_button.clicked.connect(self.sign_out)
        self.sync_action.triggered.connect(self.sync_now)
        self.sync_status.conflicts_clicked.connect(self.conflicts_clicked)
        self.sync_status.parked_clicked.connect(self.parked_clicked)
        self.conflicts_clicked.connect(lambda: self._show_inbox(parked=False))
        self.parked_clicked.connect(lambda: self._show_inbox(parked=True))

    # -- navigation ---------------------------------------------------------------------------
    def current_page(self) -> SectionPage:
        page = self.stack.currentWidget()
        assert isinstance(page, SectionPage)
        return page

    def show_section(self, key: str) -> SectionPage:
        row = [k for k, _title, _path in self._sections].index(key)
        self.nav.setCurrentRow(row)
        return self.page(key)

    @Slot(str)
    def open_customer(self, customer_id: str) -> None:
        page = self.show_section("customers")
        opener = getattr(page, "open_customer", None)
        if opener is not None:
            opener(customer_id)

    @Slot(str)
    def open_request(self, request_id: str) -> None:
        page = self.show_section("requests")
        opener = getattr(page, "open_request", None)
        if opener is not None:
            opener(request_id)

    @Slot(int)
    def _on_nav_current_row_changed(self, row: int) -> None:
        if row < 0:
            return
        page = self.page(self._sections[row][0])
        self.stack.setCurrentWidget(page)
        page.activated()

    @Slot()
    def _on_find(self) -> None:
        self.current_page().focus_search()

    @Slot()
    def _on_new(self) -> None:
        self.current_page().new_item()

    @Slot()
    def _on_escape(self) -> None:
        self.current_page().go_back()

    # -- status -------------------------------------------------------------------------------
    @Slot(bool)
    def _on_runner_busy_changed(self, busy: bool) -> None:
        if busy:
            self._busy_timer.start()
        else:
            self._busy_timer.stop()
            self.busy.hide()

    @Slot()
    def _on_busy_timer_timeout(self) -> None:
        if self.ctx.runner.busy:
            self.busy.show()

    @Slot()
    def _refresh_pending(self) -> None:
        QueryOp(self, self.ctx, lambda s, _p: s.sync_state.status()).success(self._show_sync_status).run()

    def _show_sync_status(self, status: SyncStatus) -> None:
        self.pending_label.setText(self.tr("Not yet synced: {0}").format(format_number(status.pending)))
        self.sync_status.show_status(status)
        if status.registered and self.sync is None and self._sync_credentials is not None \
                and not self._signing_out and not self.locked:
            self._start_sync(status.server_url)

    # -- the sync loop --------------------------------------------------------------------------
    def _start_sync(self, server_url: str) -> None:
        assert self._sync_credentials is not None
        self.sync = SyncController(self.ctx, self._sync_credentials, server_url,
                                   transport_factory=self._sync_transport, parent=self)
        self.sync.state_changed.connect(self.sync_status.show_loop)
        self.sync.round_finished.connect(self._on_sync_round_finished)
        self.sync.start()

    @Slot(object)
    def _on_sync_round_finished(self, _result: object) -> None:
        self._refresh_pending()
        if "conflicts" in self.pages:  # built only once visited
            from crm_desktop.views.sync_inbox.section import SyncInboxSection

            inbox = self.pages["conflicts"]
            assert isinstance(inbox, SyncInboxSection)
            inbox.reload()

    def _show_inbox(self, *, parked: bool) -> None:
        from crm_desktop.views.sync_inbox.section import PARKED_TAB, REVIEW_TAB, SyncInboxSection

        inbox = self.show_section("conflicts")
        assert isinstance(inbox, SyncInboxSection)
        inbox.show_tab(PARKED_TAB if parked else REVIEW_TAB)

    @Slot()
    def sync_now(self) -> None:
        """F9 / "Sync now": a round at once (the backoff starts over); a note when the desk is not registered."""
        if self.sync is not None and not self.locked:
            self.sync.sync_now()
        elif self.sync is None:
            self.statusBar().showMessage(self.tr("This desk is not connected to a sync server."), 5000)

    # -- lock and sign-out ----------------------------------------------------------------------
    @Slot()
    def lock(self) -> None:
        """Hide the work behind a password prompt for the same user; open forms keep their input."""
        if self._lock_dialog is not None:
            return
        self.idle.pause()
        if self.sync is not None:
            self.sync.stop()
        self.centralWidget().setEnabled(False)
        self.centralWidget().hide()
        dialog = SignInDialog(self.ctx.runner, lock_for=self.ctx.actor, parent=self)
        self._lock_dialog = dialog
        dialog.finished.connect(self._on_lock_dialog_finished)
        dialog.open()

    @Slot(int)
    def _on_lock_dialog_finished(self, result: int) -> None:
        dialog, self._lock_dialog = self._lock_dialog, None
        if dialog is not None:
            dialog.deleteLater()
        if result and dialog is not None and dialog.actor is not None:
            self.centralWidget().show()
            self.centralWidget().setEnabled(True)
            self.idle.resume()
            if self.sync is not None:
                self.sync.start()
            return
        self.sign_out()

    @property
    def locked(self) -> bool:
        return self._lock_dialog is not None

    @Slot()
    def sign_out(self) -> None:
        self._signing_out = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.idle)
        self._pending_timer.stop()
        self.idle.pause()
        if self.sync is not None:
            self.sync.shutdown()
        super().closeEvent(event)
        if self._signing_out:
            self.signed_out.emit()
        else:
            self.closed.emit()
