"""The server's PostgreSQL schema, generated from the desktop's metadata plus the sync tables.

Business tables are copied from ``crm_desktop.models`` (``Table.to_metadata``) so the desk and the
server can never disagree about columns (design note §12, bug 4). On the server they gain
``row_version`` (bumped by a BEFORE trigger on every write, also by back-office writes), times are
``timestamptz``, and the desk's partial indexes keep their ``WHERE`` (``postgresql_where``). Of the desk's
indexes the server keeps only what its own queries and constraints use (``server_indexes``): the unique
ones, and per foreign key the narrowest index it leads (joins, scope moves, merges). The desk's list,
search and report indexes serve its screens; on the server they only slow every pushed write.

An AFTER trigger per synced table (and on ``sync_conflict``) writes the ``sync_change`` feed: one
``upsert`` per write in the row's scope, ``remove`` in the old scope when the row (or its customer)
moves to another branch, ``tombstone`` on DELETE; then ``NOTIFY sync_change, '<scope>'``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.types import UserDefinedType

from crm_desktop.models import Base
from crm_desktop.models.base import NAMING, UtcDateTime
from crm_desktop.sync import catalog
from crm_desktop.sync.catalog import GLOBAL_SCOPE, SYNCED_TABLES

NOTIFY_CHANNEL = "sync_change"
NOW = text("now()")


class Xid8(UserDefinedType[int]):
    """PostgreSQL's 64-bit transaction id (``pg_current_xact_id()``)."""

    cache_ok = True

    def get_col_spec(self, **kw: Any) -> str:
        return "xid8"


metadata = MetaData(naming_convention=NAMING)


def server_indexes(table: Table) -> set[str]:
    """Names of ``table``'s indexes the server keeps: the unique ones and, per foreign-key column, the
    index with the fewest columns that starts with it (a full index before a partial one)."""
    keep = {str(index.name) for index in table.indexes if index.unique}
    for column in table.columns:
        if not column.foreign_keys:
            continue
        leading = [index for index in table.indexes if next(iter(index.columns)).name == column.name]
        if leading:
            keep.add(str(min(leading, key=lambda index: (index.dialect_kwargs.get("sqlite_where") is not None,
                                                         len(index.columns), str(index.name))).name))
    return keep


def desk_only_indexes() -> list[str]:
    """The desk's indexes of synced tables that the server does not create (a migration drops them)."""
    return sorted(str(index.name) for name in SYNCED_TABLES for index in Base.metadata.tables[name].indexes
                  if str(index.name) not in server_indexes(Base.metadata.tables[name]))


def _copy_business_tables() -> None:
    for name in SYNCED_TABLES:
        table = Base.metadata.tables[name].to_metadata(metadata)
        for column in table.columns:
            if isinstance(column.type, UtcDateTime):
                column.type = DateTime(timezone=True)
        table.append_column(Column("row_version", BigInteger, nullable=False, server_default=text("1")))
        keep = server_indexes(Base.metadata.tables[name])
        for index in list(table.indexes):
            if index.name not in keep:
                table.indexes.discard(index)
                continue
            where = index.dialect_kwargs.get("sqlite_where")
            if where is not None:
                index.dialect_kwargs["postgresql_where"] = where


_copy_business_tables()

sync_meta = Table(
    "sync_meta", metadata,
    Column("key", Text, primary_key=True),
    Column("value", Text, nullable=False),
)

sync_change = Table(
    "sync_change", metadata,
    Column("change_id", BigInteger, primary_key=True, autoincrement=True),
    Column("txid", Xid8(), nullable=False, server_default=text("pg_current_xact_id()")),
    Column("tbl", Text, nullable=False),
    Column("pk", Text, nullable=False),
    Column("scope", Text, nullable=False),
    Column("kind", Text, nullable=False, server_default=text("'upsert'")),
    Column("row_version", BigInteger, nullable=False),
    Index("sync_change_cursor", "scope", "txid", "change_id"),
    Index("sync_change_row", "tbl", "pk"),
)

