"""A fault-injecting httpx transport in front of the in-process sync service (design note §12, F-01…F-03, F-11).

It wraps the transport of a FastAPI ``TestClient`` (the real app over real PostgreSQL). Faults are armed per
sync call (``/v1/sync/push`` and ``/v1/sync/pull``; token calls always pass) and fire on the n-th such call:

* ``drop_request``: the request never reaches the server (a connection error);
* ``drop_response``: the server handles it and commits, the desk sees a read error;
* ``unavailable``: a 503 ``busy`` answer with ``Retry-After``, the server untouched;
* ``duplicate``: the same body is delivered twice, the desk gets the second answer;
* ``kill``: the server answers, then ``DeskKilled`` is raised before the desk can apply anything: the caller
  throws the desk's Python objects away and reopens it from its SQLite file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import httpx

from crm_desktop.server.errors import ApiError
from crm_desktop.sync.protocol import ErrorCode

SYNC_PATHS = ("/v1/sync/push", "/v1/sync/pull")


class Fault(StrEnum):
    NONE = "none"
    DROP_REQUEST = "drop_request"
    DROP_RESPONSE = "drop_response"
    UNAVAILABLE = "unavailable"
    DUPLICATE = "duplicate"
    KILL = "kill"


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

    def arm(self, fault: Fault, after_calls: int = 0) -> None:
        """Fire ``fault`` on the sync call ``after_calls`` calls from now (0: the next one)."""
        if fault is not Fault.NONE:
            self.armed[self.calls + after_calls] = fault

    def disarm(self) -> None:
        self.armed.clear()

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
            response = self._deliver(request)
            if fault is Fault.DUPLICATE:
                response = self._deliver(request)
            status = response.status_code
            if fault is Fault.DROP_RESPONSE:
                raise httpx.ReadError("fault: response dropped", request=request)
            if fault is Fault.KILL:
                raise DeskKilled(request.url.path)
            return response
        finally:
            self.history.append(Delivery(request.url.path, fault, status))

    def _deliver(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        response.read()
        return response

    def close(self) -> None:  # the inner transport belongs to the TestClient
        pass


def faulty_client(test_client: httpx.Client) -> tuple[httpx.Client, FaultyTransport]:
    """An httpx client that reaches ``test_client``'s app through a ``FaultyTransport``."""
    faulty = FaultyTransport(test_client._transport)
    return httpx.Client(transport=faulty, base_url=str(test_client.base_url)), faulty
