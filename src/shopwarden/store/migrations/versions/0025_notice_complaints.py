"""Internal complaints (DSA Art. 20) against a notice's decision or an Art. 23 suspension, their decisions,
and trusted flagger revocations (Art. 22(6)-(7)): all append-only.

Revision ID: 0025
Revises: 0024
"""
import sqlalchemy as sa
from alembic import op

from shopwarden.store.append_only import forbid_changes
from shopwarden.store.base import UtcDateTime

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "trusted_flagger_revocations",
        sa.Column("notifier_id", sa.String(64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("revoked_by", sa.String(200), nullable=False),
        sa.Column("revoked_at", UtcDateTime(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("key_id", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("notifier_id", name=op.f("pk_trusted_flagger_revocations")),
    )
    op.create_table(
        "internal_complaints",
        sa.Column("complaint_id", sa.String(64), nullable=False),
        sa.Column("subject_kind", sa.String(16), nullable=False),
        sa.Column("subject_id", sa.String(64), nullable=False),
        sa.Column("side", sa.String(16), nullable=False),
        sa.Column("complainant", sa.String(80), nullable=False),
        sa.Column("shop_id", sa.String(64), nullable=True),
        sa.Column("creator_id", sa.String(64), nullable=True),
        sa.Column("policy_id", sa.String(64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("filed_at", UtcDateTime(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("key_id", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("complaint_id", name=op.f("pk_internal_complaints")),
        sa.UniqueConstraint("subject_kind", "subject_id", "complainant", name="uq_internal_complaints_once"),
    )
    for col in ("subject_id", "complainant", "shop_id", "creator_id", "filed_at"):
        op.create_index(f"ix_internal_complaints_{col}", "internal_complaints", [col])
    op.create_table(
        "internal_complaint_decisions",
        sa.Column("complaint_id", sa.String(64), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_at", UtcDateTime(), nullable=False),
        sa.Column("decided_by", sa.String(128), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("key_id", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("complaint_id", name=op.f("pk_internal_complaint_decisions")),
    )
    for table in ("trusted_flagger_revocations", "internal_complaints", "internal_complaint_decisions"):
        forbid_changes(op, table)


def downgrade() -> None:
    for table in ("internal_complaint_decisions", "internal_complaints", "trusted_flagger_revocations"):
        op.drop_table(table)
