"""sampling and label prints

Provtagning (issue 8): an order records, when it is sampled, the laboratory it was opened as,
the sampling unit where it was sampled, by whom, and the care unit that receives its results;
all nullable, set once and then locked. Indexes for the sampling unit's day of bookings, its
sampled orders (Utskrivna) and a laboratory's orders by status (integration platforms).

`label_prints` is the print log (Utskriftslogg): every print of an order's labels, repeats
included; it goes with the order when the citizen deletes it (the audit log keeps the fact).

`sampling_units.care_unit_id`: the care unit a sampling site belongs to, for sites whose
staff hold their assignments at the care unit rather than at the site's own HSA-id.

Only additions: the running code before this revision ignores them. The indexes on `orders`
are built CONCURRENTLY (ordering goes on meanwhile).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ORDER_INDEXES = (
    ("ix_orders_unit_booked", ["sampling_unit_id", "booked_start"]),
    ("ix_orders_sampled_at_unit", ["sampled_at_unit_id", "sampled_at"]),
    ("ix_orders_laboratory_status", ["laboratory_id", "status"]),
)


def upgrade() -> None:
    op.add_column("orders", sa.Column("laboratory_id", sa.UUID(), nullable=True))
    op.add_column("orders", sa.Column("sampled_at_unit_id", sa.UUID(), nullable=True))
    op.add_column("orders", sa.Column("sampled_by_hsa_id", sa.String(length=64), nullable=True))
    op.add_column("orders", sa.Column("result_care_unit_id", sa.UUID(), nullable=True))
    # NOT VALID: no scan of the existing orders (the new columns are all null) under the lock.
    for column, table in (
        ("laboratory_id", "laboratories"),
        ("sampled_at_unit_id", "sampling_units"),
        ("result_care_unit_id", "care_units"),
    ):
        op.create_foreign_key(
            op.f(f"fk_orders_{column}_{table}"),
            "orders",
            table,
            [column],
            ["id"],
            postgresql_not_valid=True,
        )
    op.add_column("sampling_units", sa.Column("care_unit_id", sa.UUID(), nullable=True))
    op.create_foreign_key(
        op.f("fk_sampling_units_care_unit_id_care_units"),
        "sampling_units",
        "care_units",
        ["care_unit_id"],
        ["id"],
    )
    op.create_unique_constraint(
        op.f("uq_sampling_units_care_unit_id"), "sampling_units", ["care_unit_id"]
    )
    op.create_table(
        "label_prints",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("order_id", sa.UUID(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("sampling_unit_id", sa.UUID(), nullable=True),
        sa.Column("care_unit_hsa_id", sa.String(length=64), nullable=False),
        sa.Column("printed_by_hsa_id", sa.String(length=64), nullable=False),
        sa.Column("printed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reprint", sa.Boolean(), nullable=False),
        sa.Column("label_count", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('sample','tube','address')", name=op.f("ck_label_prints_kind")
        ),
        sa.CheckConstraint("label_count > 0", name=op.f("ck_label_prints_label_count_positive")),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.id"],
            name=op.f("fk_label_prints_order_id_orders"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sampling_unit_id"],
            ["sampling_units.id"],
            name=op.f("fk_label_prints_sampling_unit_id_sampling_units"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_label_prints")),
    )
    op.create_index(op.f("ix_label_prints_order_id"), "label_prints", ["order_id"])
    op.create_index(
        "ix_label_prints_unit_printed", "label_prints", ["sampling_unit_id", "printed_at"]
    )
    op.create_index(
        "ix_label_prints_care_unit_printed", "label_prints", ["care_unit_hsa_id", "printed_at"]
    )
    with op.get_context().autocommit_block():
        for name, columns in _ORDER_INDEXES:
            op.create_index(name, "orders", columns, postgresql_concurrently=True)


def downgrade() -> None:
    with op.get_context().autocommit_block():
        for name, _columns in reversed(_ORDER_INDEXES):
            op.drop_index(name, table_name="orders", postgresql_concurrently=True)
    op.drop_table("label_prints")
    op.drop_constraint(op.f("uq_sampling_units_care_unit_id"), "sampling_units", type_="unique")
    op.drop_constraint(
        op.f("fk_sampling_units_care_unit_id_care_units"), "sampling_units", type_="foreignkey"
    )
    op.drop_column("sampling_units", "care_unit_id")
    for column, table in (
        ("result_care_unit_id", "care_units"),
        ("sampled_at_unit_id", "sampling_units"),
        ("laboratory_id", "laboratories"),
    ):
        op.drop_constraint(op.f(f"fk_orders_{column}_{table}"), "orders", type_="foreignkey")
        op.drop_column("orders", column)
