"""The change journal: written by triggers in the same transaction as every write, and impossible to bypass."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing

import pytest
import sqlalchemy.exc
from sqlalchemy import delete, text, update

from crm_desktop.db import WriteContext
from crm_desktop.db.migrate import head_revision
from crm_desktop.models import Branch, Customer, Holiday
from crm_desktop.models.base import META_COLUMNS
from crm_desktop.persian import make_national_id
from crm_desktop.services.errors import InvalidInput
from crm_desktop.services.records import CustomerInput
from crm_desktop.services.service_requests import RequestInput

REFUSED = (sqlite3.IntegrityError, sqlite3.DatabaseError, sqlalchemy.exc.IntegrityError,
           sqlalchemy.exc.DatabaseError)
DERIVED = {"display_name", "sort_key", "name_key", "first_key", "last_key", "org_key"}


def person(n: int = 0, last_name: str = "کریمی", **kw) -> CustomerInput:
    first = ["علی", "حسن", "رضا", "مریم", "سارا", "نگار", "بهرام", "زهرا"][n]
    return CustomerInput(first_name=first, last_name=last_name, national_id=make_national_id(f"1{n:08d}"), **kw)


def journal(db, after: int = 0) -> list[dict]:
    with db.read() as s:
        rows = s.execute(text("SELECT * FROM change_journal WHERE seq > :a ORDER BY seq"), {"a": after}).mappings()
        return [{**r, "changed": json.loads(r["changed"])} for r in rows]


def last_seq(db) -> int:
    with db.read() as s:
        return s.execute(text("SELECT COALESCE(MAX(seq), 0) FROM change_journal")).scalar_one()


def sync_ctx(db) -> dict[str, str]:
    with db.read() as s:
        return dict(s.execute(text("SELECT k, v FROM sync_ctx")).all())


def count(db, table: str) -> int:
    with db.read() as s:
        return s.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()


def columns(db, table: str) -> list[str]:
    with db.read() as s:
        return [r[1] for r in s.execute(text(f"PRAGMA table_info({table})"))]


# -- what is recorded ------------------------------------------------------------------------------


def test_insert_is_journaled_with_its_context(world) -> None:
    start = last_seq(world.db)
    c = world.services.customers.create(world.clerk, person(mobile="09121234567")).value
    rows = journal(world.db, start)
    assert len(rows) == 1
    row = rows[0]
    assert (row["tbl"], row["pk"], row["kind"]) == ("customer", c.id, "insert")
    assert row["user_id"] == world.clerk.user_id
    assert row["device_id"] == world.db.device_id
    assert row["source"] == "app"
    assert row["schema_version"] == int(head_revision())
    assert row["hlc"].endswith(world.db.device_id)
    expected = set(columns(world.db, "customer")) - DERIVED - META_COLUMNS
    assert set(row["changed"]) == expected
    assert row["changed"]["id"] == [None, c.id]
    assert row["changed"]["first_name"] == [None, "علی"]
    assert row["changed"]["mobile"] == [None, "09121234567"]
    assert row["changed"]["deleted_at"] == [None, None]
    assert row["changed"]["merged_into"] == [None, None]
    with world.db.read() as s:
        stamped = s.execute(text("SELECT changed_by, changed_device, version FROM customer WHERE id = :i"),
                            {"i": c.id}).one()
    assert tuple(stamped) == (world.clerk.user_id, world.db.device_id, 1)


def test_update_records_exactly_the_changed_fields(world) -> None:
    c = world.services.customers.create(world.clerk, person()).value
    start = last_seq(world.db)
    world.services.customers.edit(world.clerk2, c.id, person(mobile="09121234567", notes="مشتری خوش‌حساب"))
    rows = journal(world.db, start)
    assert [(r["tbl"], r["pk"], r["kind"], r["user_id"]) for r in rows] == [
        ("customer", c.id, "update", world.clerk2.user_id)]
    assert rows[0]["changed"] == {"mobile": [None, "09121234567"], "notes": [None, "مشتری خوش‌حساب"]}

    start = last_seq(world.db)
    world.services.customers.edit(world.clerk, c.id, person(last_name="احمدی", mobile="09121234567",
                                                            notes="مشتری خوش‌حساب"))
    rows = journal(world.db, start)
    # derived keys (display name, sort and search keys) change too but are not journaled
    assert rows[0]["changed"] == {"last_name": ["کریمی", "احمدی"]}


def test_no_change_no_journal_row(world) -> None:
    c = world.services.customers.create(world.clerk, person(mobile="09121234567")).value
    start = last_seq(world.db)
    out = world.services.customers.edit(world.clerk, c.id, person(mobile="۰۹۱۲۱۲۳۴۵۶۷"))
    assert journal(world.db, start) == []
    assert out.value.version == 1


def test_soft_delete_is_a_delete_row(world) -> None:
    c = world.services.customers.create(world.clerk, person()).value
    start = last_seq(world.db)
    world.services.customers.delete(world.manager, c.id, "ثبت تکراری")
    rows = journal(world.db, start)
    assert [(r["kind"], r["pk"], r["user_id"]) for r in rows] == [("delete", c.id, world.manager.user_id)]
    assert set(rows[0]["changed"]) == {"deleted_at", "deleted_reason"}
    assert rows[0]["changed"]["deleted_reason"] == [None, "ثبت تکراری"]
    assert rows[0]["changed"]["deleted_at"][0] is None and rows[0]["changed"]["deleted_at"][1]


def test_restore_is_a_restore_row(world) -> None:
    c = world.services.customers.create(world.clerk, person()).value
    world.services.customers.delete(world.manager, c.id, "اشتباه")
    start = last_seq(world.db)
    with world.db.write(WriteContext(user_id=world.admin.user_id, source="restore")) as s:
        obj = s.get(Customer, c.id)
        obj.deleted_at, obj.deleted_reason = None, None
    rows = journal(world.db, start)
    assert [(r["kind"], r["source"]) for r in rows] == [("restore", "restore")]


def test_one_service_call_is_one_transaction(world) -> None:
    c = world.services.customers.create(world.clerk, person()).value
    first_tx = journal(world.db, 0)[-1]["tx_id"]
    start = last_seq(world.db)
    row = world.services.requests.open(
        world.clerk, RequestInput(c.id, "complaint", "high", "کارت", assignee_id=world.clerk2.user_id)).value
    rows = journal(world.db, start)
    assert sorted((r["tbl"], r["kind"]) for r in rows) == [
        ("request_status_change", "insert"), ("request_status_change", "insert"),
        ("service_request", "insert"), ("service_request", "update"),
    ]
    assert len({r["tx_id"] for r in rows}) == 1
    assert rows[0]["tx_id"] != first_tx
    assert {r["user_id"] for r in rows} == {world.clerk.user_id}
    update_row = next(r for r in rows if r["kind"] == "update")
    assert update_row["pk"] == row.id
    assert update_row["changed"] == {"status": ["new", "assigned"], "assignee_id": [None, world.clerk2.user_id]}
    # the local request-number counter is neither synced nor journaled
    assert "request_sequence" not in {r["tbl"] for r in journal(world.db)}
    # every transaction so far has its own id
    all_rows = journal(world.db)
    by_tx: dict[str, set[str]] = {}
    for r in all_rows:
        by_tx.setdefault(r["tx_id"], set()).add(r["hlc"])
    assert all(len(hlcs) == 1 for hlcs in by_tx.values())  # one HLC stamp per transaction


def test_write_context_is_recorded(db) -> None:
    ctx = WriteContext(user_id="importer", source="import")
    with db.write(ctx) as s:
        s.add(Branch(code="3000", name="شعبه سوم"))
        s.add(Branch(code="3001", name="شعبه چهارم"))
    rows = journal(db)
    assert len(rows) == 2
    assert {(r["tx_id"], r["user_id"], r["source"], r["device_id"]) for r in rows} == {
        (ctx.tx_id, "importer", "import", db.device_id)}
    assert sync_ctx(db) == {"applying": "0"}


def test_seq_strictly_increasing_and_never_reused(world) -> None:
    for n in range(3):
        world.services.customers.create(world.clerk, person(n))
    seqs = [r["seq"] for r in journal(world.db)]
    assert seqs == sorted(set(seqs))
    top = seqs[-1]
    with world.db.read() as s:
        autoinc = s.execute(text("SELECT seq FROM sqlite_sequence WHERE name = 'change_journal'")).scalar()
    assert autoinc == top
    with world.db.write(WriteContext(user_id="x")) as s, pytest.raises(REFUSED, match="append-only"):
        s.execute(text("DELETE FROM change_journal WHERE seq = :s"), {"s": top})
    world.services.customers.create(world.clerk, person(7))
    assert min(r["seq"] for r in journal(world.db, top)) == top + 1
    assert [r["seq"] for r in journal(world.db)][: len(seqs)] == seqs


# -- what is refused --------------------------------------------------------------------------------


def test_logs_are_append_only(world) -> None:
    world.services.customers.profile(world.clerk, world.services.customers.create(world.clerk, person()).value.id)
    before = count(world.db, "change_journal"), count(world.db, "access_log")
    for statement in [
        "UPDATE change_journal SET user_id = 'forged'",
        "DELETE FROM change_journal",
        "UPDATE access_log SET action = 'nothing'",
        "DELETE FROM access_log",
    ]:
        with pytest.raises(REFUSED, match="append-only"), world.db.write(WriteContext(user_id="x")) as s:
            s.execute(text(statement))
        with closing(sqlite3.connect(world.db.path)) as raw, \
                pytest.raises(sqlite3.IntegrityError, match="append-only"):
            raw.execute(statement)
        assert (count(world.db, "change_journal"), count(world.db, "access_log")) == before, statement


RAW_WRITES = [
    "UPDATE customer SET notes = 'دستکاری', version = version + 1",
    "INSERT INTO branch(id, code, name, created_at, updated_at, version) "
    "VALUES ('b', '9999', 'x', '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z', 1)",
    "DELETE FROM request_status_change",
    "UPDATE app_user SET role = 'admin', version = version + 1",
]


def test_raw_write_outside_a_unit_of_work_is_refused(world) -> None:
    c = world.services.customers.create(world.clerk, person()).value
    world.services.requests.open(world.clerk, RequestInput(c.id, "inquiry", "low", "پرسش"))
    with world.db.read() as s:
        before = [s.execute(text(f"SELECT * FROM {t} ORDER BY id")).all()
                  for t in ("customer", "branch", "request_status_change", "app_user")]
    journal_before = count(world.db, "change_journal")
    with closing(sqlite3.connect(world.db.path, isolation_level=None)) as raw:
        for statement in RAW_WRITES:
            with pytest.raises(sqlite3.DatabaseError, match="crm-journal: write outside a unit of work"):
                raw.execute(statement)
    with world.db.read() as s:
        after = [s.execute(text(f"SELECT * FROM {t} ORDER BY id")).all()
                 for t in ("customer", "branch", "request_status_change", "app_user")]
    assert after == before
    assert count(world.db, "change_journal") == journal_before


def test_sync_apply_mode_writes_without_journal(db) -> None:
    """While the sync engine adopts server state (applying = '1') the guards step aside and nothing is journaled."""
    with closing(sqlite3.connect(db.path, isolation_level=None)) as raw:
        raw.execute("BEGIN IMMEDIATE")
        raw.execute("UPDATE sync_ctx SET v = '1' WHERE k = 'applying'")
        raw.execute("INSERT INTO branch(id, code, name, created_at, updated_at, version) VALUES "
                    "('b1', '7777', 'از سرور', '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z', 3)")
        raw.execute("UPDATE sync_ctx SET v = '0' WHERE k = 'applying'")
        raw.execute("COMMIT")
    assert count(db, "branch") == 1
    assert journal(db) == []
    with closing(sqlite3.connect(db.path)) as raw, pytest.raises(sqlite3.IntegrityError, match="crm-journal"):
        raw.execute("UPDATE branch SET name = 'x', version = 4")


def test_core_bulk_update_bumping_version_is_journaled(world) -> None:
    ids = [world.services.customers.create(world.clerk, person(n)).value.id for n in range(3)]
    table = Customer.__table__
    start = last_seq(world.db)
    ctx = WriteContext(user_id=world.manager.user_id, source="bulk")
    with world.db.write(ctx) as s:
        result = s.execute(
            update(table).where(table.c.branch_id == world.branch_id)
            .values(segment="affluent", version=table.c.version + 1)
        )
        assert result.rowcount == 3
    rows = journal(world.db, start)
    assert sorted(r["pk"] for r in rows) == sorted(ids)
    assert all(r["kind"] == "update" and r["changed"] == {"segment": ["mass", "affluent"]} for r in rows)
    assert {(r["tx_id"], r["user_id"], r["source"]) for r in rows} == {(ctx.tx_id, world.manager.user_id, "bulk")}
    assert {world.services.customers.get(world.clerk, i).version for i in ids} == {2}


def test_update_without_version_bump_is_refused(world) -> None:
    ids = [world.services.customers.create(world.clerk, person(n)).value.id for n in range(2)]
    table = Customer.__table__
    before = count(world.db, "change_journal")
    with pytest.raises(REFUSED, match="version must increase"), \
            world.db.write(WriteContext(user_id="x")) as s:
        s.execute(update(table).values(segment="private"))
    with pytest.raises(REFUSED, match="version must increase"), \
            world.db.write(WriteContext(user_id="x")) as s:
        s.execute(update(table).values(segment="private", version=table.c.version - 1))
    assert count(world.db, "change_journal") == before
    assert {world.services.customers.get(world.clerk, i).segment for i in ids} == {"mass"}


def test_hard_delete_of_customer_refused(world) -> None:
    c = world.services.customers.create(world.clerk, person()).value
    before = count(world.db, "change_journal")
    with pytest.raises(REFUSED, match="tombstoned"), world.db.write(WriteContext(user_id="x")) as s:
        s.execute(delete(Customer.__table__).where(Customer.__table__.c.id == c.id))
    assert count(world.db, "customer") == 1
    assert count(world.db, "change_journal") == before


def test_hard_delete_elsewhere_is_journaled_as_purge(world) -> None:
    from datetime import date

    world.services.calendar.add_holiday(world.admin, date(2026, 12, 1), "تعطیل")
    start = last_seq(world.db)
    with world.db.write(WriteContext(user_id=world.admin.user_id)) as s:
        s.execute(delete(Holiday.__table__))
    rows = journal(world.db, start)
    assert [(r["tbl"], r["kind"]) for r in rows] == [("holiday", "purge")]
    assert rows[0]["changed"]["name"] == ["تعطیل", None]


# -- all or nothing ----------------------------------------------------------------------------------


def test_failed_service_call_leaves_no_trace(world) -> None:
    c = world.services.customers.create(world.clerk, person()).value
    before = {t: count(world.db, t) for t in ("change_journal", "service_request", "request_status_change",
                                               "request_sequence")}
    # open() inserts the request and its first history row before the assignee check fails
    with pytest.raises(InvalidInput):
        world.services.requests.open(
            world.clerk, RequestInput(c.id, "complaint", "high", "کارت", assignee_id=world.auditor.user_id))
    assert {t: count(world.db, t) for t in before} == before
    assert sync_ctx(world.db) == {"applying": "0"}


def test_exception_inside_write_rolls_everything_back(db) -> None:
    class Boom(Exception):
        pass

    with pytest.raises(Boom), db.write(WriteContext(user_id="x")) as s:
        s.add(Branch(code="5000", name="شعبه"))
        s.flush()
        assert s.execute(text("SELECT count(*) FROM change_journal")).scalar() == 1
        assert s.execute(text("SELECT v FROM sync_ctx WHERE k = 'tx'")).scalar() is not None
        raise Boom
    assert count(db, "branch") == 0
    assert count(db, "change_journal") == 0
    assert sync_ctx(db) == {"applying": "0"}
    # and the next write works normally
    with db.write(WriteContext(user_id="x")) as s:
        s.add(Branch(code="5000", name="شعبه"))
    assert count(db, "branch") == 1 and count(db, "change_journal") == 1


def test_access_log_written_in_its_own_transaction_with_no_journal(world) -> None:
    c = world.services.customers.create(world.clerk, person()).value
    start = last_seq(world.db)
    logs = count(world.db, "access_log")
    world.services.customers.profile(world.clerk, c.id)
    assert count(world.db, "access_log") == logs + 1
    assert journal(world.db, start) == []  # the access log is not a synced table
