"""Alembic environment of the sync service: runs on the connection ``crm_desktop.server.db.migrate`` hands in."""

from __future__ import annotations

from alembic import context

from crm_desktop.server.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, version_table="alembic_version_server")
with context.begin_transaction():
    context.run_migrations()
