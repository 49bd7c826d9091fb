"""The duplicates screen: scan a branch for likely duplicate customers, compare a group side by side,
say "not a duplicate" or merge it (managers and administrators); a second tab lists past merges, with undo."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.persian import format_number
from crm_desktop.services import Services
from crm_desktop.services.changes import Outcome
from crm_desktop.services.duplicates import DuplicateGroup, DuplicateScan
from crm_desktop.services.merge_plan import MergePreview, MergeResult
from crm_desktop.services.permissions import Action, allowed
from crm_desktop.views.context import AppContext
from crm_desktop.views.duplicates.comparison_model import ComparisonModel
from crm_desktop.views.duplicates.group_model import DuplicateGroupModel
from crm_desktop.views.duplicates.merge_dialog import MergeDialog
from crm_desktop.views.duplicates.merges_view import MergesView
from crm_desktop.views.duplicates.scan_bar import ScanBar
from crm_desktop.views.errors import show_error
from crm_desktop.views.section import SectionPage
from crm_desktop.views.tasks import QueryOp, ServiceOp


def confirm(parent: QWidget, title: str, text: str) -> bool:
    """Ask yes or no (tests replace this function)."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes


class _Failed:
    """A scan that raised: carried to the UI thread as a value so the progress bar always stops."""

    def __init__(self, exc: BaseException) -> None:
        self.exc = exc


