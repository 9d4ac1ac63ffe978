"""scanning: listings, messages, cases, rectification, brands, declarations

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

from shopwarden.store.append_only import forbid_changes
from shopwarden.store.base import UtcDateTime

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

# Scans, cases, decisions and task history are records: appended, never rewritten.
APPEND_ONLY = ("product_versions", "messages", "cases", "case_decisions", "rectification_tasks", "rectification_events", "brand_qualifications", "brand_qualification_reviews")


def upgrade() -> None:
    op.create_table('brands',
    sa.Column('brand_id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('aliases', sa.JSON(), nullable=False),
    sa.Column('restricted', sa.Boolean(), nullable=False),
    sa.Column('registered', sa.Boolean(), nullable=False),
    sa.Column('owner', sa.String(length=200), nullable=True),
    sa.Column('categories', sa.JSON(), nullable=False),
    sa.Column('updated_at', UtcDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('brand_id', name=op.f('pk_brands'))
    )
    op.create_table('cases',
    sa.Column('case_id', sa.String(length=64), nullable=False),
    sa.Column('shop_id', sa.String(length=64), nullable=False),
    sa.Column('subject_kind', sa.String(length=16), nullable=False),
    sa.Column('subject_id', sa.String(length=64), nullable=False),
    sa.Column('subject_version', sa.Integer(), nullable=True),
    sa.Column('rule', sa.String(length=32), nullable=False),
    sa.Column('detector', sa.String(length=64), nullable=False),
    sa.Column('severity', sa.String(length=32), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('finding', sa.JSON(), nullable=False),
    sa.Column('decision', sa.String(length=10), nullable=False),
    sa.Column('opened_at', UtcDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('case_id', name=op.f('pk_cases'))
    )
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cases_rule'), ['rule'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_shop_id'), ['shop_id'], unique=False)

    op.create_table('contact_declarations',
    sa.Column('declaration_id', sa.String(length=64), nullable=False),
    sa.Column('shop_id', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('value', sa.String(length=200), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('filed_at', UtcDateTime(), nullable=False),
    sa.Column('filed_by', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('declaration_id', name=op.f('pk_contact_declarations'))
    )
    with op.batch_alter_table('contact_declarations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contact_declarations_shop_id'), ['shop_id'], unique=False)

    op.create_table('messages',
    sa.Column('message_id', sa.String(length=64), nullable=False),
    sa.Column('shop_id', sa.String(length=64), nullable=False),
    sa.Column('sender', sa.String(length=16), nullable=False),
    sa.Column('conversation_id', sa.String(length=64), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('decision', sa.String(length=10), nullable=False),
    sa.Column('findings', sa.JSON(), nullable=False),
    sa.Column('sent_at', UtcDateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('message_id', name=op.f('pk_messages'))
    )
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_messages_shop_id'), ['shop_id'], unique=False)

    op.create_table('product_versions',
    sa.Column('product_id', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('shop_id', sa.String(length=64), nullable=False),
    sa.Column('listing', sa.JSON(), nullable=False),
    sa.Column('decision', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('findings', sa.JSON(), nullable=False),
    sa.Column('policy_version', sa.String(length=32), nullable=False),
    sa.Column('submitted_at', UtcDateTime(), nullable=False),
    sa.Column('submitted_by', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('product_id', 'version', name=op.f('pk_product_versions'))
    )
    op.create_table('rectification_tasks',
    sa.Column('task_id', sa.String(length=64), nullable=False),
    sa.Column('shop_id', sa.String(length=64), nullable=False),
    sa.Column('product_id', sa.String(length=64), nullable=False),
    sa.Column('product_version', sa.Integer(), nullable=False),
    sa.Column('rule', sa.String(length=32), nullable=False),
    sa.Column('findings', sa.JSON(), nullable=False),
    sa.Column('opened_at', UtcDateTime(), nullable=False),
    sa.Column('deadline', UtcDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('task_id', name=op.f('pk_rectification_tasks'))
    )
    with op.batch_alter_table('rectification_tasks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rectification_tasks_product_id'), ['product_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rectification_tasks_shop_id'), ['shop_id'], unique=False)

    op.create_table('brand_qualifications',
    sa.Column('qualification_id', sa.String(length=64), nullable=False),
    sa.Column('shop_id', sa.String(length=64), nullable=False),
    sa.Column('brand_id', sa.String(length=64), nullable=False),
    sa.Column('trademark_no', sa.String(length=64), nullable=False),
    sa.Column('mark', sa.String(length=2), nullable=False),
    sa.Column('categories', sa.JSON(), nullable=False),
    sa.Column('valid_from', UtcDateTime(), nullable=False),
    sa.Column('valid_to', UtcDateTime(), nullable=True),
    sa.Column('filed_at', UtcDateTime(), nullable=False),
    sa.Column('filed_by', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['brand_id'], ['brands.brand_id'], name=op.f('fk_brand_qualifications_brand_id_brands')),
    sa.PrimaryKeyConstraint('qualification_id', name=op.f('pk_brand_qualifications'))
    )
    with op.batch_alter_table('brand_qualifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_brand_qualifications_shop_id'), ['shop_id'], unique=False)

    op.create_table('case_decisions',
    sa.Column('case_id', sa.String(length=64), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('violation_id', sa.String(length=64), nullable=True),
    sa.Column('decided_at', UtcDateTime(), nullable=False),
    sa.Column('decided_by', sa.String(length=128), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.case_id'], name=op.f('fk_case_decisions_case_id_cases')),
    sa.PrimaryKeyConstraint('case_id', name=op.f('pk_case_decisions'))
    )
    op.create_table('products',
    sa.Column('product_id', sa.String(length=64), nullable=False),
    sa.Column('shop_id', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('updated_at', UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['shop_id'], ['shops.shop_id'], name=op.f('fk_products_shop_id_shops')),
    sa.PrimaryKeyConstraint('product_id', name=op.f('pk_products'))
    )
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_products_shop_id'), ['shop_id'], unique=False)

    op.create_table('rectification_events',
    sa.Column('event_id', sa.String(length=64), nullable=False),
    sa.Column('task_id', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('product_version', sa.Integer(), nullable=True),
    sa.Column('violation_id', sa.String(length=64), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('at', UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['task_id'], ['rectification_tasks.task_id'], name=op.f('fk_rectification_events_task_id_rectification_tasks')),
    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_rectification_events'))
    )
    with op.batch_alter_table('rectification_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rectification_events_task_id'), ['task_id'], unique=False)

    op.create_table('brand_qualification_reviews',
    sa.Column('review_id', sa.String(length=64), nullable=False),
    sa.Column('qualification_id', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('decided_at', UtcDateTime(), nullable=False),
    sa.Column('decided_by', sa.String(length=128), nullable=False),
    sa.ForeignKeyConstraint(['qualification_id'], ['brand_qualifications.qualification_id'], name=op.f('fk_brand_qualification_reviews_qualification_id_brand_qualifications')),
    sa.PrimaryKeyConstraint('review_id', name=op.f('pk_brand_qualification_reviews'))
    )
    with op.batch_alter_table('brand_qualification_reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_brand_qualification_reviews_qualification_id'), ['qualification_id'], unique=False)


    for table in APPEND_ONLY:
        forbid_changes(op, table)


def downgrade() -> None:
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table('brand_qualification_reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_brand_qualification_reviews_qualification_id'))

    op.drop_table('brand_qualification_reviews')
    with op.batch_alter_table('rectification_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rectification_events_task_id'))

    op.drop_table('rectification_events')
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_products_shop_id'))

    op.drop_table('products')
    op.drop_table('case_decisions')
    with op.batch_alter_table('brand_qualifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_brand_qualifications_shop_id'))

    op.drop_table('brand_qualifications')
    with op.batch_alter_table('rectification_tasks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rectification_tasks_shop_id'))
        batch_op.drop_index(batch_op.f('ix_rectification_tasks_product_id'))

    op.drop_table('rectification_tasks')
    op.drop_table('product_versions')
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_messages_shop_id'))

    op.drop_table('messages')
    with op.batch_alter_table('contact_declarations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contact_declarations_shop_id'))

    op.drop_table('contact_declarations')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cases_shop_id'))
        batch_op.drop_index(batch_op.f('ix_cases_rule'))

    op.drop_table('cases')
    op.drop_table('brands')
    # ### end Alembic commands ###
