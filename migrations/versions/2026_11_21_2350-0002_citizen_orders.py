"""citizen orders

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 23:50:51.661664
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('anonymous_kits',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('kit_hash', sa.LargeBinary(length=32), nullable=False),
    sa.Column('rid', sa.String(length=16), nullable=False),
    sa.Column('catalog_id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('registered_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_anonymous_kits')),
    sa.UniqueConstraint('kit_hash', name=op.f('uq_anonymous_kits_kit_hash')),
    sa.UniqueConstraint('rid', name=op.f('uq_anonymous_kits_rid'))
    )
    op.create_table('idempotency_records',
    sa.Column('actor_hash', sa.LargeBinary(length=32), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('fingerprint', sa.LargeBinary(length=32), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=False),
    sa.Column('response', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('actor_hash', 'key', name=op.f('pk_idempotency_records'))
    )
    op.create_index(op.f('ix_idempotency_records_created_at'), 'idempotency_records', ['created_at'], unique=False)
    op.create_table('assigned_offers',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('personnummer_hash', sa.LargeBinary(length=32), nullable=False),
    sa.Column('personnummer_encrypted', sa.LargeBinary(), nullable=False),
    sa.Column('catalog_id', sa.String(length=32), nullable=False),
    sa.Column('assigning_care_unit_id', sa.UUID(), nullable=False),
    sa.Column('assigned_by_hsa_id', sa.String(length=64), nullable=False),
    sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('removed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('times_used', sa.Integer(), server_default='0', nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['assigning_care_unit_id'], ['care_units.id'], name=op.f('fk_assigned_offers_assigning_care_unit_id_care_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assigned_offers'))
    )
    op.create_index(op.f('ix_assigned_offers_personnummer_hash'), 'assigned_offers', ['personnummer_hash'], unique=False)
    op.create_index('uq_assigned_offers_active', 'assigned_offers', ['personnummer_hash', 'catalog_id'], unique=True, postgresql_where=sa.text('removed_at IS NULL'))
    op.create_table('sampling_slots',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('sampling_unit_id', sa.UUID(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('booked', sa.Integer(), server_default='0', nullable=False),
    sa.CheckConstraint('booked >= 0 AND booked <= capacity', name=op.f('ck_sampling_slots_within_capacity')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_sampling_slots_positive_length')),
    sa.ForeignKeyConstraint(['sampling_unit_id'], ['sampling_units.id'], name=op.f('fk_sampling_slots_sampling_unit_id_sampling_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sampling_slots')),
    sa.UniqueConstraint('sampling_unit_id', 'starts_at', name='uq_sampling_slots_unit_start')
    )
    op.create_table('orders',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('rid', sa.String(length=16), nullable=False),
    sa.Column('citizen_hash', sa.LargeBinary(length=32), nullable=False),
    sa.Column('citizen_encrypted', sa.LargeBinary(), nullable=False),
    sa.Column('offer_id', sa.UUID(), nullable=False),
    sa.Column('catalog_id', sa.String(length=32), nullable=False),
    sa.Column('sampling_method', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('answers_encrypted', sa.LargeBinary(), nullable=False),
    sa.Column('slot_id', sa.UUID(), nullable=True),
    sa.Column('sampling_unit_id', sa.UUID(), nullable=True),
    sa.Column('booked_start', sa.DateTime(timezone=True), nullable=True),
    sa.Column('anonymous_kit_id', sa.UUID(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('handled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sampled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint("status IN ('ordered','handled','sampled','answered','cancelled','expired')", name=op.f('ck_orders_status')),
    sa.ForeignKeyConstraint(['anonymous_kit_id'], ['anonymous_kits.id'], name=op.f('fk_orders_anonymous_kit_id_anonymous_kits')),
    sa.ForeignKeyConstraint(['offer_id'], ['offers.id'], name=op.f('fk_orders_offer_id_offers')),
    sa.ForeignKeyConstraint(['sampling_unit_id'], ['sampling_units.id'], name=op.f('fk_orders_sampling_unit_id_sampling_units')),
    sa.ForeignKeyConstraint(['slot_id'], ['sampling_slots.id'], name=op.f('fk_orders_slot_id_sampling_slots')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_orders')),
    sa.UniqueConstraint('anonymous_kit_id', name=op.f('uq_orders_anonymous_kit_id')),
    sa.UniqueConstraint('rid', name=op.f('uq_orders_rid'))
    )
    op.create_index('ix_orders_citizen_created', 'orders', ['citizen_hash', 'created_at'], unique=False)
    op.create_index(op.f('ix_orders_expires_at'), 'orders', ['expires_at'], unique=False)
    op.create_table('order_lines',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('order_id', sa.UUID(), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('product_code', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_order_lines_order_id_orders'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['product_code'], ['products.code'], name=op.f('fk_order_lines_product_code_products')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_lines')),
    sa.UniqueConstraint('order_id', 'line_no', name='uq_order_lines_order_line')
    )
    op.create_table('results',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('order_line_id', sa.UUID(), nullable=False),
    sa.Column('sampling_date', sa.Date(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('insight', sa.String(length=20), nullable=True),
    sa.Column('payload_encrypted', sa.LargeBinary(), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("insight IS NULL OR insight IN ('positive','negative','technical_error','answer')", name=op.f('ck_results_insight')),
    sa.ForeignKeyConstraint(['order_line_id'], ['order_lines.id'], name=op.f('fk_results_order_line_id_order_lines'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_results')),
    sa.UniqueConstraint('order_line_id', 'sampling_date', 'version', name='uq_results_line_date_version')
    )
    op.create_index(op.f('ix_results_order_line_id'), 'results', ['order_line_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_results_order_line_id'), table_name='results')
    op.drop_table('results')
    op.drop_table('order_lines')
    op.drop_index(op.f('ix_orders_expires_at'), table_name='orders')
    op.drop_index('ix_orders_citizen_created', table_name='orders')
    op.drop_table('orders')
    op.drop_table('sampling_slots')
    op.drop_index('uq_assigned_offers_active', table_name='assigned_offers', postgresql_where=sa.text('removed_at IS NULL'))
    op.drop_index(op.f('ix_assigned_offers_personnummer_hash'), table_name='assigned_offers')
    op.drop_table('assigned_offers')
    op.drop_index(op.f('ix_idempotency_records_created_at'), table_name='idempotency_records')
    op.drop_table('idempotency_records')
    op.drop_table('anonymous_kits')
