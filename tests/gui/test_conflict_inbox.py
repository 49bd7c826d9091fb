"""The sync inbox screen: conflict cards and their decisions, and the «couldn't save» list with Retry and Discard."""

from __future__ import annotations

import json

from PySide6.QtWidgets import QMessageBox

from crm_desktop.views.sync_inbox import card as card_module
from crm_desktop.views.sync_inbox import section as section_module
from crm_desktop.views.sync_inbox.section import PARKED_TAB, SyncInboxSection
from tests.gui.conftest import wait_idle
from tests.services.test_sync_conflicts import journal, park, plant_conflict
from tests.sync.client.helpers import edit, max_seq


def make_section(qtbot, ctx) -> SyncInboxSection:
    page = SyncInboxSection(ctx)
    qtbot.addWidget(page)
    page.resize(1000, 700)
    page.show()
    page.activated()
    wait_idle(qtbot, ctx)
    return page


def test_each_conflict_is_a_card_with_original_yours_and_current(qtbot, make_ctx, world, customer):
    plant_conflict(world, customer, "mobile", "09120000000", "09121111111", "09123333333")
    plant_conflict(world, customer, "national_id", None, "0012345679", "0012345680", author=world.clerk2.user_id)
    page = make_section(qtbot, make_ctx(world.clerk))
    assert len(page.cards) == 2 and not page.no_conflicts.isVisible()
    first = page.cards[0]
    assert [label.text() for label in first.value_labels] == ["۰۹۱۲۰۰۰۰۰۰۰", "۰۹۱۲۳۳۳۳۳۳۳", "۰۹۱۲۱۱۱۱۱۱۱"]
    assert first.keep_button.isDefault() and first.keep_button.isEnabled()
    assert "علی کریمی" in first.findChild(type(first.value_labels[0]), "conflictTitle").text()
    assert page.tabs.tabText(0).endswith("(۲)") and page.tabs.tabText(1).endswith("(۰)")


def test_keeping_the_current_value_queues_the_decision_and_removes_the_card(qtbot, make_ctx, world, customer, shown):
    conflict = plant_conflict(world, customer, "mobile", None, "09121111111", "09123333333")
    ctx = make_ctx(world.clerk)
    page = make_section(qtbot, ctx)
    page.cards[0].keep_button.click()
    wait_idle(qtbot, ctx)
    qtbot.waitUntil(lambda: not page.cards, timeout=5000)
    assert page.no_conflicts.isVisible() and shown.boxes == []
    entry = journal(world, max_seq(world.db))
    assert (entry["kind"], entry["pk"], entry["changed"]["choice"]) == ("resolve", conflict, [None, "keep_current"])


def test_an_identity_field_without_a_note_is_refused_then_an_edit_with_a_note_goes(qtbot, make_ctx, world, customer,
                                                                                  shown, monkeypatch):
    plant_conflict(world, customer, "national_id", None, "0012345679", "0012345680")
    ctx = make_ctx(world.clerk)
    page = make_section(qtbot, ctx)
    card = page.cards[0]
    assert "الزامی" in card.note.placeholderText()
    card.mine_button.click()
    wait_idle(qtbot, ctx)
    assert len(shown.boxes) == 1 and shown.boxes[0][0] == QMessageBox.Icon.Warning
    assert "دلیل" in shown.texts[0] and card.mine_button.isEnabled()  # still there, usable again
    monkeypatch.setattr(card_module, "ask_value", lambda *_args: "۰۰۱۲۳۴۵۶۸۷")
    card.note.setText("کارت ملی دیده شد")
    before = max_seq(world.db)
    card.edit_button.click()
    wait_idle(qtbot, ctx)
    qtbot.waitUntil(lambda: not page.cards, timeout=5000)
    assert max_seq(world.db) == before + 1
    assert journal(world, before + 1)["changed"]["note"] == [None, "کارت ملی دیده شد"]


def test_an_auditor_reads_but_cannot_decide(qtbot, make_ctx, world, customer):
    plant_conflict(world, customer, "mobile", None, "09121111111", "09123333333")
    edit(world.db, world.clerk.user_id, "customer", customer, email="a@bank.ir")
    park(world, max_seq(world.db))
    page = make_section(qtbot, make_ctx(world.auditor))
    assert len(page.cards) == 1 and not page.cards[0].keep_button.isEnabled()
    assert page.parked.table.rowCount() == 1 and not page.parked.retry_button.isVisibleTo(page)


def test_couldnt_save_lists_the_reason_and_retry_and_discard_work(qtbot, make_ctx, world, customer, monkeypatch,
                                                                  shown):
    edit(world.db, world.clerk.user_id, "customer", customer, email="a@bank.ir")
    first = max_seq(world.db)
    park(world, first)
    edit(world.db, world.clerk.user_id, "customer", customer, phone="02122222222")
    second = max_seq(world.db)
    park(world, second, "role", "نقش کاربر اجازهٔ این تغییر را ندارد.")
    ctx = make_ctx(world.clerk)
    page = make_section(qtbot, ctx)
    page.show_tab(PARKED_TAB)
    table = page.parked.table
    assert table.rowCount() == 2 and page.tabs.tabText(PARKED_TAB).endswith("(۲)")
    assert table.item(1, 2).text() == "نقش کاربر اجازهٔ این تغییر را ندارد."
    assert table.item(0, 0).text() == "علی کریمی" and table.item(0, 1).text() == "پست الکترونیک"
    assert page.parked.selected() is not None and page.parked.retry_button.isEnabled()
    page.parked.retry_button.click()
    wait_idle(qtbot, ctx)
    assert shown.texts == []
    qtbot.waitUntil(lambda: table.rowCount() == 1, timeout=5000)
    assert journal(world, max_seq(world.db))["changed"] == {"email": [None, "a@bank.ir"]}
    answers = iter([False, True])
    monkeypatch.setattr(section_module, "confirm", lambda *_args: next(answers))
    monkeypatch.setattr(section_module, "ask_note", lambda *_args: "به درخواست مشتری")
    page.parked.discard_button.click()  # "no": nothing happens
    wait_idle(qtbot, ctx)
    assert table.rowCount() == 1
    page.parked.discard_button.click()
    wait_idle(qtbot, ctx)
    qtbot.waitUntil(lambda: table.rowCount() == 0, timeout=5000)
    assert page.parked.empty.isVisible()
    with world.db.read_raw() as raw:
        resolution = json.loads(raw.execute("SELECT resolution FROM sync_rejected WHERE op_id = ?",
                                            (second,)).fetchone()[0])
    assert resolution["action"] == "discarded" and resolution["note"] == "به درخواست مشتری"
