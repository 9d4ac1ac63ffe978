"""The banned-product registry (DY-LQ-2..4): bans with fingerprints, and the actions taken on
matching listings; both append-only.

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

from shopwarden.store.append_only import forbid_changes
from shopwarden.store.base import UtcDateTime

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('product_bans',
    sa.Column('ban_id', sa.String(length=64), nullable=False),
    sa.Column('product_id', sa.String(length=64), nullable=False),
    sa.Column('product_version', sa.Integer(), nullable=False),
    sa.Column('shop_id', sa.String(length=64), nullable=False),
    sa.Column('reason', sa.String(length=40), nullable=False),
    sa.Column('severity', sa.String(length=32), nullable=False),
    sa.Column('statement', sa.Text(), nullable=False),
    sa.Column('rule', sa.String(length=32), nullable=False),
    sa.Column('origin_ban_id', sa.String(length=64), nullable=True),
    sa.Column('violation_id', sa.String(length=64), nullable=True),
    sa.Column('fingerprint', sa.JSON(), nullable=False),
    sa.Column('banned_at', UtcDateTime(), nullable=False),
    sa.Column('banned_by', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('ban_id', name=op.f('pk_product_bans'))
    )
    op.create_index(op.f('ix_product_bans_product_id'), 'product_bans', ['product_id'], unique=False)
    op.create_index(op.f('ix_product_bans_shop_id'), 'product_bans', ['shop_id'], unique=False)
    op.create_table('product_match_actions',
    sa.Column('action_id', sa.String(length=64), nullable=False),
    sa.Column('ban_id', sa.String(length=64), nullable=False),
    sa.Column('product_id', sa.String(length=64), nullable=False),
    sa.Column('product_version', sa.Integer(), nullable=False),
    sa.Column('shop_id', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('rule', sa.String(length=32), nullable=False),
    sa.Column('match', sa.JSON(), nullable=False),
    sa.Column('at', UtcDateTime(), nullable=False),
    sa.Column('by', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('action_id', name=op.f('pk_product_match_actions'))
    )
    op.create_index(op.f('ix_product_match_actions_ban_id'), 'product_match_actions', ['ban_id'], unique=False)
    op.create_index(op.f('ix_product_match_actions_product_id'), 'product_match_actions', ['product_id'], unique=False)
    for table in ("product_bans", "product_match_actions"):
        forbid_changes(op, table)


def downgrade() -> None:
    for table in ("product_match_actions", "product_bans"):
        op.drop_table(table)