sync_device = Table(
    "sync_device", metadata,
    Column("device_id", String(36), primary_key=True),
    Column("branch_id", String(36), ForeignKey("branch.id"), nullable=False),
    Column("name", Text),
    Column("registered_by", Text),
    Column("registered_at", DateTime(timezone=True), nullable=False, server_default=NOW),
    Column("revoked_at", DateTime(timezone=True)),
    Column("credential_hash", Text, nullable=False),
    Column("last_op_id", BigInteger, nullable=False, server_default=text("0")),
    Column("quarantined_at", DateTime(timezone=True)),
    Column("client_version", Text),
    Column("schema_version", Integer),
    Column("last_seen_at", DateTime(timezone=True)),
    Column("last_cursor", Text),
    Column("outbox_depth", Integer),
)

sync_applied_op = Table(
    "sync_applied_op", metadata,
    Column("device_id", String(36), primary_key=True),
    Column("op_id", BigInteger, primary_key=True),
    Column("payload_sha256", LargeBinary, nullable=False),
    Column("user_id", Text, nullable=False),
    Column("client_hlc", Text),
    Column("tbl", Text),
    Column("pk", Text),
    Column("status", Text, nullable=False),
    Column("result", JSONB, nullable=False),
    Column("server_txid", Xid8(), nullable=False, server_default=text("pg_current_xact_id()")),
    Column("applied_at", DateTime(timezone=True), nullable=False, server_default=NOW),
)

sync_conflict = Table(
    "sync_conflict", metadata,
    Column("id", String(36), primary_key=True),
    Column("branch_id", String(36), nullable=False),
    Column("tbl", Text, nullable=False),
    Column("pk", Text, nullable=False),
    Column("field", Text, nullable=False),
    Column("base", JSONB),
    Column("server_value", JSONB),
    Column("client_value", JSONB),
    Column("server_author", Text),
    Column("client_author", Text),
    Column("device_id", String(36)),
    Column("op_id", BigInteger),
    Column("client_hlc", Text),
    Column("status", Text, nullable=False, server_default=text("'open'")),  # open | resolved | superseded
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=NOW),
    Column("resolved_by", Text),
    Column("resolved_at", DateTime(timezone=True)),
    Column("resolution", JSONB),
    Column("note", Text),
    Column("row_version", BigInteger, nullable=False, server_default=text("1")),
    Index("ix_sync_conflict_open", "branch_id", "status"),
    Index("ix_sync_conflict_row", "tbl", "pk", "field", "status"),
)

device_code = Table(
    "device_code", metadata,
    Column("code_hash", Text, primary_key=True),  # sha256 hex of the one-time code
    Column("branch_id", String(36), ForeignKey("branch.id"), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=NOW),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("used_at", DateTime(timezone=True)),
    Column("device_id", String(36)),
    Column("created_by", Text),
    Column("single_use", Boolean, nullable=False, server_default=text("true")),
)

#: Tables that carry ``row_version`` and feed ``sync_change``, with their scope (root column, hops).
FEED_TABLES: tuple[str, ...] = (*SYNCED_TABLES, "sync_conflict")


def scope_sql(name: str, row: str) -> str:
    """SQL giving the scope of a row of ``name`` referenced as ``row`` (``NEW``, ``OLD`` or an alias)."""
    if name == "sync_conflict":
        return f"{row}.branch_id"
    spec = catalog.CATALOG[name]
    if spec.is_global:
        return f"'{GLOBAL_SCOPE}'"
    if spec.scope_column is not None:
        return f"{row}.{spec.scope_column}"
    hops = catalog.scope_path(name)
    root = catalog.scope_root(name)
    joins = [f"{hops[0][1]} p1"]
    for i, (fk, parent) in enumerate(hops[1:], start=2):
        joins.append(f"JOIN {parent} p{i} ON p{i}.id = p{i - 1}.{fk}")
    return f"(SELECT p{len(hops)}.{root.scope_column} FROM {' '.join(joins)} WHERE p1.id = {row}.{hops[0][0]})"


