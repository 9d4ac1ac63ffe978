""""At most N" rules kept by the database under concurrent requests: ordinals with unique indexes.

- brand_qualification_reviews.number: a qualification's 1st, 2nd … review; (qualification_id,
  number) unique, so of two concurrent first reviews one is stored (DY-BQ-1, a decision is final);
- reporting_actions.number: a shop's 1st, 2nd … RV-4 warning or block; (shop_id, number) unique,
  so two concurrent report decisions cannot both warn or both block;
- rectification_events.once: "escalated" on a task's escalation; (task_id, once) unique, so two
  concurrent sweeps escalate a task, and issue its violation, once (the first escalation of each
  task is marked in the backfill, later duplicates stay unmarked);
- cases.subject_ref and cases.number: a match dispute's banned product and its ordinal among the
  disputes of that pair; (subject_kind, subject_id, subject_ref, number) unique, so of two
  concurrent disputes of one match one is stored (one open at a time). Null for finding cases.

Review reports (review_id, number), appeals (violation_id, number) and the decision tables (keyed
by their item) were unique already. The backfill numbers existing rows in their order, so rows a
race stored twice before this revision keep distinct numbers (append-only: nothing is deleted).
Unique indexes, not constraints, so SQLite needs no batch table copy (which would drop the
append-only triggers and trip the foreign keys pointing at `cases`); the triggers are lifted only
while the new columns are filled.

Revision ID: 0012
Revises: 0011
"""
import sqlalchemy as sa
from alembic import op

from shopwarden.store.append_only import forbid_changes

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

# table, key, partition, order, unique index, its columns
ORDINALS = (
    ("brand_qualification_reviews", "review_id", "qualification_id", "decided_at, review_id", "uq_brand_qualification_reviews_number", ["qualification_id", "number"]),
    ("reporting_actions", "action_id", "shop_id", "at, action_id", "uq_reporting_actions_shop_number", ["shop_id", "number"]),
)
DISPUTES = "uq_cases_subject_ref_number"
ONCE = "uq_rectification_events_once"


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _allow_changes(table: str) -> None:
    if _sqlite():
        for verb in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{verb}")
    else:
        op.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only")


def _forbid_changes_again(table: str) -> None:
    if _sqlite():
        for verb in ("update", "delete"):  # a batch copy dropped them with the old table; else they were dropped above
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{verb}")
        forbid_changes(op, table)
    else:
        op.execute(f"ALTER TABLE {table} ENABLE TRIGGER {table}_append_only")


def _number(table: str, key: str, partition: str, order: str, where: str = "") -> None:
    """Number the rows 1, 2 … per `partition` in `order`: duplicates a race stored keep distinct numbers."""
    op.execute(f"UPDATE {table} SET number = (SELECT x.n FROM (SELECT {key} AS k, ROW_NUMBER() OVER (PARTITION BY {partition} ORDER BY {order}) AS n "
               f"FROM {table} {where}) x WHERE x.k = {table}.{key}) {where}")


def upgrade() -> None:
    for table, key, partition, order, index, columns in ORDINALS:
        op.add_column(table, sa.Column("number", sa.Integer(), nullable=True))
        _allow_changes(table)
        _number(table, key, partition, order)
        _forbid_changes_again(table)
        op.create_index(index, table, columns, unique=True)

    op.add_column("rectification_events", sa.Column("once", sa.String(16), nullable=True))
    _allow_changes("rectification_events")
    op.execute("UPDATE rectification_events SET once = 'escalated' WHERE event_id IN (SELECT k FROM (SELECT event_id AS k, ROW_NUMBER() OVER "
               "(PARTITION BY task_id ORDER BY at, event_id) AS n FROM rectification_events WHERE kind = 'escalated') x WHERE x.n = 1)")
    _forbid_changes_again("rectification_events")
    op.create_index(ONCE, "rectification_events", ["task_id", "once"], unique=True)

    op.add_column("cases", sa.Column("subject_ref", sa.String(64), nullable=True))
    op.add_column("cases", sa.Column("number", sa.Integer(), nullable=True))
    _allow_changes("cases")
    ref = "json_extract(finding, '$.banned_product_id')" if _sqlite() else "(finding::json ->> 'banned_product_id')"
    op.execute(f"UPDATE cases SET subject_ref = {ref} WHERE subject_kind = 'match_dispute'")
    _number("cases", "case_id", "subject_id, subject_ref", "opened_at, case_id", "WHERE subject_kind = 'match_dispute'")
    _forbid_changes_again("cases")
    op.create_index(DISPUTES, "cases", ["subject_kind", "subject_id", "subject_ref", "number"], unique=True)


def downgrade() -> None:
    # A plain DROP COLUMN (SQLite 3.35+): a batch copy of `cases` would break case_decisions' foreign
    # key and drop the append-only triggers; the dropped columns are in no index or trigger by then.
    op.drop_index(DISPUTES, "cases")
    op.drop_column("cases", "number")
    op.drop_column("cases", "subject_ref")
    op.drop_index(ONCE, "rectification_events")
    op.drop_column("rectification_events", "once")
    for table, _, _, _, index, _ in reversed(ORDINALS):
        op.drop_index(index, table)
        op.drop_column(table, "number")
