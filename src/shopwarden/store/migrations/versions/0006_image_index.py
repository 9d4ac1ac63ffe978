"""The copied-image index (DY-IP): first showings and registrations with PDQ hashes, and the
listing versions read into it; both append-only.

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

from shopwarden.store.append_only import forbid_changes
from shopwarden.store.base import UtcDateTime

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('image_index_entries',
    sa.Column('entry_key', sa.String(length=200), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('shop_id', sa.String(length=64), nullable=True),
    sa.Column('product_id', sa.String(length=64), nullable=True),
    sa.Column('owner', sa.String(length=128), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('pdq', sa.String(length=64), nullable=False),
    sa.Column('pdq_quality', sa.Integer(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('first_seen_at', UtcDateTime(), nullable=False),
    sa.Column('registered_by', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['sha256'], ['images.sha256'], name=op.f('fk_image_index_entries_sha256_images')),
    sa.PrimaryKeyConstraint('entry_key', name=op.f('pk_image_index_entries'))
    )
    op.create_index(op.f('ix_image_index_entries_sha256'), 'image_index_entries', ['sha256'], unique=False)
    op.create_table('image_index_listings',
    sa.Column('product_id', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('product_id', 'version', name=op.f('pk_image_index_listings'))
    )
    for table in ("image_index_entries", "image_index_listings"):
        forbid_changes(op, table)


def downgrade() -> None:
    op.drop_table('image_index_listings')
    op.drop_index(op.f('ix_image_index_entries_sha256'), table_name='image_index_entries')
    op.drop_table('image_index_entries')
