"""«ادغام‌های انجام‌شده»: the list of past merges and, for managers, undoing one.

The list is read off the UI thread (``list_merges``: managers see their branch, administrators and auditors
every branch) whenever it is shown after something changed customers: a merge made on the other tab, an undo,
or any other customer write broadcast on the change bus. Undo asks for confirmation and an optional note, runs
on the writer lane, and shows the service's Persian reason when it is refused (a record changed since, an
earlier merge still standing, another branch).
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.persian import format_jalali_datetime, format_number
from crm_desktop.services import Services
from crm_desktop.services.changes import Changes, Outcome
from crm_desktop.services.merge_plan import MergeSummary, UndoResult
from crm_desktop.services.permissions import Action, allowed
from crm_desktop.views.context import AppContext
from crm_desktop.views.duplicates.merges_model import MergesModel
from crm_desktop.views.errors import show_error
from crm_desktop.views.tasks import QueryOp, ServiceOp

LIST_LIMIT = 200


class UndoMergeDialog(QDialog):
    """"Undo this merge?" with an optional note for the journal."""

    def __init__(self, merge: MergeSummary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("undoMergeDialog")
        self.setWindowTitle(self.tr("Undo merge"))
        names = "، ".join(f"«{name}»" for _id, name in merge.merged if name)
        question = QLabel(self.tr(
            "Undo the merge of {0} into «{1}» ({2})? The merged records come back with their own values and "
            "history.").format(names, merge.survivor_name, format_jalali_datetime(merge.at)))
        question.setWordWrap(True)
        self.note = QLineEdit()
        self.note.setObjectName("undoMergeNote")
        self.note.setAccessibleName(self.tr("Note"))
        self.note.setPlaceholderText(self.tr("Why the merge is undone (optional)"))
        buttons = QDialogButtonBox()
        self.undo_button = QPushButton(self.tr("Undo merge"))
        self.undo_button.setObjectName("confirmUndoMerge")
        buttons.addButton(self.undo_button, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = QPushButton(self.tr("Cancel"))
        buttons.addButton(cancel, QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(question)
        layout.addWidget(QLabel(self.tr("Note")))
        layout.addWidget(self.note)
        layout.addWidget(buttons)
        self.resize(self.fontMetrics().horizontalAdvance("M") * 40, self.sizeHint().height())


def ask_undo(parent: QWidget, merge: MergeSummary) -> str | None:
    """The note ("" for none) when the user confirms the undo, None when they do not (tests replace this)."""
    dialog = UndoMergeDialog(merge, parent)
    try:
        return dialog.note.text().strip() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


class MergesView(QWidget):
    """Past merges (newest first) with Refresh and, for those allowed to merge, Undo merge."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pastMerges")
        self.ctx = ctx
        self._stale = True
        self._loading = False
        self._undoing = False
        self.model = MergesModel(self)
        self.table = QTableView()
        self.table.setObjectName("mergesTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(MergesModel.SURVIVOR, QHeaderView.ResizeMode.Stretch)
        self.status = QLabel()
        self.status.setObjectName("mergesStatus")
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.setObjectName("refreshMerges")
        self.undo_button = QPushButton(self.tr("Undo merge…"))
        self.undo_button.setObjectName("undoMerge")
        self.undo_button.setVisible(allowed(ctx.actor, Action.MERGE_CUSTOMERS))
        self.undo_button.setEnabled(False)
        bar = QHBoxLayout()
        bar.addWidget(self.status, 1)
        bar.addWidget(self.refresh_button)
        bar.addWidget(self.undo_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.refresh_button.clicked.connect(self.reload)
        self.undo_button.clicked.connect(self.undo_selected)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.ctx.bus.changed.connect(self._on_bus_changed)

    # -- loading ------------------------------------------------------------------------------
    def mark_stale(self) -> None:
        """Read the list again now if it is on screen, else the next time it is shown."""
        self._stale = True
        if self.isVisible():
            self.reload()

    @Slot()
    def reload(self) -> None:
        if self._loading:
            self._stale = True  # read again once the running read lands
            return
        self._stale, self._loading = False, True
        actor = self.ctx.actor

        def run(services: Services, _progress: object) -> list[MergeSummary]:
            return services.merge.list_merges(actor, limit=LIST_LIMIT)

        QueryOp(self, self.ctx, run).success(self._on_loaded).failure(self._on_load_failed).run()

    def _on_loaded(self, merges: list[MergeSummary]) -> None:
        self._loading = False
        chosen = self.selected_merge()
        self.model.set_merges(merges)
        self.status.setText(self.tr("{0} merges").format(format_number(len(merges))) if merges
                            else self.tr("No merges yet."))
        if not (chosen and self.select_merge(chosen.tx_id)) and self.model.rowCount():
            self.select_merge(self.model.merge_at(0).tx_id)  # the newest
        self._update_buttons()
        if self._stale:
            self.reload()

    def _on_load_failed(self, exc: BaseException) -> None:
        self._loading = False
        show_error(self, exc)

    def showEvent(self, event: QShowEvent) -> None:  # Qt override
        super().showEvent(event)
        if self._stale:
            self.reload()

    @Slot(object)
    def _on_bus_changed(self, changes: Changes) -> None:
        if changes.customers:
            self.mark_stale()

    # -- the chosen merge ---------------------------------------------------------------------
    def selected_merge(self) -> MergeSummary | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.merge_at(rows[0].row()) if rows else None

    def select_merge(self, tx_id: str) -> bool:
        """Select the merge of transaction ``tx_id``; False when the list does not hold it."""
        row = self.model.row_of(tx_id)
        if row is None:
            return False
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.table.selectionModel().setCurrentIndex(self.model.index(row, 0), flags)
        return True

    @Slot(QItemSelection, QItemSelection)
    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._update_buttons()

    def _update_buttons(self) -> None:
        merge = self.selected_merge()
        self.undo_button.setEnabled(merge is not None and not merge.undone and not self._undoing)

    # -- undo ---------------------------------------------------------------------------------
    @Slot()
    def undo_selected(self) -> None:
        merge = self.selected_merge()
        if merge is None or merge.undone or self._undoing:
            return
        note = ask_undo(self, merge)
        if note is None:
            return
        actor, tx_id = self.ctx.actor, merge.tx_id
        self._undoing = True
        self._update_buttons()

        def done(_outcome: Outcome[UndoResult]) -> None:
            self._undoing = False
            self._update_buttons()
            self.ctx.messages.info.emit(self.tr("Merge into «{0}» undone").format(merge.survivor_name))
            # The list reads itself again: the undo's changes reached the change bus before this callback.

        def failed(exc: BaseException) -> None:
            self._undoing = False
            self._update_buttons()
            show_error(self, exc)  # the service's Persian reason
            self.mark_stale()  # what the list shows may be out of date (another desk undid it)

        (ServiceOp(self, self.ctx, lambda s: s.merge.undo(actor, tx_id, note or None))
         .success(done).failure(failed).run())
