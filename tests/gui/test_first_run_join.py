"""The first-run wizard's "join a branch server" page: fields validate with Persian messages, the join runs off the
UI thread with progress and Stop, a join that stopped continues, and (with PostgreSQL) a real join signs in."""

from __future__ import annotations

import threading
from pathlib import Path

from crm_desktop import config
from crm_desktop.app import GuiOptions, Session
from crm_desktop.db.migrate import open_database
from crm_desktop.models.enums import Role
from crm_desktop.progress import CancellableProgress
from crm_desktop.services import Services
from crm_desktop.services.actor import Actor
from crm_desktop.sync.client.join import JoinInterrupted, JoinRequest
from crm_desktop.views.first_run import FirstRunDialog
from crm_desktop.views.tasks import TaskRunner
from tests.conftest import PASSWORD
from tests.gui.test_sync_loop import real_server

__all__ = ["real_server"]
ACTOR = Actor(user_id="u1", username="clerk", full_name="مریم کارمند", role=Role.CLERK, branch_id="b1",
              branch_code="1021")


def dialog_with(qtbot, qapp, services: Services, join) -> FirstRunDialog:  # type: ignore[no-untyped-def]
    dialog = FirstRunDialog(TaskRunner(services), join=join)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.join_mode.setChecked(True)
    return dialog


def fill(dialog: FirstRunDialog, *, server: str = "https://sync.example.ir", code: str = "ABCD-EFGH-JKLM",
         username: str = "clerk", password: str = PASSWORD) -> None:
    dialog.server.setText(server)
    dialog.code.setText(code)
    dialog.join_username.setText(username)
    dialog.join_password.setText(password)


def test_join_fields_are_checked_before_anything_is_sent(qtbot, qapp, services) -> None:
    calls: list[JoinRequest] = []
    dialog = dialog_with(qtbot, qapp, services, lambda request, progress: calls.append(request) or ACTOR)
    assert dialog.pages.currentIndex() == 1 and dialog.ok.text() == dialog.tr("Join")
    fill(dialog, server="sync.example.ir", code="", username="", password="")
    dialog.ok.click()
    assert not calls
    assert dialog.join_errors.text("server") == "نشانی سرور را کامل بدهید، مانند https://sync.example.ir"
    assert dialog.join_errors.text("code") == "کد ثبت دستگاه را که مدیر سامانه داده است وارد کنید."
    assert dialog.join_errors.text("username") == "نام کاربری خود در سرور را وارد کنید."
    assert dialog.join_errors.text("password") == "گذرواژه را وارد کنید."

    fill(dialog)
    with qtbot.waitSignal(dialog.set_up, timeout=5000) as signal:
        dialog.ok.click()
    assert signal.args[0] is ACTOR
    assert calls[0].server_url == "https://sync.example.ir" and calls[0].username == "clerk"
    assert not calls[0].encrypted


def test_a_stopped_join_shows_progress_then_continues_without_the_code(qtbot, qapp, services) -> None:
    started = threading.Event()
    attempts: list[JoinRequest] = []

    def join(request: JoinRequest, progress: CancellableProgress) -> Actor:
        attempts.append(request)
        if len(attempts) == 1:
            progress.update(1200, None, "دریافت تغییرها")
            started.set()
            while True:  # a long bootstrap, until Stop
                progress.check()
                threading.Event().wait(0.01)
        if len(attempts) == 2:
            raise JoinInterrupted("دریافت داده‌های شعبه نیمه‌کاره ماند: سرور همگام‌سازی در دسترس نیست.")
        return ACTOR

    dialog = dialog_with(qtbot, qapp, services, join)
    fill(dialog)
    dialog.ok.click()
    qtbot.waitUntil(started.is_set, timeout=5000)
    qtbot.waitUntil(lambda: "1" in dialog.join_status.text() or "۱" in dialog.join_status.text(), timeout=5000)
    assert dialog.join_bar.isVisible() and dialog.stop.isVisible() and not dialog.ok.isEnabled()
    dialog.stop.click()
    qtbot.waitUntil(lambda: dialog.ok.isEnabled(), timeout=5000)
    assert not dialog.stop.isVisible() and not dialog.code.isEnabled() and not dialog.server.isEnabled()

    dialog.join_password.setText(PASSWORD)
    dialog.ok.click()
    qtbot.waitUntil(lambda: dialog.ok.isEnabled(), timeout=5000)
    assert dialog.general.isVisible() and "نیمه‌کاره" in dialog.general.text()

    dialog.join_password.setText(PASSWORD)
    with qtbot.waitSignal(dialog.set_up, timeout=5000):
        dialog.ok.click()
    assert len(attempts) == 3


def test_the_wizard_joins_a_real_server_and_signs_in(qtbot, qapp, world, real_server, tmp_path: Path) -> None:
    path = tmp_path / "desk2.db"
    services = Services(open_database(path))
    session = Session(qapp, services, GuiOptions(db_path=path, http_client=real_server.client),
                      config.UserSettings())
    dialog = session.first_run_dialog()
    qtbot.addWidget(dialog)
    dialog.join_mode.setChecked(True)
    fill(dialog, server="http://testserver", code=real_server.code("1021"), password="Wrong-Pass-1405")
    dialog.ok.click()
    qtbot.waitUntil(lambda: dialog.ok.isEnabled(), timeout=15_000)
    assert dialog.general.isVisibleTo(dialog) and "گذرواژه" in dialog.general.text()

    dialog.join_password.setText(PASSWORD)  # the same registration: no new code needed
    with qtbot.waitSignal(dialog.set_up, timeout=30_000) as signal:
        dialog.ok.click()
    assert signal.args[0].username == "clerk" and signal.args[0].branch_id == world.branch_id
    assert session.services is not None and session.services.db.path == path
    assert session.credentials is not None and session.credentials.username == "clerk"
    assert session.services.users.authenticate("clerk", PASSWORD).username == "clerk"
    session.runner.wait_idle()
    session.services.db.dispose()
