"""Reports: the dashboard (and, with the reports issue, PDF and Excel exports)."""
