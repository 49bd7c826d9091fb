"""The import wizard: mapping from Persian headers, the dry run's refusals, all-or-nothing vs valid rows, cancel,
saved mappings and the refusal report, and who may open it. Files are generated here, messy as branches send them."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QWizard

from crm_desktop.persian import ValidationError, format_number, validate_national_id
from crm_desktop.services.changes import Changes
from crm_desktop.services.importing.readers import ENCODING_LABELS
from crm_desktop.views.importing import ImportWizard, can_import, dialogs, open_import_wizard
from crm_desktop.views.importing.refusal_model import RefusalTableModel
from tests.gui.conftest import wait_idle
from tests.services.importing.conftest import customers, import_journal
from tests.services.importing.generator import customer_rows, write_csv, write_xlsx

BAD_NATIONAL_ID = "1234567890"  # ten digits, wrong check digit
NEXT = QWizard.WizardButton.NextButton


def has_persian(text: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in text)


def good_and_bad_csv(tmp_path: Path, good: int = 5) -> Path:
    """``good`` valid individual customers, then one row whose national ID fails its check digit (row good + 2)."""
    header, rows, _truth = customer_rows(good + 1, seed=11, corporate_share=0, excel_cells=False)
    rows[-1][4] = BAD_NATIONAL_ID
    return write_csv(tmp_path / "مشتریان شعبه.csv", header, rows)


def make_wizard(qtbot, ctx) -> ImportWizard:
    wizard = ImportWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def choose(qtbot, wizard: ImportWizard, path: Path) -> None:
    wizard.file_page.set_path(path)
    qtbot.waitUntil(wizard.file_page.isComplete, timeout=10000)


def go_next(qtbot, wizard: ImportWizard) -> None:
    qtbot.waitUntil(lambda: wizard.button(NEXT).isEnabled(), timeout=10000)
    wizard.next()


def to_dry_run(qtbot, wizard: ImportWizard, path: Path) -> None:
    choose(qtbot, wizard, path)
    go_next(qtbot, wizard)
    assert wizard.currentId() == ImportWizard.MAPPING
    go_next(qtbot, wizard)
    assert wizard.currentId() == ImportWizard.DRY_RUN
    qtbot.waitUntil(wizard.dry_run_page.isComplete, timeout=15000)


def run_import(qtbot, wizard: ImportWizard) -> None:
    page = wizard.import_page
    page.import_button.click()
    assert page.running
    qtbot.waitUntil(lambda: not page.running, timeout=15000)


def test_mapping_is_prefilled_from_persian_headers_with_arabic_letters(qtbot, ctx, tmp_path):
    header, rows, _truth = customer_rows(8, seed=5)
    path = write_xlsx(tmp_path / "branch.xlsx", header, rows)
    wizard = make_wizard(qtbot, ctx)
    choose(qtbot, wizard, path)
    page = wizard.file_page
    assert page.sample.rowCount() == 8 and page.sample.headerData(4, Qt.Orientation.Horizontal) == "كد ملي"
    assert ENCODING_LABELS["xlsx"] in page.status.text() and not page.encoding.isEnabled()
    go_next(qtbot, wizard)

    mapping = wizard.mapping_page
    # «كد ملي» and «نام خانوادگي» are typed with Arabic ي/ك: still recognised.
    assert mapping.field_header("national_id") == "كد ملي"
    assert mapping.field_header("last_name") == "نام خانوادگي"
    assert mapping.field_header("mobile") == "تلفن همراه"
    assert mapping.field_header("birth_date") == "تاريخ تولد"
    assert mapping.field_header("email") is None
    assert wizard.button(NEXT).isEnabled()

    # Without any identifying column the service's own check refuses, in Persian, and Next waits.
    for field in ("national_id", "company_id", "customer_no"):
        mapping.set_field_header(field, None)
    qtbot.waitUntil(lambda: not mapping.checking and bool(mapping.problems.text()), timeout=5000)
    assert "ستون‌های لازم" in mapping.problems.text() and not wizard.button(NEXT).isEnabled()
    assert "«كد ملي»" in mapping.ignored.text()

    # A column fills one field: giving «كد ملي» to the national ID again makes the file importable.
    mapping.set_field_header("customer_no", "كد ملي")
    mapping.set_field_header("national_id", "كد ملي")
    assert mapping.field_header("customer_no") is None
    qtbot.waitUntil(lambda: wizard.button(NEXT).isEnabled(), timeout=5000)
    assert not mapping.problems.text()


def test_bad_row_is_listed_with_its_persian_reason_and_all_or_nothing_writes_nothing(
        qtbot, ctx, world, tmp_path, monkeypatch):
    path = good_and_bad_csv(tmp_path)
    wizard = make_wizard(qtbot, ctx)
    to_dry_run(qtbot, wizard, path)
    page = wizard.dry_run_page
    figures = page.figures
    assert (figures.text("create"), figures.text("update"), figures.text("refused")) == ("۵", "۰", "۱")
    with pytest.raises(ValidationError) as expected:
        validate_national_id(BAD_NATIONAL_ID)
    model = page.refusals
    assert model.rowCount() == 1
    assert model.data(model.index(0, RefusalTableModel.ROW)) == "۷"  # the header is row 1
    assert model.data(model.index(0, RefusalTableModel.COLUMN)) == "كد ملي"
    assert model.data(model.index(0, RefusalTableModel.VALUE)) == BAD_NATIONAL_ID
    reason = model.data(model.index(0, RefusalTableModel.REASON))
    assert reason == expected.value.message and has_persian(reason)

    # The refusal report as Excel.
    target = tmp_path / "refused.xlsx"
    offered: list[Path] = []
    monkeypatch.setattr(dialogs, "ask_report_path", lambda _parent, _suggested: target)
    monkeypatch.setattr(dialogs, "offer_to_open", lambda _parent, path: offered.append(path))
    page.report_button.click()
    qtbot.waitUntil(lambda: offered == [target], timeout=10000)
    cells = [str(c) for row in load_workbook(target).active.iter_rows(values_only=True) for c in row if c]
    assert reason in cells and BAD_NATIONAL_ID in cells

    go_next(qtbot, wizard)
    assert wizard.currentId() == ImportWizard.IMPORT
    importing = wizard.import_page
    assert importing.all_or_nothing.isChecked()  # the default
    assert "۱" in importing.warning.text()  # told beforehand that this run will write nothing
    run_import(qtbot, wizard)
    assert "هیچ سطری ثبت نشد" in importing.error.text()
    assert customers(world.db.path) == 0 and import_journal(world.db.path, path.name) == 0
    assert not wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    assert importing.import_button.isEnabled()  # the user may switch to valid rows and try again


def test_valid_rows_imports_the_good_rows_and_tells_the_lists(qtbot, ctx, world, tmp_path):
    path = good_and_bad_csv(tmp_path, good=7)
    wizard = make_wizard(qtbot, ctx)
    to_dry_run(qtbot, wizard, path)
    go_next(qtbot, wizard)
    broadcasts: list[Changes] = []
    ctx.bus.changed.connect(broadcasts.append)
    notices: list[str] = []
    ctx.messages.info.connect(notices.append)
    imported: list[object] = []
    wizard.imported.connect(imported.append)
    page = wizard.import_page
    page.valid_rows.click()
    assert "۱" in page.warning.text()
    run_import(qtbot, wizard)

    assert customers(world.db.path) == 7
    assert import_journal(world.db.path, path.name) == 7  # each new customer journaled with the file as source
    assert (page.figures.text("create"), page.figures.text("update"), page.figures.text("unchanged")) == \
        ("۷", "۰", "۰")
    assert has_persian(page.result.text()) and "۷" in page.result.text() and not page.error.text()
    assert len(broadcasts) == 1 and len(broadcasts[0].customers) == 7
    assert notices and len(imported) == 1
    assert wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    assert not page.import_button.isEnabled()  # imported once; no second run by accident


def test_cancel_during_the_import_writes_nothing_and_esc_stops_before_closing(qtbot, ctx, world, tmp_path):
    header, rows, _truth = customer_rows(6000, seed=2, excel_cells=False)
    path = write_csv(tmp_path / "big.csv", header, rows)
    wizard = make_wizard(qtbot, ctx)
    to_dry_run(qtbot, wizard, path)
    go_next(qtbot, wizard)
    page = wizard.import_page
    page.import_button.click()
    assert page.running and page.strip.isVisible()
    wizard.reject()  # Esc: stops the import, the wizard stays open
    assert wizard.isVisible() and not page.strip.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: not page.running, timeout=20000)
    assert "لغو شد" in page.error.text() and "هیچ سطری ثبت نشد" in page.error.text()
    assert customers(world.db.path) == 0
    assert page.import_button.isEnabled()
    wizard.reject()  # nothing runs now: closes
    assert not wizard.isVisible()


def test_cancel_button_stops_the_dry_run(qtbot, ctx, tmp_path):
    header, rows, _truth = customer_rows(6000, seed=4, excel_cells=False)
    path = write_csv(tmp_path / "big.csv", header, rows)
    wizard = make_wizard(qtbot, ctx)
    choose(qtbot, wizard, path)
    go_next(qtbot, wizard)
    go_next(qtbot, wizard)
    page = wizard.dry_run_page
    assert page.running
    page.strip.cancel_button.click()
    qtbot.waitUntil(lambda: not page.running, timeout=20000)
    assert page.error.text() and page.figures.text("create") == "—" and not wizard.button(NEXT).isEnabled()
    page.again_button.click()
    qtbot.waitUntil(page.isComplete, timeout=20000)
    assert page.figures.text("create") == format_number(6000) and wizard.button(NEXT).isEnabled()


def test_unknown_headers_are_mapped_by_hand_saved_and_loaded_back(qtbot, ctx, tmp_path, monkeypatch):
    _header, rows, truth = customer_rows(4, seed=9, corporate_share=0, excel_cells=False)
    lines = [[t.first_name, t.last_name, t.national_id, r[7]] for t, r in zip(truth, rows, strict=True)]
    path = write_csv(tmp_path / "legacy.csv", ["Given", "Family", "Code", "Cell"], lines)
    wizard = make_wizard(qtbot, ctx)
    choose(qtbot, wizard, path)
    go_next(qtbot, wizard)
    mapping = wizard.mapping_page
    assert mapping.field_header("mobile") == "Cell"  # an English synonym
    assert mapping.field_header("national_id") is None and mapping.problems.text()  # «Code» means nothing yet
    assert not wizard.button(NEXT).isEnabled()
    for field, column in (("first_name", "Given"), ("last_name", "Family"), ("national_id", "Code")):
        mapping.set_field_header(field, column)
    qtbot.waitUntil(lambda: wizard.button(NEXT).isEnabled(), timeout=5000)
    saved = tmp_path / "mapping.json"
    monkeypatch.setattr(dialogs, "ask_mapping_to_save", lambda _parent, _suggested: saved)
    mapping.save_button.click()
    assert saved.is_file()

    for field in ("first_name", "last_name", "national_id"):
        mapping.set_field_header(field, None)
    qtbot.waitUntil(lambda: not mapping.checking and not wizard.button(NEXT).isEnabled(), timeout=5000)
    monkeypatch.setattr(dialogs, "ask_mapping_to_load", lambda _parent, _folder: saved)
    mapping.load_button.click()
    qtbot.waitUntil(lambda: mapping.field_header("first_name") == "Given", timeout=5000)
    assert mapping.field_header("last_name") == "Family" and mapping.field_header("national_id") == "Code"
    qtbot.waitUntil(lambda: wizard.button(NEXT).isEnabled(), timeout=5000)
    go_next(qtbot, wizard)
    qtbot.waitUntil(wizard.dry_run_page.isComplete, timeout=10000)
    assert wizard.dry_run_page.figures.text("create") == "۴"


def test_a_windows_1256_csv_is_detected_and_can_be_read_as_chosen(qtbot, ctx, tmp_path):
    header, rows, _truth = customer_rows(5, seed=6, excel_cells=False)
    path = write_csv(tmp_path / "old-system.csv", header, rows, encoding="cp1256")
    wizard = make_wizard(qtbot, ctx)
    choose(qtbot, wizard, path)
    page = wizard.file_page
    assert ENCODING_LABELS["cp1256"] in page.status.text() and page.encoding.isEnabled()
    page.encoding.setCurrentIndex(page.encoding.findData("utf-8"))  # wrong on purpose
    qtbot.waitUntil(lambda: not page.loading, timeout=5000)
    assert "UTF-8" in page.error.text() and has_persian(page.error.text()) and not wizard.button(NEXT).isEnabled()
    page.encoding.setCurrentIndex(page.encoding.findData("cp1256"))
    qtbot.waitUntil(page.isComplete, timeout=5000)
    assert page.sample.rowCount() == 5


def test_a_user_without_the_right_cannot_open_it_and_is_told_why(qtbot, make_ctx, world, shown):
    assert can_import(world.clerk) and can_import(world.manager)
    assert not can_import(world.auditor)
    assert open_import_wizard(make_ctx(world.auditor)) is None
    assert len(shown.texts) == 1 and "اجازه" in shown.texts[0] and has_persian(shown.texts[0])


def test_the_refusal_model_reveals_rows_page_by_page(qtmodeltester):
    from crm_desktop.services.importing import RefusedRow

    model = RefusalTableModel(chunk=3)
    model.set_refusals([RefusedRow(i + 2, "کد ملی" if i % 2 else "", str(i), "کد ملی نامعتبر است.") for i in range(10)])
    assert model.rowCount() == 3 and model.canFetchMore(QModelIndex())
    qtmodeltester.check(model)
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == 10
    assert model.data(model.index(9, RefusalTableModel.ROW)) == "۱۱"


def test_the_wizard_opens_for_a_clerk(qtbot, ctx):
    wizard = open_import_wizard(ctx)
    assert isinstance(wizard, ImportWizard)
    qtbot.addWidget(wizard)
    assert wizard.isVisible() and wizard.currentId() == ImportWizard.FILE
    assert not wizard.button(NEXT).isEnabled()  # no file yet
    wait_idle(qtbot, ctx)


def test_rows_like_stored_customers_are_listed_on_their_own_tab_and_still_imported(
        qtbot, ctx, world, tmp_path, monkeypatch):
    from crm_desktop.services.records import CustomerInput
    from crm_desktop.views.importing.similar_model import SimilarTableModel

    header, rows, truth = customer_rows(3, seed=12, corporate_share=0, excel_cells=False)
    stored = world.services.customers.create(world.clerk, CustomerInput(
        first_name=truth[1].first_name, last_name=truth[1].last_name, national_id="0013542419",
        mobile=truth[1].mobile, customer_no="7007")).value
    path = write_csv(tmp_path / "look-alike.csv", header, rows)
    wizard = make_wizard(qtbot, ctx)
    to_dry_run(qtbot, wizard, path)
    page = wizard.dry_run_page
    assert (page.figures.text("create"), page.figures.text("refused"), page.figures.text("similar")) == ("۳", "۰", "۱")
    assert page.tabs.currentWidget() is page.similar_view  # nothing refused: the warnings are shown
    assert "(۱)" in page.tabs.tabText(1) and "(۰)" in page.tabs.tabText(0)
    assert "۱" in page.headline.text()
    model = page.similar
    assert model.rowCount() == 1
    assert model.data(model.index(0, SimilarTableModel.ROW)) == "۳"  # the second data row
    assert model.data(model.index(0, SimilarTableModel.CUSTOMER)) == f"{stored.display_name} (۷۰۰۷)"
    assert model.data(model.index(0, SimilarTableModel.IDENTITY)) == "۰۰۱۳۵۴۲۴۱۹"
    assert "تلفن همراه یکسان" in model.data(model.index(0, SimilarTableModel.REASONS))

    target = tmp_path / "check.xlsx"  # the report holds the warnings even with no refusal
    offered: list[Path] = []
    monkeypatch.setattr(dialogs, "ask_report_path", lambda _parent, _suggested: target)
    monkeypatch.setattr(dialogs, "offer_to_open", lambda _parent, path: offered.append(path))
    assert page.report_button.isEnabled()
    page.report_button.click()
    qtbot.waitUntil(lambda: offered == [target], timeout=10000)
    assert load_workbook(target).sheetnames[1] == "مشتریان مشابه"

    go_next(qtbot, wizard)
    run_import(qtbot, wizard)
    assert customers(world.db.path) == 4  # a warning is not a refusal


def test_the_similar_model_reveals_rows_page_by_page(qtmodeltester):
    from crm_desktop.services.importing import SimilarRow
    from crm_desktop.views.importing.similar_model import SimilarTableModel

    model = SimilarTableModel(chunk=4)
    model.set_lines([SimilarRow(i + 2, "علی کریمی", f"id{i}", "", "علی‌رضا کریمی", "", 60 + i,
                                ("تلفن همراه یکسان", "نام‌ها شبیه‌اند"), "") for i in range(9)])
    assert model.rowCount() == 4 and model.columnCount() == 6
    qtmodeltester.check(model)
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == 9 and model.data(model.index(8, SimilarTableModel.SCORE)) == "۶۸"
    assert model.data(model.index(0, SimilarTableModel.CUSTOMER)) == "علی‌رضا کریمی"
    assert model.data(model.index(0, SimilarTableModel.REASONS)) == "تلفن همراه یکسان؛ نام‌ها شبیه‌اند"
