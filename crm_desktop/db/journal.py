"""Change capture: SQLite triggers that journal every write, generated per table.

Triggers, not ORM events, so that no write path can bypass the journal: ORM
flushes, Core bulk updates, raw SQL and migrations are all captured, in the
same transaction as the write. The triggers read their context (transaction
id, user, device, HLC, source) from ``sync_ctx``, which a unit of work fills
after ``BEGIN IMMEDIATE`` and clears before COMMIT. Guard triggers refuse:

* any write when no unit of work is open (``sync_ctx.tx`` unset) unless the
  sync engine is adopting server state (``applying = '1'``);
* an update that does not increase ``version``;
* a hard delete of a customer (customers are tombstoned, never deleted);
* any update or delete of the journal and the access log (append-only).

The column lists are read from the live table (``PRAGMA table_info``), so a
migration that adds a column re-installs the triggers of that table.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection

CTX = "(SELECT v FROM sync_ctx WHERE k = '{key}')"
NOT_APPLYING = "COALESCE((SELECT v FROM sync_ctx WHERE k = 'applying'), '0') = '0'"
META_COLUMNS = ("updated_at", "version", "changed_by", "changed_device")
NO_HARD_DELETE = ("customer",)
APPEND_ONLY = ("change_journal", "access_log")


def _ctx(key: str) -> str:
    return CTX.format(key=key)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _value(row: str, column: str, redact: bool) -> str:
    ref = f"{row}.{_quote(column)}"
    return f"CASE WHEN {ref} IS NULL THEN NULL ELSE '***' END" if redact else ref


def table_columns(conn: Connection, table: str) -> list[str]:
    rows = conn.exec_driver_sql(f"PRAGMA table_info({_quote(table)})").fetchall()
    if not rows:
        raise ValueError(f"no such table: {table}")
    return [row[1] for row in rows]


def _entry_select(tbl_sql: str, pk_sql: str, kind_sql: str, changed_sql: str) -> str:
    """``INSERT ... SELECT`` of one journal entry: these four values, the rest from the unit of work's context."""
    return (
        "INSERT INTO change_journal(tx_id, tbl, pk, kind, changed, user_id, device_id, hlc, source,"
        " schema_version, created_at) "
        f"SELECT {_ctx('tx')}, {tbl_sql}, {pk_sql}, {kind_sql}, {changed_sql}, {_ctx('user')}, {_ctx('device')},"
        f" {_ctx('hlc')}, {_ctx('source')}, CAST({_ctx('schema_version')} AS INTEGER), {_ctx('now')}"
    )


#: One journal entry a service writes itself inside a unit of work (parameters: tbl, pk, kind, changed JSON),
#: filled like the triggers fill theirs: a clerk's ``resolve`` decision, a demo seed batch.
ENTRY_SQL = _entry_select("?", "?", "?", "?")


def _journal_insert(table: str, kind_sql: str, changed_sql: str, pk_row: str, where: str = "1") -> str:
    entry = _entry_select(f"'{table}'", f"{pk_row}.id", kind_sql, "j")
    return f"{entry} FROM (SELECT {changed_sql} AS j) WHERE {where};"


