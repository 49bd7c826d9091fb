"""`crm-desktop duplicates`: likely duplicate customers, for people (Persian text) and scripts (``--json``).

Signs in like `crm-desktop report` (password from a prompt or ``--password-stdin``; the demo user on a demo
database). Exit status 0 whether or not groups were found; errors exit 1 with a Persian message.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from crm_desktop.cli_sign_in import PasswordSource, sign_in


def add_parser(commands: Any) -> None:
    dupes = commands.add_parser("duplicates", help="یافتن مشتریان احتمالاً تکراری")
    dupes.add_argument("--db", type=Path)
    dupes.add_argument("--branch", help="کد شعبه (پیش‌فرض: شعبه کاربر؛ برای مدیر سامانه و بازرس: همه شعبه‌ها)")
    dupes.add_argument("--min-score", type=int, default=None, help="حداقل امتیاز گروه، از ۰ تا ۱۰۰ (پیش‌فرض ۵۰)")
    dupes.add_argument("--json", action="store_true", help="خروجی JSON برای اسکریپت‌ها")
    dupes.add_argument("--user", help="نام کاربری (پیش‌فرض در پایگاه داده نمایشی: کاربر نمایشی)")
    dupes.add_argument("--password-stdin", action="store_true", help="خواندن گذرواژه از ورودی استاندارد")


def cmd_duplicates(args: argparse.Namespace, console: PasswordSource) -> int:
    from crm_desktop import config
    from crm_desktop.services.duplicates import DEFAULT_MIN_SCORE, DuplicateService

    db_path = Path(args.db) if args.db else config.default_db_path()
    signed_in = sign_in(db_path, args, console, why_user="جست‌وجو به نام یک کاربر و با دسترسی او انجام می‌شود")
    progress = None if args.json else _TerminalProgress()
    try:
        min_score = DEFAULT_MIN_SCORE if args.min_score is None else args.min_score
        result = DuplicateService(signed_in.db).scan(signed_in.actor, args.branch, min_score, progress)
    finally:
        if progress is not None:
            progress.finish()
        signed_in.db.dispose()
    if args.json:
        json.dump(_as_json(result), sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        _print_text(result)
    return 0


def _as_json(result: Any) -> dict[str, Any]:
    return {
        "customers": result.customers,
        "candidate_pairs": result.candidates,
        "compared": result.compared,
        "groups": [
            {
                "score": group.score,
                "reasons": list(group.reasons),
                "records": [
                    {"id": r.id, "branch": r.branch_code, "kind": r.kind, "name": r.display_name,
                     "national_id": r.national_id or r.company_id, "mobile": r.mobile,
                     "birth_date": r.birth_date.isoformat() if r.birth_date else None}
                    for r in group.records
                ],
                "pairs": [
                    {"ids": [p.first_id, p.second_id], "score": p.score, "reasons": list(p.reasons),
                     "differences": list(p.differences)}
                    for p in group.pairs
                ],
            }
            for group in result.groups
        ],
    }


def _print_text(result: Any) -> None:
    from crm_desktop.persian import format_jalali_date, format_number, to_persian_digits

    print(f"{format_number(result.customers)} مشتری بررسی شد؛ "
          f"{format_number(len(result.groups))} گروه احتمالاً تکراری پیدا شد.")
    for n, group in enumerate(result.groups, 1):
        print()
        print(f"گروه {format_number(n)} — امتیاز {format_number(group.score)} از ۱۰۰")
        for r in group.records:
            ident = to_persian_digits(r.national_id or r.company_id or "—")
            born = f"  تولد: {format_jalali_date(r.birth_date)}" if r.birth_date else ""
            mobile = f"  همراه: {to_persian_digits(r.mobile)}" if r.mobile else ""
            print(f"  • {r.display_name}  کد ملی: {ident}{mobile}{born}  شعبه: {to_persian_digits(r.branch_code)}"
                  f"  شناسه: {r.id}")
        print("  دلایل: " + "؛ ".join(group.reasons))


class _TerminalProgress:
    """Prints each phase's progress on one line of standard error."""

    def __init__(self) -> None:
        self._shown = -1

    def update(self, done: int, total: int | None = None, message: str = "") -> None:
        from crm_desktop.persian import format_number

        percent = done * 100 // total if total else 100
        if message and percent != self._shown and sys.stderr.isatty():
            self._shown = percent
            print(f"\r{message} {format_number(percent)}٪", end="", file=sys.stderr, flush=True)

    def check(self) -> None:
        return None

    def finish(self) -> None:
        if self._shown >= 0:
            print(file=sys.stderr)