def _descendant_moves(name: str) -> str:
    """Feed entries that move the rows scoped through ``name`` (its children) along with it."""
    statements = []
    for child in catalog.children(name):
        hops = catalog.scope_path(child)
        upto = next(i for i, (_, parent) in enumerate(hops) if parent == name)
        joins = ["FROM " + child + " x0"]
        for i in range(1, upto + 1):
            joins.append(f"JOIN {hops[i - 1][1]} x{i} ON x{i}.id = x{i - 1}.{hops[i - 1][0]}")
        statements.append(
            f"INSERT INTO sync_change(tbl, pk, scope, kind, row_version) "
            f"SELECT '{child}', x0.id, s.scope, s.kind, x0.row_version {' '.join(joins)} "
            f"CROSS JOIN (VALUES (old_scope, 'remove', 1), (new_scope, 'upsert', 2)) AS s(scope, kind, n) "
            f"WHERE x{upto}.{hops[upto][0]} = NEW.id ORDER BY s.n;"
        )
    return "\n    ".join(statements)


def _capture_function(name: str) -> str:
    return f"""
CREATE OR REPLACE FUNCTION sync_capture_{name}() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE old_scope text; new_scope text;
BEGIN
  IF TG_OP <> 'INSERT' THEN old_scope := coalesce({scope_sql(name, 'OLD')}, '?'); END IF;
  IF TG_OP <> 'DELETE' THEN new_scope := coalesce({scope_sql(name, 'NEW')}, '?'); END IF;
  IF TG_OP = 'DELETE' THEN
    INSERT INTO sync_change(tbl, pk, scope, kind, row_version)
      VALUES ('{name}', OLD.id, old_scope, 'tombstone', OLD.row_version);
    PERFORM pg_notify('{NOTIFY_CHANNEL}', old_scope);
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' AND old_scope IS DISTINCT FROM new_scope THEN
    INSERT INTO sync_change(tbl, pk, scope, kind, row_version)
      VALUES ('{name}', NEW.id, old_scope, 'remove', NEW.row_version);
    {_descendant_moves(name)}
    PERFORM pg_notify('{NOTIFY_CHANNEL}', old_scope);
  END IF;
  INSERT INTO sync_change(tbl, pk, scope, kind, row_version)
    VALUES ('{name}', NEW.id, new_scope, 'upsert', NEW.row_version);
  PERFORM pg_notify('{NOTIFY_CHANNEL}', new_scope);
  RETURN NULL;
END $fn$;
"""


ROW_VERSION_FUNCTION = """
CREATE OR REPLACE FUNCTION sync_row_version() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'UPDATE' THEN NEW.row_version := OLD.row_version + 1; ELSE NEW.row_version := 1; END IF;
  IF TG_TABLE_NAME <> 'sync_conflict' THEN
    NEW.version := NEW.row_version;
    NEW.updated_at := now();
  END IF;
  RETURN NEW;
END $fn$;
"""


def trigger_ddl() -> list[str]:
    """CREATE FUNCTION / TRIGGER statements of the feed (idempotent: CREATE OR REPLACE, DROP IF EXISTS)."""
    statements = [ROW_VERSION_FUNCTION]
    for name in FEED_TABLES:
        statements += [
            _capture_function(name),
            f"DROP TRIGGER IF EXISTS sync_row_version ON {name}",
            f"CREATE TRIGGER sync_row_version BEFORE INSERT OR UPDATE ON {name} "
            "FOR EACH ROW EXECUTE FUNCTION sync_row_version()",
            f"DROP TRIGGER IF EXISTS sync_capture ON {name}",
            f"CREATE TRIGGER sync_capture AFTER INSERT OR UPDATE OR DELETE ON {name} "
            f"FOR EACH ROW EXECUTE FUNCTION sync_capture_{name}()",
        ]
    return statements


def table_of(name: str) -> Table:
    return metadata.tables[name]
