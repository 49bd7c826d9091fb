"""The service's database: engine, migrations and the ``sync_meta`` facts (epoch, schema range, horizon)."""

from __future__ import annotations

import uuid
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, text

MIGRATIONS = Path(__file__).with_name("migrations")


def make_engine(url: str, *, pool_size: int = 10) -> Engine:
    """An engine for ``postgresql+psycopg://`` URLs (psycopg 3)."""
    return create_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the server schema to ``revision`` (Alembic, in one transaction)."""
    with engine.begin() as conn:
        config = alembic_config()
        config.attributes["connection"] = conn
        command.upgrade(config, revision)


def get_meta(conn: Connection, key: str) -> str | None:
    value = conn.execute(text("SELECT value FROM sync_meta WHERE key = :k"), {"k": key}).scalar()
    return None if value is None else str(value)


def set_meta(conn: Connection, key: str, value: str) -> None:
    conn.execute(
        text("INSERT INTO sync_meta(key, value) VALUES (:k, :v) ON CONFLICT (key) DO UPDATE SET value = :v"),
        {"k": key, "v": value},
    )


def rotate_epoch(engine: Engine) -> str:
    """A new server incarnation (restore-from-backup runbook): every desk resets and replays its outbox."""
    epoch = str(uuid.uuid4())
    with engine.begin() as conn:
        set_meta(conn, "server_epoch", epoch)
    return epoch
