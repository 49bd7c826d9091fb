"""initial schema

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-23

Every table, then the journal triggers and the identity of this database (its device id).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from crm_desktop.db.migration_helpers import init_identity, install_triggers, set_schema_version

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('access_log',
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('at', sa.String(length=27), nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=True),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('target_tbl', sa.String(length=64), nullable=True),
    sa.Column('target_id', sa.String(length=36), nullable=True),
    sa.Column('detail', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_access_log')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('access_log', schema=None) as batch_op:
        batch_op.create_index('ix_access_log_target', ['target_tbl', 'target_id', 'seq'], unique=False)
        batch_op.create_index('ix_access_log_user', ['user_id', 'seq'], unique=False)

    op.create_table('app_meta',
    sa.Column('k', sa.String(length=64), nullable=False),
    sa.Column('v', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('k', name=op.f('pk_app_meta'))
    )
    op.create_table('branch',
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('address', sa.Text(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.String(length=27), nullable=False),
    sa.Column('updated_at', sa.String(length=27), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('changed_by', sa.String(length=36), nullable=True),
    sa.Column('changed_device', sa.String(length=36), nullable=True),
    sa.Column('deleted_at', sa.String(length=27), nullable=True),
    sa.Column('deleted_reason', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_branch')),
    sa.UniqueConstraint('code', name=op.f('uq_branch_code'))
    )
    op.create_table('change_journal',
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('tx_id', sa.String(length=36), nullable=False),
    sa.Column('tbl', sa.String(length=64), nullable=False),
    sa.Column('pk', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('changed', sa.Text(), nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('hlc', sa.String(length=64), nullable=False),
    sa.Column('source', sa.String(length=64), nullable=False),
    sa.Column('schema_version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.String(length=27), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_change_journal')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('change_journal', schema=None) as batch_op:
        batch_op.create_index('ix_change_journal_record', ['tbl', 'pk', 'seq'], unique=False)
        batch_op.create_index('ix_change_journal_tx', ['tx_id'], unique=False)

    op.create_table('holiday',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.String(length=27), nullable=False),
    sa.Column('updated_at', sa.String(length=27), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('changed_by', sa.String(length=36), nullable=True),
    sa.Column('changed_device', sa.String(length=36), nullable=True),
    sa.Column('deleted_at', sa.String(length=27), nullable=True),
    sa.Column('deleted_reason', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_holiday')),
    sa.UniqueConstraint('day', name=op.f('uq_holiday_day'))
    )
    op.create_table('request_sequence',
    sa.Column('prefix', sa.String(length=32), nullable=False),
    sa.Column('last_value', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('prefix', name=op.f('pk_request_sequence'))
    )
    op.create_table('setting',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.String(length=27), nullable=False),
    sa.Column('updated_at', sa.String(length=27), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('changed_by', sa.String(length=36), nullable=True),
    sa.Column('changed_device', sa.String(length=36), nullable=True),
    sa.Column('deleted_at', sa.String(length=27), nullable=True),
    sa.Column('deleted_reason', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_setting')),
    sa.UniqueConstraint('key', name=op.f('uq_setting_key'))
    )
    op.create_table('sla_policy',
    sa.Column('category', sa.String(length=16), nullable=False),
    sa.Column('priority', sa.String(length=8), nullable=False),
    sa.Column('target_minutes', sa.Integer(), nullable=False),
    sa.Column('first_response_minutes', sa.Integer(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.String(length=27), nullable=False),
    sa.Column('updated_at', sa.String(length=27), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('changed_by', sa.String(length=36), nullable=True),
    sa.Column('changed_device', sa.String(length=36), nullable=True),
    sa.Column('deleted_at', sa.String(length=27), nullable=True),
    sa.Column('deleted_reason', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sla_policy')),
    sa.UniqueConstraint('category', 'priority', name=op.f('uq_sla_policy_category_priority'))
    )
    op.create_table('sync_ctx',
    sa.Column('k', sa.String(length=32), nullable=False),
    sa.Column('v', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('k', name=op.f('pk_sync_ctx'))
    )
    op.create_table('app_user',
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('branch_id', sa.String(length=36), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.String(length=27), nullable=False),
    sa.Column('updated_at', sa.String(length=27), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('changed_by', sa.String(length=36), nullable=True),
    sa.Column('changed_device', sa.String(length=36), nullable=True),
    sa.Column('deleted_at', sa.String(length=27), nullable=True),
    sa.Column('deleted_reason', sa.Text(), nullable=True),
    sa.CheckConstraint("role IN ('clerk','manager','admin','auditor')", name=op.f('ck_app_user_role')),
    sa.ForeignKeyConstraint(['branch_id'], ['branch.id'], name=op.f('fk_app_user_branch_id_branch')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_app_user')),
    sa.UniqueConstraint('username', name=op.f('uq_app_user_username'))
    )
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_app_user_branch_id'), ['branch_id'], unique=False)

    op.create_table('customer',
    sa.Column('branch_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('customer_no', sa.String(length=20), nullable=True),
    sa.Column('first_name', sa.String(length=100), nullable=True),
    sa.Column('last_name', sa.String(length=100), nullable=True),
    sa.Column('father_name', sa.String(length=100), nullable=True),
    sa.Column('national_id', sa.String(length=10), nullable=True),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('gender', sa.String(length=8), nullable=True),
    sa.Column('company_name', sa.String(length=200), nullable=True),
    sa.Column('company_id', sa.String(length=11), nullable=True),
    sa.Column('registration_no', sa.String(length=20), nullable=True),
    sa.Column('contact_person', sa.String(length=200), nullable=True),
    sa.Column('mobile', sa.String(length=11), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('address', sa.Text(), nullable=True),
    sa.Column('postal_code', sa.String(length=10), nullable=True),
    sa.Column('segment', sa.String(length=16), nullable=False),
    sa.Column('lifecycle_stage', sa.String(length=16), nullable=False),
    sa.Column('kyc_status', sa.String(length=12), nullable=False),
    sa.Column('kyc_date', sa.Date(), nullable=True),
    sa.Column('marketing_consent', sa.Boolean(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('display_name', sa.String(length=300), nullable=False),
    sa.Column('sort_key', sa.String(length=300), nullable=False),
    sa.Column('name_key', sa.String(length=300), nullable=False),
    sa.Column('first_key', sa.String(length=100), nullable=True),
    sa.Column('last_key', sa.String(length=100), nullable=True),
    sa.Column('org_key', sa.String(length=200), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.String(length=27), nullable=False),
    sa.Column('updated_at', sa.String(length=27), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('changed_by', sa.String(length=36), nullable=True),
    sa.Column('changed_device', sa.String(length=36), nullable=True),
    sa.Column('deleted_at', sa.String(length=27), nullable=True),
    sa.Column('deleted_reason', sa.Text(), nullable=True),
    sa.CheckConstraint("kind IN ('individual','corporate')", name=op.f('ck_customer_kind')),
    sa.CheckConstraint("kyc_status IN ('verified','pending','expired')", name=op.f('ck_customer_kyc')),
    sa.CheckConstraint("lifecycle_stage IN ('acquisition','enhancement','retention')", name=op.f('ck_customer_lifecycle')),
    sa.ForeignKeyConstraint(['branch_id'], ['branch.id'], name=op.f('fk_customer_branch_id_branch')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer'))
    )
    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.create_index('ix_customer_branch_sort', ['branch_id', 'sort_key', 'id'], unique=False)
        batch_op.create_index('ix_customer_customer_no', ['customer_no'], unique=False)
        batch_op.create_index('ix_customer_first_key', ['first_key'], unique=False)
        batch_op.create_index('ix_customer_last_key', ['last_key'], unique=False)
        batch_op.create_index('ix_customer_mobile', ['mobile'], unique=False)
        batch_op.create_index('ix_customer_org_key', ['org_key'], unique=False)
        batch_op.create_index('ix_customer_sort', ['sort_key', 'id'], unique=False)
        batch_op.create_index('uq_customer_company_id_live', ['company_id'], unique=True, sqlite_where=sa.text('company_id IS NOT NULL AND deleted_at IS NULL'))
        batch_op.create_index('uq_customer_national_id_live', ['national_id'], unique=True, sqlite_where=sa.text('national_id IS NOT NULL AND deleted_at IS NULL'))

    op.create_table('interaction',
    sa.Column('customer_id', sa.String(length=36), nullable=False),
    sa.Column('branch_id', sa.String(length=36), nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('channel', sa.String(length=12), nullable=False),
    sa.Column('direction', sa.String(length=10), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('occurred_at', sa.String(length=27), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=True),
    sa.Column('follow_up_on', sa.Date(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.String(length=27), nullable=False),
    sa.Column('updated_at', sa.String(length=27), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('changed_by', sa.String(length=36), nullable=True),
    sa.Column('changed_device', sa.String(length=36), nullable=True),
    sa.Column('deleted_at', sa.String(length=27), nullable=True),
    sa.Column('deleted_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['branch_id'], ['branch.id'], name=op.f('fk_interaction_branch_id_branch')),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_interaction_customer_id_customer')),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_interaction_user_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interaction'))
    )
    with op.batch_alter_table('interaction', schema=None) as batch_op:
        batch_op.create_index('ix_interaction_branch_time', ['branch_id', 'occurred_at'], unique=False)
        batch_op.create_index('ix_interaction_customer_time', ['customer_id', 'occurred_at'], unique=False)
        batch_op.create_index('ix_interaction_user_time', ['user_id', 'occurred_at'], unique=False)

    op.create_table('login_state',
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('failed_count', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.String(length=27), nullable=True),
    sa.Column('last_login_at', sa.String(length=27), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_login_state_user_id_app_user')),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_login_state'))
    )
    op.create_table('product',
    sa.Column('customer_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('account_no', sa.String(length=34), nullable=True),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('balance_band', sa.String(length=12), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.String(length=27), nullable=False),
    sa.Column('updated_at', sa.String(length=27), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('changed_by', sa.String(length=36), nullable=True),
    sa.Column('changed_device', sa.String(length=36), nullable=True),
    sa.Column('deleted_at', sa.String(length=27), nullable=True),
    sa.Column('deleted_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_product_customer_id_customer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_product'))
    )
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.create_index('ix_product_customer', ['customer_id', 'opened_on'], unique=False)

    op.create_table('service_request',
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('customer_id', sa.String(length=36), nullable=False),
    sa.Column('branch_id', sa.String(length=36), nullable=False),
    sa.Column('category', sa.String(length=16), nullable=False),
    sa.Column('priority', sa.String(length=8), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('assignee_id', sa.String(length=36), nullable=True),
    sa.Column('opened_by', sa.String(length=36), nullable=False),
    sa.Column('opened_at', sa.String(length=27), nullable=False),
    sa.Column('due_at', sa.String(length=27), nullable=False),
    sa.Column('first_response_at', sa.String(length=27), nullable=True),
    sa.Column('resolved_at', sa.String(length=27), nullable=True),
    sa.Column('closed_at', sa.String(length=27), nullable=True),
    sa.Column('resolution', sa.Text(), nullable=True),
    sa.Column('satisfaction', sa.Integer(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.String(length=27), nullable=False),
    sa.Column('updated_at', sa.String(length=27), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('changed_by', sa.String(length=36), nullable=True),
    sa.Column('changed_device', sa.String(length=36), nullable=True),
    sa.Column('deleted_at', sa.String(length=27), nullable=True),
    sa.Column('deleted_reason', sa.Text(), nullable=True),
    sa.CheckConstraint('satisfaction IS NULL OR satisfaction BETWEEN 1 AND 5', name=op.f('ck_service_request_satisfaction')),
    sa.ForeignKeyConstraint(['assignee_id'], ['app_user.id'], name=op.f('fk_service_request_assignee_id_app_user')),
    sa.ForeignKeyConstraint(['branch_id'], ['branch.id'], name=op.f('fk_service_request_branch_id_branch')),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_service_request_customer_id_customer')),
    sa.ForeignKeyConstraint(['opened_by'], ['app_user.id'], name=op.f('fk_service_request_opened_by_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_request')),
    sa.UniqueConstraint('number', name=op.f('uq_service_request_number'))
    )
    with op.batch_alter_table('service_request', schema=None) as batch_op:
        batch_op.create_index('ix_service_request_assignee_status', ['assignee_id', 'status', 'due_at'], unique=False)
        batch_op.create_index('ix_service_request_branch_status_due', ['branch_id', 'status', 'due_at'], unique=False)
        batch_op.create_index('ix_service_request_customer', ['customer_id', 'opened_at'], unique=False)
        batch_op.create_index('ix_service_request_opened', ['branch_id', 'opened_at'], unique=False)

    op.create_table('request_status_change',
    sa.Column('request_id', sa.String(length=36), nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=True),
    sa.Column('to_status', sa.String(length=20), nullable=False),
    sa.Column('transition', sa.String(length=20), nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('changed_at', sa.String(length=27), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.String(length=27), nullable=False),
    sa.Column('updated_at', sa.String(length=27), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('changed_by', sa.String(length=36), nullable=True),
    sa.Column('changed_device', sa.String(length=36), nullable=True),
    sa.Column('deleted_at', sa.String(length=27), nullable=True),
    sa.Column('deleted_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['request_id'], ['service_request.id'], name=op.f('fk_request_status_change_request_id_service_request')),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_request_status_change_user_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_request_status_change'))
    )
    with op.batch_alter_table('request_status_change', schema=None) as batch_op:
        batch_op.create_index('ix_request_status_change_request', ['request_id', 'changed_at'], unique=False)


    install_triggers(op.get_bind(), {
        "branch": {}, "app_user": {"redact": ["password_hash"]},
        "customer": {"exclude": ["display_name", "sort_key", "name_key", "first_key", "last_key", "org_key"]},
        "product": {}, "interaction": {}, "service_request": {}, "request_status_change": {},
        "sla_policy": {}, "holiday": {}, "setting": {},
    })
    init_identity(op.get_bind())
    set_schema_version(op.get_bind(), 1)


def downgrade() -> None:
    with op.batch_alter_table('request_status_change', schema=None) as batch_op:
        batch_op.drop_index('ix_request_status_change_request')

    op.drop_table('request_status_change')
    with op.batch_alter_table('service_request', schema=None) as batch_op:
        batch_op.drop_index('ix_service_request_opened')
        batch_op.drop_index('ix_service_request_customer')
        batch_op.drop_index('ix_service_request_branch_status_due')
        batch_op.drop_index('ix_service_request_assignee_status')

    op.drop_table('service_request')
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.drop_index('ix_product_customer')

    op.drop_table('product')
    op.drop_table('login_state')
    with op.batch_alter_table('interaction', schema=None) as batch_op:
        batch_op.drop_index('ix_interaction_user_time')
        batch_op.drop_index('ix_interaction_customer_time')
        batch_op.drop_index('ix_interaction_branch_time')

    op.drop_table('interaction')
    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.drop_index('uq_customer_national_id_live', sqlite_where=sa.text('national_id IS NOT NULL AND deleted_at IS NULL'))
        batch_op.drop_index('uq_customer_company_id_live', sqlite_where=sa.text('company_id IS NOT NULL AND deleted_at IS NULL'))
        batch_op.drop_index('ix_customer_sort')
        batch_op.drop_index('ix_customer_org_key')
        batch_op.drop_index('ix_customer_mobile')
        batch_op.drop_index('ix_customer_last_key')
        batch_op.drop_index('ix_customer_first_key')
        batch_op.drop_index('ix_customer_customer_no')
        batch_op.drop_index('ix_customer_branch_sort')

    op.drop_table('customer')
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_app_user_branch_id'))

    op.drop_table('app_user')
    op.drop_table('sync_ctx')
    op.drop_table('sla_policy')
    op.drop_table('setting')
    op.drop_table('request_sequence')
    op.drop_table('holiday')
    with op.batch_alter_table('change_journal', schema=None) as batch_op:
        batch_op.drop_index('ix_change_journal_tx')
        batch_op.drop_index('ix_change_journal_record')

    op.drop_table('change_journal')
    op.drop_table('branch')
    op.drop_table('app_meta')
    with op.batch_alter_table('access_log', schema=None) as batch_op:
        batch_op.drop_index('ix_access_log_user')
        batch_op.drop_index('ix_access_log_target')

    op.drop_table('access_log')
