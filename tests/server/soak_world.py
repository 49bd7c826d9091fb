"""The world of the fault soak: one real sync service over PostgreSQL and desks made from real SQLite files.

No pytest here (``bench.sync_soak`` imports it). The server database is created once per process and
put back to its kept state between schedules (much cheaper than a new database); the desk template (two
branches, a clerk and a manager each) is built once and copied per desk, and the server is seeded
with its branches and users, as an administrator would. Two customers of branch 1021, created on the
first desk and bootstrapped by every desk, are there from the start of every schedule; the other desks
start behind the server (the first desk then edited one and onboarded a third). Each desk has
its own clock (the shared step clock plus a skew the machine sets; the journal's HLC follows it).
"""

from __future__ import annotations

import dataclasses
import shutil
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import argon2
import httpx
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import Engine, MetaData, Table, create_engine, make_url, text

from crm_desktop.db import WriteContext
from crm_desktop.db.migrate import open_database
from crm_desktop.db.session import Database, HybridLogicalClock
from crm_desktop.models import Branch
from crm_desktop.persian.validators import make_national_id
from crm_desktop.server import auth
from crm_desktop.server.app import create_app
from crm_desktop.server.db import make_engine, migrate
from crm_desktop.server.schema import table_of
from crm_desktop.server.settings import Settings
from crm_desktop.services import Services
from crm_desktop.services.actor import Actor
from crm_desktop.services.records import CustomerInput
from crm_desktop.sync.catalog import CATALOG
from crm_desktop.sync.client import store
from crm_desktop.sync.client.engine import SyncEngine
from crm_desktop.sync.client.transport import Transport
from crm_desktop.sync.values import to_python
from tests.server.faults import FaultyTransport, faulty_client

CHEAP = PasswordHasher.from_parameters(argon2.profiles.CHEAPEST)
PASSWORD = "Branch2026pass"
KEEP_TABLES = ("alembic_version", "sync_meta")
#: Tables whose rows survive between schedules (the seeded branches and users, the registered devices).
SEEDED_TABLES = ("branch", "app_user", "sync_device", "sync_change", "device_code")
#: Tables emptied for every schedule (O1 counts the schedule's own ops only).
FORGOTTEN_TABLES = ("sync_applied_op",)
#: Customers every desk of branch 1021 holds from the start, so that edits meet on one record from step one.
SEEDED_CUSTOMERS = (("پروین", "600000011"), ("کاوه", "600000022"))
#: Made on the first desk after the others' files were kept (with an edit of the first seeded customer):
#: the other desks start behind the server, as desks that were offline do.
LATE_CUSTOMERS = (("ژاله", "600000033"),)


