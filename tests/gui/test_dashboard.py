"""The dashboard shows the services' figures in Persian digits, per role."""

from __future__ import annotations

from crm_desktop.persian.validators import make_national_id
from crm_desktop.services.records import CustomerInput
from crm_desktop.views.reporting.dashboard import DashboardPage
from tests.gui.conftest import wait_idle


def test_manager_sees_branch_figures_in_persian_digits(qtbot, make_ctx, world):
    for serial, segment in (("001234567", "affluent"), ("001234568", "mass"), ("001234569", "mass")):
        world.services.customers.create(world.clerk, CustomerInput(
            first_name="سارا", last_name="احمدی" + {"7": "ان", "8": "پور", "9": "زاده"}[serial[-1]],
            national_id=make_national_id(serial), segment=segment))
    ctx = make_ctx(world.manager)
    page = DashboardPage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.activated()
    wait_idle(qtbot, ctx)
    assert page.cards["customers"].value.text() == "۳"
    assert page.cards["open"].value.text() == "۰"
    assert not page.denied.isVisible() and not page.branch.isVisible()
    texts = [w.text() for w in page.segments.findChildren(type(page.period))]
    assert any("۲" in t and "۶۷٪" in t for t in texts)


def test_clerk_is_told_the_dashboard_is_for_managers(qtbot, ctx):
    page = DashboardPage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.activated()
    assert page.denied.isVisible() and not page.body.isVisible()
    assert not ctx.runner.busy


def test_auditor_chooses_a_branch(qtbot, make_ctx, world):
    world.services.customers.create(world.other_clerk, CustomerInput(
        first_name="سارا", last_name="ونکی", national_id=make_national_id("007654321"),
        branch_id=world.other_branch_id))
    ctx = make_ctx(world.auditor)
    page = DashboardPage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.activated()
    wait_idle(qtbot, ctx)
    assert page.branch.count() == 3
    assert page.cards["customers"].value.text() == "۱"
    page.branch.setCurrentIndex(page.branch.findData(world.branch_id))
    wait_idle(qtbot, ctx)
    assert page.cards["customers"].value.text() == "۰"
