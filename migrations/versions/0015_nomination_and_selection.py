"""nomination by member cities and scored selection

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 15:30:54.110394

Focal points of member cities, each city's allocation of nominations per programme (a counter
with a CHECK, like seats), caps per world region, nominations, the rubric and reviewers' score
sheets, prerequisites between programmes; on programmes the nomination window, the default
allocation and the cap of selected officials per city.
"""
from alembic import op
import sqlalchemy as sa

from miti_training.text_search import schema


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('focal_points',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('member_city_id', sa.Integer(), nullable=False),
    sa.Column('granted_by_id', sa.Integer(), nullable=True),
    sa.Column('granted_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['granted_by_id'], ['users.id'], name=op.f('fk_focal_points_granted_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['member_city_id'], ['member_cities.id'], name=op.f('fk_focal_points_member_city_id_member_cities'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_focal_points_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_focal_points')),
    sa.UniqueConstraint('user_id', name=op.f('uq_focal_points_user_id'))
    )
    with op.batch_alter_table('focal_points', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_focal_points_granted_by_id'), ['granted_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_focal_points_member_city_id'), ['member_city_id'], unique=False)

    op.create_table('city_allocations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('member_city_id', sa.Integer(), nullable=False),
    sa.Column('places', sa.Integer(), nullable=False),
    sa.Column('taken', sa.Integer(), nullable=False),
    sa.Column('is_override', sa.Boolean(), nullable=False),
    sa.CheckConstraint('places >= 0', name=op.f('ck_city_allocations_places_not_negative')),
    sa.CheckConstraint('taken <= places', name=op.f('ck_city_allocations_taken_within_places')),
    sa.CheckConstraint('taken >= 0', name=op.f('ck_city_allocations_taken_not_negative')),
    sa.ForeignKeyConstraint(['member_city_id'], ['member_cities.id'], name=op.f('fk_city_allocations_member_city_id_member_cities'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_city_allocations_programme_id_programmes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_city_allocations')),
    sa.UniqueConstraint('programme_id', 'member_city_id', name=op.f('uq_city_allocations_programme_id_member_city_id'))
    )
    with op.batch_alter_table('city_allocations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_city_allocations_member_city_id'), ['member_city_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_city_allocations_programme_id'), ['programme_id'], unique=False)

    op.create_table('programme_prerequisites',
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('required_programme_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('programme_id <> required_programme_id', name=op.f('ck_programme_prerequisites_not_itself')),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_programme_prerequisites_programme_id_programmes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['required_programme_id'], ['programmes.id'], name=op.f('fk_programme_prerequisites_required_programme_id_programmes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('programme_id', 'required_programme_id', name=op.f('pk_programme_prerequisites'))
    )
    with op.batch_alter_table('programme_prerequisites', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_prerequisites_required_programme_id'), ['required_programme_id'], unique=False)

    op.create_table('region_caps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('world_region', sa.Enum('africa', 'asia_pacific', 'europe', 'latin_america', 'middle_east', 'north_america', name='worldregion', native_enum=False, length=20), nullable=False),
    sa.Column('places', sa.Integer(), nullable=False),
    sa.CheckConstraint('places >= 0', name=op.f('ck_region_caps_places_not_negative')),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_region_caps_programme_id_programmes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_region_caps')),
    sa.UniqueConstraint('programme_id', 'world_region', name=op.f('uq_region_caps_programme_id_world_region'))
    )
    with op.batch_alter_table('region_caps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_region_caps_programme_id'), ['programme_id'], unique=False)

    op.create_table('rubric_criteria',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.String(length=500), nullable=False),
    sa.Column('weight', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.CheckConstraint('weight >= 1 AND weight <= 100', name=op.f('ck_rubric_criteria_weight_in_range')),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_rubric_criteria_programme_id_programmes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rubric_criteria'))
    )
    with op.batch_alter_table('rubric_criteria', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rubric_criteria_programme_id'), ['programme_id'], unique=False)

    op.create_table('nominations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('member_city_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('status', sa.Enum('nominated', 'applied', 'withdrawn', name='nominationstatus', native_enum=False, length=20), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('registration_id', sa.Integer(), nullable=True),
    sa.Column('nominated_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['member_city_id'], ['member_cities.id'], name=op.f('fk_nominations_member_city_id_member_cities'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['nominated_by_id'], ['users.id'], name=op.f('fk_nominations_nominated_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_nominations_programme_id_programmes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_nominations_registration_id_registrations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_nominations_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['withdrawn_by_id'], ['users.id'], name=op.f('fk_nominations_withdrawn_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_nominations')),
    sa.UniqueConstraint('programme_id', 'email', name=op.f('uq_nominations_programme_id_email')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_nominations_token_hash'))
    )
    with op.batch_alter_table('nominations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_nominations_member_city_id'), ['member_city_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_nominations_nominated_by_id'), ['nominated_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_nominations_programme_id'), ['programme_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_nominations_registration_id'), ['registration_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_nominations_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_nominations_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_nominations_withdrawn_by_id'), ['withdrawn_by_id'], unique=False)

    op.create_table('score_sheets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_score_sheets_registration_id_registrations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewer_id'], ['users.id'], name=op.f('fk_score_sheets_reviewer_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_score_sheets')),
    sa.UniqueConstraint('registration_id', 'reviewer_id', name=op.f('uq_score_sheets_registration_id_reviewer_id'))
    )
    with op.batch_alter_table('score_sheets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_score_sheets_registration_id'), ['registration_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_score_sheets_reviewer_id'), ['reviewer_id'], unique=False)

    op.create_table('scores',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sheet_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.CheckConstraint('value >= 1 AND value <= 5', name=op.f('ck_scores_value_one_to_five')),
    sa.ForeignKeyConstraint(['criterion_id'], ['rubric_criteria.id'], name=op.f('fk_scores_criterion_id_rubric_criteria'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sheet_id'], ['score_sheets.id'], name=op.f('fk_scores_sheet_id_score_sheets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scores')),
    sa.UniqueConstraint('sheet_id', 'criterion_id', name=op.f('uq_scores_sheet_id_criterion_id'))
    )
    with op.batch_alter_table('scores', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scores_criterion_id'), ['criterion_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_scores_sheet_id'), ['sheet_id'], unique=False)

    with schema.triggers_set_aside(op.get_bind()), op.batch_alter_table('programmes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('nomination_opens_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('nomination_closes_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('default_allocation', sa.Integer(), server_default=sa.text('2'), nullable=False))
        batch_op.add_column(sa.Column('city_selection_cap', sa.Integer(), nullable=True))
        batch_op.create_check_constraint(
            batch_op.f('ck_programmes_default_allocation_not_negative'), 'default_allocation >= 0'
        )
        batch_op.create_check_constraint(
            batch_op.f('ck_programmes_city_selection_cap_positive'),
            'city_selection_cap IS NULL OR city_selection_cap >= 1',
        )



def downgrade():
    with schema.triggers_set_aside(op.get_bind()), op.batch_alter_table('programmes', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_programmes_city_selection_cap_positive'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_programmes_default_allocation_not_negative'), type_='check')
        batch_op.drop_column('city_selection_cap')
        batch_op.drop_column('default_allocation')
        batch_op.drop_column('nomination_closes_at')
        batch_op.drop_column('nomination_opens_at')

    with op.batch_alter_table('scores', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scores_sheet_id'))
        batch_op.drop_index(batch_op.f('ix_scores_criterion_id'))

    op.drop_table('scores')
    with op.batch_alter_table('score_sheets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_score_sheets_reviewer_id'))
        batch_op.drop_index(batch_op.f('ix_score_sheets_registration_id'))

    op.drop_table('score_sheets')
    with op.batch_alter_table('nominations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_nominations_withdrawn_by_id'))
        batch_op.drop_index(batch_op.f('ix_nominations_user_id'))
        batch_op.drop_index(batch_op.f('ix_nominations_status'))
        batch_op.drop_index(batch_op.f('ix_nominations_registration_id'))
        batch_op.drop_index(batch_op.f('ix_nominations_programme_id'))
        batch_op.drop_index(batch_op.f('ix_nominations_nominated_by_id'))
        batch_op.drop_index(batch_op.f('ix_nominations_member_city_id'))

    op.drop_table('nominations')
    with op.batch_alter_table('rubric_criteria', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rubric_criteria_programme_id'))

    op.drop_table('rubric_criteria')
    with op.batch_alter_table('region_caps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_region_caps_programme_id'))

    op.drop_table('region_caps')
    with op.batch_alter_table('programme_prerequisites', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_prerequisites_required_programme_id'))

    op.drop_table('programme_prerequisites')
    with op.batch_alter_table('city_allocations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_city_allocations_programme_id'))
        batch_op.drop_index(batch_op.f('ix_city_allocations_member_city_id'))

    op.drop_table('city_allocations')
    with op.batch_alter_table('focal_points', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_focal_points_member_city_id'))
        batch_op.drop_index(batch_op.f('ix_focal_points_granted_by_id'))

    op.drop_table('focal_points')
