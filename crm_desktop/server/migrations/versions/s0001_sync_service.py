"""The sync service's first schema: business tables from the desktop metadata, feed, devices, dedupe, conflicts.

Revision ID: s0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

from crm_desktop.server import schema
from crm_desktop.sync.protocol import MIN_SCHEMA_VERSION

revision = "s0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    # The metadata is generated from crm_desktop.models at this revision; later revisions alter it with op.*.
    schema.metadata.create_all(bind)
    for statement in schema.trigger_ddl():
        bind.exec_driver_sql(statement)
    op.bulk_insert(schema.sync_meta, [
        {"key": "server_epoch", "value": str(uuid.uuid4())},
        {"key": "min_schema_version", "value": str(MIN_SCHEMA_VERSION)},
        {"key": "tombstone_horizon", "value": "0"},
    ])


def downgrade() -> None:
    bind = op.get_bind()
    schema.metadata.drop_all(bind)
    for name in schema.FEED_TABLES:
        bind.execute(sa.text(f"DROP FUNCTION IF EXISTS sync_capture_{name}()"))
    bind.execute(sa.text("DROP FUNCTION IF EXISTS sync_row_version()"))
