"""read model of the target assessments: every current target judged at the end of every quarter

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('rm_target',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('quarter', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('observed', sa.Float(), nullable=True),
    sa.Column('observed_at', sa.Float(), nullable=True),
    sa.Column('required_now', sa.Float(), nullable=True),
    sa.Column('target_value', sa.Float(), nullable=True),
    sa.Column('projected', sa.Float(), nullable=True),
    sa.Column('ratio', sa.Float(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('base_value', sa.Float(), nullable=True),
    sa.Column('base_at', sa.Float(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rm_target'))
    )
    op.create_index('ix_rm_target_quarter', 'rm_target', ['year', 'quarter'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_rm_target_quarter', table_name='rm_target')
    op.drop_table('rm_target')
