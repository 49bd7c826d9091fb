"""Import of customers, products held and interactions from .xlsx and .csv (issue #7).

``ImportService.preview`` → mapping step, ``dry_run`` → the report (``write_report`` for Excel), ``run`` → the
import. No Qt: the import wizard runs these off the UI thread with a ``Progress``.
"""

from __future__ import annotations

from crm_desktop.services.importing.headers import ImportKind, fields_of, load_mapping, save_mapping
from crm_desktop.services.importing.plan import ImportSummary, RefusedRow, SimilarRow
from crm_desktop.services.importing.readers import ImportFileError
from crm_desktop.services.importing.report import write_report
from crm_desktop.services.importing.service import (
    FilePreview,
    ImportCancelled,
    ImportOptions,
    ImportRefused,
    ImportService,
)

__all__ = [
    "FilePreview",
    "ImportCancelled",
    "ImportFileError",
    "ImportKind",
    "ImportOptions",
    "ImportRefused",
    "ImportService",
    "ImportSummary",
    "RefusedRow",
    "SimilarRow",
    "fields_of",
    "load_mapping",
    "save_mapping",
    "write_report",
]
