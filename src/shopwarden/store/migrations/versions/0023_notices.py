"""Notices (DSA Art. 16), their events, trusted flaggers (Art. 22), misuse actions and complaints marked
manifestly unfounded (Art. 23): all append-only.

Revision ID: 0023
Revises: 0022
"""
import sqlalchemy as sa
from alembic import op

from shopwarden.store.append_only import forbid_changes
from shopwarden.store.base import UtcDateTime

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notices",
        sa.Column("notice_id", sa.String(64), nullable=False),
        sa.Column("notifier_id", sa.String(64), nullable=False),
        sa.Column("notifier_kind", sa.String(20), nullable=False),
        sa.Column("notifier_name", sa.String(200), nullable=False),
        sa.Column("notifier_email", sa.String(320), nullable=False),
        sa.Column("trusted", sa.Boolean(), nullable=False),
        sa.Column("target_kind", sa.String(16), nullable=False),
        sa.Column("target_id", sa.String(128), nullable=False),
        sa.Column("shop_id", sa.String(64), nullable=True),
        sa.Column("creator_id", sa.String(64), nullable=True),
        sa.Column("policy_id", sa.String(64), nullable=False),
        sa.Column("ground", sa.String(64), nullable=False),
        sa.Column("location", sa.String(2000), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("filed_at", UtcDateTime(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("key_id", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("notice_id", name=op.f("pk_notices")),
    )
    for col in ("notifier_id", "shop_id", "creator_id", "filed_at"):
        op.create_index(f"ix_notices_{col}", "notices", [col])
    op.create_table(
        "notice_events",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("notice_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("by", sa.String(128), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.UniqueConstraint("notice_id", "kind", name="uq_notice_events_notice_kind"),
    )
    op.create_index("ix_notice_events_notice_id", "notice_events", ["notice_id"])
    op.create_index("ix_notice_events_at", "notice_events", ["at"])
    op.create_table(
        "trusted_flaggers",
        sa.Column("notifier_id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("awarded_by", sa.String(200), nullable=False),
        sa.Column("since", UtcDateTime(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("notifier_id", name=op.f("pk_trusted_flaggers")),
    )
    op.create_table(
        "misuse_actions",
        sa.Column("action_id", sa.String(64), nullable=False),
        sa.Column("party_kind", sa.String(16), nullable=False),
        sa.Column("party_id", sa.String(80), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("until", UtcDateTime(), nullable=True),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("action_id", name=op.f("pk_misuse_actions")),
        sa.UniqueConstraint("party_kind", "party_id", "action", "at", name="uq_misuse_actions_once"),
    )
    op.create_index("ix_misuse_actions_party_id", "misuse_actions", ["party_id"])
    op.create_table(
        "unfounded_complaints",
        sa.Column("appeal_id", sa.String(64), nullable=False),
        sa.Column("complainant", sa.String(80), nullable=False),
        sa.Column("marked_at", UtcDateTime(), nullable=False),
        sa.Column("by", sa.String(128), nullable=False),
        sa.PrimaryKeyConstraint("appeal_id", name=op.f("pk_unfounded_complaints")),
    )
    op.create_index("ix_unfounded_complaints_complainant", "unfounded_complaints", ["complainant"])
    for table in ("notices", "notice_events", "trusted_flaggers", "misuse_actions", "unfounded_complaints"):
        forbid_changes(op, table)


def downgrade() -> None:
    for table in ("unfounded_complaints", "misuse_actions", "trusted_flaggers", "notice_events", "notices"):
        op.drop_table(table)
