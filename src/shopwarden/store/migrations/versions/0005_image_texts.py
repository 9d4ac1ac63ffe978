"""Text read from uploaded images (QR payloads and OCR lines), cached by sha256 and reader; append-only.

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

from shopwarden.store.append_only import forbid_changes
from shopwarden.store.base import UtcDateTime

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('image_texts',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('reader', sa.String(length=100), nullable=False),
    sa.Column('lines', sa.JSON(), nullable=False),
    sa.Column('ocr', sa.Boolean(), nullable=False),
    sa.Column('read_at', UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['sha256'], ['images.sha256'], name=op.f('fk_image_texts_sha256_images')),
    sa.PrimaryKeyConstraint('sha256', 'reader', name=op.f('pk_image_texts'))
    )
    forbid_changes(op, "image_texts")


def downgrade() -> None:
    op.drop_table('image_texts')
