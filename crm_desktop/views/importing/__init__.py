"""The import wizard (issue #7): file → column mapping → dry run → import, each long step off the UI thread."""

from __future__ import annotations

from crm_desktop.views.importing.wizard import ImportWizard, can_import, open_import_wizard

__all__ = ["ImportWizard", "can_import", "open_import_wizard"]
