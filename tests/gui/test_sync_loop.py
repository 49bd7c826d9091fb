"""The sync loop in the app: rounds off the UI thread, the retry timer, the status bar, "sync now" (F9),
and clean stops. The server here is a scripted Transport (no HTTP); the engine, the database, the bus and
the window are the real ones."""

from __future__ import annotations

import itertools
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtWidgets import QApplication

from crm_desktop.db.session import Database
from crm_desktop.services.changes import Changes
from crm_desktop.services.records import CustomerInput
from crm_desktop.sync import catalog, protocol
from crm_desktop.sync.client import store
from crm_desktop.sync.client.backoff import Backoff
from crm_desktop.sync.client.store import Key
from crm_desktop.sync.client.transport import MESSAGES, UNREACHABLE, SyncError, Transport, Unreachable
from crm_desktop.sync.protocol import ErrorCode
from crm_desktop.sync.values import from_python
from crm_desktop.views.context import AppContext
from crm_desktop.views.main_window import MainWindow
from crm_desktop.views.sync.controller import SyncController
from crm_desktop.views.sync.state import ClerkCredentials, Phase
from tests.conftest import PASSWORD, World
from tests.gui.conftest import wait_idle

URL = "https://sync.example"


class ScriptedServer(Transport):
    """Acks every pushed op; serves queued pull pages; can sleep, fail, and counts rounds in flight."""

    def __init__(self, *, delay: float = 0.0) -> None:
        super().__init__("")
        self.delay = delay
        self.failures: list[BaseException] = []  # raised by the next pushes, one each
        self.pages: list[dict[str, Any]] = []
        self.pushed: list[int] = []
        self.pulls = 0
        self.calls_at: list[float] = []
        self._lock = threading.Lock()
        self._in_flight = 0
        self.max_in_flight = 0
        self.threads: set[str] = set()

    def sign_in(self) -> dict[str, Any]:
        return {"access_token": "t", "expires_in": 900}

    def _enter(self) -> None:
        with self._lock:
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
            self.threads.add(threading.current_thread().name)
            self.calls_at.append(time.monotonic())
        time.sleep(self.delay)

    def _leave(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def push(self, body: dict[str, Any]) -> dict[str, Any]:
        self._enter()
        try:
            if self.failures:
                raise self.failures.pop(0)
            ops = body["ops"]
            self.pushed += [int(op["op_id"]) for op in ops]
            return {"acked_through": ops[-1]["op_id"], "rows": [],
                    "results": [{"op_id": op["op_id"], "status": protocol.APPLIED} for op in ops]}
        finally:
            self._leave()

    def pull(self, body: dict[str, Any]) -> dict[str, Any]:
        self._enter()
        try:
            if self.failures:
                raise self.failures.pop(0)
            self.pulls += 1
            if self.pages:
                return self.pages.pop(0)
            return {"changes": [], "cursor": body["cursor"], "has_more": False}
        finally:
            self._leave()


def register(db: Database) -> None:
    """What ``sync register`` leaves behind (no server needed)."""
    with store.write_tx(db) as raw:
        for key, value in ((Key.DEVICE_ID, str(uuid.uuid4())), (Key.CREDENTIAL, "secret"), (Key.SERVER_URL, URL),
                           (Key.EPOCH, str(uuid.uuid4())), (Key.CURSOR, protocol.START_CURSOR), (Key.LAST_ACKED, 0)):
            store.put(raw, key, value)


def mark_all_pushed(db: Database) -> None:
    with store.write_tx(db) as raw:
        store.set_pushed_seq(raw, int(raw.execute("SELECT coalesce(max(seq), 0) FROM change_journal").fetchone()[0]))


def sync_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("sync-round")]


@pytest.fixture
def registered(world: World) -> World:
    register(world.db)
    return world


