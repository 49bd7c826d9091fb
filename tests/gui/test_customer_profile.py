"""Customer 360°: the header's facts, the timeline newest first, products and details, change history for
managers and auditors only, buttons per role, the access log, and refreshing when the customer changes."""

from __future__ import annotations

from datetime import UTC, date, datetime

from PySide6.QtCore import Qt

from crm_desktop.persian import make_national_id, to_persian_digits
from crm_desktop.services.interactions import InteractionInput
from crm_desktop.services.records import CustomerInput
from crm_desktop.services.service_requests import RequestInput
from crm_desktop.views.customers.list_page import CustomersPage
from crm_desktop.views.customers.timeline_model import KIND_ROLE
from tests.gui.conftest import wait_idle

NID = make_national_id("401234567")


def make_customer(world) -> str:
    return world.services.customers.create(world.clerk, CustomerInput(
        first_name="فاطمه", last_name="نوری", national_id=NID, mobile="09121112233", segment="affluent",
        lifecycle_stage="retention", kyc_status="verified", kyc_date="1405/08/01", birth_date="1365/02/10",
    )).value.id


def add_history(world, cid: str) -> None:
    """Two interactions and two requests, interleaved in time."""
    log = world.services.interactions.log
    world.clock.current = datetime(2026, 11, 21, 7, 0, tzinfo=UTC)
    world.services.requests.open(world.clerk, RequestInput(cid, "complaint", "high", "کارمزد اشتباه"))
    world.clock.current = datetime(2026, 11, 23, 6, 30, tzinfo=UTC)
    log(world.clerk, InteractionInput(cid, "phone", "inbound", "پرسش درباره سود سپرده",
                                      occurred_at=datetime(2026, 11, 20, 8, 0, tzinfo=UTC)))
    log(world.clerk, InteractionInput(cid, "branch", "inbound", "افتتاح حساب",
                                      occurred_at=datetime(2026, 11, 22, 9, 0, tzinfo=UTC)))
    world.services.requests.open(world.clerk, RequestInput(cid, "inquiry", "normal", "وضعیت وام"))


def open_profile(qtbot, ctx, cid: str) -> CustomersPage:
    page = CustomersPage(ctx)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    page.open_customer(cid)
    qtbot.waitUntil(lambda: page.loaded_profile() is not None)
    wait_idle(qtbot, ctx)
    return page


def test_header_shows_the_key_facts_as_chips(qtbot, ctx, world):
    cid = make_customer(world)
    add_history(world, cid)
    page = open_profile(qtbot, ctx, cid)
    header = page.profile.header
    assert header.name.text() == "فاطمه نوری"
    assert to_persian_digits(NID) in header.chips["identity"].text()
    assert "۰۹۱۲۱۱۱۲۲۳۳" in header.chips["mobile"].text()
    assert "۱۰۲۱" in header.chips["branch"].text()
    assert "احراز شده" in header.chips["kyc"].text()
    assert "ممتاز" in header.chips["segment"].text()
    assert "حفظ" in header.chips["lifecycle"].text()
    assert "۲" in header.chips["open_requests"].text()
    assert header.chips["open_requests"].property("role") == "chip-warn"
    details = page.profile.details.values
    assert details["birth_date"].text() == "۱۳۶۵/۰۲/۱۰"
    assert details["national_id"].text() == to_persian_digits(NID)
    assert "company_id" not in details


def test_timeline_lists_interactions_and_requests_newest_first(qtbot, ctx, world):
    cid = make_customer(world)
    add_history(world, cid)
    page = open_profile(qtbot, ctx, cid)
    model = page.profile.timeline_model
    subjects = [model.index(r, 2).data() for r in range(model.rowCount())]
    assert subjects == ["وضعیت وام", "افتتاح حساب", "کارمزد اشتباه", "پرسش درباره سود سپرده"]
    kinds = [model.index(r, 0).data(KIND_ROLE) for r in range(4)]
    assert kinds == ["request", "interaction", "request", "interaction"]
    assert model.index(1, 0).data() == "۱۴۰۵/۰۹/۰۱ ۱۲:۳۰"  # Tehran time, Jalali, Persian digits
    assert "تماس تلفنی" in model.index(3, 1).data()
    assert model.index(0, 3).data() == "جدید"


def test_double_click_on_a_request_opens_it_through_the_page(qtbot, ctx, world):
    cid = make_customer(world)
    add_history(world, cid)
    page = open_profile(qtbot, ctx, cid)
    view = page.profile.timeline
    request_id = view.model().index(0, 0).data(Qt.ItemDataRole.UserRole)
    rect = view.visualRect(view.model().index(0, 2))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(page.request_opened) as signal:
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert signal.args == [request_id]


