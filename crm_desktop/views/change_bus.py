"""One broadcaster of what each write changed, so that every screen redraws only what it shows."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from crm_desktop.services.changes import Changes


class ChangeBus(QObject):
    """Signals: changed(Changes): emitted on the UI thread after each successful write."""

    changed = Signal(object)

    def publish(self, changes: Changes) -> None:
        if changes != Changes():
            self.changed.emit(changes)
