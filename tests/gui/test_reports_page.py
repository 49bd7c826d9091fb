"""The report maker: the period presets in Jalali, the form per role, a report made off the UI thread."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from crm_desktop.persian.validators import make_national_id
from crm_desktop.reports.period import jalali_month
from crm_desktop.services.records import CustomerInput
from crm_desktop.views.reporting import reports_page
from crm_desktop.views.reporting.reports_page import ReportsPage
from crm_desktop.views.reporting.section import ReportsSection
from tests.gui.conftest import wait_idle


def make_page(qtbot, ctx) -> ReportsPage:
    page = ReportsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.activated()
    wait_idle(qtbot, ctx)
    return page


def test_presets_fill_the_jalali_dates_and_custom_dates_are_editable(qtbot, make_ctx, world):
    page = make_page(qtbot, make_ctx(world.manager))
    # The fake clock is 1405/09/02.
    assert (page.first.date(), page.last.date()) == (jalali_month(1405, 9).first, jalali_month(1405, 9).last)
    page.preset.setCurrentIndex(page.preset.findData("last_month"))
    assert (page.first.date(), page.last.date()) == (jalali_month(1405, 8).first, jalali_month(1405, 8).last)
    page.preset.setCurrentIndex(page.preset.findData("this_year"))
    assert page.first.date() == jalali_month(1405, 1).first and page.last.date() == jalali_month(1405, 12).last
    assert not page.first.isEnabled()
    page.preset.setCurrentIndex(page.preset.findData("custom"))
    assert page.first.isEnabled() and page.last.isEnabled()
    assert not page.branch.isEnabled()  # a manager reports on their own branch


def test_a_period_that_ends_before_it_starts_is_refused_in_persian(qtbot, make_ctx, world, monkeypatch):
    page = make_page(qtbot, make_ctx(world.manager))
    asked: list[Path] = []
    monkeypatch.setattr(reports_page, "ask_save_path", lambda *a: asked.append(a[1]))
    page.preset.setCurrentIndex(page.preset.findData("custom"))
    page.first.set_date(jalali_month(1405, 8).last)
    page.last.set_date(jalali_month(1405, 8).first)
    page.make_button.click()
    assert "پایان دوره پیش از آغاز" in page.error.text()
    assert asked == []


def test_manager_makes_an_excel_report_off_the_ui_thread_and_is_offered_to_open_it(
        qtbot, make_ctx, world, monkeypatch, tmp_path):
    world.services.customers.create(world.clerk, CustomerInput(
        first_name="سارا", last_name="احمدی", national_id=make_national_id("001234567"), segment="affluent"))
    ctx = make_ctx(world.manager)
    page = make_page(qtbot, ctx)
    target = tmp_path / "customers.xlsx"
    opened: list[Path] = []
    monkeypatch.setattr(reports_page, "ask_save_path", lambda parent, suggested, fmt: target)
    monkeypatch.setattr(reports_page, "offer_to_open", lambda parent, path: opened.append(path))
    page.report.setCurrentIndex(page.report.findData("customers"))
    page.xlsx.setChecked(True)
    page.make_button.click()
    qtbot.waitUntil(lambda: opened == [target], timeout=20000)
    assert page.make_button.isEnabled()
    sheets = openpyxl.load_workbook(target, read_only=True).sheetnames
    assert len(sheets) >= 2
    with world.db.read_raw() as conn:
        assert conn.execute("SELECT count(*) FROM access_log WHERE action = 'report'").fetchone()[0] == 1


def test_customer_profile_asks_for_the_customer_not_the_period(qtbot, make_ctx, world, monkeypatch, tmp_path):
    world.services.customers.create(world.clerk, CustomerInput(
        first_name="سارا", last_name="احمدی", national_id=make_national_id("001234567")))
    page = make_page(qtbot, make_ctx(world.manager))
    page.report.setCurrentIndex(page.report.findData("customer-profile"))
    assert page.customer.isVisible() and not page.preset.isVisible()
    target = tmp_path / "profile.pdf"
    opened: list[Path] = []
    monkeypatch.setattr(reports_page, "ask_save_path", lambda parent, suggested, fmt: target)
    monkeypatch.setattr(reports_page, "offer_to_open", lambda parent, path: opened.append(path))
    page.customer.setText("۰۰۱۲۳۴۵۶۷" + make_national_id("001234567")[-1])
    page.make_button.click()
    qtbot.waitUntil(lambda: opened == [target], timeout=20000)
    assert target.read_bytes().startswith(b"%PDF")


def test_clerk_does_not_see_the_report_form(qtbot, ctx):
    page = make_page(qtbot, ctx)
    assert page.denied.isVisible() and not page.form_widget.isVisible()


def test_admin_picks_any_branch_and_the_section_has_both_tabs(qtbot, make_ctx, world):
    ctx = make_ctx(world.admin)
    section = ReportsSection(ctx)
    qtbot.addWidget(section)
    section.show()
    section.activated()
    section.tabs.setCurrentIndex(1)
    wait_idle(qtbot, ctx)
    codes = [section.reports.branch.itemData(i) for i in range(section.reports.branch.count())]
    assert codes[0] is None and {"1021", "2040"} <= set(codes)
