"""The Customers section: search as you type over a lazy list, filters, and the 360° view of one customer.

The page is a stack of two: the list and the profile. Enter (or a double click) on a row opens the
profile; Esc goes back to the list with the same row selected. Ctrl+F searches, Ctrl+N adds a customer.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.persian import format_number, to_persian_digits
from crm_desktop.services.permissions import Action, allowed
from crm_desktop.services.records import CustomerDetail, CustomerProfile
from crm_desktop.views.context import AppContext
from crm_desktop.views.customers.filters import CustomerFilters
from crm_desktop.views.customers.profile import CustomerProfileView
from crm_desktop.views.customers.table_model import CustomerFilter, CustomerTableModel
from crm_desktop.views.importing import can_import, open_import_wizard
from crm_desktop.views.keyset_model import ID_ROLE
from crm_desktop.views.section import SectionPage
from crm_desktop.views.widgets.export_button import ExportButton, ExportJob
from crm_desktop.views.widgets.search_box import SearchBox


class CustomersPage(SectionPage):
    """The customer list and, on top of it, one customer's 360° view."""

    LIST, PROFILE = 0, 1

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._selected_id: str | None = None
        self._started = False
        self.title = QLabel(self.tr("Customers"))
        self.title.setObjectName("pageTitle")
        self.search_box = SearchBox()
        self.search_box.setObjectName("customerSearch")
        self.search_box.setAccessibleName(self.tr("Search customers"))
        self.search_box.setPlaceholderText(
            self.tr("Search by name, national ID, mobile or customer number (Ctrl+F)"))
        self.filters = CustomerFilters(ctx)
        self.new_button = QPushButton(self.tr("New customer (Ctrl+N)"))
        self.new_button.setObjectName("newCustomerButton")
        self.new_button.setAccessibleName(self.tr("New customer"))
        self.new_button.setProperty("primary", True)
        self.new_button.setVisible(allowed(ctx.actor, Action.EDIT_CUSTOMER))
        self.export_button = ExportButton(ctx, self.tr("Customers"), self.export_job)
        self.export_button.setVisible(allowed(ctx.actor, Action.EXPORT))
        self.import_button = QPushButton(self.tr("Import from a file…"))
        self.import_button.setObjectName("importCustomersButton")
        self.import_button.setVisible(can_import(ctx.actor))

        self.model = CustomerTableModel(ctx, self)
        self.table = QTableView()
        self.table.setObjectName("customerTable")
        self.table.setAccessibleName(self.tr("Customers"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(CustomerTableModel.NAME_COLUMN, Qt.SortOrder.AscendingOrder)
        em = self.fontMetrics().horizontalAdvance("M")
        for column, width in enumerate((16, 8, 8, 8, 5, 8, 8)):
            header.resizeSection(column, max(em * width, header.sectionSizeHint(column)))
        self.hint = QLabel()
        self.hint.setObjectName("listHint")
        self.hint.setProperty("role", "muted")

        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addWidget(self.search_box, 1)
        top.addWidget(self.new_button)
        top.addWidget(self.export_button)
        top.addWidget(self.import_button)
        list_page = QWidget()
        list_layout = QVBoxLayout(list_page)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.addLayout(top)
        list_layout.addWidget(self.filters)
        list_layout.addWidget(self.table, 1)
        list_layout.addWidget(self.hint)

        self._profile: CustomerProfileView | None = None  # built on first use: the list shows sooner
        self.stack = QStackedWidget()
        self.stack.addWidget(list_page)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack)
        self.setTabOrder(self.search_box, self.new_button)
        self.setTabOrder(self.new_button, self.export_button)
        self.setTabOrder(self.export_button, self.import_button)
        self.setTabOrder(self.import_button, self.filters)
        self.setTabOrder(self.filters, self.table)
        self.search_box.installEventFilter(self)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.import_button.clicked.connect(self.open_import)
        self.search_box.search_requested.connect(self._on_search_box_search_requested)
        self.filters.changed.connect(self._on_filters_changed)
        self.new_button.clicked.connect(self.new_item)
        self.table.activated.connect(self._on_table_activated)
        self.table.horizontalHeader().sectionClicked.connect(self._on_header_section_clicked)
        self.model.rows_loaded.connect(self._on_model_rows_loaded)
        self.model.loading_changed.connect(self._on_model_loading_changed)
        self.model.modelAboutToBeReset.connect(self._on_model_about_to_be_reset)

    @property
    def profile(self) -> CustomerProfileView:
        """The 360° view, built the first time a customer is opened."""
        if self._profile is None:
            self._profile = CustomerProfileView(self.ctx)
            self._profile.setObjectName("customerProfile")
            self.stack.addWidget(self._profile)
            self._profile.back_requested.connect(self.go_back)
            self._profile.request_opened.connect(self.request_opened)
            self._profile.customer_opened.connect(self.customer_opened)
        return self._profile

    # -- SectionPage --------------------------------------------------------------------------
    def activated(self) -> None:
        if not self._started:
            self._started = True
            self.model.reload()
        if self.stack.currentIndex() == self.LIST:
            self.search_box.setFocus()

    def focus_search(self) -> None:
        self.go_back()
        self.search_box.setFocus()
        self.search_box.selectAll()

    def new_item(self) -> None:
        if not allowed(self.ctx.actor, Action.EDIT_CUSTOMER):
            return
        from crm_desktop.views.customers.form import CustomerForm

        form = CustomerForm(self.ctx, parent=self)
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        form.saved.connect(self._on_form_saved)
        form.existing_opened.connect(self.customer_opened)
        form.open()

    def go_back(self) -> bool:
        if self.stack.currentIndex() != self.PROFILE:
            return False
        self.stack.setCurrentIndex(self.LIST)
        self._select(self._selected_id)
        self.table.setFocus()
        return True

    def open_customer(self, customer_id: str, warnings: list[str] | None = None) -> None:
        """Show one customer's 360° view (read once, which the access log records)."""
        self._selected_id = customer_id
        if not self._started:
            self._started = True
            self.model.reload()
        profile = self.profile
        self.stack.setCurrentWidget(profile)
        profile.show_customer(customer_id, warnings)
        profile.focus_timeline()

    def showing_profile(self) -> bool:
        return self.stack.currentIndex() == self.PROFILE

    @Slot()
    def open_import(self) -> None:
        open_import_wizard(self.ctx, self)

    def export_job(self) -> ExportJob:
        """The export of what the list shows now: its search text, filters and order."""
        actor, f, descending = self.ctx.actor, self.model.filter, self.model.descending
        return lambda s, path, progress: s.exports.customers(
            actor, path, query=f.query, segment=f.segment, lifecycle_stage=f.lifecycle_stage,
            branch_id=f.branch_id, descending=descending, progress=progress)

    # -- selection ----------------------------------------------------------------------------
    def selected_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return str(rows[0].data(ID_ROLE)) if rows else None

    def _select(self, customer_id: str | None) -> None:
        if customer_id is None:
            return
        index = self.model.index_of(customer_id)
        if index.isValid():
            self.table.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
            self.table.scrollTo(index)

    # -- slots --------------------------------------------------------------------------------
    @Slot(str)
    def _on_search_box_search_requested(self, text: str) -> None:
        self.model.set_query(text)

    @Slot()
    def _on_filters_changed(self) -> None:
        branch = self.filters.branch_value()
        self.model.set_filter(CustomerFilter(self.model.filter.query, self.filters.segment_value(),
                                             self.filters.lifecycle_value(), branch[0] if branch else None),
                              branch[1] if branch else None)

    @Slot(QModelIndex)
    def _on_table_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_customer(str(index.data(ID_ROLE)))

    @Slot(int)
    def _on_header_section_clicked(self, section: int) -> None:
        header = self.table.horizontalHeader()
        if section != CustomerTableModel.NAME_COLUMN:
            # Only the name sorts; put the indicator back where the order really is.
            header.setSortIndicator(CustomerTableModel.NAME_COLUMN, self._order())
            return
        order = Qt.SortOrder.AscendingOrder if self.model.descending else Qt.SortOrder.DescendingOrder
        header.setSortIndicator(section, order)
        self.model.sort(section, order)

    def _order(self) -> Qt.SortOrder:
        return Qt.SortOrder.DescendingOrder if self.model.descending else Qt.SortOrder.AscendingOrder

    @Slot()
    def _on_model_about_to_be_reset(self) -> None:
        current = self.selected_id()
        if current is not None:
            self._selected_id = current

    @Slot(int)
    def _on_model_rows_loaded(self, count: int) -> None:
        if self._selected_id is not None and self.selected_id() is None:
            self._select(self._selected_id)
        self._show_hint(count)

    @Slot(bool)
    def _on_model_loading_changed(self, loading: bool) -> None:
        if loading and self.model.rowCount() == 0:
            self.hint.setText(self.tr("Searching…"))

    def _show_hint(self, count: int) -> None:
        query = self.model.filter.query
        if count == 0:
            text = (self.tr("No customers match «{0}».").format(to_persian_digits(query)) if query
                    else self.tr("No customers match these filters."))
        elif self.model.has_more:
            text = self.tr("{0} customers loaded; more appear as you scroll.").format(format_number(count))
        else:
            text = self.tr("{0} customers.").format(format_number(count))
        self.hint.setText(text)

    def _on_form_saved(self, detail: CustomerDetail, warnings: list[str]) -> None:
        self.ctx.messages.info.emit(self.tr("Saved: {0}").format(detail.display_name))
        self.open_customer(detail.id, warnings)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Down arrow in the search box moves into the list, as in a combo's popup.
        if watched is self.search_box and event.type() == QEvent.Type.KeyPress \
                and isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Down and self.model.rowCount():
            self.table.setFocus()
            if self.selected_id() is None:
                self._select(str(self.model.index(0, 0).data(ID_ROLE)))
            return True
        return super().eventFilter(watched, event)

    def loaded_profile(self) -> CustomerProfile | None:
        return self._profile.profile if self._profile is not None else None