class StepClock:
    """The desks' clock: starts at the fixtures' 2026-11-23 06:30 UTC and moves a minute per step."""

    def __init__(self) -> None:
        self.current = datetime(2026, 11, 23, 6, 30, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.current

    def tick(self) -> None:
        self.current += timedelta(minutes=1)


class DeskClock:
    """One desk's clock: the shared step clock plus this desk's skew (hours apart: clocks decide nothing)."""

    def __init__(self, steps: StepClock) -> None:
        self.steps = steps
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return self.steps() + self.offset


class SkewedHLC(HybridLogicalClock):
    """The journal's HLC read from a desk's skewed wall clock (the real one reads ``time.time()``)."""

    def __init__(self, device_id: str, last: str | None, clock: StepClock | DeskClock) -> None:
        super().__init__(device_id, last)
        self._device_id, self._clock = device_id, clock
        self._wall, self._count = (int(last.split("-")[0]), int(last.split("-")[1])) if last else (0, 0)

    def now(self) -> str:
        offset = self._clock.offset if isinstance(self._clock, DeskClock) else timedelta()
        wall = int((time.time() + offset.total_seconds()) * 1000)
        if wall > self._wall:
            self._wall, self._count = wall, 0
        else:
            self._count += 1
        return f"{self._wall:013d}-{self._count:05d}-{self._device_id}"


@dataclass(frozen=True)
class Staff:
    branch_code: str
    clerk: Actor
    manager: Actor


@dataclass
class Template:
    path: Path
    staff: dict[str, Staff]  # branch code -> its clerk and manager


def build_template(folder: Path) -> Template:
    """An empty desk database with branches 1021 and 2040, and a clerk and a manager in each."""
    path = folder / "template.db"
    db = open_database(path)
    services = Services(db, clock=StepClock(), hasher=CHEAP)
    admin = services.users.first_run(branch_code="1021", branch_name="شعبه مرکزی", username="admin",
                                     full_name="مدیر سامانه", password=PASSWORD)
    with db.write(WriteContext(user_id=admin.user_id, source="test")) as session:
        other = Branch(code="2040", name="شعبه ونک")
        session.add(other)
        session.flush()
        other_id = other.id

    def add(username: str, name: str, role: str, branch_id: str) -> Actor:
        services.users.add(admin, username=username, full_name=name, role=role, branch_id=branch_id,
                           password=PASSWORD)
        return services.users.authenticate(username, PASSWORD)

    staff = {
        "1021": Staff("1021", add("clerk", "مریم کارمند", "clerk", admin.branch_id),
                      add("manager", "رضا رئیسی", "manager", admin.branch_id)),
        "2040": Staff("2040", add("other", "سارا دیگری", "clerk", other_id),
                      add("manager2", "نادر ونکی", "manager", other_id)),
    }
    db.dispose()
    return Template(path, staff)


class SoakServer:
    """The FastAPI app over its own PostgreSQL database, reached through a TestClient."""

    def __init__(self, base_url: str) -> None:
        base = make_url(base_url)
        self.name = f"crm_soak_{uuid.uuid4().hex[:12]}"
        self._admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with self._admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{self.name}"')
        url = base.set(database=self.name).render_as_string(hide_password=False)
        self.engine: Engine = make_engine(url, pool_size=5)
        migrate(self.engine)
        self.client = TestClient(create_app(Settings(database_url=url, hasher=CHEAP, pool_size=5),
                                            engine=self.engine))
        self.client.__enter__()  # one event-loop thread for every request, not one per request
        self._kept_change = 0
        self._kept_rows: dict[str, tuple[Table, list[dict[str, Any]]]] = {}
        self._kept_devices: list[dict[str, Any]] = []
        with self.engine.connect() as conn:
            names = conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars()
            self.tables = sorted(n for n in names if n not in KEEP_TABLES)

    def seed(self, template: Path) -> None:
        """The template's branches and users, as an administrator adds them."""
        source = sqlite3.connect(template)
        source.row_factory = sqlite3.Row
        with self.engine.begin() as conn:
            for name in ("branch", "app_user"):
                spec = CATALOG[name]
                for row in source.execute(f"SELECT * FROM {name}"):
                    conn.execute(table_of(name).insert().values(
                        **{k: to_python(spec.kinds[k], row[k]) for k in row.keys()}))
        source.close()

    def epoch(self) -> str:
        with self.engine.connect() as conn:
            return str(conn.execute(text("SELECT value FROM sync_meta WHERE key = 'server_epoch'")).scalar_one())

    def keep(self) -> None:
        """Remember the seeded state: the feed position, the rows the desks hold from the start (the seeded
        customers), and each device's op chain and cursor."""
        with self.engine.connect() as conn:
            self._kept_change = int(conn.execute(text("SELECT coalesce(max(change_id), 0) FROM sync_change"))
                                    .scalar_one())
            self._kept_rows = {}
            for name in self.tables:
                if name not in SEEDED_TABLES and name not in FORGOTTEN_TABLES:
                    table = Table(name, MetaData(), autoload_with=conn)
                    rows = [dict(r) for r in conn.execute(table.select()).mappings()]
                    if rows:
                        self._kept_rows[name] = (table, rows)
            self._kept_devices = [dict(r) for r in conn.execute(text(
                "SELECT device_id, last_op_id, last_cursor FROM sync_device")).mappings()]

    def restore(self, epoch: str) -> None:
        """Back to the kept state: rows the schedule made deleted and the kept ones put back (triggers off),
        the devices' chains and cursors where they were."""
        with self.engine.begin() as conn:
            conn.execute(text("SET LOCAL session_replication_role = replica"))
            for name in self.tables:
                if name not in SEEDED_TABLES:
                    conn.execute(text(f"DELETE FROM {name}"))
            for table, rows in self._kept_rows.values():
                conn.execute(table.insert(), rows)
            conn.execute(text("DELETE FROM sync_change WHERE change_id > :c"), {"c": self._kept_change})
            conn.execute(text("UPDATE sync_device SET last_op_id = :last_op_id, last_cursor = :last_cursor"
                              " WHERE device_id = :device_id"), self._kept_devices)
            conn.execute(text("UPDATE sync_meta SET value = :e WHERE key = 'server_epoch'"), {"e": epoch})

    def close(self) -> None:
        self.client.__exit__(None, None, None)
        self.engine.dispose()
        with self._admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self._admin.dispose()


@dataclass
class SoakDesk:
    """A desk: its SQLite file, the services and sync engine on it, and the fault transport under it."""

    name: str
    path: Path
    staff: Staff
    clock: StepClock | DeskClock
    server: SoakServer
    db: Database = field(init=False)
    services: Services = field(init=False)
    engine: SyncEngine = field(init=False)
    faults: FaultyTransport = field(init=False)
    http: httpx.Client = field(init=False)
    device_id: str = ""
    first_op: int = 0  # journal entries below this were there before the run (the seeded staff)

    def open(self) -> None:
        self.db = Database(self.path)
        self.db.load_identity()
        with self.db.read_raw() as raw:
            last = raw.execute("SELECT hlc FROM change_journal ORDER BY seq DESC LIMIT 1").fetchone()
        self.db._hlc = SkewedHLC(self.db.device_id, last[0] if last else None, self.clock)
        self.services = Services(self.db, clock=self.clock, hasher=CHEAP)
        self.http, self.faults = faulty_client(self.server.client)
        transport = Transport("", username=self.staff.clerk.username, password=PASSWORD, client=self.http)
        self.engine = SyncEngine(self.db, transport, self.clock)

    def close(self) -> None:
        self.http.close()
        self.db.dispose()

    def restart(self) -> None:
        """Throw every Python object of the desk away and open it again from its file."""
        self.close()
        self.open()


def new_desk(name: str, folder: Path, template: Path, staff: Staff, clock: StepClock, server: SoakServer) -> SoakDesk:
    """A copy of the template with its own device id, its seeded journal marked pushed, registered."""
    path = folder / f"{name}.db"
    shutil.copy(template, path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE app_meta SET v = ? WHERE k = 'device_id'", (str(uuid.uuid4()),))
    conn.commit()
    conn.close()
    desk = SoakDesk(name, path, staff, clock, server)
    desk.open()
    with store.write_tx(desk.db) as raw:
        top = int(raw.execute("SELECT coalesce(max(seq), 0) FROM change_journal").fetchone()[0])
        store.set_pushed_seq(raw, top)
    desk.first_op = top + 1
    code = auth.new_registration_code(server.engine, staff.branch_code, ttl_s=3600)
    desk.device_id = desk.engine.register("http://testserver", code, name)
    return desk


def keep_golden(desk: SoakDesk, folder: Path) -> Golden:
    """Close the desk and keep its file; journal entries made so far are not the schedule's."""
    with desk.db.read_raw() as raw:
        first_op = int(raw.execute("SELECT coalesce(max(seq), 0) FROM change_journal").fetchone()[0]) + 1
    desk.close()
    kept = folder / f"golden-{desk.name}.db"
    shutil.copy(desk.path, kept)
    return Golden(desk.name, kept, desk.staff, desk.device_id, first_op)


def seed_customers(desk: SoakDesk, customers: Sequence[tuple[str, str]]) -> None:
    for first_name, digits in customers:
        desk.services.customers.create(desk.staff.clerk, CustomerInput(
            first_name=first_name, last_name="سعیدی", national_id=make_national_id(digits)))


@dataclass(frozen=True)
class Golden:
    """A registered, bootstrapped desk (it holds the seeded customers), kept as a file to start every schedule
    from; journal entries below ``first_op`` were made before the schedule."""

    name: str
    path: Path
    staff: Staff
    device_id: str
    first_op: int


@dataclass
class SoakEnv:
    """What every schedule shares: the server, the registered desks' files, a scratch folder.

    Registering and bootstrapping are done once: each schedule puts the server back to its kept state (the
    devices stay registered, the seeded customers stay, the schedule's rows and ops go) and copies the desks'
    files back.
    """

    server: SoakServer
    golden: list[Golden]
    folder: Path
    epoch: str

    @classmethod
    def start(cls, database_url: str, desks: Sequence[tuple[str, str]]) -> SoakEnv:
        shm = Path("/dev/shm")  # the desks' fsyncs cost nothing on tmpfs: the schedule, not the disk, is tested
        folder = Path(tempfile.mkdtemp(prefix="crm-soak-", dir=shm if shm.is_dir() else None))
        template = build_template(folder)
        server = SoakServer(database_url)
        server.seed(template.path)
        opened = [new_desk(name, folder, template.path, template.staff[code], StepClock(), server)
                  for name, code in desks]
        first = opened[0]
        seed_customers(first, SEEDED_CUSTOMERS)
        for desk in opened:  # the first pushes them, every desk bootstraps (the other branch's desk too)
            desk.engine.sync_once()
        golden = [keep_golden(desk, folder) for desk in opened[1:]]
        # then the others fall behind: the first desk edits a seeded customer and onboards one more
        seed_customers(first, LATE_CUSTOMERS)
        with first.db.read_raw() as raw:
            seeded = str(raw.execute("SELECT id FROM customer ORDER BY created_at, id LIMIT 1").fetchone()[0])
        detail = first.services.customers.get(first.staff.clerk, seeded)
        data = CustomerInput(**{f.name: getattr(detail, f.name) for f in dataclasses.fields(CustomerInput)})
        first.services.customers.edit(first.staff.clerk, seeded, dataclasses.replace(data, notes="ویرایش پیش از آزمون"))
        first.engine.sync_once()
        server.keep()
        return cls(server, [keep_golden(first, folder), *golden], folder, server.epoch())

    def fresh_desks(self, clock: StepClock) -> list[SoakDesk]:
        """The server back to its seeded state and every desk back to its registered file, opened."""
        self.server.restore(self.epoch)
        for copy in self.folder.glob("*before-resync*"):
            copy.unlink()
        desks = []
        for g in self.golden:
            path = self.folder / f"{g.name}.db"
            for suffix in ("-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            shutil.copy(g.path, path)
            desk = SoakDesk(g.name, path, g.staff, DeskClock(clock), self.server, device_id=g.device_id,
                            first_op=g.first_op)
            desk.open()
            desks.append(desk)
        return desks

    def close(self) -> None:
        self.server.close()
        shutil.rmtree(self.folder, ignore_errors=True)
