"""Shadow detectors' findings beside the live ones, and operators' labels of their disagreements.

Revision ID: 0024
Revises: 0022 (re-chained by the lead when merging)
"""
import sqlalchemy as sa
from alembic import op

from shopwarden.store.base import UtcDateTime

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "shadow_findings",
        sa.Column("shadow_id", sa.String(64), primary_key=True),
        sa.Column("subject_kind", sa.String(16), nullable=False),
        sa.Column("subject_id", sa.String(200), nullable=False),
        sa.Column("subject_version", sa.Integer(), nullable=True),
        sa.Column("shop_id", sa.String(64), nullable=False),
        sa.Column("policy_id", sa.String(64), nullable=False),
        sa.Column("policy_version", sa.String(32), nullable=False),
        sa.Column("detector", sa.String(64), nullable=False),
        sa.Column("version", sa.String(64), nullable=False),
        sa.Column("verdict", sa.String(16), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("live", sa.JSON(), nullable=False),
        sa.Column("shadow", sa.JSON(), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("label", sa.String(16), nullable=True),
        sa.Column("label_note", sa.String(2000), nullable=True),
        sa.Column("labelled_by", sa.String(64), nullable=True),
        sa.Column("labelled_at", UtcDateTime(), nullable=True),
    )
    for col in ("shop_id", "detector", "verdict", "at"):
        op.create_index(f"ix_shadow_findings_{col}", "shadow_findings", [col])


def downgrade() -> None:
    op.drop_table("shadow_findings")
