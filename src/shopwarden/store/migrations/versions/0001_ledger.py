"""The ledger: shops, violations, appeals, decisions, API keys; ledger tables refuse UPDATE and DELETE.

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

from shopwarden.store.append_only import forbid_changes
from shopwarden.store.base import UtcDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

APPEND_ONLY = ("violations", "appeals", "appeal_decisions")


def upgrade() -> None:
    op.create_table(
        "shops",
        sa.Column("shop_id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("policy_id", sa.String(64), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
    )
    op.create_table(
        "violations",
        sa.Column("violation_id", sa.String(64), primary_key=True),
        sa.Column("shop_id", sa.String(64), sa.ForeignKey("shops.shop_id"), nullable=False),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("severity", sa.String(64), nullable=False),
        sa.Column("points", sa.Integer, nullable=False),
        sa.Column("point_class", sa.String(32), nullable=False),
        sa.Column("issued_at", UtcDateTime(), nullable=False),
        sa.Column("expires_at", UtcDateTime(), nullable=False),
        sa.Column("policy_id", sa.String(64), nullable=False),
        sa.Column("policy_version", sa.String(32), nullable=False),
        sa.Column("evidence", sa.JSON, nullable=False),
        sa.Column("note", sa.Text, nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
    )
    op.create_index("ix_violations_shop_issued", "violations", ["shop_id", "issued_at"])
    op.create_table(
        "appeals",
        sa.Column("appeal_id", sa.String(64), primary_key=True),
        sa.Column("violation_id", sa.String(64), sa.ForeignKey("violations.violation_id"), nullable=False),
        sa.Column("shop_id", sa.String(64), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("filed_at", UtcDateTime(), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("evidence", sa.JSON, nullable=False),
        sa.Column("deadline", UtcDateTime(), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("filed_by", sa.String(64), nullable=False),
        sa.UniqueConstraint("violation_id", "number", name="uq_appeals_violation_number"),
    )
    op.create_index("ix_appeals_violation_id", "appeals", ["violation_id"])
    op.create_index("ix_appeals_shop_id", "appeals", ["shop_id"])
    op.create_table(
        "appeal_decisions",
        sa.Column("appeal_id", sa.String(64), sa.ForeignKey("appeals.appeal_id"), primary_key=True),
        sa.Column("violation_id", sa.String(64), nullable=False),
        sa.Column("shop_id", sa.String(64), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("decided_at", UtcDateTime(), nullable=False),
        sa.Column("decided_by", sa.String(128), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("key_id", sa.String(64), nullable=False),
    )
    op.create_index("ix_appeal_decisions_shop_id", "appeal_decisions", ["shop_id"])
    op.create_table(
        "api_keys",
        sa.Column("key_id", sa.String(32), primary_key=True),
        sa.Column("secret_sha256", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("shop_id", sa.String(64), nullable=True),
        sa.Column("label", sa.String(200), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("revoked_at", UtcDateTime(), nullable=True),
    )
    for table in APPEND_ONLY:
        forbid_changes(op, table)


def downgrade() -> None:
    for table in ("api_keys", "appeal_decisions", "appeals", "violations", "shops"):
        op.drop_table(table)
