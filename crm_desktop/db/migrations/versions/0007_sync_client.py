"""Sync client bookkeeping: sync_state, sync_rejected, sync_row_version, sync_conflict

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23

The sync client's local tables (design note §3.1). They are not business records and carry no
journal triggers: the journal stays the outbox, ``app_meta 'sync.pushed_seq'`` its acked mark, and
the server version of each held row lives in ``sync_row_version`` so business tables need no new
column. ``ix_change_journal_source`` serves lists of the journal by source (the merge list).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from crm_desktop.db.migration_helpers import set_schema_version

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_state",
        sa.Column("k", sa.String(length=64), nullable=False),
        sa.Column("v", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("k", name=op.f("pk_sync_state")),
    )
    op.create_table(
        "sync_rejected",
        sa.Column("op_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("tx_id", sa.String(length=36), nullable=False),
        sa.Column("tbl", sa.String(length=64), nullable=False),
        sa.Column("pk", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("changed", sa.Text(), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("rejected_at", sa.String(length=27), nullable=False),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("op_id", name=op.f("pk_sync_rejected")),
    )
    op.create_table(
        "sync_row_version",
        sa.Column("tbl", sa.String(length=64), nullable=False),
        sa.Column("pk", sa.String(length=36), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("tbl", "pk", name=op.f("pk_sync_row_version")),
    )
    op.create_table(
        "sync_conflict",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("branch_id", sa.String(length=36), nullable=False),
        sa.Column("tbl", sa.Text(), nullable=False),
        sa.Column("pk", sa.Text(), nullable=False),
        sa.Column("field", sa.Text(), nullable=False),
        sa.Column("base", sa.Text(), nullable=True),
        sa.Column("server_value", sa.Text(), nullable=True),
        sa.Column("client_value", sa.Text(), nullable=True),
        sa.Column("server_author", sa.Text(), nullable=True),
        sa.Column("client_author", sa.Text(), nullable=True),
        sa.Column("device_id", sa.String(length=36), nullable=True),
        sa.Column("op_id", sa.BigInteger(), nullable=True),
        sa.Column("client_hlc", sa.Text(), nullable=True),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("created_at", sa.String(length=27), nullable=False),
        sa.Column("resolved_by", sa.Text(), nullable=True),
        sa.Column("resolved_at", sa.String(length=27), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_conflict")),
    )
    op.create_index("ix_change_journal_source", "change_journal", ["source", "seq"])
    set_schema_version(op.get_bind(), 7)


def downgrade() -> None:
    op.drop_index("ix_change_journal_source", "change_journal")
    for name in ("sync_conflict", "sync_row_version", "sync_rejected", "sync_state"):
        op.drop_table(name)
    set_schema_version(op.get_bind(), 6)
