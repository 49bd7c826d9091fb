"""Signing in to an encrypted database: the password first opens the database, then signs the user in."""

from __future__ import annotations

from pathlib import Path

from crm_desktop import config
from crm_desktop.app import GuiOptions, Session
from crm_desktop.db import cipher
from crm_desktop.db.migrate import open_database, open_database_as
from crm_desktop.services import Services

USER, PASSWORD = "meydani", "Safar-Kari-1405"


def test_the_password_unlocks_the_database_then_signs_in(qtbot, qapp, tmp_path: Path) -> None:
    path = tmp_path / "field.db"
    db = open_database(path, key=cipher.create_key_file(path, USER, PASSWORD))
    Services(db).users.first_run(branch_code="4101", branch_name="شعبه سیار", username=USER,
                                 full_name="کارشناس میدانی", password=PASSWORD)
    db.dispose()
    opened: list[Services] = []

    def open_encrypted(username: str, password: str) -> Services:
        opened.append(Services(open_database_as(path, username, password)))
        return opened[-1]

    session = Session(qapp, None, GuiOptions(db_path=path, open_encrypted=open_encrypted), config.UserSettings())
    dialog = session.unlock_dialog()
    qtbot.addWidget(dialog)
    assert dialog.hint.isVisibleTo(dialog) and "رمزگذاری" in dialog.hint.text()

    dialog.username.setText(USER)
    dialog.password.setText("Ghalat-Ramz-1405")
    dialog.ok.click()
    qtbot.waitUntil(lambda: dialog.ok.isEnabled())
    assert dialog.actor is None and session.services is None and not opened
    assert dialog.error.text() == "نام کاربری یا گذرواژه نادرست است."

    dialog.password.setText(PASSWORD)
    with qtbot.waitSignal(dialog.signed_in, timeout=10_000) as signal:
        dialog.ok.click()
    assert signal.args[0].username == USER
    assert session.services is opened[0] and session.runner.services is opened[0]
    opened[0].db.dispose()


def test_the_first_run_can_make_the_database_encrypted(qtbot, qapp, tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    services = Services(open_database(path))
    session = Session(qapp, services, GuiOptions(db_path=path), config.UserSettings())
    dialog = session.first_run_dialog()
    qtbot.addWidget(dialog)
    assert dialog.encrypt.isVisibleTo(dialog) and "رمز" in dialog.encrypt.text()
    for field, value in (("branch_code", "4102"), ("branch_name", "شعبه سیار"), ("full_name", "کارشناس میدانی"),
                         ("username", USER), ("password", "short"), ("repeat", "short")):
        getattr(dialog, field).setText(value)
    dialog.encrypt.setChecked(True)
    dialog.ok.click()  # a password against the rules: refused, and the database is new and plain again
    qtbot.waitUntil(lambda: dialog.ok.isEnabled())
    assert dialog.actor is None and not cipher.is_encrypted(path)

    dialog.password.setText(PASSWORD)
    dialog.repeat.setText(PASSWORD)
    with qtbot.waitSignal(dialog.set_up, timeout=10_000):
        dialog.ok.click()
    assert cipher.is_encrypted(path) and session.services is not services
    assert session.services is not None and session.services.users.has_users()
    session.services.db.dispose()
    assert cipher.unlock(path, USER, PASSWORD)
    assert "شعبه سیار".encode() not in path.read_bytes()


def test_a_refused_sign_in_after_unlocking_keeps_the_one_open_database(qtbot, qapp, tmp_path: Path) -> None:
    path = tmp_path / "field.db"
    db = open_database(path, key=cipher.create_key_file(path, USER, PASSWORD))
    services = Services(db)
    admin = services.users.first_run(branch_code="4103", branch_name="شعبه سیار", username=USER,
                                     full_name="کارشناس میدانی", password=PASSWORD)
    branch_id = services.users.branches(admin)[0].id
    services.users.add(admin, username="moghim", full_name="کارمند قفل‌شده", role="clerk", branch_id=branch_id,
                       password="Ghofl-Shodeh-1405")
    services.users.set_active(admin, "moghim", False)  # the key opens for this user; the account does not
    db.dispose()
    opened: list[Services] = []

    def open_encrypted(username: str, password: str) -> Services:
        opened.append(Services(open_database_as(path, username, password)))
        return opened[-1]

    session = Session(qapp, None, GuiOptions(db_path=path, open_encrypted=open_encrypted), config.UserSettings())
    dialog = session.unlock_dialog()
    qtbot.addWidget(dialog)
    dialog.username.setText("moghim")
    dialog.password.setText("Ghofl-Shodeh-1405")
    dialog.ok.click()
    qtbot.waitUntil(lambda: dialog.ok.isEnabled())
    assert dialog.actor is None and dialog.error.isVisibleTo(dialog) and len(opened) == 1

    dialog.username.setText(USER)
    dialog.password.setText(PASSWORD)
    with qtbot.waitSignal(dialog.signed_in, timeout=10_000):
        dialog.ok.click()
    assert len(opened) == 1 and session.services is opened[0]
    opened[0].db.dispose()
