"""A progress bar with Cancel that sits inside a page, and the way a page runs one long service call.

The wizard shows progress where the work is (not in a pop-up): the strip polls a thread-safe
``CancellableProgress`` every 100 ms; Cancel sets its flag and the service stops between batches.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from crm_desktop.errors import CrmError
from crm_desktop.persian import format_number
from crm_desktop.progress import CancellableProgress, Progress
from crm_desktop.services import Services
from crm_desktop.views.context import AppContext
from crm_desktop.views.errors import show_error

T = TypeVar("T")
POLL_MS = 100


class ProgressStrip(QWidget):
    """Signals:
        cancel_requested(): the user pressed Cancel (the work stops at its next check).
    """

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._progress: CancellableProgress | None = None
        self.bar = QProgressBar()
        self.bar.setObjectName("importProgress")
        self.bar.setTextVisible(True)
        self.message = QLabel()
        self.message.setObjectName("importProgressMessage")
        self.message.setProperty("role", "muted")
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setObjectName("importCancel")
        self.cancel_button.setAutoDefault(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.bar, 1)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.cancel_button)
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)
        self.cancel_button.clicked.connect(self.cancel)
        self.hide()

    @property
    def running(self) -> bool:
        return self._progress is not None

    def start(self) -> CancellableProgress:
        self._progress = CancellableProgress()
        self.bar.setRange(0, 0)  # busy until the work knows its total
        self.message.clear()
        self.cancel_button.setEnabled(True)
        self.show()
        self._timer.start()
        return self._progress

    def finish(self) -> None:
        self._timer.stop()
        self._progress = None
        self.hide()

    @Slot()
    def cancel(self) -> None:
        if self._progress is not None:
            self._progress.cancel()
            self.cancel_button.setEnabled(False)
            self.message.setText(self.tr("Stopping…"))
            self.cancel_requested.emit()

    @Slot()
    def _poll(self) -> None:
        if self._progress is None:
            return
        done, total, message = self._progress.snapshot()
        if total:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
            self.bar.setFormat(f"{format_number(done)} / {format_number(total)}")
        if message and self.cancel_button.isEnabled():
            self.message.setText(message)


def run_in_strip(owner: QWidget, ctx: AppContext, strip: ProgressStrip, fn: Callable[[Services, Progress], T], *,
                 write: bool, success: Callable[[T], None], failure: Callable[[CrmError], None],
                 settled: Callable[[object], None] | None = None) -> None:
    """Run ``fn`` on the writer lane (``write``) or the reader lane, its progress and Cancel in ``strip``.

    ``settled`` sees the value or the exception first, even when ``owner`` was closed meanwhile (the
    import broadcasts what it wrote there); ``success``/``failure`` run only while ``owner`` is alive.
    Errors that are not ``CrmError`` are bugs and go to ``show_error``.
    """
    progress = strip.start()
    services = ctx.runner.services

    def done(value: Any) -> None:
        if settled is not None:
            settled(value)
        if shiboken6.isValid(owner):
            strip.finish()
            success(value)

    def failed(exc: BaseException) -> None:
        if settled is not None:
            settled(exc)
        alive = shiboken6.isValid(owner)
        if alive:
            strip.finish()
        if isinstance(exc, CrmError):
            if alive:
                failure(exc)
        else:
            show_error(owner if alive else None, exc)

    ctx.runner.submit(lambda: fn(services, progress), write=write, success=done, failure=failed)
