"""The duplicates screen's second tab, past merges: the list (when in Jalali, who, into whom, how many, undone or
not), undo for managers with confirmation and a note, the Persian reason when an undo is refused, and the list
refreshing after an undo or a new merge."""

from __future__ import annotations

import json

from crm_desktop.persian import format_jalali_datetime
from crm_desktop.persian.validators import make_national_id
from crm_desktop.services.changes import Changes
from crm_desktop.services.records import CustomerInput
from crm_desktop.views.duplicates import merges_view
from crm_desktop.views.duplicates.merges_model import MergesModel
from crm_desktop.views.duplicates.section import DuplicatesSection
from tests.gui.conftest import wait_idle
from tests.gui.test_duplicates_screen import plant


def merges_tab(qtbot, ctx) -> DuplicatesSection:
    page = DuplicatesSection(ctx)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    page.activated()
    page.show_merges()
    wait_idle(qtbot, ctx)
    assert page.merges is not None and page.merges.isVisible()
    return page


def cell(page: DuplicatesSection, row: int, column: int) -> str:
    assert page.merges is not None
    model = page.merges.model
    return str(model.data(model.index(row, column)))


class Answer:
    """Stands in for the undo confirmation: records the merges asked about, answers with ``note`` (None: no)."""

    def __init__(self, note: str | None) -> None:
        self.note = note
        self.asked: list[str] = []

    def __call__(self, _parent, merge) -> str | None:
        self.asked.append(merge.tx_id)
        return self.note


def test_the_list_says_when_who_into_whom_how_many_and_a_manager_undoes_with_a_note(
        qtbot, make_ctx, world, monkeypatch, shown):
    a, b, c = plant(world)
    outcome = world.services.merge.merge(world.manager, a, [a, b, c], note="یک نفر با سه پرونده")
    ctx = make_ctx(world.manager)
    page = merges_tab(qtbot, ctx)
    view = page.merges
    assert view is not None
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)
    survivor = outcome.value.survivor.display_name
    when = cell(page, 0, MergesModel.WHEN)  # the journal's time of the merge, in Jalali with Persian digits
    assert when == format_jalali_datetime(view.model.merge_at(0).at) and when.startswith("۱۴")
    assert not any(ch.isascii() and ch.isdigit() for ch in when)
    assert cell(page, 0, MergesModel.USER) == "رضا رئیسی"
    assert cell(page, 0, MergesModel.SURVIVOR) == survivor
    assert cell(page, 0, MergesModel.COUNT) == "۲"
    tip = str(view.model.data(view.model.index(0, 0), 3))  # ToolTipRole: the merged names and the note
    assert "یک نفر با سه پرونده" in tip
    assert view.undo_button.isVisible() and view.undo_button.isEnabled()
    in_effect = cell(page, 0, MergesModel.STATUS)

    answer = Answer("ادغام اشتباه بود")
    monkeypatch.setattr(merges_view, "ask_undo", answer)
    view.undo_button.click()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1 and view.model.merge_at(0).undone, timeout=10_000)
    wait_idle(qtbot, ctx)
    assert answer.asked == [outcome.value.tx_id] and shown.texts == []
    assert cell(page, 0, MergesModel.STATUS) != in_effect
    undone_at = view.model.merge_at(0).undone_at
    assert undone_at is not None and format_jalali_datetime(undone_at) in cell(page, 0, MergesModel.STATUS)
    assert not view.undo_button.isEnabled()  # an undone merge is not undone twice
    with world.db.read_raw() as conn:
        assert conn.execute("SELECT count(*) FROM customer WHERE deleted_at IS NULL").fetchone()[0] == 3
        [(detail,)] = conn.execute("SELECT detail FROM access_log WHERE action = 'undo_merge'").fetchall()
    assert json.loads(detail)["note"] == "ادغام اشتباه بود"


def test_a_refused_undo_shows_the_persian_reason_and_changes_nothing(qtbot, make_ctx, world, monkeypatch, shown):
    a, b, _c = plant(world)
    outcome = world.services.merge.merge(world.manager, a, [a, b], {"national_id": b})
    s = outcome.value.survivor
    world.services.customers.edit(world.clerk, a, CustomerInput(  # a value the merge gave it is edited since
        first_name=s.first_name, last_name=s.last_name, national_id=make_national_id("005554443")))
    ctx = make_ctx(world.manager)
    page = merges_tab(qtbot, ctx)
    view = page.merges
    assert view is not None
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)
    monkeypatch.setattr(merges_view, "ask_undo", Answer(""))
    view.undo_button.click()
    qtbot.waitUntil(lambda: len(shown.texts) == 1, timeout=10_000)
    wait_idle(qtbot, ctx)
    assert "تغییر کرده‌اند" in shown.texts[0] and "کد ملی" in shown.texts[0]
    assert not view.model.merge_at(0).undone and view.undo_button.isEnabled()
    with world.db.read_raw() as conn:
        assert conn.execute("SELECT count(*) FROM customer WHERE deleted_at IS NULL").fetchone()[0] == 2


