"""A fault-injecting httpx transport in front of the in-process sync service (design note §12, F-01…F-03, F-11).

It wraps the transport of a FastAPI ``TestClient`` (the real app over real PostgreSQL). Faults are armed per
sync call (``/v1/sync/push`` and ``/v1/sync/pull``; token calls always pass) and fire on the n-th such call:

* ``drop_request``: the request never reaches the server (a connection error);
* ``drop_response``: the server handles it and commits, the desk sees a read error;
* ``unavailable``: a 503 ``busy`` answer with ``Retry-After``, the server untouched;
* ``duplicate``: the same body is delivered twice, the desk gets the second answer;
* ``kill``: the server answers, then ``DeskKilled`` is raised before the desk can apply anything: the caller
  throws the desk's Python objects away and reopens it from its SQLite file;
* ``cut``: the server answers, the desk gets the answer's body cut after a fraction (``cut``) of its bytes,
  sometimes gzip-encoded, sometimes ending in a protocol error, sometimes ending cleanly (F-04);
* ``replay``: an older request of the same path (the oldest of the last few) reaches the server again
  before this one, as a delayed copy from the network would; its answer goes nowhere (F-11);
* ``stale``: the server handles this push, the desk gets the answer of an earlier push instead (two loops
  of one desk racing: an older answer applied after a newer one, F-11). The service echoes the push's
  batch id (and a pull's cursor), so the desk takes it as a transport failure and retries; pushes only;

and, independently of the armed fault, ``on_save`` (set by the caller, called once) is the clerk saving an
edit while a round is under way: after its pushes, just before its first pull (from the round's own thread,
so the interleaving is deterministic): the pulled rows meet a field with a pending op.
"""

from __future__ import annotations

import gzip
import threading
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum

import httpx

from crm_desktop.server.errors import ApiError
from crm_desktop.sync.protocol import ErrorCode

SYNC_PATHS = ("/v1/sync/push", "/v1/sync/pull")
KEPT = 4  # requests and answers kept per path for ``replay`` and ``stale``


class Fault(StrEnum):
    NONE = "none"
    DROP_REQUEST = "drop_request"
    DROP_RESPONSE = "drop_response"
    UNAVAILABLE = "unavailable"
    DUPLICATE = "duplicate"
    KILL = "kill"
    CUT = "cut"
    REPLAY = "replay"
    STALE = "stale"


class DeskKilled(Exception):
    """The desk process 'died' after the server answered and before the desk applied the answer."""


@dataclass
class Delivery:
    """One sync call as the fault transport saw it (for the run's history)."""

    path: str
    fault: Fault
    status: int | None


@dataclass
class FaultyTransport(httpx.BaseTransport):
    inner: httpx.BaseTransport
    calls: int = 0
    armed: dict[int, Fault] = field(default_factory=dict)
    history: list[Delivery] = field(default_factory=list)
    cut: float = 0.5  # the fraction of the answer's bytes a ``cut`` lets through
    sent: dict[str, deque[httpx.Request]] = field(default_factory=dict)
    answers: dict[str, deque[httpx.Response]] = field(default_factory=dict)
    on_save: Callable[[], None] | None = None

    def arm(self, fault: Fault, after_calls: int = 0, cut: float | None = None) -> None:
        """Fire ``fault`` on the sync call ``after_calls`` calls from now (0: the next one)."""
        if cut is not None:
            self.cut = cut
        if fault is not Fault.NONE:
            self.armed[self.calls + after_calls] = fault

    def disarm(self) -> None:
        self.armed.clear()
        self.on_save = None

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path not in SYNC_PATHS:
            return self._deliver(request)
        fault = self.armed.pop(self.calls, Fault.NONE)
        self.calls += 1
        status: int | None = None
        try:
            if fault is Fault.DROP_REQUEST:
                raise httpx.ConnectError("fault: request dropped", request=request)
            if fault is Fault.UNAVAILABLE:
                busy = ApiError(ErrorCode.BUSY)
                status = 503
                return httpx.Response(503, json=busy.body(), headers={"Retry-After": "1"}, request=request)
            if self.on_save is not None and request.url.path == SYNC_PATHS[1] and _main_thread():
                save, self.on_save = self.on_save, None
                save()
            path = request.url.path
            sent = self.sent.setdefault(path, deque(maxlen=KEPT))
            answers = self.answers.setdefault(path, deque(maxlen=KEPT))
            if fault is Fault.REPLAY and sent:
                self._deliver(sent[0])
            response = self._deliver(request)
            if fault is Fault.DUPLICATE:
                response = self._deliver(request)
            status = response.status_code
            earlier = answers[-1] if answers else None
            sent.append(request)
            if response.status_code == 200:
                answers.append(response)
            if fault is Fault.DROP_RESPONSE:
                raise httpx.ReadError("fault: response dropped", request=request)
            if fault is Fault.KILL:
                raise DeskKilled(path)
            if fault is Fault.CUT:
                return _cut(response, self.cut, request)
            if fault is Fault.STALE and earlier is not None and path == SYNC_PATHS[0]:
                return _copy(earlier, request)
            return response
        finally:
            self.history.append(Delivery(request.url.path, fault, status))

    def _deliver(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        response.read()
        return response

    def close(self) -> None:  # the inner transport belongs to the TestClient
        pass


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def _plain_headers(response: httpx.Response) -> dict[str, str]:
    """Headers of a response whose body is rebuilt from its decoded bytes."""
    return {k: v for k, v in response.headers.items() if k.lower() not in ("content-length", "content-encoding")}


def _copy(response: httpx.Response, request: httpx.Request) -> httpx.Response:
    return httpx.Response(response.status_code, headers=_plain_headers(response), content=response.content,
                          request=request)


class _CutStream(httpx.SyncByteStream):
    def __init__(self, head: bytes, broken: bool) -> None:
        self.head, self.broken = head, broken

    def __iter__(self) -> Iterator[bytes]:
        yield self.head
        if self.broken:
            raise httpx.RemoteProtocolError("fault: peer closed connection without sending complete message body")


def _cut(response: httpx.Response, fraction: float, request: httpx.Request) -> httpx.Response:
    """``response`` with its body cut after ``fraction`` of its bytes (on the wire: gzip-encoded for a
    fraction in the upper half), ending in a protocol error when the cut byte count is odd."""
    encoded = fraction >= 0.5
    body = gzip.compress(response.content) if encoded else response.content
    size = min(len(body) - 1, max(0, int(len(body) * fraction)))
    headers = _plain_headers(response)
    if encoded:
        headers["content-encoding"] = "gzip"
    return httpx.Response(response.status_code, headers=headers, stream=_CutStream(body[:size], size % 2 == 1),
                          request=request)


def faulty_client(test_client: httpx.Client) -> tuple[httpx.Client, FaultyTransport]:
    """An httpx client that reaches ``test_client``'s app through a ``FaultyTransport``."""
    faulty = FaultyTransport(test_client._transport)
    return httpx.Client(transport=faulty, base_url=str(test_client.base_url)), faulty
