"""The customer list: search as you type, lazy keyset pages, Persian order both ways, filters, branch scope,
opening the 360° view with the keyboard, and rows that change elsewhere."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QSignalSpy
from PySide6.QtWidgets import QApplication

from crm_desktop.persian import make_national_id, to_persian_digits
from crm_desktop.services.records import CustomerInput
from crm_desktop.views.customers.form import CustomerForm
from crm_desktop.views.customers.list_page import CustomersPage
from crm_desktop.views.customers.table_model import CustomerTableModel
from tests.gui.conftest import wait_idle

LAST_NAMES = ("احمدی", "بهرامی", "پارسا", "تهرانی", "جعفری", "حسینی", "خسروی", "دهقان", "رضایی", "زارعی",
              "سعیدی", "شریفی")


def nid(i: int) -> str:
    return make_national_id(f"{i + 10:02d}1234567")


def add_customers(world, actor=None, count: int = len(LAST_NAMES), **kw) -> list[str]:
    actor = actor or world.clerk
    ids = []
    for i in range(count):
        data = CustomerInput(first_name="علی", last_name=LAST_NAMES[i % len(LAST_NAMES)] + ("" if i < 12 else "ان"),
                             national_id=nid(i + (50 if actor is world.other_clerk else 0)),
                             mobile=f"0912{i + (50 if actor is world.other_clerk else 0):07d}",
                             customer_no=f"{7000 + i}", segment="affluent" if i % 3 == 0 else "mass", **kw)
        ids.append(world.services.customers.create(actor, data).value.id)
    return ids


def open_page(qtbot, ctx) -> CustomersPage:
    page = CustomersPage(ctx)
    qtbot.addWidget(page)
    page.resize(1100, 600)
    page.show()
    page.activated()
    wait_idle(qtbot, ctx)
    return page


def names(page: CustomersPage) -> list[str]:
    model = page.model
    return [model.row_at(i).display_name for i in range(model.rowCount())]


def search(qtbot, page: CustomersPage, text: str) -> None:
    page.search_box.setText(text)
    qtbot.waitUntil(lambda: page.model.filter.query == text.strip() and not page.model.loading, timeout=3000)
    wait_idle(qtbot, page.ctx)


def test_search_as_you_type_with_persian_and_latin_digits_and_arabic_letters(qtbot, ctx, world):
    add_customers(world)
    page = open_page(qtbot, ctx)
    assert page.model.rowCount() == len(LAST_NAMES)

    search(qtbot, page, to_persian_digits(nid(3)[:5]))  # Persian digits of a national ID's start
    assert names(page) == ["علی تهرانی"]
    national_id_cell = page.model.index(0, 1).data()
    assert national_id_cell == to_persian_digits(nid(3))  # shown in Persian digits

    search(qtbot, page, "09120000005")  # Latin digits of a mobile
    assert names(page) == ["علی حسینی"]

    search(qtbot, page, "ك")  # Arabic kaf and yeh find Persian names
    assert names(page) == []
    search(qtbot, page, "رضاي")
    assert names(page) == ["علی رضایی"]
    search(qtbot, page, "7011")  # customer number
    assert names(page) == ["علی شریفی"]

    search(qtbot, page, "ناشناس")
    assert page.model.rowCount() == 0
    assert "ناشناس" in page.hint.text()


def test_rows_come_in_keyset_pages_and_pass_the_model_tester(qtbot, ctx, world, qtmodeltester):
    add_customers(world)
    model = CustomerTableModel(ctx)  # no view asking for rows to fill the screen
    model.page_size = 3
    model.reload()
    wait_idle(qtbot, ctx)
    assert model.rowCount() == 3  # one page, never the whole table
    assert model.canFetchMore(model.index(0, 0).parent())
    qtmodeltester.check(model)
    while model.has_more:
        model.fetchMore(model.index(0, 0).parent())
        wait_idle(qtbot, ctx)
    assert model.rowCount() == len(LAST_NAMES)
    assert [model.row_at(i).display_name for i in range(12)] == [f"علی {last}" for last in LAST_NAMES]
    model.set_query("09")
    wait_idle(qtbot, ctx)
    qtmodeltester.check(model)


def test_name_column_sorts_descending_in_persian_order(qtbot, ctx, world):
    add_customers(world)
    page = open_page(qtbot, ctx)
    header = page.table.horizontalHeader()
    x = header.sectionViewportPosition(0) + header.sectionSize(0) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))
    wait_idle(qtbot, ctx)
    assert page.model.descending
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert names(page) == [f"علی {last}" for last in reversed(LAST_NAMES)]
    page.model.page_size = 4  # descending pages continue correctly
    page.model.reload()
    wait_idle(qtbot, ctx)
    while page.model.has_more:
        page.model.fetchMore(page.model.index(0, 0).parent())
        wait_idle(qtbot, ctx)
    assert names(page) == [f"علی {last}" for last in reversed(LAST_NAMES)]


def test_filter_by_segment_shows_only_that_segment(qtbot, ctx, world):
    add_customers(world)
    page = open_page(qtbot, ctx)
    combo = page.filters.segment
    combo.setCurrentIndex(combo.findData("affluent"))
    wait_idle(qtbot, ctx)
    assert names(page) == [f"علی {LAST_NAMES[i]}" for i in range(0, 12, 3)]
    assert {page.model.index(r, 5).data() for r in range(page.model.rowCount())} == {"ممتاز"}
    life = page.filters.lifecycle
    life.setCurrentIndex(life.findData("retention"))
    wait_idle(qtbot, ctx)
    assert page.model.rowCount() == 0


def test_clerk_sees_only_own_branch_and_has_no_branch_filter(qtbot, make_ctx, world):
    add_customers(world, count=4)
    add_customers(world, world.other_clerk, count=3)
    clerk_page = open_page(qtbot, make_ctx(world.clerk))
    assert clerk_page.model.rowCount() == 4
    assert clerk_page.filters.branch is None
    assert {clerk_page.model.index(r, 4).data() for r in range(4)} == {"۱۰۲۱"}

    admin_ctx = make_ctx(world.admin)
    admin_page = open_page(qtbot, admin_ctx)
    assert admin_page.model.rowCount() == 7
    branch = admin_page.filters.branch
    assert branch is not None
    qtbot.waitUntil(lambda: branch.count() == 3)  # «all» and the two branches
    branch.setCurrentIndex(2)  # 2040, the other branch
    wait_idle(qtbot, admin_ctx)
    assert admin_page.model.rowCount() == 3
    assert {admin_page.model.index(r, 4).data() for r in range(3)} == {"۲۰۴۰"}


def test_enter_opens_the_360_and_escape_returns_with_the_selection_kept(qtbot, ctx, world):
    ids = add_customers(world, count=5)
    page = open_page(qtbot, ctx)
    page.focus_search()
    qtbot.keyClick(page.search_box, Qt.Key.Key_Down)
    qtbot.keyClick(page.table, Qt.Key.Key_Down)
    assert page.selected_id() == ids[1]
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert page.showing_profile()
    qtbot.waitUntil(lambda: page.loaded_profile() is not None)
    assert page.profile.header.name.text() == "علی بهرامی"
    wait_idle(qtbot, ctx)

    assert page.go_back() is True
    assert not page.showing_profile()
    assert page.selected_id() == ids[1]
    assert page.go_back() is False


def test_double_click_opens_the_360(qtbot, ctx, world):
    ids = add_customers(world, count=3)
    page = open_page(qtbot, ctx)
    rect = page.table.visualRect(page.model.index(2, 0))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.showing_profile()
    qtbot.waitUntil(lambda: page.loaded_profile() is not None)
    assert page.loaded_profile().customer.id == ids[2]
    wait_idle(qtbot, ctx)


def test_a_customer_edited_elsewhere_is_redrawn_in_place(qtbot, ctx, world):
    ids = add_customers(world, count=5)
    page = open_page(qtbot, ctx)
    resets = QSignalSpy(page.model.modelReset)
    changed = QSignalSpy(page.model.dataChanged)
    detail = world.services.customers.get(world.clerk, ids[1])
    data = CustomerInput(first_name="علی", last_name="بهرامی", national_id=detail.national_id, mobile="09351112233",
                         segment="private")
    ctx.bus.publish(world.services.customers.edit(world.clerk2, ids[1], data).changes)
    qtbot.waitUntil(lambda: page.model.index(1, 2).data() == "۰۹۳۵۱۱۱۲۲۳۳")
    assert page.model.index(1, 5).data() == "ویژه"
    assert resets.count() == 0 and changed.count() == 1


def test_a_new_customer_elsewhere_reloads_the_list_and_keeps_the_selection(qtbot, ctx, world):
    ids = add_customers(world, count=4)
    page = open_page(qtbot, ctx)
    rect = page.table.visualRect(page.model.index(2, 0))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.selected_id() == ids[2]
    data = CustomerInput(first_name="بابک", last_name="آبادی", national_id=nid(40))
    ctx.bus.publish(world.services.customers.create(world.clerk2, data).changes)
    qtbot.waitUntil(lambda: page.model.rowCount() == 5)
    wait_idle(qtbot, ctx)
    assert names(page)[0] == "بابک آبادی"
    assert page.selected_id() == ids[2]


def test_ctrl_n_opens_the_new_customer_form_and_auditor_cannot(qtbot, make_ctx, world):
    page = open_page(qtbot, make_ctx(world.clerk))
    page.new_item()
    forms = page.findChildren(CustomerForm)
    assert len(forms) == 1 and forms[0].isVisible()
    forms[0].reject()
    auditor_page = open_page(qtbot, make_ctx(world.auditor))
    assert auditor_page.new_button.isHidden()
    auditor_page.new_item()
    assert auditor_page.findChildren(CustomerForm) == []
    QApplication.processEvents()
