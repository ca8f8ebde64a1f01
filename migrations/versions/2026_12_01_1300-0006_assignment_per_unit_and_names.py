"""assignment per unit and names

Several care units may assign the same offer to one patient (manual 4.10; issue 11 item 9):
an active assignment is unique per patient, offer and assigning unit, no longer per patient
and offer. The code that inserts assignments uses ON CONFLICT DO NOTHING without naming the
index, so it runs on the schema before and after this revision: deploy it first, then run this.

Names beside HSA-ids (issue 11 items 4 and 17): who holds a permission and who granted it, who
assigned an offer, as the HSA directory gave them at the time; null for older rows.

A help text needs only Swedish (issue 11 item 17): `help_texts.text_en` becomes nullable.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        'staff_permissions', sa.Column('staff_name', sa.String(length=200), nullable=True)
    )
    op.add_column(
        'staff_permissions', sa.Column('granted_by_name', sa.String(length=200), nullable=True)
    )
    op.add_column(
        'assigned_offers', sa.Column('assigned_by_name', sa.String(length=200), nullable=True)
    )
    op.alter_column('help_texts', 'text_en', existing_type=sa.Text(), nullable=True)
    # CONCURRENTLY: assigning offers goes on while the index is built.
    with op.get_context().autocommit_block():
        op.create_index(
            'uq_assigned_offers_active_unit',
            'assigned_offers',
            ['personnummer_hash', 'catalog_id', 'assigning_care_unit_id'],
            unique=True,
            postgresql_where=sa.text('removed_at IS NULL'),
            postgresql_concurrently=True,
        )
        op.drop_index(
            'uq_assigned_offers_active',
            table_name='assigned_offers',
            postgresql_where=sa.text('removed_at IS NULL'),
            postgresql_concurrently=True,
        )


def downgrade() -> None:
    # Back to one active assignment per patient and offer: the later of two units'
    # assignments of the same offer is removed (kept, with removed_at set) so the old index
    # can be built.
    op.execute(
        """
        UPDATE assigned_offers a SET removed_at = now()
         WHERE a.removed_at IS NULL AND EXISTS (
               SELECT 1 FROM assigned_offers b
                WHERE b.removed_at IS NULL AND b.personnummer_hash = a.personnummer_hash
                  AND b.catalog_id = a.catalog_id
                  AND (b.assigned_at, b.id) < (a.assigned_at, a.id))
        """
    )
    op.execute("UPDATE help_texts SET text_en = text_sv WHERE text_en IS NULL")
    op.alter_column('help_texts', 'text_en', existing_type=sa.Text(), nullable=False)
    op.drop_column('assigned_offers', 'assigned_by_name')
    op.drop_column('staff_permissions', 'granted_by_name')
    op.drop_column('staff_permissions', 'staff_name')
    with op.get_context().autocommit_block():
        op.create_index(
            'uq_assigned_offers_active',
            'assigned_offers',
            ['personnummer_hash', 'catalog_id'],
            unique=True,
            postgresql_where=sa.text('removed_at IS NULL'),
            postgresql_concurrently=True,
        )
        op.drop_index(
            'uq_assigned_offers_active_unit',
            table_name='assigned_offers',
            postgresql_where=sa.text('removed_at IS NULL'),
            postgresql_concurrently=True,
        )
