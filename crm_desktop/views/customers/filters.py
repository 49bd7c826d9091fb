"""The customer list's filters: segment, lifecycle stage and (for those who see every branch) branch."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from crm_desktop.models.enums import LifecycleStage, Segment
from crm_desktop.persian import to_persian_digits
from crm_desktop.services.users import BranchRow
from crm_desktop.views.context import AppContext
from crm_desktop.views.tasks import QueryOp


class CustomerFilters(QWidget):
    """Signals: changed(): a filter was chosen."""

    changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.segment = self._combo("segmentFilter", self.tr("Segment"), Segment.choices())
        self.lifecycle = self._combo("lifecycleFilter", self.tr("Lifecycle stage"), LifecycleStage.choices())
        self.branch: QComboBox | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for label, combo in ((self.tr("Segment:"), self.segment), (self.tr("Lifecycle stage:"), self.lifecycle)):
            layout.addWidget(self._buddy(label, combo))
            layout.addWidget(combo)
        if ctx.actor.sees_all_branches:
            self.branch = self._combo("branchFilter", self.tr("Branch"), [])
            layout.addWidget(self._buddy(self.tr("Branch:"), self.branch))
            layout.addWidget(self.branch)
        layout.addStretch(1)
        self._connect_signals()
        if self.branch is not None:
            QueryOp(self, ctx, lambda s, _p: s.users.branches(ctx.actor)).success(self._show_branches).run()

    def _combo(self, name: str, accessible: str, choices: list[tuple[str, str]]) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.setAccessibleName(accessible)
        combo.addItem(self.tr("All"), None)
        for value, label in choices:
            combo.addItem(label, value)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        return combo

    @staticmethod
    def _buddy(text: str, combo: QComboBox) -> QLabel:
        label = QLabel(text)
        label.setBuddy(combo)
        return label

    def _connect_signals(self) -> None:
        for combo in (self.segment, self.lifecycle, self.branch):
            if combo is not None:
                combo.currentIndexChanged.connect(self._on_combo_current_index_changed)

    def _show_branches(self, branches: list[BranchRow]) -> None:
        if self.branch is None:
            return
        self.branch.blockSignals(True)
        for branch in branches:
            self.branch.addItem(f"{to_persian_digits(branch.code)} — {branch.name}", (branch.id, branch.code))
        self.branch.blockSignals(False)

    # -- values -------------------------------------------------------------------------------
    def segment_value(self) -> str | None:
        return self.segment.currentData()

    def lifecycle_value(self) -> str | None:
        return self.lifecycle.currentData()

    def branch_value(self) -> tuple[str, str] | None:
        """(branch id, branch code) or None for every branch."""
        if self.branch is None:
            return None
        data = self.branch.currentData()
        return (str(data[0]), str(data[1])) if data else None

    @Slot(int)
    def _on_combo_current_index_changed(self, _index: int) -> None:
        self.changed.emit()
