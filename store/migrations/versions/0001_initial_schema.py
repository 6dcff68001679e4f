"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-21
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('areas',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('ord', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_areas'))
    )
    op.create_table('import_batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('file_name', sa.String(length=300), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('uploaded_by', sa.String(length=100), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('rolled_back_at', sa.DateTime(), nullable=True),
    sa.Column('rolled_back_by', sa.String(length=100), nullable=True),
    sa.Column('is_sample', sa.Boolean(), nullable=False),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.Column('options', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_batches'))
    )
    with op.batch_alter_table('import_batches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_batches_sha256'), ['sha256'], unique=False)

    op.create_table('units',
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('short_name', sa.String(length=200), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('type', sa.String(length=32), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_units'))
    )
    op.create_table('agencies',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('short_name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('unit_code', sa.String(length=16), nullable=False),
    sa.Column('rank_group', sa.String(length=16), nullable=True),
    sa.ForeignKeyConstraint(['unit_code'], ['units.code'], name=op.f('fk_agencies_unit_code_units')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_agencies'))
    )
    with op.batch_alter_table('agencies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agencies_unit_code'), ['unit_code'], unique=False)

    op.create_table('indicators',
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('area_code', sa.String(length=32), nullable=True),
    sa.Column('unit', sa.String(length=32), nullable=False),
    sa.Column('direction', sa.String(length=4), nullable=False),
    sa.Column('is_rate', sa.Boolean(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['area_code'], ['areas.code'], name=op.f('fk_indicators_area_code_areas')),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batches.id'], name=op.f('fk_indicators_batch_id_import_batches')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_indicators'))
    )
    op.create_table('par_scores',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('subject_kind', sa.String(length=16), nullable=False),
    sa.Column('subject_code', sa.String(length=32), nullable=False),
    sa.Column('component', sa.String(length=32), nullable=False),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('max_score', sa.Float(), nullable=True),
    sa.Column('official_rank', sa.Integer(), nullable=True),
    sa.Column('rank_of', sa.Integer(), nullable=True),
    sa.Column('is_current', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batches.id'], name=op.f('fk_par_scores_batch_id_import_batches')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_par_scores'))
    )
    with op.batch_alter_table('par_scores', schema=None) as batch_op:
        batch_op.create_index('ix_par_key', ['year', 'subject_kind', 'subject_code', 'component'], unique=False)
        batch_op.create_index(batch_op.f('ix_par_scores_batch_id'), ['batch_id'], unique=False)

    op.create_table('plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('issuer_unit_code', sa.String(length=16), nullable=False),
    sa.Column('number', sa.String(length=64), nullable=True),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('period_from', sa.Integer(), nullable=False),
    sa.Column('period_to', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batches.id'], name=op.f('fk_plans_batch_id_import_batches')),
    sa.ForeignKeyConstraint(['issuer_unit_code'], ['units.code'], name=op.f('fk_plans_issuer_unit_code_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plans')),
    sa.UniqueConstraint('code', name=op.f('uq_plans_code'))
    )
    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plans_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plans_issuer_unit_code'), ['issuer_unit_code'], unique=False)

    op.create_table('unit_parents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('parent_code', sa.String(length=16), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['code'], ['units.code'], name=op.f('fk_unit_parents_code_units')),
    sa.ForeignKeyConstraint(['parent_code'], ['units.code'], name=op.f('fk_unit_parents_parent_code_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unit_parents'))
    )
    with op.batch_alter_table('unit_parents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_unit_parents_code'), ['code'], unique=False)
        batch_op.create_index(batch_op.f('ix_unit_parents_parent_code'), ['parent_code'], unique=False)

    op.create_table('agency_aliases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('alias', sa.String(length=300), nullable=False),
    sa.Column('agency_code', sa.String(length=32), nullable=False),
    sa.Column('scope_unit_code', sa.String(length=16), nullable=True),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['agency_code'], ['agencies.code'], name=op.f('fk_agency_aliases_agency_code_agencies')),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batches.id'], name=op.f('fk_agency_aliases_batch_id_import_batches')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agency_aliases'))
    )
    with op.batch_alter_table('agency_aliases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agency_aliases_agency_code'), ['agency_code'], unique=False)

    op.create_table('indicator_values',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('indicator_code', sa.String(length=64), nullable=False),
    sa.Column('unit_code', sa.String(length=16), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('quarter', sa.Integer(), nullable=True),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('numerator', sa.Float(), nullable=True),
    sa.Column('denominator', sa.Float(), nullable=True),
    sa.Column('is_current', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batches.id'], name=op.f('fk_indicator_values_batch_id_import_batches')),
    sa.ForeignKeyConstraint(['indicator_code'], ['indicators.code'], name=op.f('fk_indicator_values_indicator_code_indicators')),
    sa.ForeignKeyConstraint(['unit_code'], ['units.code'], name=op.f('fk_indicator_values_unit_code_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_values'))
    )
    with op.batch_alter_table('indicator_values', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_values_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index('ix_values_key', ['indicator_code', 'unit_code', 'year', 'quarter'], unique=False)

    op.create_table('targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('indicator_code', sa.String(length=64), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('scope_unit_code', sa.String(length=16), nullable=True),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('value_high', sa.Float(), nullable=True),
    sa.Column('baseline_year', sa.Integer(), nullable=True),
    sa.Column('step', sa.Float(), nullable=True),
    sa.Column('cap', sa.Float(), nullable=True),
    sa.Column('group_code', sa.String(length=16), nullable=True),
    sa.Column('relative', sa.Boolean(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('source', sa.Text(), nullable=True),
    sa.Column('is_current', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batches.id'], name=op.f('fk_targets_batch_id_import_batches')),
    sa.ForeignKeyConstraint(['indicator_code'], ['indicators.code'], name=op.f('fk_targets_indicator_code_indicators')),
    sa.ForeignKeyConstraint(['scope_unit_code'], ['units.code'], name=op.f('fk_targets_scope_unit_code_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_targets'))
    )
    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_targets_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_targets_indicator_code'), ['indicator_code'], unique=False)

    op.create_table('tasks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('area_code', sa.String(length=32), nullable=True),
    sa.Column('area_text', sa.Text(), nullable=True),
    sa.Column('task_no', sa.String(length=32), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('ord', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['area_code'], ['areas.code'], name=op.f('fk_tasks_area_code_areas')),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_tasks_plan_id_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tasks'))
    )
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tasks_plan_id'), ['plan_id'], unique=False)

    op.create_table('outputs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('ref', sa.String(length=96), nullable=False),
    sa.Column('output_no', sa.String(length=32), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('lead_text', sa.Text(), nullable=True),
    sa.Column('partner_text', sa.Text(), nullable=True),
    sa.Column('deadline_text', sa.Text(), nullable=False),
    sa.Column('deadline_kind', sa.String(length=16), nullable=False),
    sa.Column('sheet', sa.String(length=100), nullable=True),
    sa.Column('row', sa.Integer(), nullable=True),
    sa.Column('ord', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], name=op.f('fk_outputs_task_id_tasks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outputs')),
    sa.UniqueConstraint('ref', name=op.f('uq_outputs_ref'))
    )
    with op.batch_alter_table('outputs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outputs_task_id'), ['task_id'], unique=False)

    op.create_table('assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('output_id', sa.Integer(), nullable=False),
    sa.Column('agency_code', sa.String(length=32), nullable=False),
    sa.Column('role', sa.String(length=8), nullable=False),
    sa.Column('via_group', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['agency_code'], ['agencies.code'], name=op.f('fk_assignments_agency_code_agencies')),
    sa.ForeignKeyConstraint(['output_id'], ['outputs.id'], name=op.f('fk_assignments_output_id_outputs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignments')),
    sa.UniqueConstraint('output_id', 'agency_code', 'role', name='uq_assignment')
    )
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignments_agency_code'), ['agency_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignments_output_id'), ['output_id'], unique=False)

    op.create_table('output_due_dates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('output_id', sa.Integer(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['output_id'], ['outputs.id'], name=op.f('fk_output_due_dates_output_id_outputs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_output_due_dates'))
    )
    with op.batch_alter_table('output_due_dates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_output_due_dates_output_id'), ['output_id'], unique=False)

    op.create_table('output_groups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('output_id', sa.Integer(), nullable=False),
    sa.Column('group_key', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=8), nullable=False),
    sa.Column('members', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['output_id'], ['outputs.id'], name=op.f('fk_output_groups_output_id_outputs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_output_groups'))
    )
    with op.batch_alter_table('output_groups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_output_groups_output_id'), ['output_id'], unique=False)

    op.create_table('progress_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('quarter', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('percent', sa.Float(), nullable=True),
    sa.Column('evidence', sa.Text(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('sheet', sa.String(length=100), nullable=True),
    sa.Column('row', sa.Integer(), nullable=True),
    sa.Column('is_current', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignments.id'], name=op.f('fk_progress_reports_assignment_id_assignments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batches.id'], name=op.f('fk_progress_reports_batch_id_import_batches')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_progress_reports'))
    )
    with op.batch_alter_table('progress_reports', schema=None) as batch_op:
        batch_op.create_index('ix_progress_current', ['is_current', 'year', 'quarter'], unique=False)
        batch_op.create_index('ix_progress_key', ['assignment_id', 'year', 'quarter'], unique=False)
        batch_op.create_index(batch_op.f('ix_progress_reports_batch_id'), ['batch_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('progress_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_progress_reports_batch_id'))
        batch_op.drop_index('ix_progress_key')
        batch_op.drop_index('ix_progress_current')

    op.drop_table('progress_reports')
    with op.batch_alter_table('output_groups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_output_groups_output_id'))

    op.drop_table('output_groups')
    with op.batch_alter_table('output_due_dates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_output_due_dates_output_id'))

    op.drop_table('output_due_dates')
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignments_output_id'))
        batch_op.drop_index(batch_op.f('ix_assignments_agency_code'))

    op.drop_table('assignments')
    with op.batch_alter_table('outputs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outputs_task_id'))

    op.drop_table('outputs')
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tasks_plan_id'))

    op.drop_table('tasks')
    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_targets_indicator_code'))
        batch_op.drop_index(batch_op.f('ix_targets_batch_id'))

    op.drop_table('targets')
    with op.batch_alter_table('indicator_values', schema=None) as batch_op:
        batch_op.drop_index('ix_values_key')
        batch_op.drop_index(batch_op.f('ix_indicator_values_batch_id'))

    op.drop_table('indicator_values')
    with op.batch_alter_table('agency_aliases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agency_aliases_agency_code'))

    op.drop_table('agency_aliases')
    with op.batch_alter_table('unit_parents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_unit_parents_parent_code'))
        batch_op.drop_index(batch_op.f('ix_unit_parents_code'))

    op.drop_table('unit_parents')
    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plans_issuer_unit_code'))
        batch_op.drop_index(batch_op.f('ix_plans_batch_id'))

    op.drop_table('plans')
    with op.batch_alter_table('par_scores', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_par_scores_batch_id'))
        batch_op.drop_index('ix_par_key')

    op.drop_table('par_scores')
    op.drop_table('indicators')
    with op.batch_alter_table('agencies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agencies_unit_code'))

    op.drop_table('agencies')
    op.drop_table('units')
    with op.batch_alter_table('import_batches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_batches_sha256'))

    op.drop_table('import_batches')
    op.drop_table('areas')

