"""HTTP to the sync service (httpx): timeouts, gzip answers, bearer tokens refreshed through
``/v1/auth/token``, and every failure turned into a ``SyncError`` with a Persian message and a stable code.
A JSON answer cut short (mid-stream, mid-gzip, or ended cleanly too early) is a transport failure
(``server_unreachable``, retried): nothing of it is applied.

Requests go uncompressed (the service decompresses nothing); answers arrive gzip-compressed when large
(httpx asks for and inflates them).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx
import orjson

from crm_desktop.errors import CrmError
from crm_desktop.sync.protocol import ErrorCode

UNREACHABLE = "server_unreachable"
#: A pulled row collides with a local change not yet answered (two desks onboarding one national id):
#: the round stops, and the next one pushes first, so the server answers (parks) that change.
APPLY_CONFLICT = "apply_conflict"
TIMEOUT = httpx.Timeout(30.0, connect=10.0)
_REFRESH_MARGIN_S = 60

MESSAGES = {
    UNREACHABLE: "سرور همگام‌سازی در دسترس نیست؛ تغییرها محفوظ می‌مانند و بعداً دوباره تلاش می‌شود.",
    "bad_answer": "پاسخ سرور همگام‌سازی نامفهوم است.",
    APPLY_CONFLICT: "تغییرهای دریافتی با تغییرهای ارسال‌نشدهٔ این دستگاه هم‌خوان نیست؛"
                    " پس از ارسال آن‌ها دوباره تلاش می‌شود.",
    "not_registered": "این دستگاه هنوز در سرور همگام‌سازی ثبت نشده است؛ ابتدا «crm-desktop sync register» را اجرا کنید.",
}


class SyncError(CrmError):
    """A failed sync request: ``code`` is a ``protocol.ErrorCode`` (or ``server_unreachable``)."""

    def __init__(self, message: str, *, code: str, status: int = 0, body: dict[str, Any] | None = None,
                 retry_after: float | None = None) -> None:
        super().__init__(message, code=code)
        self.status = status
        self.body = body or {}
        self.retry_after = retry_after

    @property
    def retryable(self) -> bool:
        return self.code in (UNREACHABLE, APPLY_CONFLICT, ErrorCode.BUSY) or self.status >= 500 or self.status == 429


class Unreachable(SyncError):
    def __init__(self, detail: str = "") -> None:
        super().__init__(MESSAGES[UNREACHABLE], code=UNREACHABLE, body={"detail": detail})


def _cut_short(response: httpx.Response, payload: Any) -> bool:
    """A JSON answer whose body does not parse: the stream was cut (a proxy or a dropped connection ended
    it cleanly), a transport failure rather than a server that answers nonsense."""
    return payload is None and response.headers.get("content-type", "").startswith("application/json")


def _answering(answer: dict[str, Any], key: str, sent: object) -> dict[str, Any]:
    """The answer, if it answers this request (the service echoes the push's batch id and the pull's cursor):
    an answer delivered for another request (an old one, two loops racing) is a transport failure, retried."""
    if key in answer and sent is not None and answer[key] != sent:
        raise Unreachable(f"the answer of another request ({key})")
    return answer


class Transport:
    """One server: ``post(path, body)`` with the device's token, refreshed when it expires."""

    def __init__(self, base_url: str, *, username: str = "", password: str = "",
                 client: httpx.Client | None = None, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.base_url = base_url.rstrip("/")
        self.username, self.password = username, password
        self._client = client or httpx.Client(timeout=TIMEOUT, headers={"Accept-Encoding": "gzip"})
        self._own_client = client is None
        self._monotonic = monotonic
        self._token: str | None = None
        self._token_until = 0.0
        self.device_id = ""
        self.credential = ""
        self.token_claims: dict[str, Any] = {}

    def close(self) -> None:
        if self._own_client:
            self._client.close()

    def _url(self, path: str) -> str:
        return path if not self.base_url else f"{self.base_url}{path}"

    def _send(self, path: str, body: dict[str, Any], headers: dict[str, str] | None = None) -> dict[str, Any]:
        try:
            response = self._client.post(self._url(path), content=orjson.dumps(body),
                                         headers={"Content-Type": "application/json", **(headers or {})})
        except (httpx.TransportError, httpx.DecodingError) as exc:  # incl. a body cut mid-stream or mid-gzip
            raise Unreachable(type(exc).__name__) from exc
        try:
            payload: Any = orjson.loads(response.content)
        except ValueError:  # orjson.JSONDecodeError is one
            payload = None
        if response.status_code == 200 and isinstance(payload, dict):
            return payload
        if not isinstance(payload, dict):
            if response.status_code >= 500:
                raise Unreachable(f"HTTP {response.status_code}")
            if _cut_short(response, payload):  # nothing of it is used: the request is simply retried
                raise Unreachable(f"HTTP {response.status_code}: answer cut short")
            raise SyncError(MESSAGES["bad_answer"], code="bad_answer", status=response.status_code)
        retry = response.headers.get("Retry-After")
        raise SyncError(str(payload.get("message") or MESSAGES["bad_answer"]), code=str(payload.get("code", "error")),
                        status=response.status_code, body=payload,
                        retry_after=float(retry) if retry and retry.isdigit() else None)

    def peek_code(self, code: str) -> dict[str, Any]:
        """The branch of a registration code, without using the code (the service's dry run)."""
        return self._send("/v1/devices/register", {"code": code, "dry_run": True})

    def register(self, code: str, device_name: str, app_version: str, schema_version: int) -> dict[str, Any]:
        return self._send("/v1/devices/register", {"code": code, "device_name": device_name,
                                                   "app_version": app_version, "schema_version": schema_version})

    def sign_in(self) -> dict[str, Any]:
        if not self.device_id:
            raise SyncError(MESSAGES["not_registered"], code="not_registered")
        answer = self._send("/v1/auth/token", {"device_id": self.device_id, "credential": self.credential,
                                               "username": self.username, "password": self.password})
        self._token = str(answer["access_token"])
        self._token_until = self._monotonic() + float(answer.get("expires_in", 0)) - _REFRESH_MARGIN_S
        self.token_claims = answer
        return answer

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        """An authenticated call; a token that expired or was refused is renewed once."""
        if self._token is None or self._monotonic() >= self._token_until:
            self.sign_in()
        try:
            return self._send(path, body, {"Authorization": f"Bearer {self._token}"})
        except SyncError as exc:
            if exc.code != ErrorCode.TOKEN_INVALID:
                raise
        self.sign_in()
        return self._send(path, body, {"Authorization": f"Bearer {self._token}"})

    def push(self, body: dict[str, Any]) -> dict[str, Any]:
        return _answering(self.post("/v1/sync/push", body), "batch_id", body.get("batch_id"))

    def pull(self, body: dict[str, Any]) -> dict[str, Any]:
        return _answering(self.post("/v1/sync/pull", body), "request_cursor", body.get("cursor"))
