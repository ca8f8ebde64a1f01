"""administration

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 00:01:24.369675
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('help_texts',
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('text_sv', sa.Text(), nullable=False),
    sa.Column('text_en', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('updated_by_hsa_id', sa.String(length=64), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_help_texts'))
    )
    op.create_table('result_templates',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('laboratory_id', sa.UUID(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('analyses', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('default_comment', sa.Text(), nullable=True),
    sa.Column('insight', sa.String(length=20), nullable=True),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint("insight IS NULL OR insight IN ('positive','negative','technical_error','answer')", name=op.f('ck_result_templates_insight')),
    sa.ForeignKeyConstraint(['laboratory_id'], ['laboratories.id'], name=op.f('fk_result_templates_laboratory_id_laboratories')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_result_templates')),
    sa.UniqueConstraint('laboratory_id', 'name', name='uq_result_templates_lab_name')
    )
    op.add_column('care_units', sa.Column('result_recipient_hsa_id', sa.String(length=64), nullable=True))
    op.add_column('offers', sa.Column('created_by_hsa_id', sa.String(length=64), nullable=True))
    op.add_column('offers', sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True))
    op.create_index('uq_offers_one_current_version', 'offers', ['catalog_id'], unique=True, postgresql_where=sa.text('is_current'))
    op.add_column('products', sa.Column('version', sa.Integer(), server_default='1', nullable=False))


def downgrade() -> None:
    op.drop_column('products', 'version')
    op.drop_index('uq_offers_one_current_version', table_name='offers', postgresql_where=sa.text('is_current'))
    op.drop_column('offers', 'retired_at')
    op.drop_column('offers', 'created_by_hsa_id')
    op.drop_column('care_units', 'result_recipient_hsa_id')
    op.drop_table('result_templates')
    op.drop_table('help_texts')
