"""A progress dialog that appears only when work takes a while, polls a thread-safe Progress, and cancels."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QProgressDialog, QWidget

from crm_desktop.persian import format_number
from crm_desktop.progress import CancellableProgress

SHOW_AFTER_MS = 600  # as Anki: quick work never flashes a dialog
POLL_MS = 100


class DelayedProgressDialog(QObject):
    def __init__(self, parent: QWidget, label: str, progress: CancellableProgress) -> None:
        super().__init__(parent)
        self._progress = progress
        self._dialog = QProgressDialog(label, self.tr("Cancel"), 0, 0, parent)
        self._dialog.setObjectName("progressDialog")
        self._dialog.setMinimumDuration(SHOW_AFTER_MS)
        self._dialog.setAutoClose(False)
        self._dialog.setAutoReset(False)
        self._dialog.canceled.connect(progress.cancel)
        self._label = label
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)
        self._finished = False

    def start(self) -> None:
        if not self._finished:
            self._timer.start()

    def _poll(self) -> None:
        done, total, message = self._progress.snapshot()
        if total:
            self._dialog.setMaximum(total)
            self._dialog.setValue(min(done, total))
            text = message or self._label
            self._dialog.setLabelText(f"{text}: {format_number(done)} / {format_number(total)}")
        else:
            self._dialog.setValue(0)

    def finish(self) -> None:
        self._finished = True
        self._timer.stop()
        self._dialog.reset()
        self._dialog.hide()
        self._dialog.deleteLater()
        self.deleteLater()
