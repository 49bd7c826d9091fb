"""Turning a report document into a file: a right-to-left Persian PDF or an Excel workbook (no Qt)."""
