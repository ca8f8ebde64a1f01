"""result intake, the transactional outbox and its local consumers

Issue 9, results from laboratory systems:
- `results` learns where a version came from: the laboratory's result id and version
  (idempotency and out-of-order corrections), the laboratory, whether it was sent
  electronically or registered by hand, and a keyed hash of its content (a re-send with other
  content under the same version is told from a duplicate). One version per laboratory
  result id and version (a partial unique index: manual results have none). Rows from before
  are manual (there was no electronic intake).
- `outbox_events`: events written in the transaction of the change they announce, drained by
  the worker (at least once; each event's id is its delivery key), with retries, back-off
  and a dead-letter state. A partial index holds only the pending events.
- `care_unit_result_deliveries`: the local implementation of "the result recipient's system":
  each delivered `result_to_care_unit` event once (keyed by the event id), fetched by the
  care unit's system with a lease and acknowledged (results polling).
- `citizen_notifications`: the local implementation of the citizen notification (the
  results follow-up issue sends real ones), one per `result_available` event.

Only additions (new nullable columns, a column with a default, new tables and indexes); the
index on `results` is built CONCURRENTLY.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("results", sa.Column("laboratory_id", sa.UUID(), nullable=True))
    op.add_column("results", sa.Column("lab_result_id", sa.String(length=64), nullable=True))
    op.add_column("results", sa.Column("lab_version", sa.Integer(), nullable=True))
    op.add_column(
        "results",
        sa.Column("source", sa.String(length=12), server_default="manual", nullable=False),
    )
    op.add_column("results", sa.Column("content_hash", sa.LargeBinary(length=32), nullable=True))
    op.create_foreign_key(
        op.f("fk_results_laboratory_id_laboratories"),
        "results",
        "laboratories",
        ["laboratory_id"],
        ["id"],
    )
    op.create_check_constraint(
        op.f("ck_results_source"), "results", "source IN ('electronic','manual')"
    )
    op.create_table(
        "outbox_events",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("payload", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("status", sa.String(length=12), server_default="pending", nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("locked_by", sa.String(length=64), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending','delivered','dead')", name=op.f("ck_outbox_events_status")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_events")),
    )
    op.create_index(
        "ix_outbox_events_pending",
        "outbox_events",
        ["next_attempt_at"],
        postgresql_where=sa.text("status = 'pending'"),
    )
    op.create_index(
        "ix_outbox_events_dead",
        "outbox_events",
        ["created_at"],
        postgresql_where=sa.text("status = 'dead'"),
    )
    op.create_table(
        "care_unit_result_deliveries",
        sa.Column("event_id", sa.UUID(), nullable=False),
        sa.Column("care_unit_id", sa.UUID(), nullable=False),
        sa.Column("result_id", sa.UUID(), nullable=False),
        sa.Column("order_id", sa.UUID(), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received", sa.Integer(), server_default="1", nullable=False),
        sa.Column("lease_token", sa.UUID(), nullable=True),
        sa.Column("leased_by", sa.String(length=128), nullable=True),
        sa.Column("lease_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("handed_out", sa.Integer(), server_default="0", nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["care_unit_id"],
            ["care_units.id"],
            name=op.f("fk_care_unit_result_deliveries_care_unit_id_care_units"),
        ),
        sa.ForeignKeyConstraint(
            ["result_id"],
            ["results.id"],
            name=op.f("fk_care_unit_result_deliveries_result_id_results"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_care_unit_result_deliveries")),
    )
    op.create_index(
        "ix_care_unit_result_deliveries_waiting",
        "care_unit_result_deliveries",
        ["care_unit_id", "delivered_at"],
        postgresql_where=sa.text("acknowledged_at IS NULL"),
    )
    op.create_index(
        op.f("ix_care_unit_result_deliveries_result_id"),
        "care_unit_result_deliveries",
        ["result_id"],
    )
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
    with op.get_context().autocommit_block():
        op.create_index(
            "uq_results_lab_result_version",
            "results",
            ["laboratory_id", "lab_result_id", "lab_version"],
            unique=True,
            postgresql_where=sa.text("lab_result_id IS NOT NULL"),
            postgresql_concurrently=True,
        )


def downgrade() -> None:
    with op.get_context().autocommit_block():
        op.drop_index(
            "uq_results_lab_result_version", table_name="results", postgresql_concurrently=True
        )
    op.drop_index(op.f("ix_citizen_notifications_order_id"), table_name="citizen_notifications")
    op.drop_table("citizen_notifications")
    op.drop_index(
        op.f("ix_care_unit_result_deliveries_result_id"), table_name="care_unit_result_deliveries"
    )
    op.drop_index(
        "ix_care_unit_result_deliveries_waiting", table_name="care_unit_result_deliveries"
    )
    op.drop_table("care_unit_result_deliveries")
    op.drop_index("ix_outbox_events_dead", table_name="outbox_events")
    op.drop_index("ix_outbox_events_pending", table_name="outbox_events")
    op.drop_table("outbox_events")
    op.drop_constraint(op.f("ck_results_source"), "results", type_="check")
    op.drop_constraint(
        op.f("fk_results_laboratory_id_laboratories"), "results", type_="foreignkey"
    )
    op.drop_column("results", "content_hash")
    op.drop_column("results", "source")
    op.drop_column("results", "lab_version")
    op.drop_column("results", "lab_result_id")
    op.drop_column("results", "laboratory_id")
