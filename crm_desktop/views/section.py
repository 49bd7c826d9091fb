"""What the main window expects of each section page (customers, interactions, requests, ...)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from crm_desktop.views.context import AppContext


class SectionPage(QWidget):
    """A page in the main window's navigation.

    Signals:
        customer_opened(str): the user asked for a customer's 360° view.
        request_opened(str): the user asked for a service request.
    """

    customer_opened = Signal(str)
    request_opened = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx

    def focus_search(self) -> None:
        """Ctrl+F: put the cursor in this page's search or filter field."""

    def new_item(self) -> None:
        """Ctrl+N: start a new record of this page's kind."""

    def go_back(self) -> bool:
        """Esc: close what is open on top of the page; False when there was nothing to close."""
        return False

    def activated(self) -> None:
        """The page became visible (read what it shows, if stale)."""
