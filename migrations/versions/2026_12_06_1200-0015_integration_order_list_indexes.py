"""indexes for the integration API's order list at national volume

Issue 12, part 2. The list (`GET /api/integration/v1/orders`) pages the client's orders of
some statuses by when they last moved — GREATEST of their time stamps — with a keyset
cursor. Nothing indexed that key, so every page sorted all the client's orders of those
statuses (22,000 at one laboratory at national volume, growing with the volume).

One index per way an order is the client's (domain.integration.sees): by laboratory, by
booked sampling unit, by the sampling unit where sampled, by the care unit receiving the
results; each keyed (that column, status, when last moved, id). The list walks each of
them in order for every (organisation unit, status) pair, at most a page each, and merges
(adapters/db/repositories/integration_deliveries.py). The key expression is exactly the
list's `_CHANGED_AT` (GREATEST of timestamptz columns is immutable); `id` ends each key, so
that the order is total and a cursor names one position. Partial (`… IS NOT NULL`): an
order without that column is never reached through it.

Only additions, built CONCURRENTLY (ordering, sampling and result intake go on meanwhile).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CHANGED_AT = sa.text(
    "GREATEST(created_at, handled_at, sampled_at, answered_at, cancelled_at, rejected_at)"
)

# name → the column through which the client sees the order
_INDEXES = {
    "ix_orders_laboratory_status_changed": "laboratory_id",
    "ix_orders_sampling_unit_status_changed": "sampling_unit_id",
    "ix_orders_sampled_at_unit_status_changed": "sampled_at_unit_id",
    "ix_orders_result_care_unit_status_changed": "result_care_unit_id",
}


def upgrade() -> None:
    with op.get_context().autocommit_block():
        for name, column in _INDEXES.items():
            op.create_index(
                name,
                "orders",
                [column, "status", _CHANGED_AT, "id"],
                postgresql_where=sa.text(f"{column} IS NOT NULL"),
                postgresql_concurrently=True,
            )


def downgrade() -> None:
    with op.get_context().autocommit_block():
        for name in reversed(_INDEXES):
            op.drop_index(name, table_name="orders", postgresql_concurrently=True)
