"""usage limit index

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 00:14:26.507606
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # CONCURRENTLY: building it must not block ordering on a live orders table.
    with op.get_context().autocommit_block():
        op.create_index(
            "ix_orders_citizen_catalog_created",
            "orders",
            ["citizen_hash", "catalog_id", "created_at"],
            unique=False,
            postgresql_concurrently=True,
        )


def downgrade() -> None:
    with op.get_context().autocommit_block():
        op.drop_index(
            "ix_orders_citizen_catalog_created",
            table_name="orders",
            postgresql_concurrently=True,
        )
