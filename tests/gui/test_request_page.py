"""The request screen (only the steps the state machine and the role allow, what each step asks for, the
history) and the dialog that opens a request for a customer."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt

from crm_desktop.services.request_states import RequestStatus
from crm_desktop.services.service_requests import Queue
from crm_desktop.views.service_requests.open_dialog import OpenRequestDialog
from crm_desktop.views.service_requests.queue_page import RequestsPage
from crm_desktop.views.service_requests.request_page import RequestPage
from crm_desktop.views.service_requests.table_model import RequestTableModel
from tests.gui.conftest import wait_idle
from tests.gui.test_request_queues import (  # noqa: F401 - settle_background_work is an autouse fixture
    KEEP,
    make_customer,
    open_request,
    settle_background_work,
    shown_ids,
)

PERSIAN = re.compile(r"[\u0600-\u06FF]")


@pytest.fixture
def customer(world) -> str:
    return make_customer(world)


def in_progress_for_clerk2(world, customer: str):
    row = open_request(world, customer, priority="high", assignee=world.clerk2)
    return world.services.requests.transition(world.clerk2, row.id, "start").value


def resolved(world, customer: str):
    row = in_progress_for_clerk2(world, customer)
    return world.services.requests.transition(world.clerk2, row.id, "resolve", resolution="کارت جدید صادر شد.").value


def show(qtbot, ctx, request_id: str) -> RequestPage:
    page = RequestPage(ctx)
    qtbot.addWidget(page)
    KEEP.append(page)
    page.resize(1100, 700)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.load(request_id)
    return page


def value(page: RequestPage, key: str) -> str:
    return page.values[key].text().lstrip("\u200f")


def apply(qtbot, page: RequestPage, dialog) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(page.loaded, timeout=5000):
        dialog.ok.click()


@pytest.mark.parametrize(("who", "expected"), [
    ("clerk", {"assign", "cancel"}),      # opened it: may also cancel
    ("clerk2", {"assign"}),               # a colleague may pick it up but not cancel it
    ("manager", {"assign", "cancel"}),
    ("auditor", set()),                   # reads only
])
def test_a_new_request_offers_only_the_steps_the_role_allows(qtbot, make_ctx, world, customer, who, expected):
    row = open_request(world, customer)
    page = show(qtbot, make_ctx(getattr(world, who)), row.id)
    assert set(page.transition_buttons) == expected
    assert page.no_actions.isVisibleTo(page) == (not expected)
    for value, button in page.transition_buttons.items():
        assert button.objectName() == f"transition_{value}" and PERSIAN.search(button.text())


def test_work_in_progress_is_moved_on_only_by_its_assignee_unless_a_manager(qtbot, make_ctx, world, customer):
    row = in_progress_for_clerk2(world, customer)
    assert set(show(qtbot, make_ctx(world.clerk), row.id).transition_buttons) == {"assign"}
    assert set(show(qtbot, make_ctx(world.clerk2), row.id).transition_buttons) == {
        "assign", "wait_customer", "resolve"}
    assert set(show(qtbot, make_ctx(world.manager), row.id).transition_buttons) == {
        "assign", "wait_customer", "resolve"}
    assert show(qtbot, make_ctx(world.auditor), row.id).transition_buttons == {}


def test_request_screen_shows_facts_in_persian_and_jalali(qtbot, ctx, world, customer):
    row = open_request(world, customer, priority="urgent", assignee=world.clerk)
    page = show(qtbot, ctx, row.id)
    assert page.customer_link.text() == "علی کریمی"
    assert value(page, "category") == "شکایت"
    assert value(page, "priority") == "فوری"
    assert value(page, "status") == "ارجاع‌شده"
    assert value(page, "assignee") == "مریم کارمند"
    assert value(page, "due") == "۱۴۰۵/۰۹/۰۲ ۱۴:۰۰"
    assert "۴" in page.sla_chip.text() and page.sla_chip.property("role") == "chip"
    assert "۱۴۰۵" in page.title.text() or "۱۰۲۱" in page.title.text()
    assert page.history.rowCount() == 2  # opened, assigned

    world.clock.advance(hours=5)
    page.refresh_sla()
    assert page.sla_chip.property("role") == "chip-warn"


def test_resolve_without_resolution_shows_persian_error_and_changes_nothing(qtbot, make_ctx, world, customer):
    row = in_progress_for_clerk2(world, customer)
    ctx = make_ctx(world.clerk2)
    page = show(qtbot, ctx, row.id)
    dialog = page.start_transition("resolve")
    dialog.note.setPlainText("تماس گرفته شد")
    dialog.ok.click()
    qtbot.waitUntil(lambda: dialog.errors.text("resolution") != "", timeout=5000)
    assert PERSIAN.search(dialog.errors.text("resolution"))
    assert dialog.isVisible()
    detail = world.services.requests.detail(world.clerk2, row.id)
    assert detail.row.status == RequestStatus.IN_PROGRESS and detail.row.version == row.version
    assert len(detail.history) == 3

    dialog.resolution.setPlainText("کارت جدید صادر و تحویل شد.")
    apply(qtbot, page, dialog)
    assert value(page, "status") == "حل‌شده"
    assert page.resolution.text().lstrip("\u200f") == "کارت جدید صادر و تحویل شد."
    assert page.history.rowCount() == 4
    assert set(page.transition_buttons) == {"close", "reopen"}


def test_close_asks_for_satisfaction_and_stores_it(qtbot, ctx, world, customer):
    row = resolved(world, customer)
    page = show(qtbot, ctx, row.id)
    before = page.history.rowCount()
    dialog = page.start_transition("close")
    dialog.ok.click()  # no score chosen
    assert dialog.errors.text("satisfaction") != ""
    assert world.services.requests.detail(world.clerk, row.id).row.status == RequestStatus.RESOLVED

    dialog.satisfaction.setCurrentIndex(dialog.satisfaction.findData(4))
    dialog.note.setPlainText("مشتری از رسیدگی راضی بود.")
    apply(qtbot, page, dialog)
    stored = world.services.requests.detail(world.clerk, row.id)
    assert stored.row.status == RequestStatus.CLOSED and stored.row.satisfaction == 4
    assert page.history.rowCount() == before + 1
    assert page.history.item(before, 3).text() == "مشتری از رسیدگی راضی بود."
    assert value(page, "satisfaction") == "۴ / ۵"
    assert page.transition_buttons == {}


def test_assign_hands_the_request_to_a_chosen_colleague(qtbot, ctx, world, customer):
    row = open_request(world, customer)
    page = show(qtbot, ctx, row.id)
    dialog = page.start_transition("assign")
    qtbot.waitUntil(dialog.ok.isEnabled, timeout=5000)
    names = {dialog.assignee.itemText(i) for i in range(dialog.assignee.count())}
    assert {"مریم کارمند", "حسن همکار", "رضا رئیسی"} <= names
    assert "بهرام بازرس" not in names and "سارا دیگری" not in names  # no auditor, no other branch
    dialog.assignee.setCurrentIndex(dialog.assignee.findData(world.clerk2.user_id))
    apply(qtbot, page, dialog)
    assert value(page, "assignee") == "حسن همکار"
    assert world.services.requests.detail(world.clerk, row.id).row.assignee_id == world.clerk2.user_id


def test_a_request_changed_meanwhile_shows_the_conflict_and_reloads(qtbot, make_ctx, world, customer, shown):
    row = in_progress_for_clerk2(world, customer)
    ctx = make_ctx(world.clerk2)
    page = show(qtbot, ctx, row.id)
    world.services.requests.transition(world.manager, row.id, "wait_customer")  # someone else moved it
    dialog = page.start_transition("resolve")
    dialog.resolution.setPlainText("انجام شد")
    with qtbot.waitSignal(page.loaded, timeout=5000):
        dialog.ok.click()
    assert any(PERSIAN.search(text) for text in shown.texts)
    assert value(page, "status") == "در انتظار مشتری"
    assert set(page.transition_buttons) == {"resume", "resolve"}


def test_customer_link_emits_customer_opened(qtbot, ctx, world, customer):
    row = open_request(world, customer)
    page = show(qtbot, ctx, row.id)
    with qtbot.waitSignal(page.customer_opened, timeout=1000) as signal:
        page.customer_link.click()
    assert signal.args == [customer]


def test_requests_page_passes_customer_links_on(qtbot, ctx, world, customer):
    row = open_request(world, customer)
    section = RequestsPage(ctx)
    qtbot.addWidget(section)
    KEEP.append(section)
    with qtbot.waitSignal(section.request_page.loaded, timeout=5000):
        section.open_request(row.id)
    with qtbot.waitSignal(section.customer_opened, timeout=1000) as signal:
        section.request_page.customer_link.click()
    assert signal.args == [customer]


# -- opening a request ------------------------------------------------------------------------
def open_dialog(qtbot, ctx, customer: str) -> OpenRequestDialog:
    dialog = OpenRequestDialog(ctx, customer_id=customer, customer_name="علی کریمی")
    qtbot.addWidget(dialog)
    KEEP.append(dialog)
    dialog.show()
    wait_idle(qtbot, ctx)
    return dialog


def test_open_dialog_with_empty_subject_shows_persian_error_and_saves_nothing(qtbot, ctx, world, customer):
    dialog = open_dialog(qtbot, ctx, customer)
    dialog.subject.setText("")
    dialog.save.click()
    qtbot.waitUntil(lambda: dialog.errors.text("subject") != "", timeout=5000)
    assert PERSIAN.search(dialog.errors.text("subject"))
    assert dialog.isVisible()
    assert world.services.requests.queue(world.clerk, Queue.BRANCH_OPEN).rows == []


def test_typing_then_clearing_the_subject_warns_at_once(qtbot, ctx, customer):
    dialog = open_dialog(qtbot, ctx, customer)
    qtbot.keyClicks(dialog.subject, "ab")
    assert dialog.errors.text("subject") == ""
    qtbot.keyClick(dialog.subject, Qt.Key.Key_Backspace)
    qtbot.keyClick(dialog.subject, Qt.Key.Key_Backspace)
    assert dialog.errors.text("subject") != ""


def test_opening_a_request_shows_it_in_the_branch_open_queue(qtbot, ctx, world, customer):
    model = RequestTableModel(ctx, Queue.BRANCH_OPEN)
    KEEP.append(model)
    model.reload()
    wait_idle(qtbot, ctx)
    assert model.rowCount() == 0
    dialog = open_dialog(qtbot, ctx, customer)
    assert "۱۴۰۵" in dialog.deadline.text()
    dialog.category.setCurrentIndex(dialog.category.findData("inquiry"))
    dialog.priority.setCurrentIndex(dialog.priority.findData("high"))
    dialog.subject.setText("استعلام مانده تسهیلات")
    dialog.description.setPlainText("مشتری مانده وام مسکن را می‌خواهد.")
    dialog.assignee.setCurrentIndex(dialog.assignee.findData(world.clerk2.user_id))
    with qtbot.waitSignal(dialog.opened, timeout=5000) as signal:
        dialog.save.click()
    row = signal.args[0]
    assert row.subject == "استعلام مانده تسهیلات" and row.category == "inquiry" and row.priority == "high"
    assert row.assignee_id == world.clerk2.user_id and row.status == RequestStatus.ASSIGNED
    qtbot.waitUntil(lambda: shown_ids(model) == [row.id], timeout=5000)
    assert not dialog.isVisible()
