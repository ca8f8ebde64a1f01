"""kit batches and the dispatch index

Issue 8, home kits and anonymous kits: administrators create pre-labelled kits in batches
(`kit_batches`; each kit of a batch names it in `anonymous_kits.batch_id`, kits from before
have none). The batch keeps how many kits, for which offer, by whom and when — never the
kit numbers, which are shown once and stored only as keyed hashes, as before.

`ix_orders_waiting_dispatch`: Etiketter and Ordermottagning list the kit orders waiting to
be sent (Beställd) per offer, oldest first; a partial index, so it holds only those.

Only additions. The index on `orders` is built CONCURRENTLY (ordering goes on meanwhile).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_WAITING = "status = 'ordered' AND sampling_method IN ('home_kit', 'anonymous_kit')"


def upgrade() -> None:
    op.create_table(
        "kit_batches",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("catalog_id", sa.String(length=32), nullable=False),
        sa.Column("kit_count", sa.Integer(), nullable=False),
        sa.Column("created_by_hsa_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kit_count > 0", name=op.f("ck_kit_batches_kit_count_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kit_batches")),
    )
    op.create_index(op.f("ix_kit_batches_catalog_id"), "kit_batches", ["catalog_id"])
    op.add_column("anonymous_kits", sa.Column("batch_id", sa.UUID(), nullable=True))
    op.create_foreign_key(
        op.f("fk_anonymous_kits_batch_id_kit_batches"),
        "anonymous_kits",
        "kit_batches",
        ["batch_id"],
        ["id"],
    )
    op.create_index(op.f("ix_anonymous_kits_batch_id"), "anonymous_kits", ["batch_id"])
    with op.get_context().autocommit_block():
        op.create_index(
            "ix_orders_waiting_dispatch",
            "orders",
            ["offer_id", "created_at"],
            postgresql_where=sa.text(_WAITING),
            postgresql_concurrently=True,
        )


def downgrade() -> None:
    with op.get_context().autocommit_block():
        op.drop_index(
            "ix_orders_waiting_dispatch", table_name="orders", postgresql_concurrently=True
        )
    op.drop_index(op.f("ix_anonymous_kits_batch_id"), table_name="anonymous_kits")
    op.drop_constraint(
        op.f("fk_anonymous_kits_batch_id_kit_batches"), "anonymous_kits", type_="foreignkey"
    )
    op.drop_column("anonymous_kits", "batch_id")
    op.drop_index(op.f("ix_kit_batches_catalog_id"), table_name="kit_batches")
    op.drop_table("kit_batches")
