"""`python -m bench.sync_desk`: the desk's side of sync over loopback (issue #6).

For each ``--customers`` size: a demo branch database is made, copied into a fresh PostgreSQL database
(every business row moved into one branch), the service is started with uvicorn on loopback, and a
desk holding only the branch's users bootstraps from it through the real ``SyncEngine`` and httpx.
Then a second desk is registered beside it. Prints JSON lines:

- ``bootstrap``: rows pulled and applied per second; ``p50_ms``/``max_ms`` are the desk's write
  transactions (each page is one; the longest is how long a page holds SQLite's write lock).
- ``noop_sync``: a round with nothing to push or pull (run at two sizes for the "same at 10×" target).
- ``push100_pull100``: this desk made 100 edits and the other desk pushed 100; one round sends and
  receives them.
- ``journal_capture``: a customer edit in a unit of work with the journal triggers vs the same edit
  on a copy without them (``ratio``; target <= 1.5).

Targets: bootstrap >= 5,000 rows/s; push 100 + pull 100 p95 <= 1.5 s; no-op <= 100 ms at both sizes.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from sqlalchemy import text

from bench.measure import percentile
from bench.sync_server import emit, free_port, fresh_database, postgres
from crm_desktop.db.migrate import open_database
from crm_desktop.db.session import Database, WriteContext
from crm_desktop.server import auth
from crm_desktop.server.db import make_engine, migrate
from crm_desktop.server.schema import table_of
from crm_desktop.services.demo import DEMO_PASSWORD, DEMO_USERNAME
from crm_desktop.sync.catalog import CATALOG, SYNCED_TABLES
from crm_desktop.sync.client import store
from crm_desktop.sync.client.engine import SyncEngine
from crm_desktop.sync.client.store import Key
from crm_desktop.sync.client.transport import Transport
from crm_desktop.sync.values import to_python

LOCAL_ONLY = ("branch", "app_user")  # what a new desk of the branch holds before its first round
SEED_BATCH = 1_000  # rows per server transaction; a pull page ends on a transaction boundary
UPDATE = text("UPDATE customer SET notes = :n, version = version + 1 WHERE id = :id")


def make_demo(path: Path, customers: int) -> None:
    subprocess.run([sys.executable, "-m", "crm_desktop", "demo", "--db", str(path), "--customers", str(customers)],
                   check=True, capture_output=True)


def main_branch(conn: sqlite3.Connection) -> str:
    return str(conn.execute("SELECT branch_id FROM app_user WHERE username = ?", (DEMO_USERNAME,)).fetchone()[0])


def seed_server(url: str, desk_path: Path) -> int:
    """Every synced row of the demo desk on the server, business rows all in the demo user's branch."""
    engine = make_engine(url, pool_size=1)
    migrate(engine)
    src = sqlite3.connect(desk_path)
    src.row_factory = sqlite3.Row
    branch = main_branch(src)
    total = 0
    with engine.begin() as pg:
        for name in ("sla_policy", "holiday", "setting"):  # the migration's defaults; the desk's rows replace them
            pg.exec_driver_sql(f"DELETE FROM {name}")
    for name in SYNCED_TABLES:
        spec, table = CATALOG[name], table_of(name)
        cursor = src.execute(f"SELECT * FROM {name}")
        while rows := cursor.fetchmany(SEED_BATCH):
            values = []
            for row in rows:
                item = {k: to_python(spec.kinds[k], row[k]) for k in row.keys() if k in spec.kinds}
                if name not in LOCAL_ONLY and "branch_id" in item and item["branch_id"] is not None:
                    item["branch_id"] = branch
                values.append(item)
            with engine.begin() as pg:  # one server transaction per batch, as pushes of desks would make
                pg.execute(table.insert(), values)
            total += len(values)
    src.close()
    engine.dispose()
    return total


def empty_desk(demo: Path, target: Path) -> None:
    """A desk of the branch that holds only its branches and users: what a newly installed desk has."""
    shutil.copy(demo, target)
    conn = sqlite3.connect(target)
    conn.execute("INSERT OR REPLACE INTO sync_ctx (k, v) VALUES ('applying', '1')")
    for name in reversed(SYNCED_TABLES):
        if name not in LOCAL_ONLY:
            conn.execute(f"DELETE FROM {name}")
    conn.execute("DELETE FROM sync_state")
    conn.execute("UPDATE app_meta SET v = ? WHERE k = 'device_id'", (str(uuid.uuid4()),))
    conn.execute("UPDATE sync_ctx SET v = '0' WHERE k = 'applying'")
    conn.commit()
    conn.execute("VACUUM")
    conn.close()


