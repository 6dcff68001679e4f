"""the map over time: unit and agency validity, successor links, reference metadata

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.add_column(sa.Column('official_code', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('province_code', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('area_km2', sa.Float(), nullable=True))
        batch_op.create_index(batch_op.f('ix_units_official_code'), ['official_code'], unique=False)
    # every unit loaded before this revision is an old unit: its key is its official code
    op.execute(sa.text("UPDATE units SET official_code = code WHERE official_code IS NULL"))

    with op.batch_alter_table('agencies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('valid_from', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('valid_to', sa.Date(), nullable=True))

    op.create_table('unit_successors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('successor_code', sa.String(length=16), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('share', sa.Float(), nullable=False),
    sa.Column('basis', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['code'], ['units.code'], name=op.f('fk_unit_successors_code_units')),
    sa.ForeignKeyConstraint(['successor_code'], ['units.code'], name=op.f('fk_unit_successors_successor_code_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unit_successors'))
    )
    with op.batch_alter_table('unit_successors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_unit_successors_code'), ['code'], unique=False)
        batch_op.create_index(batch_op.f('ix_unit_successors_successor_code'), ['successor_code'], unique=False)

    op.create_table('agency_successors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('successor_code', sa.String(length=32), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('share', sa.Float(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['code'], ['agencies.code'], name=op.f('fk_agency_successors_code_agencies')),
    sa.ForeignKeyConstraint(['successor_code'], ['agencies.code'], name=op.f('fk_agency_successors_successor_code_agencies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agency_successors'))
    )
    with op.batch_alter_table('agency_successors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agency_successors_code'), ['code'], unique=False)
        batch_op.create_index(batch_op.f('ix_agency_successors_successor_code'), ['successor_code'], unique=False)

    op.create_table('reference_meta',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_reference_meta'))
    )


def downgrade() -> None:
    op.drop_table('reference_meta')
    with op.batch_alter_table('agency_successors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agency_successors_successor_code'))
        batch_op.drop_index(batch_op.f('ix_agency_successors_code'))
    op.drop_table('agency_successors')
    with op.batch_alter_table('unit_successors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_unit_successors_successor_code'))
        batch_op.drop_index(batch_op.f('ix_unit_successors_code'))
    op.drop_table('unit_successors')
    # plain ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35, PostgreSQL): a batch copy of units or agencies would have
    # to drop a table that plans and assignments refer to, which SQLite refuses with foreign keys on
    op.execute(sa.text("ALTER TABLE agencies DROP COLUMN valid_to"))
    op.execute(sa.text("ALTER TABLE agencies DROP COLUMN valid_from"))
    op.drop_index(op.f('ix_units_official_code'), table_name='units')
    op.execute(sa.text("ALTER TABLE units DROP COLUMN area_km2"))
    op.execute(sa.text("ALTER TABLE units DROP COLUMN province_code"))
    op.execute(sa.text("ALTER TABLE units DROP COLUMN official_code"))
