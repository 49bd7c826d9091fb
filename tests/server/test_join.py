"""`crm-desktop sync join` and the first online sign-in, against the real service (TestClient as the HTTP client).

A branch already on the server (seeded from the `world` desk, which registered and pushed its customers); a new
desk joins it, fills itself from the server, and its users sign in: the joining user offline at once, the others
online once and then offline.
"""

from __future__ import annotations

import argparse
import sqlite3
from pathlib import Path
from typing import Any

import httpx
import pytest

from crm_desktop.cli_sync import cmd_sync
from crm_desktop.db import cipher
from crm_desktop.db.migrate import open_database, open_database_as
from crm_desktop.db.session import Database
from crm_desktop.persian.validators import make_national_id
from crm_desktop.services import Services
from crm_desktop.services.errors import AuthenticationFailed
from crm_desktop.services.records import CustomerInput
from crm_desktop.services.users import FIRST_SIGN_IN_NEEDS_SERVER
from crm_desktop.sync.client import store
from crm_desktop.sync.client.join import Join, JoinInterrupted, JoinRequest
from crm_desktop.sync.client.join_state import JOIN_UNFINISHED, pending_user
from crm_desktop.sync.client.online_sign_in import DESK_NOT_REGISTERED, ServerPasswordCheck
from crm_desktop.sync.client.store import Key
from tests.conftest import CHEAP_HASHER, PASSWORD, World
from tests.server.client_fixtures import connect_desk, seeded, server
from tests.server.helpers import Server

__all__ = ["server"]
PEOPLE = (("ژاله", "نوروزی", "004512378", "09121110001"), ("کاوه", "شریفی", "005623489", "09121110002"),
          ("پرستو", "میرزایی", "006734590", "09121110003"))


class Console:
    def __init__(self, password: str = PASSWORD) -> None:
        self.secret = password

    def password(self, prompt: str, *, confirm: bool = False) -> str:
        return self.secret


class CutAfterPulls:
    """An HTTP client that loses the network after ``allowed`` pull requests (fault F-04 during a bootstrap)."""

    def __init__(self, inner: httpx.Client, allowed: int) -> None:
        self.inner, self.allowed = inner, allowed

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        if url.endswith("/v1/sync/pull"):
            if self.allowed <= 0:
                raise httpx.ConnectError("network cut")
            self.allowed -= 1
        return self.inner.post(url, **kwargs)

    def close(self) -> None:
        return None


def unreachable_client() -> httpx.Client:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("no route to host", request=request)

    return httpx.Client(transport=httpx.MockTransport(refuse))


@pytest.fixture
def branch_on_server(server: Server, world: World) -> list[str]:
    """The branch on the server with customers a registered desk pushed there; returns their ids."""
    seeded(server, world)
    ids = []
    for first, last, digits, mobile in PEOPLE:
        data = CustomerInput(first_name=first, last_name=last, national_id=make_national_id(digits), mobile=mobile)
        ids.append(world.services.customers.create(world.clerk, data).value.id)
    desk = connect_desk(server, world.db)
    desk.engine.sync_once()
    assert desk.counts().pending == 0
    return ids


def join_args(path: Path, code: str | None, *, user: str = "clerk", encrypted: bool = False) -> argparse.Namespace:
    return argparse.Namespace(action="join", server="http://testserver" if code else None, code=code, user=user,
                              db=path, encrypted=encrypted, password_stdin=True)


def customers(db: Database) -> set[str]:
    with db.read_raw() as raw:
        return {r[0] for r in raw.execute("SELECT id FROM customer WHERE deleted_at IS NULL")}


