"""Engine settings: the PRAGMAs of every connection, BEGIN IMMEDIATE for writes, snapshots for reads."""

from __future__ import annotations

import sqlite3
import threading
import time
from contextlib import closing

import pytest
import sqlalchemy.exc
from sqlalchemy import text

from crm_desktop.db import Database, WriteContext
from crm_desktop.models import Branch, Interaction


def pragmas(conn) -> dict[str, object]:
    return {p: conn.exec_driver_sql(f"PRAGMA {p}").scalar() for p in
            ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")}


EXPECTED = {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1}


def check(values: dict[str, object]) -> None:
    assert {k: values[k] for k in EXPECTED} == EXPECTED
    assert isinstance(values["busy_timeout"], int) and values["busy_timeout"] > 0


def test_every_pooled_connection_has_the_pragmas(db) -> None:
    conns = [db.engine.connect() for _ in range(6)]  # more than the pool keeps: overflow connections too
    try:
        raw_ids = {id(c.connection.dbapi_connection) for c in conns}
        assert len(raw_ids) == 6
        for conn in conns:
            check(pragmas(conn))
            # pysqlite's own transaction handling is off; BEGIN is ours
            assert conn.connection.dbapi_connection.isolation_level is None
            conn.rollback()
    finally:
        for conn in conns:
            conn.close()


def test_sessions_have_the_pragmas(db) -> None:
    with db.read() as s:
        check(pragmas(s.connection()))
    with db.write(WriteContext(user_id="x")) as s:
        check(pragmas(s.connection()))


def raw_begin_immediate(path, timeout: float = 0.1) -> None:
    """Take and release the write lock from an unrelated connection; raises if somebody holds it."""
    with closing(sqlite3.connect(path, timeout=timeout, isolation_level=None)) as raw:
        raw.execute("BEGIN IMMEDIATE")
        raw.execute("ROLLBACK")


def test_write_takes_the_lock_up_front(db) -> None:
    raw_begin_immediate(db.path)  # free before
    with db.write(WriteContext(user_id="x")) as s:
        assert s.connection().connection.dbapi_connection.in_transaction
        with pytest.raises(sqlite3.OperationalError, match="database is locked"):
            raw_begin_immediate(db.path)
    raw_begin_immediate(db.path)  # free after


def test_write_that_only_reads_still_holds_the_lock(db) -> None:
    """BEGIN IMMEDIATE, not a deferred BEGIN that would upgrade (and fail) at the first write."""
    with db.write(WriteContext(user_id="x")) as s:
        s.execute(text("SELECT count(*) FROM branch")).scalar()
        with pytest.raises(sqlite3.OperationalError, match="database is locked"):
            raw_begin_immediate(db.path)


def test_read_does_not_take_the_write_lock(db) -> None:
    with db.read() as s:
        s.execute(text("SELECT count(*) FROM branch")).scalar()
        assert s.connection().connection.dbapi_connection.in_transaction
        raw_begin_immediate(db.path)  # a reader does not block writers


def test_read_sees_one_snapshot(db) -> None:
    with db.read() as s:
        first = s.execute(text("SELECT count(*) FROM branch")).scalar()
        with db.write(WriteContext(user_id="x")) as w:
            w.add(Branch(code="6000", name="شعبه تازه"))
        assert s.execute(text("SELECT count(*) FROM branch")).scalar() == first
    with db.read() as s:
        assert s.execute(text("SELECT count(*) FROM branch")).scalar() == first + 1


def test_second_database_waits_for_the_first_writer(db) -> None:
    other = Database(db.path)
    other.load_identity()
    done = threading.Event()
    errors: list[BaseException] = []

    def write_other() -> None:
        try:
            with other.write(WriteContext(user_id="second")) as s:
                s.add(Branch(code="7002", name="دوم"))
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            done.set()

    try:
        with db.write(WriteContext(user_id="first")) as s:
            s.add(Branch(code="7001", name="اول"))
            s.flush()
            thread = threading.Thread(target=write_other)
            thread.start()
            assert not done.wait(0.3), "the second writer did not wait for the lock"
        thread.join(10)
        assert done.is_set() and errors == []
    finally:
        other.dispose()
    with db.read() as s:
        rows = s.execute(text("SELECT code, changed_by FROM branch ORDER BY code")).all()
        users = s.execute(text("SELECT user_id FROM change_journal ORDER BY seq")).scalars().all()
    assert [tuple(r) for r in rows] == [("7001", "first"), ("7002", "second")]
    assert users == ["first", "second"]  # the second transaction committed after the first


def test_foreign_keys_are_enforced(db) -> None:
    with pytest.raises(sqlalchemy.exc.IntegrityError, match="FOREIGN KEY"), \
            db.write(WriteContext(user_id="x")) as s:
        s.add(Interaction(customer_id="nobody", branch_id="nowhere", user_id="noone", channel="phone",
                          direction="inbound", subject="x", occurred_at=s.info["now"]))
    with db.read() as s:
        assert s.execute(text("SELECT count(*) FROM interaction")).scalar() == 0


def test_wal_files_exist_while_open(db) -> None:
    with db.write(WriteContext(user_id="x")) as s:
        s.add(Branch(code="8000", name="شعبه"))
    assert db.path.with_name(db.path.name + "-wal").exists()
    with closing(sqlite3.connect(db.path)) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # persistent in the file


def test_busy_timeout_is_generous(db) -> None:
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
        conn.rollback()


def test_writes_are_serialised_across_threads(db) -> None:
    """Many threads writing through one Database: every write lands, none fails with 'database is locked'."""
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(5):
                with db.write(WriteContext(user_id=f"t{n}")) as s:
                    s.add(Branch(code=f"9{n}{i:02d}", name="موازی"))
                    time.sleep(0.001)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    with db.read() as s:
        assert s.execute(text("SELECT count(*) FROM branch")).scalar() == 20
        assert s.execute(text("SELECT count(DISTINCT tx_id) FROM change_journal")).scalar() == 20
