"""The top bar of the duplicates screen: branch, minimum score, "Find duplicates", and the scan's progress."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QProgressBar, QPushButton, QSpinBox, QWidget

from crm_desktop.persian import format_number, to_persian_digits
from crm_desktop.progress import CancellableProgress
from crm_desktop.services.duplicates import DEFAULT_MIN_SCORE
from crm_desktop.views.context import AppContext
from crm_desktop.views.widgets.branch_items import load_branch_items

POLL_MS = 100


class ScanBar(QWidget):
    """Signals:
        scan_requested(): the user pressed "Find duplicates".
    """

    scan_requested = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._branches_loaded = False
        self._progress: CancellableProgress | None = None
        self.branch = QComboBox()
        self.branch.setObjectName("duplicatesBranch")
        self.branch.setAccessibleName(self.tr("Branch"))
        if ctx.actor.sees_all_branches:
            self.branch.addItem(self.tr("All branches"), None)
        else:
            self.branch.addItem(to_persian_digits(ctx.actor.branch_code), None)
            self.branch.setEnabled(False)
        self.min_score = QSpinBox()
        self.min_score.setObjectName("duplicatesMinScore")
        self.min_score.setAccessibleName(self.tr("Minimum score"))
        self.min_score.setRange(0, 100)
        self.min_score.setValue(DEFAULT_MIN_SCORE)
        self.find_button = QPushButton(self.tr("Find duplicates"))
        self.find_button.setObjectName("findDuplicates")
        self.find_button.setProperty("primary", True)
        self.progress_bar = QProgressBar()
        self.progress_bar.setObjectName("duplicatesProgress")
        self.progress_bar.setTextVisible(True)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setObjectName("cancelScan")
        self.status = QLabel()
        self.status.setObjectName("duplicatesStatus")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(self.tr("Branch")))
        layout.addWidget(self.branch)
        layout.addWidget(QLabel(self.tr("Minimum score")))
        layout.addWidget(self.min_score)
        layout.addWidget(self.find_button)
        layout.addWidget(self.progress_bar, 1)
        layout.addWidget(self.cancel_button)
        layout.addWidget(self.status, 1)
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)
        self.find_button.clicked.connect(self.scan_requested)
        self.cancel_button.clicked.connect(self.cancel)
        self._show_running(False)

    def load_branches(self) -> None:
        """Those who see every branch choose one (once, off the UI thread)."""
        if self.ctx.actor.sees_all_branches and not self._branches_loaded:
            self._branches_loaded = True
            load_branch_items(self, self.ctx, self.branch, lambda branch: branch.code)

    @property
    def branch_code(self) -> str | None:
        """None: the whole scope of the actor (every branch for an administrator, else their own)."""
        data = self.branch.currentData()
        return data if isinstance(data, str) else None

    @property
    def running(self) -> bool:
        return self._progress is not None

    def start(self) -> CancellableProgress:
        """A scan began: show its progress and Cancel; the scan reports into the returned object."""
        self._progress = CancellableProgress()
        self.progress_bar.setRange(0, 0)  # busy until the first report
        self.status.clear()
        self._show_running(True)
        self._timer.start()
        return self._progress

    def finish(self, status: str = "") -> None:
        self._timer.stop()
        self._progress = None
        self._show_running(False)
        self.status.setText(status)

    @Slot()
    def cancel(self) -> None:
        if self._progress is not None:
            self._progress.cancel()
            self.cancel_button.setEnabled(False)

    def _show_running(self, running: bool) -> None:
        self.progress_bar.setVisible(running)
        self.cancel_button.setVisible(running)
        self.cancel_button.setEnabled(running)
        self.status.setVisible(not running)
        self.find_button.setEnabled(not running)
        self.branch.setEnabled(not running and self.ctx.actor.sees_all_branches)
        self.min_score.setEnabled(not running)

    @Slot()
    def _poll(self) -> None:
        if self._progress is None:
            return
        done, total, _message = self._progress.snapshot()
        if total:
            self.progress_bar.setRange(0, total)
            self.progress_bar.setValue(min(done, total))
            self.progress_bar.setFormat(f"{format_number(done)} / {format_number(total)}")
