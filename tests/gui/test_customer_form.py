"""The customer form: Persian input, errors next to fields as you type, Save only when valid, create, edit with
a version, a failed save that keeps the input, and duplicates (a hard refusal with a link, soft warnings)."""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtCore import Qt

from crm_desktop.persian import make_company_id, make_national_id, to_persian_digits
from crm_desktop.services.records import CustomerInput
from crm_desktop.views.customers.form import CustomerForm
from crm_desktop.views.customers.list_page import CustomersPage
from tests.gui.conftest import wait_idle

PERSIAN = re.compile(r"[\u0600-\u06FF]")
NID = make_national_id("201234567")
NID_2 = make_national_id("301234567")


def new_form(qtbot, ctx, **kw) -> CustomerForm:
    form = CustomerForm(ctx, **kw)
    qtbot.addWidget(form)
    form.show()
    return form


def customers(world, query: str = "") -> list:
    return world.services.search.search(world.admin, query).rows


def fill_person(form: CustomerForm, nid: str = NID) -> None:
    form.first_name.setText("زهرا")
    form.last_name.setText("موسوي")  # Arabic yeh, as older keyboards type it
    form.national_id.setText(to_persian_digits(nid))
    form.mobile.setText("۰۹۱۲۳۴۵۶۷۸۹")
    form.birth_date.line.setText("۱۳۷۰/۰۱/۱۵")


def test_invalid_national_id_shows_persian_error_next_to_field_and_saves_nothing(qtbot, ctx, world):
    form = new_form(qtbot, ctx)
    fill_person(form)
    form.national_id.setText("۱۲۳۴۵۶۷۸۹۰")
    qtbot.waitUntil(lambda: form.errors.text("national_id") != "")
    message = form.errors.text("national_id")
    assert PERSIAN.search(message) and "کد ملی" in message
    assert form.errors.text("first_name") == ""  # only the wrong field speaks
    assert not form.save_button.isEnabled()
    qtbot.keyClick(form.national_id, Qt.Key.Key_Return)  # Enter cannot save either
    wait_idle(qtbot, ctx)
    assert customers(world) == []
    assert form.isVisible()


def test_save_is_disabled_until_the_required_fields_are_valid(qtbot, ctx):
    form = new_form(qtbot, ctx)
    assert not form.save_button.isEnabled()
    assert form.errors.text("first_name") == ""  # nothing shouted before the user typed
    assert form.hint.isVisible()
    form.first_name.setText("زهرا")
    form.last_name.setText("موسوی")
    qtbot.waitUntil(lambda: form.current_errors.keys() == {"national_id"})
    assert not form.save_button.isEnabled()
    form.national_id.setText(NID)
    qtbot.waitUntil(form.save_button.isEnabled)
    assert not form.hint.isVisible()
    form.email.setText("not-an-email")
    qtbot.waitUntil(lambda: form.errors.text("email") != "")
    assert not form.save_button.isEnabled()


def test_saving_creates_the_customer_with_what_was_typed(qtbot, ctx, world):
    form = new_form(qtbot, ctx)
    fill_person(form)
    form.father_name.setText("حسين")
    form.segment.setCurrentIndex(form.segment.findData("affluent"))
    form.kyc_status.setCurrentIndex(form.kyc_status.findData("verified"))
    qtbot.waitUntil(lambda: form.errors.text("kyc_date") != "")  # a verified customer needs the KYC date
    form.kyc_date.line.setText("1405/08/20")
    form.marketing_consent.setChecked(True)
    form.notes.setPlainText("مشتری قدیمی شعبه")
    qtbot.waitUntil(form.save_button.isEnabled)
    with qtbot.waitSignal(form.saved, timeout=5000) as signal:
        form.save_button.click()
    detail, warnings = signal.args
    assert warnings == []
    saved = world.services.customers.get(world.clerk, detail.id)
    assert saved.display_name == "زهرا موسوی" and saved.father_name == "حسین"  # Persian ی
    assert saved.national_id == NID and saved.mobile == "09123456789"
    assert saved.birth_date == date(1991, 4, 4)
    assert (saved.segment, saved.kyc_status, saved.kyc_date) == ("affluent", "verified", date(2026, 11, 11))
    assert saved.marketing_consent and saved.notes == "مشتری قدیمی شعبه"
    assert saved.branch_id == world.clerk.branch_id
    assert not form.isVisible()


