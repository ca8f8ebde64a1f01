"""cheaper result intake: an index and two foreign keys that every stored result paid for

Issue 9 (result intake ≥ 10,000 results/s on the 2-core machine; bench/README.md). Every
result inserted maintained them, and none of them holds anything the schema does not hold
otherwise:

- `ix_results_order_line_id` (`order_line_id`) is the leading column of the unique
  constraint `uq_results_line_date_version` (`order_line_id, sampling_date, version`):
  every look-up by line (the newest version, Besvarad's "every line has a result", the
  cascade from a deleted order line) walks that index just as well. One index fewer to
  insert into per result.
- `worklist_entries.order_id` → `orders` and `worklist_entries.care_unit_id` →
  `care_units`: the read model's copies of the line's order and of that order's result
  care unit, written only by `worklist_refresh` (revision 0013) from `order_lines` and
  `orders` in the same statement — like `result_id` beside them, which never had a foreign
  key. The row's own key `order_line_id` → `order_lines` (ON DELETE CASCADE) stays: a
  deleted order deletes its lines and so its entries, as before; `orders.result_care_unit_id`
  keeps its foreign key to `care_units`. Each of the two cost a key look-up and a row lock
  on the referenced row for every result stored (two of the five foreign-key checks a
  stored result made).

Only drops of what no code names (the release before this one works on this schema); the
index is dropped CONCURRENTLY (result intake goes on meanwhile). The downgrade makes them
again (the foreign keys checked without blocking writes first: NOT VALID, then VALIDATE).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 12:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# name → (column, referenced table)
_DERIVED_KEYS = {
    "fk_worklist_entries_order_id_orders": ("order_id", "orders"),
    "fk_worklist_entries_care_unit_id_care_units": ("care_unit_id", "care_units"),
}
_ON_DELETE = {"orders": "CASCADE", "care_units": None}


def upgrade() -> None:
    for name in _DERIVED_KEYS:
        op.drop_constraint(name, "worklist_entries", type_="foreignkey")
    with op.get_context().autocommit_block():
        op.drop_index(
            "ix_results_order_line_id", table_name="results", postgresql_concurrently=True
        )


def downgrade() -> None:
    with op.get_context().autocommit_block():
        op.create_index(
            "ix_results_order_line_id",
            "results",
            ["order_line_id"],
            postgresql_concurrently=True,
        )
    for name, (column, table) in _DERIVED_KEYS.items():
        op.create_foreign_key(
            name,
            "worklist_entries",
            table,
            [column],
            ["id"],
            ondelete=_ON_DELETE[table],
            postgresql_not_valid=True,
        )
        op.execute(f"ALTER TABLE worklist_entries VALIDATE CONSTRAINT {name}")