@contextmanager
def serve(url: str) -> Iterator[str]:
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "crm_desktop.server.cli", "--database-url", url, "serve",
                               "--host", "127.0.0.1", "--port", str(port), "--workers", "2"])
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


class TimedWrites:
    """Records how long each of the engine's write transactions holds the lock."""

    def __init__(self) -> None:
        self.samples: list[float] = []
        self._original = store.write_tx

    @contextmanager
    def _timed(self, db: Database, *, applying: bool = False) -> Iterator[sqlite3.Connection]:
        started = time.perf_counter()
        with self._original(db, applying=applying) as raw:
            yield raw
        self.samples.append((time.perf_counter() - started) * 1000)

    def __enter__(self) -> TimedWrites:
        store.write_tx = self._timed  # type: ignore[assignment]
        return self

    def __exit__(self, *exc: object) -> None:
        store.write_tx = self._original  # type: ignore[assignment]


def desk_engine(db: Database, base: str) -> tuple[SyncEngine, Transport]:
    transport = Transport(base, username=DEMO_USERNAME, password=DEMO_PASSWORD)
    return SyncEngine(db, transport), transport


def register(url: str, base: str, db: Database, branch_code: str) -> tuple[SyncEngine, Transport]:
    engine = make_engine(url, pool_size=1)
    code = auth.new_registration_code(engine, branch_code, ttl_s=600)
    engine.dispose()
    sync, transport = desk_engine(db, base)
    sync.register(base, code, "میز سنجش")
    return sync, transport


def second_desk(first: Database, target: Path, url: str, base: str, branch_code: str) -> tuple[Database, SyncEngine]:
    """A clone of a desk that is up to date, registered as its own device, keeping the cursor it cloned."""
    src, dst = sqlite3.connect(first.path), sqlite3.connect(target)
    src.backup(dst)
    cursor, epoch = (dst.execute("SELECT v FROM sync_state WHERE k = ?", (k,)).fetchone()[0]
                     for k in (Key.CURSOR, Key.EPOCH))
    dst.execute("UPDATE app_meta SET v = ? WHERE k = 'device_id'", (str(uuid.uuid4()),))
    dst.commit()
    src.close()
    dst.close()
    db = open_database(target)
    sync, _ = register(url, base, db, branch_code)
    with store.write_tx(db) as raw:
        store.put(raw, Key.CURSOR, cursor)
        store.put(raw, Key.EPOCH, epoch)
    return db, sync


def edit(db: Database, user_id: str, ids: list[str], tag: str) -> None:
    """One unit of work per edit, the way a clerk saves a form."""
    for i, pk in enumerate(ids):
        with db.write(WriteContext(user_id=user_id, source="bench")) as session:
            session.execute(UPDATE, {"n": f"{tag} {i}", "id": pk})