def test_corporate_kind_switches_the_fields_and_saves_a_company(qtbot, ctx, world):
    form = new_form(qtbot, ctx)
    form.first_name.setText("نام")  # typed first, then the clerk switches to a company
    form.corporate_radio.click()
    assert form.individual_box.isHidden() and not form.corporate_box.isHidden()
    form.company_name.setText("شرکت فولاد سپاهان")
    form.company_id.setText("۱۲۳")
    qtbot.waitUntil(lambda: form.errors.text("company_id") != "")
    assert "ملی" in form.errors.text("company_id")
    form.company_id.setText(make_company_id("1010123456"))
    form.contact_person.setText("مهندس رضایی")
    qtbot.waitUntil(form.save_button.isEnabled)
    with qtbot.waitSignal(form.saved, timeout=5000) as signal:
        form.save_button.click()
    saved = world.services.customers.get(world.clerk, signal.args[0].id)
    assert (saved.kind, saved.display_name, saved.first_name) == ("corporate", "شرکت فولاد سپاهان", None)


def test_edit_saves_with_the_version_and_a_conflict_keeps_the_input(qtbot, ctx, world):
    created = world.services.customers.create(
        world.clerk, CustomerInput(first_name="علی", last_name="کریمی", national_id=NID, birth_date="1360/05/05"))
    detail = created.value
    form = new_form(qtbot, ctx, customer=detail)
    assert form.first_name.text() == "علی" and form.national_id.text() == to_persian_digits(NID)
    assert form.birth_date.text() == "۱۳۶۰/۰۵/۰۵"
    qtbot.waitUntil(form.save_button.isEnabled)
    form.mobile.setText("09351234567")
    qtbot.waitUntil(form.save_button.isEnabled)
    with qtbot.waitSignal(form.saved, timeout=5000):
        form.save_button.click()
    saved = world.services.customers.get(world.clerk, detail.id)
    assert saved.mobile == "09351234567" and saved.version == detail.version + 1

    stale = new_form(qtbot, ctx, customer=saved)
    world.services.customers.edit(world.clerk2, detail.id, CustomerInput(
        first_name="علی", last_name="کریمی", national_id=NID, mobile="09120000000"))
    stale.last_name.setText("کریمی‌نژاد")
    qtbot.waitUntil(stale.save_button.isEnabled)
    stale.save_button.click()
    qtbot.waitUntil(stale.general.isVisible)
    assert "تغییر کرده" in stale.general.text()
    assert stale.isVisible() and stale.last_name.text() == "کریمی‌نژاد"
    assert world.services.customers.get(world.clerk, detail.id).last_name == "کریمی"


def test_duplicate_national_id_shows_the_warning_with_a_link_to_the_existing_customer(qtbot, ctx, world):
    existing = world.services.customers.create(
        world.clerk, CustomerInput(first_name="علی", last_name="کریمی", national_id=NID)).value
    form = new_form(qtbot, ctx)
    fill_person(form)
    qtbot.waitUntil(form.save_button.isEnabled)
    form.save_button.click()
    qtbot.waitUntil(form.duplicate_panel.isVisible)
    assert "علی کریمی" in form.duplicate_text.text()
    assert "کد ملی" in form.errors.text("national_id")
    assert form.first_name.text() == "زهرا"  # the input is kept
    with qtbot.waitSignal(form.existing_opened) as signal:
        form.open_existing_button.click()
    assert signal.args == [existing.id]
    assert len(customers(world)) == 1


def test_likely_duplicate_is_saved_and_the_360_shows_the_warning(qtbot, ctx, world):
    world.services.customers.create(
        world.clerk, CustomerInput(first_name="مینا", last_name="صالحی", national_id=NID_2, mobile="09123456789"))
    page = CustomersPage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.activated()
    page.new_item()
    form = page.findChild(CustomerForm)
    fill_person(form)  # same mobile as مینا صالحی
    qtbot.waitUntil(form.save_button.isEnabled)
    with qtbot.waitSignal(form.saved, timeout=5000) as signal:
        form.save_button.click()
    assert any("صالحی" in w for w in signal.args[1])
    assert page.showing_profile()
    qtbot.waitUntil(lambda: page.loaded_profile() is not None)
    warnings = page.profile.header.warnings
    assert warnings.isVisible() and "صالحی" in warnings.text()
    assert len(customers(world)) == 2
    wait_idle(qtbot, ctx)


def test_every_input_has_an_object_name_and_an_accessible_name(qtbot, ctx):
    form = new_form(qtbot, ctx)
    for field, widget in form.fields.inputs.items():
        assert widget.objectName() == field
        assert widget.accessibleName()