@pytest.fixture
def make_loop(ctx: AppContext, registered: World) -> Iterator[Callable[..., tuple[SyncController, ScriptedServer]]]:
    made: list[SyncController] = []

    def make(server: ScriptedServer | None = None, **kwargs: Any) -> tuple[SyncController, ScriptedServer]:
        server = server or ScriptedServer()
        kwargs.setdefault("backoff", Backoff(base=0.05, cap=0.4, rand=lambda: 1.0))
        loop = SyncController(ctx, ClerkCredentials("clerk", PASSWORD), URL,
                              transport_factory=lambda _url, _creds: server, **kwargs)
        made.append(loop)
        return loop, server

    yield make
    for loop in made:
        loop.shutdown()
    assert not sync_threads()


def test_the_ui_thread_keeps_ticking_while_a_slow_round_runs(qtbot, make_loop) -> None:
    loop, server = make_loop(ScriptedServer(delay=0.6))
    ticks: list[int] = []
    clock = QElapsedTimer()
    clock.start()
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(clock.elapsed()))
    timer.start()
    with qtbot.waitSignal(loop.round_finished, timeout=10_000):
        loop.start()
        assert loop.syncing
    timer.stop()
    assert server.pulls == 1 and all(name.startswith("sync-round") for name in server.threads)
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    assert clock.elapsed() >= 1100  # push and pull slept 0.6 s each
    assert len(ticks) >= 25 and max(gaps) < 250, gaps  # the UI thread was never blocked by the round


def test_never_two_rounds_at_once_and_a_request_during_a_round_runs_one_more(qtbot, make_loop) -> None:
    loop, server = make_loop(ScriptedServer(delay=0.15), interval_s=3600)
    loop.start()
    for _ in range(5):
        loop.sync_now()
        qtbot.wait(20)
    qtbot.waitUntil(lambda: loop.rounds == 2 and not loop.syncing, timeout=10_000)
    qtbot.wait(300)
    assert loop.rounds == 2 and server.max_in_flight == 1
    assert loop.state.phase is Phase.IDLE


def test_a_failed_round_is_retried_on_the_backoff_without_any_local_write(qtbot, make_loop) -> None:
    loop, server = make_loop(interval_s=3600)
    server.failures = [Unreachable("refused"), Unreachable("refused")]
    states: list[Any] = []
    loop.state_changed.connect(states.append)
    loop.start()
    qtbot.waitUntil(lambda: loop.rounds == 3 and loop.state.phase is Phase.IDLE, timeout=10_000)
    failed = [s for s in states if s.phase is Phase.RETRYING]
    assert len(failed) == 2
    assert failed[0].error == MESSAGES[UNREACHABLE]
    assert failed[0].retry_in_s == pytest.approx(0.05) and failed[1].retry_in_s == pytest.approx(0.1)
    first, second, third = server.calls_at[0], server.calls_at[1], server.calls_at[2]
    assert second - first >= 0.04 and third - second >= 0.09  # waited, did not spin
    assert loop.backoff.attempt == 0  # the success reset it


def test_the_servers_retry_after_is_honoured(qtbot, make_loop) -> None:
    loop, server = make_loop(interval_s=3600)
    server.failures = [SyncError("سرور پرکار است.", code=ErrorCode.BUSY, status=503, retry_after=0.3)]
    loop.start()
    qtbot.waitUntil(lambda: loop.rounds >= 2 and loop.state.phase is Phase.IDLE, timeout=10_000)
    assert server.calls_at[1] - server.calls_at[0] >= 0.29


@pytest.mark.parametrize(("code", "message", "shown"), [
    (ErrorCode.BAD_CREDENTIALS, "نام کاربری یا گذرواژه درست نیست.", "گذرواژه"),
    (ErrorCode.DEVICE_CREDENTIAL, "ثبت این دستگاه در سرور همگام‌سازی دیگر معتبر نیست (اعتبارنامهٔ دستگاه پذیرفته"
                                  " نشد)؛ مدیر سامانه باید آن را دوباره ثبت کند.", "دوباره ثبت"),
])
def test_a_refused_password_or_device_halts_the_loop_until_sync_now(qtbot, make_loop, code, message, shown) -> None:
    loop, server = make_loop(interval_s=0.05)
    server.failures = [SyncError(message, code=code, status=401)]
    loop.start()
    qtbot.waitUntil(lambda: loop.state.phase is Phase.HALTED, timeout=5000)
    qtbot.wait(400)  # no retry timer, no periodic round: the server account is not hammered
    assert loop.rounds == 1 and shown in loop.state.error
    loop.sync_now()
    qtbot.waitUntil(lambda: loop.rounds >= 2 and loop.state.phase is Phase.IDLE, timeout=5000)


