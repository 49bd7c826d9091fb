"""The interactions list: period, channel and clerk filters over a lazy, newest-first table."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, Qt, Slot
from PySide6.QtGui import QAction, QFontMetrics, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.models.enums import Channel, Direction, Outcome
from crm_desktop.persian import format_number
from crm_desktop.services.permissions import Action, allowed
from crm_desktop.services.records import InteractionRow
from crm_desktop.views.context import AppContext
from crm_desktop.views.interactions.filter_bar import InteractionFilterBar
from crm_desktop.views.interactions.log_dialog import LogInteractionDialog
from crm_desktop.views.interactions.table_model import InteractionFilter, InteractionTableModel
from crm_desktop.views.section import SectionPage
from crm_desktop.views.widgets.export_button import ExportButton, ExportJob


class InteractionsPage(SectionPage):
    """Every interaction of the branch, newest first. Enter opens the customer; Edit opens the log dialog."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._loaded = False
        self._keep_id: str | None = None  # the selected row, selected again after a reload
        self.dialog: LogInteractionDialog | None = None
        title = QLabel(self.tr("Interactions"))
        title.setObjectName("pageTitle")
        self.filters = InteractionFilterBar(ctx)
        self.model = InteractionTableModel(ctx, self)
        self.table = QTableView()
        self.table.setObjectName("interactionsTable")
        self.table.setAccessibleName(self.tr("Interactions"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(int(self.fontMetrics().height() * 1.8))
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        self._size_columns()
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.hint = QLabel()
        self.hint.setObjectName("interactionsHint")
        self.hint.setProperty("role", "muted")
        self.open_button = QPushButton(self.tr("Open customer"))
        self.open_button.setObjectName("openCustomerButton")
        self.edit_button = QPushButton(self.tr("Edit"))
        self.edit_button.setObjectName("editInteractionButton")
        self.edit_button.setProperty("primary", True)
        self.edit_button.setVisible(allowed(ctx.actor, Action.LOG_INTERACTION))
        self.edit_action = QAction(self.tr("Edit"), self)
        self.export_button = ExportButton(ctx, self.tr("Interactions"), self.export_job)
        self.export_button.setVisible(allowed(ctx.actor, Action.EXPORT))
        self.open_action = QAction(self.tr("Open customer"), self)
        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.open_button)
        top.addWidget(self.edit_button)
        top.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.hint)
        QWidget.setTabOrder(self.filters, self.table)
        self._connect_signals()
        self._update_buttons()
        self._update_hint()

    def _connect_signals(self) -> None:
        self.filters.filter_changed.connect(self._on_filters_filter_changed)
        self.table.activated.connect(self._on_table_activated)
        self.table.customContextMenuRequested.connect(self._on_table_context_menu)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.model.rows_loaded.connect(self._on_model_rows_loaded)
        self.model.loading_changed.connect(self._on_model_loading_changed)
        self.model.modelAboutToBeReset.connect(self._on_model_about_to_be_reset)
        self.model.modelReset.connect(self._update_buttons)
        self.open_button.clicked.connect(self._on_open_clicked)
        self.open_action.triggered.connect(self._on_open_clicked)
        self.edit_button.clicked.connect(self._on_edit_clicked)
        self.edit_action.triggered.connect(self._on_edit_clicked)

    # -- SectionPage --------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.filters.period.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def new_item(self) -> None:
        self.ctx.messages.info.emit(self.tr(
            "An interaction belongs to a customer: open the customer's 360° view and press Ctrl+L to log one."))

    def activated(self) -> None:
        self._ensure_loaded()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._ensure_loaded()

    # -- public -------------------------------------------------------------------------------
    def selected_row(self) -> InteractionRow | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row(), QModelIndex()):
            return None
        return self.model.row_at(index.row())

    def select_row(self, row: int) -> None:
        """Make ``row`` current and selected (QTableView.selectRow finds no column in a right-to-left view
        whose columns fill the viewport exactly, so select through the selection model)."""
        index = self.model.index(row, 0)
        if index.isValid():
            flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
            self.table.selectionModel().setCurrentIndex(index, flags)

    def edit_selected(self) -> LogInteractionDialog | None:
        """Open the log dialog on the selected interaction (the service decides who may save it)."""
        row = self.selected_row()
        if row is None or not allowed(self.ctx.actor, Action.LOG_INTERACTION):
            return None
        dialog = LogInteractionDialog(self.ctx, customer_id=row.customer_id, customer_name=row.customer_name,
                                      interaction=row, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._on_dialog_finished)
        self.dialog = dialog
        dialog.open()
        return dialog

    def export_job(self) -> ExportJob:
        """The export of what the list shows now: its period, channel, clerk and branch."""
        actor, f = self.ctx.actor, self.model.filter
        return lambda s, path, progress: s.exports.interactions(
            actor, path, customer_id=f.customer_id, user_id=f.user_id, channel=f.channel, period=f.period,
            branch_id=f.branch_id, progress=progress)

    # -- internals ----------------------------------------------------------------------------
    def _size_columns(self) -> None:
        """Widths from typical contents (a lazy model cannot be measured row by row); titles are bold."""
        metrics = self.fontMetrics()
        bold = self.font()
        bold.setBold(True)
        title_metrics = QFontMetrics(bold)
        em = metrics.horizontalAdvance("M")
        samples: dict[int, list[str]] = {
            0: ["۱۴۰۵/۰۹/۳۰ ۲۳:۵۹"], 1: ["محمدحسین شاکری زاده"], 2: [m.label for m in Channel],
            3: [m.label for m in Direction], 5: ["علیرضا تنزیلی زاده"], 6: [m.label for m in Outcome],
            7: ["۱۴۰۵/۰۹/۳۰"],
        }
        for column, texts in samples.items():
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            content = max(metrics.horizontalAdvance(text) for text in texts) + em * 3 // 2
            self.table.setColumnWidth(column, max(content, title_metrics.horizontalAdvance(title) + em * 5 // 2))

    def _ensure_loaded(self) -> None:
        if not self._loaded:
            self._loaded = True
            self.filters.load_choices()
            current = self.filters.current_filter()
            self.model.set_filter(current or InteractionFilter())

    def _can_edit(self, row: InteractionRow | None) -> bool:
        actor = self.ctx.actor
        return row is not None and allowed(actor, Action.LOG_INTERACTION) and (
            row.user_id == actor.user_id or allowed(actor, Action.EDIT_ANY_INTERACTION))

    @Slot()
    def _update_buttons(self) -> None:
        row = self.selected_row()
        self.open_button.setEnabled(row is not None)
        self.open_action.setEnabled(row is not None)
        can_edit = self._can_edit(row)
        self.edit_button.setEnabled(can_edit)
        self.edit_action.setEnabled(can_edit)
        self.edit_button.setToolTip("" if can_edit or row is None else
                                    self.tr("Only the clerk who logged it or the branch manager can edit it."))

    def _update_hint(self) -> None:
        count = self.model.rowCount()
        if self.model.loading and count == 0:
            text = self.tr("Loading…")
        elif count == 0:
            text = (self.tr("No interactions in this period.") if self.filters.describes_period()
                    else self.tr("No interactions found."))
        elif self.model.canFetchMore(QModelIndex()):
            text = self.tr("{0} interactions shown; scroll down for more.").format(format_number(count))
        else:
            text = self.tr("{0} interactions.").format(format_number(count))
        self.hint.setText(text)

    @Slot(object)
    def _on_filters_filter_changed(self, value: InteractionFilter) -> None:
        self._loaded = True
        self.model.set_filter(value)

    @Slot(QModelIndex)
    def _on_table_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.customer_opened.emit(self.model.row_at(index.row()).customer_id)

    @Slot(QPoint)
    def _on_table_context_menu(self, point: QPoint) -> None:
        if not self.table.indexAt(point).isValid():
            return
        self.select_row(self.table.indexAt(point).row())
        menu = QMenu(self)
        menu.addAction(self.open_action)
        if allowed(self.ctx.actor, Action.LOG_INTERACTION):
            menu.addAction(self.edit_action)
        menu.popup(self.table.viewport().mapToGlobal(point))

    @Slot()
    def _on_selection_changed(self) -> None:
        self._update_buttons()

    @Slot()
    def _on_model_about_to_be_reset(self) -> None:
        row = self.selected_row()
        self._keep_id = row.id if row is not None else None

    @Slot(int)
    def _on_model_rows_loaded(self, _count: int) -> None:
        if self._keep_id is not None:
            position = self.model.position_of(self._keep_id)
            self._keep_id = None
            if position is not None:
                self.select_row(position)
        self._update_hint()

    @Slot(bool)
    def _on_model_loading_changed(self, _loading: bool) -> None:
        self._update_hint()

    @Slot()
    def _on_open_clicked(self) -> None:
        row = self.selected_row()
        if row is not None:
            self.customer_opened.emit(row.customer_id)

    @Slot()
    def _on_edit_clicked(self) -> None:
        self.edit_selected()

    @Slot(int)
    def _on_dialog_finished(self, _result: int) -> None:
        self.dialog = None
        self.table.setFocus()
