"""`crm-desktop sync` without a server: status of an unregistered desk, and `run --once` when the server
cannot be reached (a Persian message and a non-zero exit)."""

from __future__ import annotations

import argparse

import pytest

from crm_desktop.cli_sync import cmd_sync
from crm_desktop.sync.client import store
from crm_desktop.sync.client.store import Key
from tests.conftest import PASSWORD, World


class Console:
    def password(self, prompt: str, *, confirm: bool = False) -> str:
        return PASSWORD


def test_status_of_an_unregistered_desk_says_so(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    assert cmd_sync(argparse.Namespace(action="status"), Console(), world.db.path) == 0
    assert "ثبت نشده" in capsys.readouterr().out


def test_run_once_against_an_unreachable_server_fails_with_a_persian_message(
        world: World, capsys: pytest.CaptureFixture[str]) -> None:
    with store.write_tx(world.db) as raw:
        for key, value in ((Key.DEVICE_ID, "d"), (Key.CREDENTIAL, "c"), (Key.SERVER_URL, "http://127.0.0.1:9"),
                           (Key.EPOCH, "e")):
            store.put(raw, key, value)
    args = argparse.Namespace(action="run", once=True, user="clerk", password_stdin=True)
    assert cmd_sync(args, Console(), world.db.path) == 1
    err = capsys.readouterr().err
    assert "سرور همگام‌سازی در دسترس نیست" in err
    assert cmd_sync(argparse.Namespace(action="status"), Console(), world.db.path) == 0
    assert "آخرین خطا" in capsys.readouterr().out
