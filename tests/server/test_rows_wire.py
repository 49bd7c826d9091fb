"""The pull's wire rows built by PostgreSQL equal the ones Python builds from the typed row, for every
synced table, with the awkward values (NULLs, whole-second and non-UTC instants, quotes and newlines)."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, date, datetime, timedelta, timezone

from crm_desktop.models import new_id
from crm_desktop.persian.validators import make_national_id
from crm_desktop.server import rows as server_rows
from crm_desktop.server.schema import table_of
from crm_desktop.services.interactions import InteractionInput
from crm_desktop.services.records import CustomerInput
from crm_desktop.services.service_requests import RequestInput
from crm_desktop.sync.catalog import CATALOG, SYNCED_TABLES
from crm_desktop.sync.values import to_python
from tests.conftest import World
from tests.server.client_fixtures import server
from tests.server.helpers import Server

__all__ = ["server"]


def copy_desk(server: Server, world: World) -> dict[str, list[str]]:
    """Every synced row of the test desk on the server; returns the ids per table."""
    src = sqlite3.connect(world.db.path)
    src.row_factory = sqlite3.Row
    ids: dict[str, list[str]] = {}
    with server.engine.begin() as pg:
        for name in ("sla_policy", "holiday", "setting"):
            pg.exec_driver_sql(f"DELETE FROM {name}")
        for name in SYNCED_TABLES:
            spec = CATALOG[name]
            rows = [{k: to_python(spec.kinds[k], r[k]) for k in r.keys() if k in spec.kinds}
                    for r in src.execute(f"SELECT * FROM {name}")]
            if rows:
                pg.execute(table_of(name).insert(), rows)
            ids[name] = [str(r["id"]) for r in rows]
    src.close()
    return ids


def desk_work(world: World) -> None:
    """Customers with a product-free history: interactions (durations, follow-up dates) and requests."""
    for i in range(12):
        customer = world.services.customers.create(world.clerk, CustomerInput(
            first_name="زهرا", last_name="احمدی" + "ی" * i, national_id=make_national_id(f"00{i:02d}34567"),
            mobile=f"0912{i:07d}", birth_date="1360/01/0" + str(1 + i % 9))).value.id
        world.services.interactions.log(world.clerk, InteractionInput(
            customer, "phone", "inbound", "پرسش درباره سود سپرده", notes="یادداشت «نقل‌قول»", duration_minutes=i,
            follow_up_on="1405/09/10"))
        world.services.requests.open(world.clerk, RequestInput(customer, "complaint", "normal", "کارت مسدود"))


def test_every_synced_table_reads_the_same_wire_rows_both_ways(server: Server, world: World) -> None:
    desk_work(world)
    ids = copy_desk(server, world)
    awkward = new_id()
    tehran = timezone(timedelta(hours=3, minutes=30))
    with server.engine.begin() as pg:
        pg.execute(table_of("customer").insert(), [{
            "id": awkward, "branch_id": world.branch_id, "kind": "individual", "first_name": 'علی "ع\\ل"',
            "last_name": "کریمی\nدوم\t", "segment": "mass", "lifecycle_stage": "acquisition", "kyc_status": "pending",
            "marketing_consent": True, "birth_date": date(1351, 1, 1), "kyc_date": None,
            "created_at": datetime(2026, 11, 23, 10, 0, tzinfo=tehran),
            "updated_at": datetime(2026, 11, 23, 6, 30, 0, 1, tzinfo=UTC), "version": 1,
            "display_name": "علی", "sort_key": "علی", "name_key": "علی"}])
    ids["customer"].append(awkward)
    checked = 0
    with server.engine.connect() as conn:
        for name, pks in ids.items():
            if not pks:
                continue
            typed = server_rows.fetch(conn, name, pks)
            wired = server_rows.fetch_wire(conn, name, pks)
            assert set(wired) == set(typed), name
            for pk, row in typed.items():
                assert json.loads(wired[pk]["data"]) == server_rows.to_wire(name, row), (name, pk)
                assert (wired[pk]["_scope"], wired[pk]["row_version"]) == (row["_scope"], row["row_version"])
                checked += 1
    assert {n for n, pks in ids.items() if pks} >= {"customer", "interaction", "service_request",
                                                    "request_status_change", "app_user", "branch"}
    assert checked == sum(len(pks) for pks in ids.values())
