"""certificates and the member city of each registration

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 20:57:52.624609

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('certificates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('attendance_percent', sa.Integer(), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revocation_reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_certificates_issued_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_certificates_registration_id_registrations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['users.id'], name=op.f('fk_certificates_revoked_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificates')),
    sa.UniqueConstraint('code', name=op.f('uq_certificates_code'))
    )
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificates_issued_by_id'), ['issued_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificates_registration_id'), ['registration_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificates_revoked_by_id'), ['revoked_by_id'], unique=False)

    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('member_city_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_registrations_member_city_id'), ['member_city_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_registrations_member_city_id_member_cities'), 'member_cities', ['member_city_id'], ['id'], ondelete='SET NULL')

    # Existing registrations take their participant's current member city.
    op.execute(
        "UPDATE registrations SET member_city_id = "
        "(SELECT users.member_city_id FROM users WHERE users.id = registrations.user_id)"
    )



def downgrade():
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_registrations_member_city_id_member_cities'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_registrations_member_city_id'))
        batch_op.drop_column('member_city_id')

    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificates_revoked_by_id'))
        batch_op.drop_index(batch_op.f('ix_certificates_registration_id'))
        batch_op.drop_index(batch_op.f('ix_certificates_issued_by_id'))

    op.drop_table('certificates')
