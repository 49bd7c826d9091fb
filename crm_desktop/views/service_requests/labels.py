"""Persian names of a request's vocabulary (the enums' and state machine's own labels) and its number."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from crm_desktop.models.enums import Priority, RequestCategory
from crm_desktop.persian import to_persian_digits
from crm_desktop.services.request_states import STATUS_LABELS, TRANSITION_LABELS, RequestStatus, Transition

_LTR_ISOLATE, _POP_ISOLATE = "\u2066", "\u2069"


def _label(labels: Mapping[Any, str], kind: type, value: str | None) -> str:
    if value is None:
        return ""
    try:
        return str(labels[kind(value)])
    except (ValueError, KeyError):
        return value


def status_label(value: str | None) -> str:
    return _label(STATUS_LABELS, RequestStatus, value)


def transition_label(value: str | None) -> str:
    return _label(TRANSITION_LABELS, Transition, value)


def category_label(value: str | None) -> str:
    try:
        return RequestCategory(value).label if value is not None else ""
    except ValueError:
        return value or ""


def priority_label(value: str | None) -> str:
    try:
        return Priority(value).label if value is not None else ""
    except ValueError:
        return value or ""


def request_number(number: str) -> str:
    """«۱۰۲۱-A1B2C3-۰۰۰۰۴۲» kept left to right as one unit inside right-to-left text."""
    return f"{_LTR_ISOLATE}{to_persian_digits(number)}{_POP_ISOLATE}"


def directed(widget: QWidget, text: str) -> str:
    """A label aligns by its text's first strong letter; dates and dashes have none, so lead with the page's."""
    mark = "\u200f" if widget.layoutDirection() == Qt.LayoutDirection.RightToLeft else "\u200e"
    return mark + text
