"""read models kept in the database: the value series with its roll-ups, maintained per batch

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('read_models',
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('data_version', sa.String(length=100), nullable=False),
    sa.Column('mode', sa.String(length=16), nullable=False),
    sa.Column('row_count', sa.Integer(), nullable=False),
    sa.Column('seconds', sa.Float(), nullable=False),
    sa.Column('built_at', sa.DateTime(timezone=False), nullable=False),
    sa.Column('first_quarter', sa.Integer(), nullable=True),
    sa.Column('last_quarter', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_read_models'))
    )
    op.create_table('rm_series',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_code', sa.String(length=64), nullable=False),
    sa.Column('unit_code', sa.String(length=16), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('quarter', sa.Integer(), nullable=True),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('numerator', sa.Float(), nullable=True),
    sa.Column('denominator', sa.Float(), nullable=True),
    sa.Column('t', sa.Float(), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('coverage', sa.Float(), nullable=True),
    sa.Column('cluster', sa.String(length=16), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rm_series'))
    )
    op.create_index('ix_rm_series_cluster', 'rm_series', ['cluster'], unique=False)
    op.create_index('ix_rm_series_unit', 'rm_series', ['unit_code', 'indicator_code', 't'], unique=False)
    op.create_index('ix_rm_series_period', 'rm_series', ['indicator_code', 'year', 'quarter'], unique=False)
    op.create_table('rm_task_status',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('quarter', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('output_id', sa.Integer(), nullable=False),
    sa.Column('agency_code', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('percent', sa.Float(), nullable=True),
    sa.Column('evidence', sa.Text(), nullable=True),
    sa.Column('reported', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rm_task_status'))
    )
    op.create_index('ix_rm_task_status_quarter', 'rm_task_status', ['year', 'quarter'], unique=False)
    op.create_index('ix_rm_task_status_assignment', 'rm_task_status', ['assignment_id'], unique=False)
    op.create_table('rm_rank',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('parent', sa.String(length=16), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('subject_code', sa.String(length=64), nullable=False),
    sa.Column('parent_code', sa.String(length=16), nullable=True),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('max_score', sa.Float(), nullable=True),
    sa.Column('pct', sa.Float(), nullable=True),
    sa.Column('rank', sa.Integer(), nullable=True),
    sa.Column('n', sa.Integer(), nullable=True),
    sa.Column('group_code', sa.String(length=16), nullable=True),
    sa.Column('prev_rank', sa.Integer(), nullable=True),
    sa.Column('prev_score', sa.Float(), nullable=True),
    sa.Column('rank_change', sa.Integer(), nullable=True),
    sa.Column('score_change', sa.Float(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rm_rank'))
    )
    op.create_index('ix_rm_rank_table', 'rm_rank', ['year', 'kind', 'parent'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_rm_rank_table', table_name='rm_rank')
    op.drop_table('rm_rank')
    op.drop_index('ix_rm_task_status_assignment', table_name='rm_task_status')
    op.drop_index('ix_rm_task_status_quarter', table_name='rm_task_status')
    op.drop_table('rm_task_status')
    op.drop_index('ix_rm_series_cluster', table_name='rm_series')
    op.drop_index('ix_rm_series_period', table_name='rm_series')
    op.drop_index('ix_rm_series_unit', table_name='rm_series')
    op.drop_table('rm_series')
    op.drop_table('read_models')
