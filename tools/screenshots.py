"""Write a screenshot of every main screen, in Persian with demo data, to a folder (offscreen).

    python tools/screenshots.py [--db demo.db] [--out screenshots/]

Without ``--db`` a demo database of 2,000 customers is built in a temporary folder. The window is driven
as the demo branch manager; each PNG is the real widget rendered with the shipped font. Look at them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def settle(condition: Callable[[], bool] = lambda: True, timeout: float = 20.0) -> None:
    """Let the event loop run (background reads land, layouts settle) until ``condition``."""
    from PySide6.QtCore import QEventLoop, QTimer

    started = time.perf_counter()
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(20)

    def check() -> None:
        if (condition() and time.perf_counter() - started > 0.3) or time.perf_counter() - started > timeout:
            loop.quit()

    timer.timeout.connect(check)
    timer.start()
    loop.exec()
    timer.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--out", type=Path, default=Path("screenshots"))
    parser.add_argument("--user", default="demo")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    from crm_desktop import config
    from crm_desktop.app import GuiOptions, Session, create_application
    from crm_desktop.db.migrate import open_database
    from crm_desktop.services import Services
    from crm_desktop.services.demo import DEMO_PASSWORD, build_demo

    folder = Path(tempfile.mkdtemp(prefix="crm-shots-"))
    try:
        path = folder / "demo.db"
        if args.db:
            shutil.copy(args.db, path)
            db = open_database(path)
        else:
            db = open_database(path)
            build_demo(db, 2000)
        services = Services(db)
        actor = services.users.authenticate(args.user, DEMO_PASSWORD)
        app = create_application(config.UserSettings())
        session = Session(app, services, GuiOptions(db_path=path), config.UserSettings())
        idle = lambda: not session.runner.busy  # noqa: E731

        def shot(widget: object, name: str) -> None:
            settle(idle)
            target = args.out / f"{name}.png"
            widget.grab().save(str(target))  # type: ignore[attr-defined]
            print(target)

        from crm_desktop.views.sign_in import SignInDialog

        sign_in = SignInDialog(session.runner, hint="ورود نمایشی — نام کاربری: demo   گذرواژه: Tamrin-1405",
                               username="demo")
        sign_in.show()
        shot(sign_in, "01-sign-in")
        sign_in.close()

        window = session.open_main_window(actor)
        window.resize(1366, 768)
        customers = window.show_section("customers")
        shot(window, "02-customers")
        customers.search_box.setText("محمد")  # type: ignore[attr-defined]
        shot(window, "03-customers-search")
        first_id = customers.model.row_at(0).id  # type: ignore[attr-defined]
        customers.open_customer(first_id)  # type: ignore[attr-defined]
        shot(window, "04-customer-360-timeline")
        tabs = customers.profile.tabs  # type: ignore[attr-defined]
        for index, name in ((1, "05-customer-360-products"), (2, "06-customer-360-details"),
                            (3, "07-customer-360-history")):
            if index < tabs.count():
                tabs.setCurrentIndex(index)
                shot(window, name)

        from crm_desktop.views.customers.form import CustomerForm
        from crm_desktop.views.interactions.log_dialog import LogInteractionDialog
        from crm_desktop.views.service_requests.open_dialog import OpenRequestDialog

        form = CustomerForm(window.ctx, parent=window)
        form.show()
        shot(form, "08-customer-form-new")
        form.close()
        profile = services.customers.get(actor, first_id)
        log = LogInteractionDialog(window.ctx, customer_id=first_id, customer_name=profile.display_name, parent=window)
        log.show()
        shot(log, "09-log-interaction")
        log.close()
        request = OpenRequestDialog(window.ctx, customer_id=first_id, customer_name=profile.display_name,
                                    parent=window)
        request.show()
        shot(request, "10-open-request")
        request.close()

        window.show_section("interactions")
        shot(window, "11-interactions")
        requests = window.show_section("requests")
        shot(window, "12-request-queues")
        queue = services.requests.queue(actor, "branch_open", limit=1).rows
        if queue:
            requests.open_request(queue[0].id)  # type: ignore[attr-defined]
            shot(window, "13-request")
        reports = window.show_section("reports")
        shot(window, "14-dashboard")
        reports.tabs.setCurrentIndex(1)  # type: ignore[attr-defined]
        shot(window, "14b-report-maker")
        window.show_section("settings")
        shot(window, "15-settings")
        window.close()
        session.runner.wait_idle()
        db.dispose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
