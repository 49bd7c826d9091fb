"""Typed service errors, each with a stable code and a Persian message."""

from __future__ import annotations

from collections.abc import Mapping

from crm_desktop.errors import CrmError
from crm_desktop.persian import ValidationError
from crm_desktop.services.request_states import InvalidTransition


class InvalidInput(ValidationError):
    """Several fields are wrong at once; ``errors`` maps each field to its Persian message."""

    code = "invalid_input"

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        first_field = next(iter(self.errors), None)
        super().__init__("؛ ".join(self.errors.values()) or "ورودی نامعتبر است.", field=first_field)
        self.code = "invalid_input"


class PermissionDenied(CrmError):
    code = "permission_denied"


class NotFound(CrmError):
    code = "not_found"


class DuplicateCustomer(CrmError):
    """A customer with the same national ID (or company ID) already exists."""

    code = "duplicate_customer"

    def __init__(self, message: str, *, existing_id: str, field: str) -> None:
        super().__init__(message, field=field)
        self.existing_id = existing_id


class Conflict(CrmError):
    """The record changed since the user opened it."""

    code = "conflict"


class AuthenticationFailed(CrmError):
    code = "authentication_failed"


class AccountLocked(CrmError):
    code = "account_locked"

    def __init__(self, message: str, *, seconds_left: int) -> None:
        super().__init__(message)
        self.seconds_left = seconds_left


__all__ = [
    "AccountLocked",
    "AuthenticationFailed",
    "Conflict",
    "CrmError",
    "DuplicateCustomer",
    "InvalidInput",
    "InvalidTransition",
    "NotFound",
    "PermissionDenied",
    "ValidationError",
]
