"""The ``crm-desktop-server`` commands against a real database."""

from __future__ import annotations

import io
import sys

import pytest

from crm_desktop.server.cli import main


def run(capsys: pytest.CaptureFixture[str], url: str, *args: str, stdin: str = "") -> tuple[int, str, str]:
    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        code = main(["--database-url", url, *args])
    finally:
        sys.stdin = old
    out, err = capsys.readouterr()
    return code, out, err


def test_a_trial_setup_from_the_command_line(database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, database_url, "migrate")[0] == 0  # idempotent on a migrated database
    assert run(capsys, database_url, "branch", "add", "--code", "3300", "--name", "شعبه آزمون")[0] == 0
    code, out, _ = run(capsys, database_url, "user", "add", "--branch", "3300", "--username", "maryam",
                       "--full-name", "مریم", "--password-stdin", stdin="Branch2026pass\n")
    assert code == 0 and "maryam" in out
    code, out, _ = run(capsys, database_url, "device-code", "--branch", "3300")
    assert code == 0 and "کد ثبت دستگاه" in out and len(out.strip().split()[-1]) == 14
    code, _, err = run(capsys, database_url, "device-code", "--branch", "9999")
    assert code == 1 and "شعبه" in err
    code, _, err = run(capsys, database_url, "branch", "add", "--code", "3300", "--name", "تکراری")
    assert code == 1 and "خطا" in err
    code, out, _ = run(capsys, database_url, "rotate-epoch")
    assert code == 0 and "دوره" in out


def test_an_unreachable_database_is_a_persian_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "postgresql+psycopg://nobody@/nothing?host=/nonexistent", "rotate-epoch")
    assert code == 1 and "وصل نشد" in err
