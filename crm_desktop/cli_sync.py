"""`crm-desktop sync`: register this desk with the sync server, run sync rounds, show the sync status.

``run --once`` makes one round and exits non-zero when it fails (the server cannot be reached, the
clerk is refused...); ``run`` without it keeps syncing, retrying failed rounds with backoff, until
Ctrl+C. The clerk's username and password sign in to the server; the password comes from a prompt
or ``--password-stdin``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crm_desktop.cli_sign_in import PasswordSource, open_as
from crm_desktop.errors import CrmError

if TYPE_CHECKING:
    import httpx

    from crm_desktop.db.session import Database

INTERVAL_S = 30.0  # between successful rounds of `sync run`


def add_parser(commands: Any) -> None:
    sync = commands.add_parser("sync", help="همگام‌سازی با سرور مرکزی")
    actions = sync.add_subparsers(dest="action", required=True, parser_class=type(sync))
    register = actions.add_parser("register", help="ثبت این دستگاه در سرور همگام‌سازی با کد یک‌بارمصرف")
    register.add_argument("--server", required=True, help="نشانی سرور، مانند https://sync.example.ir")
    register.add_argument("--code", required=True, help="کد ثبت دستگاه که مدیر سامانه داده است")
    run = actions.add_parser("run", help="اجرای همگام‌سازی")
    run.add_argument("--once", action="store_true", help="فقط یک دور همگام‌سازی و خروج")
    status = actions.add_parser("status", help="وضعیت همگام‌سازی این دستگاه")
    for parser in (register, run, status):
        parser.add_argument("--db", type=Path)
    for parser in (register, run):
        parser.add_argument("--user", required=True, help="نام کاربری در سرور")
        parser.add_argument("--password-stdin", action="store_true", help="خواندن گذرواژه از ورودی استاندارد")


def _when(text: str | None) -> str:
    from crm_desktop.models.base import from_utc_text
    from crm_desktop.persian import format_jalali_datetime

    return format_jalali_datetime(from_utc_text(text)) if text else "هرگز"


def status_lines(db: Database) -> list[str]:
    """What ``sync status`` prints (Persian, Persian digits, Jalali times)."""
    from crm_desktop.persian import format_number, to_persian_digits
    from crm_desktop.sync.client import credentials, store
    from crm_desktop.sync.client.store import Key

    with store.read_tx(db) as raw:
        state, counts = store.state(raw, secrets=False), store.counts(raw)
    if Key.DEVICE_ID not in state:
        return ["این دستگاه هنوز در سرور همگام‌سازی ثبت نشده است (crm-desktop sync register)."]
    lines = [
        f"سرور: {state.get(Key.SERVER_URL, '')}",
        f"شناسه دستگاه: {state[Key.DEVICE_ID]}",
        f"تغییرهای ارسال‌نشده: {format_number(counts.pending)}",
        f"آخرین ارسال موفق: {_when(state.get(Key.LAST_PUSH_OK))}",
        f"آخرین دریافت موفق: {_when(state.get(Key.LAST_PULL_OK))}",
        f"تعارض‌های باز: {format_number(counts.open_conflicts)}",
        f"تغییرهای ردشده: {format_number(counts.rejected)}",
        "اعتبارنامه دستگاه: " + ("در انبار کلید سیستم‌عامل" if credentials.in_keystore(state.get(Key.CREDENTIAL))
                                 else "در پایگاه داده (انبار کلید سیستم‌عامل در دسترس نبود)"),
    ]
    if state.get(Key.LAST_ERROR):
        at, _, code = state[Key.LAST_ERROR].partition(" ")
        lines.append(f"آخرین خطا: {_when(at)} ({to_persian_digits(code)})")
    return lines


def cmd_sync(args: argparse.Namespace, console: PasswordSource, db_path: Path, *,
             client: httpx.Client | None = None) -> int:
    from crm_desktop.sync.client.engine import SyncEngine
    from crm_desktop.sync.client.transport import SyncError, Transport

    db, password = open_as(db_path, getattr(args, "user", None), console)
    try:
        if args.action == "status":
            print("\n".join(status_lines(db)))
            return 0
        if password is None:
            password = console.password(f"گذرواژه {args.user} در سرور: ")
        url = args.server if args.action == "register" else _server_url(db)
        transport = Transport(url, username=args.user, password=password, client=client)
        engine = SyncEngine(db, transport)
        try:
            if args.action == "register":
                device = engine.register(args.server, args.code)
                transport.sign_in()  # the clerk can sign in to the server from this desk
                print(f"این دستگاه با شناسه {device} در سرور ثبت شد.")
                return 0
            _secure_credential(db)
            return _run(engine, once=args.once)
        except SyncError as exc:
            print(f"خطا: {exc.message}", file=sys.stderr)
            return 1
        finally:
            transport.close()
    finally:
        db.dispose()


def _secure_credential(db: Database) -> None:
    """A credential left in the database (no keystore at registration) moves to the keystore once one works."""
    from crm_desktop.sync.client import credentials, store
    from crm_desktop.sync.client.store import Key

    with store.read_tx(db) as raw:
        stored = store.get_stored(raw, Key.CREDENTIAL)
    if stored is not None and not credentials.in_keystore(stored):
        with store.write_tx(db) as raw:
            store.secure_credential(raw)


def _server_url(db: Database) -> str:
    from crm_desktop.sync.client import store
    from crm_desktop.sync.client.store import Key

    with store.read_tx(db) as raw:
        url = store.get(raw, Key.SERVER_URL)
    if not url:
        from crm_desktop.sync.client.transport import MESSAGES

        raise CrmError(MESSAGES["not_registered"])
    return url


def _run(engine: Any, *, once: bool) -> int:
    from crm_desktop.persian import format_number
    from crm_desktop.sync.client.backoff import Backoff
    from crm_desktop.sync.client.transport import SyncError

    backoff = Backoff()
    while True:
        try:
            result = engine.sync_once()
        except SyncError as exc:
            if once or not exc.retryable:
                raise
            wait = backoff.failed(exc.retry_after)
            print(f"{exc.message} (تلاش دوباره تا {format_number(round(wait))} ثانیه دیگر)", file=sys.stderr)
            time.sleep(wait)
            continue
        backoff.succeeded()
        print(f"همگام‌سازی انجام شد: {format_number(result.pushed)} تغییر ارسال و "
              f"{format_number(result.pulled)} ردیف دریافت شد؛ {format_number(result.conflicts)} تعارض، "
              f"{format_number(result.parked)} تغییر ردشده.")
        if once:
            return 0
        time.sleep(INTERVAL_S)
