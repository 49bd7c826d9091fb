"""`python -m bench.gui`: drive the real window offscreen on a demo database and time what a clerk feels.

Prints JSON lines like the service benchmarks:
- ``gui_start_to_window``: from process start (before Qt is imported) to the main window shown with the first
  customer rows on screen, sign-in excluded (a person types the password);
- ``gui_sign_in``: the sign-in itself (Argon2 verification on the writer lane);
- ``gui_customer_list_first_rows``: opening the customer list until its first rows are in the table;
- ``gui_search_keystroke``: from a keystroke in the search box (debounce included) to the table updated;
- ``gui_scroll_rows``: scrolling to the end of the list again and again until N rows are loaded, with the
  process's peak resident memory.
"""

from __future__ import annotations

import time

PROCESS_START = time.perf_counter()

import argparse  # noqa: E402 - the clock starts before anything heavy is imported
import json  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402

from bench.measure import peak_rss_mb, percentile  # noqa: E402

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def current_rss_mb() -> float:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")




def emit(name: str, samples: list[float], **extra: object) -> None:
    print(json.dumps({"name": name, "n": len(samples), "p50_ms": round(statistics.median(samples), 2),
                      "p95_ms": round(percentile(samples, 0.95), 2), "max_ms": round(max(samples), 2), **extra}),
          flush=True)


def wait_until(condition: Callable[[], bool], timeout: float = 30.0) -> float:
    """Run the event loop (idle between events, as the real app is) until ``condition``; elapsed ms.

    A busy ``processEvents()`` loop would hold the GIL and starve the worker threads, measuring the
    benchmark rather than the app.
    """
    from PySide6.QtCore import QEventLoop, QTimer

    started = time.perf_counter()
    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(1)

    def check() -> None:
        if condition() or time.perf_counter() - started > timeout:
            loop.quit()

    poll.timeout.connect(check)
    poll.start()
    if not condition():
        loop.exec()
    poll.stop()
    if not condition():
        raise TimeoutError("the window did not get there in time")
    return (time.perf_counter() - started) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, required=True, help="a demo database (crm-desktop demo --customers N)")
    parser.add_argument("--user", default="demo")
    parser.add_argument("--password", default=None)
    parser.add_argument("--scroll-rows", type=int, default=100_000)
    args = parser.parse_args()

    from PySide6.QtWidgets import QTableView

    from crm_desktop import config
    from crm_desktop.app import GuiOptions, Session, create_application
    from crm_desktop.db.migrate import open_database
    from crm_desktop.persian import normalize
    from crm_desktop.services import Services
    from crm_desktop.services.demo import DEMO_PASSWORD
    from crm_desktop.views.widgets.search_box import SearchBox

    db = open_database(args.db, create=False)
    services = Services(db)
    app = create_application(config.UserSettings())
    session = Session(app, services, GuiOptions(db_path=args.db), config.UserSettings())
    before_sign_in = time.perf_counter()
    signed: list[object] = []
    session.runner.submit(lambda: services.users.authenticate(args.user, args.password or DEMO_PASSWORD),
                          write=True, success=signed.append, failure=lambda exc: sys.exit(f"sign-in failed: {exc}"))
    wait_until(lambda: bool(signed))
    sign_in_ms = (time.perf_counter() - before_sign_in) * 1000

    opened = time.perf_counter()
    window = session.open_main_window(signed[0])  # type: ignore[arg-type]
    page = window.pages["customers"]
    view, search = page.table, page.search_box  # type: ignore[attr-defined]
    assert isinstance(view, QTableView) and isinstance(search, SearchBox)
    model = page.model  # type: ignore[attr-defined]
    wait_until(lambda: model.rowCount() > 0)
    first_rows_ms = (time.perf_counter() - opened) * 1000  # the window is built with the list as its first page
    window_ms = (time.perf_counter() - PROCESS_START) * 1000 - sign_in_ms
    emit("gui_start_to_window", [window_ms], rows=model.rowCount())
    emit("gui_sign_in", [sign_in_ms])
    emit("gui_customer_list_first_rows", [first_rows_ms])

    # -- opening the list again (a fresh query), several times ------------------------------------------
    samples = []
    for _ in range(10):
        started = time.perf_counter()
        model.reload()
        wait_until(lambda: model.rowCount() > 0)
        samples.append((time.perf_counter() - started) * 1000)
    emit("gui_customer_list_reload", samples)

    # -- typing in the search box ---------------------------------------------------------------------
    words = ["محمد", "احمدی", "رضا", "زهرا کریمی", "حسین", "فاطمه", "۰۹۱۲", "۰۰۱"]
    samples = []
    for word in words:
        search.clear()
        wait_until(lambda: not session.runner.busy and not model.loading)
        typed = ""
        for char in word:
            typed += char
            if normalize(typed) == normalize(typed[:-1]):
                search.setText(typed)  # a space: the query is the same, nothing to wait for
                continue
            loaded: list[int] = []
            model.rows_loaded.connect(loaded.append)
            started = time.perf_counter()
            search.setText(typed)
            wait_until(lambda got=loaded: bool(got))
            samples.append((time.perf_counter() - started) * 1000)
            model.rows_loaded.disconnect(loaded.append)
    emit("gui_search_keystroke", samples, debounce_ms=search._timer.interval())

    # -- scrolling to the end, page after page --------------------------------------------------------
    cleared: list[int] = []
    model.rows_loaded.connect(cleared.append)
    search.clear()
    wait_until(lambda: bool(cleared) and not model.loading)
    before = current_rss_mb()
    started = time.perf_counter()
    while model.rowCount() < args.scroll_rows and model.canFetchMore(view.rootIndex()):
        view.scrollToBottom()
        wait_until(lambda: not model.loading)
    seconds = time.perf_counter() - started
    print(json.dumps({"name": "gui_scroll_rows", "rows": model.rowCount(), "seconds": round(seconds, 1),
                      "rss_before_mb": round(before, 1), "rss_after_mb": round(current_rss_mb(), 1),
                      "peak_rss_mb": round(peak_rss_mb(), 1)}), flush=True)
    window.close()
    session.runner.wait_idle()
    db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
