"""Step 3: the dry run. Every row through the validators and the matching, nothing written; the counts, the
refused rows with their Persian reasons and, on a second tab, the rows that look like stored customers (a
warning: they are still created). Both can be saved as an Excel report."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QAbstractItemModel, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from crm_desktop.errors import Cancelled, CrmError
from crm_desktop.persian import format_number
from crm_desktop.services.importing import ImportSummary, write_report
from crm_desktop.views.context import AppContext
from crm_desktop.views.errors import show_error
from crm_desktop.views.importing import dialogs
from crm_desktop.views.importing.choices import ImportChoices
from crm_desktop.views.importing.figures import Figures
from crm_desktop.views.importing.progress_strip import ProgressStrip, run_in_strip
from crm_desktop.views.importing.refusal_model import RefusalTableModel
from crm_desktop.views.importing.similar_model import SimilarTableModel
from crm_desktop.views.tasks import QueryOp


def counts_of(summary: ImportSummary) -> dict[str, int]:
    return {"create": summary.to_create, "update": summary.to_update, "unchanged": summary.unchanged,
            "refused": summary.refused_rows, "similar": summary.similar_rows}


class DryRunPage(QWizardPage):
    def __init__(self, ctx: AppContext, choices: ImportChoices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.choices = ctx, choices
        self.setTitle(self.tr("Check before importing"))
        self.setSubTitle(self.tr("Every row is checked with the same rules as the forms; nothing is written yet."))
        self.figures = Figures({"create": self.tr("to create"), "update": self.tr("to update"),
                                "unchanged": self.tr("unchanged"), "refused": self.tr("refused rows"),
                                "similar": self.tr("like stored customers")})
        self.headline = QLabel()
        self.headline.setObjectName("dryRunHeadline")
        self.headline.setWordWrap(True)
        self.notes = QLabel()
        self.notes.setObjectName("dryRunNotes")
        self.notes.setProperty("role", "muted")
        self.notes.setWordWrap(True)
        self.error = QLabel()
        self.error.setObjectName("dryRunError")
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)
        self.refusals = RefusalTableModel(self)
        self.refusal_view = _table("refusalTable", self.tr("Refused rows"), self.refusals)
        self.similar = SimilarTableModel(self)
        self.similar_view = _table("similarTable", self.tr("Rows like stored customers"), self.similar)
        em = self.fontMetrics().horizontalAdvance("M")
        _widths(self.refusal_view, em, ((RefusalTableModel.ROW, 4), (RefusalTableModel.COLUMN, 10),
                                        (RefusalTableModel.VALUE, 12)), RefusalTableModel.REASON)
        _widths(self.similar_view, em, ((SimilarTableModel.ROW, 4), (SimilarTableModel.NAME, 11),
                                        (SimilarTableModel.CUSTOMER, 15), (SimilarTableModel.IDENTITY, 12),
                                        (SimilarTableModel.SCORE, 5)), SimilarTableModel.REASONS)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("dryRunTabs")
        self.tabs.addTab(self.refusal_view, "")
        self.tabs.addTab(self.similar_view, "")
        self.strip = ProgressStrip()
        self.report_button = QPushButton(self.tr("Save the report (Excel)…"))
        self.report_button.setObjectName("saveRefusalReport")
        self.again_button = QPushButton(self.tr("Check again"))
        self.again_button.setObjectName("dryRunAgain")
        for button in (self.report_button, self.again_button):
            button.setAutoDefault(False)  # Enter belongs to the wizard's Next
        buttons = QHBoxLayout()
        buttons.addWidget(self.headline, 1)
        buttons.addWidget(self.again_button)
        buttons.addWidget(self.report_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.figures)
        layout.addWidget(self.strip)
        layout.addLayout(buttons)
        layout.addWidget(self.error)
        layout.addWidget(self.notes)
        layout.addWidget(self.tabs, 1)
        self.report_button.clicked.connect(self.save_report)
        self.again_button.clicked.connect(self.start)
        self._show(None)

    # -- QWizardPage --------------------------------------------------------------------------
    def initializePage(self) -> None:
        self.start()

    def cleanupPage(self) -> None:
        self.strip.cancel()  # Back while checking: stop the check

    def isComplete(self) -> bool:
        return self.choices.summary is not None and not self.strip.running

    @property
    def running(self) -> bool:
        return self.strip.running

    # -- the dry run --------------------------------------------------------------------------
    @Slot()
    def start(self) -> None:
        path = self.choices.path
        if path is None or self.strip.running:
            return
        self.choices.summary = None
        self._show(None)
        self.error.clear()
        self.again_button.setEnabled(False)
        actor, options = self.ctx.actor, self.choices.options()
        run_in_strip(self, self.ctx, self.strip, lambda s, progress: s.imports.dry_run(actor, path, options, progress),
                     write=False, success=self._on_done, failure=self._on_failed)
        self.completeChanged.emit()

    def _on_done(self, summary: ImportSummary) -> None:
        self.choices.summary = summary
        self.again_button.setEnabled(True)
        self._show(summary)
        self.completeChanged.emit()
        self.refusal_view.setFocus()

    def _on_failed(self, exc: CrmError) -> None:
        self.again_button.setEnabled(True)
        if isinstance(exc, Cancelled):
            self.error.setText(self.tr("The check was cancelled; press «Check again» to run it."))
        else:
            self.error.setText(exc.message)
        self.completeChanged.emit()

    def _show(self, summary: ImportSummary | None) -> None:
        self.figures.set_counts(None if summary is None else counts_of(summary))
        self.refusals.set_refusals(summary.refused if summary else ())
        self.similar.set_lines(summary.similar if summary else ())
        refused, similar = (summary.refused_rows, summary.similar_rows) if summary else (0, 0)
        self.tabs.setTabText(0, self.tr("Refused rows ({0})").format(format_number(refused)))
        self.tabs.setTabText(1, self.tr("Like stored customers ({0})").format(format_number(similar)))
        self.tabs.setCurrentIndex(1 if similar and not refused else 0)
        self.report_button.setEnabled(bool(summary and (summary.refused or summary.similar)))
        self.notes.setText("\n".join(summary.notes) if summary else "")
        self.notes.setVisible(bool(summary and summary.notes))
        if summary is None:
            self.headline.clear()
        elif summary.refused_rows:
            self.headline.setText(self.tr("{0} rows read; {1} rows refused, listed below with the reason.").format(
                format_number(summary.rows), format_number(summary.refused_rows)))
        else:
            self.headline.setText(self.tr("{0} rows read; every row can be imported.").format(
                format_number(summary.rows)))
        if summary is not None and summary.similar_rows:
            self.headline.setText(self.headline.text() + " " + self.tr(
                "{0} rows look like customers already stored: they will still be created; see the second tab.")
                .format(format_number(summary.similar_rows)))

    # -- the report ---------------------------------------------------------------------------
    @Slot()
    def save_report(self) -> None:
        summary = self.choices.summary
        if summary is None or not (summary.refused or summary.similar):
            return
        folder = self.choices.path.parent if self.choices.path else dialogs.documents_folder()
        stem = Path(summary.file_name).stem
        target = dialogs.ask_report_path(self, folder / self.tr("{0} import check.xlsx").format(stem))
        if target is None:
            return
        self.report_button.setEnabled(False)

        def done(_lines: int) -> None:
            self.report_button.setEnabled(True)
            self.ctx.messages.info.emit(self.tr("Report saved: {0}").format(target.name))
            dialogs.offer_to_open(self, target)

        def failed(exc: BaseException) -> None:
            self.report_button.setEnabled(True)
            show_error(self, exc)

        (QueryOp(self, self.ctx, lambda _s, progress: write_report(summary, target, progress))
         .with_progress(self.tr("Saving the report…")).success(done).failure(failed).run())


def _table(name: str, accessible: str, model: QAbstractItemModel) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setAccessibleName(accessible)
    view.setModel(model)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setWordWrap(False)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    return view


def _widths(view: QTableView, em: int, widths: tuple[tuple[int, int], ...], stretch: int) -> None:
    header = view.horizontalHeader()
    for column, width in widths:
        header.resizeSection(column, em * width)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
