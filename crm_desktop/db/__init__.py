"""The SQLite store: engine settings, units of work, change capture, migrations, backup."""

from crm_desktop.db.session import Database, WriteContext

__all__ = ["Database", "WriteContext"]
