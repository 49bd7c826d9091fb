"""The fault soak as a Hypothesis ``RuleBasedStateMachine`` (design note §12), shared by pytest and the bench.

Three desks (two of branch 1021, one of branch 2040), each a real SQLite file written through the real
services, sync with the real service over PostgreSQL through a fault-injecting transport. Rules create
customers (national ids from a small pool, so two desks sometimes onboard the same person), edit a field
(identity and other class H fields, and the class R consent), log interactions, open service requests
(numbered offline), archive, resolve an open conflict through the inbox service (keep current, use mine or
a third value), skew a desk's clock by hours or days, sync with a random fault (``faults.Fault``: dropped
request or answer, 503, duplicate, desk killed, answer cut short, an old request replayed, an older
answer delivered), pull with a random page size, restart a desk and rotate the server epoch (a restore).
O4, O5 and the step oracles S1–S3 (``soak_steps``: what a desk holds right after a step) are checked
after every step; at teardown every desk syncs without faults until nothing moves, and O1, O2 and O3
must hold. ``history`` records each step so
a failing schedule can be read (Hypothesis prints the shrunk steps too).
"""

from __future__ import annotations

import dataclasses
import time
from datetime import timedelta
from typing import Any, ClassVar

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from sqlalchemy import text

from crm_desktop.errors import CrmError
from crm_desktop.persian.validators import make_national_id
from crm_desktop.server.db import rotate_epoch
from crm_desktop.services.interactions import InteractionInput
from crm_desktop.services.records import CustomerInput
from crm_desktop.services.service_requests import RequestInput
from crm_desktop.sync import protocol
from crm_desktop.sync.client.engine import RESET_CODES, RoundResult
from crm_desktop.sync.client.transport import APPLY_CONFLICT, SyncError
from tests.server import soak_oracles as oracles
from tests.server import soak_steps as steps
from tests.server.faults import DeskKilled, Fault
from tests.server.soak_world import DeskClock, SoakDesk, SoakEnv, StepClock