def test_saying_no_writes_nothing(qtbot, make_ctx, world, monkeypatch, shown):
    a, b, _c = plant(world)
    world.services.merge.merge(world.manager, a, [a, b])
    ctx = make_ctx(world.admin)
    page = merges_tab(qtbot, ctx)
    view = page.merges
    assert view is not None
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)
    answer = Answer(None)
    monkeypatch.setattr(merges_view, "ask_undo", answer)
    view.undo_button.click()
    wait_idle(qtbot, ctx)
    assert len(answer.asked) == 1 and not view.model.merge_at(0).undone and shown.texts == []
    with world.db.read_raw() as conn:
        assert conn.execute("SELECT count(*) FROM access_log WHERE action = 'undo_merge'").fetchone()[0] == 0


def test_a_merge_made_on_the_groups_tab_appears_in_the_list(qtbot, make_ctx, world):
    plant(world)
    ctx = make_ctx(world.manager)
    page = merges_tab(qtbot, ctx)
    view = page.merges
    assert view is not None
    assert view.model.rowCount() == 0 and view.status.text()  # «No merges yet.»
    page.tabs.setCurrentIndex(0)
    page.bar.find_button.click()
    qtbot.waitUntil(lambda: not page.bar.running and page.groups.rowCount() == 1, timeout=10_000)
    page.merge_button.click()
    qtbot.waitUntil(lambda: page.merge_dialog is not None and page.merge_dialog.isVisible())
    dialog = page.merge_dialog
    assert dialog is not None
    with qtbot.waitSignal(dialog.merged, timeout=10_000):
        dialog.merge_button.click()
    wait_idle(qtbot, ctx)
    page.show_merges()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=10_000)
    assert cell(page, 0, MergesModel.COUNT) == "۲"
    assert view.model.merge_at(0).survivor_id == dialog.survivor_id


def test_a_change_elsewhere_refreshes_the_shown_list(qtbot, make_ctx, world):
    a, b, c = plant(world)
    ctx = make_ctx(world.manager)
    page = merges_tab(qtbot, ctx)
    view = page.merges
    assert view is not None and view.model.rowCount() == 0
    world.services.merge.merge(world.manager, a, [a, b])  # e.g. through the command line or a synced desk
    ctx.bus.publish(Changes(customers=frozenset({a, b})))
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=10_000)
    world.services.merge.merge(world.manager, a, [a, c])
    view.refresh_button.click()
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=10_000)
    assert view.selected_merge() is not None


def test_who_sees_the_list_and_who_may_undo(qtbot, make_ctx, world):
    a, b, _c = plant(world)
    world.services.merge.merge(world.manager, a, [a, b])
    clerk_page = DuplicatesSection(make_ctx(world.clerk))
    qtbot.addWidget(clerk_page)
    assert clerk_page.merges is None and clerk_page.tabs.count() == 1 and not clerk_page.tabs.tabBar().isVisibleTo(
        clerk_page)
    auditor_ctx = make_ctx(world.auditor)
    page = merges_tab(qtbot, auditor_ctx)
    view = page.merges
    assert view is not None
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)
    assert not view.undo_button.isVisible()
    wait_idle(qtbot, auditor_ctx)


def test_the_merges_model_passes_the_model_tester(qtbot, make_ctx, world, qtmodeltester):
    a, b, c = plant(world)
    first = world.services.merge.merge(world.manager, a, [a, b]).value.tx_id
    world.services.merge.undo(world.manager, first)
    world.services.merge.merge(world.manager, a, [a, c])
    ctx = make_ctx(world.manager)
    page = merges_tab(qtbot, ctx)
    assert page.merges is not None
    qtbot.waitUntil(lambda: page.merges.model.rowCount() == 2)
    qtmodeltester.check(page.merges.model)
    model = page.merges.model
    undone = model.merge_at(1)
    assert undone.undone and model.data(model.index(1, 0), 9) is not None  # ForegroundRole: greyed
    assert model.data(model.index(0, 0), 9) is None
