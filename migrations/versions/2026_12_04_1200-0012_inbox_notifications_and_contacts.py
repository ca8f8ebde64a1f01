"""inbox notifications and contacts

Issue 10, slice B — the citizen's inbox, notifications (e-mail, SMS), contact details,
reminders (docs/adr/0009-notifications.md).

- `citizen_contact_details`: the e-mail address and mobile number a citizen gave for
  notifications, encrypted, keyed by the citizen's keyed hash, with a version (If-Match).
- `inbox_messages`: the citizen's inbox — a result arrived, was corrected, or is still unread
  (the reminder). Unique per `origin_id` (the outbox event or the reminded message it was
  made for). A partial index holds the announcing messages whose reminder is not settled
  yet (the reminder job's scan).
- `notification_deliveries`: one message on one channel (inbox, e-mail, SMS), delivered from
  its own outbox event; claimed, handed over and sent — the record that keeps a person from
  seeing a message twice when a worker dies mid-send.
- `local_sms_messages`: the local SMS gateway of development and tests.

`citizen_notifications` (the placeholder consumer of issue 9) is no longer written; it is
left in place for the release that still writes it and dropped by a later revision.

Only new tables and indexes.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "citizen_contact_details",
        sa.Column("citizen_hash", sa.LargeBinary(length=32), nullable=False),
        sa.Column("email_encrypted", sa.LargeBinary(), nullable=True),
        sa.Column("mobile_encrypted", sa.LargeBinary(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("citizen_hash", name=op.f("pk_citizen_contact_details")),
    )
    op.create_table(
        "inbox_messages",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("origin_id", sa.UUID(), nullable=False),
        sa.Column("citizen_hash", sa.LargeBinary(length=32), nullable=False),
        sa.Column("order_id", sa.UUID(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reminder_settled_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "kind IN ('result','correction','reminder')", name=op.f("ck_inbox_messages_kind")
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.id"],
            name=op.f("fk_inbox_messages_order_id_orders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox_messages")),
        sa.UniqueConstraint("origin_id", name=op.f("uq_inbox_messages_origin_id")),
    )
    op.create_index(
        "ix_inbox_messages_citizen_created", "inbox_messages", ["citizen_hash", "created_at"]
    )
    op.create_index(op.f("ix_inbox_messages_order_id"), "inbox_messages", ["order_id"])
    op.create_index(
        "ix_inbox_messages_reminder_due",
        "inbox_messages",
        ["created_at"],
        postgresql_where=sa.text(
            "reminder_settled_at IS NULL AND kind IN ('result','correction')"
        ),
    )
    op.create_table(
        "notification_deliveries",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("message_id", sa.UUID(), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("state", sa.String(length=12), server_default="pending", nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("claim_token", sa.UUID(), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("handed_over_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("provider_reference", sa.String(length=100), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "channel IN ('inbox','email','sms')", name=op.f("ck_notification_deliveries_channel")
        ),
        sa.CheckConstraint(
            "state IN ('pending','sending','handed_over','sent','skipped')",
            name=op.f("ck_notification_deliveries_state"),
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["inbox_messages.id"],
            name=op.f("fk_notification_deliveries_message_id_inbox_messages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_deliveries")),
        sa.UniqueConstraint(
            "message_id", "channel", name="uq_notification_deliveries_message"
        ),
    )
    op.create_table(
        "local_sms_messages",
        sa.Column("reference", sa.UUID(), nullable=False),
        sa.Column("recipient_encrypted", sa.LargeBinary(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received", sa.Integer(), server_default="1", nullable=False),
        sa.PrimaryKeyConstraint("reference", name=op.f("pk_local_sms_messages")),
    )


def downgrade() -> None:
    op.drop_table("local_sms_messages")
    op.drop_table("notification_deliveries")
    op.drop_index("ix_inbox_messages_reminder_due", table_name="inbox_messages")
    op.drop_index(op.f("ix_inbox_messages_order_id"), table_name="inbox_messages")
    op.drop_index("ix_inbox_messages_citizen_created", table_name="inbox_messages")
    op.drop_table("inbox_messages")
    op.drop_table("citizen_contact_details")
