"""DSA Art. 23 for internal complaints (Art. 20): a person rejecting one may find it manifestly unfounded, a
finding kept on the (append-only) decision and counted toward the complainant's misuse.

Revision ID: 0030
Revises: 0029
"""
import sqlalchemy as sa
from alembic import op

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN (no batch copy): the table keeps its append-only triggers on SQLite.
    op.add_column("internal_complaint_decisions",
                  sa.Column("manifestly_unfounded", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":  # SQLite's own DROP COLUMN keeps the table and its triggers
        op.execute("ALTER TABLE internal_complaint_decisions DROP COLUMN manifestly_unfounded")
    else:
        op.drop_column("internal_complaint_decisions", "manifestly_unfounded")
