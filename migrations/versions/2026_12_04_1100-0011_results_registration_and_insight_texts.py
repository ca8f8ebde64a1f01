"""results registration and insight texts

Issue 10, slice A — manual result registration (Svarsregistrering), Svarslogg, insight texts
from configuration, where a result goes.

- `orders.result_care_unit_id` is now decided when the order is placed (domain.orders
  .result_recipient: for a personal offer the unit whose assignment the citizen ordered
  under, else the offer's result-receiving unit) rather than at sampling. Orders placed
  before this revision and not yet sampled get it here, by the rule the sampling module used:
  the assignment made before the order (preferring one still active then, the newest),
  else the offer's unit. The column stays nullable in this revision so that the previous
  release, still placing orders while this one rolls out, keeps working; sampling still
  fills it for such an order. A later revision makes it NOT NULL.
- `results` records who registered a manual result (HSA id and name as the login had
  them), at which care unit and with which result template (svarsmall); the Svarslogg reads a
  unit's manual results newest first through a partial index built CONCURRENTLY.
- Insight texts (manual 3.5): `offers.insight_texts` ({insight: text}) and
  `result_templates.insight_text` (the text of the template's insight), with a neutral
  default per insight in `insight_texts`, seeded here and edited by central administrators.

Only additions and a backfill of a column nothing required before.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_INSIGHTS = "'positive','negative','technical_error','answer'"
# Neutral: an insight's default says nothing about an infection or a disease; an offer or
# a result template says more where it knows what was analysed.
DEFAULT_TEXTS = (
    ("positive", "Positivt. Provet visar ett positivt resultat."),
    ("negative", "Negativt. Provet visar ett negativt resultat."),
    ("technical_error", "Tekniskt fel. Provet kunde inte analyseras."),
    ("answer", "Svar. Ditt provsvar finns nedan."),
)
# The result recipient of an order placed before this revision (the rule the sampling module
# applied at sampling, adapters/db/repositories/sampling.py before issue 10).
_BACKFILL = """
    UPDATE orders o
       SET result_care_unit_id = coalesce(
           CASE WHEN f.visibility = 'personal' THEN (
                SELECT a.assigning_care_unit_id FROM assigned_offers a
                 WHERE a.personnummer_hash = o.citizen_hash AND a.catalog_id = o.catalog_id
                   AND a.assigned_at <= o.created_at
                 ORDER BY (a.removed_at IS NULL OR a.removed_at > o.created_at) DESC,
                          a.assigned_at DESC
                 LIMIT 1)
           END,
           f.result_care_unit_id)
      FROM offers f
     WHERE f.id = o.offer_id AND o.result_care_unit_id IS NULL
"""


def upgrade() -> None:
    op.execute(_BACKFILL)

    op.add_column("results", sa.Column("registered_by_hsa_id", sa.String(64), nullable=True))
    op.add_column("results", sa.Column("registered_by_name", sa.String(200), nullable=True))
    op.add_column("results", sa.Column("registered_at_care_unit_id", sa.UUID(), nullable=True))
    op.add_column("results", sa.Column("result_template_id", sa.UUID(), nullable=True))
    op.create_foreign_key(
        op.f("fk_results_registered_at_care_unit_id_care_units"),
        "results",
        "care_units",
        ["registered_at_care_unit_id"],
        ["id"],
    )
    op.create_foreign_key(
        op.f("fk_results_result_template_id_result_templates"),
        "results",
        "result_templates",
        ["result_template_id"],
        ["id"],
    )
    # A result registered by hand names who registered it and where; an electronic one
    # names nobody (rows from before this revision are exempt: NOT VALID).
    op.create_check_constraint(
        op.f("ck_results_registration"),
        "results",
        "source = 'manual' OR (registered_by_hsa_id IS NULL"
        " AND registered_at_care_unit_id IS NULL AND result_template_id IS NULL)",
        postgresql_not_valid=True,
    )

    op.add_column(
        "offers",
        sa.Column(
            "insight_texts",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
    )
    op.add_column("result_templates", sa.Column("insight_text", sa.Text(), nullable=True))
    insight_texts = op.create_table(
        "insight_texts",
        sa.Column("insight", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_by_hsa_id", sa.String(length=64), nullable=True),
        sa.CheckConstraint(f"insight IN ({_INSIGHTS})", name=op.f("ck_insight_texts_insight")),
        sa.PrimaryKeyConstraint("insight", name=op.f("pk_insight_texts")),
    )
    op.bulk_insert(insight_texts, [{"insight": i, "text": t} for i, t in DEFAULT_TEXTS])

    with op.get_context().autocommit_block():
        op.create_index(
            "ix_results_manual_log",
            "results",
            ["registered_at_care_unit_id", sa.text("received_at DESC"), sa.text("id DESC")],
            postgresql_where=sa.text("registered_at_care_unit_id IS NOT NULL"),
            postgresql_concurrently=True,
        )


def downgrade() -> None:
    with op.get_context().autocommit_block():
        op.drop_index("ix_results_manual_log", table_name="results", postgresql_concurrently=True)
    op.drop_table("insight_texts")
    op.drop_column("result_templates", "insight_text")
    op.drop_column("offers", "insight_texts")
    op.drop_constraint(op.f("ck_results_registration"), "results", type_="check")
    op.drop_constraint(
        op.f("fk_results_result_template_id_result_templates"), "results", type_="foreignkey"
    )
    op.drop_constraint(
        op.f("fk_results_registered_at_care_unit_id_care_units"), "results", type_="foreignkey"
    )
    op.drop_column("results", "result_template_id")
    op.drop_column("results", "registered_at_care_unit_id")
    op.drop_column("results", "registered_by_name")
    op.drop_column("results", "registered_by_hsa_id")
    # The backfilled recipients stay: the previous release reads them as set at sampling.
