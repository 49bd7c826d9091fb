"""The world of the fault soak: one real sync service over PostgreSQL and desks made from real SQLite files.

No pytest here (``bench.sync_soak`` imports it). The server database is created once per process and
emptied between schedules (TRUNCATE is much cheaper than a new database); the desk template (two
branches, a clerk and a manager each) is built once and copied per desk, and the server is seeded
with its branches and users, as an administrator would.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import argon2
import httpx
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, make_url, text

from crm_desktop.db import WriteContext
from crm_desktop.db.migrate import open_database
from crm_desktop.db.session import Database
from crm_desktop.models import Branch
from crm_desktop.server import auth
from crm_desktop.server.app import create_app
from crm_desktop.server.db import make_engine, migrate
from crm_desktop.server.schema import table_of
from crm_desktop.server.settings import Settings
from crm_desktop.services import Services
from crm_desktop.services.actor import Actor
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


class StepClock:
    """The desks' clock: starts at the fixtures' 2026-11-23 06:30 UTC and moves a minute per step."""

    def __init__(self) -> None:
        self.current = datetime(2026, 11, 23, 6, 30, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.current

    def tick(self) -> None:
        self.current += timedelta(minutes=1)


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
        """Remember the feed position up to which the server holds only its seeded state."""
        with self.engine.connect() as conn:
            self._kept_change = int(conn.execute(text("SELECT coalesce(max(change_id), 0) FROM sync_change"))
                                    .scalar_one())

    def restore(self, epoch: str) -> None:
        """Back to the seeded state: rows the schedule made deleted (triggers off), devices' chains at 0."""
        with self.engine.begin() as conn:
            conn.execute(text("SET LOCAL session_replication_role = replica"))
            for name in self.tables:
                if name not in SEEDED_TABLES:
                    conn.execute(text(f"DELETE FROM {name}"))
            conn.execute(text("DELETE FROM sync_change WHERE change_id > :c"), {"c": self._kept_change})
            conn.execute(text("UPDATE sync_device SET last_op_id = 0, last_cursor = NULL"))
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
    clock: StepClock
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


@dataclass(frozen=True)
class Golden:
    """A registered desk that has not synced yet, kept as a file to start every schedule from."""

    name: str
    path: Path
    staff: Staff
    device_id: str
    first_op: int


@dataclass
class SoakEnv:
    """What every schedule shares: the server, the registered desks' files, a scratch folder.

    Registering is done once: each schedule empties the server back to its seeded state (the devices
    stay registered, their op chains and cursors start again) and copies the desks' files back.
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
        golden = []
        for name, code in desks:
            desk = new_desk(name, folder, template.path, template.staff[code], StepClock(), server)
            desk.close()
            kept = folder / f"golden-{name}.db"
            shutil.copy(desk.path, kept)
            golden.append(Golden(name, kept, desk.staff, desk.device_id, desk.first_op))
        server.keep()
        return cls(server, golden, folder, server.epoch())

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
            desk = SoakDesk(g.name, path, g.staff, clock, self.server, device_id=g.device_id, first_op=g.first_op)
            desk.open()
            desks.append(desk)
        return desks

    def close(self) -> None:
        self.server.close()
        shutil.rmtree(self.folder, ignore_errors=True)
