"""The sync loop (design note §8, "Liveness"): rounds of ``SyncEngine.sync_once`` on a worker thread of
their own, never two at once, driven by a timer this object owns.

Rounds run at start, every ``interval_s`` seconds, shortly after a local write (debounced, heard on the
ChangeBus) and on "sync now". A failed round is retried on the backoff schedule (exponential, full
jitter, capped at 2 minutes, at least the server's Retry-After) even when nothing new is written; a
refusal that retrying cannot cure (wrong password, a revoked desk or a device credential the server no
longer accepts, an app too old) halts the loop until "sync now", so the clerk's server account is not
locked by a loop of wrong passwords.

The worker thread is a plain ``threading.Thread`` per round: pages are applied by the engine in short
SQLite transactions of its own, so neither the UI thread nor the writer lane waits on the network. The
result comes back by a queued signal; rows the server sent are broadcast on the ChangeBus so open lists
and the customer screen redraw. ``stop()`` cancels between requests and joins the thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import httpx
from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from crm_desktop.errors import Cancelled, CrmError
from crm_desktop.progress import CancellableProgress
from crm_desktop.services.changes import Changes
from crm_desktop.sync.client.backoff import Backoff
from crm_desktop.sync.client.engine import RoundResult, SyncEngine
from crm_desktop.sync.client.transport import SyncError, Transport
from crm_desktop.sync.protocol import ErrorCode
from crm_desktop.views.context import AppContext
from crm_desktop.views.sync.state import ClerkCredentials, LoopState, Phase, Touched

log = logging.getLogger(__name__)

INTERVAL_S = 60.0
DEBOUNCE_MS = 2_000
STOP_WAIT_S = 20.0  # a request in flight ends within the client's timeouts below
CLIENT_TIMEOUT = httpx.Timeout(15.0, connect=5.0)
#: Refusals a retry cannot cure: the loop waits for "sync now" (or the next sign-in) instead.
HALTING = frozenset({ErrorCode.BAD_CREDENTIALS, ErrorCode.DEVICE_CREDENTIAL, ErrorCode.DEVICE_REVOKED,
                     ErrorCode.FORBIDDEN, ErrorCode.UPGRADE_REQUIRED, ErrorCode.OP_ID_REUSE, ErrorCode.DEVICE_MISMATCH,
                     "not_registered"})
UNEXPECTED = "همگام‌سازی با خطای پیش‌بینی‌نشده روبه‌رو شد؛ جزئیات در پرونده گزارش برنامه ثبت شد."

TransportFactory = Callable[[str, ClerkCredentials], Transport]


class AppTransport(Transport):
    """The app's transport: shorter timeouts than the command line's, so that a stop never waits long."""

    def __init__(self, server_url: str, credentials: ClerkCredentials) -> None:
        self._http = httpx.Client(timeout=CLIENT_TIMEOUT, headers={"Accept-Encoding": "gzip"})
        super().__init__(server_url, username=credentials.username, password=credentials.password, client=self._http)

    def close(self) -> None:
        super().close()
        self._http.close()


def default_transport(server_url: str, credentials: ClerkCredentials) -> Transport:
    return AppTransport(server_url, credentials)


class SyncController(QObject):
    """Signals:
        state_changed(LoopState): the loop started or finished a round, failed, halted or stopped.
        round_finished(object): a round ended (a ``RoundResult``, or None when it failed).
    """

    state_changed = Signal(object)
    round_finished = Signal(object)
    _round_done = Signal(int, object, object, object)  # internal: round id, Touched, result, error

    def __init__(self, ctx: AppContext, credentials: ClerkCredentials, server_url: str, *,
                 interval_s: float = INTERVAL_S, debounce_ms: int = DEBOUNCE_MS,
                 transport_factory: TransportFactory = default_transport, backoff: Backoff | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.credentials = ctx, credentials
        self.interval_s = interval_s
        self.backoff = backoff or Backoff()
        self.transport = transport_factory(server_url, credentials)
        self.engine = SyncEngine(ctx.services.db, self.transport, ctx.services.sync_state.now)
        self._install_recorder()
        self.state = LoopState()
        self.rounds = 0  # rounds started (tests and diagnostics)
        self._active = False
        self._again = False  # a round was asked for while one ran
        self._round_id = 0
        self._thread: threading.Thread | None = None
        self._progress: CancellableProgress | None = None
        self._touched: Touched | None = None
        self._publishing = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        # A coarse timer may fire up to 5% early: a server's Retry-After must not be cut short.
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(debounce_ms)
        self._timer.timeout.connect(self._start_round)
        self._debounce.timeout.connect(self._on_debounce_timeout)
        self._round_done.connect(self._on_round_done)
        ctx.bus.changed.connect(self._on_bus_changed)

    # -- public -------------------------------------------------------------------------------
    @property
    def active(self) -> bool:
        return self._active

    @property
    def syncing(self) -> bool:
        return self._thread is not None

    def start(self) -> None:
        """Start the loop with a round at once (sign-in, unlock)."""
        if self.credentials.cleared:
            return
        self._active = True
        self._start_round()

    @Slot()
    def sync_now(self) -> None:
        """A round at once, whatever the backoff said (a halted loop starts again too)."""
        self.backoff.succeeded()
        if not self._active:
            self.start()
            return
        self._start_round()

    def stop(self) -> None:
        """Stop the loop: timers off, the running round cancelled between requests and its thread joined."""
        self._active = False
        self._again = False
        self._timer.stop()
        self._debounce.stop()
        thread, progress = self._thread, self._progress
        if progress is not None:
            progress.cancel()
        if thread is not None:
            thread.join(STOP_WAIT_S)
            if thread.is_alive():
                log.warning("The sync round did not stop within %s s.", STOP_WAIT_S)
            else:
                self._thread = self._progress = self._touched = None  # its queued answer only broadcasts
        self._set_state(LoopState(Phase.STOPPED))

    def shutdown(self) -> None:
        """Stop for good (sign-out, close): the connection closes and the password is dropped."""
        self.stop()
        try:
            self.ctx.bus.changed.disconnect(self._on_bus_changed)
        except (RuntimeError, TypeError):
            pass
        self.transport.close()
        self.transport.password = ""
        self.credentials.clear()

    # -- rounds -------------------------------------------------------------------------------
    @Slot()
    def _start_round(self) -> None:
        if not self._active:
            return
        if self._thread is not None:
            self._again = True  # never two rounds at once: one more when this one ends
            return
        self._timer.stop()
        self._round_id += 1
        self.rounds += 1
        touched, progress = Touched(), CancellableProgress()
        self._touched, self._progress = touched, progress
        self._thread = threading.Thread(target=self._work, args=(self._round_id, touched, progress),
                                        name=f"sync-round-{self._round_id}", daemon=True)
        self._set_state(LoopState(Phase.SYNCING))
        self._thread.start()

    def _work(self, round_id: int, touched: Touched, progress: CancellableProgress) -> None:
        """On the worker thread: one round; the outcome goes back by the queued ``_round_done``."""
        try:
            result: RoundResult | None = self.engine.sync_once(progress)
            error: BaseException | None = None
        except BaseException as exc:  # every failure becomes a visible status, never a dead loop
            result, error = None, exc
        self._round_done.emit(round_id, touched, result, error)

    def _install_recorder(self) -> None:
        """Note the rows of every push answer and pull page, to tell the screens what changed."""
        push, pull = self.transport.push, self.transport.pull

        def note(answer: dict[str, Any], key: str) -> dict[str, Any]:
            touched = self._touched
            if touched is not None:
                touched.add(answer.get(key) or ())
            return answer

        setattr(self.transport, "push", lambda body: note(push(body), "rows"))  # noqa: B010
        setattr(self.transport, "pull", lambda body: note(pull(body), "changes"))  # noqa: B010

    @Slot(int, object, object, object)
    def _on_round_done(self, round_id: int, touched: Touched, result: RoundResult | None,
                       error: BaseException | None) -> None:
        if round_id == self._round_id and self._thread is not None:
            self._thread.join()  # it has emitted: it ends at once
            self._thread = self._progress = self._touched = None
        self._publish(touched.changes())
        if round_id != self._round_id or not self._active:
            return  # stopped meanwhile (stop() set the state)
        if error is None:
            self.backoff.succeeded()
            self._set_state(LoopState(Phase.IDLE))
            self._schedule(0 if self._again else self.interval_s)
        else:
            self._failed(error)
        self._again = False
        self.round_finished.emit(result)

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, Cancelled):
            return
        if isinstance(error, SyncError) and error.code in HALTING:
            log.warning("Sync halted: %s", error.code)
            self._set_state(LoopState(Phase.HALTED, error.message))
            return
        if isinstance(error, CrmError):
            message, retry_after = error.message, getattr(error, "retry_after", None)
        else:
            log.error("Sync round failed", exc_info=(type(error), error, error.__traceback__))
            message, retry_after = UNEXPECTED, None
        wait = self.backoff.failed(retry_after)
        self._set_state(LoopState(Phase.RETRYING, message, wait))
        self._schedule(wait)

    def _schedule(self, seconds: float) -> None:
        self._timer.start(max(0, round(seconds * 1000)))

    def _publish(self, changes: Changes) -> None:
        self._publishing = True  # what the server sent is no local write: it must not start a round
        try:
            self.ctx.bus.publish(changes)
        finally:
            self._publishing = False

    def _set_state(self, state: LoopState) -> None:
        self.state = state
        self.state_changed.emit(state)

    # -- local writes -------------------------------------------------------------------------
    @Slot(object)
    def _on_bus_changed(self, _changes: Changes) -> None:
        if self._active and not self._publishing:
            self._debounce.start()

    @Slot()
    def _on_debounce_timeout(self) -> None:
        """A local write: sync soon, unless the loop is waiting out a failure or halted."""
        if self.state.phase in (Phase.IDLE, Phase.SYNCING):
            self._start_round()
