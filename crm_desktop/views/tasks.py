"""Work off the UI thread: one writer lane (SQLite has one writer) and a reader lane of two threads.

Screens never start threads themselves; they build an op and run it::

    ServiceOp(self, ctx, lambda s: s.customers.create(actor, draft)).success(self._on_saved).run()
    QueryOp(self, ctx, lambda s, progress: s.search.search(actor, text)).success(model.show).run()

The op's function runs in a worker thread and must not touch any widget; ``success`` and
``failure`` run back on the UI thread. A write's ``Outcome.changes`` is broadcast on the
ChangeBus. Failures go to ``views.errors.show_error`` unless the op was given its own handler.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QWidget

from crm_desktop.progress import CancellableProgress, NullProgress, Progress
from crm_desktop.services import Services
from crm_desktop.services.changes import Outcome

if TYPE_CHECKING:
    from crm_desktop.views.context import AppContext

T = TypeVar("T")
Callback = Callable[[Any], None]


class _Job(QRunnable):
    def __init__(self, runner: TaskRunner, job_id: int, fn: Callable[[], object]) -> None:
        super().__init__()
        self._runner, self._job_id, self._fn = runner, job_id, fn

    def run(self) -> None:
        # Drop this thread's reference before reporting: the runner holds another until the callback has
        # run, so Qt objects the closure keeps alive are released on the UI thread, never here.
        fn, self._fn = self._fn, _done
        try:
            result = fn()
        except BaseException as exc:  # handed to the UI thread, which decides how to show it
            del fn
            self._runner.job_done.emit(self._job_id, None, exc)
        else:
            del fn
            self._runner.job_done.emit(self._job_id, result, None)


def _done() -> None:
    return None


class TaskRunner(QObject):
    """Runs functions in worker threads and calls back on the UI thread.

    Signals:
        job_done(int, object, object): internal, queued from the worker to the UI thread.
        busy_changed(bool): True while any job runs (drives the busy indicator).
    """

    job_done = Signal(int, object, object)
    busy_changed = Signal(bool)

    def __init__(self, services: Services | None, parent: QObject | None = None) -> None:
        """``services`` may come later (an encrypted database opens at sign-in), before any job uses it."""
        super().__init__(parent)
        self.services: Services = services  # type: ignore[assignment]
        self._writer = QThreadPool(self)
        self._writer.setMaxThreadCount(1)
        self._reader = QThreadPool(self)
        self._reader.setMaxThreadCount(2)
        self._ids = itertools.count(1)
        self._pending: dict[int, tuple[Callback, Callback, Callable[[], object]]] = {}
        self.job_done.connect(self._on_job_done)

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def submit(self, fn: Callable[[], object], *, write: bool, success: Callback, failure: Callback) -> None:
        """Run ``fn`` on the writer lane (``write=True``) or the reader lane; call back on this thread."""
        job_id = next(self._ids)
        was_busy = self.busy
        self._pending[job_id] = (success, failure, fn)
        (self._writer if write else self._reader).start(_Job(self, job_id, fn))
        if not was_busy:
            self.busy_changed.emit(True)

    def wait_idle(self, msecs: int = 30_000) -> bool:
        """Block until the lanes are empty (shutdown and tests); callbacks still arrive by the event loop."""
        return self._writer.waitForDone(msecs) and self._reader.waitForDone(msecs)

    @Slot(int, object, object)
    def _on_job_done(self, job_id: int, result: object, error: BaseException | None) -> None:
        success, failure, _fn = self._pending.pop(job_id)  # _fn is released here, on the UI thread
        try:
            if error is None:
                success(result)
            else:
                failure(error)
        finally:
            if not self.busy:
                self.busy_changed.emit(False)


class _Op(Generic[T]):
    def __init__(self, parent: QWidget, ctx: AppContext) -> None:
        self._parent, self._ctx = parent, ctx
        self._success: Callable[[T], None] = lambda _value: None
        self._failure: Callable[[BaseException], None] | None = None

    def success(self, callback: Callable[[T], None]) -> Self:
        self._success = callback
        return self

    def failure(self, callback: Callable[[BaseException], None]) -> Self:
        """Handle expected failures yourself (forms put them next to the field); bugs still go to the crash dialog."""
        self._failure = callback
        return self

    def _alive(self) -> bool:
        """False once the widget that started the op is gone (a window closed while it ran)."""
        return shiboken6.isValid(self._parent)

    def _on_success(self, value: T) -> None:
        if self._alive():
            self._success(value)

    def _on_failure(self, exc: BaseException) -> None:
        from crm_desktop.errors import CrmError
        from crm_desktop.views.errors import show_error

        if not self._alive():
            if not isinstance(exc, CrmError):
                show_error(None, exc)
            return
        if self._failure is not None and isinstance(exc, CrmError):
            self._failure(exc)
        else:
            show_error(self._parent, exc)


class ServiceOp(_Op[Outcome[Any]]):
    """A write: runs on the writer lane; its changes are broadcast before ``success`` runs."""

    def __init__(self, parent: QWidget, ctx: AppContext, op: Callable[[Services], Outcome[Any]]) -> None:
        super().__init__(parent, ctx)
        self._op = op

    def run(self) -> None:
        services = self._ctx.runner.services

        def done(outcome: Outcome[Any]) -> None:
            self._ctx.bus.publish(outcome.changes)
            self._on_success(outcome)

        self._ctx.runner.submit(lambda: self._op(services), write=True, success=done, failure=self._on_failure)


class QueryOp(_Op[T]):
    """A read (search, page, report): runs on the reader lane, optionally with a progress dialog."""

    def __init__(self, parent: QWidget, ctx: AppContext, op: Callable[[Services, Progress], T]) -> None:
        super().__init__(parent, ctx)
        self._op = op
        self._progress_label: str | None = None

    def with_progress(self, label: str) -> Self:
        self._progress_label = label
        return self

    def run(self) -> None:
        services = self._ctx.runner.services
        if self._progress_label is None:
            progress: Progress = NullProgress()
            self._ctx.runner.submit(lambda: self._op(services, progress), write=False,
                                    success=self._on_success, failure=self._on_failure)
            return
        from crm_desktop.views.progress import DelayedProgressDialog

        cancellable = CancellableProgress()
        dialog = DelayedProgressDialog(self._parent, self._progress_label, cancellable)

        def finish(callback: Callable[[Any], None]) -> Callable[[Any], None]:
            def call(value: Any) -> None:
                dialog.finish()
                callback(value)
            return call

        self._ctx.runner.submit(lambda: self._op(services, cancellable), write=False,
                                success=finish(self._on_success), failure=finish(self._on_failure))
        QTimer.singleShot(0, dialog.start)