def trigger_sql(
    table: str, columns: Iterable[str], *, exclude: Iterable[str] = (), redact: Iterable[str] = ()
) -> list[str]:
    """The CREATE TRIGGER statements that journal and guard one synced table."""
    excluded, redacted = set(exclude), set(redact)
    cols = [c for c in columns if c not in excluded and c not in META_COLUMNS]
    insert_obj = "json_object(" + ", ".join(
        f"'{c}', json_array(NULL, {_value('NEW', c, c in redacted)})" for c in cols
    ) + ")"
    delete_obj = "json_object(" + ", ".join(
        f"'{c}', json_array({_value('OLD', c, c in redacted)}, NULL)" for c in cols
    ) + ")"
    # A flat concatenation: nested json_patch() calls overflow SQLite's parser on wide tables.
    pieces = []
    for c in cols:
        if c == "id":
            continue
        q = _quote(c)
        pair = f"json_array({_value('OLD', c, c in redacted)}, {_value('NEW', c, c in redacted)})"
        pieces.append(f"CASE WHEN OLD.{q} IS NOT NEW.{q} THEN ',\"{c}\":' || {pair} ELSE '' END")
    update_obj = "'{' || substr(" + " || ".join(pieces) + ", 2) || '}'"
    update_kind = (
        "CASE WHEN OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL THEN 'delete'"
        " WHEN OLD.deleted_at IS NOT NULL AND NEW.deleted_at IS NULL THEN 'restore' ELSE 'update' END"
    )
    outside_uow = f"{NOT_APPLYING} AND {_ctx('tx')} IS NULL"
    abort = "SELECT RAISE(ABORT, 'crm-journal: write outside a unit of work');"
    t = _quote(table)
    statements = [
        f"CREATE TRIGGER trg_{table}_guard_ins BEFORE INSERT ON {t} WHEN {outside_uow} BEGIN {abort} END",
        f"CREATE TRIGGER trg_{table}_guard_upd BEFORE UPDATE ON {t} WHEN {outside_uow} BEGIN {abort} END",
        f"CREATE TRIGGER trg_{table}_guard_del BEFORE DELETE ON {t} WHEN {outside_uow} BEGIN {abort} END",
        f"CREATE TRIGGER trg_{table}_version BEFORE UPDATE ON {t} "
        f"WHEN {NOT_APPLYING} AND NEW.version <= OLD.version "
        "BEGIN SELECT RAISE(ABORT, 'crm-journal: version must increase on every update'); END",
        f"CREATE TRIGGER trg_{table}_journal_ins AFTER INSERT ON {t} WHEN {NOT_APPLYING} BEGIN "
        + _journal_insert(table, "'insert'", insert_obj, "NEW") + " END",
        f"CREATE TRIGGER trg_{table}_journal_upd AFTER UPDATE ON {t} WHEN {NOT_APPLYING} BEGIN "
        + _journal_insert(table, update_kind, update_obj, "NEW", "j <> '{}'") + " END",
        f"CREATE TRIGGER trg_{table}_journal_del AFTER DELETE ON {t} WHEN {NOT_APPLYING} BEGIN "
        + _journal_insert(table, "'purge'", delete_obj, "OLD") + " END",
    ]
    if table in NO_HARD_DELETE:
        statements.append(
            f"CREATE TRIGGER trg_{table}_no_delete BEFORE DELETE ON {t} WHEN {NOT_APPLYING} "
            "BEGIN SELECT RAISE(ABORT, 'crm-journal: records of this table are tombstoned, not deleted'); END"
        )
    return statements


def trigger_names(conn: Connection, table: str) -> list[str]:
    rows = conn.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? AND name LIKE 'trg_%'",
        (table,),
    ).fetchall()
    return [r[0] for r in rows]


def install_journal_triggers(
    conn: Connection, table: str, *, exclude: Iterable[str] = (), redact: Iterable[str] = ()
) -> None:
    """(Re)create the journal and guard triggers of ``table`` from its live columns."""
    for name in trigger_names(conn, table):
        conn.exec_driver_sql(f"DROP TRIGGER {_quote(name)}")
    for statement in trigger_sql(table, table_columns(conn, table), exclude=exclude, redact=redact):
        conn.exec_driver_sql(statement)


def install_append_only_guards(conn: Connection, table: str) -> None:
    """Refuse every UPDATE and DELETE on an append-only log table."""
    t = _quote(table)
    for op in ("UPDATE", "DELETE"):
        name = f"trg_{table}_append_only_{op.lower()}"
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
        conn.exec_driver_sql(
            f"CREATE TRIGGER {name} BEFORE {op} ON {t} "
            f"BEGIN SELECT RAISE(ABORT, 'crm-journal: {table} is append-only'); END"
        )
