"""The reports section's dashboard: the branch at a glance, from the same figures the reports use."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.models.enums import Channel, LifecycleStage, Segment
from crm_desktop.persian import format_jalali_date, format_number
from crm_desktop.services.changes import Changes
from crm_desktop.services.dashboard import DashboardFigures
from crm_desktop.services.permissions import Action, allowed
from crm_desktop.views.context import AppContext
from crm_desktop.views.section import SectionPage
from crm_desktop.views.tasks import QueryOp
from crm_desktop.views.widgets.branch_items import load_branch_items


class FigureCard(QFrame):
    """One number with its caption."""

    def __init__(self, object_name: str, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setProperty("role", "card")
        self.value = QLabel("—")
        self.value.setObjectName(f"{object_name}Value")
        self.value.setProperty("role", "figure")
        self.value.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label = QLabel(caption)
        label.setProperty("role", "muted")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.value)
        layout.addWidget(label)

    def set_text(self, text: str) -> None:
        self.value.setText(text)


class Breakdown(QGroupBox):
    """Counts by label, each with a bar proportional to the largest."""

    def __init__(self, object_name: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.setObjectName(object_name)
        self._grid = QGridLayout(self)

    def show_counts(self, counts: list[tuple[str, int]]) -> None:
        while self._grid.count():
            item = self._grid.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()
        total = sum(n for _label, n in counts) or 1
        for row, (label, count) in enumerate(counts):
            bar = QProgressBar()
            bar.setRange(0, total)
            bar.setValue(count)
            bar.setTextVisible(False)
            bar.setMaximumHeight(10)
            number = QLabel(f"{format_number(count)} ({format_number(round(100 * count / total))}٪)")
            number.setAlignment(Qt.AlignmentFlag.AlignTrailing | Qt.AlignmentFlag.AlignVCenter)
            self._grid.addWidget(QLabel(label), row, 0)
            self._grid.addWidget(bar, row, 1)
            self._grid.addWidget(number, row, 2)
        if not counts:
            self._grid.addWidget(QLabel(self.tr("Nothing recorded yet.")), 0, 0)
        self._grid.setColumnStretch(1, 1)


class DashboardPage(SectionPage):
    """Managers see their branch; administrators and auditors every branch or one they choose."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._stale = True
        self._loading = False
        title = QLabel(self.tr("Branch dashboard"))
        title.setObjectName("pageTitle")
        self.period = QLabel()
        self.period.setObjectName("dashboardPeriod")
        self.period.setProperty("role", "muted")
        self.branch = QComboBox()
        self.branch.setObjectName("dashboardBranch")
        self.branch.setAccessibleName(self.tr("Branch"))
        self.branch.addItem(self.tr("All branches"), None)
        self.branch.setVisible(ctx.actor.sees_all_branches)
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.setObjectName("dashboardRefresh")
        self.denied = QLabel(self.tr("The dashboard is for branch managers, administrators and auditors."))
        self.denied.setObjectName("dashboardDenied")
        self.denied.setWordWrap(True)

        self.cards = {
            "customers": FigureCard("customersCard", self.tr("Customers")),
            "open": FigureCard("openCard", self.tr("Open service requests")),
            "overdue": FigureCard("overdueCard", self.tr("Overdue")),
            "due_today": FigureCard("dueTodayCard", self.tr("Due today")),
            "opened": FigureCard("openedCard", self.tr("Opened this month")),
            "in_time": FigureCard("inTimeCard", self.tr("Resolved within deadline this month")),
            "satisfaction": FigureCard("satisfactionCard", self.tr("Average satisfaction this month (of 5)")),
        }
        self.segments = Breakdown("segmentBreakdown", self.tr("Customers by segment"))
        self.stages = Breakdown("stageBreakdown", self.tr("Customers by lifecycle stage"))
        self.channels = Breakdown("channelBreakdown", self.tr("Interactions this month by channel"))

        header = QHBoxLayout()
        header.addWidget(title)
        header.addWidget(self.period)
        header.addStretch(1)
        header.addWidget(self.branch)
        header.addWidget(self.refresh_button)
        cards = QGridLayout()
        for index, card in enumerate(self.cards.values()):
            cards.addWidget(card, index // 4, index % 4)
        breakdowns = QHBoxLayout()
        for box in (self.segments, self.stages, self.channels):
            breakdowns.addWidget(box, 1)
        self.body = QWidget()
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.addLayout(cards)
        body.addLayout(breakdowns)
        body.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.denied)
        layout.addWidget(self.body, 1)
        permitted = allowed(ctx.actor, Action.RUN_REPORTS)
        self.denied.setVisible(not permitted)
        self.body.setVisible(permitted)
        self.refresh_button.setEnabled(permitted)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.refresh_button.clicked.connect(self.refresh)
        self.branch.currentIndexChanged.connect(self.refresh)
        self.ctx.bus.changed.connect(self._on_bus_changed)

    # -- section hooks ------------------------------------------------------------------------
    def activated(self) -> None:
        if self._stale:
            if self.ctx.actor.sees_all_branches and self.branch.count() == 1:
                self._load_branches()
            self.refresh()

    def focus_search(self) -> None:
        (self.branch if self.branch.isVisible() else self.refresh_button).setFocus()

    # -- loading ------------------------------------------------------------------------------
    def _load_branches(self) -> None:
        load_branch_items(self, self.ctx, self.branch, lambda branch: branch.id)

    @Slot()
    def refresh(self) -> None:
        if not allowed(self.ctx.actor, Action.RUN_REPORTS) or self._loading:
            return
        self._loading = True
        self._stale = False
        actor, branch_id = self.ctx.actor, self.branch.currentData()

        def failed(exc: BaseException) -> None:
            self._loading = False
            from crm_desktop.views.errors import show_error

            show_error(self, exc)

        (QueryOp(self, self.ctx, lambda s, _p: s.dashboard.figures(actor, branch_id=branch_id))
         .success(self.show_figures).failure(failed).run())

    def show_figures(self, figures: DashboardFigures) -> None:
        self._loading = False
        self.period.setText(self.tr("Month from {0}").format(format_jalali_date(figures.month_start)))
        self.cards["customers"].set_text(format_number(figures.customers))
        self.cards["open"].set_text(format_number(figures.open_requests))
        self.cards["overdue"].set_text(format_number(figures.overdue))
        self.cards["due_today"].set_text(format_number(figures.due_today))
        self.cards["opened"].set_text(format_number(figures.opened_this_month))
        share = figures.in_time_share
        self.cards["in_time"].set_text("—" if share is None else f"{format_number(round(share * 100))}٪")
        average = figures.average_satisfaction
        self.cards["satisfaction"].set_text("—" if average is None else format_number(average, 1))
        self.segments.show_counts([(Segment(k).label, n) for k, n in figures.by_segment])
        self.stages.show_counts([(LifecycleStage(k).label, n) for k, n in figures.by_stage])
        self.channels.show_counts([(Channel(k).label, n) for k, n in figures.interactions_by_channel])

    @Slot(object)
    def _on_bus_changed(self, _changes: Changes) -> None:
        self._stale = True
        if self.isVisible():
            self.refresh()
