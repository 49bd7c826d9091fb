"""The import wizard: file → column mapping → dry run → import.

Opened as a dialog: ``open_import_wizard(ctx, parent)``. Only users whose role may create customers or log
interactions see the entry (``can_import``); the import service checks the right again for the kind of file.
Esc or Cancel while a step runs stops that step (a cancelled all-or-nothing import writes nothing); pressed
again it closes the wizard.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QWidget, QWizard

from crm_desktop.services.actor import Actor
from crm_desktop.services.errors import PermissionDenied
from crm_desktop.services.permissions import Action, allowed, require
from crm_desktop.views.context import AppContext
from crm_desktop.views.errors import show_error
from crm_desktop.views.importing.choices import ImportChoices
from crm_desktop.views.importing.dry_run_page import DryRunPage
from crm_desktop.views.importing.file_page import FilePage
from crm_desktop.views.importing.import_page import ImportPage
from crm_desktop.views.importing.mapping_page import MappingPage


def can_import(actor: Actor) -> bool:
    """Whether to show the «Import from a file» entry at all."""
    return allowed(actor, Action.EDIT_CUSTOMER) or allowed(actor, Action.LOG_INTERACTION)


class ImportWizard(QWizard):
    """Signals:
        imported(object): the ImportSummary of a finished import.
    """

    imported = Signal(object)
    FILE, MAPPING, DRY_RUN, IMPORT = range(4)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.choices = ImportChoices()
        self.setObjectName("importWizard")
        self.setWindowTitle(self.tr("Import from a file"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.file_page = FilePage(ctx, self.choices)
        self.mapping_page = MappingPage(ctx, self.choices)
        self.dry_run_page = DryRunPage(ctx, self.choices)
        self.import_page = ImportPage(ctx, self.choices)
        for page_id, page in ((self.FILE, self.file_page), (self.MAPPING, self.mapping_page),
                              (self.DRY_RUN, self.dry_run_page), (self.IMPORT, self.import_page)):
            self.setPage(page_id, page)
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("Next"))
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("Back"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("Close"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("Cancel"))
        em = self.fontMetrics().horizontalAdvance("M")
        self.resize(em * 70, em * 46)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.import_page.imported.connect(self.imported)

    @property
    def running(self) -> bool:
        return self.dry_run_page.running or self.import_page.running

    def reject(self) -> None:
        """Esc or Cancel: first stop the step that runs; close only when nothing runs."""
        for page in (self.dry_run_page, self.import_page):
            if page.running:
                page.strip.cancel()
                return
        super().reject()


def open_import_wizard(ctx: AppContext, parent: QWidget | None = None) -> ImportWizard | None:
    """Open the wizard (window-modal); a user without the right is told why, in Persian, and gets None."""
    if not can_import(ctx.actor):
        try:
            require(ctx.actor, Action.EDIT_CUSTOMER)
        except PermissionDenied as exc:
            show_error(parent, exc)
        return None
    wizard = ImportWizard(ctx, parent)
    wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    wizard.open()
    return wizard
