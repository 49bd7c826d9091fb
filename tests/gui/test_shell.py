"""The shell: first run, sign-in with lockout, the main window, idle lock and sign-out, settings."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from crm_desktop import config
from crm_desktop.services import Services
from crm_desktop.services.records import CustomerInput
from crm_desktop.views.first_run import FirstRunDialog
from crm_desktop.views.main_window import MainWindow
from crm_desktop.views.settings_page import SettingsPage
from crm_desktop.views.sign_in import SignInDialog
from crm_desktop.views.tasks import TaskRunner
from tests.conftest import PASSWORD
from tests.gui.conftest import wait_idle


def test_first_run_creates_branch_and_admin_and_shows_errors_next_to_fields(qtbot, services: Services, qapp):
    runner = TaskRunner(services)
    dialog = FirstRunDialog(runner)
    qtbot.addWidget(dialog)
    dialog.branch_code.setText("۱۲")
    dialog.branch_name.setText("شعبه ونک")
    dialog.full_name.setText("مریم مدیری")
    dialog.username.setText("maryam")
    dialog.password.setText("Sarmaye-1405")
    dialog.repeat.setText("Sarmaye-1405")
    dialog.ok.click()
    qtbot.waitUntil(lambda: dialog.errors.text("branch_code") != "")
    assert "کد شعبه" in dialog.errors.text("branch_code")
    assert not services.users.has_users()

    dialog.branch_code.setText("۱۲۳۴")
    with qtbot.waitSignal(dialog.set_up, timeout=5000) as signal:
        dialog.ok.click()
    actor = signal.args[0]
    assert actor.username == "maryam" and actor.branch_code == "1234"
    assert services.users.has_users()


def test_sign_in_shows_lock_message_with_minutes_left(qtbot, world):
    runner = TaskRunner(world.services)
    dialog = SignInDialog(runner, username="clerk")
    qtbot.addWidget(dialog)
    for _ in range(5):
        dialog.password.setText("wrong-password-1")
        dialog.ok.click()
        qtbot.waitUntil(lambda: dialog.ok.isEnabled())
    dialog.password.setText(PASSWORD)
    dialog.ok.click()
    qtbot.waitUntil(lambda: dialog.ok.isEnabled())
    assert dialog.actor is None
    assert "قفل" in dialog.error.text() or "locked" in dialog.error.text()
    assert "۱۵" in dialog.error.text()


def test_sign_in_with_right_password_gives_the_actor(qtbot, world):
    dialog = SignInDialog(TaskRunner(world.services), username="clerk")
    qtbot.addWidget(dialog)
    dialog.password.setText(PASSWORD)
    with qtbot.waitSignal(dialog.signed_in, timeout=5000) as signal:
        dialog.ok.click()
    assert signal.args[0].user_id == world.clerk.user_id


def test_idle_lock_keeps_open_work_and_unlocks_for_the_same_user(qtbot, ctx, world):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    wait_idle(qtbot, ctx)
    window.idle.set_interval_ms(50)
    qtbot.waitUntil(lambda: window.locked, timeout=3000)
    assert not window.centralWidget().isVisible()
    dialog = window._lock_dialog
    assert dialog is not None and dialog.username.isReadOnly()
    dialog.password.setText(PASSWORD)
    window.idle.pause()
    dialog.ok.click()
    qtbot.waitUntil(lambda: not window.locked, timeout=5000)
    assert window.centralWidget().isVisible()


def test_main_window_status_bar_names_user_branch_database_and_pending_changes(qtbot, ctx, world):
    world.services.customers.create(world.clerk, CustomerInput(first_name="علی", last_name="کریمی",
                                                               national_id="0012345679"))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    wait_idle(qtbot, ctx)
    assert window.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert "مریم کارمند" in window.user_label.text()
    assert "۱۰۲۱" in window.branch_label.text()
    assert Path(ctx.db_path).name in window.db_label.text()
    pending = world.services.sync_state.pending_changes()
    assert pending > 0
    qtbot.waitUntil(lambda: any(ch in window.pending_label.text() for ch in "۰۱۲۳۴۵۶۷۸۹"))
    from crm_desktop.persian import format_number

    assert format_number(pending) in window.pending_label.text()


def test_settings_are_saved_and_backup_is_refused_for_a_clerk(qtbot, ctx, tmp_path, world, make_ctx):
    settings_file = tmp_path / "settings.json"
    page = SettingsPage(ctx, settings_file=settings_file)
    qtbot.addWidget(page)
    page.idle_minutes.setValue(25)
    assert config.load_settings(settings_file).idle_lock_minutes == 25
    assert not page.backup_button.isEnabled()

    manager_page = SettingsPage(make_ctx(world.manager), settings_file=settings_file)
    qtbot.addWidget(manager_page)
    target = tmp_path / "copy.db"
    manager_page.back_up_to(target)
    qtbot.waitUntil(lambda: target.exists() and manager_page.backup_button.isEnabled(), timeout=5000)
    import sqlite3

    assert sqlite3.connect(target).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert not target.with_name("copy.db.partial").exists()


def test_sign_out_closes_the_window_and_says_so(qtbot, ctx):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.signed_out, timeout=3000):
        window.sign_out_button.click()
    assert not window.isVisible()


def test_ctrl_f_and_alt_number_move_between_sections(qtbot, ctx):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)
    assert window.current_page() is window.pages["requests"]
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.AltModifier)
    assert window.current_page() is window.pages["duplicates"]
    qtbot.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.AltModifier)
    assert window.current_page() is window.pages["conflicts"]
    qtbot.keyClick(window, Qt.Key.Key_7, Qt.KeyboardModifier.AltModifier)
    assert window.current_page() is window.pages["settings"]
    wait_idle(qtbot, ctx)
