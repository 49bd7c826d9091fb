"""The file dialogs of the import wizard, as module functions so that tests can replace them."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QWidget

from crm_desktop.views.reporting.reports_page import offer_to_open
from crm_desktop.views.widgets.export_button import documents_folder

__all__ = ["ask_import_file", "ask_mapping_to_load", "ask_mapping_to_save", "ask_report_path", "documents_folder",
           "offer_to_open"]


def _with_suffix(chosen: str, suffix: str) -> Path | None:
    if not chosen:
        return None
    path = Path(chosen)
    return path if path.suffix.lower() == suffix else path.with_name(path.name + suffix)


def ask_import_file(parent: QWidget, folder: Path) -> Path | None:
    title = QCoreApplication.translate("ImportDialogs", "Choose the file to import")
    filters = QCoreApplication.translate(
        "ImportDialogs", "Spreadsheets (*.xlsx *.csv *.txt);;Excel workbook (*.xlsx);;CSV text (*.csv *.txt)")
    chosen, _filter = QFileDialog.getOpenFileName(parent, title, str(folder), filters)
    return Path(chosen) if chosen else None


def ask_mapping_to_load(parent: QWidget, folder: Path) -> Path | None:
    title = QCoreApplication.translate("ImportDialogs", "Load a column mapping")
    filters = QCoreApplication.translate("ImportDialogs", "Column mapping (*.json)")
    chosen, _filter = QFileDialog.getOpenFileName(parent, title, str(folder), filters)
    return Path(chosen) if chosen else None


def ask_mapping_to_save(parent: QWidget, suggested: Path) -> Path | None:
    title = QCoreApplication.translate("ImportDialogs", "Save the column mapping")
    filters = QCoreApplication.translate("ImportDialogs", "Column mapping (*.json)")
    chosen, _filter = QFileDialog.getSaveFileName(parent, title, str(suggested), filters)
    return _with_suffix(chosen, ".json")


def ask_report_path(parent: QWidget, suggested: Path) -> Path | None:
    title = QCoreApplication.translate("ImportDialogs", "Save the import check report")
    filters = QCoreApplication.translate("ImportDialogs", "Excel workbook (*.xlsx)")
    chosen, _filter = QFileDialog.getSaveFileName(parent, title, str(suggested), filters)
    return _with_suffix(chosen, ".xlsx")
