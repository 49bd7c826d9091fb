"""Encrypted databases (field laptops): unreadable without a password, one data key sealed per user."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from crm_desktop.cli import main
from crm_desktop.db import cipher
from crm_desktop.db.backup import backup_database
from crm_desktop.db.migrate import open_database, open_database_as
from crm_desktop.services import Services
from crm_desktop.services.demo import build_demo
from crm_desktop.services.records import CustomerInput

ADMIN, ADMIN_PASSWORD = "fieldadmin", "Meydan-1405-Amn"


@pytest.fixture(scope="module")
def demo_encrypted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes, list[str]]:
    """An encrypted database filled with demo data; returns its path, data key and the secrets to look for."""
    path = tmp_path_factory.mktemp("enc") / "field.db"
    key = cipher.create_key_file(path, ADMIN, ADMIN_PASSWORD)
    db = open_database(path, key=key)
    build_demo(db, 150)
    with db.read() as session:
        rows = session.execute(text(
            "SELECT national_id, mobile, first_name, last_name, display_name FROM customer"
            " WHERE national_id IS NOT NULL LIMIT 40")).all()
    db.dispose()
    secrets = [str(v) for row in rows for v in row if v]
    return path, key, secrets


def _all_bytes(path: Path) -> bytes:
    return b"".join(Path(f"{path}{s}").read_bytes() for s in ("", "-wal") if Path(f"{path}{s}").exists())


def test_no_name_national_id_or_mobile_in_the_files(demo_encrypted: tuple[Path, bytes, list[str]]) -> None:
    path, _key, secrets = demo_encrypted
    assert len(secrets) > 100
    data = _all_bytes(path) + cipher.key_file(path).read_bytes()
    for value in secrets:
        assert value.encode("utf-8") not in data, value
        assert value.encode("utf-16-le") not in data, value
    assert not data.startswith(cipher.SQLITE_MAGIC)
    with pytest.raises(sqlite3.DatabaseError):  # plain SQLite cannot read it
        sqlite3.connect(path).execute("SELECT count(*) FROM customer").fetchone()


def test_the_key_file_holds_no_key_in_the_clear(demo_encrypted: tuple[Path, bytes, list[str]]) -> None:
    path, key, _ = demo_encrypted
    content = cipher.key_file(path).read_text(encoding="utf-8")
    assert key.hex() not in content and key.hex().upper() not in content
    assert ADMIN_PASSWORD not in content
    assert set(json.loads(content)["users"]) == {ADMIN}


def test_a_wrong_password_or_unknown_user_is_refused_in_persian(demo_encrypted: tuple[Path, bytes, list[str]]) -> None:
    path, key, _ = demo_encrypted
    assert cipher.unlock(path, ADMIN, ADMIN_PASSWORD) == key
    assert cipher.unlock(path, " FieldAdmin ", ADMIN_PASSWORD) == key  # usernames as the sign-in takes them
    for user, password in ((ADMIN, "Meydan-1405-amn"), ("nobody", ADMIN_PASSWORD)):
        with pytest.raises(cipher.LockedDatabase) as caught:
            cipher.unlock(path, user, password)
        assert caught.value.message == "نام کاربری یا گذرواژه نادرست است."
    with pytest.raises(cipher.LockedDatabase, match="رمزگذاری شده"):
        open_database(path)  # no key: refused before anything is read or migrated


def test_password_change_and_new_users_reseal_the_same_key(tmp_path: Path) -> None:
    path = tmp_path / "laptop.db"
    key = cipher.create_key_file(path, ADMIN, ADMIN_PASSWORD)
    db = open_database(path, key=key)
    services = Services(db)
    admin = services.users.first_run(branch_code="2051", branch_name="شعبه میدانی", username=ADMIN,
                                     full_name="مدیر میدانی", password=ADMIN_PASSWORD)
    branch_id = services.users.branches(admin)[0].id
    services.users.add(admin, username="clerk7", full_name="کارمند میدانی", role="clerk", branch_id=branch_id,
                       password="Karmand-7-Meydan")
    services.users.set_password(admin, ADMIN, "Tazeh-Ramz-1405")
    # the form's path: validation, the duplicate matcher on the raw connection, the journal
    created = services.customers.create(admin, CustomerInput(first_name="سارا", last_name="مرادی",
                                                             national_id="0012345679", mobile="09121234567")).value
    again = services.customers.create(admin, CustomerInput(first_name="سارا", last_name="مرادي",
                                                           national_id="0084575948", mobile="09121234567"))
    assert any("مرادی" in w for w in again.warnings) and created.id
    db.dispose()

    assert cipher.unlock(path, "clerk7", "Karmand-7-Meydan") == key
    assert cipher.unlock(path, ADMIN, "Tazeh-Ramz-1405") == key
    with pytest.raises(cipher.LockedDatabase):
        cipher.unlock(path, ADMIN, ADMIN_PASSWORD)  # the old password no longer opens it
    reopened = open_database_as(path, "clerk7", "Karmand-7-Meydan")
    try:
        actor = Services(reopened).users.authenticate("clerk7", "Karmand-7-Meydan")
        assert actor.username == "clerk7"
    finally:
        reopened.dispose()


def test_backups_stay_encrypted(demo_encrypted: tuple[Path, bytes, list[str]], tmp_path: Path) -> None:
    path, key, secrets = demo_encrypted
    copy = backup_database(path, tmp_path / "copy.db", key=key)
    data = copy.read_bytes()
    assert not data.startswith(cipher.SQLITE_MAGIC)
    assert not any(s.encode("utf-8") in data for s in secrets)
    conn = cipher.connect(copy, key)
    try:
        assert conn.execute("SELECT count(*) FROM customer").fetchone()[0] > 0
    finally:
        conn.close()


def test_cli_init_encrypted_then_commands_unlock_with_the_password(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "cli.db"
    args = ["init", "--db", str(path), "--branch-code", "3071", "--branch-name", "شعبه سیار", "--admin", ADMIN,
            "--password-stdin", "--encrypted"]
    assert main(args, stdin=io.StringIO(f"{ADMIN_PASSWORD}\n")) == 0
    assert "رمزگذاری‌شده" in capsys.readouterr().out
    assert cipher.is_encrypted(path) and not path.read_bytes().startswith(cipher.SQLITE_MAGIC)

    listing = ["user", "--db", str(path), "--as", ADMIN, "--password-stdin", "list"]
    assert main(listing, stdin=io.StringIO(f"{ADMIN_PASSWORD}\n")) == 0
    assert ADMIN in capsys.readouterr().out
    assert main(listing, stdin=io.StringIO("Ghalat-Ramz-99\n")) == 1
    assert "نام کاربری یا گذرواژه نادرست است." in capsys.readouterr().err
    assert main(args, stdin=io.StringIO(f"{ADMIN_PASSWORD}\n")) == 1  # never over an existing file
    assert "وجود دارد" in capsys.readouterr().err

    # every command that acts as a user opens the encrypted file with that user's password
    scan = ["duplicates", "--db", str(path), "--json", "--password-stdin"]
    assert main([*scan, "--user", ADMIN], stdin=io.StringIO(f"{ADMIN_PASSWORD}\n")) == 0
    assert json.loads(capsys.readouterr().out)["groups"] == []
    assert main(scan, stdin=io.StringIO(f"{ADMIN_PASSWORD}\n")) == 1
    assert "پایگاه داده رمزگذاری‌شده با گذرواژه او باز می‌شود" in capsys.readouterr().err