def test_a_local_write_starts_a_debounced_round_that_pushes_it(qtbot, make_loop, ctx, world) -> None:
    mark_all_pushed(world.db)
    loop, server = make_loop(interval_s=3600, debounce_ms=100)
    loop.start()
    qtbot.waitUntil(lambda: loop.rounds == 1 and not loop.syncing, timeout=5000)
    outcome = world.services.customers.create(world.clerk, CustomerInput(first_name="علی", last_name="کریمی",
                                                                         national_id="0012345679"))
    assert world.services.sync_state.pending_changes() > 0
    ctx.bus.publish(outcome.changes)
    ctx.bus.publish(outcome.changes)  # two saves in a row: one round
    qtbot.waitUntil(lambda: loop.rounds == 2 and not loop.syncing, timeout=5000)
    qtbot.wait(250)
    assert loop.rounds == 2 and server.pushed
    assert world.services.sync_state.pending_changes() == 0


def server_copy(db: Database, customer_id: str, version: int, **changes: Any) -> dict[str, Any]:
    """The customer as the server would send it (wire values), with ``changes`` made there."""
    spec = catalog.CATALOG["customer"]
    with db.read_raw() as raw:
        cur = raw.execute("SELECT * FROM customer WHERE id = ?", (customer_id,))
        names = [d[0] for d in cur.description]
        row = dict(zip(names, cur.fetchone(), strict=True))
    data = {c: from_python(spec.kinds[c], row[c]) for c in spec.wire_columns}
    data.update(changes)
    return {"tbl": "customer", "pk": customer_id, "row_version": version, "kind": protocol.UPSERT, "data": data}


def test_rows_from_the_server_are_broadcast_without_starting_another_round(qtbot, make_loop, ctx, world,
                                                                          customer: str) -> None:
    mark_all_pushed(world.db)
    loop, server = make_loop(interval_s=3600, debounce_ms=50)
    server.pages = [{"changes": [server_copy(world.db, customer, 7, notes="نشانی تازه از شعبه دیگر")],
                     "cursor": "10:1", "has_more": False}]
    heard: list[Changes] = []
    ctx.bus.changed.connect(heard.append)
    with qtbot.waitSignal(loop.round_finished, timeout=5000) as signal:
        loop.start()
    assert signal.args[0].applied == 1
    assert heard and customer in heard[0].customers
    assert world.services.customers.get(world.clerk, customer).notes == "نشانی تازه از شعبه دیگر"
    qtbot.wait(200)
    assert loop.rounds == 1  # what the server sent is not a local write


def test_stop_cancels_the_round_and_leaves_no_thread(qtbot, make_loop) -> None:
    loop, server = make_loop(ScriptedServer(delay=0.3))
    loop.start()
    qtbot.waitUntil(lambda: bool(server.calls_at), timeout=5000)
    loop.stop()
    assert not sync_threads() and not loop.syncing and loop.state.phase is Phase.STOPPED
    qtbot.wait(200)
    assert loop.rounds == 1 and server.pulls == 0  # cancelled between the push and the pull
    loop.start()  # unlocking starts it again
    qtbot.waitUntil(lambda: server.pulls == 1 and not loop.syncing, timeout=5000)


# -- the window ---------------------------------------------------------------------------------
def open_window(qtbot, ctx: AppContext, server: ScriptedServer | None = None, *,
                credentials: ClerkCredentials | None = None) -> MainWindow:
    window = MainWindow(ctx, sync_credentials=credentials or ClerkCredentials("clerk", PASSWORD),
                        sync_transport=lambda _url, _creds: server or ScriptedServer())
    qtbot.addWidget(window)
    window.show()
    return window


