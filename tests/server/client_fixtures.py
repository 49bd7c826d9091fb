"""Fixtures for the sync client against the real service: a fresh PostgreSQL database per test (a copy
of the module's migrated one), desks made from the shared ``world`` database, and engines whose HTTP
goes through the FastAPI TestClient."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, make_url

from crm_desktop.db.migrate import open_database
from crm_desktop.db.session import Database
from crm_desktop.sync.client import store
from crm_desktop.sync.client.engine import SyncEngine
from crm_desktop.sync.client.transport import Transport, Unreachable
from crm_desktop.sync.values import from_python
from tests.conftest import PASSWORD, World
from tests.server.helpers import Server, make_server
from tests.server.test_desk_roundtrip import seed_from_desk


@pytest.fixture
def server(database_url: str) -> Iterator[Server]:
    """A server on a new database cloned from the module's migrated one (CREATE DATABASE ... TEMPLATE)."""
    base = make_url(database_url)
    name = f"crm_client_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{base.database}"')
    srv = make_server(base.set(database=name).render_as_string(hide_password=False))
    yield srv
    srv.client.close()
    srv.engine.dispose()
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


class DroppingTransport(Transport):
    """Loses the answer of the next push after the server committed it (fault F-02)."""

    drop_next_push = False

    def push(self, body: dict[str, Any]) -> dict[str, Any]:
        answer = super().push(body)
        if self.drop_next_push:
            self.drop_next_push = False
            raise Unreachable("dropped response")
        return answer


@dataclass
class DeskClient:
    db: Database
    engine: SyncEngine
    transport: DroppingTransport

    def row(self, tbl: str, pk: str) -> dict[str, Any] | None:
        with self.db.read_raw() as raw:
            cur = raw.execute(f"SELECT * FROM {tbl} WHERE id = ?", (pk,))
            names = [d[0] for d in cur.description]
            found = cur.fetchone()
        return None if found is None else dict(zip(names, found, strict=True))

    def counts(self) -> store.Counts:
        with store.read_tx(self.db) as raw:
            return store.counts(raw)


def connect_desk(server: Server, db: Database, username: str = "clerk", branch_code: str = "1021") -> DeskClient:
    transport = DroppingTransport("", username=username, password=PASSWORD, client=server.client)
    engine = SyncEngine(db, transport)
    engine.register("http://testserver", server.code(branch_code), "میز آزمون")
    return DeskClient(db, engine, transport)


def mark_all_pushed(db: Database) -> None:
    """What the desk holds is on the server already (it was seeded from this desk)."""
    with store.write_tx(db) as raw:
        store.set_pushed_seq(raw, int(raw.execute("SELECT coalesce(max(seq), 0) FROM change_journal").fetchone()[0]))


def clone(db: Database, target: Path) -> Database:
    """A second desk of the same branch: same records and journal, its own device id, no sync state."""
    src, dst = sqlite3.connect(db.path), sqlite3.connect(target)
    src.backup(dst)
    dst.execute("UPDATE app_meta SET v = ? WHERE k = 'device_id'", (str(uuid.uuid4()),))
    dst.execute("DELETE FROM sync_state")
    dst.commit()
    src.close()
    dst.close()
    return open_database(target)


def seeded(server: Server, world: World) -> None:
    seed_from_desk(server, world.db.path)
    mark_all_pushed(world.db)


def server_row(server: Server, tbl: str, pk: str) -> dict[str, Any]:
    from crm_desktop.sync import catalog

    with server.engine.connect() as conn:
        found = conn.exec_driver_sql(f"SELECT * FROM {tbl} WHERE id = %s", (pk,)).mappings().first()
    assert found is not None
    spec = catalog.CATALOG[tbl]
    return {c: from_python(spec.kinds[c], found[c]) for c in spec.wire_columns}


def desk_row(desk: DeskClient, tbl: str, pk: str) -> dict[str, Any]:
    from crm_desktop.sync import catalog

    found = desk.row(tbl, pk)
    assert found is not None
    spec = catalog.CATALOG[tbl]
    return {c: from_python(spec.kinds[c], found[c]) for c in spec.wire_columns}
