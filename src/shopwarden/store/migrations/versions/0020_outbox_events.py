"""The transactional outbox and its relays' cursors (store/outbox.py); the consumer's de-duplication
keys (store/consumed.py).

Revision ID: 0020
Revises: 0018 (re-chained by the lead when merging)
"""
import sqlalchemy as sa
from alembic import op

from shopwarden.store.base import UtcDateTime

revision = "0020"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.UniqueConstraint("event_id", name="uq_outbox_event_id"),
        sqlite_autoincrement=True,  # ids never reused after a rollback or a prune: a relay's cursor only moves on
    )
    op.create_table(
        "outbox_cursor",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("last_id", sa.Integer(), nullable=False),
    )
    op.create_table(
        "consumed_events",
        sa.Column("event_id", sa.String(128), primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("consumed_at", UtcDateTime(), nullable=False),
        sa.Column("problem", sa.JSON(), nullable=True),
    )


def downgrade() -> None:
    for table in ("consumed_events", "outbox_cursor", "outbox"):
        op.drop_table(table)
