"""``crm-desktop-server``: migrate, serve, registration codes, epoch rotation, branches and clerks for a trial.

The database comes from ``--database-url`` or ``CRM_SERVER_DATABASE_URL`` (or ``DATABASE_URL``), e.g.
``postgresql+psycopg://crm@db.bank.local/crm``. The token key from ``CRM_SERVER_TOKEN_SECRET``: set
the same value on every instance behind a load balancer (``serve`` makes one up for a single
instance and its workers when it is unset). Messages are Persian; failures exit non-zero.

A trial on one machine::

    eval "$(tools/pg_throwaway.sh)"
    crm-desktop-server migrate
    crm-desktop-server branch add --code 1021 --name "شعبه مرکزی"
    crm-desktop-server user add --branch 1021 --username clerk --full-name "مریم کارمند" --role clerk
    crm-desktop-server device-code --branch 1021        # give the printed code to the desk
    crm-desktop-server serve --host 127.0.0.1 --port 8443 --certfile cert.pem --keyfile key.pem
"""

from __future__ import annotations

import argparse
import getpass
import os
import secrets
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError, OperationalError

from crm_desktop import __version__
from crm_desktop.server import auth
from crm_desktop.server.db import make_engine, migrate, rotate_epoch
from crm_desktop.server.settings import Settings

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2
ROLES = ("clerk", "manager", "admin", "auditor")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"خطا در دستور: آرگومان‌ها نادرست است ({message}).\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="crm-desktop-server", description="سرویس مرکزی همگام‌سازی شعبه‌ها")
    parser.add_argument("--version", action="version", version=f"crm-desktop-server {__version__}")
    parser.add_argument("--database-url", help="نشانی پایگاه داده PostgreSQL (پیش‌فرض: CRM_SERVER_DATABASE_URL)")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    commands.add_parser("migrate", help="ساختن یا به‌روز کردن جدول‌های سرور")
    serve = commands.add_parser("serve", help="اجرای سرویس (uvicorn)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8443)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--certfile", help="گواهی TLS (بدون آن پشت یک پراکسی TLS اجرا کنید)")
    serve.add_argument("--keyfile", help="کلید خصوصی گواهی TLS")
    code = commands.add_parser("device-code", help="کد یک‌بارمصرف ثبت دستگاه برای یک شعبه")
    code.add_argument("--branch", required=True, help="کد شعبه")
    code.add_argument("--hours", type=int, default=24, help="مدت اعتبار به ساعت")
    commands.add_parser("rotate-epoch", help="دورهٔ تازهٔ سرور پس از بازگردانی از پشتیبان")
    revoke = commands.add_parser("revoke-device", help="لغو دسترسی یک دستگاه")
    revoke.add_argument("device_id")
    branch = commands.add_parser("branch", help="شعبه‌ها").add_subparsers(dest="action", required=True)
    add_branch = branch.add_parser("add", help="افزودن شعبه")
    add_branch.add_argument("--code", required=True)
    add_branch.add_argument("--name", required=True)
    user = commands.add_parser("user", help="کاربران").add_subparsers(dest="action", required=True)
    add_user = user.add_parser("add", help="افزودن کاربر روی سرور")
    add_user.add_argument("--branch", required=True, help="کد شعبه")
    add_user.add_argument("--username", required=True)
    add_user.add_argument("--full-name", required=True)
    add_user.add_argument("--role", choices=ROLES, default="clerk")
    add_user.add_argument("--password-stdin", action="store_true", help="خواندن گذرواژه از ورودی استاندارد")
    set_password = user.add_parser("set-password", help="تعیین گذرواژهٔ ورود به سرور")
    set_password.add_argument("username")
    set_password.add_argument("--password-stdin", action="store_true")
    return parser


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("گذرواژه: ")
    if first != getpass.getpass("تکرار گذرواژه: "):
        raise ValueError("دو گذرواژه یکسان نیستند.")
    return first


def _url(args: argparse.Namespace) -> str:
    url = args.database_url or os.environ.get("CRM_SERVER_DATABASE_URL") or os.environ.get("DATABASE_URL")
    if not url:
        raise ValueError("نشانی پایگاه داده داده نشده است (--database-url یا CRM_SERVER_DATABASE_URL).")
    return str(url)


def app_from_env() -> Any:
    """The ASGI app for uvicorn workers (``factory=True``): settings from the environment."""
    from crm_desktop.server.app import create_app

    return create_app(Settings.from_env())


def _serve(args: argparse.Namespace, url: str) -> None:
    import uvicorn

    os.environ["CRM_SERVER_DATABASE_URL"] = url
    os.environ.setdefault("CRM_SERVER_TOKEN_SECRET", secrets.token_urlsafe(48))
    uvicorn.run("crm_desktop.server.cli:app_from_env", factory=True, host=args.host, port=args.port,
                workers=args.workers, ssl_certfile=args.certfile, ssl_keyfile=args.keyfile, log_level="warning")


def _run(args: argparse.Namespace, engine: Engine, out: Any) -> None:
    settings_hasher = Settings(database_url="").hasher
    if args.command == "migrate":
        migrate(engine)
        print("پایگاه داده سرور به‌روز است.", file=out)
    elif args.command == "device-code":
        try:
            code = auth.new_registration_code(engine, args.branch, ttl_s=args.hours * 3600)
        except LookupError:
            raise ValueError(f"شعبه‌ای با کد «{args.branch}» نیست.") from None
        print(f"کد ثبت دستگاه برای شعبه {args.branch} (یک‌بارمصرف، {args.hours} ساعت): {code}", file=out)
    elif args.command == "rotate-epoch":
        print(f"دورهٔ تازهٔ سرور: {rotate_epoch(engine)}. همهٔ دستگاه‌ها از نو همگام می‌شوند.", file=out)
    elif args.command == "revoke-device":
        with engine.begin() as conn:
            done = conn.execute(text("UPDATE sync_device SET revoked_at = now() WHERE device_id = :d"),
                                {"d": args.device_id}).rowcount
        if not done:
            raise ValueError("چنین دستگاهی ثبت نشده است.")
        print("دسترسی دستگاه لغو شد.", file=out)
    elif args.command == "branch":
        with engine.begin() as conn:
            auth.add_branch(conn, code=args.code, name=args.name)
        print(f"شعبه {args.code} افزوده شد.", file=out)
    elif args.command == "user" and args.action == "add":
        password = _password(args.password_stdin)
        with engine.begin() as conn:
            try:
                auth.add_user(conn, settings_hasher, branch_code=args.branch, username=args.username,
                              full_name=args.full_name, role=args.role, password=password)
            except LookupError:
                raise ValueError(f"شعبه‌ای با کد «{args.branch}» نیست.") from None
        print(f"کاربر {args.username} افزوده شد.", file=out)
    elif args.command == "user" and args.action == "set-password":
        password = _password(args.password_stdin)
        with engine.begin() as conn:
            try:
                auth.set_password(conn, settings_hasher, username=args.username, password=password)
            except LookupError:
                raise ValueError(f"کاربری با نام «{args.username}» نیست.") from None
        print("گذرواژه تعیین شد.", file=out)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        url = _url(args)
        if args.command == "serve":
            _serve(args, url)
            return EXIT_OK
        engine = make_engine(url, pool_size=1)
        try:
            _run(args, engine, sys.stdout)
        finally:
            engine.dispose()
    except ValueError as exc:
        print(f"خطا: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except IntegrityError:
        print("خطا: رکوردی با همین کد یا نام کاربری هست.", file=sys.stderr)
        return EXIT_ERROR
    except OperationalError:
        print("خطا: به پایگاه داده سرور وصل نشد.", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
