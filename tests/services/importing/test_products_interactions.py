"""Products held and interactions: rows found by the customer's ID, matched so that a re-import changes nothing."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

from crm_desktop.persian.validators import make_national_id
from crm_desktop.services.importing import ImportKind, ImportOptions, ImportService
from tests.conftest import World
from tests.services.importing.conftest import count, import_journal
from tests.services.importing.generator import write_csv, write_xlsx

OWN = make_national_id("001234567")  # the ``customer`` fixture, in the clerk's branch
THEIRS = make_national_id("007654321")  # the ``other_customer`` fixture, in the other branch


def test_products_are_created_then_updated_by_account_number(
        world: World, importer: ImportService, customer: str, other_customer: str, db_path: Path,
        tmp_path: Path) -> None:
    header = ["کد ملی", "نوع محصول", "شماره حساب", "تاریخ افتتاح", "وضعیت"]
    rows: list[list[Any]] = [
        [OWN, "حساب جاری", "۰۱۰۲۰۳۰۴۰۵", "۱۴۰۰/۰۱/۱۵", "فعال"],
        [OWN.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")), "سپرده مدت‌دار", "7788990011",
         datetime(2022, 3, 1), None],
        [OWN, "کارت بانکی", "12", "1401/01/01", None],  # account number too short
        [THEIRS, "وام", "5566778899", "1402/02/02", None],  # another branch's customer
        [make_national_id("005555555"), "وام", "5566778800", "1402/02/02", None],  # no such customer
    ]
    path = write_xlsx(tmp_path / "products.xlsx", header, rows)
    summary = importer.run(world.clerk, path, ImportOptions(all_or_nothing=False)).value
    assert summary.kind is ImportKind.PRODUCTS  # guessed from the headers
    assert (summary.to_create, summary.refused_rows) == (2, 3)
    reasons = {line.row: line.reason for line in summary.refused}
    assert "شماره حساب" in reasons[4] and "شعبه دیگری" in reasons[5] and "پیدا نشد" in reasons[6]
    with sqlite3.connect(db_path) as conn:
        products = dict(conn.execute("SELECT account_no, state FROM product WHERE customer_id = ?", (customer,)))
    assert products == {"0102030405": "active", "7788990011": "active"}
    assert import_journal(db_path, path.name) == 2

    update = write_csv(tmp_path / "states.csv", ["کد ملی", "نوع محصول", "شماره حساب", "وضعیت"],
                       [[OWN, "current", "0102030405", "مسدود"], [OWN, "term_deposit", "7788990011", "active"]])
    plan = importer.dry_run(world.clerk, update, ImportOptions(kind=ImportKind.PRODUCTS))
    assert (plan.to_update, plan.unchanged, plan.to_create) == (1, 1, 0)
    importer.run(world.clerk, update, ImportOptions(kind=ImportKind.PRODUCTS))
    assert count(db_path, "SELECT version FROM product WHERE account_no = '0102030405'") == 2
    assert count(db_path, "SELECT count(*) FROM product WHERE state = 'blocked'") == 1


def test_interactions_are_logged_once_in_tehran_time(world: World, importer: ImportService, customer: str,
                                                      db_path: Path, tmp_path: Path) -> None:
    header = ["کد ملی", "کانال", "جهت", "موضوع", "تاریخ و ساعت", "مدت", "نتیجه"]
    rows: list[list[Any]] = [
        [OWN, "تماس تلفنی", "ورودی", "پيگيري وام", "۱۴۰۵/۰۸/۱۲ ۱۰:۳۰", "۱۲", "پاسخ داده شد"],
        [OWN, "حضوری", "خروجی", "افتتاح حساب", "2026-11-01 09:00", None, None],
        [OWN, "فکس", "ورودی", "نامه", "1405/08/13", None, None],  # unknown channel
        [OWN, "sms", "outbound", "یادآوری", "1406/01/01", None, None],  # in the future
    ]
    path = write_xlsx(tmp_path / "calls.xlsx", header, rows)
    plan = importer.dry_run(world.clerk, path)
    assert plan.kind is ImportKind.INTERACTIONS and (plan.to_create, plan.refused_rows) == (2, 2)
    reasons = {line.row: (line.column, line.reason) for line in plan.refused}
    assert reasons[4] == ("کانال", "کانال ارتباطی نامعتبر است.") and "آینده" in reasons[5][1]
    importer.run(world.clerk, path, ImportOptions(all_or_nothing=False))
    with sqlite3.connect(db_path) as conn:
        logged = dict(conn.execute("SELECT subject, occurred_at FROM interaction WHERE customer_id = ?", (customer,)))
        users = {r[0] for r in conn.execute("SELECT user_id FROM interaction")}
    assert logged == {"پیگیری وام": "2026-11-03T07:00:00.000000Z", "افتتاح حساب": "2026-11-01T05:30:00.000000Z"}
    assert users == {world.clerk.user_id} and import_journal(db_path, path.name) == 2
    again = importer.dry_run(world.clerk, path)
    assert (again.unchanged, again.to_create) == (2, 0)
