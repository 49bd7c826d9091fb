"""How far this database is ahead of the central server (the status bar's "not yet synced" count)."""

from __future__ import annotations

from crm_desktop.services.base import ServiceBase

#: app_meta key holding the last journal ``seq`` the central server acknowledged (set by the sync, #6).
PUSHED_SEQ_KEY = "sync.pushed_seq"


class SyncStateService(ServiceBase):
    def pending_changes(self) -> int:
        """Journal entries written here and not yet acknowledged by the server (a rowid range count)."""
        with self.db.read_raw() as conn:
            row = conn.execute("SELECT v FROM app_meta WHERE k = ?", (PUSHED_SEQ_KEY,)).fetchone()
            pushed = int(row[0]) if row and str(row[0]).isdigit() else 0
            count = conn.execute("SELECT count(*) FROM change_journal WHERE seq > ?", (pushed,)).fetchone()[0]
        return int(count)
