"""The fault soak as a Hypothesis ``RuleBasedStateMachine`` (design note §12), shared by pytest and the bench.

Three desks (two of branch 1021, one of branch 2040), each a real SQLite file written through the real
services, sync with the real service over PostgreSQL through a fault-injecting transport. Rules create
customers (national ids from a small pool, so two desks sometimes onboard the same person), edit a field
(identity and other class H fields, and the class R consent), log interactions, open service requests
(numbered offline), archive, sync with a random fault, pull with a random page size, restart a desk and
rotate the server epoch (a restore). O4 and O5 are checked after every step; at teardown every desk
syncs without faults until nothing moves, and O1, O2 and O3 must hold. ``history`` records each step so
a failing schedule can be read (Hypothesis prints the shrunk steps too).
"""

from __future__ import annotations

import dataclasses
import time
from typing import Any, ClassVar

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from crm_desktop.errors import CrmError
from crm_desktop.persian.validators import make_national_id
from crm_desktop.server.db import rotate_epoch
from crm_desktop.services.interactions import InteractionInput
from crm_desktop.services.records import CustomerInput
from crm_desktop.services.service_requests import RequestInput
from crm_desktop.sync.client.engine import RESET_CODES, RoundResult
from crm_desktop.sync.client.transport import SyncError
from tests.server import soak_oracles as oracles
from tests.server.faults import DeskKilled, Fault
from tests.server.soak_world import SoakDesk, SoakEnv, StepClock

DESKS = (("desk-A", "1021"), ("desk-B", "1021"), ("desk-C", "2040"))
NATIONAL_IDS = tuple(make_national_id(f"00{i}765432") for i in range(1, 6))
FIRST_NAMES = ("علی", "زهرا", "مریم", "حسن")
EDIT_FIELDS = ("national_id", "first_name", "mobile", "notes", "marketing_consent")
QUIESCENCE_ROUNDS = 6
SETTLE_S = 10.0
MAX_EPOCHS = 2

settings.register_profile(
    "ci", max_examples=250, stateful_step_count=10, derandomize=True, deadline=None, database=None,
    suppress_health_check=(HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large),
)
settings.register_profile(
    "soak", max_examples=10_000, stateful_step_count=25, deadline=None,
    suppress_health_check=(HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large),
)

desk_index = st.integers(0, len(DESKS) - 1)


def start_env(database_url: str) -> SoakEnv:
    """The server and the registered desks every schedule starts from (set as ``SoakMachine.env``)."""
    env = SoakEnv.start(database_url, DESKS)
    SoakMachine.env = env
    return env


def _value(name: str, n: int) -> Any:
    if name == "national_id":
        return NATIONAL_IDS[n % len(NATIONAL_IDS)]
    if name == "first_name":
        return FIRST_NAMES[n % len(FIRST_NAMES)]
    if name == "mobile":
        return f"0912000000{n}"
    if name == "notes":
        return f"یادداشت {n}"
    return bool(n % 2)


