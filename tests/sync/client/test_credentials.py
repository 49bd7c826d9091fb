"""The device credential in the OS keystore (design §10): a marker in sync_state, the secret in the keystore;
the database itself where no keystore is usable (said once in the log)."""

from __future__ import annotations

import logging
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail
from keyring.errors import PasswordDeleteError

from crm_desktop.db.migrate import open_database
from crm_desktop.db.session import Database
from crm_desktop.services import Services
from crm_desktop.sync.client import credentials, store
from crm_desktop.sync.client.engine import SyncEngine
from crm_desktop.sync.client.store import Key
from crm_desktop.sync.client.transport import Transport

SECRET = "dev-secret-" + "x" * 32


class MemoryKeyring(KeyringBackend):
    """A keystore in a dict (what Windows Credential Manager or the macOS Keychain would hold)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.entries.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    credentials._fallback_logged.clear()
    yield
    keyring.set_keyring(previous)


def stored(db: Database) -> str | None:
    with store.read_tx(db) as raw:
        return store.get_stored(raw, Key.CREDENTIAL)


def put_credential(db: Database, value: str) -> None:
    with store.write_tx(db) as raw:
        store.put(raw, Key.CREDENTIAL, value)


def database_id(db: Database) -> str:
    with db.read_raw() as raw:
        return str(raw.execute("SELECT v FROM app_meta WHERE k = 'device_id'").fetchone()[0])


def test_the_keystore_holds_the_secret_and_the_database_only_a_marker(db: Database,
                                                                      memory_keyring: MemoryKeyring) -> None:
    put_credential(db, SECRET)
    marker = stored(db)
    assert marker is not None and SECRET not in marker and credentials.in_keystore(marker)
    assert memory_keyring.entries == {("crm-desktop", f"device-credential-{database_id(db)}"): SECRET}
    with store.read_tx(db) as raw:
        assert store.get(raw, Key.CREDENTIAL) == SECRET
        assert store.state(raw)[Key.CREDENTIAL] == SECRET
        assert store.state(raw, secrets=False)[Key.CREDENTIAL] == marker
    files = [Path(db.path), Path(f"{db.path}-wal")]
    assert not any(SECRET.encode() in f.read_bytes() for f in files if f.exists())


def test_each_database_has_its_own_keystore_entry(db: Database, memory_keyring: MemoryKeyring,
                                                  tmp_path: Path) -> None:
    db.dispose()
    copy = tmp_path / "second.db"
    shutil.copy(db.path, copy)
    conn = sqlite3.connect(copy)
    conn.execute("UPDATE app_meta SET v = ? WHERE k = 'device_id'", (str(uuid.uuid4()),))
    conn.commit()
    conn.close()
    second = open_database(copy)
    try:
        put_credential(db, SECRET)
        put_credential(second, "another-secret")
        assert len(memory_keyring.entries) == 2
        with store.read_tx(db) as raw:
            assert store.get(raw, Key.CREDENTIAL) == SECRET
        with store.read_tx(second) as raw:
            assert store.get(raw, Key.CREDENTIAL) == "another-secret"
    finally:
        second.dispose()


def test_without_a_keystore_the_credential_stays_in_the_database_and_the_log_says_so_once(
        db: Database, no_keyring: None, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger=credentials.__name__):
        put_credential(db, SECRET)
        put_credential(db, SECRET + "2")
    assert stored(db) == SECRET + "2"
    with store.read_tx(db) as raw:
        assert store.get(raw, Key.CREDENTIAL) == SECRET + "2"
    warnings = [r for r in caplog.records if "keystore" in r.getMessage()]
    assert len(warnings) == 1


def test_a_credential_left_in_the_database_moves_to_the_keystore_once_one_works(db: Database) -> None:
    previous = keyring.get_keyring()
    try:
        keyring.set_keyring(fail.Keyring())
        put_credential(db, SECRET)
        assert stored(db) == SECRET
        backend = MemoryKeyring()
        keyring.set_keyring(backend)
        with store.write_tx(db) as raw:
            assert store.secure_credential(raw)
        assert credentials.in_keystore(stored(db))
        assert list(backend.entries.values()) == [SECRET]
        with store.read_tx(db) as raw:
            assert store.get(raw, Key.CREDENTIAL) == SECRET
    finally:
        keyring.set_keyring(previous)


def test_registering_again_replaces_the_entry_and_clearing_the_credential_removes_it(
        db: Database, memory_keyring: MemoryKeyring) -> None:
    put_credential(db, SECRET)
    put_credential(db, "second-credential")
    assert list(memory_keyring.entries.values()) == ["second-credential"]
    with store.write_tx(db) as raw:
        store.put(raw, Key.CREDENTIAL, None)
    assert stored(db) is None and memory_keyring.entries == {}


def test_a_marker_whose_secret_is_gone_reads_as_empty_not_as_a_crash(db: Database,
                                                                     memory_keyring: MemoryKeyring) -> None:
    put_credential(db, SECRET)
    memory_keyring.entries.clear()
    with store.read_tx(db) as raw:
        assert store.get(raw, Key.CREDENTIAL) == ""


class RegisteringTransport(Transport):
    def peek_code(self, code: str) -> dict[str, Any]:  # SyncEngine.register reads the code's branch first
        return {"branch_id": "b", "branch_code": "1021", "branch_name": "شعبه مرکزی"}

    def register(self, code: str, device_name: str, app_version: str, schema_version: int) -> dict[str, Any]:
        return {"device_id": "0190f8a2-0000-7000-8000-000000000001", "credential": SECRET, "branch_id": "b",
                "server_epoch": str(uuid.uuid4())}


def test_the_engine_registers_into_the_keystore_and_signs_in_with_what_it_holds(
        db: Database, memory_keyring: MemoryKeyring) -> None:
    transport = RegisteringTransport("")
    engine = SyncEngine(db, transport)
    engine.register("https://sync.example", "CODE")
    assert credentials.in_keystore(stored(db))
    transport.credential = ""
    engine._state()  # what every round does first
    assert transport.credential == SECRET
    status = Services(db).sync_state.status()
    assert status.registered and status.credential_in_keystore and status.server_url == "https://sync.example"


def test_cli_status_says_where_the_credential_is(db: Database, memory_keyring: MemoryKeyring) -> None:
    from crm_desktop.cli_sync import status_lines

    SyncEngine(db, RegisteringTransport("")).register("https://sync.example", "CODE")
    assert any("انبار کلید سیستم‌عامل" in line and "پایگاه داده" not in line for line in status_lines(db))