def journal_capture(demo: Path, work: Path, edits: int) -> None:
    """The same edits on two copies, one without the journal triggers, interleaved so drift hits both."""
    captured, plain = work / "captured.db", work / "plain.db"
    shutil.copy(demo, captured)
    shutil.copy(demo, plain)
    conn = sqlite3.connect(plain)
    triggers = conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%journal%'")
    for (name,) in triggers.fetchall():
        conn.execute(f"DROP TRIGGER {name}")
    conn.commit()
    conn.close()
    dbs = {"plain": open_database(plain), "captured": open_database(captured)}
    with dbs["plain"].read_raw() as raw:
        user_id = str(raw.execute("SELECT id FROM app_user WHERE username = ?", (DEMO_USERNAME,)).fetchone()[0])
        ids = [str(r[0]) for r in raw.execute("SELECT id FROM customer ORDER BY id LIMIT ?", (edits,))]
    samples: dict[str, list[float]] = {k: [] for k in ("plain", "captured", "plain_batch", "captured_batch")}
    for i, pk in enumerate(ids):
        for label in ("plain", "captured") if i % 2 else ("captured", "plain"):
            started = time.perf_counter()
            with dbs[label].write(WriteContext(user_id=user_id, source="bench")) as session:
                session.execute(UPDATE, {"n": f"یادداشت {i}", "id": pk})
            samples[label].append((time.perf_counter() - started) * 1000)
    for n in range(6):
        for label in ("plain", "captured") if n % 2 else ("captured", "plain"):
            started = time.perf_counter()
            with dbs[label].write(WriteContext(user_id=user_id, source="bench")) as session:
                for pk in ids:
                    session.execute(UPDATE, {"n": f"دسته {n}", "id": pk})
            samples[label + "_batch"].append((time.perf_counter() - started) * 1000 / len(ids))
    for db in dbs.values():
        db.dispose()
    for name, key, note in (("journal_capture", "", "one customer edit per unit of work, synchronous=FULL"),
                            ("journal_capture_batch", "_batch", f"{edits} edits in one unit of work, per edit")):
        done, bare = samples["captured" + key], samples["plain" + key]
        emit(name, done, plain_p50_ms=round(percentile(bare, 0.5), 3),
             ratio=round(percentile(done, 0.5) / percentile(bare, 0.5), 2), edits=edits, note=note)


def run_size(base_url: str, work: Path, customers: int, rounds: int, *, capture: bool) -> None:
    demo = work / f"demo-{customers}.db"
    make_demo(demo, customers)
    with sqlite3.connect(demo) as conn:
        branch_id = main_branch(conn)
        branch_code = str(conn.execute("SELECT code FROM branch WHERE id = ?", (branch_id,)).fetchone()[0])
        user_id = str(conn.execute("SELECT id FROM app_user WHERE username = ?", (DEMO_USERNAME,)).fetchone()[0])
    with fresh_database(base_url) as url:
        seeded = seed_server(url, demo)
        desk_path = work / f"desk-{customers}.db"
        empty_desk(demo, desk_path)
        db = open_database(desk_path)
        with serve(url) as base:
            sync, _ = register(url, base, db, branch_code)
            with store.write_tx(db) as raw:  # the demo's own seed entries are not this desk's edits
                store.set_pushed_seq(raw, int(raw.execute("SELECT max(seq) FROM change_journal").fetchone()[0]))
            with TimedWrites() as writes:
                started = time.perf_counter()
                result = sync.sync_once()
                elapsed = time.perf_counter() - started
            emit("bootstrap", writes.samples, rows=result.pulled, applied=result.applied, pages=result.pages,
                 seconds=round(elapsed, 1), rows_per_s=round(result.pulled / elapsed), server_rows=seeded,
                 customers=customers, note="samples: the desk's write transactions (one per page)")
            noop = []
            for _ in range(rounds):
                started = time.perf_counter()
                sync.sync_once()
                noop.append((time.perf_counter() - started) * 1000)
            emit("noop_sync", noop, rows=seeded, customers=customers)
            other_db, other = second_desk(db, work / f"other-{customers}.db", url, base, branch_code)
            with db.read_raw() as raw:
                ids = [str(r[0]) for r in raw.execute("SELECT id FROM customer ORDER BY id LIMIT ?", (200,))]
            both = []
            for n in range(rounds):
                edit(other_db, user_id, ids[100:], f"دیگری {n}")
                other.sync_once()
                edit(db, user_id, ids[:100], f"این میز {n}")
                started = time.perf_counter()
                result = sync.sync_once()
                both.append((time.perf_counter() - started) * 1000)
                assert result.pushed == 100 and result.pulled >= 100, result
            emit("push100_pull100", both, customers=customers, rows=seeded)
            other_db.dispose()
        db.dispose()
    if capture:
        journal_capture(demo, work, 300)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--customers", type=lambda s: [int(x) for x in s.split(",")], default=[2_500, 25_000],
                        help="demo sizes, comma separated (2,500 customers is about 20,000 rows)")
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    with postgres() as base_url, tempfile.TemporaryDirectory(prefix="bench-sync-") as folder:
        for customers in args.customers:
            run_size(base_url, Path(folder), customers, args.rounds, capture=customers == max(args.customers))


if __name__ == "__main__":
    main()