def test_an_unregistered_desk_runs_no_loop_and_says_so_discreetly(qtbot, ctx, world) -> None:
    window = open_window(qtbot, ctx)
    wait_idle(qtbot, ctx)
    qtbot.waitUntil(lambda: window.sync_status.status is not None)
    assert window.sync is None and not window.sync_status.sync_button.isVisible()
    assert window.sync_status.last_label.text() == "بدون سرور همگام‌سازی"
    window.sync_action.trigger()
    assert "وصل نیست" in window.statusBar().currentMessage()
    window.close()


def test_a_registered_desk_syncs_at_sign_in_and_shows_the_time_conflicts_and_parked(qtbot, ctx, registered,
                                                                                    customer: str) -> None:
    server = ScriptedServer()
    window = open_window(qtbot, ctx, server)
    assert window.sync_status.last_label.text() in ("", "همگام‌سازی نشده")
    qtbot.waitUntil(lambda: window.sync is not None and window.sync.rounds == 1 and not window.sync.syncing,
                    timeout=5000)
    wait_idle(qtbot, ctx)
    qtbot.waitUntil(lambda: "آخرین همگام‌سازی" in window.sync_status.last_label.text(), timeout=5000)
    assert "۱۴۰۵/۰۹/۰۲" in window.sync_status.last_label.text()  # the fake clock's day, Jalali, Persian digits
    assert window.pending_label.text().endswith("۰")
    assert not window.sync_status.conflicts_button.isVisible()

    with store.write_tx(registered.db, applying=True) as raw:
        raw.execute("INSERT INTO sync_conflict(id, branch_id, tbl, pk, field, status, created_at)"
                    " VALUES (?, ?, 'customer', ?, 'mobile', 'open', '2026-11-23T06:30:00Z')",
                    (str(uuid.uuid4()), registered.branch_id, customer))
        raw.execute("INSERT INTO sync_rejected(op_id, tx_id, tbl, pk, kind, changed, reason, rejected_at)"
                    " VALUES (999, 't', 'customer', ?, 'update', '{}', 'role', '2026-11-23T06:30:00Z')", (customer,))
    qtbot.keyClick(window, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: window.sync is not None and window.sync.rounds == 2, timeout=5000)
    qtbot.waitUntil(lambda: window.sync_status.conflicts_button.isVisible(), timeout=5000)
    assert window.sync_status.conflicts_button.text() == "تعارض: ۱"
    assert window.sync_status.parked_button.text() == "ذخیره‌نشده: ۱"
    with qtbot.waitSignal(window.conflicts_clicked, timeout=1000):
        window.sync_status.conflicts_button.click()
    with qtbot.waitSignal(window.parked_clicked, timeout=1000):
        window.sync_status.parked_button.click()
    window.close()
    assert not sync_threads()


def test_an_unreachable_server_shows_the_reason_and_the_retry_in_a_tooltip(qtbot, ctx, registered) -> None:
    server = ScriptedServer()
    server.failures = [Unreachable("refused")] * 50
    window = open_window(qtbot, ctx, server)
    qtbot.waitUntil(lambda: window.sync is not None and window.sync.state.phase is Phase.RETRYING, timeout=5000)
    label = window.sync_status.state_label
    assert label.isVisible() and label.text() == "خطای همگام‌سازی" and label.property("role") == "error"
    assert MESSAGES[UNREACHABLE] in label.toolTip()
    assert "تلاش دوباره در" in label.toolTip() and any(d in label.toolTip() for d in "۱۲۳۴۵۶۷۸۹")
    window.close()
    assert not sync_threads()


def test_locking_stops_the_loop_and_unlocking_starts_it_again(qtbot, ctx, registered) -> None:
    server = ScriptedServer()
    window = open_window(qtbot, ctx, server)
    qtbot.waitUntil(lambda: window.sync is not None and window.sync.rounds == 1 and not window.sync.syncing,
                    timeout=5000)
    window.idle.pause()
    window.lock()
    assert window.sync is not None and not window.sync.active
    dialog = window._lock_dialog
    assert dialog is not None
    dialog.password.setText(PASSWORD)
    dialog.ok.click()
    qtbot.waitUntil(lambda: not window.locked, timeout=5000)
    qtbot.waitUntil(lambda: window.sync is not None and window.sync.rounds == 2, timeout=5000)
    assert window.sync.active
    credentials = window.sync.credentials
    window.close()
    assert credentials.cleared and not sync_threads()  # the password is dropped with the window


