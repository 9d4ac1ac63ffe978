"""Reviews' deferred signals: the RV-K rules a review was posted owing, and the
signals the analysis workers computed for it later — a row of their own, as reviews are append-only.

Revision ID: 0029
Revises: 0024 (re-chained by the lead when merging)
"""
import sqlalchemy as sa
from alembic import op

from shopwarden.store.append_only import forbid_changes
from shopwarden.store.base import UtcDateTime

revision = "0029"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN (no batch copy): reviews keeps its append-only triggers on SQLite.
    op.add_column("reviews", sa.Column("pending", sa.JSON(), nullable=True))
    op.create_table(
        "review_signals",
        sa.Column("review_id", sa.String(64), primary_key=True),
        sa.Column("findings", sa.JSON(), nullable=False),
        sa.Column("flagged", sa.Boolean(), nullable=False),
        sa.Column("product_similarity", sa.Float(), nullable=True),
        sa.Column("vector", sa.LargeBinary(), nullable=True),
        sa.Column("computed_at", UtcDateTime(), nullable=False),
    )
    forbid_changes(op, "review_signals")


def downgrade() -> None:
    op.drop_table("review_signals")
    if op.get_bind().dialect.name == "sqlite":  # SQLite's own DROP COLUMN keeps the table and its triggers
        op.execute("ALTER TABLE reviews DROP COLUMN pending")
    else:
        op.drop_column("reviews", "pending")
