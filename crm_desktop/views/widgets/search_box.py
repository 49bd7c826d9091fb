"""A search field that waits for a short pause in typing before asking for results."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtWidgets import QLineEdit, QWidget

DEBOUNCE_MS = 30  # coalesces a burst of keys yet leaves room to show results within 100 ms; stale pages are dropped


class SearchBox(QLineEdit):
    """Signals: search_requested(str): the text after the user paused typing (or pressed Enter)."""

    search_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, delay_ms: int = DEBOUNCE_MS) -> None:
        super().__init__(parent)
        self.setClearButtonEnabled(True)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self._on_timer_timeout)
        self.textChanged.connect(self._on_text_changed)
        self.returnPressed.connect(self._on_timer_timeout)

    @Slot(str)
    def _on_text_changed(self, _text: str) -> None:
        self._timer.start()

    @Slot()
    def _on_timer_timeout(self) -> None:
        self._timer.stop()
        self.search_requested.emit(self.text())
