"""Customer 360°: the header with key facts, then tabs (timeline, products, details, change history).

The record is read once per open with ``services.customers.profile`` (which writes the access log),
and again when the change bus reports a change to this customer, its interactions or requests.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.errors import CrmError
from crm_desktop.services.audit import JournalRow
from crm_desktop.services.changes import Changes
from crm_desktop.services.permissions import Action, allowed
from crm_desktop.services.records import CustomerDetail, CustomerProfile
from crm_desktop.views.context import AppContext
from crm_desktop.views.customers.details import CustomerDetails
from crm_desktop.views.customers.profile_header import ProfileHeader
from crm_desktop.views.customers.timeline_model import (
    KIND_ROLE,
    HistoryModel,
    LineTableModel,
    ProductsModel,
    TimelineModel,
)
from crm_desktop.views.errors import error_text
from crm_desktop.views.keyset_model import ID_ROLE
from crm_desktop.views.tasks import QueryOp


def _table(name: str, accessible: str, model: LineTableModel, stretch: int = -1) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setAccessibleName(accessible)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.setWordWrap(True)
    view.verticalHeader().hide()
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if stretch < 0:
        header.setStretchLastSection(True)
    else:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view


class CustomerProfileView(QWidget):
    """Signals:
        back_requested(): the user wants the list again.
        request_opened(str): a service request in the timeline was opened.
        customer_opened(str): another customer should be opened (a duplicate found by the form).
        loaded(object): the CustomerProfile now shown.
    """

    back_requested = Signal()
    request_opened = Signal(str)
    customer_opened = Signal(str)
    loaded = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.customer_id: str | None = None
        self.profile: CustomerProfile | None = None
        self._token = 0
        self._warnings: list[str] = []
        actor = ctx.actor
        self.header = ProfileHeader()
        self.back_button = self._button("backButton", self.tr("Back to the list"))
        self.edit_button = self._button("editButton", self.tr("Edit"))
        self.edit_button.setVisible(allowed(actor, Action.EDIT_CUSTOMER))
        self.log_button = self._button("logInteractionButton", self.tr("Log interaction (Ctrl+L)"))
        self.log_button.setVisible(allowed(actor, Action.LOG_INTERACTION))
        self.request_button = self._button("openRequestButton", self.tr("Open service request (Ctrl+R)"))
        self.request_button.setVisible(allowed(actor, Action.WORK_REQUEST))
        self.log_button.setProperty("primary", True)
        self.status = QLabel()
        self.status.setObjectName("profileStatus")
        self.status.setProperty("role", "muted")

        self.timeline_model = TimelineModel(self)
        self.products_model = ProductsModel(self)
        self.history_model = HistoryModel(self)
        self.timeline = _table("timeline", self.tr("Timeline"), self.timeline_model, stretch=2)
        self.products = _table("products", self.tr("Products"), self.products_model)
        self.details = CustomerDetails()
        self.history: QTableView | None = None
        self.tabs = QTabWidget()
        self.tabs.setObjectName("profileTabs")
        self.tabs.addTab(self.timeline, self.tr("Timeline"))
        self.tabs.addTab(self.products, self.tr("Products"))
        self.tabs.addTab(self.details, self.tr("Details"))
        if allowed(actor, Action.READ_AUDIT):
            self.history = _table("history", self.tr("Change history"), self.history_model)
            self.tabs.addTab(self.history, self.tr("Change history"))

        buttons = QHBoxLayout()
        for button in (self.log_button, self.request_button, self.edit_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.status)
        buttons.addWidget(self.back_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addLayout(buttons)
        layout.addWidget(self.tabs, 1)
        self._shortcuts = [self._shortcut("Ctrl+L", self.log_button), self._shortcut("Ctrl+R", self.request_button)]
        self._connect_signals()

    def _button(self, name: str, text: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setAccessibleName(text)
        return button

    def _shortcut(self, keys: str, button: QPushButton) -> QShortcut:
        shortcut = QShortcut(QKeySequence(keys), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(lambda: button.click() if button.isVisible() and button.isEnabled() else None)
        return shortcut

    def _connect_signals(self) -> None:
        self.back_button.clicked.connect(self.back_requested)
        self.edit_button.clicked.connect(self._on_edit_button_clicked)
        self.log_button.clicked.connect(self._on_log_button_clicked)
        self.request_button.clicked.connect(self._on_request_button_clicked)
        self.timeline.activated.connect(self._on_timeline_activated)
        self.ctx.bus.changed.connect(self._on_bus_changed)

    # -- loading ------------------------------------------------------------------------------
    def show_customer(self, customer_id: str, warnings: list[str] | None = None) -> None:
        """Read and show one customer (one access-log entry); ``warnings`` from a save go in the header."""
        if customer_id != self.customer_id:
            self.profile = None
            self.timeline_model.set_lines([])
            self.products_model.set_lines([])
            self.history_model.set_lines([])
            self.tabs.setCurrentIndex(0)
        self.customer_id = customer_id
        self._warnings = list(warnings or [])
        self.header.set_warnings(self._warnings)
        self._load()

    def _load(self) -> None:
        if self.customer_id is None:
            return
        self._token += 1
        token, customer_id, actor = self._token, self.customer_id, self.ctx.actor
        self._set_buttons_enabled(self.profile is not None)
        self.status.setText(self.tr("Loading…"))
        QueryOp(self, self.ctx, lambda s, _p: s.customers.profile(actor, customer_id)) \
            .success(lambda profile: self._show_profile(token, profile)) \
            .failure(lambda exc: self._failed(token, exc)).run()
        if self.history is not None:
            QueryOp(self, self.ctx, lambda s, _p: s.audit.history(actor, "customer", customer_id)) \
                .success(lambda rows: self._show_history(token, rows)).run()

    def _show_profile(self, token: int, profile: CustomerProfile) -> None:
        if token != self._token:
            return  # another customer was opened meanwhile
        self.profile = profile
        self.customer_id = profile.customer.id  # a merged record leads to its survivor
        self.header.set_profile(profile)
        self.header.set_warnings(self._warnings + list(profile.warnings))
        self.timeline_model.set_profile(profile)
        self.products_model.set_products(profile.products)
        self.details.set_customer(profile.customer)
        self.timeline.resizeRowsToContents()
        self.status.setText("")
        self._set_buttons_enabled(True)
        self.loaded.emit(profile)

    def _show_history(self, token: int, rows: list[JournalRow]) -> None:
        if token != self._token or self.history is None:
            return
        self.history_model.set_history(rows)
        self.history.resizeRowsToContents()

    def _failed(self, token: int, exc: BaseException) -> None:
        if token != self._token:
            return
        self.status.setText(error_text(exc) if isinstance(exc, CrmError) else str(exc))
        self._set_buttons_enabled(False)

    def _set_buttons_enabled(self, enabled: bool) -> None:
        for button in (self.edit_button, self.log_button, self.request_button):
            button.setEnabled(enabled)

    def focus_timeline(self) -> None:
        self.timeline.setFocus()

    # -- actions ------------------------------------------------------------------------------
    @Slot()
    def _on_edit_button_clicked(self) -> None:
        if self.profile is None:
            return
        from crm_desktop.views.customers.form import CustomerForm

        form = CustomerForm(self.ctx, customer=self.profile.customer, parent=self)
        form.saved.connect(self._on_form_saved)
        form.existing_opened.connect(self.customer_opened)
        form.open()

    def _on_form_saved(self, detail: CustomerDetail, warnings: list[str]) -> None:
        self._warnings = list(warnings)
        self.header.set_warnings(self._warnings)
        self.ctx.messages.info.emit(self.tr("Saved: {0}").format(detail.display_name))

    @Slot()
    def _on_log_button_clicked(self) -> None:
        if self.profile is None:
            return
        from crm_desktop.views.interactions.log_dialog import LogInteractionDialog

        c = self.profile.customer
        dialog = LogInteractionDialog(self.ctx, customer_id=c.id, customer_name=c.display_name, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    @Slot()
    def _on_request_button_clicked(self) -> None:
        if self.profile is None:
            return
        from crm_desktop.views.service_requests.open_dialog import OpenRequestDialog

        c = self.profile.customer
        dialog = OpenRequestDialog(self.ctx, customer_id=c.id, customer_name=c.display_name, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    @Slot(QModelIndex)
    def _on_timeline_activated(self, index: QModelIndex) -> None:
        if index.isValid() and index.data(KIND_ROLE) == "request":
            self.request_opened.emit(str(index.data(ID_ROLE)))

    # -- changes elsewhere --------------------------------------------------------------------
    def concerns(self, changes: Changes) -> bool:
        if self.customer_id is None:
            return False
        if self.customer_id in changes.customers:
            return True
        shown = self.profile
        return shown is not None and (
            bool(changes.requests & {r.id for r in shown.requests})
            or bool(changes.interactions & {i.id for i in shown.interactions})
        )

    @Slot(object)
    def _on_bus_changed(self, changes: Changes) -> None:
        if self.isVisible() and self.concerns(changes):
            self._load()