class DuplicatesSection(SectionPage):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.merge_dialog: MergeDialog | None = None
        title = QLabel(self.tr("Duplicate customers"))
        title.setObjectName("pageTitle")
        self.bar = ScanBar(ctx)
        self.groups = DuplicateGroupModel(self)
        self.group_view = self._table("duplicateGroups", self.groups)
        header = self.group_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(DuplicateGroupModel.NAMES, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(DuplicateGroupModel.REASONS, QHeaderView.ResizeMode.Stretch)
        self.comparison = ComparisonModel(self)
        self.comparison_view = self._table("duplicateComparison", self.comparison)
        self.comparison_view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.comparison_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.comparison_view.verticalHeader().setVisible(True)
        self.group_title = QLabel(self.tr("Choose a group to compare its records."))
        self.group_title.setObjectName("duplicateGroupTitle")
        self.group_title.setWordWrap(True)
        self.dismiss_button = QPushButton(self.tr("Not a duplicate"))
        self.dismiss_button.setObjectName("dismissDuplicates")
        self.dismiss_button.setVisible(allowed(ctx.actor, Action.EDIT_CUSTOMER))
        self.merge_button = QPushButton(self.tr("Merge…"))
        self.merge_button.setObjectName("mergeDuplicates")
        self.merge_button.setProperty("primary", True)
        self.merge_button.setVisible(allowed(ctx.actor, Action.MERGE_CUSTOMERS))

        actions = QHBoxLayout()
        actions.addWidget(self.group_title, 1)
        actions.addWidget(self.dismiss_button)
        actions.addWidget(self.merge_button)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addLayout(actions)
        lower_layout.addWidget(self.comparison_view)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.group_view)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        groups_page = QWidget()
        groups_layout = QVBoxLayout(groups_page)
        groups_layout.addWidget(self.bar)
        groups_layout.addWidget(splitter, 1)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("duplicatesTabs")
        self.tabs.addTab(groups_page, self.tr("Duplicate groups"))
        self.merges: MergesView | None = None  # those who may read the audit trail see past merges
        if allowed(ctx.actor, Action.READ_AUDIT):
            self.merges = MergesView(ctx)
            self.tabs.addTab(self.merges, self.tr("Past merges"))
        self.tabs.tabBar().setVisible(self.tabs.count() > 1)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.tabs, 1)
        self._show_group(None)
        self._connect_signals()

    def _table(self, name: str, model: DuplicateGroupModel | ComparisonModel) -> QTableView:
        view = QTableView()
        view.setObjectName(name)
        view.setModel(model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setWordWrap(False)
        view.verticalHeader().setVisible(False)
        return view

    def _connect_signals(self) -> None:
        self.bar.scan_requested.connect(self.scan)
        self.group_view.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.dismiss_button.clicked.connect(self.dismiss_selected)
        self.merge_button.clicked.connect(self.merge_selected)

    # -- section hooks ------------------------------------------------------------------------
    def activated(self) -> None:
        self.bar.load_branches()

    def focus_search(self) -> None:
        if self.tabs.currentWidget() is self.merges and self.merges is not None:
            self.merges.table.setFocus()
        else:
            self.bar.min_score.setFocus()

    def show_merges(self) -> None:
        """Bring the past merges tab to the front (when the actor may see it)."""
        if self.merges is not None:
            self.tabs.setCurrentWidget(self.merges)

    # -- scanning -----------------------------------------------------------------------------
    @Slot()
    def scan(self) -> None:
        if self.bar.running:
            return
        actor, branch, score = self.ctx.actor, self.bar.branch_code, self.bar.min_score.value()
        progress = self.bar.start()

        def run(services: Services, _unused: object) -> DuplicateScan | _Failed:
            try:
                return services.duplicates.scan(actor, branch, score, progress=progress)
            except Exception as exc:  # shown on the UI thread, after the bar stops
                return _Failed(exc)

        QueryOp(self, self.ctx, run).success(self._on_scanned).run()

    def _on_scanned(self, result: DuplicateScan | _Failed) -> None:
        if isinstance(result, _Failed):
            self.bar.finish()
            show_error(self, result.exc)
            return
        self.bar.finish(self.tr("{0} groups among {1} customers").format(
            format_number(len(result.groups)), format_number(result.customers)))
        self.groups.set_groups(result.groups)
        if self.groups.rowCount():
            self._select_row(0)
        else:
            self._show_group(None)

    # -- the chosen group ---------------------------------------------------------------------
    def selected_group(self) -> DuplicateGroup | None:
        rows = self.group_view.selectionModel().selectedRows()
        return self.groups.group_at(rows[0].row()) if rows else None

    @Slot(QItemSelection, QItemSelection)
    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._show_group(self.selected_group())

    def _show_group(self, group: DuplicateGroup | None) -> None:
        self.comparison.set_group(group)
        self.dismiss_button.setEnabled(group is not None)
        self.merge_button.setEnabled(group is not None)
        if group is None:
            self.group_title.setText(self.tr("Choose a group to compare its records."))
            return
        self.group_title.setText(self.tr("Score {0}: {1}").format(format_number(group.score), "؛ ".join(group.reasons)))
        self.comparison_view.resizeRowsToContents()

    def _select_row(self, row: int) -> None:
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.group_view.selectionModel().setCurrentIndex(self.groups.index(row, 0), flags)

    def _drop_group(self, ids: Sequence[str]) -> None:
        row = self.groups.remove_group(ids)
        if row is not None and self.groups.rowCount():
            self._select_row(min(row, self.groups.rowCount() - 1))
        elif not self.groups.rowCount():
            self._show_group(None)

    # -- not a duplicate ----------------------------------------------------------------------
    @Slot()
    def dismiss_selected(self) -> None:
        group = self.selected_group()
        if group is None:
            return
        names = "، ".join(f"«{r.display_name}»" for r in group.records)
        question = self.tr("Remember that {0} are different customers and stop offering them together?")
        if not confirm(self, self.tr("Not a duplicate"), question.format(names)):
            return
        actor, ids = self.ctx.actor, group.ids

        def done(_outcome: Outcome[int]) -> None:
            self._drop_group(ids)
            self.ctx.messages.info.emit(self.tr("Remembered: not a duplicate"))

        ServiceOp(self, self.ctx, lambda s: s.duplicates.dismiss(actor, ids)).success(done).run()

    # -- merge --------------------------------------------------------------------------------
    @Slot()
    def merge_selected(self) -> None:
        group = self.selected_group()
        if group is None:
            return
        actor, ids = self.ctx.actor, group.ids
        self.merge_button.setEnabled(False)

        def open_dialog(preview: MergePreview) -> None:
            self.merge_button.setEnabled(True)
            dialog = MergeDialog(self.ctx, preview, self)
            dialog.merged.connect(self._on_merged)
            self.merge_dialog = dialog
            dialog.open()

        def failed(exc: BaseException) -> None:
            self.merge_button.setEnabled(True)
            show_error(self, exc)

        QueryOp(self, self.ctx, lambda s, _p: s.merge.preview(actor, ids)).success(open_dialog).failure(failed).run()

    @Slot(object, object)
    def _on_merged(self, ids: tuple[str, ...], result: MergeResult) -> None:
        self._drop_group(ids)
        if self.merges is not None:
            self.merges.mark_stale()  # the change bus says so too; explicit, as the list is this screen's own
        self.ctx.messages.info.emit(self.tr("Merged into «{0}»").format(result.survivor.display_name))
