"""usage counts and idempotent order ids

Deleting an order must not give its use back (issue 11 item 8): `usage_counts` keeps, per
citizen (keyed hash), catalog id and day, how many deleted orders still count against the
offer's usage limit. It holds no health content.

An Idempotency-Key no longer stores the rendered answer (address, phone, RID, the test's
name in plain JSON; issue 11 item 3) but only the id of the order it made: a retry is
answered from the order as it is, and a deleted order cannot be replayed. `response` is
emptied here and no longer written; it is dropped by a later revision, once no running code
writes it.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'usage_counts',
        sa.Column('citizen_hash', sa.LargeBinary(length=32), nullable=False),
        sa.Column('catalog_id', sa.String(length=32), nullable=False),
        sa.Column('counted_on', sa.Date(), nullable=False),
        sa.Column('uses', sa.Integer(), nullable=False),
        sa.CheckConstraint('uses > 0', name=op.f('ck_usage_counts_positive')),
        sa.PrimaryKeyConstraint(
            'citizen_hash', 'catalog_id', 'counted_on', name=op.f('pk_usage_counts')
        ),
    )
    op.add_column('idempotency_records', sa.Column('order_id', sa.UUID(), nullable=True))
    op.alter_column(
        'idempotency_records',
        'response',
        existing_type=postgresql.JSONB(astext_type=sa.Text()),
        nullable=True,
    )
    # Keep what a retry needs (the order's id) and forget the plain-text answer.
    op.execute(
        "UPDATE idempotency_records SET order_id = CAST(response->>'order_id' AS uuid)"
        " WHERE response ? 'order_id'"
    )
    op.execute("UPDATE idempotency_records SET response = NULL")


def downgrade() -> None:
    # The plain-text answers are gone for good: a retry of an old key after downgrading
    # replays an empty answer rather than health data.
    op.execute("UPDATE idempotency_records SET response = '{}'::jsonb WHERE response IS NULL")
    op.alter_column(
        'idempotency_records',
        'response',
        existing_type=postgresql.JSONB(astext_type=sa.Text()),
        nullable=False,
    )
    op.drop_column('idempotency_records', 'order_id')
    op.drop_table('usage_counts')