DESKS = (("desk-A", "1021"), ("desk-B", "1021"), ("desk-C", "2040"))
NATIONAL_IDS = tuple(make_national_id(f"00{i}765432") for i in range(1, 6))
FIRST_NAMES = ("علی", "زهرا", "مریم", "حسن")
EDIT_FIELDS = ("national_id", "first_name", "mobile", "notes", "marketing_consent")
QUIESCENCE_ROUNDS = 6
SETTLE_S = 10.0
MAX_EPOCHS = 2
SKEWS_H = (-72, -5, 0, 3, 8760)  # three days back, hours apart, none, a year ahead
RESOLVE_CHOICES = (protocol.KEEP_CURRENT, protocol.USE_MINE, protocol.EDIT)

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
        self.watches = [steps.CheckpointWatch(desk) for desk in self.desks]

    def _restart(self, d: int) -> None:
        self.desks[d].restart()
        self.watches[d] = steps.CheckpointWatch(self.desks[d])

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
    def edit_to_taken_id(self, d: int, pick: int) -> None:
        """Give a customer the national id of a customer the desk has not pulled yet: the server refuses it."""
        with self.env.server.engine.connect() as conn:
            taken = sorted(conn.execute(text(
                "SELECT national_id FROM customer WHERE branch_id = :b AND national_id IS NOT NULL"),
                {"b": self.desks[0].staff.clerk.branch_id}).scalars())
        behind = []  # desks of the branch that lack one of them (the first from ``d`` on)
        for desk in self.desks[d:] + self.desks[:d]:
            with desk.db.read_raw() as raw:
                held = {r[0] for r in raw.execute("SELECT national_id FROM customer")}
            free = [n for n in taken if n not in held]
            if free and desk.staff.branch_code == "1021":
                behind.append((desk, free))
        if not behind:
            return
        desk, free = behind[0]
        customer = self._live_customer(desk, pick)
        if customer is None:
            return
        detail = desk.services.customers.get(desk.staff.clerk, customer)
        data = CustomerInput(**{f.name: getattr(detail, f.name) for f in dataclasses.fields(CustomerInput)})
        try:
            desk.services.customers.edit(desk.staff.clerk, customer, dataclasses.replace(data, national_id=free[0]))
            self._log(f"{desk.name}: edit {customer[-6:]} national_id={free[0]!r} (taken on the server)")
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
    @rule(d=desk_index, fault=st.sampled_from(list(Fault)), after=st.integers(0, 3), cut=st.integers(0, 9),
          save=st.booleans())
    def sync(self, d: int, fault: Fault, after: int, cut: int, save: bool) -> None:
        """A round with a fault; with ``save`` the clerk saves an edit between its pushes and its pull."""
        desk = self.desks[d]
        desk.faults.arm(fault, after, cut=cut / 10)
        if save:
            desk.faults.on_save = lambda: self.edit_customer(d, cut, EDIT_FIELDS[cut % len(EDIT_FIELDS)], after)
        outcome = "ok"
        try:
            desk.engine.sync_once()
            self.watches[d].verify()
        except DeskKilled as exc:
            outcome = f"killed after {exc}"
            self._restart(d)
        except SyncError as exc:
            assert exc.retryable, f"{desk.name}: sync failed with {exc.code}: {exc.message} {exc.body}"
            outcome = exc.code
            self.watches[d].forget()
        finally:
            desk.faults.disarm()
        shown = f"{fault}@{after}{f'/{cut}' if fault is Fault.CUT else ''}{' +save' if save else ''}"
        self._log(f"{desk.name}: sync fault={shown} -> {outcome}")

    @rule(d=desk_index, page=st.integers(1, 6))
    def pull(self, d: int, page: int) -> None:
        desk = self.desks[d]
        desk.engine.page_limit = page
        outcome = "ok"
        try:
            desk.engine.pull(RoundResult())
        except SyncError as exc:  # a new epoch, or a pulled row meeting a pending local one on a unique key
            assert exc.code in (*RESET_CODES, APPLY_CONFLICT), f"{desk.name}: pull failed: {exc.code} {exc.message}"
            outcome = exc.code
            self.watches[d].forget()
        finally:
            desk.engine.page_limit = 1000
        self._log(f"{desk.name}: pull page={page} -> {outcome}")

    @rule(d=desk_index)
    def restart(self, d: int) -> None:
        self._restart(d)
        self._log(f"{self.desks[d].name}: restart")

    @rule(d=desk_index, hours=st.sampled_from(SKEWS_H))
    def skew_clock(self, d: int, hours: int) -> None:
        """The desk's clock (stamps, HLC) hours or days off the others: no merge may depend on it."""
        clock = self.desks[d].clock
        assert isinstance(clock, DeskClock)
        clock.offset = timedelta(hours=hours)
        self._log(f"{self.desks[d].name}: clock skew {hours:+d} h")

    @rule(d=desk_index, pick=st.integers(0, 20), choice=st.sampled_from(RESOLVE_CHOICES), n=st.integers(0, 3))
    def resolve(self, d: int, pick: int, choice: str, n: int) -> None:
        """A clerk decides an open conflict of the desk's inbox through the real service."""
        desk = self.desks[d]
        cards = desk.services.sync_conflicts.list_open(desk.staff.clerk)
        if not cards:
            return
        card = cards[pick % len(cards)]
        value = _value(card.field, n) if choice == protocol.EDIT else None
        try:
            desk.services.sync_conflicts.resolve(desk.staff.clerk, card.id, choice, value, "تصمیم در آزمون")
            shown = "" if value is None else f"={value!r}"
            self._log(f"{desk.name}: resolve {card.id[-6:]} {card.field} {choice}{shown}")
        except CrmError as exc:
            self._log(f"{desk.name}: resolve refused ({exc.code})")

    @precondition(lambda self: self.epochs < MAX_EPOCHS)
    @rule()
    def restore_server(self) -> None:
        self.epochs += 1
        rotate_epoch(self.env.server.engine)
        self._log("server: rotate epoch")

    # -- oracles --------------------------------------------------------------------------------
    @invariant()
    def cursors_versions_and_integrity(self) -> None:
        snapshot = steps.server_snapshot(self.env.server)
        versions = {key: version for key, (version, _scope, _data) in snapshot.items()}
        failures = [f for desk, marks in zip(self.desks, self.marks, strict=True)
                    for f in oracles.step_check(desk, versions, marks)]
        for desk, watch in zip(self.desks, self.watches, strict=True):
            failures += steps.pending_values_kept(desk)
            failures += steps.held_rows_match(desk, snapshot)
            failures += watch.failures
        assert not failures, self._report(failures)

    def quiesce(self) -> int:
        """Sync every desk without faults until a whole pass moves nothing; returns the passes used."""
        settle_until = time.monotonic() + SETTLE_S
        n = 0
        while n < QUIESCENCE_ROUNDS:
            moved = False
            for desk in self.desks:
                desk.faults.disarm()
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
                failures = [f for watch in self.watches for f in watch.failures]
                failures += oracles.check_o1(self.desks, self.env.server)
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
