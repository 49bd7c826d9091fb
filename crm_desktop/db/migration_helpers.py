"""Steps that migrations share: journal triggers, device identity, schema version.

Migrations name their tables and column rules explicitly, so an old migration
keeps meaning what it meant when the models change later.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import Connection, text

from crm_desktop.db.journal import install_append_only_guards, install_journal_triggers
from crm_desktop.models.base import new_id, to_utc_text, utc_now


def install_triggers(conn: Connection, tables: Mapping[str, Mapping[str, Sequence[str]]]) -> None:
    for table, rules in tables.items():
        install_journal_triggers(
            conn, table, exclude=rules.get("exclude", ()), redact=rules.get("redact", ())
        )
    for table in ("change_journal", "access_log"):
        install_append_only_guards(conn, table)


def init_identity(conn: Connection) -> None:
    """Give a new database its device id (a restored copy must register anew for sync)."""
    conn.execute(
        text("INSERT OR IGNORE INTO app_meta(k, v) VALUES ('device_id', :d), ('created_at', :t)"),
        {"d": new_id(), "t": to_utc_text(utc_now())},
    )
    conn.execute(text("INSERT OR REPLACE INTO sync_ctx(k, v) VALUES ('applying', '0')"))


def set_schema_version(conn: Connection, version: int) -> None:
    conn.execute(
        text("INSERT OR REPLACE INTO app_meta(k, v) VALUES ('schema_version', :v)"), {"v": str(version)}
    )
