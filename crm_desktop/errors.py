"""Errors every layer can raise: a stable code, a Persian message, an optional field.

The message is what a person reads (Persian, ready to show); the code is what
programs and tests compare. ``Cancelled`` is the quiet error of work a user stopped.
"""

from __future__ import annotations


class CrmError(Exception):
    """An expected failure with a Persian message for the user."""

    code: str = "error"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if code is not None:
            self.code = code

    def __str__(self) -> str:
        return self.message


class Cancelled(CrmError):
    """The user cancelled a long task; shown to nobody."""

    code = "cancelled"

    def __init__(self, message: str = "عملیات لغو شد.") -> None:
        super().__init__(message)
