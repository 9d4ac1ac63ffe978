"""The experience score at scale (DY-QL-2): each market's kept peer state — the day it stands for,
each shop's window counts, each industry's counts (peers per step of each indicator, pooled sums) —
so a page never computes its industry's snapshot by scanning it (store/experience.py).

Revision ID: 0018
Revises: 0017 (re-chained by the lead when merging)
"""
import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "experience_peer_rolls",
        sa.Column("market", sa.String(200), primary_key=True),
        sa.Column("day", sa.Date(), nullable=True),
    )
    op.create_table(
        "experience_peer_totals",
        sa.Column("market", sa.String(200), primary_key=True),
        sa.Column("shop_id", sa.String(64), primary_key=True),
        sa.Column("industry", sa.String(64), primary_key=True),
        sa.Column("counter", sa.String(32), primary_key=True),
        sa.Column("value", sa.Integer(), nullable=False),
    )
    op.create_table(
        "experience_peer_counts",
        sa.Column("market", sa.String(200), primary_key=True),
        sa.Column("industry", sa.String(64), primary_key=True),
        sa.Column("key", sa.String(80), primary_key=True),
        sa.Column("value", sa.Integer(), nullable=False),
    )
    # snapshots kept before 0018 hold sorted rates, not steps: computed again on demand
    op.execute("DELETE FROM experience_snapshots")
    op.add_column("experience_snapshots", sa.Column("token", sa.String(32), nullable=True))


def downgrade() -> None:
    op.execute("DELETE FROM experience_snapshots")
    with op.batch_alter_table("experience_snapshots") as batch:
        batch.drop_column("token")
    for table in ("experience_peer_counts", "experience_peer_totals", "experience_peer_rolls"):
        op.drop_table(table)
