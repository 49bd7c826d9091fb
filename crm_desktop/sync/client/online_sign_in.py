"""The desk's first sign-in of a user who came from the server: ask the server (``POST /v1/auth/token`` with
this desk's device credential) whether the password is right. Implements ``services.users.OnlineVerifier``."""

from __future__ import annotations

import httpx

from crm_desktop.db.session import Database
from crm_desktop.sync.client import store
from crm_desktop.sync.client.store import Key
from crm_desktop.sync.client.transport import MESSAGES, SyncError, Transport
from crm_desktop.sync.protocol import ErrorCode

#: Short: the clerk waits on the sign-in dialog.
TIMEOUT = httpx.Timeout(15.0, connect=5.0)


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
            raise
        finally:
            if self._client is None:
                http.close()
        return True
