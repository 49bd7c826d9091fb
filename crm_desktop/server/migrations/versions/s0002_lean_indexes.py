"""Drop the desk's screen indexes from the server's business tables (``schema.server_indexes``).

They serve the desk's lists, searches and reports; on the service they only cost every pushed write
(a customer insert maintained 16 indexes). A fresh s0001 no longer creates them; this drops them from
a database made before.

Revision ID: s0002
Revises: s0001
Create Date: 2026-11-23
"""

from __future__ import annotations

from alembic import op

revision = "s0002"
down_revision = "s0001"
branch_labels = None
depends_on = None

#: Frozen at this revision (``schema.desk_only_indexes()`` then).
DESK_ONLY = (
    "ix_customer_branch_company_id", "ix_customer_branch_customer_no", "ix_customer_branch_mobile",
    "ix_customer_branch_national_id", "ix_customer_branch_sort", "ix_customer_customer_no", "ix_customer_first_key",
    "ix_customer_gone", "ix_customer_last_key", "ix_customer_mobile", "ix_customer_org_key", "ix_customer_sort",
    "ix_service_request_branch_status_due", "ix_service_request_closed", "ix_service_request_resolved",
)


def upgrade() -> None:
    for name in DESK_ONLY:
        op.execute(f"DROP INDEX IF EXISTS {name}")


def downgrade() -> None:
    """Nothing to restore: the service never queries through these indexes."""
