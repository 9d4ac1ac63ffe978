"""Revocations recorded outright by a platform or operator (append-only).

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

from shopwarden.store.append_only import forbid_changes
from shopwarden.store.base import UtcDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "revocations",
        sa.Column("violation_id", sa.String(64), sa.ForeignKey("violations.violation_id"), primary_key=True),
        sa.Column("shop_id", sa.String(64), nullable=False),
        sa.Column("revoked_at", UtcDateTime(), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("revoked_by", sa.String(128), nullable=False),
        sa.Column("key_id", sa.String(64), nullable=False),
    )
    op.create_index("ix_revocations_shop_id", "revocations", ["shop_id"])
    forbid_changes(op, "revocations")


def downgrade() -> None:
    op.drop_table("revocations")
