"""integration clients, leased order deliveries, rejected orders

Issue 9, the integration API (ADR 7):
- `integration_clients`: machines with OAuth2 client credentials (secret as a keyed hash),
  scopes and the organisation (laboratories, sampling units, care units) they see.
- `integration_deliveries`: the queue of leased polling, one narrow row per (client, order)
  waiting or handed out; acknowledging deletes it. Made by the trigger below when an order
  becomes handled or sampled, for every active client with orders:read that sees it, so no
  code path that moves an order can forget to. Claims start at `integration_queue_heads`.
- `orders.rejected_at`, `orders.rejection_reason` and the status `rejected` (Avvisad): a
  platform or laboratory refused the order or its sample.

Only additions, except the status CHECK, which is replaced by a wider one: added NOT VALID
and validated separately, so `orders` is not locked while its rows are checked.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD_STATUSES = "'ordered','handled','sampled','answered','cancelled','expired'"
_NEW_STATUSES = _OLD_STATUSES + ",'rejected'"

# Who sees an order (domain.integration.sees), for the trigger: the same rule as the
# repository's queries.
_SEES = """
        c.retired_at IS NULL AND 'orders:read' = ANY (c.scopes)
        AND (NEW.laboratory_id = ANY (c.laboratory_ids)
             OR NEW.sampling_unit_id = ANY (c.sampling_unit_ids)
             OR NEW.sampled_at_unit_id = ANY (c.sampling_unit_ids)
             OR NEW.result_care_unit_id = ANY (c.care_unit_ids))
"""
# adapters/db/repositories/integration_deliveries.py ENQUEUE_LOCK: enqueuers hold it shared
# while they draw sequence numbers; the queue head advances only under it exclusively.
_ENQUEUE_LOCK = 900_009


def upgrade() -> None:
    op.add_column("orders", sa.Column("rejected_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("orders", sa.Column("rejection_reason", sa.String(length=500), nullable=True))
    op.execute("ALTER TABLE orders DROP CONSTRAINT ck_orders_status")
    op.execute(
        f"ALTER TABLE orders ADD CONSTRAINT ck_orders_status CHECK (status IN ({_NEW_STATUSES}))"
        " NOT VALID"
    )
    op.execute("ALTER TABLE orders VALIDATE CONSTRAINT ck_orders_status")

    op.create_table(
        "integration_clients",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("region_code", sa.String(length=2), nullable=False),
        sa.Column("secret_hash", sa.LargeBinary(length=32), nullable=False),
        sa.Column("scopes", postgresql.ARRAY(sa.String(length=32)), nullable=False),
        sa.Column(
            "laboratory_ids",
            postgresql.ARRAY(sa.UUID()),
            server_default=sa.text("'{}'"),
            nullable=False,
        ),
        sa.Column(
            "sampling_unit_ids",
            postgresql.ARRAY(sa.UUID()),
            server_default=sa.text("'{}'"),
            nullable=False,
        ),
        sa.Column(
            "care_unit_ids",
            postgresql.ARRAY(sa.UUID()),
            server_default=sa.text("'{}'"),
            nullable=False,
        ),
        sa.Column("certificate_thumbprint", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_hsa_id", sa.String(length=64), nullable=False),
        sa.Column("secret_rotated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["region_code"],
            ["regions.code"],
            name=op.f("fk_integration_clients_region_code_regions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_integration_clients")),
        sa.UniqueConstraint("client_id", name=op.f("uq_integration_clients_client_id")),
    )
    op.execute("CREATE SEQUENCE integration_delivery_seq")
    op.create_table(
        "integration_deliveries",
        sa.Column("client_id", sa.UUID(), nullable=False),
        sa.Column("order_id", sa.UUID(), nullable=False),
        sa.Column(
            "seq",
            sa.BigInteger(),
            server_default=sa.text("nextval('integration_delivery_seq')"),
            nullable=False,
        ),
        sa.Column("lease_id", sa.UUID(), nullable=True),
        sa.Column("leased_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("handed_out", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["integration_clients.id"],
            name=op.f("fk_integration_deliveries_client_id_integration_clients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.id"],
            name=op.f("fk_integration_deliveries_order_id_orders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("client_id", "order_id", name=op.f("pk_integration_deliveries")),
        postgresql_with={"fillfactor": 50},
    )
    op.create_index(
        "ix_integration_deliveries_queue", "integration_deliveries", ["client_id", "seq"]
    )
    op.create_index("ix_integration_deliveries_order_id", "integration_deliveries", ["order_id"])
    op.create_table(
        "integration_queue_heads",
        sa.Column("client_id", sa.UUID(), nullable=False),
        sa.Column("head_seq", sa.BigInteger(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["integration_clients.id"],
            name=op.f("fk_integration_queue_heads_client_id_integration_clients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("client_id", name=op.f("pk_integration_queue_heads")),
    )
    op.execute(
        f"""
        CREATE FUNCTION integration_enqueue_order() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF EXISTS (SELECT 1 FROM integration_clients c WHERE {_SEES}) THEN
                PERFORM pg_advisory_xact_lock_shared({_ENQUEUE_LOCK});
                INSERT INTO integration_deliveries (client_id, order_id)
                SELECT c.id, NEW.id FROM integration_clients c WHERE {_SEES}
                ON CONFLICT (client_id, order_id) DO UPDATE
                   SET seq = nextval('integration_delivery_seq'),
                       lease_id = NULL, leased_until = NULL;
            END IF;
            RETURN NULL;
        END
        $$
        """
    )
    op.execute(
        "CREATE TRIGGER orders_integration_enqueue_insert AFTER INSERT ON orders"
        " FOR EACH ROW WHEN (NEW.status IN ('handled', 'sampled'))"
        " EXECUTE FUNCTION integration_enqueue_order()"
    )
    op.execute(
        "CREATE TRIGGER orders_integration_enqueue_update AFTER UPDATE OF status ON orders"
        " FOR EACH ROW WHEN (NEW.status IN ('handled', 'sampled')"
        " AND OLD.status IS DISTINCT FROM NEW.status)"
        " EXECUTE FUNCTION integration_enqueue_order()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER orders_integration_enqueue_update ON orders")
    op.execute("DROP TRIGGER orders_integration_enqueue_insert ON orders")
    op.execute("DROP FUNCTION integration_enqueue_order()")
    op.drop_table("integration_queue_heads")
    op.drop_index("ix_integration_deliveries_order_id", table_name="integration_deliveries")
    op.drop_index("ix_integration_deliveries_queue", table_name="integration_deliveries")
    op.drop_table("integration_deliveries")
    op.execute("DROP SEQUENCE integration_delivery_seq")
    op.drop_table("integration_clients")
    # Rejected orders cannot stay under the old CHECK: they were refused, so they are over.
    op.execute("UPDATE orders SET status = 'cancelled' WHERE status = 'rejected'")
    op.execute("ALTER TABLE orders DROP CONSTRAINT ck_orders_status")
    op.execute(
        f"ALTER TABLE orders ADD CONSTRAINT ck_orders_status CHECK (status IN ({_OLD_STATUSES}))"
    )
    op.drop_column("orders", "rejection_reason")
    op.drop_column("orders", "rejected_at")
