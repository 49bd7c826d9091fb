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
    join = actions.add_parser("join", help="راه‌اندازی میز تازه (یا رایانه همراه) از روی سرور شعبه")
    join.add_argument("--server", help="نشانی سرور، مانند https://sync.example.ir")
    join.add_argument("--code", help="کد ثبت دستگاه که مدیر سامانه داده است (برای ادامه راه‌اندازی نیمه‌کاره لازم نیست)")
    join.add_argument("--encrypted", action="store_true",
                      help="پایگاه داده رمزگذاری‌شده که با گذرواژه همین کاربر باز می‌شود (رایانه همراه کارکنان میدانی)")
    for parser in (register, run, status, join):
        parser.add_argument("--db", type=Path)
    for parser in (register, run, join):
        parser.add_argument("--user", required=True, help="نام کاربری در سرور")
        parser.add_argument("--password-stdin", action="store_true", help="خواندن گذرواژه از ورودی استاندارد")


def _when(text: str | None) -> str:
    from crm_desktop.models.base import from_utc_text
    from crm_desktop.persian import format_jalali_datetime

    return format_jalali_datetime(from_utc_text(text)) if text else "هرگز"


def status_lines(db: Database) -> list[str]:
    """What ``sync status`` prints (Persian, Persian digits, Jalali times)."""
    from crm_desktop.persian import format_number, to_persian_digits
    from crm_desktop.sync.client import bootstrap, credentials, store
    from crm_desktop.sync.client.store import Key

    with store.read_tx(db) as raw:
        state, counts, check = store.state(raw, secrets=False), store.counts(raw), bootstrap.outcome(raw)
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
    if check is not None:
        lines.append(_check_line(check))
    if state.get(Key.LAST_ERROR):
        at, _, code = state[Key.LAST_ERROR].partition(" ")
        lines.append(f"آخرین خطا: {_when(at)} ({to_persian_digits(code)})")
    return lines


def _check_line(check: dict[str, Any]) -> str:
    """The bootstrap's row-count check: passed, or which tables differ (server / this desk)."""
    from crm_desktop.persian import format_number

    when = _when(str(check.get("at") or ""))
    if check.get("result") == "ok":
        return f"بررسی شمار ردیف‌ها پس از دریافت نخستین: درست ({when})"
    differ = ", ".join(f"{name}: سرور {format_number(server)} / این میز {format_number(desk)}"
                       for name, (server, desk) in dict(check.get("differ") or {}).items())
    return f"بررسی شمار ردیف‌ها پس از دریافت نخستین: ناهمخوان ({when})؛ {differ}؛ در دور بعدی دوباره بررسی می‌شود."


def cmd_sync(args: argparse.Namespace, console: PasswordSource, db_path: Path, *,
             client: httpx.Client | None = None) -> int:
    from crm_desktop.sync.client.engine import SyncEngine
    from crm_desktop.sync.client.transport import Transport

    if args.action == "join":
        return cmd_join(args, console, db_path, client=client)
    db, password = open_as(db_path, getattr(args, "user", None), console)
    try:
        if args.action == "status":
            print("\n".join(status_lines(db)))
            return 0
        if password is None:
            password = console.password(f"گذرواژه {args.user} در سرور: ")
        if args.action == "run" and _join_pending(db):
            db.dispose()  # the unfinished join opens it again (and disposes it on failure)
            db = _resume_join(db_path, args.user, password, client)
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
        except CrmError as exc:  # SyncError, or a registration refused for another branch
            print(f"خطا: {exc.message}", file=sys.stderr)
            return 1
        finally:
            transport.close()
    finally:
        db.dispose()


def cmd_join(args: argparse.Namespace, console: PasswordSource, db_path: Path, *,
             client: httpx.Client | None = None) -> int:
    """``sync join``: a new desk filled from the server, or an unfinished one continued; non-zero on failure."""
    from crm_desktop.sync.client.join import Join, JoinRequest

    request = JoinRequest(server_url=args.server or "", code=args.code or "", username=args.user,
                          password=console.password(f"گذرواژه {args.user} در سرور: "),
                          encrypted=args.encrypted, device_name=_device_name())
    join = Join(db_path, remember_password=_remember_password, client=client, say=print)
    try:
        db = join.run(request)
    except CrmError as exc:
        print(f"خطا: {exc.message}", file=sys.stderr)
        return 1
    db.dispose()
    kind = "رمزگذاری‌شده " if args.encrypted and not join.resumed else ""
    print(f"میز با پایگاه داده {kind}«{db_path}» از سرور راه‌اندازی شد؛ «{request.username}» از این پس بدون سرور هم"
          " وارد می‌شود. کاربران دیگر شعبه در نخستین ورود به این میز به سرور نیاز دارند.")
    return 0


def _remember_password(db: Database, username: str, password: str) -> None:
    from crm_desktop.services import Services

    Services(db).users.remember_password(username, password)


def _device_name() -> str:
    import platform

    return platform.node()[:100]


def _join_pending(db: Database) -> bool:
    from crm_desktop.sync.client.join_state import pending_user

    return pending_user(db) is not None


def _resume_join(db_path: Path, username: str, password: str, client: httpx.Client | None) -> Database:
    """``sync run`` on a desk whose join was cut off: finish the join first (bootstrap and password)."""
    from crm_desktop.sync.client.join import Join, JoinRequest

    join = Join(db_path, remember_password=_remember_password, client=client, say=print)
    return join.run(JoinRequest(server_url="", code="", username=username, password=password))


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
