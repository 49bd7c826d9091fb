"""Open a database: create it or bring its schema to head, backing it up first.

Schema changes happen only here, through Alembic. A database that already has
data and is behind head is copied with the SQLite backup API before the
upgrade; the upgrade itself runs in one transaction.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from crm_desktop.db.backup import backup_database, timestamped_backup_path
from crm_desktop.db.cipher import KEY_FILE_SUFFIX, LockedDatabase, connect, is_encrypted, unlock
from crm_desktop.db.engine import make_engine, write_engine
from crm_desktop.db.session import Database
from crm_desktop.errors import CrmError

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
#: The newest revision in migrations/versions; a test checks it against Alembic's own head. Knowing it lets an
#: up-to-date database open without importing Alembic at all (a third of a second at every start).
HEAD = "0007"


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(path: Path, key: bytes | None = None) -> str | None:
    if not path.exists():
        return None
    from alembic.runtime.migration import MigrationContext

    engine = make_engine(path, key)
    try:
        with engine.connect() as conn:
            rev = MigrationContext.configure(conn).get_current_revision()
            conn.rollback()
            return rev
    finally:
        engine.dispose()


def _stamped_revision(path: Path, key: bytes | None = None) -> str | None:
    """The revision recorded in the file, read with the plain driver (None when absent or unreadable)."""
    if not path.exists():
        return None
    try:
        conn = connect(f"file:{path}?mode=ro", key, uri=True)
        try:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            conn.close()
    except Exception:  # sqlite3.Error, or sqlcipher3's own DatabaseError for a file it cannot read
        return None
    return str(row[0]) if row else None


def upgrade(path: Path, revision: str = "head", *, backup: bool = True, key: bytes | None = None) -> Path | None:
    """Bring the database at ``path`` to ``revision``; returns the backup made, if any."""
    if revision == "head" and _stamped_revision(path, key) == HEAD:
        return None
    from alembic import command

    current = current_revision(path, key)
    target = head_revision() if revision == "head" else revision
    if current == target:
        return None
    backup_path = None
    if backup and current is not None:
        backup_path = backup_database(path, timestamped_backup_path(path, f"before-{target}"), key=key)
        log.info("backed up %s to %s before migrating", path, backup_path)
    engine = write_engine(make_engine(path, key))
    try:
        with engine.connect() as conn:
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
            conn.commit()
    finally:
        engine.dispose()
    return backup_path


def open_database(path: Path | str, *, create: bool = True, key: bytes | None = None) -> Database:
    """The database at ``path``, migrated to head (created if missing and ``create``).

    An encrypted database needs its data key (``cipher.unlock``); without it this refuses in Persian.
    """
    path = Path(path)
    if not path.exists() and not create:
        raise CrmError(f"پایگاه داده «{path}» پیدا نشد.", code="db_missing")
    if key is None and is_encrypted(path):
        raise LockedDatabase(f"پایگاه داده «{path.name}» رمزگذاری شده است؛ برای باز کردن آن وارد شوید.")
    path.parent.mkdir(parents=True, exist_ok=True)
    upgrade(path, key=key)
    db = Database(path, key)
    db.load_identity()
    return db


def open_database_as(path: Path | str, username: str, password: str, *, create: bool = False) -> Database:
    """Like ``open_database``; an encrypted database is first unlocked with this user's password."""
    path = Path(path)
    key = unlock(path, username, password) if is_encrypted(path) else None
    return open_database(path, create=create, key=key)


def remove_database(path: Path) -> None:
    """Delete a database this program has just created (its WAL, shared memory and key file too), so that a
    failed set-up leaves nothing behind."""
    for suffix in ("", "-wal", "-shm", KEY_FILE_SUFFIX):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
