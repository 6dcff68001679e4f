"""learned aliases: what an uploader taught the readers (agency and unit spellings, status words, layout mappings)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('learned_aliases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('text', sa.String(length=300), nullable=False),
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('target', sa.String(length=64), nullable=False),
    sa.Column('sheet_kind', sa.String(length=32), nullable=True),
    sa.Column('scope_unit_code', sa.String(length=16), nullable=True),
    sa.Column('removed_batch_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batches.id'], name=op.f('fk_learned_aliases_batch_id_import_batches')),
    sa.ForeignKeyConstraint(['removed_batch_id'], ['import_batches.id'],
                            name=op.f('fk_learned_aliases_removed_batch_id_import_batches')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_learned_aliases'))
    )
    with op.batch_alter_table('learned_aliases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_learned_aliases_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_learned_aliases_key'), ['key'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('learned_aliases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_learned_aliases_key'))
        batch_op.drop_index(batch_op.f('ix_learned_aliases_batch_id'))
    op.drop_table('learned_aliases')
