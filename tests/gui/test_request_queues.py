"""Service request queues: what each queue holds per role, deadline colours on the fake clock, the lazy model
under Qt's tester, Enter/Esc between queue and request, and reloads after a change."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt

from crm_desktop.persian import make_national_id
from crm_desktop.services.records import CustomerInput, RequestRow
from crm_desktop.services.service_requests import Queue, RequestInput
from crm_desktop.views.service_requests.deadline import Tone
from crm_desktop.views.service_requests.queue_page import RequestsPage
from crm_desktop.views.service_requests.table_model import TONE_COLOURS, RequestTableModel
from crm_desktop.views.tasks import ServiceOp
from tests.gui.conftest import wait_idle

# The fake clock starts at 2026-11-23 06:30 UTC = 10:00 Tehran, a working day (07:30–14:30 Tehran).

KEEP: list[object] = []
"""Widgets and models kept alive until their background work has ended (so none dies on a worker thread)."""


@pytest.fixture(autouse=True)
def settle_background_work(qtbot, make_ctx, world):
    yield
    runner = make_ctx(world.clerk).runner
    qtbot.waitUntil(lambda: not runner.busy, timeout=5000)
    runner.wait_idle()
    KEEP.clear()


def make_customer(world, serial: str = "001234567", *, first: str = "علی", last: str = "کریمی",
                  branch_id: str | None = None) -> str:
    actor = world.admin if branch_id else world.clerk
    data = CustomerInput(first_name=first, last_name=last, national_id=make_national_id(serial), branch_id=branch_id)
    return world.services.customers.create(actor, data).value.id


def open_request(world, customer_id: str, *, actor=None, priority: str = "normal", category: str = "complaint",
                 subject: str = "کارت بانکی مسدود شده است", assignee=None) -> RequestRow:
    data = RequestInput(customer_id=customer_id, category=category, priority=priority, subject=subject,
                        description="مشتری برای دریافت کارت جدید مراجعه کرده است.",
                        assignee_id=assignee.user_id if assignee is not None else None)
    return world.services.requests.open(actor or world.clerk, data).value


def shown_ids(model: RequestTableModel) -> list[str]:
    return [model.row_at(i).id for i in range(model.rowCount())]


def make_page(qtbot, ctx) -> RequestsPage:
    page = RequestsPage(ctx)
    qtbot.addWidget(page)
    KEEP.append(page)
    page.resize(1200, 600)
    page.show()
    page.activated()
    wait_idle(qtbot, ctx)
    return page


def queue_ids(qtbot, page: RequestsPage, queue: Queue) -> list[str]:
    page.select_queue(queue)
    wait_idle(qtbot, page.ctx)
    while page.model.canFetchMore(QModelIndex()):
        page.model.fetchMore(QModelIndex())
        wait_idle(qtbot, page.ctx)
    return shown_ids(page.model)


def tone_of(model: RequestTableModel, request_id: str) -> Tone:
    position = model.position_of(request_id)
    assert position is not None
    brush = model.index(position, 0).data(Qt.ItemDataRole.BackgroundRole)
    if brush is None:
        return Tone.NORMAL
    return next(tone for tone, (background, _text) in TONE_COLOURS.items() if brush.color() == background)


def four_requests(world) -> dict[str, RequestRow]:
    here = make_customer(world)
    there = make_customer(world, "007654321", first="سارا", last="ونکی", branch_id=world.other_branch_id)
    return {
        "urgent_mine": open_request(world, here, priority="urgent", assignee=world.clerk),  # due 14:00 today
        "normal_clerk2": open_request(world, here, priority="normal", assignee=world.clerk2),
        "low_new": open_request(world, here, priority="low"),
        "other_branch": open_request(world, there, actor=world.admin, assignee=world.other_clerk),
    }


def test_clerk_queues_show_mine_branch_open_overdue_and_due_today(qtbot, ctx, world):
    r = four_requests(world)
    page = make_page(qtbot, ctx)

    assert queue_ids(qtbot, page, Queue.MINE) == [r["urgent_mine"].id]
    assert queue_ids(qtbot, page, Queue.BRANCH_OPEN) == [r["urgent_mine"].id, r["normal_clerk2"].id,
                                                         r["low_new"].id]
    assert queue_ids(qtbot, page, Queue.OVERDUE) == []
    assert queue_ids(qtbot, page, Queue.DUE_TODAY) == [r["urgent_mine"].id]

    world.clock.advance(hours=4, minutes=30)  # 14:30 Tehran: the urgent one is past its 14:00 deadline
    assert queue_ids(qtbot, page, Queue.OVERDUE) == [r["urgent_mine"].id]


def test_manager_sees_the_branch_but_nothing_of_the_other_branch_in_mine(qtbot, make_ctx, world):
    r = four_requests(world)
    ctx = make_ctx(world.manager)
    page = make_page(qtbot, ctx)
    assert queue_ids(qtbot, page, Queue.MINE) == []
    assert queue_ids(qtbot, page, Queue.BRANCH_OPEN) == [r["urgent_mine"].id, r["normal_clerk2"].id,
                                                         r["low_new"].id]
    assert r["other_branch"].id not in queue_ids(qtbot, page, Queue.DUE_TODAY)


def test_queue_tabs_show_counts_in_persian_digits(qtbot, ctx, world):
    four_requests(world)
    page = make_page(qtbot, ctx)
    qtbot.waitUntil(lambda: "۳" in page.queues.tabText(1))
    assert "۱" in page.queues.tabText(0)


def test_overdue_rows_turn_red_and_rows_due_soon_amber_as_the_clock_moves(qtbot, ctx, world):
    r = four_requests(world)
    page = make_page(qtbot, ctx)
    page.select_queue(Queue.BRANCH_OPEN)
    wait_idle(qtbot, ctx)
    model = page.model
    assert tone_of(model, r["urgent_mine"].id) is Tone.NORMAL  # four working hours left

    world.clock.advance(hours=2, minutes=30)  # 12:30: an hour and a half left
    assert tone_of(model, r["urgent_mine"].id) is Tone.DUE_SOON
    assert tone_of(model, r["normal_clerk2"].id) is Tone.NORMAL

    world.clock.advance(hours=2)  # 14:30: past 14:00
    assert tone_of(model, r["urgent_mine"].id) is Tone.OVERDUE
    foreground = model.index(model.position_of(r["urgent_mine"].id), 1).data(Qt.ItemDataRole.ForegroundRole)
    assert foreground.color() == TONE_COLOURS[Tone.OVERDUE][1]
    assert tone_of(model, r["low_new"].id) is Tone.NORMAL


def test_due_soon_counts_working_hours_across_the_night(qtbot, ctx, world):
    here = make_customer(world)
    world.clock.advance(hours=2)  # 12:00 Tehran: 2.5 working hours today, 1.5 tomorrow morning
    urgent = open_request(world, here, priority="urgent")
    page = make_page(qtbot, ctx)
    page.select_queue(Queue.BRANCH_OPEN)
    wait_idle(qtbot, ctx)
    assert page.model.calendar is not None
    world.clock.advance(hours=2)  # 14:00: the deadline is 19 wall hours away but only 2 working hours
    assert tone_of(page.model, urgent.id) is Tone.DUE_SOON


def test_lazy_queue_model_passes_qt_model_tester_across_pages(qtbot, qtmodeltester, ctx, world):
    here = make_customer(world)
    opened = [open_request(world, here, priority=("urgent", "high", "normal", "low")[i % 4],
                           subject=f"درخواست شماره {i}") for i in range(11)]
    model = RequestTableModel(ctx, Queue.BRANCH_OPEN)
    KEEP.append(model)
    model.page_size = 3
    model.reload()
    wait_idle(qtbot, ctx)
    assert model.rowCount() == 3 and model.canFetchMore(QModelIndex())
    qtmodeltester.check(model)
    wait_idle(qtbot, ctx)
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
        wait_idle(qtbot, ctx)
    qtmodeltester.check(model)
    assert model.rowCount() == 11
    dues = [model.row_at(i).due_at for i in range(11)]
    assert dues == sorted(dues)
    assert set(shown_ids(model)) == {row.id for row in opened}
    number = model.index(0, 0).data()
    assert any("۰" <= ch <= "۹" for ch in number) and not any("0" <= ch <= "9" for ch in number)
    assert "۱۴۰۵/" in model.index(0, 8).data()


def test_enter_opens_the_request_in_the_page_and_escape_returns_to_the_queue(qtbot, ctx, world):
    r = four_requests(world)
    page = make_page(qtbot, ctx)
    page.select_queue(Queue.BRANCH_OPEN)
    wait_idle(qtbot, ctx)
    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(1, 0))
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert page.stack.currentWidget() is page.request_page
    with qtbot.waitSignal(page.request_page.loaded, timeout=5000):
        pass
    assert page.request_page.detail.row.id == r["normal_clerk2"].id
    assert page.go_back() is True
    assert page.stack.currentWidget() is page.queue_view
    assert page.table.currentIndex().row() == 1
    assert page.go_back() is False


def test_open_request_from_elsewhere_shows_it(qtbot, ctx, world):
    r = four_requests(world)
    page = RequestsPage(ctx)
    qtbot.addWidget(page)
    KEEP.append(page)
    with qtbot.waitSignal(page.request_page.loaded, timeout=5000):
        page.open_request(r["low_new"].id)
    assert page.stack.currentWidget() is page.request_page
    assert page.request_page.values["subject"].text().lstrip("\u200f") == r["low_new"].subject
    wait_idle(qtbot, ctx)


def test_queue_reloads_after_a_transition_elsewhere(qtbot, ctx, world):
    r = four_requests(world)
    page = make_page(qtbot, ctx)
    assert shown_ids(page.model) == [r["urgent_mine"].id]
    actor, target = ctx.actor, r["low_new"]
    ServiceOp(page, ctx, lambda s: s.requests.transition(actor, target.id, "assign", assignee_id=actor.user_id,
                                                         expected_version=target.version)).run()
    qtbot.waitUntil(lambda: target.id in shown_ids(page.model), timeout=5000)
    wait_idle(qtbot, ctx)
    assert "۲" in page.queues.tabText(0)
