"""Creators (CR-5..13): creators, content, LIVE segments, content actions, credits; the ledger's
violations, appeals, decisions and revocations gain a creator subject (shop_id may be null);
orders carry the creator, content and commission (CR-10); keys may belong to a creator.

Revision ID: 0016
Revises: 0015
"""
import sqlalchemy as sa
from alembic import op

from shopwarden.store.append_only import forbid_changes
from shopwarden.store.base import UtcDateTime

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

NEW_APPEND_ONLY = ("creator_credits", "content_segments", "content_actions")
# Ledger tables that gain a creator subject; their shop_id becomes optional.
SUBJECT_TABLES = ("violations", "appeals", "appeal_decisions", "revocations")


def _now(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, UtcDateTime(), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "creators",
        sa.Column("creator_id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("policy_id", sa.String(64), nullable=False),
        sa.Column("shop_id", sa.String(64), sa.ForeignKey("shops.shop_id", name="fk_creators_shop_id_shops"), nullable=True),
        _now("created_at"), _now("updated_at"),
    )
    op.create_index("ix_creators_shop_id", "creators", ["shop_id"])
    op.create_table(
        "creator_credits",
        sa.Column("credit_id", sa.String(64), primary_key=True),
        sa.Column("creator_id", sa.String(64), sa.ForeignKey("creators.creator_id", name="fk_creator_credits_creator_id_creators"), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("ref", sa.String(128), nullable=False),
        sa.Column("amount", sa.Integer, nullable=False),
        _now("at"), _now("created_at"),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.UniqueConstraint("creator_id", "kind", "ref", name="uq_creator_credits_ref"),
    )
    op.create_index("ix_creator_credits_creator_id", "creator_credits", ["creator_id"])
    op.create_table(
        "content",
        sa.Column("content_id", sa.String(64), primary_key=True),
        sa.Column("creator_id", sa.String(64), sa.ForeignKey("creators.creator_id", name="fk_content_creator_id_creators"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        _now("posted_at"),
        sa.Column("body", sa.JSON, nullable=False),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("findings", sa.JSON, nullable=False),
        sa.Column("policy_version", sa.String(32), nullable=False),
        _now("created_at"), _now("updated_at"),
    )
    op.create_index("ix_content_creator_id", "content", ["creator_id"])
    op.create_table(
        "content_segments",
        sa.Column("content_id", sa.String(64), sa.ForeignKey("content.content_id", name="fk_content_segments_content_id_content"), primary_key=True),
        sa.Column("number", sa.Integer, primary_key=True),
        _now("at"),
        sa.Column("transcript", sa.Text, nullable=False),
        sa.Column("images", sa.JSON, nullable=False),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("findings", sa.JSON, nullable=False),
        _now("created_at"),
    )
    op.create_table(
        "content_actions",
        sa.Column("action_id", sa.String(64), primary_key=True),
        sa.Column("content_id", sa.String(64), sa.ForeignKey("content.content_id", name="fk_content_actions_content_id_content"), nullable=False),
        sa.Column("creator_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        _now("at"),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("rule", sa.String(32), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
    )
    op.create_index("ix_content_actions_content_at", "content_actions", ["content_id", "at"])
    op.create_index("ix_content_actions_creator_at", "content_actions", ["creator_id", "at"])
    for table in NEW_APPEND_ONLY:
        forbid_changes(op, table)

    _subject_columns()
    op.add_column("api_keys", sa.Column("creator_id", sa.String(64), nullable=True))
    for name, col in (("creator_id", sa.String(64)), ("content_id", sa.String(64)), ("commission", sa.Numeric(14, 2)), ("commission_currency", sa.String(3))):
        op.add_column("orders", sa.Column(name, col, nullable=True))
    op.create_index("ix_orders_creator_id", "orders", ["creator_id"])
    op.create_index("ix_orders_content_id", "orders", ["content_id"])


def _subject_columns() -> None:
    for table in SUBJECT_TABLES:
        # Plain ADD COLUMNs (no batch copy): the tables keep their append-only triggers on SQLite.
        op.add_column(table, sa.Column("creator_id", sa.String(64), nullable=True))
        op.create_index(f"ix_{table}_creator_id", table, ["creator_id"])
    op.add_column("violations", sa.Column("content_id", sa.String(64), nullable=True))
    op.add_column("violations", sa.Column("joint_of", sa.String(64), nullable=True))
    op.create_index("ix_violations_joint_of", "violations", ["joint_of"])
    if op.get_bind().dialect.name == "sqlite":
        _drop_not_null_on_sqlite(SUBJECT_TABLES, "shop_id VARCHAR(64) NOT NULL", "shop_id VARCHAR(64)")
    else:
        for table in SUBJECT_TABLES:
            op.alter_column(table, "shop_id", existing_type=sa.String(64), nullable=True)


def _drop_not_null_on_sqlite(tables: tuple[str, ...], old: str, new: str) -> None:
    """SQLite's own procedure for dropping a NOT NULL (sqlite.org/lang_altertable.html, "other
    kinds of table schema changes"): the stored rows do not change, so the table's text is edited
    in place. Copying the table instead would drop parents under their children's foreign keys
    and lose the append-only triggers."""
    bind = op.get_bind()
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar_one()
    bind.exec_driver_sql("PRAGMA writable_schema=ON")
    try:
        for table in tables:
            sql = bind.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).scalar_one()
            if old not in sql:
                if new not in sql:
                    raise RuntimeError(f"{table}: expected {old!r} in its definition")
                continue  # already optional (a downgrade keeps it so)
            bind.exec_driver_sql("UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?", (sql.replace(old, new, 1), table))
        bind.exec_driver_sql(f"PRAGMA schema_version={int(version) + 1}")
    finally:
        bind.exec_driver_sql("PRAGMA writable_schema=OFF")


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.drop_index("ix_orders_content_id", "orders")
    op.drop_index("ix_orders_creator_id", "orders")
    drops = [("orders", c) for c in ("commission_currency", "commission", "content_id", "creator_id")] + [("api_keys", "creator_id")]
    op.drop_index("ix_violations_joint_of", "violations")
    for table in SUBJECT_TABLES:
        op.drop_index(f"ix_{table}_creator_id", table)
        drops.append((table, "creator_id"))
    drops += [("violations", "joint_of"), ("violations", "content_id")]
    for table, column in drops:
        if sqlite:  # SQLite's own DROP COLUMN keeps the table, its triggers and its foreign keys
            op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        else:
            op.drop_column(table, column)
    # shop_id stays nullable: the ledger is never rewritten to drop creator rows
    for table in ("content_actions", "content_segments", "content", "creator_credits", "creators"):
        op.drop_table(table)
