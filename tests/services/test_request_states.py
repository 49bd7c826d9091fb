"""Tests for the service-request state machine."""

from __future__ import annotations

import itertools
import re

import pytest

from crm_desktop.errors import CrmError
from crm_desktop.services.request_states import (
    FINAL_STATUSES,
    OPEN_STATUSES,
    PAUSED_STATUSES,
    STATUS_LABELS,
    TRANSITION_LABELS,
    TRANSITIONS,
    InvalidTransition,
    RequestStatus,
    Transition,
    allowed_transitions,
    can_transition,
    is_open,
    next_status,
)

S = RequestStatus
T = Transition

# The spec, written out independently of the module's table.
EXPECTED: dict[tuple[RequestStatus, Transition], RequestStatus] = {
    (S.NEW, T.ASSIGN): S.ASSIGNED,
    (S.ASSIGNED, T.ASSIGN): S.ASSIGNED,
    (S.IN_PROGRESS, T.ASSIGN): S.IN_PROGRESS,
    (S.ASSIGNED, T.START): S.IN_PROGRESS,
    (S.IN_PROGRESS, T.WAIT_CUSTOMER): S.WAITING_CUSTOMER,
    (S.WAITING_CUSTOMER, T.RESUME): S.IN_PROGRESS,
    (S.IN_PROGRESS, T.RESOLVE): S.RESOLVED,
    (S.WAITING_CUSTOMER, T.RESOLVE): S.RESOLVED,
    (S.RESOLVED, T.CLOSE): S.CLOSED,
    (S.RESOLVED, T.REOPEN): S.IN_PROGRESS,
    (S.NEW, T.CANCEL): S.CANCELLED,
    (S.ASSIGNED, T.CANCEL): S.CANCELLED,
}

ALL_PAIRS = list(itertools.product(RequestStatus, Transition))


def test_values_are_lower_snake_strings() -> None:
    assert [s.value for s in RequestStatus] == [
        "new",
        "assigned",
        "in_progress",
        "waiting_customer",
        "resolved",
        "closed",
        "cancelled",
    ]
    assert [t.value for t in Transition] == [
        "assign",
        "start",
        "wait_customer",
        "resume",
        "resolve",
        "close",
        "cancel",
        "reopen",
    ]
    assert RequestStatus("in_progress") is S.IN_PROGRESS
    assert isinstance(S.WAITING_CUSTOMER, str) and str(S.WAITING_CUSTOMER) == "waiting_customer"


def test_table_matches_spec() -> None:
    assert dict(TRANSITIONS) == EXPECTED


def test_table_is_read_only() -> None:
    with pytest.raises(TypeError):
        TRANSITIONS[(S.CLOSED, T.REOPEN)] = S.IN_PROGRESS  # type: ignore[index]


@pytest.mark.parametrize(("current", "transition"), ALL_PAIRS)
def test_every_pair_is_allowed_or_raises(current: RequestStatus, transition: Transition) -> None:
    if (current, transition) in EXPECTED:
        assert next_status(current, transition) is EXPECTED[(current, transition)]
        assert can_transition(current, transition)
        assert transition in allowed_transitions(current)
    else:
        with pytest.raises(InvalidTransition) as info:
            next_status(current, transition)
        err = info.value
        assert err.code == "invalid_transition"
        assert err.current is current and err.transition is transition
        assert f"«{STATUS_LABELS[current]}»" in err.message
        assert f"«{TRANSITION_LABELS[transition]}»" in err.message
        assert not can_transition(current, transition)
        assert transition not in allowed_transitions(current)


def test_invalid_transition_message_and_type() -> None:
    with pytest.raises(CrmError) as info:
        next_status(S.CLOSED, T.REOPEN)
    assert isinstance(info.value, InvalidTransition)
    assert str(info.value) == "عملیات «بازگشایی» برای درخواستی با وضعیت «بسته‌شده» مجاز نیست."
    assert info.value.field is None


@pytest.mark.parametrize("status", sorted(FINAL_STATUSES))
def test_final_statuses_allow_nothing(status: RequestStatus) -> None:
    assert allowed_transitions(status) == ()
    for transition in Transition:
        with pytest.raises(InvalidTransition):
            next_status(status, transition)


def test_allowed_transitions_order() -> None:
    assert allowed_transitions(S.NEW) == (T.ASSIGN, T.CANCEL)
    assert allowed_transitions(S.ASSIGNED) == (T.ASSIGN, T.START, T.CANCEL)
    assert allowed_transitions(S.IN_PROGRESS) == (T.ASSIGN, T.WAIT_CUSTOMER, T.RESOLVE)
    assert allowed_transitions(S.WAITING_CUSTOMER) == (T.RESUME, T.RESOLVE)
    assert allowed_transitions(S.RESOLVED) == (T.CLOSE, T.REOPEN)


def test_status_sets() -> None:
    assert OPEN_STATUSES == {S.NEW, S.ASSIGNED, S.IN_PROGRESS, S.WAITING_CUSTOMER}
    assert FINAL_STATUSES == {S.CLOSED, S.CANCELLED}
    assert PAUSED_STATUSES == {S.WAITING_CUSTOMER}
    assert PAUSED_STATUSES <= OPEN_STATUSES
    assert not OPEN_STATUSES & FINAL_STATUSES
    # resolved is neither open nor final: it waits for close or reopen
    assert set(RequestStatus) - OPEN_STATUSES - FINAL_STATUSES == {S.RESOLVED}
    assert [s for s in RequestStatus if is_open(s)] == [
        S.NEW,
        S.ASSIGNED,
        S.IN_PROGRESS,
        S.WAITING_CUSTOMER,
    ]


def _reachable(start: RequestStatus) -> set[RequestStatus]:
    seen, todo = {start}, [start]
    while todo:
        status = todo.pop()
        for transition in allowed_transitions(status):
            target = next_status(status, transition)
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def test_every_status_reachable_and_every_status_can_finish() -> None:
    assert _reachable(S.NEW) == set(RequestStatus)
    for status in RequestStatus:
        assert _reachable(status) & FINAL_STATUSES


def test_labels_complete_and_persian() -> None:
    assert set(STATUS_LABELS) == set(RequestStatus)
    assert set(TRANSITION_LABELS) == set(Transition)
    assert STATUS_LABELS[S.ASSIGNED] == "ارجاع\u200cشده"
    assert STATUS_LABELS[S.CLOSED] == "بسته\u200cشده"
    assert STATUS_LABELS[S.CANCELLED] == "لغوشده"
    for label in [*STATUS_LABELS.values(), *TRANSITION_LABELS.values()]:
        assert label.strip() == label and label
        assert not re.search("[يك]", label), f"Arabic yeh/kaf in {label!r}"
        assert re.fullmatch("[\u0600-\u06ff\u200c ]+", label), label
    for current, transition in ALL_PAIRS:
        if not can_transition(current, transition):
            message = InvalidTransition(current, transition).message
            assert not re.search("[يك]", message)
