"""customer.merged_into: a merged duplicate points to its survivor

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23

A tombstone left by a merge keeps the id of the record it was merged into, so
that an old link or a search leads to the survivor. The customer's journal
triggers are re-installed so that the new column is captured.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from crm_desktop.db.migration_helpers import install_triggers, set_schema_version

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

CUSTOMER_DERIVED = ["display_name", "sort_key", "name_key", "first_key", "last_key", "org_key"]


def upgrade() -> None:
    # SQLite adds a nullable column with a REFERENCES clause in place; batch mode would copy the
    # table, which foreign keys from products, interactions and requests forbid.
    op.execute("ALTER TABLE customer ADD COLUMN merged_into VARCHAR(36) REFERENCES customer (id)")
    op.create_index("ix_customer_merged_into", "customer", ["merged_into"],
                    sqlite_where=sa.text("merged_into IS NOT NULL"))
    install_triggers(op.get_bind(), {"customer": {"exclude": CUSTOMER_DERIVED}})
    set_schema_version(op.get_bind(), 2)


def downgrade() -> None:
    op.drop_index("ix_customer_merged_into", "customer")
    op.execute("ALTER TABLE customer DROP COLUMN merged_into")
    install_triggers(op.get_bind(), {"customer": {"exclude": CUSTOMER_DERIVED}})
    set_schema_version(op.get_bind(), 1)
