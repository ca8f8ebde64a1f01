"""worklist treatment and tracing

Issue 10, slice C — the worklist (archive, comments), treatment responsibility, contact tracing.

- `products.contact_tracing`: the national product is an infection followed up by contact
  tracing (chlamydia, gonorrhoea): what Behandlingsansvar and Smittspårning look for. A
  column with a default (no rewrite).
- `worklist_entries`: the worklist's read model (docs/adr/0010-worklist-read-model.md), one
  row per order line whose newest result has an insight: the newest version's insight, result
  time and read time, whether the line's result care unit follows that insight
  (`followed`: the unit's `worklist_insights`), and the follow-up state the worklist adds
  (archived, treatment taken over, comment count). Kept by triggers on `results` (every
  insert, and updates such as the citizen reading), on `orders` (the result care unit
  changes) and on `care_units` (the worklist configuration changes), so every way a result
  is written — laboratory systems, manual registration, corrections — keeps it true.
  Partial indexes hold only followed rows, the active and the archived apart: a unit's
  active list, its count and its change token walk only its active followed rows — never the
  negatives it does not follow, nor its archived history.
- `worklist_comments`: comments on a followed result (the text is patient data: encrypted).
- `treatment_takeovers`: who took over treatment responsibility for a result, at which care
  unit, when; one per result and care unit.

Only additions: new tables, a sequence, functions and triggers, a column with a default. The
existing results are read once into the read model (the tables are new, so nothing waits on
them meanwhile).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The newest version of each given line (the one the citizen sees: the latest sampling date,
# its highest version) into the read model. A row is made for a line only once its newest
# result has an insight; a row once made is kept up to date. An older snapshot never
# overwrites a newer version (the citizen reading version 1 while version 2 is being
# stored). A new version (a correction) comes back to the active list.
REFRESH = """
CREATE FUNCTION worklist_refresh(line_ids uuid[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO worklist_entries AS e
           (order_line_id, order_id, care_unit_id, result_id, sampling_date, result_version,
            insight, result_at, read_at, followed)
    SELECT l.id, l.order_id, o.result_care_unit_id, r.id, r.sampling_date, r.version,
           r.insight, r.received_at, r.read_at,
           coalesce(r.insight IS NOT NULL
                    AND cu.worklist_insights @> jsonb_build_array(r.insight), false)
      FROM order_lines l
      JOIN orders o ON o.id = l.order_id
      LEFT JOIN care_units cu ON cu.id = o.result_care_unit_id
     CROSS JOIN LATERAL (
           SELECT x.id, x.sampling_date, x.version, x.insight, x.received_at, x.read_at
             FROM results x
            WHERE x.order_line_id = l.id
            ORDER BY x.sampling_date DESC, x.version DESC
            LIMIT 1) r
     WHERE l.id = ANY(line_ids)
       AND (r.insight IS NOT NULL
            OR EXISTS (SELECT 1 FROM worklist_entries w WHERE w.order_line_id = l.id))
    ON CONFLICT (order_line_id) DO UPDATE SET
           care_unit_id = EXCLUDED.care_unit_id,
           result_id = EXCLUDED.result_id,
           sampling_date = EXCLUDED.sampling_date,
           result_version = EXCLUDED.result_version,
           insight = EXCLUDED.insight,
           result_at = EXCLUDED.result_at,
           read_at = EXCLUDED.read_at,
           followed = EXCLUDED.followed,
           archived = e.archived AND e.result_id = EXCLUDED.result_id,
           archived_at = CASE WHEN e.result_id = EXCLUDED.result_id THEN e.archived_at END,
           archived_by_hsa_id
               = CASE WHEN e.result_id = EXCLUDED.result_id THEN e.archived_by_hsa_id END,
           archived_by_name
               = CASE WHEN e.result_id = EXCLUDED.result_id THEN e.archived_by_name END,
           version = e.version + CASE WHEN e.result_id = EXCLUDED.result_id THEN 0 ELSE 1 END,
           change_seq = nextval('worklist_change_seq')
     WHERE (e.sampling_date, e.result_version)
           <= (EXCLUDED.sampling_date, EXCLUDED.result_version)
       AND (e.care_unit_id, e.result_id, e.insight, e.read_at, e.followed)
           IS DISTINCT FROM (EXCLUDED.care_unit_id, EXCLUDED.result_id, EXCLUDED.insight,
                             EXCLUDED.read_at, EXCLUDED.followed)
$$
"""

ACTIVE = "followed AND NOT archived"
ARCHIVED = "followed AND archived"
BY_RESULT: list[str | sa.TextClause] = ["care_unit_id", "result_at", "order_line_id"]
BY_READ: list[str | sa.TextClause] = [
    "care_unit_id",
    sa.text("read_at NULLS FIRST"),
    "order_line_id",
]
# The worklist's partial indexes: name → (which rows, key, what else they carry). The list by
# result date (and its date range) and by read date, active and archived, each carrying the
# columns the list filters on, so that a page is cut from the index alone (an index-only
# scan, the offset included); the active list's change token.
INDEXES: dict[str, tuple[str, list[str | sa.TextClause], list[str]]] = {
    "ix_worklist_entries_active": (
        ACTIVE,
        BY_RESULT,
        ["insight", "read_at", "taken_over_at"],
    ),
    "ix_worklist_entries_active_read": (
        ACTIVE,
        BY_READ,
        ["insight", "result_at", "taken_over_at"],
    ),
    "ix_worklist_entries_archived": (
        ARCHIVED,
        BY_RESULT,
        ["insight", "read_at", "taken_over_at"],
    ),
    "ix_worklist_entries_archived_read": (
        ARCHIVED,
        BY_READ,
        ["insight", "result_at", "taken_over_at"],
    ),
    "ix_worklist_entries_changes": (ACTIVE, ["care_unit_id", "change_seq"], []),
}

RESULTS_INSERTED = """
CREATE FUNCTION worklist_results_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM worklist_refresh(ARRAY(SELECT DISTINCT order_line_id FROM new_results));
    RETURN NULL;
END
$$
"""

RESULTS_UPDATED = """
CREATE FUNCTION worklist_results_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM worklist_refresh(ARRAY(
        SELECT DISTINCT n.order_line_id
          FROM new_results n JOIN old_results o ON o.id = n.id
         WHERE n.read_at IS DISTINCT FROM o.read_at
            OR n.insight IS DISTINCT FROM o.insight
            OR n.received_at IS DISTINCT FROM o.received_at));
    RETURN NULL;
END
$$
"""

ORDER_RECIPIENT_CHANGED = """
CREATE FUNCTION worklist_order_recipient_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM worklist_refresh(ARRAY(SELECT id FROM order_lines WHERE order_id = NEW.id));
    RETURN NULL;
END
$$
"""

UNIT_INSIGHTS_CHANGED = """
CREATE FUNCTION worklist_unit_insights_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE worklist_entries e
       SET followed = coalesce(e.insight IS NOT NULL
                               AND NEW.worklist_insights @> jsonb_build_array(e.insight), false),
           change_seq = nextval('worklist_change_seq')
     WHERE e.care_unit_id = NEW.id
       AND e.followed IS DISTINCT FROM
           coalesce(e.insight IS NOT NULL
                    AND NEW.worklist_insights @> jsonb_build_array(e.insight), false);
    RETURN NULL;
END
$$
"""


def upgrade() -> None:
    op.add_column(
        "products",
        sa.Column("contact_tracing", sa.Boolean(), server_default=sa.text("false"), nullable=False),
    )
    op.execute("CREATE SEQUENCE worklist_change_seq")
    op.create_table(
        "worklist_entries",
        sa.Column("order_line_id", sa.UUID(), nullable=False),
        sa.Column("order_id", sa.UUID(), nullable=False),
        sa.Column("care_unit_id", sa.UUID(), nullable=True),
        sa.Column("result_id", sa.UUID(), nullable=False),
        sa.Column("sampling_date", sa.Date(), nullable=False),
        sa.Column("result_version", sa.Integer(), nullable=False),
        sa.Column("insight", sa.String(length=20), nullable=True),
        sa.Column("result_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("followed", sa.Boolean(), nullable=False),
        sa.Column("taken_over_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("comment_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_comment_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("archived", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("archived_by_hsa_id", sa.String(length=64), nullable=True),
        sa.Column("archived_by_name", sa.String(length=200), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "change_seq",
            sa.BigInteger(),
            server_default=sa.text("nextval('worklist_change_seq')"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "insight IS NULL OR insight IN ('positive','negative','technical_error','answer')",
            name=op.f("ck_worklist_entries_insight"),
        ),
        sa.ForeignKeyConstraint(
            ["order_line_id"],
            ["order_lines.id"],
            name=op.f("fk_worklist_entries_order_line_id_order_lines"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.id"],
            name=op.f("fk_worklist_entries_order_id_orders"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["care_unit_id"],
            ["care_units.id"],
            name=op.f("fk_worklist_entries_care_unit_id_care_units"),
        ),
        sa.PrimaryKeyConstraint("order_line_id", name=op.f("pk_worklist_entries")),
    )
    op.create_index("ix_worklist_entries_order_id", "worklist_entries", ["order_id"])
    op.create_index(
        "ix_worklist_entries_unit_insight", "worklist_entries", ["care_unit_id", "insight"]
    )
    for name, (rows, key, carried) in INDEXES.items():
        op.create_index(
            name,
            "worklist_entries",
            key,
            postgresql_where=sa.text(rows),
            postgresql_include=carried,
        )
    op.create_table(
        "worklist_comments",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("order_line_id", sa.UUID(), nullable=False),
        sa.Column("care_unit_id", sa.UUID(), nullable=False),
        sa.Column("author_hsa_id", sa.String(length=64), nullable=False),
        sa.Column("author_name", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("text_encrypted", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_line_id"],
            ["order_lines.id"],
            name=op.f("fk_worklist_comments_order_line_id_order_lines"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["care_unit_id"],
            ["care_units.id"],
            name=op.f("fk_worklist_comments_care_unit_id_care_units"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_worklist_comments")),
    )
    op.create_index(
        "ix_worklist_comments_line_created", "worklist_comments", ["order_line_id", "created_at"]
    )
    op.create_table(
        "treatment_takeovers",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("order_line_id", sa.UUID(), nullable=False),
        sa.Column("result_id", sa.UUID(), nullable=False),
        sa.Column("care_unit_hsa_id", sa.String(length=64), nullable=False),
        sa.Column("care_unit_name", sa.String(length=200), nullable=False),
        sa.Column("taken_by_hsa_id", sa.String(length=64), nullable=False),
        sa.Column("taken_by_name", sa.String(length=200), nullable=True),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_line_id"],
            ["order_lines.id"],
            name=op.f("fk_treatment_takeovers_order_line_id_order_lines"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_treatment_takeovers")),
        sa.UniqueConstraint(
            "order_line_id", "care_unit_hsa_id", name="uq_treatment_takeovers_line_unit"
        ),
    )
    op.execute(REFRESH)
    op.execute(RESULTS_INSERTED)
    op.execute(RESULTS_UPDATED)
    op.execute(ORDER_RECIPIENT_CHANGED)
    op.execute(UNIT_INSIGHTS_CHANGED)
    # Statement triggers with transition tables: a batch of a thousand results refreshes the
    # read model in one statement, not a thousand.
    op.execute(
        "CREATE TRIGGER results_worklist_inserted AFTER INSERT ON results"
        " REFERENCING NEW TABLE AS new_results"
        " FOR EACH STATEMENT EXECUTE FUNCTION worklist_results_inserted()"
    )
    op.execute(
        "CREATE TRIGGER results_worklist_updated AFTER UPDATE ON results"
        " REFERENCING OLD TABLE AS old_results NEW TABLE AS new_results"
        " FOR EACH STATEMENT EXECUTE FUNCTION worklist_results_updated()"
    )
    op.execute(
        "CREATE TRIGGER orders_worklist_recipient AFTER UPDATE OF result_care_unit_id ON orders"
        " FOR EACH ROW WHEN (OLD.result_care_unit_id IS DISTINCT FROM NEW.result_care_unit_id)"
        " EXECUTE FUNCTION worklist_order_recipient_changed()"
    )
    op.execute(
        "CREATE TRIGGER care_units_worklist_insights AFTER UPDATE OF worklist_insights"
        " ON care_units FOR EACH ROW"
        " WHEN (OLD.worklist_insights IS DISTINCT FROM NEW.worklist_insights)"
        " EXECUTE FUNCTION worklist_unit_insights_changed()"
    )
    # The results stored before this revision, once.
    op.execute("SELECT worklist_refresh(ARRAY(SELECT DISTINCT order_line_id FROM results))")


def downgrade() -> None:
    op.execute("DROP TRIGGER care_units_worklist_insights ON care_units")
    op.execute("DROP TRIGGER orders_worklist_recipient ON orders")
    op.execute("DROP TRIGGER results_worklist_updated ON results")
    op.execute("DROP TRIGGER results_worklist_inserted ON results")
    op.execute("DROP FUNCTION worklist_unit_insights_changed()")
    op.execute("DROP FUNCTION worklist_order_recipient_changed()")
    op.execute("DROP FUNCTION worklist_results_updated()")
    op.execute("DROP FUNCTION worklist_results_inserted()")
    op.execute("DROP FUNCTION worklist_refresh(uuid[])")
    op.drop_table("treatment_takeovers")
    op.drop_index("ix_worklist_comments_line_created", table_name="worklist_comments")
    op.drop_table("worklist_comments")
    for name in INDEXES:
        op.drop_index(name, table_name="worklist_entries")
    op.drop_index("ix_worklist_entries_unit_insight", table_name="worklist_entries")
    op.drop_index("ix_worklist_entries_order_id", table_name="worklist_entries")
    op.drop_table("worklist_entries")
    op.execute("DROP SEQUENCE worklist_change_seq")
    op.drop_column("products", "contact_tracing")
