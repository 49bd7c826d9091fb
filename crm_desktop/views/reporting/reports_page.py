"""Make a management report: pick the report, the Jalali period, the branch and PDF or Excel; then open it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.persian import format_jalali_date, to_persian_digits
from crm_desktop.reports.period import PRESETS, Period, PeriodError
from crm_desktop.services.permissions import Action, allowed
from crm_desktop.services.reports import ReportFormat, ReportName, ReportRequest, ReportResult
from crm_desktop.views.context import AppContext
from crm_desktop.views.errors import show_error
from crm_desktop.views.section import SectionPage
from crm_desktop.views.tasks import QueryOp
from crm_desktop.views.widgets.branch_items import load_branch_items
from crm_desktop.views.widgets.jalali_date_edit import JalaliDateEdit

CUSTOM = "custom"


def _tr(text: str) -> str:
    return QCoreApplication.translate("ReportsPage", text)


def ask_save_path(parent: QWidget, suggested: Path, fmt: ReportFormat) -> Path | None:
    """The file to write (a dialog; tests replace this function)."""
    filters = "PDF (*.pdf)" if fmt is ReportFormat.PDF else "Excel (*.xlsx)"
    chosen, _filter = QFileDialog.getSaveFileName(parent, _tr("Save the report"), str(suggested), filters)
    if not chosen:
        return None
    path = Path(chosen)
    return path if path.suffix.lower() == f".{fmt}" else path.with_name(f"{path.name}.{fmt}")


def offer_to_open(parent: QWidget, path: Path) -> None:
    """Open the file or its folder, as the user chooses (tests replace this function)."""
    box = QMessageBox(QMessageBox.Icon.Information, _tr("Report ready"),
                      _tr("The report was saved in\n{0}").format(path), parent=parent)
    open_file = box.addButton(_tr("Open"), QMessageBox.ButtonRole.AcceptRole)
    open_folder = box.addButton(_tr("Open folder"), QMessageBox.ButtonRole.ActionRole)
    box.addButton(_tr("Close"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    if box.clickedButton() is open_file:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
    elif box.clickedButton() is open_folder:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))


class ReportsPage(SectionPage):
    """Managers, administrators and auditors; a clerk is told the reports are for managers."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._branches_loaded = False
        title = QLabel(self.tr("Management reports"))
        title.setObjectName("pageTitle")
        self.report = QComboBox()
        self.report.setObjectName("reportName")
        self.report.setAccessibleName(self.tr("Report"))
        for name, text in (
            (ReportName.BRANCH_SUMMARY, self.tr("Branch performance summary")),
            (ReportName.SERVICE_REQUESTS, self.tr("Service requests")),
            (ReportName.CUSTOMERS, self.tr("Customers")),
            (ReportName.CLERK_ACTIVITY, self.tr("Clerk activity")),
            (ReportName.CUSTOMER_PROFILE, self.tr("Customer profile")),
        ):
            self.report.addItem(text, name)
        self.preset = QComboBox()
        self.preset.setObjectName("reportPeriod")
        self.preset.setAccessibleName(self.tr("Period"))
        for key, text in (("this_month", self.tr("This month")), ("last_month", self.tr("Last month")),
                          ("this_quarter", self.tr("This quarter")), ("this_year", self.tr("This year")),
                          (CUSTOM, self.tr("Chosen dates"))):
            self.preset.addItem(text, key)
        self.first = JalaliDateEdit(object_name="reportFrom")
        self.first.setAccessibleName(self.tr("From"))
        self.last = JalaliDateEdit(object_name="reportTo")
        self.last.setAccessibleName(self.tr("To"))
        self.customer = QLineEdit()
        self.customer.setObjectName("reportCustomer")
        self.customer.setAccessibleName(self.tr("Customer"))
        self.customer.setPlaceholderText(self.tr("National ID, company ID or customer number"))
        self.branch = QComboBox()
        self.branch.setObjectName("reportBranch")
        self.branch.setAccessibleName(self.tr("Branch"))
        if ctx.actor.sees_all_branches:
            self.branch.addItem(self.tr("All branches"), None)
        else:
            self.branch.addItem(to_persian_digits(ctx.actor.branch_code), ctx.actor.branch_code)
            self.branch.setEnabled(False)
        self.pdf = QRadioButton(self.tr("PDF"))
        self.pdf.setObjectName("reportPdf")
        self.pdf.setChecked(True)
        self.xlsx = QRadioButton(self.tr("Excel"))
        self.xlsx.setObjectName("reportExcel")
        self.formats = QButtonGroup(self)
        self.formats.addButton(self.pdf)
        self.formats.addButton(self.xlsx)
        self.make_button = QPushButton(self.tr("Make the report"))
        self.make_button.setObjectName("makeReport")
        self.make_button.setProperty("primary", True)
        self.error = QLabel()
        self.error.setObjectName("reportError")
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)
        self.denied = QLabel(self.tr("Reports are for branch managers, administrators and auditors."))
        self.denied.setObjectName("reportsDenied")
        self.denied.setWordWrap(True)

        dates = QHBoxLayout()
        dates.addWidget(self.first)
        dates.addWidget(QLabel(self.tr("to")))
        dates.addWidget(self.last)
        dates.addStretch(1)
        format_row = QHBoxLayout()
        format_row.addWidget(self.pdf)
        format_row.addWidget(self.xlsx)
        format_row.addStretch(1)
        self.form_widget = QWidget()
        self.form_widget.setMaximumWidth(self.fontMetrics().horizontalAdvance("M") * 48)
        form = QFormLayout(self.form_widget)
        form.addRow(self.tr("Report"), self.report)
        form.addRow(self.tr("Period"), self.preset)
        form.addRow(self.tr("Dates"), dates)
        form.addRow(self.tr("Customer"), self.customer)
        form.addRow(self.tr("Branch"), self.branch)
        form.addRow(self.tr("Format"), format_row)
        form.addRow("", self.make_button)
        form.addRow("", self.error)
        self._form, self._dates = form, dates
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.denied)
        layout.addWidget(self.form_widget)
        layout.addStretch(1)
        permitted = allowed(ctx.actor, Action.RUN_REPORTS)
        self.denied.setVisible(not permitted)
        self.form_widget.setVisible(permitted)
        self._connect_signals()
        self._on_preset_changed()
        self._on_report_changed()

    def _connect_signals(self) -> None:
        self.preset.currentIndexChanged.connect(self._on_preset_changed)
        self.report.currentIndexChanged.connect(self._on_report_changed)
        self.make_button.clicked.connect(self.make_report)

    # -- section hooks ------------------------------------------------------------------------
    def activated(self) -> None:
        if self.ctx.actor.sees_all_branches and not self._branches_loaded:
            self._branches_loaded = True
            load_branch_items(self, self.ctx, self.branch, lambda branch: branch.code)

    def focus_search(self) -> None:
        self.report.setFocus()

    # -- the form -----------------------------------------------------------------------------
    def _today(self) -> date:
        from crm_desktop.persian import to_tehran

        return to_tehran(self.ctx.runner.services.reports.now()).date()

    @Slot()
    def _on_preset_changed(self) -> None:
        key = self.preset.currentData()
        custom = key == CUSTOM
        self.first.setEnabled(custom)
        self.last.setEnabled(custom)
        if not custom:
            period = PRESETS[key](self._today())
            self.first.set_date(period.first)
            self.last.set_date(period.last)

    @Slot()
    def _on_report_changed(self) -> None:
        profile = self.report.currentData() == ReportName.CUSTOMER_PROFILE
        self._form.setRowVisible(self.customer, profile)
        self._form.setRowVisible(self.preset, not profile)
        self._form.setRowVisible(self._dates, not profile)
        self._form.setRowVisible(self.branch, not profile)

    def request(self) -> ReportRequest:
        """What the form asks for; a wrong period raises ``PeriodError`` with a Persian message."""
        name = ReportName(self.report.currentData())
        fmt = ReportFormat.PDF if self.pdf.isChecked() else ReportFormat.XLSX
        if name is ReportName.CUSTOMER_PROFILE:
            return ReportRequest(name, fmt, customer=self.customer.text())
        first, last = self.first.date(), self.last.date()
        if first is None or last is None:
            raise PeriodError(self.first.error() or self.last.error() or self.tr("Enter both dates of the period."))
        return ReportRequest(name, fmt, Period(first, last), branch_code=self.branch.currentData())

    def _suggested_path(self, request: ReportRequest) -> Path:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        stamp = (format_jalali_date(request.period.first) if request.period else format_jalali_date(self._today()))
        return Path(folder) / f"{request.name.heading}-{stamp.replace('/', '-')}.{request.format}"

    @Slot()
    def make_report(self) -> None:
        self.error.clear()
        try:
            request = self.request()
        except PeriodError as exc:
            self.error.setText(exc.message)
            return
        target = ask_save_path(self, self._suggested_path(request), request.format)
        if target is None:
            return
        actor = self.ctx.actor
        self.make_button.setEnabled(False)

        def done(result: ReportResult) -> None:
            self.make_button.setEnabled(True)
            self.ctx.messages.info.emit(self.tr("Report saved: {0}").format(result.path.name))
            offer_to_open(self, result.path)

        def failed(exc: BaseException) -> None:
            self.make_button.setEnabled(True)
            show_error(self, exc)

        (QueryOp(self, self.ctx, lambda s, progress: s.reports.run(actor, request, target, progress).value)
         .with_progress(self.tr("Making the report…")).success(done).failure(failed).run())

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.make_button.isEnabled():
            self.make_report()
            return
        super().keyPressEvent(event)
