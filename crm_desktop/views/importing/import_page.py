"""Step 4: the import itself, all or nothing (the default) or only the valid rows, off the UI thread.

What was written is broadcast on the ChangeBus even if the wizard was closed meanwhile, so lists refresh.

Signals:
    imported(object): the ImportSummary of a finished import.
"""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from crm_desktop.errors import Cancelled, CrmError
from crm_desktop.persian import format_number
from crm_desktop.services.changes import Outcome
from crm_desktop.services.importing import ImportCancelled, ImportRefused, ImportSummary
from crm_desktop.views.context import AppContext
from crm_desktop.views.importing.choices import ImportChoices
from crm_desktop.views.importing.figures import Figures
from crm_desktop.views.importing.progress_strip import ProgressStrip, run_in_strip


class ImportPage(QWizardPage):
    """Signals:
        imported(object): the ImportSummary of a finished import.
    """

    imported = Signal(object)

    def __init__(self, ctx: AppContext, choices: ImportChoices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.choices = ctx, choices
        self._done = False
        self.setTitle(self.tr("Import"))
        self.setSubTitle(self.tr("Every record created or changed is kept in the change history, "
                                 "with this file named as its source."))
        self.all_or_nothing = QRadioButton(self.tr("All or nothing"))
        self.all_or_nothing.setObjectName("importAllOrNothing")
        self.all_or_nothing.setChecked(True)
        self.valid_rows = QRadioButton(self.tr("All valid rows"))
        self.valid_rows.setObjectName("importValidRows")
        self.modes = QButtonGroup(self)
        self.modes.addButton(self.all_or_nothing)
        self.modes.addButton(self.valid_rows)
        all_hint = QLabel(self.tr("If even one row is refused, nothing at all is written."))
        valid_hint = QLabel(self.tr("Refused rows are left out; every other row is written."))
        indent = self.fontMetrics().horizontalAdvance("M") * 2
        for hint, radio in ((all_hint, self.all_or_nothing), (valid_hint, self.valid_rows)):
            hint.setProperty("role", "muted")
            hint.setIndent(indent)
            hint.setBuddy(radio)
        self.warning = QLabel()
        self.warning.setObjectName("importWarning")
        self.warning.setProperty("role", "error")
        self.warning.setWordWrap(True)
        self.import_button = QPushButton(self.tr("Import"))
        self.import_button.setObjectName("importRun")
        self.import_button.setProperty("primary", True)
        self.strip = ProgressStrip()
        self.figures = Figures({"create": self.tr("created"), "update": self.tr("updated"),
                                "unchanged": self.tr("unchanged")})
        self.result = QLabel()
        self.result.setObjectName("importResult")
        self.result.setWordWrap(True)
        self.error = QLabel()
        self.error.setObjectName("importError")
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)

        run_row = QHBoxLayout()
        run_row.addWidget(self.import_button)
        run_row.addWidget(self.strip, 1)
        run_row.addStretch(0)
        layout = QVBoxLayout(self)
        layout.addWidget(self.all_or_nothing)
        layout.addWidget(all_hint)
        layout.addWidget(self.valid_rows)
        layout.addWidget(valid_hint)
        layout.addWidget(self.warning)
        layout.addLayout(run_row)
        layout.addWidget(self.figures)
        layout.addWidget(self.result)
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.modes.buttonToggled.connect(self._on_mode_toggled)
        self.import_button.clicked.connect(self.start)

    # -- QWizardPage --------------------------------------------------------------------------
    def initializePage(self) -> None:
        self._done = False
        self.error.clear()
        self.result.clear()
        self.figures.set_counts(None)
        self._show_mode()
        self.import_button.setFocus()

    def cleanupPage(self) -> None:
        self.strip.cancel()

    def isComplete(self) -> bool:
        return self._done

    @property
    def running(self) -> bool:
        return self.strip.running

    # -- choosing the mode --------------------------------------------------------------------
    @Slot()
    def _on_mode_toggled(self) -> None:
        self._show_mode()

    def _show_mode(self) -> None:
        summary = self.choices.summary
        busy = self.strip.running or self._done
        self.all_or_nothing.setEnabled(not busy)
        self.valid_rows.setEnabled(not busy)
        self.import_button.setEnabled(not busy)
        refused = summary.refused_rows if summary else 0
        all_or_nothing = bool(refused) and self.all_or_nothing.isChecked()
        if self.warning.property("role") != ("error" if all_or_nothing else "muted"):
            self.warning.setProperty("role", "error" if all_or_nothing else "muted")
            self.warning.style().unpolish(self.warning)
            self.warning.style().polish(self.warning)
        if all_or_nothing:
            self.warning.setText(self.tr("The check refused {0} rows: with «All or nothing» this import will "
                                         "write nothing. Fix the file, or choose «All valid rows».").format(
                format_number(refused)))
        elif refused:
            self.warning.setText(self.tr("{0} refused rows will be left out.").format(format_number(refused)))
        else:
            self.warning.clear()

    # -- the import ---------------------------------------------------------------------------
    @Slot()
    def start(self) -> None:
        path = self.choices.path
        if path is None or self.strip.running or self._done:
            return
        self.error.clear()
        self.result.clear()
        actor = self.ctx.actor
        options = self.choices.options(all_or_nothing=self.all_or_nothing.isChecked())
        bus = self.ctx.bus

        def settled(value: object) -> None:
            """Whatever was committed is broadcast, even when the wizard is gone."""
            if isinstance(value, Outcome):
                bus.publish(value.changes)
            elif isinstance(value, ImportCancelled):
                bus.publish(value.changes)

        run_in_strip(self, self.ctx, self.strip, lambda s, progress: s.imports.run(actor, path, options, progress),
                     write=True, success=self._on_done, failure=self._on_failed, settled=settled)
        self._show_mode()
        wizard = self.wizard()
        if wizard is not None:
            wizard.button(QWizard.WizardButton.BackButton).setEnabled(False)

    def _on_done(self, outcome: Outcome[ImportSummary]) -> None:
        summary = outcome.value
        self._done = True
        self.figures.set_counts({"create": summary.to_create, "update": summary.to_update,
                                 "unchanged": summary.unchanged})
        self.result.setText(self.tr("Import finished.") + " " + summary.headline())
        self.ctx.messages.info.emit(summary.headline())
        self._show_mode()
        self._lock_back()
        self.completeChanged.emit()
        self.imported.emit(summary)

    def _on_failed(self, exc: CrmError) -> None:
        """Refused (all or nothing), cancelled or stopped by the file: the service's Persian message says what
        was written (nothing, except batches already committed in valid-rows mode)."""
        if isinstance(exc, ImportRefused | Cancelled):
            self.figures.set_counts({"create": 0, "update": 0, "unchanged": 0})
        self.error.setText(exc.message)
        self._show_mode()
        wizard = self.wizard()
        if wizard is not None:
            wizard.button(QWizard.WizardButton.BackButton).setEnabled(True)

    def _lock_back(self) -> None:
        """After an import, going back to re-run it makes no sense: only Finish remains."""
        wizard = self.wizard()
        if wizard is not None:
            wizard.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
            wizard.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
