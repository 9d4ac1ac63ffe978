"""A covering index for the health read: a shop's violations come from one index range, not one page each.

Revision ID: 0002
Revises: 0001
"""
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

COLUMNS = ["shop_id", "issued_at", "violation_id", "type", "severity", "point_class", "points", "expires_at"]


def upgrade() -> None:
    op.create_index("ix_violations_shop_ledger", "violations", COLUMNS)
    op.drop_index("ix_violations_shop_issued", table_name="violations")


def downgrade() -> None:
    op.create_index("ix_violations_shop_issued", "violations", ["shop_id", "issued_at"])
    op.drop_index("ix_violations_shop_ledger", table_name="violations")
