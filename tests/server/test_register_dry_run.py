"""Reading a registration code's branch without using it (``dry_run``), and a desk that refuses a database of
another branch before it spends the code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from crm_desktop.db.migrate import open_database
from crm_desktop.sync.client import store
from crm_desktop.sync.client.engine import SyncEngine
from crm_desktop.sync.client.join_state import BranchMismatch
from crm_desktop.sync.client.store import Key
from crm_desktop.sync.client.transport import SyncError, Transport
from tests.conftest import PASSWORD, World
from tests.server.helpers import Server

REGISTER = "/v1/devices/register"


def dry_run(server: Server, code: str) -> Any:
    return server.client.post(REGISTER, json={"code": code, "dry_run": True})


def devices(server: Server) -> int:
    return int(server.scalar("SELECT count(*) FROM sync_device"))


def test_a_dry_run_names_the_branch_and_leaves_the_code_usable(server: Server) -> None:
    code = server.code("2040")
    before = devices(server)
    for _ in range(2):  # asking twice changes nothing either
        peek = dry_run(server, code)
        assert peek.status_code == 200
        assert peek.json() == {"branch_id": server.scalar("SELECT id FROM branch WHERE code = '2040'"),
                               "branch_code": "2040", "branch_name": "شعبه ونک"}
    assert devices(server) == before
    registered = server.client.post(REGISTER, json={"code": code, "device_name": "میز ۲"})
    assert registered.status_code == 200 and registered.json()["branch_id"] == peek.json()["branch_id"]
    assert devices(server) == before + 1


def test_a_used_expired_or_unknown_code_answers_a_dry_run_as_a_registration(server: Server) -> None:
    used = server.code("1021")
    assert server.client.post(REGISTER, json={"code": used}).status_code == 200
    expired = server.code("1021")
    server.execute("UPDATE device_code SET expires_at = now() - interval '1 minute' "
                   "WHERE used_at IS NULL AND expires_at > now()")
    for code in (used, expired, "ABCD-EFGH-JKLM"):
        real = server.client.post(REGISTER, json={"code": code})
        peek = dry_run(server, code)
        assert peek.status_code == real.status_code == 403
        assert peek.json() == real.json() and peek.json()["code"] == "bad_registration_code"


def test_register_refuses_a_database_of_another_branch_before_spending_the_code(
        server: Server, world: World, tmp_path: Path) -> None:
    # The desk made by `crm-desktop init` has a branch 1021 of its own: another id than the server's 1021.
    code = server.code("1021")
    engine = SyncEngine(world.db, Transport("", username="clerk", password=PASSWORD, client=server.client))
    before = devices(server)
    with pytest.raises(BranchMismatch) as refused:
        engine.register("http://testserver", code, "میز آزمون")
    assert "مصرف نشده" in refused.value.message and "«شعبه مرکزی» (کد ۱۰۲۱)" in refused.value.message
    assert "sync join" in refused.value.message
    with world.db.read_raw() as raw:
        assert store.get(raw, Key.DEVICE_ID) is None
    assert devices(server) == before and dry_run(server, code).status_code == 200

    fresh = open_database(tmp_path / "fresh.db")  # a database that holds no branch takes the code's
    try:
        transport = Transport("", username="clerk", password=PASSWORD, client=server.client)
        device_id = SyncEngine(fresh, transport).register("http://testserver", code, "میز تازه")
        with fresh.read_raw() as raw:
            assert store.get(raw, Key.DEVICE_ID) == device_id
            assert store.get(raw, Key.BRANCH_ID) == server.scalar("SELECT id FROM branch WHERE code = '1021'")
    finally:
        fresh.dispose()
    assert server.scalar("SELECT branch_id FROM sync_device WHERE device_id = %s", device_id) is not None
    with pytest.raises(SyncError) as spent:
        transport.peek_code(code)
    assert spent.value.code == "bad_registration_code"


class ServerWithoutDryRun(Transport):
    """A service older than dry runs: it ignores the field and registers."""

    def _send(self, path: str, body: dict[str, Any], headers: dict[str, str] | None = None) -> dict[str, Any]:
        return super()._send(path, {k: v for k, v in body.items() if k != "dry_run"}, headers)


def test_a_service_without_dry_runs_registers_once(server: Server, tmp_path: Path) -> None:
    db = open_database(tmp_path / "desk.db")
    try:
        before = devices(server)
        transport = ServerWithoutDryRun("", username="clerk", password=PASSWORD, client=server.client)
        device_id = SyncEngine(db, transport).register("http://testserver", server.code("2040"), "میز")
        assert devices(server) == before + 1
        with db.read_raw() as raw:
            assert store.get(raw, Key.DEVICE_ID) == device_id
    finally:
        db.dispose()
