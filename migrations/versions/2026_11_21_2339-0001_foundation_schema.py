"""foundation schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-21 23:39:59.594285
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', sa.BigInteger(), autoincrement=True, nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_kind', sa.String(length=20), nullable=False),
    sa.Column('actor_id', sa.String(length=128), nullable=False),
    sa.Column('care_unit_hsa_id', sa.String(length=64), nullable=True),
    sa.Column('assignment_id', sa.String(length=64), nullable=True),
    sa.Column('assignment_purpose', sa.String(length=100), nullable=True),
    sa.Column('patient_hash', sa.LargeBinary(length=32), nullable=True),
    sa.Column('patient_encrypted', sa.LargeBinary(), nullable=True),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('request_id', sa.String(length=64), nullable=True),
    sa.Column('details', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    op.create_index(op.f('ix_audit_log_actor_id'), 'audit_log', ['actor_id'], unique=False)
    op.create_index(op.f('ix_audit_log_occurred_at'), 'audit_log', ['occurred_at'], unique=False)
    op.create_index(op.f('ix_audit_log_patient_hash'), 'audit_log', ['patient_hash'], unique=False)
    op.create_table('person_cache',
    sa.Column('personnummer_hash', sa.LargeBinary(length=32), nullable=False),
    sa.Column('payload_encrypted', sa.LargeBinary(), nullable=False),
    sa.Column('fetched_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('personnummer_hash', name=op.f('pk_person_cache'))
    )
    op.create_index(op.f('ix_person_cache_fetched_at'), 'person_cache', ['fetched_at'], unique=False)
    op.create_table('products',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('material', sa.String(length=100), nullable=False),
    sa.Column('npu_code', sa.String(length=32), nullable=True),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_products'))
    )
    op.create_table('regions',
    sa.Column('code', sa.String(length=2), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_regions'))
    )
    op.create_table('care_units',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('hsa_id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('region_code', sa.String(length=2), nullable=False),
    sa.Column('care_giver_hsa_id', sa.String(length=64), nullable=False),
    sa.Column('care_giver_name', sa.String(length=200), nullable=False),
    sa.Column('worklist_insights', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'[]'::jsonb"), nullable=False),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['region_code'], ['regions.code'], name=op.f('fk_care_units_region_code_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_care_units')),
    sa.UniqueConstraint('hsa_id', name=op.f('uq_care_units_hsa_id'))
    )
    op.create_table('laboratories',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('region_code', sa.String(length=2), nullable=False),
    sa.Column('label_template_zpl', sa.Text(), nullable=True),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['region_code'], ['regions.code'], name=op.f('fk_laboratories_region_code_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_laboratories')),
    sa.UniqueConstraint('code', name=op.f('uq_laboratories_code'))
    )
    op.create_table('sampling_units',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('hsa_id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('region_code', sa.String(length=2), nullable=False),
    sa.Column('street', sa.String(length=200), nullable=False),
    sa.Column('postal_code', sa.String(length=10), nullable=False),
    sa.Column('city', sa.String(length=100), nullable=False),
    sa.Column('opening_hours', sa.String(length=500), nullable=True),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['region_code'], ['regions.code'], name=op.f('fk_sampling_units_region_code_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sampling_units')),
    sa.UniqueConstraint('hsa_id', name=op.f('uq_sampling_units_hsa_id'))
    )
    op.create_table('laboratory_customers',
    sa.Column('laboratory_id', sa.UUID(), nullable=False),
    sa.Column('care_unit_id', sa.UUID(), nullable=False),
    sa.ForeignKeyConstraint(['care_unit_id'], ['care_units.id'], name=op.f('fk_laboratory_customers_care_unit_id_care_units')),
    sa.ForeignKeyConstraint(['laboratory_id'], ['laboratories.id'], name=op.f('fk_laboratory_customers_laboratory_id_laboratories')),
    sa.PrimaryKeyConstraint('laboratory_id', 'care_unit_id', name=op.f('pk_laboratory_customers'))
    )
    op.create_table('laboratory_product_mappings',
    sa.Column('laboratory_id', sa.UUID(), nullable=False),
    sa.Column('product_code', sa.String(length=32), nullable=False),
    sa.Column('lab_code', sa.String(length=32), nullable=False),
    sa.Column('tube_code', sa.String(length=32), nullable=False),
    sa.Column('material', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['laboratory_id'], ['laboratories.id'], name=op.f('fk_laboratory_product_mappings_laboratory_id_laboratories')),
    sa.ForeignKeyConstraint(['product_code'], ['products.code'], name=op.f('fk_laboratory_product_mappings_product_code_products')),
    sa.PrimaryKeyConstraint('laboratory_id', 'product_code', name=op.f('pk_laboratory_product_mappings'))
    )
    op.create_table('offer_assigning_units',
    sa.Column('catalog_id', sa.String(length=32), nullable=False),
    sa.Column('care_unit_id', sa.UUID(), nullable=False),
    sa.ForeignKeyConstraint(['care_unit_id'], ['care_units.id'], name=op.f('fk_offer_assigning_units_care_unit_id_care_units')),
    sa.PrimaryKeyConstraint('catalog_id', 'care_unit_id', name=op.f('pk_offer_assigning_units'))
    )
    op.create_table('offers',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('catalog_id', sa.String(length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('is_current', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.Column('region_code', sa.String(length=2), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('instructions', sa.Text(), nullable=False),
    sa.Column('sampling_method', sa.String(length=20), nullable=False),
    sa.Column('visibility', sa.String(length=20), nullable=False),
    sa.Column('asks', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('validity_days', sa.Integer(), nullable=False),
    sa.Column('result_care_unit_id', sa.UUID(), nullable=False),
    sa.Column('min_age', sa.Integer(), nullable=True),
    sa.Column('max_age', sa.Integer(), nullable=True),
    sa.Column('sex', sa.String(length=1), nullable=True),
    sa.Column('usage_limit', sa.Integer(), nullable=True),
    sa.Column('usage_period_days', sa.Integer(), nullable=True),
    sa.Column('active_from', sa.Date(), nullable=True),
    sa.Column('active_until', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("sampling_method IN ('site_booking','site_drop_in','home_kit','anonymous_kit')", name=op.f('ck_offers_sampling_method')),
    sa.CheckConstraint("sex IS NULL OR sex IN ('F','M')", name=op.f('ck_offers_sex')),
    sa.CheckConstraint("visibility IN ('personal','general','nationwide')", name=op.f('ck_offers_visibility')),
    sa.ForeignKeyConstraint(['region_code'], ['regions.code'], name=op.f('fk_offers_region_code_regions')),
    sa.ForeignKeyConstraint(['result_care_unit_id'], ['care_units.id'], name=op.f('fk_offers_result_care_unit_id_care_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_offers')),
    sa.UniqueConstraint('catalog_id', 'version', name='uq_offers_catalog_id_version')
    )
    op.create_index(op.f('ix_offers_catalog_id'), 'offers', ['catalog_id'], unique=False)
    op.create_table('sampling_unit_laboratories',
    sa.Column('sampling_unit_id', sa.UUID(), nullable=False),
    sa.Column('laboratory_id', sa.UUID(), nullable=False),
    sa.ForeignKeyConstraint(['laboratory_id'], ['laboratories.id'], name=op.f('fk_sampling_unit_laboratories_laboratory_id_laboratories')),
    sa.ForeignKeyConstraint(['sampling_unit_id'], ['sampling_units.id'], name=op.f('fk_sampling_unit_laboratories_sampling_unit_id_sampling_units')),
    sa.PrimaryKeyConstraint('sampling_unit_id', 'laboratory_id', name=op.f('pk_sampling_unit_laboratories'))
    )
    op.create_table('staff_permissions',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('staff_hsa_id', sa.String(length=64), nullable=False),
    sa.Column('module', sa.String(length=40), nullable=False),
    sa.Column('care_unit_id', sa.UUID(), nullable=True),
    sa.Column('region_code', sa.String(length=2), nullable=True),
    sa.Column('granted_by_hsa_id', sa.String(length=64), nullable=False),
    sa.Column('granted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_by_hsa_id', sa.String(length=64), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("(module IN ('region_admin') AND region_code IS NOT NULL AND care_unit_id IS NULL) OR (module IN ('operator','central_admin') AND region_code IS NULL AND care_unit_id IS NULL) OR (module NOT IN ('region_admin','operator','central_admin') AND care_unit_id IS NOT NULL AND region_code IS NULL)", name=op.f('ck_staff_permissions_scope')),
    sa.ForeignKeyConstraint(['care_unit_id'], ['care_units.id'], name=op.f('fk_staff_permissions_care_unit_id_care_units')),
    sa.ForeignKeyConstraint(['region_code'], ['regions.code'], name=op.f('fk_staff_permissions_region_code_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_permissions'))
    )
    op.create_index(op.f('ix_staff_permissions_staff_hsa_id'), 'staff_permissions', ['staff_hsa_id'], unique=False)
    op.create_index('uq_staff_permissions_active', 'staff_permissions', ['staff_hsa_id', 'module', sa.literal_column("coalesce(care_unit_id::text, '')"), sa.literal_column("coalesce(region_code, '')")], unique=True, postgresql_where=sa.text('revoked_at IS NULL'))
    op.create_table('offer_products',
    sa.Column('offer_id', sa.UUID(), nullable=False),
    sa.Column('product_code', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['offer_id'], ['offers.id'], name=op.f('fk_offer_products_offer_id_offers')),
    sa.ForeignKeyConstraint(['product_code'], ['products.code'], name=op.f('fk_offer_products_product_code_products')),
    sa.PrimaryKeyConstraint('offer_id', 'product_code', name=op.f('pk_offer_products'))
    )
    # The audit log is append-only: the database itself refuses to change or remove entries.
    op.execute(
        """
        CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'audit_log is append-only';
        END;
        $$
        """
    )
    op.execute(
        "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log"
        " FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only()"
    )



def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
    op.execute("DROP FUNCTION IF EXISTS audit_log_is_append_only()")
    op.drop_table('offer_products')
    op.drop_index('uq_staff_permissions_active', table_name='staff_permissions', postgresql_where=sa.text('revoked_at IS NULL'))
    op.drop_index(op.f('ix_staff_permissions_staff_hsa_id'), table_name='staff_permissions')
    op.drop_table('staff_permissions')
    op.drop_table('sampling_unit_laboratories')
    op.drop_index(op.f('ix_offers_catalog_id'), table_name='offers')
    op.drop_table('offers')
    op.drop_table('offer_assigning_units')
    op.drop_table('laboratory_product_mappings')
    op.drop_table('laboratory_customers')
    op.drop_table('sampling_units')
    op.drop_table('laboratories')
    op.drop_table('care_units')
    op.drop_table('regions')
    op.drop_table('products')
    op.drop_index(op.f('ix_person_cache_fetched_at'), table_name='person_cache')
    op.drop_table('person_cache')
    op.drop_index(op.f('ix_audit_log_patient_hash'), table_name='audit_log')
    op.drop_index(op.f('ix_audit_log_occurred_at'), table_name='audit_log')
    op.drop_index(op.f('ix_audit_log_actor_id'), table_name='audit_log')
    op.drop_table('audit_log')