class SoakMachine(RuleBasedStateMachine):
    env: ClassVar[SoakEnv]
    durations_ms: ClassVar[list[float]] = []  # one per finished schedule (set up, steps, quiescence, oracles)

    def __init__(self) -> None:
        super().__init__()
        self.started = time.perf_counter()
        self.clock = StepClock()
        self.history: list[str] = []
        self.epochs = 0
        self.fresh = 0
        self.desks: list[SoakDesk] = self.env.fresh_desks(self.clock)
        self.marks = [oracles.DeskMarks() for _ in self.desks]

    def _log(self, text: str) -> None:
        self.history.append(text)
        self.clock.tick()

    def _live_customer(self, desk: SoakDesk, pick: int) -> str | None:
        with desk.db.read_raw() as raw:
            ids = [r[0] for r in raw.execute("SELECT id FROM customer WHERE deleted_at IS NULL ORDER BY id")]
        return ids[pick % len(ids)] if ids else None

    # -- local work -----------------------------------------------------------------------------
    @rule(d=desk_index, nid=st.integers(0, len(NATIONAL_IDS) + 2), first=st.sampled_from(FIRST_NAMES))
    def create_customer(self, d: int, nid: int, first: str) -> None:
        desk = self.desks[d]
        self.fresh += 1  # beyond the pool: a national id nobody else has
        national_id = NATIONAL_IDS[nid] if nid < len(NATIONAL_IDS) else make_national_id(f"{700000000 + self.fresh}")
        try:
            desk.services.customers.create(desk.staff.clerk, CustomerInput(first_name=first, last_name="کریمی",
                                                                           national_id=national_id))
            self._log(f"{desk.name}: create customer nid={nid}")
        except CrmError as exc:  # the desk itself refuses an id it already holds
            self._log(f"{desk.name}: create refused ({exc.code})")

    @rule(d=desk_index, pick=st.integers(0, 20), name=st.sampled_from(EDIT_FIELDS), n=st.integers(0, 3))
    def edit_customer(self, d: int, pick: int, name: str, n: int) -> None:
        desk = self.desks[d]
        customer = self._live_customer(desk, pick)
        if customer is None:
            return
        detail = desk.services.customers.get(desk.staff.clerk, customer)
        data = CustomerInput(**{f.name: getattr(detail, f.name) for f in dataclasses.fields(CustomerInput)})
        data = dataclasses.replace(data, **{name: _value(name, n)})
        try:
            desk.services.customers.edit(desk.staff.clerk, customer, data)
            self._log(f"{desk.name}: edit {customer[-6:]} {name}={_value(name, n)!r}")
        except CrmError as exc:
            self._log(f"{desk.name}: edit refused ({exc.code})")

    @rule(d=desk_index, pick=st.integers(0, 20))
    def log_interaction(self, d: int, pick: int) -> None:
        desk = self.desks[d]
        customer = self._live_customer(desk, pick)
        if customer is None:
            return
        desk.services.interactions.log(desk.staff.clerk, InteractionInput(customer, "phone", "inbound", "تماس"))
        self._log(f"{desk.name}: interaction on {customer[-6:]}")

    @rule(d=desk_index, pick=st.integers(0, 20))
    def open_request(self, d: int, pick: int) -> None:
        desk = self.desks[d]
        customer = self._live_customer(desk, pick)
        if customer is None:
            return
        row = desk.services.requests.open(desk.staff.clerk, RequestInput(customer, "inquiry", "normal", "پرسش"))
        self._log(f"{desk.name}: request {row.value.number} on {customer[-6:]}")

    @rule(d=desk_index, pick=st.integers(0, 20))
    def archive(self, d: int, pick: int) -> None:
        desk = self.desks[d]
        customer = self._live_customer(desk, pick)
        if customer is None:
            return
        desk.services.customers.delete(desk.staff.manager, customer, "بایگانی در آزمون")
        self._log(f"{desk.name}: archive {customer[-6:]}")

    # -- sync and faults ------------------------------------------------------------------------
    @rule(d=desk_index, fault=st.sampled_from(list(Fault)), after=st.integers(0, 3))
    def sync(self, d: int, fault: Fault, after: int) -> None:
        desk = self.desks[d]
        desk.faults.arm(fault, after)
        outcome = "ok"
        try:
            desk.engine.sync_once()
        except DeskKilled as exc:
            outcome = f"killed after {exc}"
            desk.restart()
        except SyncError as exc:
            assert exc.retryable, f"{desk.name}: sync failed with {exc.code}: {exc.message} {exc.body}"
            outcome = exc.code
        finally:
            desk.faults.disarm()
        self._log(f"{desk.name}: sync fault={fault}@{after} -> {outcome}")

    @rule(d=desk_index, page=st.integers(1, 6))
    def pull(self, d: int, page: int) -> None:
        desk = self.desks[d]
        desk.engine.page_limit = page
        outcome = "ok"
        try:
            desk.engine.pull(RoundResult())
        except SyncError as exc:
            assert exc.code in RESET_CODES, f"{desk.name}: pull failed with {exc.code}: {exc.message}"
            outcome = exc.code
        finally:
            desk.engine.page_limit = 1000
        self._log(f"{desk.name}: pull page={page} -> {outcome}")

    @rule(d=desk_index)
    def restart(self, d: int) -> None:
        self.desks[d].restart()
        self._log(f"{self.desks[d].name}: restart")

    @precondition(lambda self: self.epochs < MAX_EPOCHS)
    @rule()
    def restore_server(self) -> None:
        self.epochs += 1
        rotate_epoch(self.env.server.engine)
        self._log("server: rotate epoch")

    # -- oracles --------------------------------------------------------------------------------
    @invariant()
    def cursors_versions_and_integrity(self) -> None:
        versions = oracles.server_versions(self.env.server)
        failures = [f for desk, marks in zip(self.desks, self.marks, strict=True)
                    for f in oracles.step_check(desk, versions, marks)]
        assert not failures, self._report(failures)

    def quiesce(self) -> int:
        """Sync every desk without faults until a whole pass moves nothing; returns the passes used."""
        settle_until = time.monotonic() + SETTLE_S
        n = 0
        while n < QUIESCENCE_ROUNDS:
            moved = False
            for desk in self.desks:
                result = desk.engine.sync_once()
                moved = moved or bool(result.pushed or result.pulled or result.reset_copy)
            if moved:
                n += 1
            elif oracles.feed_settled(self.env.server):
                return n
            elif time.monotonic() > settle_until:
                raise AssertionError(self._report([f"the feed did not settle within {SETTLE_S} s"]))
            else:  # a transaction (autovacuum's ANALYZE too) holds the watermark: the feed is late, not empty
                time.sleep(0.02)
        raise AssertionError(self._report([f"O6: still moving after {QUIESCENCE_ROUNDS} fault-free passes"]))

    def teardown(self) -> None:
        try:
            if self.desks:
                self.quiesce()
                failures = oracles.check_o1(self.desks, self.env.server)
                failures += oracles.check_o2(self.desks, self.env.server)
                for desk in self.desks:
                    branch = self._branch_id(desk)
                    failures += oracles.check_o3(desk, self.env.server, branch)
                assert not failures, self._report(failures)
        finally:
            for desk in self.desks:
                desk.close()
            self.durations_ms.append((time.perf_counter() - self.started) * 1000)

    def _branch_id(self, desk: SoakDesk) -> str:
        return desk.staff.clerk.branch_id

    def _report(self, failures: list[str]) -> str:
        return "\n".join([*failures, "history:", *self.history])
