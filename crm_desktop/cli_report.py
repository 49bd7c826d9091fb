"""`crm-desktop report`: a management report from the command line, for scheduled jobs.

The same permission rules as the app: the user signs in (password from a prompt or ``--password-stdin``);
on a demo database the demo user is taken when ``--user`` is not given. Every run is in the access log.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from crm_desktop.cli_sign_in import PasswordSource, sign_in
from crm_desktop.errors import CrmError

NAMES = ("branch-summary", "service-requests", "customers", "clerk-activity", "customer-profile")


def add_parser(commands: Any) -> None:
    report = commands.add_parser("report", help="ساخت گزارش مدیریتی (PDF یا Excel)")
    report.add_argument("name", help="نام گزارش: " + "، ".join(NAMES))
    report.add_argument("--db", type=Path)
    report.add_argument("--from", dest="first", help="آغاز دوره، تاریخ شمسی مانند ۱۴۰۵/۰۷/۰۱")
    report.add_argument("--to", dest="last", help="پایان دوره، تاریخ شمسی مانند ۱۴۰۵/۰۷/۳۰")
    report.add_argument("--branch", help="کد شعبه (پیش‌فرض: شعبه کاربر؛ برای مدیر سامانه و بازرس: همه شعبه‌ها)")
    report.add_argument("--customer", help="کد ملی، شناسه ملی یا شماره مشتری (برای customer-profile)")
    report.add_argument("--format", required=True, help="pdf یا xlsx")
    report.add_argument("-o", "--output", type=Path, required=True, help="پرونده خروجی")
    report.add_argument("--user", help="نام کاربری (پیش‌فرض در پایگاه داده نمایشی: کاربر نمایشی)")
    report.add_argument("--password-stdin", action="store_true", help="خواندن گذرواژه از ورودی استاندارد")


def _date(text: str | None, flag: str) -> Any:
    from crm_desktop.persian import parse_jalali_date

    if not text:
        raise CrmError(f"تاریخ {flag} را بدهید (مانند ۱۴۰۵/۰۷/۰۱).")
    try:
        return parse_jalali_date(text)
    except CrmError as exc:
        raise CrmError(f"تاریخ {flag} نادرست است: {exc.message}") from None


def cmd_report(args: argparse.Namespace, console: PasswordSource, db_path: Path) -> int:
    from crm_desktop.persian import format_number
    from crm_desktop.reports.period import Period
    from crm_desktop.services.reports import ReportFormat, ReportName, ReportRequest

    if args.name not in NAMES:
        raise CrmError(f"گزارشی به نام «{args.name}» نیست. گزارش‌ها: {'، '.join(NAMES)}.")
    if args.format not in ("pdf", "xlsx"):
        raise CrmError(f"قالب «{args.format}» شناخته نیست: pdf یا xlsx.")
    name = ReportName(args.name)
    period = None
    if name is not ReportName.CUSTOMER_PROFILE:
        period = Period(_date(args.first, "--from"), _date(args.last, "--to"))
    signed_in = sign_in(db_path, args, console, why_user="گزارش به نام یک کاربر و با دسترسی او ساخته می‌شود")
    services, actor = signed_in.services, signed_in.actor
    try:
        output = args.output.resolve()
        if not output.parent.is_dir():
            raise CrmError(f"پوشه «{output.parent}» نیست.")
        result = services.reports.run(actor, ReportRequest(
            name, ReportFormat(args.format), period, branch_code=args.branch, customer=args.customer), output).value
    finally:
        signed_in.db.dispose()
    pages = f" ({format_number(result.pages)} صفحه)" if result.pages else ""
    print(f"گزارش «{name.heading}» در «{result.path}» ساخته شد{pages}.")
    return 0