def test_a_joined_desk_holds_the_branch_and_its_users_sign_in(server: Server, world: World, tmp_path: Path,
                                                             branch_on_server: list[str],
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "desk2.db"
    assert cmd_sync(join_args(path, server.code("1021")), Console(), path, client=server.client) == 0
    out = capsys.readouterr().out
    assert "ردیف" in out and "راه‌اندازی شد" in out  # progress lines, then the result
    assert "کد ثبت برای شعبهٔ «شعبه مرکزی» (کد ۱۰۲۱) است." in out  # the dry run named the branch first

    db = open_database(path, create=False)
    try:
        assert customers(db) == set(branch_on_server)
        with db.read_raw() as raw:
            assert raw.execute("SELECT id FROM branch WHERE code = '1021'").fetchone()[0] == world.branch_id
            assert store.get(raw, Key.LAST_PULL_OK) is not None
            assert store.outbox(raw) == []  # the stored password hash is local: nothing to push
        assert pending_user(db) is None
        services = Services(db, hasher=CHEAP_HASHER)
        assert services.users.authenticate("clerk", PASSWORD).branch_id == world.branch_id  # offline

        # Another user of the branch: no local password yet, so the desk asks the server once.
        with pytest.raises(AuthenticationFailed) as unreachable:
            services.users.authenticate("clerk2", PASSWORD, online=ServerPasswordCheck(db, client=unreachable_client()))
        assert unreachable.value.message == FIRST_SIGN_IN_NEEDS_SERVER
        online = ServerPasswordCheck(db, client=server.client)
        # The server no longer accepts this desk's credential: that is no wrong password of the clerk's.
        with db.read_raw() as raw:
            device_id = store.get(raw, Key.DEVICE_ID)
        good_hash = server.scalar("SELECT credential_hash FROM sync_device WHERE device_id = %s", device_id)
        server.execute("UPDATE sync_device SET credential_hash = 'not-a-hash' WHERE device_id = %s", device_id)
        with pytest.raises(AuthenticationFailed) as void:
            services.users.authenticate("clerk2", PASSWORD, online=online)
        assert void.value.message == DESK_NOT_REGISTERED
        with pytest.raises(AuthenticationFailed) as still_void:  # and the clerk is not locked out for it
            services.users.authenticate("clerk2", "Wrong-Pass-1405", online=online)
        assert still_void.value.message == DESK_NOT_REGISTERED
        with db.read_raw() as raw:
            assert not raw.execute("SELECT failed_count FROM login_state JOIN app_user ON app_user.id = user_id "
                                   "WHERE username = 'clerk2' AND failed_count > 0").fetchall()
        server.execute("UPDATE sync_device SET credential_hash = %s WHERE device_id = %s", good_hash, device_id)
        with pytest.raises(AuthenticationFailed) as wrong:
            services.users.authenticate("clerk2", "Wrong-Pass-1405", online=online)
        assert wrong.value.message == "نام کاربری یا گذرواژه نادرست است."
        assert services.users.authenticate("clerk2", PASSWORD, online=online).username == "clerk2"
        assert services.users.authenticate("clerk2", PASSWORD).username == "clerk2"  # offline from now on
        with db.read_raw() as raw:
            assert store.outbox(raw) == []
            hashes = [r[0] for r in raw.execute("SELECT changed FROM change_journal WHERE tbl = 'app_user'")]
            assert hashes and all("argon2" not in h for h in hashes)  # the journal keeps it redacted
    finally:
        db.dispose()


def test_register_on_a_database_of_another_branch_is_refused(server: Server, world: World, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    server.branch("1021", "شعبه مرکزی")  # the server's own branch row: another id than the desk's `init` one
    register = argparse.Namespace(action="register", server="http://testserver", code=server.code("1021"),
                                  user="clerk", password_stdin=True)
    assert cmd_sync(register, Console(), world.db.path, client=server.client) == 1
    err = capsys.readouterr().err
    assert "sync join" in err and "مصرف نشده" in err
    with world.db.read_raw() as raw:
        assert store.get(raw, Key.DEVICE_ID) is None
    still_good = server.client.post("/v1/devices/register", json={"code": register.code, "dry_run": True})
    assert still_good.status_code == 200 and still_good.json()["branch_code"] == "1021"  # refused before spent


def test_an_interrupted_join_refuses_sign_in_and_continues_when_run_again(
        server: Server, world: World, tmp_path: Path, branch_on_server: list[str],
        capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "laptop.db"
    join = Join(path, remember_password=lambda db, u, p: Services(db, hasher=CHEAP_HASHER).users.remember_password(
        u, p), client=CutAfterPulls(server.client, allowed=1), page_limit=2)  # type: ignore[arg-type]
    request = JoinRequest("http://testserver", server.code("1021"), "clerk", PASSWORD)
    with pytest.raises(JoinInterrupted) as cut:
        join.run(request)
    assert "sync join" in cut.value.message and str(path) in cut.value.message

    db = open_database(path, create=False)
    try:
        assert pending_user(db) == "clerk"
        assert 0 < len(customers(db)) < len(branch_on_server) or not customers(db)
        with pytest.raises(AuthenticationFailed) as refused:  # nobody works on a half-filled desk
            Services(db, hasher=CHEAP_HASHER).users.authenticate("clerk", PASSWORD)
        assert refused.value.message == JOIN_UNFINISHED
    finally:
        db.dispose()

    # Again, without a code: the registration and the pages already applied are kept.
    assert cmd_sync(join_args(path, None), Console(), path, client=server.client) == 0
    assert "ادامه" in capsys.readouterr().out
    db = open_database(path, create=False)
    try:
        assert customers(db) == set(branch_on_server) and pending_user(db) is None
        assert Services(db, hasher=CHEAP_HASHER).users.authenticate("clerk", PASSWORD).username == "clerk"
    finally:
        db.dispose()


def test_join_refuses_a_database_with_data_and_a_wrong_password_leaves_nothing(
        server: Server, world: World, tmp_path: Path, branch_on_server: list[str],
        capsys: pytest.CaptureFixture[str]) -> None:
    assert cmd_sync(join_args(world.db.path, server.code("1021")), Console(), world.db.path,
                    client=server.client) == 1
    assert "داده" in capsys.readouterr().err
    path = tmp_path / "typo.db"
    assert cmd_sync(join_args(path, server.code("1021")), Console("Wrong-Pass-1405"), path,
                    client=server.client) == 1
    assert "گذرواژه" in capsys.readouterr().err
    assert not path.exists()


def test_an_encrypted_join_seals_the_file_for_the_joining_user(server: Server, world: World, tmp_path: Path,
                                                               branch_on_server: list[str]) -> None:
    path = tmp_path / "field.db"
    assert cmd_sync(join_args(path, server.code("1021"), encrypted=True), Console(), path, client=server.client) == 0
    assert cipher.is_encrypted(path)
    data = b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())
    for first, last, digits, mobile in PEOPLE:
        for secret in (first, last, make_national_id(digits), mobile):
            assert secret.encode() not in data, secret
    with pytest.raises(cipher.LockedDatabase):
        open_database_as(path, "clerk", "Wrong-Pass-1405")
    with pytest.raises(cipher.LockedDatabase):
        open_database_as(path, "clerk2", PASSWORD)  # only the joining user has a seal
    db = open_database_as(path, "clerk", PASSWORD)
    try:
        assert customers(db) == set(branch_on_server)
        assert Services(db, hasher=CHEAP_HASHER).users.authenticate("clerk", PASSWORD).username == "clerk"
    finally:
        db.dispose()
    conn = sqlite3.connect(path)
    with pytest.raises(sqlite3.DatabaseError):
        conn.execute("SELECT count(*) FROM customer").fetchone()
    conn.close()