def test_sign_in_keeps_the_password_for_the_loop_and_sign_out_drops_it(qtbot, qapp: QApplication, world) -> None:
    from crm_desktop import config
    from crm_desktop.app import GuiOptions, Session

    session = Session(qapp, world.services, GuiOptions(db_path=world.db.path), config.UserSettings())
    dialog = session.sign_in_dialog()
    qtbot.addWidget(dialog)
    dialog.username.setText("clerk")
    dialog.password.setText(PASSWORD)
    with qtbot.waitSignal(dialog.signed_in, timeout=10_000):
        dialog.ok.click()
    credentials = session.credentials
    assert credentials is not None and credentials.username == "clerk" and credentials.password == PASSWORD
    assert PASSWORD not in repr(credentials)
    session.start = lambda: True  # type: ignore[method-assign]  # no second sign-in dialog in a test
    session._on_signed_out()
    assert session.credentials is None and credentials.cleared
    session.runner.wait_idle()


# -- against the real service (PostgreSQL + the FastAPI app in-process) -------------------------
@pytest.fixture
def real_server(world: World) -> Iterator[Any]:
    import importlib.util
    import os

    url = os.environ.get("DATABASE_URL")
    if not url or importlib.util.find_spec("fastapi") is None:
        pytest.skip("DATABASE_URL is not set (eval \"$(tools/pg_throwaway.sh)\" starts a cluster)")
    from sqlalchemy import create_engine, make_url

    from crm_desktop.server.db import make_engine, migrate
    from tests.server.client_fixtures import seeded
    from tests.server.helpers import make_server

    base = make_url(url)
    name = f"crm_gui_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    target = base.set(database=name).render_as_string(hide_password=False)
    engine = make_engine(target)
    migrate(engine)
    engine.dispose()
    server = make_server(target)
    seeded(server, world)
    yield server
    server.client.close()
    server.engine.dispose()
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


def test_the_window_syncs_a_local_edit_with_the_real_service(qtbot, ctx, world, real_server, customer) -> None:
    from crm_desktop.sync.client.engine import SyncEngine
    from crm_desktop.views.tasks import ServiceOp

    client = real_server.client
    SyncEngine(world.db, Transport("", username="clerk", password=PASSWORD, client=client)).register(
        "http://testserver", real_server.code("1021"), "میز آزمون")
    window = MainWindow(ctx, sync_credentials=ClerkCredentials("clerk", PASSWORD),
                        sync_transport=lambda url, creds: Transport(url, username=creds.username,
                                                                    password=creds.password, client=client))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.sync is not None and window.sync.rounds >= 1 and not window.sync.syncing,
                    timeout=15_000)
    assert window.sync is not None and window.sync.state.phase is Phase.IDLE, window.sync.state
    window.sync._debounce.setInterval(50)
    from crm_desktop.persian.validators import make_national_id

    data = CustomerInput(first_name="علی", last_name="کریمی", national_id=make_national_id("001234567"),
                         mobile="09127778899")
    ServiceOp(window, ctx, lambda s: s.customers.edit(world.clerk, customer, data)).run()
    qtbot.waitUntil(lambda: window.sync.rounds >= 2 and not window.sync.syncing, timeout=15_000)
    wait_idle(qtbot, ctx)
    assert world.services.sync_state.pending_changes() == 0
    with real_server.engine.connect() as conn:
        mobile = conn.exec_driver_sql("SELECT mobile FROM customer WHERE id = %s", (customer,)).scalar()
    assert mobile == "09127778899"
    qtbot.waitUntil(lambda: "آخرین همگام‌سازی" in window.sync_status.last_label.text(), timeout=5000)
    window.close()
    assert not sync_threads()
