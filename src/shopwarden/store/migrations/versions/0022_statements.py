"""Statements of reasons (DSA Art. 17): one append-only row per measure, its puid a unique key.

Revision ID: 0022
Revises: 0021 (re-chained by the lead when merging)
"""
import sqlalchemy as sa
from alembic import op

from shopwarden.store.append_only import forbid_changes
from shopwarden.store.base import UtcDateTime

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "statements",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("puid", sa.String(64), nullable=False),
        sa.Column("measure_kind", sa.String(64), nullable=False),
        sa.Column("measure_id", sa.String(200), nullable=False),
        sa.Column("shop_id", sa.String(64), nullable=True),
        sa.Column("creator_id", sa.String(64), nullable=True),
        sa.Column("applied_at", UtcDateTime(), nullable=False),
        sa.Column("policy_id", sa.String(64), nullable=False),
        sa.Column("policy_version", sa.String(32), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("submission", sa.JSON(), nullable=True),
        sa.Column("recorded_at", UtcDateTime(), nullable=False),
        sa.UniqueConstraint("puid", name="uq_statements_puid"),
    )
    for col in ("measure_id", "shop_id", "creator_id", "applied_at"):
        op.create_index(f"ix_statements_{col}", "statements", [col])
    forbid_changes(op, "statements")


def downgrade() -> None:
    op.drop_table("statements")
