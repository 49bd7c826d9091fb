"""`crm-desktop --self-test`: prove a build works on this machine, without a user at the keyboard.

Opens the real main window offscreen on a temporary database, saves and reads back a customer
(journal included), renders Persian with the shipped font and checks every letter has a glyph.
Prints one line per check; exit 0 only when all pass. The frozen build runs this in CI.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

SAMPLE = "مشتری گرامی، درخواست شما ثبت شد ۱۴۰۵/۰۹/۰۲"


def run_self_test() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="crm-self-test-") as folder:
        failures = _checks(Path(folder))
    seconds = time.perf_counter() - started
    print(f"self-test: {'ok' if not failures else 'FAILED'} in {seconds:.1f} s", flush=True)
    return 0 if not failures else 1


def _checks(folder: Path) -> list[str]:
    failures: list[str] = []

    def check(name: str, fn: Callable[[], str]) -> None:
        try:
            detail = fn()
        except Exception as exc:  # a self-test reports every failure, then fails
            failures.append(name)
            print(f"FAIL {name}: {type(exc).__name__}: {exc}", flush=True)
        else:
            print(f"ok   {name}: {detail}", flush=True)

    from PySide6.QtCore import QCoreApplication

    from crm_desktop import config
    from crm_desktop.app import create_application
    from crm_desktop.db.migrate import open_database
    from crm_desktop.services import Services
    from crm_desktop.services.records import CustomerInput

    state: dict[str, object] = {}

    def store() -> str:
        db = open_database(folder / "self-test.db")
        services = Services(db)
        actor = services.users.first_run(branch_code="1001", branch_name="شعبه آزمایش", username="admin",
                                         full_name="مدیر آزمایش", password="Azmayesh-1405")
        created = services.customers.create(actor, CustomerInput(
            first_name="علي", last_name="كريمي", national_id="۰۰۱۲۳۴۵۶۷۹", mobile="09121234567")).value
        again = services.customers.get(actor, created.id)
        assert again.display_name == "علی کریمی", again.display_name
        history = services.audit.history(actor, "customer", created.id)
        assert history, "no journal entry for the saved customer"
        from crm_desktop.db.migrate import HEAD, current_revision

        revision = current_revision(folder / "self-test.db")
        assert revision == HEAD, f"schema at {revision}, expected {HEAD}: a migration is missing"
        state.update(db=db, services=services, actor=actor)
        return f"schema {revision}, saved and read back «{again.display_name}», {len(history)} journal entry"

    def encrypted_store() -> str:
        """SQLCipher and the key seal load when frozen, and a saved name is not in the file's bytes."""
        from crm_desktop.db import cipher

        path = folder / "encrypted.db"
        db = open_database(path, key=cipher.create_key_file(path, "admin", "Azmayesh-1405"))
        services = Services(db)
        actor = services.users.first_run(branch_code="1002", branch_name="شعبه سیار", username="admin",
                                         full_name="مدیر سیار", password="Azmayesh-1405")
        services.customers.create(actor, CustomerInput(first_name="سارا", last_name="مرادی",
                                                       national_id="0012345679", mobile="09121234567"))
        db.dispose()
        data = path.read_bytes()
        assert "مرادی".encode() not in data and b"0012345679" not in data, "plain text in the encrypted file"
        reopened = open_database(path, key=cipher.unlock(path, "admin", "Azmayesh-1405"))
        reopened.dispose()
        return f"{len(data) // 1024} KB encrypted, reopened with the password"

    def reports() -> str:
        """The report libraries load when frozen: harfbuzz, bidi, reportlab, openpyxl with lxml."""
        from crm_desktop.reports.period import jalali_month
        from crm_desktop.services.reports import ReportFormat, ReportName, ReportRequest

        services, actor = state["services"], state["actor"]
        made = []
        for fmt in (ReportFormat.PDF, ReportFormat.XLSX):
            target = folder / f"report.{fmt}"
            services.reports.run(actor, ReportRequest(  # type: ignore[attr-defined]
                ReportName.BRANCH_SUMMARY, fmt, jalali_month(1405, 8)), target)
            assert target.stat().st_size > 1000, f"{target.name} is nearly empty"
            made.append(f"{target.name} {target.stat().st_size // 1024} KB")
        return ", ".join(made)

    def application() -> str:
        app = create_application(config.UserSettings())
        state["app"] = app
        return f"Qt {QCoreApplication.instance().applicationVersion() or ''}".strip() + f", font {app.font().family()}"

    def persian_text() -> str:
        from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter

        from crm_desktop.app import FONT_FAMILY

        font = QFont(FONT_FAMILY, 18)
        metrics = QFontMetrics(font)
        missing = [ch for ch in SAMPLE if not ch.isspace() and not metrics.inFontUcs4(ord(ch))]
        assert not missing, f"no glyph for {missing!r}"
        image = QImage(metrics.horizontalAdvance(SAMPLE) + 20, metrics.height() + 10, QImage.Format.Format_RGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        painter.setFont(font)
        painter.setPen(QColor("black"))
        painter.drawText(10, metrics.ascent() + 5, SAMPLE)
        painter.end()
        dark = sum(1 for x in range(image.width()) for y in range(image.height())
                   if image.pixelColor(x, y).value() < 128)
        assert dark > 200, f"only {dark} dark pixels drawn"
        return f"{dark} dark pixels, every letter in {FONT_FAMILY}"

    def icons() -> str:
        from PySide6.QtGui import QIcon

        names = sorted(p.stem for p in (config.resource_dir() / "icons").glob("*.svg"))
        assert names, "no icons shipped"
        blank = [n for n in names if QIcon(str(config.resource_dir() / "icons" / f"{n}.svg")).pixmap(24, 24).isNull()]
        assert not blank, f"icons that do not render (SVG plugin missing?): {blank}"
        return f"{len(names)} SVG icons render"

    def main_window() -> str:
        from crm_desktop.app import GuiOptions, Session

        services = state["services"]
        session = Session(state["app"], services, GuiOptions(db_path=folder / "self-test.db"), config.UserSettings())
        window = session.open_main_window(state["actor"])
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and (session.runner.busy or not window.isVisible()):
            QCoreApplication.processEvents()  # a self-test has no user to wait for
            time.sleep(0.01)
        title = window.windowTitle()
        pages = len([window.show_section(key) for key, _title, _path in window._sections])
        window.close()
        session.runner.wait_idle()
        return f"«{title}» with {pages} sections"

    check("store", store)
    check("encrypted store", encrypted_store)
    if "services" in state:
        check("reports", reports)
        check("application", application)
    if "app" in state:
        check("persian text", persian_text)
        check("icons", icons)
        check("main window", main_window)
    db = state.get("db")
    if db is not None:
        db.dispose()  # type: ignore[attr-defined]
    return failures


if __name__ == "__main__":
    sys.exit(run_self_test())
