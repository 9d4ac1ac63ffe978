"""Operators' claims on queue items (the console's appeals and cases queues); not a ledger.

Revision ID: 0010
Revises: 0009
"""
import sqlalchemy as sa
from alembic import op

from shopwarden.store.base import UtcDateTime

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "claims",
        sa.Column("item_kind", sa.String(32), primary_key=True),
        sa.Column("item_id", sa.String(64), primary_key=True),
        sa.Column("holder", sa.String(64), nullable=False),
        sa.Column("claimed_at", UtcDateTime(), nullable=False),
        sa.Column("expires_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_claims_holder", "claims", ["holder"])


def downgrade() -> None:
    op.drop_table("claims")
