"""Open a database: create it or bring its schema to head, backing it up first.

Schema changes happen only here, through Alembic. A database that already has
data and is behind head is copied with the SQLite backup API before the
upgrade; the upgrade itself runs in one transaction.
"""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from crm_desktop.db.backup import backup_database, timestamped_backup_path
from crm_desktop.db.engine import make_engine, write_engine
from crm_desktop.db.session import Database
from crm_desktop.errors import CrmError

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(path: Path) -> str | None:
    if not path.exists():
        return None
    engine = make_engine(path)
    try:
        with engine.connect() as conn:
            rev = MigrationContext.configure(conn).get_current_revision()
            conn.rollback()
            return rev
    finally:
        engine.dispose()


def upgrade(path: Path, revision: str = "head", *, backup: bool = True) -> Path | None:
    """Bring the database at ``path`` to ``revision``; returns the backup made, if any."""
    current = current_revision(path)
    target = head_revision() if revision == "head" else revision
    if current == target:
        return None
    backup_path = None
    if backup and current is not None:
        backup_path = backup_database(path, timestamped_backup_path(path, f"before-{target}"))
        log.info("backed up %s to %s before migrating", path, backup_path)
    engine = write_engine(make_engine(path))
    try:
        with engine.connect() as conn:
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
            conn.commit()
    finally:
        engine.dispose()
    return backup_path


def open_database(path: Path | str, *, create: bool = True) -> Database:
    """The database at ``path``, migrated to head (created if missing and ``create``)."""
    path = Path(path)
    if not path.exists() and not create:
        raise CrmError(f"پایگاه داده «{path}» پیدا نشد.", code="db_missing")
    path.parent.mkdir(parents=True, exist_ok=True)
    upgrade(path)
    db = Database(path)
    db.load_identity()
    return db
