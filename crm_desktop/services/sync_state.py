"""How far this database is ahead of the central server (the status bar's sync figures)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from crm_desktop.models.base import from_utc_text
from crm_desktop.services.base import ServiceBase
from crm_desktop.sync.client import credentials, store
from crm_desktop.sync.client.store import PUSHED_SEQ_KEY, Key

__all__ = ["PUSHED_SEQ_KEY", "SyncStateService", "SyncStatus"]


@dataclass(frozen=True)
class SyncStatus:
    registered: bool
    pending: int  # changes not yet acknowledged by the server (parked ones excluded)
    open_conflicts: int
    rejected: int  # parked changes waiting for the clerk
    last_sync: datetime | None  # the last round that pulled until up to date
    last_error: str | None  # "<utc time> <code>" of the last failed round, None after a success
    server_url: str = ""
    credential_in_keystore: bool = False  # the device credential is in the OS keystore (not in the database)


class SyncStateService(ServiceBase):
    def pending_changes(self) -> int:
        """Journal entries written here and not yet acknowledged by the server (a rowid range count)."""
        with self.db.read_raw() as conn:
            return store.counts(conn).pending

    def status(self) -> SyncStatus:
        with self.db.read_raw() as conn:
            counts, state = store.counts(conn), store.state(conn, secrets=False)
        last = state.get(Key.LAST_PULL_OK)
        return SyncStatus(
            registered=Key.DEVICE_ID in state and Key.SERVER_URL in state, pending=counts.pending,
            open_conflicts=counts.open_conflicts, rejected=counts.rejected,
            last_sync=from_utc_text(last) if last else None, last_error=state.get(Key.LAST_ERROR),
            server_url=state.get(Key.SERVER_URL, ""),
            credential_in_keystore=credentials.in_keystore(state.get(Key.CREDENTIAL)),
        )
