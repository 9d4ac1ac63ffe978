"""Image owners: every shop that uploaded an image's bytes, first or again, so that only its
sellers (and platform and operator keys) read the image; filled from images.first_shop_id.

Revision ID: 0015
Revises: 0013
"""
import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "image_owners",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("shop_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["sha256"], ["images.sha256"], name=op.f("fk_image_owners_sha256_images")),
        sa.PrimaryKeyConstraint("sha256", "shop_id", name=op.f("pk_image_owners")),
    )
    op.execute("INSERT INTO image_owners (sha256, shop_id) SELECT sha256, first_shop_id FROM images WHERE first_shop_id IS NOT NULL")


def downgrade() -> None:
    op.drop_table("image_owners")
