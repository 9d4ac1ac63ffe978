"""Open items: the index the operators' queues walk (pending appeals, open cases, pending review
reports, qualifications awaiting review), filled from what is undecided today.

Revision ID: 0011
Revises: 0010
"""
import sqlalchemy as sa
from alembic import op

from shopwarden.store.base import UtcDateTime

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

BACKFILL = (
    ("appeal", "appeals", "appeal_id", "filed_at", "appeal_decisions", "appeal_id"),
    ("case", "cases", "case_id", "opened_at", "case_decisions", "case_id"),
    ("review_report", "review_reports", "report_id", "filed_at", "review_report_decisions", "report_id"),
    ("qualification", "brand_qualifications", "qualification_id", "filed_at", "brand_qualification_reviews", "qualification_id"),
)


def upgrade() -> None:
    op.create_table(
        "open_items",
        sa.Column("kind", sa.String(16), primary_key=True),
        sa.Column("item_id", sa.String(64), primary_key=True),
        sa.Column("opened_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_open_items_kind_opened", "open_items", ["kind", "opened_at", "item_id"])
    for kind, table, key, at, decisions, ref in BACKFILL:
        op.execute(f"INSERT INTO open_items (kind, item_id, opened_at) SELECT '{kind}', t.{key}, t.{at} FROM {table} t "
                   f"WHERE NOT EXISTS (SELECT 1 FROM {decisions} d WHERE d.{ref} = t.{key})")


def downgrade() -> None:
    op.drop_table("open_items")
