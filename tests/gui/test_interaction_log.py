"""Logging an interaction from the customer's screen: a few keystrokes, Persian errors, edits by the right people."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from crm_desktop.services.interactions import InteractionInput
from crm_desktop.views.interactions.log_dialog import LogInteractionDialog
from tests.gui.conftest import wait_idle


def open_dialog(qtbot, ctx, customer: str, **kw) -> LogInteractionDialog:
    dialog = LogInteractionDialog(ctx, customer_id=customer, customer_name="علی کریمی", **kw)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def logged(world, customer: str):
    return world.services.interactions.list(world.clerk, customer_id=customer).rows


def test_persian_subject_and_enter_logs_a_branch_visit_now(qtbot, ctx, world, customer):
    dialog = open_dialog(qtbot, ctx, customer)
    assert dialog.focusWidget() is dialog.subject
    assert not dialog.save_button.isEnabled()
    dialog.subject.setText("پیگیری درخواست وام مسکن")
    assert dialog.save_button.isEnabled()
    with qtbot.waitSignal(dialog.logged, timeout=5000) as signal:
        QTest.keyClick(dialog.subject, Qt.Key.Key_Return)
    rows = logged(world, customer)
    assert [r.subject for r in rows] == ["پیگیری درخواست وام مسکن"]
    row = rows[0]
    assert signal.args[0].id == row.id
    assert (row.channel, row.direction, row.user_id) == ("branch", "inbound", world.clerk.user_id)
    assert row.occurred_at.replace(tzinfo=UTC) == world.clock()
    assert row.follow_up_on is None and row.outcome is None and row.duration_minutes is None


def test_empty_subject_shows_persian_error_and_saves_nothing(qtbot, ctx, world, customer):
    dialog = open_dialog(qtbot, ctx, customer)
    assert dialog.errors.text("subject") == ""  # nothing shouted before the user typed
    dialog.subject.setText("و")
    dialog.subject.setText("   ")
    assert "موضوع" in dialog.errors.text("subject")
    assert not dialog.save_button.isEnabled()
    QTest.keyClick(dialog.subject, Qt.Key.Key_Return)
    dialog.save()
    wait_idle(qtbot, ctx)
    assert dialog.isVisible()
    assert logged(world, customer) == []


@pytest.mark.parametrize("typed", ["1405/9/10", "۱۴۰۵/۹/۱۰"])
def test_follow_up_date_in_latin_or_persian_digits_is_saved(qtbot, ctx, world, customer, typed):
    dialog = open_dialog(qtbot, ctx, customer)
    dialog.subject.setText("درخواست کارت")
    if typed.isascii():
        QTest.keyClicks(dialog.follow_up.line, typed)
    else:
        dialog.follow_up.line.setText(typed)
    assert dialog.errors.text("follow_up_on") == ""
    with qtbot.waitSignal(dialog.logged, timeout=5000):
        dialog.save_button.click()
    assert logged(world, customer)[0].follow_up_on == date(2026, 12, 1)


def test_bad_follow_up_date_and_duration_show_errors_next_to_fields(qtbot, ctx, world, customer):
    dialog = open_dialog(qtbot, ctx, customer)
    dialog.subject.setText("تماس")
    QTest.keyClicks(dialog.follow_up.line, "1405/12/31")
    QTest.keyClicks(dialog.duration, "abc")
    assert "اسفند" in dialog.errors.text("follow_up_on")
    assert "مدت" in dialog.errors.text("duration_minutes")
    assert not dialog.save_button.isEnabled()
    dialog.follow_up.line.setText("")
    dialog.duration.setText("")
    QTest.keyClicks(dialog.duration, "45")
    assert dialog.save_button.isEnabled()


def test_every_field_is_saved_with_tehran_time_stored_as_utc(qtbot, ctx, world, customer):
    dialog = open_dialog(qtbot, ctx, customer)
    dialog.subject.setText("معرفی سپرده جدید")
    dialog.channel.setCurrentIndex(dialog.channel.findData("phone"))
    dialog.direction.setCurrentIndex(dialog.direction.findData("outbound"))
    dialog.notes.setPlainText("مشتری علاقه‌مند بود.")
    dialog.date.line.setText("۱۴۰۵/۹/۱")
    dialog.time.setTime(dialog.time.time().fromString("14:30", "HH:mm"))
    dialog.duration.setText("۱۲")
    dialog.outcome.setCurrentIndex(dialog.outcome.findData("follow_up"))
    with qtbot.waitSignal(dialog.logged, timeout=5000):
        dialog.save()
    row = logged(world, customer)[0]
    assert (row.channel, row.direction, row.notes, row.duration_minutes, row.outcome) == (
        "phone", "outbound", "مشتری علاقه‌مند بود.", 12, "follow_up")
    assert row.occurred_at.replace(tzinfo=UTC) == datetime(2026, 11, 22, 11, 0, tzinfo=UTC)


def test_time_is_typed_hours_first_in_latin_digits(qtbot, ctx, customer):
    dialog = open_dialog(qtbot, ctx, customer)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.time.setFocus(Qt.FocusReason.TabFocusReason)  # as when the user tabs into it
    QTest.keyClicks(dialog.time, "08")
    QTest.keyClicks(dialog.time, ":15")
    assert (dialog.time.time().hour(), dialog.time.time().minute()) == (8, 15)


def test_a_time_in_the_future_is_refused(qtbot, ctx, world, customer):
    dialog = open_dialog(qtbot, ctx, customer)
    dialog.subject.setText("تماس")
    dialog.date.line.setText("۱۴۰۵/۹/۳")
    assert "آینده" in dialog.errors.text("occurred_at")
    assert not dialog.save_button.isEnabled()


def test_ctrl_enter_in_the_notes_saves(qtbot, ctx, world, customer):
    dialog = open_dialog(qtbot, ctx, customer)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.subject.setText("شکایت از کارمزد")
    dialog.notes.setFocus()
    QTest.keyClicks(dialog.notes, "ok")
    with qtbot.waitSignal(dialog.logged, timeout=5000):
        QTest.keyClick(dialog.notes, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert logged(world, customer)[0].notes == "ok"


def test_clerk_cannot_edit_a_colleagues_interaction(qtbot, ctx, world, customer, shown):
    data = InteractionInput(customer_id=customer, channel="phone", direction="outbound", subject="تماس همکار")
    row = world.services.interactions.log(world.clerk2, data).value
    dialog = open_dialog(qtbot, ctx, customer, interaction=row)
    assert dialog.subject.text() == "تماس همکار"
    dialog.subject.setText("تغییر غیرمجاز")
    dialog.save()
    qtbot.waitUntil(lambda: shown.texts != [], timeout=5000)
    assert "فقط ثبت‌کننده" in shown.texts[0]
    assert dialog.isVisible() and dialog.subject.text() == "تغییر غیرمجاز"  # the input is kept
    assert dialog.save_button.isEnabled()
    assert [r.subject for r in logged(world, customer)] == ["تماس همکار"]


def test_author_edits_own_interaction_from_prefilled_fields(qtbot, ctx, world, customer):
    when = world.clock() - timedelta(hours=2, seconds=17)
    data = InteractionInput(customer_id=customer, channel="sms", direction="outbound", subject="پیامک سررسید",
                            notes="ارسال شد", occurred_at=when, duration_minutes=5, outcome="answered",
                            follow_up_on=date(2026, 12, 1))
    row = world.services.interactions.log(world.clerk, data).value
    dialog = open_dialog(qtbot, ctx, customer, interaction=row)
    assert dialog.windowTitle() == dialog.tr("Edit interaction")
    assert (dialog.channel.currentData(), dialog.direction.currentData(), dialog.outcome.currentData()) == (
        "sms", "outbound", "answered")
    assert (dialog.notes.toPlainText(), dialog.duration.text(), dialog.follow_up.text()) == (
        "ارسال شد", "۵", "۱۴۰۵/۰۹/۱۰")
    assert dialog.save_button.isEnabled()
    dialog.subject.setText("پیامک سررسید قسط")
    with qtbot.waitSignal(dialog.logged, timeout=5000) as signal:
        dialog.save()
    assert signal.args[0].version == row.version + 1
    saved = logged(world, customer)[0]
    assert saved.subject == "پیامک سررسید قسط"
    assert saved.occurred_at == row.occurred_at  # untouched date and time keep their seconds


def test_manager_edits_a_clerks_interaction(qtbot, make_ctx, world, customer):
    data = InteractionInput(customer_id=customer, channel="phone", direction="inbound", subject="تماس")
    row = world.services.interactions.log(world.clerk, data).value
    dialog = open_dialog(qtbot, make_ctx(world.manager), customer, interaction=row)
    dialog.subject.setText("تماس تلفنی مشتری")
    with qtbot.waitSignal(dialog.logged, timeout=5000):
        dialog.save()
    assert logged(world, customer)[0].subject == "تماس تلفنی مشتری"


def test_every_input_has_an_object_and_accessible_name(qtbot, ctx, customer):
    dialog = open_dialog(qtbot, ctx, customer)
    for widget in (dialog.subject, dialog.channel, dialog.direction, dialog.notes, dialog.date.line, dialog.time,
                   dialog.duration, dialog.outcome, dialog.follow_up.line):
        assert widget.objectName() and widget.accessibleName(), widget
