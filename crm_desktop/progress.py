"""Progress reporting for long work, shared by services, reports and sync (no Qt).

A long task calls ``progress.update(done, total)`` now and then and
``progress.check()`` between steps; ``check`` raises ``Cancelled`` once the
user asked to stop. The views pass a thread-safe implementation.
"""

from __future__ import annotations

import threading
from typing import Protocol

from crm_desktop.errors import Cancelled


class Progress(Protocol):
    def update(self, done: int, total: int | None = None, message: str = "") -> None: ...

    def check(self) -> None: ...


class NullProgress:
    """Reports nowhere and never cancels."""

    def update(self, done: int, total: int | None = None, message: str = "") -> None:
        return None

    def check(self) -> None:
        return None


class CancellableProgress:
    """Thread-safe progress: a worker updates it, another thread reads or cancels it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cancelled = threading.Event()
        self.done = 0
        self.total: int | None = None
        self.message = ""

    def update(self, done: int, total: int | None = None, message: str = "") -> None:
        with self._lock:
            self.done, self.total = done, total
            if message:
                self.message = message

    def check(self) -> None:
        if self._cancelled.is_set():
            raise Cancelled()

    def cancel(self) -> None:
        self._cancelled.set()

    def snapshot(self) -> tuple[int, int | None, str]:
        with self._lock:
            return self.done, self.total, self.message
