"""Excel workbooks of reports and lists (openpyxl write-only mode, right to left, Persian).

``render_xlsx`` writes a whole ``ReportDocument``: a summary sheet «خلاصه» with the figures,
notes and native charts, then one data sheet per table. ``export_table_xlsx`` writes one list
(what a list screen shows) as a one-sheet workbook. Numbers stay numbers and date-times real
Excel date-times (Tehran wall-clock time) with the Jalali text in a column beside, so managers
can sum, sort and pivot.
"""

from __future__ import annotations

from crm_desktop.reports.xlsx.workbook import export_table_xlsx, render_xlsx, unique_sheet_name

__all__ = ["export_table_xlsx", "render_xlsx", "unique_sheet_name"]
