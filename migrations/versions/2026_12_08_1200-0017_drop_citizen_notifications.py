"""drop citizen_notifications: issue 9's placeholder, not written since revision 0012

The local citizen notification of issue 9 (one row per `result_available` event) was
replaced by the citizen's inbox and its deliveries (issue 10, revision 0012; ADR 9), which
said a later revision drops it. Nothing reads or writes it since (the release before this
one works without it). Its rows held only an event id, an order id, a kind and counts —
and, having no foreign key, they outlived the orders a citizen deleted: one more reason to
drop them with the table. The downgrade makes the empty table again.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-08 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index(op.f("ix_citizen_notifications_order_id"), table_name="citizen_notifications")
    op.drop_table("citizen_notifications")


def downgrade() -> None:
    op.create_table(
        "citizen_notifications",
        sa.Column("event_id", sa.UUID(), nullable=False),
        sa.Column("order_id", sa.UUID(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received", sa.Integer(), server_default="1", nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_citizen_notifications")),
    )
    op.create_index(
        op.f("ix_citizen_notifications_order_id"), "citizen_notifications", ["order_id"]
    )
