"""SQLite engines with the settings that keep data safe.

Every connection: WAL, ``synchronous=FULL``, foreign keys on, a busy timeout.
pysqlite's own transaction handling is switched off (``isolation_level=None``)
and we emit BEGIN ourselves: ``BEGIN IMMEDIATE`` for writes, so that a write
transaction takes the lock up front instead of failing with "database is
locked" when it upgrades from a read (see tech notes), and a plain deferred
BEGIN for reads, so that a page of queries reads one consistent snapshot.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.pool import QueuePool

from crm_desktop.db.cipher import raw_key_pragma

BUSY_TIMEOUT_MS = 10_000
WRITE_OPTION = "crm_write"


def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    try:
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA cache_size=-16384")  # 16 MiB page cache per pooled connection (the OS caches the file too)
        cur.execute("PRAGMA temp_store=MEMORY")
    finally:
        cur.close()


def make_engine(path: Path | str, key: bytes | None = None) -> Engine:
    """An engine for one database file; use ``write_engine(engine)`` for writes.

    With ``key`` the file is a SQLCipher database opened with that raw key (see ``cipher``); the
    dialect sets the key before any other statement on every new connection.
    """
    if key is None:
        url = URL.create("sqlite", database=str(Path(path)))
    else:
        url = URL.create("sqlite+pysqlcipher", password=raw_key_pragma(key), database=str(Path(path)))
    engine = create_engine(
        url,
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        poolclass=QueuePool,  # pysqlcipher would pick one connection per thread
        pool_size=4,
        max_overflow=4,
    )
    event.listen(engine, "connect", _on_connect)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        if conn.get_execution_options().get(WRITE_OPTION):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")

    return engine


def write_engine(engine: Engine) -> Engine:
    """The same engine (same pool) whose transactions begin with BEGIN IMMEDIATE."""
    return engine.execution_options(**{WRITE_OPTION: True})
