"""seat offers that expire

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 16:00:00.000000

A programme may offer a freed seat to the first on the waiting list for a number of hours
(programmes.offers_expire, offer_hours) instead of confirming them at once; the offered
registration holds the seat until registrations.offer_expires_at.
"""
from alembic import op
import sqlalchemy as sa

from miti_training.text_search import schema


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    with schema.triggers_set_aside(op.get_bind()), op.batch_alter_table('programmes', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('offers_expire', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column('offer_hours', sa.Integer(), server_default=sa.text('48'), nullable=False)
        )
        batch_op.create_check_constraint(
            batch_op.f('ck_programmes_offer_hours_range'), 'offer_hours >= 1 AND offer_hours <= 720'
        )
    with schema.triggers_set_aside(op.get_bind()), op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('offer_expires_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(
            batch_op.f('ix_registrations_status_offer_expires_at'),
            ['status', 'offer_expires_at'],
            unique=False,
        )


def downgrade():
    with schema.triggers_set_aside(op.get_bind()), op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registrations_status_offer_expires_at'))
        batch_op.drop_column('offer_expires_at')
    with schema.triggers_set_aside(op.get_bind()), op.batch_alter_table('programmes', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_programmes_offer_hours_range'), type_='check')
        batch_op.drop_column('offer_hours')
        batch_op.drop_column('offers_expire')
