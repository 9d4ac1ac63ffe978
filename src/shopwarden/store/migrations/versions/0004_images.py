"""Uploaded images, content-addressed by SHA-256, with their bytes; both append-only.

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

from shopwarden.store.append_only import forbid_changes
from shopwarden.store.base import UtcDateTime

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('images',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('media_type', sa.String(length=32), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('first_shop_id', sa.String(length=64), nullable=True),
    sa.Column('uploaded_at', UtcDateTime(), nullable=False),
    sa.Column('uploaded_by', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('sha256', name=op.f('pk_images'))
    )
    op.create_table('image_blobs',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['sha256'], ['images.sha256'], name=op.f('fk_image_blobs_sha256_images')),
    sa.PrimaryKeyConstraint('sha256', name=op.f('pk_image_blobs'))
    )
    for table in ("images", "image_blobs"):
        forbid_changes(op, table)


def downgrade() -> None:
    op.drop_table('image_blobs')
    op.drop_table('images')
