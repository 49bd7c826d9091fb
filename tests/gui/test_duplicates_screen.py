"""The duplicates screen: a scan off the UI thread, the side-by-side comparison, "not a duplicate", and merge."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt

from crm_desktop.persian.validators import make_national_id
from crm_desktop.services.errors import PermissionDenied
from crm_desktop.services.records import CustomerInput
from crm_desktop.views.duplicates import section as section_module
from crm_desktop.views.duplicates.comparison_model import ComparisonModel
from crm_desktop.views.duplicates.group_model import DuplicateGroupModel
from crm_desktop.views.duplicates.section import DuplicatesSection
from tests.gui.conftest import wait_idle

# One person typed three ways: Arabic ي/ك, a ZWNJ, a space; the same mobile in Latin, Persian and Arabic digits.
PEOPLE = (("علی‌رضا", "كريمي", "09121234567"), ("عليرضا", "کریمی", "۰۹۱۲۱۲۳۴۵۶۷"), ("علی رضا", "کریمی", "٠٩١٢١٢٣٤٥٦٧"))


def plant(world) -> list[str]:
    ids = []
    for number, (first, last, mobile) in enumerate(PEOPLE, start=1):
        data = CustomerInput(first_name=first, last_name=last, mobile=mobile,
                             national_id=make_national_id(f"00{number}234567"))
        ids.append(world.services.customers.create(world.clerk, data).value.id)
    return ids


def make_section(qtbot, ctx) -> DuplicatesSection:
    page = DuplicatesSection(ctx)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    page.activated()
    wait_idle(qtbot, ctx)
    return page


def scan(qtbot, page: DuplicatesSection) -> None:
    page.bar.find_button.click()
    qtbot.waitUntil(lambda: not page.bar.running, timeout=10000)


def row_of(model: ComparisonModel, field: str) -> int:
    return next(r for r in range(model.rowCount()) if model.field_at(r) == field)


def test_scan_from_the_screen_shows_the_group_with_its_differences_highlighted(qtbot, make_ctx, world):
    ids = plant(world)
    page = make_section(qtbot, make_ctx(world.clerk))
    assert page.groups.rowCount() == 0 and not page.dismiss_button.isEnabled()
    scan(qtbot, page)
    assert page.groups.rowCount() == 1
    group = page.selected_group()
    assert group is not None and set(group.ids) == set(ids)
    assert page.groups.data(page.groups.index(0, DuplicateGroupModel.COUNT)) == "۳"
    assert "تلفن همراه یکسان" in page.groups.data(page.groups.index(0, DuplicateGroupModel.REASONS))
    assert "۱" in page.bar.status.text() and "3" not in page.bar.status.text()  # Persian digits for people
    assert not page.bar.progress_bar.isVisible() and page.bar.find_button.isEnabled()

    model = page.comparison
    assert model.columnCount() == 3
    background = Qt.ItemDataRole.BackgroundRole
    first, mobile, last = row_of(model, "first_name"), row_of(model, "mobile"), row_of(model, "last_name")
    assert model.differs(first) and model.data(model.index(first, 0), background) is not None
    # Stored cleaned: the three ways of writing the mobile and the last name are one value, not highlighted.
    assert not model.differs(mobile) and model.data(model.index(mobile, 1), background) is None
    assert not model.differs(last)
    assert model.data(model.index(mobile, 2)) == "۰۹۱۲۱۲۳۴۵۶۷"
    assert {"first_name", "national_id"} <= set(model.differing_fields())


def test_not_a_duplicate_is_confirmed_and_remembered_on_the_next_scan(qtbot, make_ctx, world, monkeypatch):
    plant(world)
    ctx = make_ctx(world.clerk)
    page = make_section(qtbot, ctx)
    scan(qtbot, page)
    answers = [False, True]
    asked: list[str] = []

    def fake_confirm(_parent, _title, text):
        asked.append(text)
        return answers.pop(0)

    monkeypatch.setattr(section_module, "confirm", fake_confirm)
    page.dismiss_button.click()  # "no": nothing is written
    wait_idle(qtbot, ctx)
    assert page.groups.rowCount() == 1
    page.dismiss_button.click()
    qtbot.waitUntil(lambda: page.groups.rowCount() == 0)
    assert "علیرضا کریمی" in asked[0]
    assert page.comparison.columnCount() == 0 and not page.dismiss_button.isEnabled()
    scan(qtbot, page)
    assert page.groups.rowCount() == 0
    with world.db.read_raw() as conn:
        assert conn.execute("SELECT count(*) FROM duplicate_dismissal WHERE deleted_at IS NULL").fetchone()[0] == 3


def test_manager_merges_the_group_into_one_live_customer(qtbot, make_ctx, world):
    ids = plant(world)
    ctx = make_ctx(world.manager)
    page = make_section(qtbot, ctx)
    scan(qtbot, page)
    assert page.merge_button.isVisible()
    page.merge_button.click()
    qtbot.waitUntil(lambda: page.merge_dialog is not None and page.merge_dialog.isVisible())
    dialog = page.merge_dialog
    assert dialog is not None
    assert dialog.survivor_id == dialog.preview.suggested_survivor
    assert "mobile" not in dialog.choices  # the same everywhere: nothing to choose
    names = dialog.choices["first_name"]
    suggested = dialog.preview.suggested_choices(dialog.survivor_id)["first_name"]
    assert suggested in dialog.preview.fields[0].options[names.currentIndex()].customer_ids
    survivor = ids[2]
    dialog.survivor.setCurrentIndex(dialog.survivor.findData(survivor))
    assert "علی رضا" in names.currentText()  # the new survivor's own value is preselected
    names.setCurrentIndex(next(i for i in range(names.count()) if "علیرضا" in names.itemText(i)))
    dialog.note.setText("یک نفر با سه پرونده")
    with qtbot.waitSignal(dialog.merged, timeout=10000):
        dialog.merge_button.click()
    wait_idle(qtbot, ctx)
    assert page.groups.rowCount() == 0 and not dialog.isVisible()
    with world.db.read_raw() as conn:
        live = conn.execute("SELECT id, first_name FROM customer WHERE deleted_at IS NULL").fetchall()
        assert live == [(survivor, "علیرضا")]
        pointers = conn.execute("SELECT merged_into FROM customer WHERE id IN (?, ?)", ids[:2]).fetchall()
        assert pointers == [(survivor,), (survivor,)]
    scan(qtbot, page)
    assert page.groups.rowCount() == 0


def test_a_clerk_does_not_see_merge_and_the_service_refuses_anyway(qtbot, make_ctx, world):
    ids = plant(world)
    page = make_section(qtbot, make_ctx(world.clerk))
    scan(qtbot, page)
    assert page.dismiss_button.isVisible() and not page.merge_button.isVisible()
    with pytest.raises(PermissionDenied):
        world.services.merge.merge(world.clerk, ids[0], ids)


def test_an_administrator_chooses_the_branch_and_cancels_a_long_scan(qtbot, make_ctx, world, monkeypatch, shown):
    started = threading.Event()

    def slow_scan(actor, branch_code=None, min_score=50, progress=None):
        progress.update(1, 1000)
        started.set()
        while True:
            progress.check()
            threading.Event().wait(0.01)

    monkeypatch.setattr(world.services.duplicates, "scan", slow_scan)
    page = make_section(qtbot, make_ctx(world.admin))
    assert page.bar.branch.count() == 3 and page.bar.branch.isEnabled()  # all branches, then each branch
    page.bar.find_button.click()
    assert page.bar.running and not page.bar.find_button.isEnabled()
    qtbot.waitUntil(started.is_set)
    qtbot.waitUntil(lambda: page.bar.progress_bar.maximum() == 1000)
    assert "۱۰۰۰" in page.bar.progress_bar.text() or "۱٬۰۰۰" in page.bar.progress_bar.text()
    page.bar.cancel_button.click()
    qtbot.waitUntil(lambda: not page.bar.running, timeout=5000)
    assert shown.boxes == []  # cancelling is silent
    assert page.bar.find_button.isEnabled()


def test_the_models_pass_the_model_tester(qtbot, make_ctx, world, qtmodeltester):
    plant(world)
    page = make_section(qtbot, make_ctx(world.clerk))
    scan(qtbot, page)
    qtmodeltester.check(page.groups)
    qtmodeltester.check(page.comparison)
