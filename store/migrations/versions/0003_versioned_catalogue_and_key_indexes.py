"""versioned indicator catalogue; supersede keys that an index can serve

- indicator_versions: the name, area, unit, direction and rate flag of an indicator, one row per
  batch that changed them (is_current marks the one in force). indicators keeps only the code (the
  identity targets and values refer to) and the batch that created it. Existing rows become each
  indicator's first version (batch_id of the indicator, NULL when none).
- ix_values_key and ix_targets_key compare the nullable key column through COALESCE (quarter 0,
  scope ''), the exact expression the importer's supersede and rollback joins use, so PostgreSQL
  and SQLite can look the old rows up by index (IS NOT DISTINCT FROM cannot use an index).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

QUARTER_KEY = sa.text("coalesce(quarter, 0)")
SCOPE_KEY = sa.text("coalesce(scope_unit_code, '')")


def upgrade() -> None:
    op.create_table('indicator_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_code', sa.String(length=64), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('area_code', sa.String(length=32), nullable=True),
    sa.Column('unit', sa.String(length=32), nullable=False),
    sa.Column('direction', sa.String(length=4), nullable=False),
    sa.Column('is_rate', sa.Boolean(), nullable=False),
    sa.Column('is_current', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['area_code'], ['areas.code'], name=op.f('fk_indicator_versions_area_code_areas')),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batches.id'], name=op.f('fk_indicator_versions_batch_id_import_batches')),
    sa.ForeignKeyConstraint(['indicator_code'], ['indicators.code'], name=op.f('fk_indicator_versions_indicator_code_indicators')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_versions'))
    )
    with op.batch_alter_table('indicator_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_versions_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_indicator_versions_indicator_code'), ['indicator_code'], unique=False)
    op.execute("INSERT INTO indicator_versions (indicator_code, batch_id, name, area_code, unit, direction, is_rate, is_current) "
               "SELECT code, batch_id, name, area_code, unit, direction, is_rate, true FROM indicators")
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.drop_constraint('fk_indicators_area_code_areas', type_='foreignkey')
        batch_op.drop_column('name')
        batch_op.drop_column('area_code')
        batch_op.drop_column('unit')
        batch_op.drop_column('direction')
        batch_op.drop_column('is_rate')

    with op.batch_alter_table('indicator_values', schema=None) as batch_op:
        batch_op.drop_index('ix_values_key')
    op.create_index('ix_values_key', 'indicator_values', ['indicator_code', 'unit_code', 'year', QUARTER_KEY], unique=False)
    op.create_index('ix_targets_key', 'targets', ['indicator_code', 'level', SCOPE_KEY, 'year'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_targets_key', table_name='targets')
    op.drop_index('ix_values_key', table_name='indicator_values')
    with op.batch_alter_table('indicator_values', schema=None) as batch_op:
        batch_op.create_index('ix_values_key', ['indicator_code', 'unit_code', 'year', 'quarter'], unique=False)

    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('area_code', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('unit', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('direction', sa.String(length=4), nullable=True))
        batch_op.add_column(sa.Column('is_rate', sa.Boolean(), nullable=True))
    for column in ('name', 'area_code', 'unit', 'direction', 'is_rate'):
        op.execute(f"UPDATE indicators SET {column} = (SELECT v.{column} FROM indicator_versions v "
                   "WHERE v.indicator_code = indicators.code AND v.is_current)")
    op.execute("UPDATE indicators SET name = code WHERE name IS NULL")  # an indicator without a current version
    op.execute("UPDATE indicators SET unit = '' WHERE unit IS NULL")
    op.execute("UPDATE indicators SET direction = 'up' WHERE direction IS NULL")
    op.execute("UPDATE indicators SET is_rate = false WHERE is_rate IS NULL")
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.alter_column('name', existing_type=sa.Text(), nullable=False)
        batch_op.alter_column('unit', existing_type=sa.String(length=32), nullable=False)
        batch_op.alter_column('direction', existing_type=sa.String(length=4), nullable=False)
        batch_op.alter_column('is_rate', existing_type=sa.Boolean(), nullable=False)
        batch_op.create_foreign_key('fk_indicators_area_code_areas', 'areas', ['area_code'], ['code'])

    with op.batch_alter_table('indicator_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_versions_indicator_code'))
        batch_op.drop_index(batch_op.f('ix_indicator_versions_batch_id'))
    op.drop_table('indicator_versions')
