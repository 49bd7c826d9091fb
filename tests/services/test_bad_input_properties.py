"""Property: whatever garbage reaches a write service, it answers with a CrmError and writes nothing.

Each test builds the world once and lets Hypothesis throw inputs at one service. Inputs start from a valid
call, get random junk on any subset of arguments, and then have at least one "breaker" applied that makes
the call invalid whatever the rest is, so success is never a legitimate outcome. The database is compared
as a full SQL dump (``iterdump``) before and after every call.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import fields
from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crm_desktop.errors import CrmError
from crm_desktop.models.enums import (
    Channel,
    CustomerKind,
    Direction,
    KycStatus,
    LifecycleStage,
    Priority,
    RequestCategory,
    Role,
    Segment,
)
from crm_desktop.models.enums import Outcome as InteractionOutcome
from crm_desktop.persian import ValidationError, make_national_id, parse_jalali_date
from crm_desktop.services.interactions import InteractionInput
from crm_desktop.services.records import CustomerInput
from crm_desktop.services.request_states import Transition
from crm_desktop.services.service_requests import RequestInput
from crm_desktop.services.users import USERNAME_RE

PASSWORD = "Branch2026pass"  # the password tests/conftest.py gives every user
SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

JUNK = st.one_of(
    st.none(),
    st.just(""),
    st.just("   "),
    st.text(max_size=20),
    st.integers(),
    st.booleans(),
    st.floats(),
    st.dictionaries(st.text(max_size=4), st.integers() | st.text(max_size=4), max_size=3),
    st.lists(st.integers(), max_size=3),
    st.binary(max_size=4),
    st.dates(),
    st.datetimes(),
)


def outside(values) -> st.SearchStrategy:
    """Junk that is not one of the valid text ``values``."""
    allowed = {str(v) for v in values}
    return JUNK.filter(lambda x: not (isinstance(x, str) and x in allowed))


def non_text(*, allow_none: bool = False) -> st.SearchStrategy:
    return JUNK.filter(lambda x: not isinstance(x, str) and (allow_none or x is not None))


def truthy_unknown_id(known: set[str]) -> st.SearchStrategy:
    return JUNK.filter(lambda x: bool(x) and not (isinstance(x, str) and x in known))


def sprinkle(names) -> st.SearchStrategy[dict]:
    """Junk for a few of ``names`` (few, so that the breaker is often the only thing wrong)."""
    return st.lists(st.sampled_from(list(names)), max_size=3, unique=True).flatmap(
        lambda keys: st.fixed_dictionaries({k: JUNK for k in keys}))


def dump(path) -> str:
    with closing(sqlite3.connect(path)) as conn:
        return "\n".join(conn.iterdump())


_BASELINE: dict[str, str] = {}


def refused_and_unchanged(world, call) -> None:
    # The dump before the first example of a test is the dump before every example: had one changed
    # the database, its own comparison would already have failed.
    key = str(world.db.path)
    before = _BASELINE.get(key)
    if before is None:
        before = _BASELINE[key] = dump(world.db.path)
    with pytest.raises(CrmError):
        call()
    assert dump(world.db.path) == before


def weak_password() -> st.SearchStrategy:
    def weak(p: object) -> bool:
        return (not isinstance(p, str) or len(p) < 10 or len(p) > 256 or not any(c.isalpha() for c in p)
                or not any(c.isdigit() for c in p))

    return st.one_of(JUNK, st.text(max_size=300)).filter(weak)


@pytest.fixture
def setup(world) -> dict:
    """Two customers, an interaction, requests in three states and a holiday."""
    svc = world.services
    a = svc.customers.create(world.clerk, CustomerInput(first_name="علی", last_name="کریمی",
                                                        national_id=make_national_id("001234567"),
                                                        mobile="09121234567")).value
    b = svc.customers.create(world.clerk, CustomerInput(first_name="حسن", last_name="احمدی",
                                                        national_id=make_national_id("002345678"))).value
    note = svc.interactions.log(world.clerk, InteractionInput(a.id, "phone", "inbound", "تماس")).value
    r_new = svc.requests.open(world.clerk, RequestInput(a.id, "complaint", "high", "تازه")).value
    r_prog = svc.requests.open(world.clerk, RequestInput(a.id, "inquiry", "normal", "در کار",
                                                         assignee_id=world.clerk.user_id)).value
    svc.requests.transition(world.clerk, r_prog.id, "start")
    r_res = svc.requests.open(world.clerk, RequestInput(a.id, "request", "low", "حل‌شده",
                                                        assignee_id=world.clerk.user_id)).value
    svc.requests.transition(world.clerk, r_res.id, "start")
    svc.requests.transition(world.clerk, r_res.id, "resolve", resolution="انجام شد")
    svc.calendar.add_holiday(world.admin, date(2026, 12, 1), "تعطیل")
    return {"a": a, "b": b, "note": note, "new": r_new.id, "prog": r_prog.id, "res": r_res.id,
            "known": {a.id, b.id, note.id, r_new.id, r_prog.id, r_res.id, world.branch_id,
                      world.other_branch_id}}


ROLES = ["admin", "manager", "clerk", "clerk2", "other_clerk", "auditor"]


# -- customers --------------------------------------------------------------------------------------

CUSTOMER_FIELDS = [f.name for f in fields(CustomerInput)]


def bad_customer(setup) -> st.SearchStrategy[CustomerInput]:
    taken = setup["b"].national_id
    future = st.dates(min_value=date(2026, 11, 24))
    future_moment = st.datetimes(min_value=datetime(2026, 11, 24))
    breakers = st.one_of(
        st.fixed_dictionaries({"kind": outside(CustomerKind)}),
        st.fixed_dictionaries({"segment": outside(Segment)}),
        st.fixed_dictionaries({"lifecycle_stage": outside(LifecycleStage)}),
        st.fixed_dictionaries({"kyc_status": outside(KycStatus)}),
        st.fixed_dictionaries({"marketing_consent": JUNK.filter(lambda x: not isinstance(x, bool))}),
        st.fixed_dictionaries({"email": st.from_regex(r"[a-z0-9.]{1,12}", fullmatch=True) | non_text()}),
        st.fixed_dictionaries({"mobile": st.from_regex(r"[0-9]{1,7}", fullmatch=True) | non_text()}),
        st.fixed_dictionaries({"postal_code": st.from_regex(r"[0-9]{1,9}", fullmatch=True) | non_text()}),
        st.fixed_dictionaries({"birth_date": future | future_moment | st.from_regex(r"[a-z]{1,8}", fullmatch=True)}),
        st.fixed_dictionaries({"kyc_date": future | future_moment}),
        st.fixed_dictionaries({"kind": st.just("individual"), "national_id": st.just(taken)}),
        st.fixed_dictionaries({"kind": st.just("individual"),
                               "national_id": st.from_regex(r"[0-9]{1,7}", fullmatch=True) | non_text()}),
        st.fixed_dictionaries({"kind": st.just("individual"), "last_name": st.sampled_from([None, "", "  "])}),
        st.fixed_dictionaries({"kind": st.just("corporate"), "company_name": st.sampled_from([None, "", " "])}),
        st.fixed_dictionaries({"branch_id": truthy_unknown_id(setup["known"])}),
    )

    @st.composite
    def build(draw) -> CustomerInput:
        values = {"first_name": "رضا", "last_name": "رضایی", "national_id": make_national_id("003456789")}
        values.update(draw(sprinkle(CUSTOMER_FIELDS)))
        values.update(draw(breakers))
        return CustomerInput(**values)

    return build()


@SETTINGS
@given(data=st.data())
def test_customers_create(world, setup, data) -> None:
    actor = getattr(world, data.draw(st.sampled_from(ROLES)))
    payload = data.draw(st.one_of(bad_customer(setup), JUNK))
    refused_and_unchanged(world, lambda: world.services.customers.create(actor, payload))


@SETTINGS
@given(data=st.data())
def test_customers_edit(world, setup, data) -> None:
    actor = getattr(world, data.draw(st.sampled_from(ROLES)))
    target = data.draw(st.one_of(st.just(setup["a"].id), JUNK))
    payload = data.draw(st.one_of(bad_customer(setup), JUNK))
    version = data.draw(st.one_of(st.none(), JUNK))
    refused_and_unchanged(
        world, lambda: world.services.customers.edit(actor, target, payload, expected_version=version))


def good_reason(x: object) -> bool:
    return isinstance(x, str) and 3 <= len(x.strip()) <= 500


@SETTINGS
@given(data=st.data())
def test_customers_delete(world, setup, data) -> None:
    actor = getattr(world, data.draw(st.sampled_from(ROLES)))
    a = setup["a"].id
    target, reason, version = data.draw(st.one_of(
        st.tuples(st.just(a), JUNK.filter(lambda x: not good_reason(x)), JUNK),
        st.tuples(JUNK.filter(lambda x: x not in (a, setup["b"].id)), JUNK, JUNK),
        st.tuples(st.just(a), st.just("دلیل معتبر"), JUNK.filter(lambda v: v is not None and v != 1)),
    ))
    refused_and_unchanged(
        world, lambda: world.services.customers.delete(actor, target, reason, expected_version=version))


# -- interactions ---------------------------------------------------------------------------------

INTERACTION_FIELDS = [f.name for f in fields(InteractionInput)]


def bad_interaction(world, setup) -> st.SearchStrategy[InteractionInput]:
    now = world.clock()
    breakers = st.one_of(
        st.fixed_dictionaries({"channel": outside(Channel)}),
        st.fixed_dictionaries({"direction": outside(Direction)}),
        st.fixed_dictionaries({"subject": st.sampled_from([None, "", "   ", "م" * 201]) | non_text()}),
        st.fixed_dictionaries({"notes": st.just("ن" * 4001) | non_text()}),
        st.fixed_dictionaries({"occurred_at": st.one_of(
            st.datetimes(min_value=datetime(2026, 11, 23, 6, 36), timezones=st.just(now.tzinfo)),
            st.datetimes(),  # naive
            JUNK.filter(lambda x: bool(x) and not isinstance(x, datetime)),
        )}),
        st.fixed_dictionaries({"duration_minutes": st.one_of(
            st.integers().filter(lambda n: not 0 <= n <= 1440),
            st.from_regex(r"[a-z]{1,6}", fullmatch=True),
            st.floats(), st.booleans(),
        )}),
        st.fixed_dictionaries({"outcome": outside(InteractionOutcome).filter(lambda x: x not in (None, ""))}),
        st.fixed_dictionaries({"follow_up_on": st.from_regex(r"[a-z]{1,6}", fullmatch=True) | st.integers()}),
        st.fixed_dictionaries({"customer_id": JUNK.filter(lambda x: x != setup["a"].id and x != setup["b"].id)}),
    )

    @st.composite
    def build(draw) -> InteractionInput:
        values = {"customer_id": setup["a"].id, "channel": "phone", "direction": "inbound", "subject": "موضوع"}
        values.update(draw(sprinkle(INTERACTION_FIELDS)))
        values.update(draw(breakers))
        return InteractionInput(**values)

    return build()


@SETTINGS
@given(data=st.data())
def test_interactions_log(world, setup, data) -> None:
    actor = getattr(world, data.draw(st.sampled_from(ROLES)))
    payload = data.draw(st.one_of(bad_interaction(world, setup), JUNK))
    refused_and_unchanged(world, lambda: world.services.interactions.log(actor, payload))


@SETTINGS
@given(data=st.data())
def test_interactions_edit(world, setup, data) -> None:
    actor = getattr(world, data.draw(st.sampled_from(ROLES)))
    target = data.draw(st.one_of(st.just(setup["note"].id), JUNK))
    payload = data.draw(st.one_of(bad_interaction(world, setup), JUNK))
    version = data.draw(st.one_of(st.none(), JUNK))
    refused_and_unchanged(
        world, lambda: world.services.interactions.edit(actor, target, payload, expected_version=version))


# -- service requests -------------------------------------------------------------------------------

REQUEST_FIELDS = [f.name for f in fields(RequestInput)]


def bad_request(world, setup) -> st.SearchStrategy[RequestInput]:
    breakers = st.one_of(
        st.fixed_dictionaries({"category": outside(RequestCategory)}),
        st.fixed_dictionaries({"priority": outside(Priority)}),
        st.fixed_dictionaries({"subject": st.sampled_from([None, "", "  ", "م" * 201]) | non_text()}),
        st.fixed_dictionaries({"description": st.just("ش" * 4001) | non_text()}),
        st.fixed_dictionaries({"customer_id": JUNK.filter(lambda x: x != setup["a"].id and x != setup["b"].id)}),
        st.fixed_dictionaries({"assignee_id": st.one_of(
            truthy_unknown_id(set()).filter(lambda x: not isinstance(x, str)),
            st.from_regex(r"[a-z]{1,10}", fullmatch=True),
            st.sampled_from([world.other_clerk.user_id, world.auditor.user_id]),
        )}),
    )

    @st.composite
    def build(draw) -> RequestInput:
        values = {"customer_id": setup["a"].id, "category": "complaint", "priority": "high", "subject": "موضوع"}
        values.update(draw(sprinkle(REQUEST_FIELDS)))
        values.update(draw(breakers))
        return RequestInput(**values)

    return build()


@SETTINGS
@given(data=st.data())
def test_requests_open(world, setup, data) -> None:
    actor = getattr(world, data.draw(st.sampled_from(ROLES)))
    payload = data.draw(st.one_of(bad_request(world, setup), JUNK))
    refused_and_unchanged(world, lambda: world.services.requests.open(actor, payload))


STEPS = [str(t) for t in Transition]


@SETTINGS
@given(data=st.data())
def test_requests_transition(world, setup, data) -> None:
    actor = getattr(world, data.draw(st.sampled_from(ROLES)))
    extras = sprinkle(("assignee_id", "note", "resolution", "satisfaction", "expected_version"))
    bad_assignee = st.one_of(JUNK.filter(lambda x: not isinstance(x, str)), st.just(""),
                             st.from_regex(r"[a-z]{1,10}", fullmatch=True),
                             st.sampled_from([world.other_clerk.user_id, world.auditor.user_id]))
    bad_resolution = st.one_of(st.sampled_from([None, "", "   ", "ش" * 4001]), non_text())
    bad_satisfaction = JUNK.filter(
        lambda s: s is not None and (isinstance(s, bool) or not isinstance(s, int) or not 1 <= s <= 5))
    target, step, forced = data.draw(st.one_of(
        st.tuples(st.sampled_from([setup["new"], setup["prog"], setup["res"]]), outside(STEPS), st.just({})),
        st.tuples(JUNK.filter(lambda x: x not in (setup["new"], setup["prog"], setup["res"])),
                  st.sampled_from(STEPS), st.just({})),
        st.tuples(st.just(setup["new"]),
                  st.sampled_from(["start", "wait_customer", "resume", "resolve", "close", "reopen"]), st.just({})),
        st.tuples(st.just(setup["prog"]), st.sampled_from(["start", "resume", "close", "cancel", "reopen"]),
                  st.just({})),
        st.tuples(st.just(setup["res"]),
                  st.sampled_from(["assign", "start", "wait_customer", "resume", "resolve", "cancel"]), st.just({})),
        st.tuples(st.just(setup["new"]), st.just("assign"), st.fixed_dictionaries({"assignee_id": bad_assignee})),
        st.tuples(st.just(setup["prog"]), st.just("resolve"),
                  st.fixed_dictionaries({"resolution": bad_resolution})),
        st.tuples(st.just(setup["res"]), st.just("close"),
                  st.fixed_dictionaries({"satisfaction": bad_satisfaction})),
        st.tuples(st.just(setup["new"]), st.just("cancel"), st.fixed_dictionaries({"note": non_text()})),
        st.tuples(st.just(setup["new"]), st.just("cancel"), st.fixed_dictionaries(
            {"expected_version": JUNK.filter(lambda v: v is not None and v != 1)})),
    ))
    kwargs = {**data.draw(extras), **forced}
    refused_and_unchanged(world, lambda: world.services.requests.transition(actor, target, step, **kwargs))


# -- calendar ---------------------------------------------------------------------------------------


def valid_hours(x: object) -> bool:
    return isinstance(x, int | float) and 0 < x <= 24 * 365


@SETTINGS
@given(data=st.data())
def test_calendar_set_policy(world, setup, data) -> None:
    actor = getattr(world, data.draw(st.sampled_from(ROLES)))
    args = {"category": "complaint", "priority": "high", "target_hours": 4, "first_response_hours": None}
    args.update(data.draw(sprinkle(args)))
    args.update(data.draw(st.one_of(
        st.fixed_dictionaries({"category": outside(RequestCategory)}),
        st.fixed_dictionaries({"priority": outside(Priority)}),
        st.fixed_dictionaries({"target_hours": JUNK.filter(lambda x: not valid_hours(x))}),
        st.fixed_dictionaries({"first_response_hours": JUNK.filter(lambda x: x is not None and not valid_hours(x))}),
    )))
    refused_and_unchanged(world, lambda: world.services.calendar.set_policy(actor, **args))


def unparseable_day(x: object) -> bool:
    if isinstance(x, date):
        return False
    if not isinstance(x, str):
        return True
    try:
        parse_jalali_date(x)
    except ValidationError:
        return True
    return False


@SETTINGS
@given(data=st.data())
def test_calendar_add_holiday(world, setup, data) -> None:
    actor = getattr(world, data.draw(st.sampled_from(ROLES)))
    day, name = data.draw(st.one_of(
        st.tuples(JUNK.filter(unparseable_day), JUNK),
        st.tuples(st.one_of(st.dates(), JUNK), st.one_of(st.sampled_from([None, "", "  "]), non_text())),
        st.tuples(st.sampled_from([date(2026, 12, 1), "1405/09/10", "۱۴۰۵/۰۹/۱۰"]), JUNK),  # already a holiday
    ))
    refused_and_unchanged(world, lambda: world.services.calendar.add_holiday(actor, day, name))


# -- users ------------------------------------------------------------------------------------------

EXISTING_USERS = {"admin", "manager", "clerk", "clerk2", "other", "auditor"}


def unknown_username(x: object) -> bool:
    return not (isinstance(x, str) and x.strip().lower() in EXISTING_USERS)


@SETTINGS
@given(data=st.data())
def test_users_add(world, setup, data) -> None:
    actor = getattr(world, data.draw(st.sampled_from(ROLES)))
    args = {"username": "newuser", "full_name": "کاربر تازه", "role": "clerk", "branch_id": world.branch_id,
            "password": "Valid2026pass"}
    args.update(data.draw(sprinkle(args)))
    args.update(data.draw(st.one_of(
        st.fixed_dictionaries({"username": st.one_of(
            JUNK.filter(lambda x: not (isinstance(x, str) and USERNAME_RE.match(x.strip().lower()))),
            st.sampled_from(sorted(EXISTING_USERS)).map(str.upper),
        )}),
        st.fixed_dictionaries({"full_name": st.one_of(st.sampled_from([None, "", "   ", "ن" * 201]), non_text())}),
        st.fixed_dictionaries({"role": outside(Role)}),
        st.fixed_dictionaries({"branch_id": JUNK.filter(lambda x: not (isinstance(x, str) and x in setup["known"]))}),
        st.fixed_dictionaries({"password": weak_password()}),
    )))
    refused_and_unchanged(world, lambda: world.services.users.add(actor, **args))


@SETTINGS
@given(data=st.data())
def test_users_set_password(world, setup, data) -> None:
    role = data.draw(st.sampled_from(ROLES))
    actor = getattr(world, role)
    options = [
        st.tuples(st.sampled_from(sorted(EXISTING_USERS)), weak_password(), st.one_of(st.just(PASSWORD), JUNK)),
        st.tuples(JUNK.filter(unknown_username), st.one_of(st.just("Valid2026pass"), JUNK), JUNK),
    ]
    if role != "admin":
        options += [
            # somebody else's password, by anyone but an administrator
            st.tuples(st.sampled_from(sorted(EXISTING_USERS - {actor.username})),
                      st.one_of(st.just("Valid2026pass"), JUNK), JUNK),
            # one's own password without the right old one
            st.tuples(st.just(actor.username), st.just("Valid2026pass"), JUNK.filter(lambda x: x != PASSWORD)),
        ]
    username, new_password, old_password = data.draw(st.one_of(*options))
    refused_and_unchanged(world, lambda: world.services.users.set_password(
        actor, username, new_password, old_password=old_password))
