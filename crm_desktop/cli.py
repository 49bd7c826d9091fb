"""The `crm-desktop` command: the app (no arguments), set-up, demo data, accounts and reports.

Every failure prints a Persian message on stderr and exits non-zero; nothing is
written when the input is wrong.
"""

from __future__ import annotations

import argparse
import getpass
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn, TextIO

from crm_desktop import __version__, cli_duplicates, cli_import, cli_report, cli_sync, config
from crm_desktop.errors import CrmError

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2
DEMO_GUI_CUSTOMERS = 2000  # built in a few seconds; larger ones come from `crm-desktop demo`


class PersianArgumentParser(argparse.ArgumentParser):
    """argparse that reports bad arguments in Persian."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"خطا در دستور: آرگومان‌ها نادرست است ({message}).\n"
                              f"برای راهنما «{self.prog} --help» را اجرا کنید.\n")


def _positive_int(text: str) -> int:
    from crm_desktop.persian import to_ascii_digits

    try:
        value = int(to_ascii_digits(text))
    except ValueError:
        raise argparse.ArgumentTypeError(f"«{text}» عدد نیست") from None
    if value < 1:
        raise argparse.ArgumentTypeError("عدد باید مثبت باشد")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = PersianArgumentParser(prog="crm-desktop", description="سامانه مدیریت ارتباط با مشتری شعبه")
    parser.add_argument("--version", action="version", version=f"crm-desktop {__version__}")
    parser.add_argument("--db", type=Path, help="مسیر پایگاه داده (پیش‌فرض: پوشه داده کاربر)")
    parser.add_argument("--demo", action="store_true", help="باز کردن پایگاه داده نمایشی (در صورت نیاز ساخته می‌شود)")
    parser.add_argument("--self-test", action="store_true",
                        help="آزمون خودکار برنامه روی پایگاه داده موقت (بدون پنجره) و خروج")
    commands = parser.add_subparsers(dest="command", parser_class=PersianArgumentParser)

    init = commands.add_parser("init", help="راه‌اندازی پایگاه داده تازه با شعبه و مدیر سامانه")
    init.add_argument("--db", type=Path)
    init.add_argument("--branch-code", required=True, help="کد شعبه (۳ تا ۸ رقم)")
    init.add_argument("--branch-name", required=True, help="نام شعبه")
    init.add_argument("--admin", required=True, help="نام کاربری مدیر سامانه")
    init.add_argument("--full-name", default="مدیر سامانه", help="نام و نام خانوادگی مدیر سامانه")
    init.add_argument("--password-stdin", action="store_true", help="خواندن گذرواژه از ورودی استاندارد")
    init.add_argument("--encrypted", action="store_true",
                      help="پایگاه داده رمزگذاری‌شده (رایانه همراه کارکنان میدانی)؛ با گذرواژه کاربر باز می‌شود")

    demo = commands.add_parser("demo", help="ساخت پایگاه داده نمایشی با داده‌های واقع‌نما")
    demo.add_argument("--db", type=Path)
    demo.add_argument("--customers", type=_positive_int, default=2000, help="تعداد مشتریان")
    demo.add_argument("--seed", type=int, default=1405, help="بذر تولید داده تصادفی")

    user = commands.add_parser("user", help="مدیریت کاربران (ویژه مدیر سامانه)")
    user.add_argument("--db", type=Path)
    user.add_argument("--as", dest="acting", required=True, help="نام کاربری مدیر سامانه‌ای که دستور را می‌دهد")
    user.add_argument("--password-stdin", action="store_true",
                      help="گذرواژه‌ها از ورودی استاندارد، هر کدام در یک سطر (اول گذرواژه مدیر)")
    actions = user.add_subparsers(dest="action", required=True, parser_class=PersianArgumentParser)
    add = actions.add_parser("add", help="افزودن کاربر")
    add.add_argument("username")
    add.add_argument("--full-name", required=True)
    add.add_argument("--role", required=True, choices=["clerk", "manager", "admin", "auditor"])
    add.add_argument("--branch-code", required=True)
    for name, text in (("passwd", "تغییر گذرواژه کاربر"), ("lock", "قفل کردن حساب"), ("unlock", "باز کردن حساب")):
        actions.add_parser(name, help=text).add_argument("username")
    actions.add_parser("list", help="فهرست کاربران")
    cli_report.add_parser(commands)
    cli_duplicates.add_parser(commands)
    cli_import.add_parser(commands)
    cli_sync.add_parser(commands)
    return parser


class Console:
    """Reads passwords from a prompt or from standard input, one per line."""

    def __init__(self, from_stdin: bool, stdin: TextIO) -> None:
        self.from_stdin = from_stdin
        self.stdin = stdin

    def password(self, prompt: str, *, confirm: bool = False) -> str:
        if self.from_stdin:
            line = self.stdin.readline()
            if not line:
                raise CrmError("گذرواژه در ورودی استاندارد نیامده است.")
            return line.rstrip("\r\n")
        first = getpass.getpass(prompt)
        if confirm and getpass.getpass("تکرار گذرواژه: ") != first:
            raise CrmError("دو گذرواژه یکسان نیستند.")
        return first


def _db_path(args: argparse.Namespace) -> Path:
    return Path(args.db) if args.db else config.default_db_path()


def cmd_init(args: argparse.Namespace, console: Console) -> int:
    from crm_desktop.db import cipher
    from crm_desktop.db.migrate import open_database, remove_database
    from crm_desktop.services import Services
    from crm_desktop.services.users import PASSWORD_RULES, check_password_rules

    path = _db_path(args)
    if args.encrypted and (path.exists() or cipher.key_file(path).exists()):
        raise CrmError(f"«{path}» وجود دارد؛ پایگاه داده رمزگذاری‌شده فقط تازه ساخته می‌شود.")
    if path.exists():
        db = open_database(path)
        if Services(db).users.has_users():
            raise CrmError(f"پایگاه داده «{path}» پیش‌تر راه‌اندازی شده است.")
    if not console.from_stdin:
        print(PASSWORD_RULES)
    password = console.password("گذرواژه مدیر سامانه: ", confirm=True)
    check_password_rules(password, args.admin)  # before anything is created on disk
    created = not path.exists()
    try:
        key = cipher.create_key_file(path, args.admin, password) if args.encrypted else None
        db = open_database(path, key=key)
    except BaseException:
        if created:
            remove_database(path)
        raise
    try:
        actor = Services(db).users.first_run(branch_code=args.branch_code, branch_name=args.branch_name,
                                             username=args.admin, full_name=args.full_name, password=password)
    except CrmError:
        db.dispose()
        if created:
            remove_database(path)
        raise
    db.dispose()
    kind = "رمزگذاری‌شده " if args.encrypted else ""
    print(f"پایگاه داده {kind}«{path}» راه‌اندازی شد؛ مدیر سامانه: {actor.username}")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace, console: Console) -> int:
    from crm_desktop.db.migrate import open_database, remove_database
    from crm_desktop.persian import format_number
    from crm_desktop.services.demo import DEMO_PASSWORD, DEMO_USERNAME, build_demo

    path = Path(args.db) if args.db else config.default_demo_db_path()
    if path.exists():
        raise CrmError(f"فایل «{path}» وجود دارد؛ برای داده نمایشی مسیر تازه‌ای بدهید.")
    started = time.perf_counter()
    db = open_database(path)
    try:
        summary = build_demo(db, args.customers, seed=args.seed, progress=_TerminalProgress())
    except BaseException:
        db.dispose()
        remove_database(path)
        raise
    seconds = time.perf_counter() - started
    print(f"\nپایگاه داده نمایشی «{path}» در {format_number(seconds, 1)} ثانیه ساخته شد: "
          f"{format_number(summary.customers)} مشتری، {format_number(summary.interactions)} تعامل، "
          f"{format_number(summary.requests)} درخواست خدمت.")
    print(f"ورود نمایشی: نام کاربری «{DEMO_USERNAME}»، گذرواژه «{DEMO_PASSWORD}»")
    return EXIT_OK


class _TerminalProgress:
    def __init__(self) -> None:
        self._last = 0.0

    def update(self, done: int, total: int | None = None, message: str = "") -> None:
        from crm_desktop.persian import format_number

        now = time.monotonic()
        if total and (now - self._last > 1 or done == total):
            self._last = now
            print(f"\r{message}: {format_number(done)} از {format_number(total)}", end="", file=sys.stderr)

    def check(self) -> None:
        return None


def cmd_user(args: argparse.Namespace, console: Console) -> int:
    from crm_desktop.db.migrate import open_database_as
    from crm_desktop.models import Branch
    from crm_desktop.persian import to_persian_digits
    from crm_desktop.services import Services

    path = _db_path(args)
    acting_password = console.password(f"گذرواژه {args.acting}: ")
    db = open_database_as(path, args.acting, acting_password)
    services = Services(db)
    actor = services.users.authenticate(args.acting, acting_password)
    users = services.users
    if args.action == "add":
        with db.read() as session:
            from sqlalchemy import select

            branch_id = session.scalar(select(Branch.id).where(Branch.code == args.branch_code))
        if branch_id is None:
            raise CrmError(f"شعبه‌ای با کد «{to_persian_digits(args.branch_code)}» نیست.")
        password = console.password(f"گذرواژه {args.username}: ", confirm=True)
        row = users.add(actor, username=args.username, full_name=args.full_name, role=args.role,
                        branch_id=branch_id, password=password).value
        print(f"کاربر «{row.username}» افزوده شد.")
    elif args.action == "passwd":
        users.set_password(actor, args.username, console.password(f"گذرواژه تازه {args.username}: ", confirm=True))
        print(f"گذرواژه «{args.username}» تغییر کرد.")
    elif args.action in ("lock", "unlock"):
        users.set_active(actor, args.username, args.action == "unlock")
        print(f"حساب «{args.username}» {'باز' if args.action == 'unlock' else 'قفل'} شد.")
    else:
        from crm_desktop.models.enums import Role

        for row in users.list(actor):
            state = "فعال" if row.active else "قفل"
            print(f"{row.username}\t{row.full_name}\t{Role(row.role).label}\t{row.branch_code}\t{state}")
    return EXIT_OK


def cmd_gui(args: argparse.Namespace, console: Console) -> int:
    """Open the desktop app on the default database, or on the demo database with ``--demo``."""
    if args.self_test:
        from crm_desktop.self_test import run_self_test

        return run_self_test()
    from crm_desktop.app import GuiOptions, run_gui
    from crm_desktop.db.cipher import is_encrypted
    from crm_desktop.db.migrate import open_database, open_database_as, remove_database
    from crm_desktop.services import Services

    if args.demo:
        from crm_desktop.services.demo import DEMO_PASSWORD, DEMO_USERNAME, build_demo

        path = Path(args.db) if args.db else config.default_demo_db_path()
        created = not path.exists()
        db = open_database(path)
        services = Services(db)
        if not services.users.has_users():
            print("ساخت پایگاه داده نمایشی…", file=sys.stderr)
            try:
                build_demo(db, DEMO_GUI_CUSTOMERS)
            except BaseException:
                db.dispose()
                if created:
                    remove_database(path)
                raise
        hint = f"ورود نمایشی — نام کاربری: {DEMO_USERNAME}   گذرواژه: {DEMO_PASSWORD}"
        options = GuiOptions(db_path=path, demo_hint=hint, demo_username=DEMO_USERNAME)
    else:
        path = _db_path(args)
        if is_encrypted(path):  # opened at sign-in, with the user's password; run_gui closes it

            def open_encrypted(username: str, password: str) -> Services:
                services = Services(open_database_as(path, username, password))
                services.db.ensure_statistics()
                return services

            return run_gui(None, GuiOptions(db_path=path, open_encrypted=open_encrypted))
        db = open_database(path)
        services = Services(db)
        options = GuiOptions(db_path=path)
    db.ensure_statistics()
    try:
        return run_gui(services, options)
    finally:
        db.dispose()


COMMANDS: dict[str | None, Callable[[argparse.Namespace, Console], int]] = {
    None: cmd_gui,
    "init": cmd_init,
    "demo": cmd_demo,
    "user": cmd_user,
    "report": lambda args, console: cli_report.cmd_report(args, console, _db_path(args)),
    "duplicates": cli_duplicates.cmd_duplicates,
    "import": cli_import.cmd_import,
    "sync": lambda args, console: cli_sync.cmd_sync(args, console, _db_path(args)),
}


def main(argv: Sequence[str] | None = None, *, stdin: TextIO | None = None) -> int:
    args = build_parser().parse_args(argv)
    console = Console(getattr(args, "password_stdin", False), stdin or sys.stdin)
    try:
        return COMMANDS[args.command](args, console)
    except CrmError as exc:
        print(f"خطا: {exc.message}", file=sys.stderr)
        errors = getattr(exc, "errors", None)
        if isinstance(errors, dict) and len(errors) > 1:
            for message in errors.values():
                print(f"  - {message}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("\nلغو شد.", file=sys.stderr)
        return EXIT_ERROR
