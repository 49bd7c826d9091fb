"""Facts about the installed Qt binding that the app relies on."""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer


def test_event_loop_calls_do_not_leak_references_to_none(qapp):
    """PySide6 6.12.0 dropped a reference to None on each call; on Python 3.11 the process then aborts."""

    def spin() -> None:
        QCoreApplication.processEvents()
        loop = QEventLoop()
        QTimer.singleShot(0, loop.quit)
        loop.exec()

    spin()
    before = sys.getrefcount(None)
    for _ in range(200):
        spin()
    assert abs(sys.getrefcount(None) - before) < 50
