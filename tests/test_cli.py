"""The command line: set-up, accounts and demo data, with Persian errors and nothing written on error."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import pytest

from crm_desktop import cli
from crm_desktop.services import users as users_module
from tests.conftest import CHEAP_HASHER

ADMIN_PASSWORD = "Markazi-1405"


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(users_module, "PasswordHasher", lambda: CHEAP_HASHER)


def run(args: list[str], stdin: str = "") -> int:
    return cli.main(args, stdin=io.StringIO(stdin))


def init(path: Path) -> int:
    return run(["init", "--db", str(path), "--branch-code", "1021", "--branch-name", "شعبه مرکزی",
                "--admin", "admin", "--password-stdin"], ADMIN_PASSWORD + "\n")


def users_of(path: Path) -> list[tuple[str, str, int]]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT username, role, active FROM app_user ORDER BY username").fetchall()


def test_init_creates_branch_and_admin(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "crm.db"
    assert init(path) == 0
    assert users_of(path) == [("admin", "admin", 1)]
    assert "راه‌اندازی شد" in capsys.readouterr().out


def test_init_twice_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "crm.db"
    assert init(path) == 0
    assert init(path) == 1
    assert "پیش‌تر راه‌اندازی شده" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (["--branch-code", "10x", "--branch-name", "شعبه"], ADMIN_PASSWORD, "کد شعبه"),
        (["--branch-code", "1021", "--branch-name", "شعبه"], "short", "گذرواژه"),
        (["--branch-code", "1021", "--branch-name", "  "], ADMIN_PASSWORD, "نام شعبه"),
    ],
)
def test_init_with_bad_input_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], password: str, message: str
) -> None:
    path = tmp_path / "crm.db"
    status = run(["init", "--db", str(path), *args, "--admin", "admin", "--password-stdin"], password + "\n")
    assert status == 1
    assert message in capsys.readouterr().err
    assert not path.exists()


def test_bad_arguments_exit_with_a_persian_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run(["demo", "--customers", "many"])
    assert exit_info.value.code == cli.EXIT_USAGE
    assert "خطا در دستور" in capsys.readouterr().err


def test_user_add_lock_unlock_and_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "crm.db"
    assert init(path) == 0
    base = ["user", "--db", str(path), "--as", "admin", "--password-stdin"]
    assert run([*base, "add", "maryam", "--full-name", "مریم احمدی", "--role", "clerk", "--branch-code", "1021"],
               f"{ADMIN_PASSWORD}\nMaryam-Pass-1405\nMaryam-Pass-1405\n") == 0
    assert run([*base, "lock", "maryam"], f"{ADMIN_PASSWORD}\n") == 0
    assert ("maryam", "clerk", 0) in users_of(path)
    assert run([*base, "unlock", "maryam"], f"{ADMIN_PASSWORD}\n") == 0
    assert ("maryam", "clerk", 1) in users_of(path)
    capsys.readouterr()
    assert run([*base, "list"], f"{ADMIN_PASSWORD}\n") == 0
    assert "مریم احمدی" in capsys.readouterr().out


def test_user_commands_need_the_admin_password(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "crm.db"
    assert init(path) == 0
    status = run(["user", "--db", str(path), "--as", "admin", "--password-stdin", "add", "x1y", "--full-name",
                  "کاربر", "--role", "clerk", "--branch-code", "1021"], "wrong-password-1\nPass-word-1405\n")
    assert status == 1
    assert "نادرست" in capsys.readouterr().err
    assert [u[0] for u in users_of(path)] == ["admin"]


def test_user_add_to_unknown_branch_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "crm.db"
    assert init(path) == 0
    status = run(["user", "--db", str(path), "--as", "admin", "--password-stdin", "add", "ali", "--full-name",
                  "علی", "--role", "clerk", "--branch-code", "9999"], f"{ADMIN_PASSWORD}\nAli-pass-14055\n")
    assert status == 1
    assert "شعبه‌ای با کد «۹۹۹۹» نیست" in capsys.readouterr().err


def test_user_command_on_a_missing_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "nothing.db"
    assert run(["user", "--db", str(path), "--as", "admin", "--password-stdin", "list"], "x\n") == 1
    assert "پیدا نشد" in capsys.readouterr().err
    assert not path.exists()


def test_demo_builds_a_small_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "demo.db"
    assert run(["demo", "--db", str(path), "--customers", "150", "--seed", "3"]) == 0
    out = capsys.readouterr().out
    assert "Tamrin-1405" in out
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM customer").fetchone()[0] == 150
        assert conn.execute("SELECT count(*) FROM branch").fetchone()[0] == 5
        assert conn.execute("SELECT v FROM app_meta WHERE k = 'demo'").fetchone()[0] == "1"
    assert run(["demo", "--db", str(path), "--customers", "10"]) == 1  # an existing file is never overwritten
