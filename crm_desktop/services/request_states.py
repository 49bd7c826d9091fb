"""The service-request state machine, as a plain table.

A request moves between statuses only through named transitions; the table
``TRANSITIONS`` is the single source of truth.  Everything here is pure: no
database, no Qt, no clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from crm_desktop.errors import CrmError


class RequestStatus(StrEnum):
    """Where a service request stands."""

    NEW = "new"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    WAITING_CUSTOMER = "waiting_customer"
    RESOLVED = "resolved"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class Transition(StrEnum):
    """An action that moves a request from one status to another."""

    ASSIGN = "assign"
    START = "start"
    WAIT_CUSTOMER = "wait_customer"
    RESUME = "resume"
    RESOLVE = "resolve"
    CLOSE = "close"
    CANCEL = "cancel"
    REOPEN = "reopen"


STATUS_LABELS: Final[dict[RequestStatus, str]] = {
    RequestStatus.NEW: "جدید",
    RequestStatus.ASSIGNED: "ارجاع‌شده",
    RequestStatus.IN_PROGRESS: "در حال رسیدگی",
    RequestStatus.WAITING_CUSTOMER: "در انتظار مشتری",
    RequestStatus.RESOLVED: "حل‌شده",
    RequestStatus.CLOSED: "بسته‌شده",
    RequestStatus.CANCELLED: "لغوشده",
}

TRANSITION_LABELS: Final[dict[Transition, str]] = {
    Transition.ASSIGN: "ارجاع",
    Transition.START: "شروع رسیدگی",
    Transition.WAIT_CUSTOMER: "در انتظار مشتری",
    Transition.RESUME: "ادامه رسیدگی",
    Transition.RESOLVE: "حل درخواست",
    Transition.CLOSE: "بستن",
    Transition.CANCEL: "لغو",
    Transition.REOPEN: "بازگشایی",
}

_S = RequestStatus
_T = Transition

TRANSITIONS: Final[Mapping[tuple[RequestStatus, Transition], RequestStatus]] = MappingProxyType(
    {
        (_S.NEW, _T.ASSIGN): _S.ASSIGNED,
        (_S.ASSIGNED, _T.ASSIGN): _S.ASSIGNED,  # reassign
        (_S.IN_PROGRESS, _T.ASSIGN): _S.IN_PROGRESS,  # reassign, work goes on
        (_S.ASSIGNED, _T.START): _S.IN_PROGRESS,
        (_S.IN_PROGRESS, _T.WAIT_CUSTOMER): _S.WAITING_CUSTOMER,
        (_S.WAITING_CUSTOMER, _T.RESUME): _S.IN_PROGRESS,
        (_S.IN_PROGRESS, _T.RESOLVE): _S.RESOLVED,
        (_S.WAITING_CUSTOMER, _T.RESOLVE): _S.RESOLVED,
        (_S.RESOLVED, _T.CLOSE): _S.CLOSED,
        (_S.RESOLVED, _T.REOPEN): _S.IN_PROGRESS,
        (_S.NEW, _T.CANCEL): _S.CANCELLED,  # cancel before work starts
        (_S.ASSIGNED, _T.CANCEL): _S.CANCELLED,
    }
)
"""Allowed ``(current, transition) -> next`` moves; anything else is invalid."""

OPEN_STATUSES: Final[frozenset[RequestStatus]] = frozenset(
    {_S.NEW, _S.ASSIGNED, _S.IN_PROGRESS, _S.WAITING_CUSTOMER}
)
# Open and being worked on by the branch: the deadline runs (it is paused while waiting for the customer).
WORKING_STATUSES: Final[tuple[RequestStatus, ...]] = (_S.NEW, _S.ASSIGNED, _S.IN_PROGRESS)
FINAL_STATUSES: Final[frozenset[RequestStatus]] = frozenset({_S.CLOSED, _S.CANCELLED})
PAUSED_STATUSES: Final[frozenset[RequestStatus]] = frozenset({_S.WAITING_CUSTOMER})
"""Statuses in which the SLA clock is stopped."""

# Transitions per status, in the declaration order of ``Transition`` (workflow order).
_ALLOWED: Final[dict[RequestStatus, tuple[Transition, ...]]] = {
    status: tuple(t for t in Transition if (status, t) in TRANSITIONS) for status in RequestStatus
}


class InvalidTransition(CrmError):
    """A transition that the state machine does not allow from the current status."""

    code = "invalid_transition"

    def __init__(self, current: RequestStatus, transition: Transition) -> None:
        self.current = current
        self.transition = transition
        super().__init__(
            f"عملیات «{TRANSITION_LABELS[transition]}» برای درخواستی با وضعیت "
            f"«{STATUS_LABELS[current]}» مجاز نیست."
        )


def next_status(current: RequestStatus, transition: Transition) -> RequestStatus:
    """Return the status after ``transition``; raise ``InvalidTransition`` if not allowed."""
    try:
        return TRANSITIONS[(current, transition)]
    except KeyError:
        raise InvalidTransition(current, transition) from None


def can_transition(current: RequestStatus, transition: Transition) -> bool:
    """Whether ``transition`` is allowed from ``current``."""
    return (current, transition) in TRANSITIONS


def allowed_transitions(current: RequestStatus) -> tuple[Transition, ...]:
    """The transitions allowed from ``current``, in workflow order (empty when final)."""
    return _ALLOWED[current]


def is_open(status: RequestStatus) -> bool:
    """Whether a request in ``status`` still needs work."""
    return status in OPEN_STATUSES
