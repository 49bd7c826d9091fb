"""The database handle and the unit of work: one transaction per use case.

``Database.write(ctx)`` opens ``BEGIN IMMEDIATE``, fills ``sync_ctx`` with the
transaction's identity (so the journal triggers can record who, when, which
device and which transaction), yields an ORM session, and commits everything or
nothing. ``Database.read()`` yields a session on a consistent snapshot.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.orm import Session, sessionmaker

from crm_desktop.db.engine import make_engine, write_engine
from crm_desktop.models import SyncedMixin, new_id, utc_now
from crm_desktop.models.base import to_utc_text

SYSTEM_USER = "system"


@dataclass(frozen=True)
class WriteContext:
    """Who writes and why: recorded on every journal row of the transaction."""

    user_id: str
    source: str = "app"
    tx_id: str = field(default_factory=new_id)


class HybridLogicalClock:
    """HLC stamps ``<wall ms>-<counter>-<device>``: for display and audit order only."""

    def __init__(self, device_id: str, last: str | None = None) -> None:
        self._device = device_id
        self._lock = threading.Lock()
        self._ms, self._counter = 0, 0
        if last:
            ms, counter, *_ = last.split("-")
            self._ms, self._counter = int(ms), int(counter)

    def now(self) -> str:
        with self._lock:
            wall = int(time.time() * 1000)
            if wall > self._ms:
                self._ms, self._counter = wall, 0
            else:
                self._counter += 1
            return f"{self._ms:013d}-{self._counter:05d}-{self._device}"


def driver_connection(session: Session) -> sqlite3.Connection:
    """The session's DB-API connection, for hot paths written in SQL: ``sqlite3``'s, or its twin from
    ``sqlcipher3`` on an encrypted database (same API, another class: do not check with isinstance)."""
    raw: sqlite3.Connection = session.connection().connection.driver_connection  # type: ignore[assignment]
    return raw


class Database:
    """One SQLite database file: engines, sessions, device identity and clock."""

    def __init__(self, path: Path | str, key: bytes | None = None) -> None:
        self.path = Path(path)
        self.key = key  # the SQLCipher data key of an encrypted database (held in memory only)
        self.engine = make_engine(self.path, key)
        self._reader = sessionmaker(self.engine, expire_on_commit=False)
        self._writer = sessionmaker(write_engine(self.engine), expire_on_commit=False)
        self._device_id: str | None = None
        self._schema_version: str = "0"
        self._hlc: HybridLogicalClock | None = None
        self.trace: Callable[[str], None] | None = None

    # -- identity -----------------------------------------------------------------------------
    def load_identity(self) -> None:
        """Read the device id and schema version (after migrations have run)."""
        self.ensure_statistics()
        with self.engine.connect() as conn:
            meta: dict[str, str] = dict(conn.execute(text("SELECT k, v FROM app_meta")).all())
            last = conn.execute(text("SELECT hlc FROM change_journal ORDER BY seq DESC LIMIT 1")).scalar()
            conn.rollback()
        self._device_id = meta["device_id"]
        self._schema_version = meta.get("schema_version", "0")
        self._hlc = HybridLogicalClock(self._device_id, last)

    @property
    def device_id(self) -> str:
        if self._device_id is None:
            self.load_identity()
        assert self._device_id is not None
        return self._device_id

    def hlc(self) -> str:
        if self._hlc is None:
            self.load_identity()
        assert self._hlc is not None
        return self._hlc.now()

    def meta(self, key: str) -> str | None:
        with self.read() as s:
            value: str | None = s.execute(text("SELECT v FROM app_meta WHERE k = :k"), {"k": key}).scalar()
            return value

    # -- sessions -----------------------------------------------------------------------------
    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session on one snapshot; rolled back at the end."""
        session = self._reader()
        try:
            yield session
        finally:
            session.close()  # the pool rolls the connection back; loaded objects stay readable

    @contextmanager
    def read_raw(self) -> Iterator[sqlite3.Connection]:
        """A plain ``sqlite3`` connection on one snapshot, for hot read paths written in SQL.

        ``trace`` (when set) receives every statement it runs, with its values filled in.
        """
        with self.engine.connect() as conn:
            raw: sqlite3.Connection = conn.connection.driver_connection  # type: ignore[assignment]  # or sqlcipher3's twin
            raw.set_trace_callback(self.trace)
            try:
                raw.execute("BEGIN")
                yield raw
            finally:
                if raw.in_transaction:
                    raw.execute("ROLLBACK")
                raw.set_trace_callback(None)

    @contextmanager
    def write(self, ctx: WriteContext) -> Iterator[Session]:
        """One write transaction: everything inside commits together or not at all."""
        session = self._writer()
        session.info["write_ctx"] = ctx
        session.info["device_id"] = self.device_id
        now = utc_now()
        session.info["now"] = now
        try:
            with session.begin():
                self._set_context(session, ctx, now)
                yield session
                session.flush()
                session.execute(text("DELETE FROM sync_ctx WHERE k <> 'applying'"))
        finally:
            session.close()

    def _set_context(self, session: Session, ctx: WriteContext, now: datetime) -> None:
        values = {
            "tx": ctx.tx_id,
            "user": ctx.user_id,
            "device": self.device_id,
            "hlc": self.hlc(),
            "source": ctx.source,
            "schema_version": self._schema_version,
            "now": to_utc_text(now),
        }
        session.execute(
            text("INSERT OR REPLACE INTO sync_ctx(k, v) VALUES (:k, :v)"),
            [{"k": k, "v": v} for k, v in values.items()],
        )

    def ensure_statistics(self, *, refresh: bool = False) -> None:
        """Give SQLite's planner table statistics (``ANALYZE``) when it has none for a filled table.

        The search and list plans depend on them: without statistics SQLite guesses that
        ``branch_id = ?`` matches a handful of customers and walks the wrong index.
        ``analysis_limit`` keeps this to a fraction of a second even on a million customers.
        """
        with self.engine.connect() as conn:
            if not refresh:
                analysed = conn.exec_driver_sql(
                    "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'"
                ).scalar() and conn.exec_driver_sql(
                    "SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'customer'"
                ).scalar()
                filled = conn.exec_driver_sql(
                    "SELECT count(*) FROM (SELECT 1 FROM customer LIMIT 1000)"
                ).scalar() == 1000
                refresh = filled and not analysed
            conn.rollback()
            if refresh:
                conn.exec_driver_sql("PRAGMA analysis_limit=2000")
                conn.exec_driver_sql("ANALYZE")
                conn.commit()

    def dispose(self) -> None:
        """Close every connection (once: a second call does nothing, and never reopens the file)."""
        if getattr(self, "_disposed", False):
            return
        self._disposed = True
        with self.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA optimize")
            conn.commit()
        self.engine.dispose()


@event.listens_for(Session, "before_flush")
def _stamp_changes(session: Session, _flush_context: Any, _instances: Any) -> None:
    """Fill who/when/where on every new or changed synced record of a write session."""
    ctx: WriteContext | None = session.info.get("write_ctx")
    if ctx is None:
        return
    now = session.info["now"]
    device = session.info["device_id"]
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, SyncedMixin) and (obj in session.new or session.is_modified(obj)):
            if obj in session.new and obj.created_at is None:
                obj.created_at = now
            obj.updated_at = now
            obj.changed_by = ctx.user_id
            obj.changed_device = device
