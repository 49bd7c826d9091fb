"""Migrations: an old database is backed up and brought to head with its data, and head matches the models."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from crm_desktop.db import WriteContext
from crm_desktop.db.migrate import current_revision, head_revision, open_database, upgrade
from crm_desktop.errors import CrmError
from crm_desktop.models import Base, Customer
from crm_desktop.models.base import new_id
from crm_desktop.persian import make_national_id, normalize, persian_sort_key

STAMP = "2026-11-01T08:00:00.000000Z"
NID = make_national_id("001234567")


def columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]


def fill_0001(path: Path) -> dict[str, str]:
    """Data written the way a 0001 app would: inside a transaction whose sync_ctx the triggers read."""
    ids = {"branch": new_id(), "customer": new_id(), "tx": new_id()}
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        device = conn.execute("SELECT v FROM app_meta WHERE k = 'device_id'").fetchone()[0]
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany("INSERT OR REPLACE INTO sync_ctx(k, v) VALUES (?, ?)", [
            ("tx", ids["tx"]), ("user", "system"), ("device", device), ("hlc", f"1790000000000-00000-{device}"),
            ("source", "test"), ("schema_version", "1"), ("now", STAMP),
        ])
        conn.execute(
            "INSERT INTO branch(id, code, name, created_at, updated_at, version) VALUES (?, '1021', ?, ?, ?, 1)",
            (ids["branch"], "شعبه مرکزی", STAMP, STAMP))
        conn.execute(
            "INSERT INTO customer(id, branch_id, kind, first_name, last_name, national_id, mobile, segment,"
            " lifecycle_stage, kyc_status, marketing_consent, display_name, sort_key, name_key, first_key,"
            " last_key, created_at, updated_at, version)"
            " VALUES (?, ?, 'individual', 'علی', 'کریمی', ?, '09121234567', 'mass', 'acquisition', 'pending', 0,"
            " 'علی کریمی', ?, ?, ?, ?, ?, ?, 1)",
            (ids["customer"], ids["branch"], NID, persian_sort_key("کریمی علی"), normalize("علی کریمی"),
             normalize("علی"), normalize("کریمی"), STAMP, STAMP))
        conn.execute("DELETE FROM sync_ctx WHERE k <> 'applying'")
        conn.execute("COMMIT")
    return ids


def dump_rows(path: Path, table: str, cols: list[str]) -> list[tuple]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY 1").fetchall()


def test_new_database_is_created_at_head(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    db = open_database(path)
    try:
        assert current_revision(path) == head_revision() == "0007"
        assert db.meta("schema_version") == str(int(head_revision()))
        assert db.meta("device_id") == db.device_id
    finally:
        db.dispose()
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".db") == ["new.db"]  # nothing to back up


def test_open_missing_without_create(tmp_path: Path) -> None:
    with pytest.raises(CrmError) as info:
        open_database(tmp_path / "missing.db", create=False)
    assert info.value.code == "db_missing"
    assert not (tmp_path / "missing.db").exists()


def test_upgrade_from_0001_backs_up_and_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "crm.db"
    assert upgrade(path, "0001") is None  # a brand-new file has nothing to back up
    assert current_revision(path) == "0001"
    with closing(sqlite3.connect(path)) as conn:
        assert "merged_into" not in columns(conn, "customer")
        old_columns = columns(conn, "customer")
    ids = fill_0001(path)
    before = {t: dump_rows(path, t, ["*"]) for t in ("branch", "customer", "change_journal", "app_meta")}
    assert len(before["change_journal"]) == 2

    db = open_database(path)
    try:
        backups = list(tmp_path.glob(f"crm.before-{head_revision()}-*.db"))
        assert len(backups) == 1
        # the backup is the old database, data and revision included
        assert current_revision(backups[0]) == "0001"
        for table, rows in before.items():
            assert dump_rows(backups[0], table, ["*"]) == rows
        with closing(sqlite3.connect(backups[0])) as conn:
            assert "merged_into" not in columns(conn, "customer")

        # the database itself is at head, with its data intact
        assert current_revision(path) == head_revision()
        assert db.meta("schema_version") == str(int(head_revision()))
        with closing(sqlite3.connect(path)) as conn:
            assert "merged_into" in columns(conn, "customer")
        assert dump_rows(path, "customer", old_columns) == before["customer"]
        for table in ("branch", "change_journal"):
            assert dump_rows(path, table, ["*"]) == before[table]
        with db.read() as s:
            assert s.execute(text("SELECT merged_into FROM customer")).scalar() is None

        # the re-installed triggers journal the new column (and still everything else)
        start = before["change_journal"][-1][0]
        with db.write(WriteContext(user_id="system", source="merge")) as s:
            survivor = Customer(
                branch_id=ids["branch"], kind="individual", first_name="علی", last_name="کریمی",
                national_id=make_national_id("002345678"), segment="mass", lifecycle_stage="acquisition",
                kyc_status="pending", marketing_consent=False, display_name="علی کریمی",
                sort_key=persian_sort_key("کریمی علی"), name_key="علی کریمی")
            s.add(survivor)
            s.flush()
            old = s.get(Customer, ids["customer"])
            old.merged_into = survivor.id
            old.deleted_at = s.info["now"]
            survivor_id = survivor.id
        with db.read() as s:
            rows = s.execute(text("SELECT pk, kind, changed, schema_version FROM change_journal WHERE seq > :s "
                                  "ORDER BY seq"), {"s": start}).all()
        assert [(r.pk, r.kind, r.schema_version) for r in rows] == [
            (survivor_id, "insert", int(head_revision())), (ids["customer"], "delete", int(head_revision()))]
        assert json.loads(rows[0].changed)["merged_into"] == [None, None]
        changed = json.loads(rows[1].changed)
        assert set(changed) == {"merged_into", "deleted_at"}
        assert changed["merged_into"] == [None, survivor_id]
    finally:
        db.dispose()

    # opening an up-to-date database makes no further backup
    open_database(path).dispose()
    assert len(list(tmp_path.glob("crm.before-*.db"))) == 1


def test_upgrade_to_same_revision_is_a_no_op(tmp_path: Path) -> None:
    path = tmp_path / "crm.db"
    upgrade(path, "0001")
    assert upgrade(path, "0001") is None
    backup = upgrade(path, "head")
    assert backup is not None and backup.exists() and backup.name.startswith(f"crm.before-{head_revision()}-")
    assert upgrade(path) is None


def test_triggers_installed_for_every_synced_table(template_db: Path) -> None:
    from crm_desktop.models import SYNCED_MODELS

    with closing(sqlite3.connect(template_db)) as conn:
        triggers = {name: sql for name, sql in conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")}
    for model in SYNCED_MODELS:
        table = model.__tablename__
        for suffix in ("guard_ins", "guard_upd", "guard_del", "version", "journal_ins", "journal_upd",
                       "journal_del"):
            assert f"trg_{table}_{suffix}" in triggers, (table, suffix)
    assert "trg_customer_no_delete" in triggers
    assert "merged_into" in triggers["trg_customer_journal_upd"]
    assert "sort_key" not in triggers["trg_customer_journal_upd"]  # derived columns are excluded
    assert "'***'" in triggers["trg_app_user_journal_upd"]  # the password hash is redacted
    for table in ("change_journal", "access_log"):
        assert f"trg_{table}_append_only_update" in triggers and f"trg_{table}_append_only_delete" in triggers


def test_head_schema_matches_the_models(db) -> None:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": True})
        diffs = compare_metadata(context, Base.metadata)
        conn.rollback()
    # Alembic reports SQLite partial indexes faithfully (sqlite_where is reflected), so no filtering is needed;
    # should a future Alembic report spurious index differences, filter only ("add_index"/"remove_index")
    # pairs that name the same index and columns.
    assert diffs == []


def test_the_head_constant_is_alembics_head():
    from crm_desktop.db.migrate import HEAD

    assert HEAD == head_revision()


def test_opening_an_up_to_date_database_does_not_import_alembic(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "crm.db"
    open_database(path).dispose()
    code = ("import sys; from crm_desktop.db.migrate import open_database; "
            f"open_database({str(path)!r}).dispose(); print('alembic' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
