"""`crm-desktop report`: reports for scheduled jobs, with the app's permission rules and Persian errors."""

from __future__ import annotations

import io
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from crm_desktop import cli
from crm_desktop.services import users as users_module
from tests.conftest import CHEAP_HASHER

PASSWORD = "Markazi-1405"


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(users_module, "PasswordHasher", lambda: CHEAP_HASHER)


def run(args: list[str], stdin: str = "") -> int:
    return cli.main(args, stdin=io.StringIO(stdin))


@pytest.fixture
def branch_db(tmp_path: Path) -> Path:
    path = tmp_path / "crm.db"
    assert run(["init", "--db", str(path), "--branch-code", "1021", "--branch-name", "شعبه مرکزی",
                "--admin", "admin", "--password-stdin"], PASSWORD + "\n") == 0
    base = ["user", "--db", str(path), "--as", "admin", "--password-stdin"]
    for name, role in (("boss", "manager"), ("maryam", "clerk")):
        assert run([*base, "add", name, "--full-name", "کاربر آزمون", "--role", role, "--branch-code", "1021"],
                   f"{PASSWORD}\n{PASSWORD}\n") == 0
    return path


def report(path: Path, out: Path, *extra: str, user: str = "boss") -> list[str]:
    return ["report", *extra, "--db", str(path), "--format", out.suffix[1:], "-o", str(out), "--user", user,
            "--password-stdin"]


def test_a_manager_makes_a_pdf_and_the_run_is_in_the_access_log(branch_db: Path, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "summary.pdf"
    args = report(branch_db, out, "branch-summary", "--from", "۱۴۰۵/۰۷/۰۱", "--to", "1405/07/30")
    assert run(args, PASSWORD + "\n") == 0
    assert out.read_bytes().startswith(b"%PDF")
    assert "ساخته شد" in capsys.readouterr().out
    with sqlite3.connect(branch_db) as conn:
        detail = conn.execute("SELECT detail FROM access_log WHERE action = 'report'").fetchone()[0]
    assert '"branch-summary"' in detail and '"pdf"' in detail


def test_excel_report_is_a_workbook(branch_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "requests.xlsx"
    args = report(branch_db, out, "service-requests", "--from", "1405/07/01", "--to", "1405/07/30")
    assert run(args, PASSWORD + "\n") == 0
    assert out.read_bytes()[:2] == b"PK"


@pytest.mark.parametrize(("extra", "user", "message"), [
    (["nope", "--from", "1405/07/01", "--to", "1405/07/30"], "boss", "گزارشی به نام «nope» نیست"),
    (["customers", "--from", "1405/13/01", "--to", "1405/07/30"], "boss", "تاریخ --from نادرست است"),
    (["customers", "--from", "1405/07/30", "--to", "1405/07/01"], "boss", "پایان دوره پیش از آغاز"),
    (["customers", "--to", "1405/07/30"], "boss", "تاریخ --from را بدهید"),
    (["customers", "--from", "1405/07/01", "--to", "1405/07/30", "--branch", "999"], "boss", "شعبه‌ای با کد «۹۹۹»"),
    (["customers", "--from", "1405/07/01", "--to", "1405/07/30"], "maryam", "اجازه"),
    (["customers", "--from", "1405/07/01", "--to", "1405/07/30"], "ghost", "نام کاربری یا گذرواژه"),
    (["customer-profile", "--customer", "0012345678"], "boss", "مشتری‌ای با «۰۰۱۲۳۴۵۶۷۸» پیدا نشد"),
])
def test_bad_requests_exit_non_zero_with_a_persian_message_and_no_file(
        branch_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], extra, user, message) -> None:
    out = tmp_path / "out.pdf"
    assert run(report(branch_db, out, *extra, user=user), PASSWORD + "\n") == 1
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_the_installed_command_runs_a_report(branch_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "clerks.pdf"
    args = report(branch_db, out, "clerk-activity", "--from", "1405/08/01", "--to", "1405/08/30")
    done = subprocess.run([sys.executable, "-m", "crm_desktop", *args], input=PASSWORD + "\n", capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert out.exists()
