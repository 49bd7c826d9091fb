"""duplicate_dismissal: pairs of customers a user said are not duplicates

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23

The duplicate finder offers groups of likely duplicates; "not a duplicate" is remembered here, one row per
pair of customers, so that the group stops appearing. It is a user's decision that every desk should
respect, so the table is a synced business table with journal triggers like the others.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from crm_desktop.db.migration_helpers import install_triggers, set_schema_version

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "duplicate_dismissal",
        sa.Column("customer_a", sa.String(length=36), nullable=False),
        sa.Column("customer_b", sa.String(length=36), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.String(length=27), nullable=False),
        sa.Column("updated_at", sa.String(length=27), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("changed_by", sa.String(length=36), nullable=True),
        sa.Column("changed_device", sa.String(length=36), nullable=True),
        sa.Column("deleted_at", sa.String(length=27), nullable=True),
        sa.Column("deleted_reason", sa.Text(), nullable=True),
        sa.CheckConstraint("customer_a < customer_b", name=op.f("ck_duplicate_dismissal_pair_order")),
        sa.ForeignKeyConstraint(["customer_a"], ["customer.id"],
                                name=op.f("fk_duplicate_dismissal_customer_a_customer")),
        sa.ForeignKeyConstraint(["customer_b"], ["customer.id"],
                                name=op.f("fk_duplicate_dismissal_customer_b_customer")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duplicate_dismissal")),
    )
    op.create_index("ix_duplicate_dismissal_pair", "duplicate_dismissal", ["customer_a", "customer_b"])
    op.create_index("ix_duplicate_dismissal_b", "duplicate_dismissal", ["customer_b"])
    install_triggers(op.get_bind(), {"duplicate_dismissal": {}})
    set_schema_version(op.get_bind(), 6)


def downgrade() -> None:
    op.drop_index("ix_duplicate_dismissal_b", "duplicate_dismissal")
    op.drop_index("ix_duplicate_dismissal_pair", "duplicate_dismissal")
    op.drop_table("duplicate_dismissal")  # its triggers go with it
    set_schema_version(op.get_bind(), 5)
