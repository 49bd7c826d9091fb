"""Real desk databases push their real journal: request numbers made offline on two desks stay unique,
and the server accepts what the desk's triggers capture (defaults included: design §12 bug 4)."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from crm_desktop.db.migrate import open_database
from crm_desktop.persian.validators import make_national_id
from crm_desktop.server.schema import table_of
from crm_desktop.services import Services
from crm_desktop.services.records import CustomerInput
from crm_desktop.services.service_requests import RequestInput
from crm_desktop.sync import protocol
from crm_desktop.sync.catalog import CATALOG
from crm_desktop.sync.values import to_python
from tests.conftest import CHEAP_HASHER, PASSWORD, World
from tests.server.helpers import Desk, Server, make_server


@pytest.fixture(scope="module")
def server(database_url: str) -> Iterator[Server]:
    srv = make_server(database_url)
    yield srv
    srv.engine.dispose()


def seed_from_desk(server: Server, path: Path) -> None:
    """Copy the desk's branches and users to the server (password hashes included, as an admin would)."""
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    with server.engine.begin() as pg:
        for name in ("branch", "app_user"):
            spec = CATALOG[name]
            for row in conn.execute(f"SELECT * FROM {name}"):
                values = {k: to_python(spec.kinds[k], row[k]) for k in row.keys()}
                pg.execute(table_of(name).insert().values(**values))
    conn.close()


def outbox(path: Path, after: int) -> list[dict[str, Any]]:
    """The desk's journal rows above ``after`` as ops (the journal is the outbox)."""
    conn = sqlite3.connect(path)
    rows = conn.execute("SELECT seq, tx_id, tbl, pk, kind, changed, user_id, hlc FROM change_journal WHERE seq > ?"
                        " ORDER BY seq", (after,)).fetchall()
    conn.close()
    ops, prev = [], 0
    for seq, tx_id, tbl, pk, kind, changed, user_id, hlc in rows:
        op = {"op_id": seq, "prev_op_id": prev, "tx_id": tx_id, "tbl": tbl, "pk": pk, "kind": kind,
              "changed": json.loads(changed), "user_id": user_id, "hlc": hlc}
        op["sha256"] = protocol.op_sha256(op)
        ops.append(op)
        prev = seq
    return ops


def max_seq(path: Path) -> int:
    conn = sqlite3.connect(path)
    value = conn.execute("SELECT coalesce(max(seq), 0) FROM change_journal").fetchone()[0]
    conn.close()
    return int(value)


def clone_desk(source: Path, target: Path) -> None:
    """A second desk of the same branch (same records, its own device id and request-number tag)."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    src.backup(dst)
    dst.execute("UPDATE app_meta SET v = ? WHERE k = 'device_id'", (str(uuid.uuid4()),))
    dst.commit()
    src.close()
    dst.close()


def register(server: Server, world: World) -> Desk:
    code = server.code("1021")
    reg = server.client.post("/v1/devices/register", json={"code": code}).json()
    desk = Desk(server, reg["device_id"], reg["credential"], reg["branch_id"], reg["server_epoch"],
                world.clerk.user_id)
    response = desk.sign_in("clerk", PASSWORD)  # the desk's own Argon2 hash verifies on the server
    assert response.status_code == 200, response.text
    return desk


def test_request_numbers_made_offline_on_two_desks_are_both_unique(server: Server, world: World,
                                                                  tmp_path: Path) -> None:
    path = world.db.path
    seed_from_desk(server, path)
    start = max_seq(path)
    data = CustomerInput(first_name="زهرا", last_name="احمدی", mobile="09121234567",
                         national_id=make_national_id("002345678"))
    customer = world.services.customers.create(world.clerk, data).value.id
    shared = max_seq(path)
    clone = tmp_path / "desk2.db"
    clone_desk(path, clone)
    first = world.services.requests.open(world.clerk, RequestInput(customer, "complaint", "normal", "کارت مسدود"))
    db2 = open_database(clone)
    try:
        services2 = Services(db2, clock=world.clock, hasher=CHEAP_HASHER)
        second = services2.requests.open(world.clerk, RequestInput(customer, "inquiry", "normal", "سود سپرده"))
    finally:
        db2.dispose()
    assert first.value.number != second.value.number

    desk1, desk2 = register(server, world), register(server, world)
    body1 = desk1.push(outbox(path, start))
    body2 = desk2.push(outbox(clone, shared))
    for body in (body1, body2):
        assert {r["status"] for r in body["results"]} == {"applied"}, body["results"]
    numbers = server.scalar("SELECT array_agg(number ORDER BY number) FROM service_request WHERE customer_id = %s",
                            customer)
    assert sorted(numbers) == sorted([first.value.number, second.value.number])
    # What the desk captured (defaults included) is what the server now holds.
    row = {r["tbl"]: r for r in body1["rows"] if r["tbl"] == "customer"}["customer"]["data"]
    assert row["mobile"] == "09121234567" and row["marketing_consent"] is False
    assert row["display_name"] == "زهرا احمدی"
    assert server.scalar("SELECT count(*) FROM request_status_change rsc JOIN service_request r"
                         " ON r.id = rsc.request_id WHERE r.customer_id = %s", customer) == 2
