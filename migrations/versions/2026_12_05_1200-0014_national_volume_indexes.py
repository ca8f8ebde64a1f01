"""indexes for the staff and citizen lists at national volume

Issue 12, part 2. *Tilldelade erbjudanden* read every assignment of every unit (a parallel
sequential scan of `assigned_offers`: no index led with the assigning unit) and sorted up to
20,000 decrypted rows in Python per page. The list now pages in SQL with a keyset cursor
(ADR 10); each sort it offers walks an index of the unit's active assignments in that order:

- `ix_assigned_offers_unit_assigned`: by when assigned (the default), also what the list's
  count reads (an index-only scan);
- `ix_assigned_offers_unit_last_used`: by last use, a never-used assignment counting as the
  oldest use (`coalesce(last_used_at, '-infinity')`, so the key is never NULL and the cursor
  stays a plain row comparison);
- `ix_assigned_offers_unit_times_used`: by how often used;
- `ix_assigned_offers_unit_assigned_by`: by who assigned, as the column shows it (the name,
  else the HSA-id);
- `ix_assigned_offers_unit_offer`: one offer of the unit, newest first (the list's offer
  filter, which replaces sorting by offer name).

Each is partial (`removed_at IS NULL`): removed assignments are never listed. `id` ends each
key, so that the order is total and a cursor names one position.

Only additions, built CONCURRENTLY (assigning and ordering go on meanwhile; the order
placement's update of `times_used`/`last_used_at` keeps working during the build).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ACTIVE = sa.text("removed_at IS NULL")

# name → the key columns after the assigning unit
_INDEXES: dict[str, list[str | sa.TextClause]] = {
    "ix_assigned_offers_unit_assigned": ["assigned_at", "id"],
    "ix_assigned_offers_unit_last_used": [
        sa.text("coalesce(last_used_at, '-infinity'::timestamptz)"),
        "id",
    ],
    "ix_assigned_offers_unit_times_used": ["times_used", "id"],
    "ix_assigned_offers_unit_assigned_by": [
        sa.text("coalesce(assigned_by_name, assigned_by_hsa_id)"),
        "id",
    ],
    "ix_assigned_offers_unit_offer": ["catalog_id", "assigned_at", "id"],
}


def upgrade() -> None:
    with op.get_context().autocommit_block():
        for name, columns in _INDEXES.items():
            op.create_index(
                name,
                "assigned_offers",
                ["assigning_care_unit_id", *columns],
                postgresql_where=_ACTIVE,
                postgresql_concurrently=True,
            )


def downgrade() -> None:
    with op.get_context().autocommit_block():
        for name in reversed(_INDEXES):
            op.drop_index(
                name,
                table_name="assigned_offers",
                postgresql_concurrently=True,
            )
