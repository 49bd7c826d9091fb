"""The interactions list: newest first, lazy pages, period/channel/clerk filters, branch scope, live reload."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QTest

from crm_desktop.services.interactions import InteractionInput
from crm_desktop.views.interactions.list_page import InteractionsPage
from crm_desktop.views.interactions.log_dialog import LogInteractionDialog
from crm_desktop.views.interactions.periods import QuickPeriod, jalali_month, jalali_week
from crm_desktop.views.interactions.table_model import InteractionFilter, InteractionTableModel
from tests.gui.conftest import wait_idle


def log(world, actor, customer: str, subject: str, *, ago: timedelta = timedelta(0), channel: str = "phone"):
    data = InteractionInput(customer_id=customer, channel=channel, direction="outbound", subject=subject,
                            occurred_at=world.clock() - ago)
    return world.services.interactions.log(actor, data).value


def open_page(qtbot, ctx) -> InteractionsPage:
    page = InteractionsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1200, 600)
    page.show()
    wait_idle(qtbot, ctx)
    return page


def subjects(page: InteractionsPage) -> list[str]:
    return [page.model.row_at(i).subject for i in range(page.model.rowCount())]


def settle(qtbot, page: InteractionsPage) -> None:
    wait_idle(qtbot, page.ctx)
    qtbot.waitUntil(lambda: not page.model.loading)


def test_newest_first_with_jalali_times_and_persian_labels(qtbot, ctx, world, customer):
    log(world, world.clerk, customer, "دیروز", ago=timedelta(days=1))
    log(world, world.clerk, customer, "امروز")
    log(world, world.clerk2, customer, "هفته پیش", ago=timedelta(days=7), channel="branch")
    page = open_page(qtbot, ctx)
    assert subjects(page) == ["امروز", "دیروز", "هفته پیش"]
    cells = [page.model.index(0, c).data() for c in range(page.model.columnCount())]
    assert cells[:6] == ["۱۴۰۵/۰۹/۰۲ ۱۰:۰۰", "علی کریمی", "تماس تلفنی", "خروجی", "امروز", "مریم کارمند"]
    assert page.model.index(2, 5).data() == "حسن همکار"
    assert "۳" in page.hint.text()


def test_channel_filter_shows_only_that_channel(qtbot, ctx, world, customer):
    log(world, world.clerk, customer, "تلفن")
    log(world, world.clerk, customer, "حضوری", channel="branch")
    page = open_page(qtbot, ctx)
    page.filters.channel.setCurrentIndex(page.filters.channel.findData("branch"))
    settle(qtbot, page)
    assert subjects(page) == ["حضوری"]
    assert page.filters.channel.currentText() == "مراجعه حضوری"
    page.filters.channel.setCurrentIndex(0)
    settle(qtbot, page)
    assert sorted(subjects(page)) == ["تلفن", "حضوری"]


def test_quick_periods_are_tehran_today_saturday_week_and_jalali_month(qtbot, ctx, world, customer):
    log(world, world.clerk, customer, "امروز")  # Monday 1405/09/02 10:00 Tehran
    log(world, world.clerk, customer, "یکشنبه", ago=timedelta(days=1))  # Sunday 1405/09/01
    log(world, world.clerk, customer, "شنبه", ago=timedelta(days=2))  # Saturday 1405/08/30
    log(world, world.clerk, customer, "جمعه", ago=timedelta(days=3))  # Friday 1405/08/29
    log(world, world.clerk, customer, "مهر", ago=timedelta(days=40))
    page = open_page(qtbot, ctx)
    for choice, expected, dates in (
        (QuickPeriod.TODAY, ["امروز"], ("۱۴۰۵/۰۹/۰۲", "۱۴۰۵/۰۹/۰۲")),
        (QuickPeriod.WEEK, ["امروز", "یکشنبه", "شنبه"], ("۱۴۰۵/۰۸/۳۰", "۱۴۰۵/۰۹/۰۶")),
        (QuickPeriod.MONTH, ["امروز", "یکشنبه"], ("۱۴۰۵/۰۹/۰۱", "۱۴۰۵/۰۹/۳۰")),
        (QuickPeriod.ANY, ["امروز", "یکشنبه", "شنبه", "جمعه", "مهر"], ("", "")),
    ):
        page.filters.choose_period(choice)
        settle(qtbot, page)
        assert subjects(page) == expected, choice
        assert (page.filters.date_from.text(), page.filters.date_to.text()) == dates


def test_typed_period_filters_and_an_empty_one_says_so(qtbot, ctx, world, customer):
    log(world, world.clerk, customer, "امروز")
    log(world, world.clerk, customer, "آبان", ago=timedelta(days=2))
    # 2026-11-22 20:45 UTC is already 1405/09/02 00:15 in Tehran
    data = InteractionInput(customer_id=customer, channel="sms", direction="outbound", subject="بامداد",
                            occurred_at=datetime(2026, 11, 22, 20, 45, tzinfo=UTC))
    world.services.interactions.log(world.clerk, data)
    page = open_page(qtbot, ctx)
    QTest.keyClicks(page.filters.date_from.line, "1405/8/30")
    page.filters.date_to.line.setText("۱۴۰۵/۰۸/۳۰")
    settle(qtbot, page)
    assert page.filters.period.currentData() == str(QuickPeriod.CUSTOM)
    assert subjects(page) == ["آبان"]
    page.filters.date_from.line.setText("۱۴۰۵/۰۹/۰۲")
    page.filters.date_to.line.setText("۱۴۰۵/۰۹/۰۲")
    settle(qtbot, page)
    assert subjects(page) == ["امروز", "بامداد"]
    page.filters.date_from.line.setText("۱۴۰۵/۰۱/۰۱")
    page.filters.date_to.line.setText("۱۴۰۵/۰۱/۰۲")
    settle(qtbot, page)
    assert subjects(page) == []
    assert page.hint.text() == page.tr("No interactions in this period.")


def test_period_ending_before_it_starts_is_explained_not_queried(qtbot, ctx, world, customer, shown):
    log(world, world.clerk, customer, "امروز")
    page = open_page(qtbot, ctx)
    page.filters.date_to.line.setText("۱۴۰۵/۰۸/۰۱")
    page.filters.date_from.line.setText("۱۴۰۵/۰۹/۰۱")
    settle(qtbot, page)
    assert page.filters.error.isVisibleTo(page) and page.filters.error.text()
    assert shown.texts == []


def test_clerk_filter_lists_colleagues_and_mine(qtbot, ctx, world, customer):
    log(world, world.clerk, customer, "مال من")
    log(world, world.clerk2, customer, "مال همکار", ago=timedelta(minutes=5))
    page = open_page(qtbot, ctx)
    clerks = page.filters.clerk
    names = [clerks.itemText(i) for i in range(clerks.count())]
    assert "حسن همکار" in names and "سارا دیگری" not in names  # only the clerk's own branch
    clerks.setCurrentIndex(clerks.findData(world.clerk2.user_id))
    settle(qtbot, page)
    assert subjects(page) == ["مال همکار"]
    clerks.setCurrentIndex(clerks.findData(world.clerk.user_id))
    settle(qtbot, page)
    assert subjects(page) == ["مال من"]


def test_clerk_sees_only_own_branch_and_admin_may_choose_a_branch(qtbot, ctx, make_ctx, world, customer,
                                                                 other_customer):
    log(world, world.clerk, customer, "شعبه مرکزی")
    log(world, world.other_clerk, other_customer, "شعبه ونک", ago=timedelta(minutes=1))
    page = open_page(qtbot, ctx)
    assert subjects(page) == ["شعبه مرکزی"]
    assert page.filters.branch is None
    admin_page = open_page(qtbot, make_ctx(world.admin))
    assert subjects(admin_page) == ["شعبه مرکزی", "شعبه ونک"]
    branch = admin_page.filters.branch
    assert branch is not None
    branch.setCurrentIndex(branch.findData(world.other_branch_id))
    settle(qtbot, admin_page)
    assert subjects(admin_page) == ["شعبه ونک"]


def test_lazy_pages_of_three_pass_the_model_tester(qtbot, ctx, world, customer, qtmodeltester):
    for n in range(11):
        log(world, world.clerk, customer, f"تعامل {n}", ago=timedelta(minutes=n))
    model = InteractionTableModel(ctx)
    model.page_size = 3
    model.set_filter(InteractionFilter())
    qtbot.waitUntil(lambda: model.rowCount() == 3 and not model.loading)
    qtmodeltester.check(model)  # the tester itself asks for more rows
    qtbot.waitUntil(lambda: not model.loading)
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
        qtbot.waitUntil(lambda: not model.loading)
    assert model.rowCount() == 11
    assert [model.row_at(i).subject for i in range(11)] == [f"تعامل {n}" for n in range(11)]
    qtmodeltester.check(model)


def test_page_reloads_when_an_interaction_is_logged(qtbot, ctx, world, customer):
    log(world, world.clerk, customer, "قبلی", ago=timedelta(hours=1))
    page = open_page(qtbot, ctx)
    page.select_row(0)
    assert page.selected_row() is not None
    dialog = LogInteractionDialog(ctx, customer_id=customer, customer_name="علی کریمی")
    qtbot.addWidget(dialog)
    dialog.subject.setText("تازه")
    dialog.save()
    qtbot.waitUntil(lambda: subjects(page) == ["تازه", "قبلی"], timeout=5000)
    settle(qtbot, page)
    assert page.selected_row() is not None and page.selected_row().subject == "قبلی"  # selection kept by id


def test_enter_opens_the_customer(qtbot, ctx, world, customer):
    log(world, world.clerk, customer, "تماس")
    page = open_page(qtbot, ctx)
    page.table.setFocus()
    page.select_row(0)
    with qtbot.waitSignal(page.customer_opened, timeout=2000) as signal:
        QTest.keyClick(page.table, Qt.Key.Key_Return)
    assert signal.args == [customer]


def test_edit_is_offered_for_own_interactions_and_opens_the_dialog(qtbot, ctx, world, customer):
    log(world, world.clerk, customer, "مال من")
    log(world, world.clerk2, customer, "مال همکار", ago=timedelta(minutes=5))
    page = open_page(qtbot, ctx)
    assert not page.edit_button.isEnabled()
    page.select_row(1)
    assert not page.edit_button.isEnabled() and page.edit_button.toolTip()
    page.select_row(0)
    assert page.edit_button.isEnabled()
    page.edit_button.click()
    dialog = page.dialog
    assert dialog is not None and dialog.subject.text() == "مال من"
    dialog.subject.setText("مال من، ویرایش‌شده")
    dialog.save()
    qtbot.waitUntil(lambda: "مال من، ویرایش‌شده" in subjects(page), timeout=5000)


def test_manager_may_edit_colleagues_and_auditor_sees_no_edit(qtbot, make_ctx, world, customer):
    log(world, world.clerk, customer, "تماس")
    manager_page = open_page(qtbot, make_ctx(world.manager))
    manager_page.select_row(0)
    assert manager_page.edit_button.isEnabled()
    auditor_page = open_page(qtbot, make_ctx(world.auditor))
    assert subjects(auditor_page) == ["تماس"]
    assert auditor_page.edit_button.isHidden()


def test_ctrl_n_explains_where_to_log_and_ctrl_f_focuses_the_period(qtbot, ctx):
    page = open_page(qtbot, ctx)
    with qtbot.waitSignal(ctx.messages.info, timeout=1000) as signal:
        page.new_item()
    assert "Ctrl+L" in signal.args[0] and "پرونده مشتری" in signal.args[0]
    page.window().activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    page.focus_search()
    assert page.filters.period.hasFocus()


def test_quick_ranges_for_the_jalali_calendar():
    monday, saturday, friday = date(2026, 11, 23), date(2026, 11, 21), date(2026, 11, 27)
    assert jalali_week(monday) == (saturday, friday)
    assert jalali_week(saturday) == (saturday, friday)
    assert jalali_week(friday) == (saturday, friday)
    assert jalali_month(monday) == (date(2026, 11, 22), date(2026, 12, 21))  # 1405/09/01 to 1405/09/30
