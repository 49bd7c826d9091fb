"""The reports section: the dashboard and the report maker, side by side in tabs."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from crm_desktop.views.context import AppContext
from crm_desktop.views.reporting.dashboard import DashboardPage
from crm_desktop.views.reporting.reports_page import ReportsPage
from crm_desktop.views.section import SectionPage


class ReportsSection(SectionPage):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.dashboard = DashboardPage(ctx)
        self.reports = ReportsPage(ctx)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("reportsTabs")
        self.tabs.addTab(self.dashboard, self.tr("Dashboard"))
        self.tabs.addTab(self.reports, self.tr("Make a report"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)

    def _current(self) -> SectionPage:
        page = self.tabs.currentWidget()
        assert isinstance(page, SectionPage)
        return page

    def activated(self) -> None:
        self._current().activated()

    def focus_search(self) -> None:
        self._current().focus_search()

    @Slot(int)
    def _on_tabs_current_changed(self, _index: int) -> None:
        self._current().activated()
