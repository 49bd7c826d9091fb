"""The one place errors reach the user.

Expected failures (``CrmError``) get a right-to-left message box with their Persian message;
``Cancelled`` is silent. Anything else is a bug: it is logged with its traceback to the log
file in the user's data folder and shown as an "unexpected error" dialog, and the app goes on.
"""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from crm_desktop.errors import Cancelled, CrmError

log = logging.getLogger("crm_desktop")


def configure_logging(path: Path) -> None:
    """Log to a file only: a windowed Windows app has no stdout or stderr."""
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def error_text(exc: CrmError) -> str:
    """The message of an expected error, with every field's message when there are several."""
    errors = getattr(exc, "errors", None)
    if isinstance(errors, dict) and len(errors) > 1:
        return exc.message + "\n" + "\n".join(f"• {m}" for m in errors.values())
    return exc.message


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    if isinstance(exc, Cancelled):
        return
    if isinstance(exc, CrmError):
        title = QCoreApplication.translate("errors", "Error")
        box = QMessageBox(QMessageBox.Icon.Warning, title, error_text(exc), QMessageBox.StandardButton.Ok, parent)
        box.setObjectName("errorBox")
        box.exec()
        return
    show_unexpected(parent, type(exc), exc, exc.__traceback__)


def show_unexpected(parent: QWidget | None, kind: type[BaseException], exc: BaseException,
                    tb: TracebackType | None) -> None:
    details = "".join(traceback.format_exception(kind, exc, tb))
    log.error("unexpected error\n%s", details)
    if QApplication.instance() is None:
        print(details, file=sys.stderr)
        return
    box = QMessageBox(QMessageBox.Icon.Critical, QCoreApplication.translate("errors", "Unexpected error"),
                      QCoreApplication.translate("errors", "Something went wrong that should not have. "
                                                 "Your saved work is safe; the details were written to the log file."),
                      QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("crashBox")
    box.setDetailedText(details)
    box.exec()


def install_excepthook() -> None:
    """Exceptions escaping Qt slots take the same road instead of killing the app."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        show_unexpected(QApplication.activeWindow(), kind, exc, tb)

    sys.excepthook = hook


class Messages(QObject):
    """Short notices for the status bar («ذخیره شد»), as qutebrowser's message.info.

    Signals:
        info(str): a notice to show for a few seconds.
    """

    info = Signal(str)
