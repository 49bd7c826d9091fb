"""Import rows that look like stored customers: warned (with the match and Persian reasons), still created."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from crm_desktop.persian.validators import make_national_id
from crm_desktop.services.duplicates.similar import find_similar
from crm_desktop.services.importing import ImportOptions, ImportService, write_report
from crm_desktop.services.importing import plan as plan_module
from crm_desktop.services.importing import similar as similar_module
from crm_desktop.services.importing.plan import Action, Decision
from crm_desktop.services.importing.report import SIMILAR_SHEET
from crm_desktop.services.records import CustomerInput
from tests.conftest import World
from tests.services.importing.conftest import customers
from tests.services.importing.generator import HEADER, customer_rows, write_xlsx

STORED_NID = make_national_id("123456781")
FILE_NID = make_national_id("987654329")
OTHER_NID = make_national_id("555000111")


def _row(first: str, last: str, nid: str, mobile: str) -> list[Any]:
    return ["حقیقی", first, last, None, nid, None, None, mobile, None, None, None, None]


@pytest.fixture
def karimi(world: World) -> str:
    created = world.services.customers.create(world.clerk, CustomerInput(
        first_name="علی‌رضا", last_name="كريمي", national_id=STORED_NID, mobile="09121234567",
        customer_no="5001"))
    return created.value.id


def test_a_look_alike_row_is_warned_with_persian_reasons_and_still_created(
        world: World, importer: ImportService, karimi: str, db_path: Path, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "شعبه.xlsx", HEADER, [
        _row("عليرضا", "کریمی", FILE_NID, "۰۹۱۲۱۲۳۴۵۶۷"),  # Arabic ي, no ZWNJ, Persian digits: the same person?
        _row("پریسا", "گودرزی", OTHER_NID, "09350001122"),  # unlike anyone
    ])

    plan = importer.dry_run(world.clerk, path)
    assert (plan.to_create, plan.refused_rows, plan.similar_rows) == (2, 0, 1)
    [warning] = plan.similar
    assert warning.row == 2 and warning.name == "علیرضا کریمی"
    assert (warning.customer_id, warning.customer_no, warning.identity) == (karimi, "5001", STORED_NID)
    assert warning.customer_name == "علی‌رضا کریمی"
    assert "تلفن همراه یکسان (۰۹۱۲۱۲۳۴۵۶۷)" in warning.reasons
    assert "نام‌ها پس از یکسان‌سازی نویسه‌ها برابرند" in warning.reasons
    # The same person as the form's warning sees it (the differing national IDs count against).
    [form] = world.services.duplicates.similar(world.clerk, {"first_name": "عليرضا", "last_name": "کریمی",
                                                              "national_id": FILE_NID, "mobile": "۰۹۱۲۱۲۳۴۵۶۷"})
    assert (form.record.id, form.score, form.warning()) == (karimi, warning.score, warning.warning)
    assert warning.warning.startswith("احتمال تکراری بودن با «علی‌رضا کریمی»")
    assert "۱ سطر به مشتریانی که پیش‌تر ثبت شده‌اند شبیه است" in plan.similar_headline()

    done = importer.run(world.clerk, path).value
    assert done.to_create == 2 and customers(db_path) == 3  # a warning, not a refusal
    assert [(w.row, w.customer_id, w.reasons) for w in done.similar] == [(2, karimi, warning.reasons)]
    assert "مشتری جدید" in done.similar_headline()


def test_the_report_has_a_second_sheet_of_similar_customers(
        world: World, importer: ImportService, karimi: str, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "in.xlsx", HEADER, [_row("عليرضا", "کریمی", FILE_NID, "9121234567"),
                                                     _row("پریسا", "گودرزی", "12", "09350001122")])
    plan = importer.dry_run(world.clerk, path)
    assert (plan.refused_rows, plan.similar_rows) == (1, 1)
    assert write_report(plan, tmp_path / "report.xlsx") == 2
    book = load_workbook(tmp_path / "report.xlsx", read_only=True)
    assert book.sheetnames[1] == SIMILAR_SHEET
    rows = [r for r in book.worksheets[1].iter_rows(values_only=True) if any(c is not None for c in r)]
    header = next(i for i, r in enumerate(rows) if r[0] == "ردیف")
    assert rows[header][:3] == ("ردیف", "نام در فایل", "مشتری موجود")
    [line] = rows[header + 1:]
    assert line[:5] == (2, "علیرضا کریمی", "علی‌رضا کریمی", "۵۰۰۱", plan.similar[0].identity.translate(
        str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")))
    assert line[5] == plan.similar[0].score and "تلفن همراه یکسان" in str(line[6])
    first = [c for r in book.worksheets[0].iter_rows(values_only=True) for c in r if c is not None]
    assert "12" in first  # the refusals stay on the first sheet


def test_rows_of_the_same_file_are_not_compared_with_each_other(
        world: World, importer: ImportService, db_path: Path, tmp_path: Path) -> None:
    """Only customers stored before the import count, so that the import warns as its dry run did."""
    path = write_xlsx(tmp_path / "twins.xlsx", HEADER, [_row("علی", "کریمی", FILE_NID, "09121234567"),
                                                        _row("علی", "کریمی", OTHER_NID, "09121234567")])
    assert importer.dry_run(world.clerk, path).similar_rows == 0
    assert importer.run(world.clerk, path).value.similar_rows == 0 and customers(db_path) == 2
    again = importer.dry_run(world.clerk, path)  # now they are stored: matched by ID, nothing to create
    assert (again.unchanged, again.similar_rows) == (2, 0)


@pytest.mark.parametrize("all_or_nothing", [True, False])
def test_batched_warnings_match_the_forms_find_similar_row_by_row(
        world: World, importer: ImportService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        all_or_nothing: bool) -> None:
    """The batch check (IN queries, cached last-name groups, score bound) warns exactly as ``find_similar``."""
    header, stored, _ = customer_rows(150, seed=21)
    importer.run(world.clerk, write_xlsx(tmp_path / "stored.xlsx", header, stored))
    # Same seed, other IDs: the same names, mobiles and birth dates as the stored customers; then strangers.
    _, twins, _ = customer_rows(60, seed=21, start=5000)
    _, strangers, _ = customer_rows(60, seed=22, start=9000)
    for i in range(0, 60, 3):
        twins[i][7] = f"0990{i + 1234567:07d}"  # namesakes born the same day, on another mobile
    path = write_xlsx(tmp_path / "new.xlsx", header, twins + strangers)
    monkeypatch.setattr(similar_module, "QUERY_CHUNK", 7)  # several IN chunks per batch
    monkeypatch.setattr(plan_module, "MAX_SIMILAR_KEPT", 25)

    expected: dict[int, tuple[str, int, tuple[str, ...]]] = {}
    check = similar_module.SimilarityCheck.check

    def spy(self: similar_module.SimilarityCheck, conn: sqlite3.Connection,
            decisions: list[Decision]) -> list[similar_module.SimilarRow]:
        for d in decisions:
            if d.action is Action.CREATE:
                found = find_similar(conn, d.values, limit=1)
                if found:
                    expected[d.row] = (found[0].record.id, found[0].score, found[0].reasons)
        return check(self, conn, decisions)

    monkeypatch.setattr(similar_module.SimilarityCheck, "check", spy)
    monkeypatch.setattr("crm_desktop.services.importing.service.BATCH_ROWS", 40)
    plan = importer.dry_run(world.clerk, path)
    assert plan.to_create == 120 and len(expected) >= 40
    assert any(not any("تلفن همراه" in r for r in reasons) for _, _, reasons in expected.values())
    assert plan.similar_rows == len(expected) and len(plan.similar) == 25  # all counted, the first 25 kept
    assert {w.row: (w.customer_id, w.score, w.reasons) for w in plan.similar} == {
        row: expected[row] for row in sorted(expected)[:25]}
    expected.clear()
    done = importer.run(world.clerk, path, ImportOptions(all_or_nothing=all_or_nothing)).value
    assert done.to_create == 120 and done.similar_rows == plan.similar_rows
    assert [(w.row, w.customer_id) for w in done.similar] == [(w.row, w.customer_id) for w in plan.similar]
