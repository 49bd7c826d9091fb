"""«خروجی اکسل» on a list screen: save what the list shows now as an Excel workbook or a CSV file.

The page hands in a function that captures its current search, filters and order (on the UI thread)
and returns the export to run; the button asks for a file name (the file type chosen in the dialog, or
the name's suffix, picks the format), runs the export off the UI thread with a delayed progress dialog
and Cancel, then tells the status bar how many rows were written and offers to open the file or its folder.
"""

from __future__ import annotations

import inspect
import weakref
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton, QWidget

from crm_desktop.persian import format_jalali_date, format_number
from crm_desktop.progress import Progress
from crm_desktop.services import Services
from crm_desktop.services.changes import Outcome
from crm_desktop.views.context import AppContext
from crm_desktop.views.errors import show_error
from crm_desktop.views.tasks import QueryOp

#: One export, run in a worker thread: (services, target file, progress) -> rows written. The services
#: choose the format by the file's suffix («.csv» or «.xlsx»).
ExportJob = Callable[[Services, Path, Progress], Outcome[int]]
SUFFIXES = (".xlsx", ".csv")


def file_filters() -> list[str]:
    """The dialog's file types, in the order of ``SUFFIXES``."""
    return [QCoreApplication.translate("ExportButton", "Excel workbook (*.xlsx)"),
            QCoreApplication.translate("ExportButton", "CSV for Excel (*.csv)")]


def chosen_path(name: str, selected_filter: str) -> Path:
    """The file named, with the suffix of the chosen file type added when it has neither «.xlsx» nor «.csv»."""
    path = Path(name)
    if path.suffix.lower() in SUFFIXES:
        return path
    filters = file_filters()
    suffix = SUFFIXES[filters.index(selected_filter)] if selected_filter in filters else SUFFIXES[0]
    return path.with_name(path.name + suffix)


def ask_save_path(parent: QWidget, suggested: Path) -> Path | None:
    """The file the user chose (Excel or CSV), or None when they cancelled.

    A module-level function so that tests can replace the dialog.
    """
    filters = file_filters()
    initial = filters[1] if suggested.suffix.lower() == ".csv" else filters[0]
    name, selected = QFileDialog.getSaveFileName(
        parent, QCoreApplication.translate("ExportButton", "Export to Excel"), str(suggested), ";;".join(filters),
        initial,
    )
    return chosen_path(name, selected) if name else None


def open_url(url: QUrl) -> bool:
    """Open a file or folder with the system's program (replaced in tests)."""
    return QDesktopServices.openUrl(url)


def _isolated(path: Path) -> str:
    """The file name laid out by its own first letter («report.xlsx» stays left to right in Persian text)."""
    return f"\u2068{path.name}\u2069"


def documents_folder() -> Path:
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(location) if location else Path.home()


class ExportButton(QPushButton):
    """Exports the list it sits on.

    Signals:
        exported(object, int): the file written (a Path) and the number of rows in it.
    """

    exported = Signal(object, int)

    def __init__(self, ctx: AppContext, file_stem: str, job: Callable[[], ExportJob],
                 parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Export to Excel"), parent)
        self.ctx = ctx
        self.file_stem = file_stem
        # A page passes its own method: hold it weakly, so page and button form no reference cycle (a cycle
        # is freed by Python's collector, which may run on a worker thread and destroy the widgets there).
        self._job: Callable[[], Callable[[], ExportJob] | None] = (
            weakref.WeakMethod(job) if inspect.ismethod(job) else lambda: job)
        self._folder: Path | None = None  # where the last export went: the next one is suggested there
        self._suffix = SUFFIXES[0]  # and in the same format
        self._running = False
        self.setObjectName("exportButton")
        self.setAccessibleName(self.tr("Export to Excel"))
        self.setToolTip(self.tr(
            "Save every row of this list, as it is filtered and sorted now, as an Excel workbook or a CSV file"))
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.clicked.connect(self._on_clicked)
        self.ctx.runner.busy_changed.connect(self._on_runner_busy_changed)

    def suggested_path(self) -> Path:
        """«مشتریان-۱۴۰۵-۰۹-۰۲.xlsx» in the folder (and format) of the last export, or in Documents."""
        today = format_jalali_date(self.ctx.services.exports.now()).replace("/", "-")
        return (self._folder or documents_folder()) / f"{self.file_stem}-{today}{self._suffix}"

    def export_to(self, path: Path) -> None:
        """Run the export of what the list shows now into ``path`` (no dialog)."""
        provider = self._job()
        if provider is None:
            return
        run = provider()  # captures the list's filters here, on the UI thread
        self._folder = path.parent
        if path.suffix.lower() in SUFFIXES:
            self._suffix = path.suffix.lower()
        self._set_running(True)
        (QueryOp(self, self.ctx, lambda services, progress: run(services, path, progress))
         .with_progress(self.tr("Exporting to Excel…"))
         .success(lambda outcome: self._on_export_done(path, outcome))
         .failure(self._on_export_failed)
         .run())

    def _set_running(self, running: bool) -> None:
        self._running = running
        self.setEnabled(not running)

    # -- slots --------------------------------------------------------------------------------
    @Slot()
    def _on_clicked(self) -> None:
        if self._running:
            return
        path = ask_save_path(self, self.suggested_path())
        if path is not None:
            self.export_to(path)

    @Slot(bool)
    def _on_runner_busy_changed(self, busy: bool) -> None:
        if not busy and self._running:  # an unexpected error went to the crash dialog: be usable again
            self._set_running(False)

    def _on_export_done(self, path: Path, outcome: Outcome[int]) -> None:
        self._set_running(False)
        rows = outcome.value
        self.ctx.messages.info.emit(self.tr("{0} rows exported to «{1}».").format(format_number(rows), _isolated(path)))
        self.exported.emit(path, rows)
        self._offer_to_open(path, rows)

    def _on_export_failed(self, exc: BaseException) -> None:
        self._set_running(False)
        show_error(self, exc)  # an expected error (a CrmError); silent when the user cancelled

    def _offer_to_open(self, path: Path, rows: int) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("Export to Excel"),
                          self.tr("{0} rows were saved in «{1}».").format(format_number(rows), _isolated(path)),
                          QMessageBox.StandardButton.NoButton, self)
        box.setObjectName("exportDoneBox")
        open_file = box.addButton(self.tr("Open"), QMessageBox.ButtonRole.AcceptRole)
        open_folder = box.addButton(self.tr("Open folder"), QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Close)
        box.setDefaultButton(open_file)
        box.exec()
        clicked = box.clickedButton()
        if clicked is open_file:
            open_url(QUrl.fromLocalFile(str(path)))
        elif clicked is open_folder:
            open_url(QUrl.fromLocalFile(str(path.parent)))
        box.deleteLater()
