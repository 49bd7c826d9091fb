"""The filters above the interactions list: period (Jalali, with quick choices), channel, clerk, branch."""

from __future__ import annotations

import itertools
from datetime import date

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from crm_desktop.models.enums import Channel
from crm_desktop.persian import to_persian_digits
from crm_desktop.services.users import BranchRow, UserRow
from crm_desktop.views.context import AppContext
from crm_desktop.views.interactions.periods import QuickPeriod, local_today, period_of, quick_range
from crm_desktop.views.interactions.table_model import InteractionFilter
from crm_desktop.views.tasks import QueryOp
from crm_desktop.views.widgets.jalali_date_edit import JalaliDateEdit


class InteractionFilterBar(QWidget):
    """Signals:
        filter_changed(object): a new, valid ``InteractionFilter`` to show.
    """

    filter_changed = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("interactionFilters")
        self.period = self._combo("periodChoice", self.tr("Period"))
        for choice, text in (
            (QuickPeriod.ANY, self.tr("Any time")),
            (QuickPeriod.TODAY, self.tr("Today")),
            (QuickPeriod.WEEK, self.tr("This week")),
            (QuickPeriod.MONTH, self.tr("This month")),
            (QuickPeriod.CUSTOM, self.tr("Chosen dates")),
        ):
            self.period.addItem(text, str(choice))
        self.date_from = JalaliDateEdit(object_name="periodFrom")
        self.date_from.setAccessibleName(self.tr("From date"))
        self.date_to = JalaliDateEdit(object_name="periodTo")
        self.date_to.setAccessibleName(self.tr("To date"))
        self.channel = self._combo("channelFilter", self.tr("Channel"))
        self.channel.addItem(self.tr("All channels"), None)
        for value, label in Channel.choices():
            self.channel.addItem(label, value)
        self.clerk = self._combo("clerkFilter", self.tr("Clerk"))
        self._limit_width(self.clerk)
        self.clerk.addItem(self.tr("All clerks"), None)
        self.clerk.addItem(self.tr("Only mine"), ctx.actor.user_id)
        self.branch: QComboBox | None = None
        if ctx.actor.sees_all_branches:
            self.branch = self._combo("branchFilter", self.tr("Branch"))
            self._limit_width(self.branch)
            self.branch.addItem(self.tr("All branches"), None)
        self.error = QLabel()
        self.error.setObjectName("periodError")
        self.error.setProperty("role", "error")
        self.error.hide()
        self._build_layout()
        self._connect_signals()

    def _combo(self, name: str, accessible: str) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.setAccessibleName(accessible)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        return combo

    @staticmethod
    def _limit_width(combo: QComboBox) -> None:
        """Names can be long: keep the bar narrow and let the open list be as wide as its longest entry."""
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(12)
        combo.view().setTextElideMode(Qt.TextElideMode.ElideNone)
        combo.view().setMinimumWidth(combo.fontMetrics().horizontalAdvance("M") * 18)

    def _build_layout(self) -> None:
        em = self.fontMetrics().horizontalAdvance("M")
        for edit in (self.date_from, self.date_to):
            edit.setFixedWidth(self.fontMetrics().horizontalAdvance("8888/88/88") + em * 5)
        when: list[tuple[str, QWidget]] = [
            (self.tr("Period"), self.period), (self.tr("From"), self.date_from), (self.tr("To"), self.date_to)]
        who: list[tuple[str, QWidget]] = [(self.tr("Channel"), self.channel), (self.tr("Clerk"), self.clerk)]
        if self.branch is not None:
            who.append((self.tr("Branch"), self.branch))
        # One row for a branch's own list; two when a branch filter joins (too wide beside the navigation).
        rows = [when, who] if self.branch is not None else [when + who]
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        for pairs in rows:
            row = QHBoxLayout()
            row.setContentsMargins(0, 0, 0, 0)
            for text, widget in pairs:
                label = QLabel(text)
                label.setBuddy(widget)
                row.addWidget(label)
                row.addWidget(widget)
                row.addSpacing(em // 2)
            row.addStretch(1)
            layout.addLayout(row)
        layout.addWidget(self.error, 0, Qt.AlignmentFlag.AlignLeading)
        order: list[QWidget] = [self.period, self.date_from, self.date_to, self.channel, self.clerk]
        if self.branch is not None:
            order.append(self.branch)
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)

    def _connect_signals(self) -> None:
        self.period.activated.connect(self._on_period_activated)
        self.date_from.edited.connect(self._on_date_edited)
        self.date_to.edited.connect(self._on_date_edited)
        for combo in (self.channel, self.clerk, self.branch):
            if combo is not None:
                combo.currentIndexChanged.connect(self._on_combo_changed)

    # -- public -------------------------------------------------------------------------------
    def load_choices(self) -> None:
        """Fill the clerk (and branch) lists from the services, off the UI thread."""
        actor = self.ctx.actor
        op = QueryOp(self, self.ctx, lambda s, _p: (s.users.list(actor),
                                                    s.users.branches(actor) if actor.sees_all_branches else []))
        op.success(self._on_choices_loaded).failure(lambda _exc: None)  # without the list: "all" and "mine"
        op.run()

    def choose_period(self, choice: QuickPeriod) -> None:
        self.period.setCurrentIndex(self.period.findData(str(choice)))
        self._on_period_activated(self.period.currentIndex())

    def current_filter(self) -> InteractionFilter | None:
        """The filter the fields describe, or None (with a message shown) while the dates are not valid."""
        problem = self.date_from.error() or self.date_to.error()
        start, end = self.date_from.date(), self.date_to.date()
        if not problem and start and end and end < start:
            problem = self.tr("The end of the period is before its start.")
        self.error.setText(problem)
        self.error.setVisible(bool(problem))
        if problem:
            return None
        return InteractionFilter(
            user_id=self.clerk.currentData(), channel=self.channel.currentData(), period=period_of(start, end),
            branch_id=self.branch.currentData() if self.branch is not None else None,
        )

    def describes_period(self) -> bool:
        return self.date_from.date() is not None or self.date_to.date() is not None

    # -- slots --------------------------------------------------------------------------------
    def _on_choices_loaded(self, found: tuple[list[UserRow], list[BranchRow]]) -> None:
        users, branches = found
        many_branches = len({u.branch_id for u in users}) > 1
        for user in sorted(users, key=lambda u: u.full_name):
            if user.id == self.ctx.actor.user_id:
                continue
            text = user.full_name
            if many_branches:
                text = f"{text} ({to_persian_digits(user.branch_code)})"
            if not user.active:
                text = self.tr("{0} (inactive)").format(text)
            self.clerk.addItem(text, user.id)
        if self.branch is not None:
            for branch in branches:
                self.branch.addItem(f"{to_persian_digits(branch.code)} — {branch.name}", branch.id)

    @Slot(int)
    def _on_period_activated(self, _index: int) -> None:
        choice = QuickPeriod(self.period.currentData())
        if choice != QuickPeriod.CUSTOM:
            dates = quick_range(choice, self._today())
            for edit, value in zip((self.date_from, self.date_to), dates or (None, None), strict=True):
                edit.blockSignals(True)
                edit.set_date(value)
                edit.blockSignals(False)
        self._emit()

    @Slot()
    def _on_date_edited(self) -> None:
        custom = self.period.findData(str(QuickPeriod.CUSTOM))
        if self.period.currentIndex() != custom:
            self.period.setCurrentIndex(custom)
        self._emit()

    @Slot(int)
    def _on_combo_changed(self, _index: int) -> None:
        self._emit()

    def _emit(self) -> None:
        value = self.current_filter()
        if value is not None:
            self.filter_changed.emit(value)

    def _today(self) -> date:
        return local_today(self.ctx.services.interactions.now())