def test_change_history_only_for_managers_and_auditors(qtbot, make_ctx, world):
    cid = make_customer(world)
    world.services.customers.edit(world.clerk2, cid, CustomerInput(
        first_name="فاطمه", last_name="نوری", national_id=NID, mobile="09351112233", segment="private",
        lifecycle_stage="retention", kyc_status="verified", kyc_date="1405/08/01", birth_date="1365/02/10"))
    clerk_page = open_profile(qtbot, make_ctx(world.clerk), cid)
    assert clerk_page.profile.history is None
    assert clerk_page.profile.tabs.count() == 3  # timeline, products, details
    for actor in (world.manager, world.auditor):
        ctx = make_ctx(actor)
        page = open_profile(qtbot, ctx, cid)
        assert page.profile.tabs.count() == 4
        history = page.profile.history_model
        qtbot.waitUntil(lambda history=history: history.rowCount() == 2)
        newest = [history.index(0, c).data() for c in range(4)]
        assert newest[1] == "حسن همکار"
        assert "۰۹۱۲۱۱۱۲۲۳۳" in newest[3] and "۰۹۳۵۱۱۱۲۲۳۳" in newest[3]
        assert "ویژه" in newest[3] and "ممتاز" in newest[3]
        assert "sort_key" not in history.index(1, 3).data()


def test_buttons_per_role_edit_hidden_for_the_auditor(qtbot, make_ctx, world):
    cid = make_customer(world)
    clerk_page = open_profile(qtbot, make_ctx(world.clerk), cid)
    profile = clerk_page.profile
    assert not profile.edit_button.isHidden() and profile.edit_button.isEnabled()
    assert not profile.log_button.isHidden() and not profile.request_button.isHidden()
    auditor_page = open_profile(qtbot, make_ctx(world.auditor), cid)
    profile = auditor_page.profile
    assert profile.edit_button.isHidden()
    assert profile.log_button.isHidden() and profile.request_button.isHidden()


def test_opening_the_360_writes_one_access_log_entry(qtbot, ctx, world):
    cid = make_customer(world)
    open_profile(qtbot, ctx, cid)
    entries = world.services.audit.access_log(world.auditor, target_id=cid).rows
    assert [(e.action, e.user_id) for e in entries] == [("view_customer", world.clerk.user_id)]


def test_the_360_refreshes_when_this_customer_changes(qtbot, ctx, world):
    cid = make_customer(world)
    page = open_profile(qtbot, ctx, cid)
    assert page.profile.timeline_model.rowCount() == 0
    outcome = world.services.interactions.log(world.clerk2, InteractionInput(
        cid, "sms", "outbound", "یادآوری قسط", occurred_at=datetime(2026, 11, 23, 6, 0, tzinfo=UTC)))
    ctx.bus.publish(outcome.changes)
    qtbot.waitUntil(lambda: page.profile.timeline_model.rowCount() == 1)
    assert page.profile.timeline_model.index(0, 2).data() == "یادآوری قسط"
    wait_idle(qtbot, ctx)


def test_edit_button_opens_the_form_with_the_customer_and_saving_refreshes(qtbot, ctx, world):
    from crm_desktop.views.customers.form import CustomerForm

    cid = make_customer(world)
    page = open_profile(qtbot, ctx, cid)
    page.profile.edit_button.click()
    form = page.profile.findChild(CustomerForm)
    assert form is not None and form.customer.id == cid
    form.last_name.setText("نوری‌زاده")
    qtbot.waitUntil(form.save_button.isEnabled)
    form.save_button.click()
    qtbot.waitUntil(lambda: page.profile.header.name.text() == "فاطمه نوری‌زاده", timeout=5000)
    assert world.services.customers.get(world.clerk, cid).last_name == "نوری‌زاده"
    assert page.profile.details.values["birth_date"].text() == "۱۳۶۵/۰۲/۱۰"
    assert date(1986, 4, 30) == world.services.customers.get(world.clerk, cid).birth_date
    wait_idle(qtbot, ctx)


def test_ctrl_l_and_ctrl_r_open_the_log_and_request_dialogs_for_this_customer(qtbot, ctx, world):
    from crm_desktop.views.interactions.log_dialog import LogInteractionDialog
    from crm_desktop.views.service_requests.open_dialog import OpenRequestDialog

    cid = make_customer(world)
    page = open_profile(qtbot, ctx, cid)
    page.activateWindow()
    qtbot.waitUntil(lambda: page.profile.timeline.hasFocus() or page.isActiveWindow())
    page.profile.timeline.setFocus()
    for key, kind in ((Qt.Key.Key_L, LogInteractionDialog), (Qt.Key.Key_R, OpenRequestDialog)):
        qtbot.keyClick(page.profile.timeline, key, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda kind=kind: any(d.isVisible() for d in page.profile.findChildren(kind)))
        wait_idle(qtbot, ctx)
        for dialog in page.profile.findChildren(kind):
            dialog.reject()
        page.profile.timeline.setFocus()
