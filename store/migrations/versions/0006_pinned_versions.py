"""pinned data versions: what a meeting showed, frozen under a name and a date ("as presented")

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('pinned_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('presented_on', sa.Date(), nullable=False),
    sa.Column('data_version', sa.String(length=100), nullable=False),
    sa.Column('payload', sa.LargeBinary(), nullable=True),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=False), nullable=False),
    sa.Column('unpinned_by', sa.String(length=64), nullable=True),
    sa.Column('unpinned_at', sa.DateTime(timezone=False), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pinned_versions'))
    )


def downgrade() -> None:
    op.drop_table('pinned_versions')
