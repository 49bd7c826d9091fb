"""Bootstrap of a new desk (it equals the server's view of its branch) and the reset after a server restore."""

from __future__ import annotations

import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from crm_desktop.cli_sync import status_lines
from crm_desktop.db.migrate import open_database
from crm_desktop.db.session import Database
from crm_desktop.persian.validators import make_national_id
from crm_desktop.server.db import rotate_epoch
from crm_desktop.services.records import CustomerInput
from crm_desktop.sync import catalog, protocol
from crm_desktop.sync.client import bootstrap, store
from crm_desktop.sync.client.store import Key
from crm_desktop.sync.client.transport import SyncError
from crm_desktop.sync.values import from_python
from tests.conftest import World
from tests.server.client_fixtures import DeskClient, connect_desk, desk_row, seeded, server, server_row
from tests.server.helpers import Server

__all__ = ["server"]
SCOPED = ("branch", "app_user", "customer")


@pytest.fixture
def fresh_db(template_db: Path, tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "fresh.db"
    shutil.copy(template_db, path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE app_meta SET v = ? WHERE k = 'device_id'", (str(uuid.uuid4()),))
    conn.commit()
    conn.close()
    db = open_database(path)
    yield db
    db.dispose()


def new_customer(world: World, digits: str) -> str:
    data = CustomerInput(first_name="زهرا", last_name="احمدی", national_id=make_national_id(digits))
    return world.services.customers.create(world.clerk, data).value.id


def copy_to_other_branch(server: Server, pk: str, branch_id: str) -> str:
    """A customer of another branch, written on the server directly (a back-office write)."""
    columns = [c for c in catalog.CATALOG["customer"].wire_columns if c not in ("id", "branch_id", "national_id")]
    new = str(uuid.uuid4())
    names = ", ".join(columns)
    server.execute(f"INSERT INTO customer (id, branch_id, national_id, {names}) SELECT %s, %s, NULL, {names}"
                   " FROM customer WHERE id = %s", new, branch_id, pk)
    return new


def desk_table(db: Database, tbl: str) -> dict[str, dict[str, object]]:
    spec = catalog.CATALOG[tbl]
    with db.read_raw() as raw:
        cur = raw.execute(f"SELECT * FROM {tbl}")
        names = [d[0] for d in cur.description]
        rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    return {str(r["id"]): {c: from_python(spec.kinds[c], r[c]) for c in spec.wire_columns} for r in rows}


def server_table(server: Server, tbl: str, branch_id: str | None) -> dict[str, dict[str, object]]:
    spec = catalog.CATALOG[tbl]
    sql = f"SELECT * FROM {tbl}" + (" WHERE branch_id = %s" if branch_id else "")
    with server.engine.connect() as conn:
        rows = conn.exec_driver_sql(sql, (branch_id,) if branch_id else ()).mappings().all()
    return {str(r["id"]): {c: from_python(spec.kinds[c], r[c]) for c in spec.wire_columns} for r in rows}


def test_bootstrap_of_a_new_desk_equals_the_servers_view_of_its_branch(server: Server, world: World,
                                                                       fresh_db: Database) -> None:
    seeded(server, world)
    ours = [new_customer(world, f"00{i}345678") for i in range(1, 6)]
    first = connect_desk(server, world.db)
    first.engine.sync_once()
    theirs = copy_to_other_branch(server, ours[0], world.other_branch_id)
    desk = connect_desk(server, fresh_db)
    desk.engine.page_limit = 2  # several pages, each with its cursor
    result = desk.engine.sync_once()
    assert result.pages >= 2 and result.pushed == 0
    for tbl in SCOPED:
        expected = server_table(server, tbl, world.branch_id if tbl == "customer" else None)
        assert desk_table(fresh_db, tbl) == expected, tbl
    assert set(desk_table(fresh_db, "customer")) == set(ours) and theirs not in desk_table(fresh_db, "customer")
    with fresh_db.read_raw() as raw:
        assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
        assert store.get(raw, Key.LAST_PULL_OK) is not None
        assert raw.execute("SELECT count(*) FROM change_journal").fetchone()[0] == 0  # nothing captured
    again = desk.engine.sync_once()  # a no-op round
    assert again.pulled == 0 and again.pushed == 0


def test_a_bootstrap_ends_with_a_row_count_check_that_finds_a_missing_row(server: Server, world: World,
                                                                        fresh_db: Database) -> None:
    seeded(server, world)
    ours = [new_customer(world, f"00{i}345679") for i in range(1, 4)]
    connect_desk(server, world.db).engine.sync_once()
    desk = connect_desk(server, fresh_db)
    desk.engine.page_limit = 2
    desk.engine.sync_once()
    with fresh_db.read_raw() as raw:
        assert bootstrap.outcome(raw) is not None and bootstrap.outcome(raw)["result"] == bootstrap.OK  # type: ignore[index]
        assert store.get(raw, bootstrap.PENDING) is None
    assert any("بررسی شمار ردیف‌ها" in line and "درست" in line for line in status_lines(fresh_db))
    with store.write_tx(fresh_db, applying=True) as raw:  # a row lost on the desk, the check re-armed
        raw.execute("DELETE FROM customer WHERE id = ?", (ours[1],))
        store.put(raw, bootstrap.PENDING, "1")
    desk.engine.sync_once()
    with fresh_db.read_raw() as raw:
        found = bootstrap.outcome(raw)
        assert found is not None and found["differ"] == {"customer": [3, 2]}
        assert store.get(raw, bootstrap.PENDING) == "1"  # checked again next round
    line = next(line for line in status_lines(fresh_db) if "بررسی شمار ردیف‌ها" in line)
    assert "ناهمخوان" in line and "customer: سرور ۳ / این میز ۲" in line
    for _ in range(bootstrap.MAX_CHECKS - 1):  # a difference that lasts is checked a few times, then kept
        desk.engine.sync_once()
    with fresh_db.read_raw() as raw:
        found = bootstrap.outcome(raw)
        assert found is not None and found["checks"] == bootstrap.MAX_CHECKS and found["differ"]
        assert store.get(raw, bootstrap.PENDING) is None


def test_a_bootstrap_cut_short_keeps_its_row_count_check_pending(server: Server, world: World,
                                                                 fresh_db: Database) -> None:
    seeded(server, world)
    new_customer(world, "006123456")
    connect_desk(server, world.db).engine.sync_once()  # a second server transaction: a second page
    desk = connect_desk(server, fresh_db)
    desk.engine.page_limit = 1
    pages = []
    real_pull = desk.transport.pull

    def one_page_then_cut(body: dict[str, object]) -> dict[str, object]:
        if len(pages) == 1:
            raise SyncError("قطع", code="unreachable")
        pages.append(body)
        return real_pull(body)

    desk.transport.pull = one_page_then_cut  # type: ignore[method-assign]
    with pytest.raises(SyncError):
        desk.engine.sync_once()
    with fresh_db.read_raw() as raw:
        assert store.get(raw, Key.CURSOR) != protocol.START_CURSOR and store.get(raw, bootstrap.PENDING) == "1"
    desk.transport.pull = real_pull  # type: ignore[method-assign]
    desk.engine.sync_once()  # resumes from the stored cursor, still checked at its end
    with fresh_db.read_raw() as raw:
        assert bootstrap.outcome(raw)["result"] == bootstrap.OK  # type: ignore[index]


def test_a_new_server_epoch_resets_the_desk_and_replays_its_unsent_ops(server: Server, world: World) -> None:
    seeded(server, world)
    customer = new_customer(world, "001234567")
    desk: DeskClient = connect_desk(server, world.db)
    desk.engine.sync_once()
    # Unsent work: an edit and a new customer. And a row the restored server no longer has.
    from tests.sync.client.helpers import edit

    edit(world.db, world.clerk.user_id, "customer", customer, mobile="09127777777")
    added = new_customer(world, "002345678")
    with store.write_tx(world.db, applying=True) as raw:
        raw.execute("INSERT INTO holiday (id, day, name, created_at, updated_at, version) VALUES"
                    " ('h-lost', '2026-12-01', 'تعطیل', '2026-11-23T06:30:00.000000Z',"
                    " '2026-11-23T06:30:00.000000Z', 1)")
        raw.execute("INSERT INTO sync_row_version VALUES ('holiday', 'h-lost', 3)")
    epoch = rotate_epoch(server.engine)

    result = desk.engine.sync_once()

    assert result.reset_copy is not None and result.reset_copy.exists()
    copy = sqlite3.connect(result.reset_copy)
    assert copy.execute("SELECT mobile FROM customer WHERE id = ?", (customer,)).fetchone()[0] == "09127777777"
    copy.close()
    with world.db.read_raw() as raw:
        assert store.get(raw, Key.EPOCH) == epoch
        assert raw.execute("SELECT count(*) FROM holiday WHERE id = 'h-lost'").fetchone()[0] == 0
    assert server_row(server, "customer", customer)["mobile"] == "09127777777"
    assert desk_row(desk, "customer", added) == server_row(server, "customer", added)
    assert desk_row(desk, "customer", customer) == server_row(server, "customer", customer)
    assert desk.counts().pending == 0 and desk.counts().rejected == 0
