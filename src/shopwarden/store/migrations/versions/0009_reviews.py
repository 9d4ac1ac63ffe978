"""Orders, reviews, review hides, shops' identity attributes, review reports with their decisions
and RV-4 reporting actions; the buyer of a chat message.

Append-only: reviews, review_hides, review_reports, review_report_decisions, reporting_actions.
Orders change status; shops' identity attributes are replaced by the platform.

Revision ID: 0009
Revises: 0008
"""
import sqlalchemy as sa
from alembic import op

from shopwarden.store.append_only import forbid_changes
from shopwarden.store.base import UtcDateTime

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

APPEND_ONLY = ("reviews", "review_hides", "review_reports", "review_report_decisions", "reporting_actions")


def _id(name: str, **kw) -> sa.Column:
    return sa.Column(name, sa.String(64), nullable=kw.pop("nullable", False), **kw)


def upgrade() -> None:
    op.create_table(
        "orders",
        _id("order_id", primary_key=True), _id("shop_id"), _id("product_id"), _id("buyer_id"),
        sa.Column("ordered_at", UtcDateTime(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        *(sa.Column(a, sa.String(128), nullable=True) for a in ("device", "payment_account", "address_hash", "identity")),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        _id("created_by"),
    )
    for col in ("shop_id", "product_id", "buyer_id"):
        op.create_index(f"ix_orders_{col}", "orders", [col])

    op.create_table(
        "reviews",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=True),
        _id("review_id"), _id("order_id"), _id("shop_id"), _id("product_id"), _id("buyer_id"),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("images", sa.JSON(), nullable=False),
        sa.Column("posted_at", UtcDateTime(), nullable=False),
        sa.Column("category", sa.String(200), nullable=True),
        sa.Column("product_similarity", sa.Float(), nullable=True),
        sa.Column("vector", sa.LargeBinary(), nullable=True),
        sa.Column("findings", sa.JSON(), nullable=False),
        sa.Column("flagged", sa.Boolean(), nullable=False),
        sa.Column("policy_version", sa.String(32), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        _id("created_by"),
        sa.UniqueConstraint("review_id", name="uq_reviews_review_id"),
        sa.UniqueConstraint("order_id", name="uq_reviews_order_id"),
    )
    op.create_index("ix_reviews_product_rating", "reviews", ["product_id", "rating"])
    op.create_index("ix_reviews_shop_buyer", "reviews", ["shop_id", "buyer_id"])
    op.create_index("ix_reviews_category", "reviews", ["category"])

    op.create_table(
        "review_hides",
        _id("review_id", primary_key=True), _id("report_id"), _id("shop_id"), _id("product_id"),
        sa.Column("hidden_at", UtcDateTime(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("rule", sa.String(32), nullable=False),
    )
    op.create_index("ix_review_hides_shop_id", "review_hides", ["shop_id"])
    op.create_index("ix_review_hides_product_id", "review_hides", ["product_id"])

    op.create_table(
        "shop_identities",
        _id("shop_id", primary_key=True),
        sa.Column("attribute", sa.String(32), primary_key=True),
        sa.Column("value", sa.String(128), primary_key=True),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_shop_identities_attribute_value", "shop_identities", ["attribute", "value"])

    op.create_table(
        "review_reports",
        _id("report_id", primary_key=True), _id("review_id"),
        sa.Column("number", sa.Integer(), nullable=False),
        _id("shop_id"),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("signals", sa.JSON(), nullable=False),
        sa.Column("filed_at", UtcDateTime(), nullable=False),
        _id("filed_by"),
        sa.Column("policy_version", sa.String(32), nullable=False),
        sa.UniqueConstraint("review_id", "number", name="uq_review_reports_review_number"),
    )
    op.create_index("ix_review_reports_review_id", "review_reports", ["review_id"])
    op.create_index("ix_review_reports_shop_filed", "review_reports", ["shop_id", "filed_at"])

    op.create_table(
        "review_report_decisions",
        _id("report_id", primary_key=True), _id("shop_id"),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_at", UtcDateTime(), nullable=False),
        sa.Column("decided_by", sa.String(128), nullable=False),
        _id("key_id"),
        sa.ForeignKeyConstraint(["report_id"], ["review_reports.report_id"], name="fk_review_report_decisions_report_id_review_reports"),
    )
    op.create_index("ix_review_report_decisions_shop_decided", "review_report_decisions", ["shop_id", "decided_at"])

    op.create_table(
        "reporting_actions",
        _id("action_id", primary_key=True), _id("shop_id"),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("until", UtcDateTime(), nullable=True),
        sa.Column("figures", sa.JSON(), nullable=False),
        _id("report_id"),
        sa.Column("policy_version", sa.String(32), nullable=False),
    )
    op.create_index("ix_reporting_actions_shop_id", "reporting_actions", ["shop_id"])

    # A plain ADD COLUMN (no batch copy): messages keeps its append-only triggers on SQLite.
    op.add_column("messages", sa.Column("buyer_id", sa.String(64), nullable=True))
    op.create_index("ix_messages_buyer_id", "messages", ["buyer_id"])

    for table in APPEND_ONLY:
        forbid_changes(op, table)


def downgrade() -> None:
    op.drop_index("ix_messages_buyer_id", "messages")
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("buyer_id")
    for table in ("reporting_actions", "review_report_decisions", "review_reports", "shop_identities", "review_hides", "reviews", "orders"):
        op.drop_table(table)
