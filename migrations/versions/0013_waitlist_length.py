"""waiting-list length on each programme

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 17:00:00.000000

programmes.waitlist_length counts the registrations on the programme's waiting list, so a new
registration takes its position in the same UPDATE that finds the programme full, without
reading the list while the programme is locked. Filled with the last position of each
waiting list (positions are 1..n, so it is also their number).
"""
from alembic import op
import sqlalchemy as sa

from miti_training.text_search import schema


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with schema.triggers_set_aside(op.get_bind()), op.batch_alter_table('programmes', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('waitlist_length', sa.Integer(), server_default=sa.text('0'), nullable=False)
        )
        batch_op.create_check_constraint(
            batch_op.f('ck_programmes_waitlist_length_not_negative'), 'waitlist_length >= 0'
        )
    op.execute(
        "UPDATE programmes SET waitlist_length = COALESCE(("
        " SELECT MAX(registrations.waitlist_position) FROM registrations"
        " WHERE registrations.programme_id = programmes.id"
        " AND registrations.status = 'waitlisted'), 0)"
    )


def downgrade():
    with schema.triggers_set_aside(op.get_bind()), op.batch_alter_table('programmes', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('ck_programmes_waitlist_length_not_negative'), type_='check'
        )
        batch_op.drop_column('waitlist_length')
