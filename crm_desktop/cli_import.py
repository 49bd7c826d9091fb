"""`crm-desktop import FILE`: customers, products or interactions from .xlsx or .csv, from the command line.

The same service, checks and journal as the import wizard. ``--dry-run`` only reports. Exit status: 0 when
every row was taken, 3 when rows were refused (listed, and written to ``--report``), 1 when the file or the
command itself is wrong (nothing written).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from crm_desktop.cli_sign_in import PasswordSource, sign_in
from crm_desktop.errors import CrmError

EXIT_OK, EXIT_REFUSED = 0, 3
SHOWN_REFUSALS = 50
SHOWN_SIMILAR = 10
KINDS = ("customers", "products", "interactions")


def add_parser(commands: Any) -> None:
    parser = commands.add_parser("import", help="ورود اطلاعات مشتریان، محصولات یا تعاملات از Excel یا CSV")
    parser.add_argument("file", type=Path, help="فایل ‎.xlsx‎ یا ‎.csv‎")
    parser.add_argument("--db", type=Path, help="مسیر پایگاه داده")
    parser.add_argument("--dry-run", action="store_true", help="فقط بررسی و گزارش؛ چیزی ثبت نمی‌شود")
    parser.add_argument("--mapping", type=Path, help="فایل JSON نگاشت ستون‌ها به فیلدها")
    parser.add_argument("--kind", choices=KINDS, help="نوع داده (پیش‌فرض: از روی عنوان ستون‌ها)")
    parser.add_argument("--encoding", default="auto", choices=("auto", "utf-8", "cp1256"),
                        help="کدگذاری فایل CSV (پیش‌فرض: تشخیص خودکار)")
    rows = parser.add_mutually_exclusive_group()
    rows.add_argument("--all-or-nothing", dest="all_or_nothing", action="store_true", default=True,
                      help="اگر حتی یک سطر رد شود هیچ سطری ثبت نشود (پیش‌فرض)")
    rows.add_argument("--valid-rows", dest="all_or_nothing", action="store_false",
                      help="سطرهای درست ثبت شوند و سطرهای ردشده کنار بروند")
    parser.add_argument("--user", help="نام کاربری (پیش‌فرض در پایگاه داده نمایشی: کاربر نمایشی)")
    parser.add_argument("--password-stdin", action="store_true", help="خواندن گذرواژه از ورودی استاندارد")
    parser.add_argument("--report", type=Path, help="گزارش سطرهای ردشده و مشتریان مشابه در فایل ‎.xlsx‎")


class _Progress:
    """Rows read so far on stderr, at most once a second."""

    def __init__(self) -> None:
        self._last = time.monotonic()
        self._shown = False

    def update(self, done: int, total: int | None = None, message: str = "") -> None:
        now = time.monotonic()
        if message and now - self._last > 1:
            self._last, self._shown = now, True
            print(f"\r{message}", end="", file=sys.stderr, flush=True)

    def check(self) -> None:
        return None

    def end(self) -> None:
        if self._shown:
            print(file=sys.stderr)


def cmd_import(args: argparse.Namespace, console: PasswordSource) -> int:
    from crm_desktop import config
    from crm_desktop.services.importing import (
        ImportKind,
        ImportOptions,
        ImportRefused,
        ImportSummary,
        load_mapping,
        write_report,
    )

    source = Path(args.file)
    if not source.is_file():
        raise CrmError(f"فایل «{source}» پیدا نشد.")
    if args.report is not None and args.report.suffix.lower() != ".xlsx":
        raise CrmError("گزارش سطرهای ردشده باید فایل ‎.xlsx‎ باشد.")
    kind = ImportKind(args.kind) if args.kind else None
    mapping: dict[str, str | None] = {}
    if args.mapping:
        saved_kind, mapping = load_mapping(args.mapping)
        kind = kind or saved_kind
    options = ImportOptions(kind=kind, mapping=mapping, encoding=args.encoding, all_or_nothing=args.all_or_nothing)
    path = Path(args.db) if args.db else config.default_db_path()
    signed_in = sign_in(path, args, console, why_user="ورود اطلاعات به نام یک کاربر و با دسترسی او انجام می‌شود")
    db, services, actor = signed_in.db, signed_in.services, signed_in.actor
    progress = _Progress()
    try:
        importer = services.imports
        summary: ImportSummary
        failed: str | None = None
        try:
            if args.dry_run:
                summary = importer.dry_run(actor, source, options, progress)
            else:
                summary = importer.run(actor, source, options, progress).value
        except ImportRefused as refused:
            summary, failed = refused.summary, refused.message
        finally:
            progress.end()
    finally:
        db.dispose()
    _print_summary(summary, dry_run=args.dry_run)
    if failed:
        print(failed)
    if args.report is not None:
        report = args.report.resolve()
        if not report.parent.is_dir():
            raise CrmError(f"پوشه «{report.parent}» نیست.")
        write_report(summary, report)
        print(f"گزارش سطرهای ردشده و مشتریان مشابه در «{report}» نوشته شد.")
    return EXIT_REFUSED if summary.refused_rows else EXIT_OK


def _print_summary(summary: Any, *, dry_run: bool) -> None:
    from crm_desktop.persian import format_number
    from crm_desktop.services.importing.readers import ENCODING_LABELS

    encoding = ENCODING_LABELS.get(summary.encoding, summary.encoding)
    print(f"فایل «{summary.file_name}» ({encoding})، {summary.kind.label}، سطر عنوان: "
          f"{format_number(summary.header_row)}{'، فقط بررسی (چیزی ثبت نشد)' if dry_run else ''}")
    ignored = [header for header, field in summary.mapping.items() if field is None]
    if ignored:
        print(f"ستون‌های کنارگذاشته (شناخته نشد): {'، '.join(f'«{h}»' for h in ignored)}")
    for note in summary.notes:
        print(f"توجه: {note}")
    print(summary.headline())
    for line in summary.refused[:SHOWN_REFUSALS]:
        column = f"ستون «{line.column}»" if line.column else "کل سطر"
        value = f" («{line.value[:60]}»)" if line.value else ""
        print(f"  سطر {format_number(line.row)}، {column}{value}: {line.reason}")
    if len(summary.refused) > SHOWN_REFUSALS:
        print(f"  … و {format_number(len(summary.refused) - SHOWN_REFUSALS)} مورد دیگر (همه در گزارش --report).")
    if summary.similar_rows:
        print(f"هشدار: {summary.similar_headline()}")
    for warning in summary.similar[:SHOWN_SIMILAR]:
        print(f"  سطر {format_number(warning.row)} («{warning.name}»، امتیاز {format_number(warning.score)}): "
              f"{warning.warning}")
    if summary.similar_rows > SHOWN_SIMILAR:
        print(f"  … و {format_number(summary.similar_rows - SHOWN_SIMILAR)} سطر دیگر (در گزارش --report، برگه "
              "«مشتریان مشابه»).")
