"""Callbacks of background work may land after their widget was closed and deleted (sign-out, a closed dialog)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject

F = TypeVar("F", bound=Callable[..., Any])


def while_alive(method: F) -> F:
    """Run a widget's callback only while its C++ object still exists."""

    @wraps(method)
    def call(self: QObject, *args: Any) -> Any:
        if not shiboken6.isValid(self):
            return None
        return method(self, *args)

    return call  # type: ignore[return-value]
