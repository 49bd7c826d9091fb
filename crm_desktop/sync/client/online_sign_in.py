"""The desk's first sign-in of a user who came from the server: ask the server (``POST /v1/auth/token`` with
this desk's device credential) whether the password is right. Implements ``services.users.OnlineVerifier``.

Only ``bad_credentials`` means a wrong password. A device credential the server no longer accepts
(``device_credential``) is the desk's fault, not the clerk's: it is a ``SyncError`` saying the desk must be
registered again, which the sign-in shows as it is (and counts as no failed attempt of the clerk's)."""

from __future__ import annotations

import httpx

from crm_desktop.db.session import Database
from crm_desktop.sync.client import store
from crm_desktop.sync.client.store import Key
from crm_desktop.sync.client.transport import MESSAGES, SyncError, Transport
from crm_desktop.sync.protocol import ErrorCode

#: Short: the clerk waits on the sign-in dialog.
TIMEOUT = httpx.Timeout(15.0, connect=5.0)
DESK_NOT_REGISTERED = (
    "ثبت این میز در سرور همگام‌سازی دیگر معتبر نیست (سرور اعتبارنامهٔ این دستگاه را نپذیرفت)؛ گذرواژهٔ شما بررسی"
    " نشد. مدیر سامانه باید این میز را دوباره در سرور ثبت کند؛ تا آن زمان نخستین ورود کاربران تازه به این میز"
    " ممکن نیست."
)


class ServerPasswordCheck:
    """``verify(username, password)``: True when the server issues a token, False when it refuses the password;
    a ``SyncError`` (retryable when unreachable) otherwise."""

    def __init__(self, db: Database, *, client: httpx.Client | None = None) -> None:
        self.db = db
        self._client = client

    def verify(self, username: str, password: str) -> bool:
        with store.read_tx(self.db) as raw:
            state = store.state(raw)
        if Key.DEVICE_ID not in state or not state.get(Key.SERVER_URL):
            raise SyncError(MESSAGES["not_registered"], code="not_registered")
        http = self._client or httpx.Client(timeout=TIMEOUT)
        transport = Transport(state[Key.SERVER_URL], username=username, password=password, client=http)
        transport.device_id, transport.credential = state[Key.DEVICE_ID], state.get(Key.CREDENTIAL, "")
        try:
            transport.sign_in()
        except SyncError as exc:
            if exc.code == ErrorCode.BAD_CREDENTIALS:
                return False
            if exc.code == ErrorCode.DEVICE_CREDENTIAL:
                raise SyncError(DESK_NOT_REGISTERED, code=exc.code, status=exc.status, body=exc.body) from exc
            raise
        finally:
            if self._client is None:
                http.close()
        return True
