"""Poor quality and the experience score (DY-QL-1..5): orders' paid, shipped and delivered times;
after-sales requests, complaints, DY-QL-3/4 determinations and fraud findings (append-only); the experience counters — marks (append-only),
day sums and the peers' day snapshots (store/experience.py).

Revision ID: 0017
Revises: 0016 (re-chained by the lead when merging)
"""
import sqlalchemy as sa
from alembic import op

from shopwarden.store.append_only import forbid_changes
from shopwarden.store.base import UtcDateTime

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

APPEND_ONLY = ("after_sales", "complaints", "experience_marks", "quality_determinations", "quality_fraud_findings")
ORDER_TIMES = ("paid_at", "shipped_at", "delivered_at")


def _id(name: str, **kw) -> sa.Column:
    return sa.Column(name, sa.String(64), nullable=False, **kw)


def upgrade() -> None:
    with op.batch_alter_table("orders") as batch:
        for col in ORDER_TIMES:
            batch.add_column(sa.Column(col, UtcDateTime(), nullable=True))

    op.create_table(
        "after_sales",
        _id("after_sale_id", primary_key=True), _id("order_id"), _id("shop_id"), _id("product_id"),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("filed_at", UtcDateTime(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        _id("created_by"),
    )
    op.create_index("ix_after_sales_order_id", "after_sales", ["order_id"])
    op.create_index("ix_after_sales_shop_id", "after_sales", ["shop_id"])

    op.create_table(
        "complaints",
        _id("complaint_id", primary_key=True), _id("order_id"), _id("shop_id"), _id("product_id"),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("filed_at", UtcDateTime(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        _id("created_by"),
    )
    op.create_index("ix_complaints_order_id", "complaints", ["order_id"])
    op.create_index("ix_complaints_shop_id", "complaints", ["shop_id"])

    op.create_table(
        "experience_marks",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=True),
        _id("shop_id"), _id("product_id"), _id("industry"), _id("order_id"),
        sa.Column("counter", sa.String(32), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("delta", sa.Integer(), nullable=False),
        sa.Column("recorded_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_experience_marks_shop_day", "experience_marks", ["shop_id", "day"])

    op.create_table(
        "experience_days",
        _id("shop_id", primary_key=True), _id("product_id", primary_key=True), _id("industry", primary_key=True),
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("counter", sa.String(32), primary_key=True),
        sa.Column("value", sa.Integer(), nullable=False),
    )
    op.create_index("ix_experience_days_day", "experience_days", ["day"])

    op.create_table(
        "experience_snapshots",
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("industry", sa.String(200), primary_key=True),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("computed_at", UtcDateTime(), nullable=False),
    )
    op.create_table(
        "quality_determinations",
        _id("determination_id", primary_key=True), _id("shop_id"),
        sa.Column("subject", sa.String(80), nullable=False),
        sa.Column("rule", sa.String(16), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("occurrence", sa.Integer(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("measures", sa.JSON(), nullable=False),
        _id("violation_id"),
        sa.Column("policy_version", sa.String(32), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        _id("created_by"),
    )
    op.create_index("ix_quality_determinations_shop_id", "quality_determinations", ["shop_id"])

    op.create_table(
        "quality_fraud_findings",
        _id("fraud_id", primary_key=True), _id("determination_id"), _id("shop_id"),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(4000), nullable=False),
        sa.Column("amount_per_order", sa.Float(), nullable=False),
        sa.Column("compensations", sa.JSON(), nullable=False),
        sa.Column("found_at", UtcDateTime(), nullable=False),
        sa.Column("found_by", sa.String(128), nullable=False),
        _id("created_by"),
        sa.UniqueConstraint("determination_id", name="uq_quality_fraud_findings_determination_id"),
    )
    op.create_index("ix_quality_fraud_findings_shop_id", "quality_fraud_findings", ["shop_id"])
    for table in APPEND_ONLY:
        forbid_changes(op, table)


def downgrade() -> None:
    for table in ("experience_snapshots", "experience_days", *reversed(APPEND_ONLY)):
        op.drop_table(table)
    with op.batch_alter_table("orders") as batch:
        for col in reversed(ORDER_TIMES):
            batch.drop_column(col)
