"""The sync part of the status bar: last successful sync, conflicts and parked changes, the loop's error.

Never modal and never silent (design note §9): "Synced 1405/09/02 10:05 · 1 conflict · Sync failed".
The count of changes not yet synced stays in the main window's own label beside it.
"""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from crm_desktop.persian import format_jalali_datetime, format_number
from crm_desktop.services.sync_state import SyncStatus
from crm_desktop.views.sync.state import LoopState, Phase


class SyncStatusWidget(QWidget):
    """Signals:
        conflicts_clicked(): the clerk clicked the open-conflicts count (the conflict inbox opens there).
        parked_clicked(): the clerk clicked the count of changes the server refused ("couldn't save").
    """

    conflicts_clicked = Signal()
    parked_clicked = Signal()

    def __init__(self, sync_action: QAction, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncStatus")
        self.status: SyncStatus | None = None
        self.loop = LoopState()
        self.sync_button = QToolButton()
        self.sync_button.setObjectName("syncNowButton")
        self.sync_button.setDefaultAction(sync_action)
        self.sync_button.setAutoRaise(True)
        self.last_label = QLabel()
        self.last_label.setObjectName("syncLast")
        self.state_label = QLabel()
        self.state_label.setObjectName("syncState")
        self.conflicts_button = self._count_button("syncConflicts")
        self.parked_button = self._count_button("syncParked")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        for widget in (self.last_label, self.conflicts_button, self.parked_button, self.state_label,
                       self.sync_button):
            layout.addWidget(widget)
        self.conflicts_button.clicked.connect(self.conflicts_clicked)
        self.parked_button.clicked.connect(self.parked_clicked)
        self._redraw()

    def _count_button(self, name: str) -> QToolButton:
        button = QToolButton()
        button.setObjectName(name)
        button.setAutoRaise(True)
        button.hide()
        return button

    # -- feeding ------------------------------------------------------------------------------
    def show_status(self, status: SyncStatus) -> None:
        """The figures read from the database (after each round, each local write, and every 30 s)."""
        self.status = status
        self._redraw()

    @Slot(object)
    def show_loop(self, state: LoopState) -> None:
        self.loop = state
        self._redraw()

    # -- drawing ------------------------------------------------------------------------------
    def _redraw(self) -> None:
        status = self.status
        registered = status is not None and status.registered
        self.sync_button.setVisible(registered)
        if status is None:
            self.last_label.clear()
        elif not registered:
            self.last_label.setText(self.tr("Not connected to a sync server"))
            self.last_label.setToolTip(self.tr("This desk works on its own; the administrator can register it "
                                               "with the central server."))
        else:
            self.last_label.setText(self.tr("Last sync: {0}").format(format_jalali_datetime(status.last_sync))
                                    if status.last_sync else self.tr("Not synced yet"))
            self.last_label.setToolTip(status.server_url)
        conflicts = status.open_conflicts if registered and status else 0
        parked = status.rejected if registered and status else 0
        self.conflicts_button.setVisible(conflicts > 0)
        self.conflicts_button.setText(self.tr("Conflicts: {0}").format(format_number(conflicts)))
        self.conflicts_button.setToolTip(self.tr("Changes made here and elsewhere at once; review them."))
        self.parked_button.setVisible(parked > 0)
        self.parked_button.setText(self.tr("Couldn't save: {0}").format(format_number(parked)))
        self.parked_button.setToolTip(self.tr("Changes the server refused; fix or discard them."))
        self._draw_loop(registered)

    def _draw_loop(self, registered: bool) -> None:
        loop, label = self.loop, self.state_label
        label.setProperty("role", "muted")
        if not registered or loop.phase in (Phase.IDLE, Phase.STOPPED):
            label.hide()
            label.setToolTip("")
        elif loop.phase is Phase.SYNCING:
            label.setText(self.tr("Syncing…"))
            label.setToolTip("")
            label.show()
        else:
            label.setProperty("role", "error")
            label.setText(self.tr("Sync failed") if loop.phase is Phase.RETRYING else self.tr("Sync stopped"))
            tip = loop.error
            if loop.phase is Phase.RETRYING and loop.retry_in_s is not None:
                tip += "\n" + self.tr("Trying again in {0} seconds.").format(format_number(round(loop.retry_in_s)))
            else:
                tip += "\n" + self.tr("Press “Sync now” (F9) to try again.")
            label.setToolTip(tip)
            label.show()
        label.style().unpolish(label)
        label.style().polish(label)
