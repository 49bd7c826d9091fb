"""`crm-desktop sync register / run --once / status` against the real service (TestClient as the HTTP client)."""

from __future__ import annotations

import argparse

import pytest

from crm_desktop.cli_sync import cmd_sync
from crm_desktop.persian import to_persian_digits
from tests.conftest import PASSWORD, World
from tests.server.client_fixtures import seeded, server
from tests.server.helpers import Server
from tests.sync.client.helpers import edit

__all__ = ["server"]


class Console:
    def password(self, prompt: str, *, confirm: bool = False) -> str:
        return PASSWORD


def test_register_run_once_and_status(server: Server, world: World,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    seeded(server, world)  # branches and users are on the server (and marked pushed here)
    edit(world.db, world.clerk.user_id, "branch", world.branch_id, address="تهران")  # a clerk may not: parked
    path = world.db.path
    register = argparse.Namespace(action="register", server="http://testserver", code=server.code("1021"),
                                  user="clerk", password_stdin=True)
    assert cmd_sync(register, Console(), path, client=server.client) == 0
    assert "ثبت شد" in capsys.readouterr().out

    assert cmd_sync(argparse.Namespace(action="status"), Console(), path) == 0
    before = capsys.readouterr().out
    assert f"تغییرهای ارسال‌نشده: {to_persian_digits('1')}" in before
    assert "آخرین ارسال موفق: هرگز" in before

    run = argparse.Namespace(action="run", once=True, user="clerk", password_stdin=True)
    assert cmd_sync(run, Console(), path, client=server.client) == 0
    assert "همگام‌سازی انجام شد" in capsys.readouterr().out

    assert cmd_sync(argparse.Namespace(action="status"), Console(), path) == 0
    after = capsys.readouterr().out
    assert f"تغییرهای ارسال‌نشده: {to_persian_digits('0')}" in after
    assert f"تغییرهای ردشده: {to_persian_digits('1')}" in after
    assert "آخرین دریافت موفق: ۱۴" in after  # a Jalali time, Persian digits

    wrong = argparse.Namespace(action="run", once=True, user="nobody", password_stdin=True)
    assert cmd_sync(wrong, Console(), path, client=server.client) == 1
    assert "نام کاربری" in capsys.readouterr().err
