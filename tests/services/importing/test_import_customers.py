"""Customer import: messy files in, clean customers and journal entries out; dry run, modes, rights, cancel."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from crm_desktop.errors import Cancelled
from crm_desktop.persian.validators import make_national_id
from crm_desktop.progress import CancellableProgress
from crm_desktop.services.errors import PermissionDenied
from crm_desktop.services.importing import (
    ImportCancelled,
    ImportKind,
    ImportOptions,
    ImportRefused,
    ImportService,
    load_mapping,
    save_mapping,
    write_report,
)
from crm_desktop.services.importing import service as service_module
from crm_desktop.services.records import CustomerInput
from tests.conftest import World
from tests.services.importing.conftest import count, customers, import_journal
from tests.services.importing.generator import HEADER, customer_rows, write_csv, write_xlsx

VALID_ONLY = ImportOptions(all_or_nothing=False)


def stored(db_path: Path) -> dict[str, tuple[object, ...]]:
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute("SELECT national_id, company_id, first_name, last_name, company_name, mobile, birth_date,"
                            " customer_no, kind, version FROM customer").fetchall()
    return {r[0] or r[1]: r for r in rows}


def test_a_messy_workbook_is_dry_run_then_imported_with_clean_values_and_journal(
        world: World, importer: ImportService, db_path: Path, tmp_path: Path) -> None:
    header, rows, truth = customer_rows(120, seed=3)
    path = write_xlsx(tmp_path / "شعبه.xlsx", header, rows)

    plan = importer.dry_run(world.clerk, path)
    assert (plan.rows, plan.to_create, plan.to_update, plan.refused_rows) == (120, 120, 0, 0), plan.refused[:3]
    assert customers(db_path) == 0  # a dry run writes nothing

    done = importer.run(world.clerk, path).value
    assert done.written and done.to_create == 120
    saved = stored(db_path)
    for t in truth:
        row = saved[t.national_id or t.company_id or ""]
        assert row[2:9] == (t.first_name, t.last_name, t.company_name, t.mobile,
                            t.birth_date.isoformat() if t.birth_date else None, t.customer_no, t.kind)
    assert not any("ي" in str(r) or "ك" in str(r) for r in saved.values())  # Arabic letters became Persian
    assert import_journal(db_path, path.name) == 120
    assert count(db_path, "SELECT count(DISTINCT user_id) FROM change_journal WHERE source = ?",
                 f"import:{path.name}") == 1
    assert count(db_path, "SELECT count(*) FROM customer WHERE changed_by = ? AND branch_id = ?",
                 world.clerk.user_id, world.branch_id) == 120
    assert count(db_path, "SELECT count(*) FROM access_log WHERE action = 'import' AND user_id = ?",
                 world.clerk.user_id) == 1

    again = importer.dry_run(world.clerk, path)
    assert (again.to_create, again.to_update, again.unchanged) == (0, 0, 120)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1256"])
def test_csv_in_each_encoding_is_detected_and_imported(
        world: World, importer: ImportService, db_path: Path, tmp_path: Path, encoding: str) -> None:
    header, rows, truth = customer_rows(40, seed=11, excel_cells=False)
    path = write_csv(tmp_path / f"old-{encoding}.csv", header, rows, encoding=encoding,
                     delimiter=";" if encoding == "cp1256" else ",")
    summary = importer.run(world.clerk, path).value
    assert summary.encoding == encoding and summary.to_create == 40
    saved = stored(db_path)
    assert {t.national_id or t.company_id for t in truth} == set(saved)
    assert all(saved[t.national_id].__getitem__(3) == t.last_name for t in truth if t.national_id)


def test_an_update_changes_only_the_columns_in_the_file_and_bumps_the_version(
        world: World, importer: ImportService, db_path: Path, tmp_path: Path) -> None:
    nid = make_national_id("004455667")
    created = world.services.customers.create(world.clerk, CustomerInput(
        first_name="کیوان", last_name="یزدانی", national_id=nid, address="تهران، خیابان ولیعصر",
        mobile="09121111111")).value
    path = write_xlsx(tmp_path / "mobiles.xlsx", ["کد ملی", "موبایل", "نام"],
                      [[nid, "۰۹۳۵۲۲۲۳۳۴۴", "كيوان"]])
    plan = importer.dry_run(world.clerk, path)
    assert (plan.to_create, plan.to_update, plan.unchanged) == (0, 1, 0)
    importer.run(world.clerk, path)
    with sqlite3.connect(db_path) as conn:
        mobile, address, version = conn.execute(
            "SELECT mobile, address, version FROM customer WHERE id = ?", (created.id,)).fetchone()
        changed = conn.execute("SELECT kind, changed FROM change_journal WHERE source = ?",
                               (f"import:{path.name}",)).fetchall()
    assert (mobile, address, version) == ("09352223344", "تهران، خیابان ولیعصر", created.version + 1)
    assert len(changed) == 1 and changed[0][0] == "update"
    assert set(json.loads(changed[0][1])) == {"mobile"}  # «كيوان» is the same name once letters are Persian


def test_refused_rows_name_the_excel_row_the_column_and_a_persian_reason(
        world: World, importer: ImportService, db_path: Path, tmp_path: Path) -> None:
    header, rows, _ = customer_rows(6, seed=5, corporate_share=0)
    rows[1][4] = "1234567890"  # wrong check digit
    rows[2][8] = "۱۴۱۰/۰۱/۰۱"  # born in the future
    rows[3][2] = None  # no last name
    rows[5][4] = rows[0][4]  # the same person twice
    path = write_xlsx(tmp_path / "bad.xlsx", header, rows)
    plan = importer.dry_run(world.clerk, path)
    assert (plan.to_create, plan.refused_rows) == (2, 4)
    by_row = {line.row: line for line in plan.refused}
    assert set(by_row) == {3, 4, 5, 7}  # Excel rows: the header is row 1
    assert by_row[3].column == "كد ملي" and by_row[3].value == "1234567890"
    assert by_row[4].column == "تاريخ تولد" and "آینده" in by_row[4].reason
    assert by_row[5].column == "نام خانوادگي" and "نام خانوادگی" in by_row[5].reason
    assert "سطر ۲" in by_row[7].reason

    with pytest.raises(ImportRefused) as refused:
        importer.run(world.clerk, path)  # all or nothing
    assert refused.value.summary.refused_rows == 4 and "هیچ سطری ثبت نشد" in refused.value.message
    assert customers(db_path) == 0 and import_journal(db_path, path.name) == 0

    report = write_report(plan, tmp_path / "report.xlsx")
    assert report == 4
    sheet = load_workbook(tmp_path / "report.xlsx", read_only=True).worksheets[0]
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert "كد ملي" in cells and any(isinstance(c, str) and "آینده" in c for c in cells)

    summary = importer.run(world.clerk, path, VALID_ONLY).value
    assert (summary.to_create, summary.refused_rows) == (2, 4) and customers(db_path) == 2


def test_rights_clerk_own_branch_auditor_none(world: World, importer: ImportService, other_customer: str,
                                              db_path: Path, tmp_path: Path) -> None:
    header, rows, _ = customer_rows(3, seed=9, corporate_share=0)
    path = write_xlsx(tmp_path / "c.xlsx", header, rows)
    with pytest.raises(PermissionDenied):
        importer.dry_run(world.auditor, path)
    with pytest.raises(PermissionDenied):
        importer.run(world.clerk, path, ImportOptions(branch_id=world.other_branch_id))
    theirs = write_xlsx(tmp_path / "theirs.xlsx", ["کد ملی", "تلفن همراه"], [[make_national_id("007654321"),
                                                                             "09123334455"]])
    plan = importer.dry_run(world.clerk, theirs)
    assert plan.refused_rows == 1 and "شعبه دیگری" in plan.refused[0].reason
    assert importer.dry_run(world.admin, theirs).to_update == 1  # the administrator sees every branch
    assert customers(db_path) == 1


def test_cancel_rolls_back_all_or_nothing_and_keeps_committed_batches_otherwise(
        world: World, importer: ImportService, db_path: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(service_module, "BATCH_ROWS", 10)
    header, rows, _ = customer_rows(35, seed=21)
    path = write_xlsx(tmp_path / "big.xlsx", header, rows)

    class CancelAfter(CancellableProgress):
        def update(self, done: int, total: int | None = None, message: str = "") -> None:
            super().update(done, total, message)
            if done >= 20:
                self.cancel()

    with pytest.raises(ImportCancelled) as stopped:
        importer.run(world.clerk, path, progress=CancelAfter())
    assert isinstance(stopped.value, Cancelled) and "هیچ سطری ثبت نشد" in stopped.value.message
    assert customers(db_path) == 0
    with pytest.raises(ImportCancelled) as partly:
        importer.run(world.clerk, path, VALID_ONLY, progress=CancelAfter())
    written = customers(db_path)
    assert 10 <= written < 35 and partly.value.summary.to_create == written
    assert import_journal(db_path, path.name) == written


def test_a_users_mapping_is_used_saved_and_loaded(world: World, importer: ImportService, db_path: Path,
                                                  tmp_path: Path) -> None:
    nid = make_national_id("001122334")
    path = write_csv(tmp_path / "legacy.csv", ["COL_A", "COL_B", "COL_C", "ignored"],
                     [[nid, "مينا", "كاظمي", "x"]])
    mapping = {"COL_A": "national_id", "COL_B": "first_name", "COL_C": "last_name", "ignored": None}
    preview = importer.preview(path, ImportOptions(mapping=mapping))
    assert preview.kind is ImportKind.CUSTOMERS and preview.mapping["COL_B"] == "first_name"
    save_mapping(tmp_path / "map.json", ImportKind.CUSTOMERS, mapping)
    kind, loaded = load_mapping(tmp_path / "map.json")
    assert kind is ImportKind.CUSTOMERS and loaded == mapping
    importer.run(world.clerk, path, ImportOptions(mapping=loaded))
    assert stored(db_path)[nid][2:4] == ("مینا", "کاظمی")


def test_preview_guesses_headers_and_skips_a_title_row(importer: ImportService, tmp_path: Path) -> None:
    header, rows, _ = customer_rows(5, seed=2)
    path = write_xlsx(tmp_path / "titled.xlsx", header, rows, above=[["فهرست مشتریان شعبه مرکزی"], []])
    preview = importer.preview(path)
    assert preview.header_row == 3 and preview.headers[:3] == HEADER[:3]
    assert preview.mapping["كد ملي"] == "national_id" and preview.mapping["تاريخ تولد"] == "birth_date"
    assert len(preview.sample) == 5 and any("سطر عنوان" in note for note in preview.notes)


def test_dates_in_every_form_give_the_same_day(world: World, importer: ImportService, db_path: Path,
                                               tmp_path: Path) -> None:
    from datetime import datetime

    forms = ["۱۳۶۵/۰۴/۱۲", "1365-4-12", "1986-07-03", datetime(1986, 7, 3), 31596, "31596", "1986/07/03 00:00:00"]
    rows = [[make_national_id(f"00{i}112233"), "سارا", "رحیمی", form] for i, form in enumerate(forms)]
    rows.append([make_national_id("009112233"), "سارا", "رحیمی", "03/07/1986"])  # day first: ambiguous, refused
    path = write_xlsx(tmp_path / "dates.xlsx", ["کد ملی", "نام", "نام خانوادگی", "تاریخ تولد"], rows)
    summary = importer.run(world.clerk, path, VALID_ONLY).value
    with sqlite3.connect(db_path) as conn:
        days = {r[0] for r in conn.execute("SELECT birth_date FROM customer")}
    assert days == {date(1986, 7, 3).isoformat()} and customers(db_path) == len(forms)
    assert [(r.row, r.column) for r in summary.refused] == [(len(forms) + 2, "تاریخ تولد")]
    assert "سال چهاررقمی" in summary.refused[0].reason


def test_a_merged_record_is_not_updated_behind_its_survivor(world: World, importer: ImportService, db_path: Path,
                                                             tmp_path: Path) -> None:
    from sqlalchemy import text

    from crm_desktop.db import WriteContext

    survivor = world.services.customers.create(world.clerk, CustomerInput(
        first_name="رضا", last_name="نیکو", national_id=make_national_id("003300330"))).value.id
    merged_nid = make_national_id("004400440")
    merged = world.services.customers.create(world.clerk, CustomerInput(
        first_name="رضا", last_name="نیکو", national_id=merged_nid)).value.id
    with world.db.write(WriteContext(user_id=world.manager.user_id, source="merge")) as session:
        session.execute(text("UPDATE customer SET merged_into = :s, version = version + 1 WHERE id = :m"),
                        {"s": survivor, "m": merged})
    path = write_xlsx(tmp_path / "late.xlsx", ["کد ملی", "تلفن همراه"], [[merged_nid, "09120000000"]])
    plan = importer.dry_run(world.clerk, path)
    assert plan.refused_rows == 1 and "ادغام" in plan.refused[0].reason


def test_preview_lists_problems_the_user_can_fix_in_the_mapping(importer: ImportService, tmp_path: Path) -> None:
    nid = make_national_id("001122334")
    path = write_xlsx(tmp_path / "odd.xlsx", ["شماره", "اسم", "فامیلی"], [[nid, "علی", "کریمی"]])
    preview = importer.preview(path)
    assert preview.problems and "سطر عنوان" in preview.problems[0] and preview.headers == ("شماره", "اسم", "فامیلی")
    assert preview.mapping == {"شماره": None, "اسم": None, "فامیلی": "last_name"}
    fixed = importer.preview(path, ImportOptions(mapping={"شماره": "national_id", "اسم": "first_name"}))
    assert fixed.problems == () and fixed.mapping["شماره"] == "national_id"
