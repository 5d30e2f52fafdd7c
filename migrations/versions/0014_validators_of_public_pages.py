"""validators of public pages: centres.updated_at, indexes on programmes' moments

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 16:45:00.000000

Public pages answer conditional requests from the newest updated_at of the programmes and
centres they show and from the registration moments that have passed. Centres get
updated_at (existing rows: their created_at); programmes' updated_at, registration_opens_at
and registration_closes_at get an index each, so the latest and the next moment are index
look-ups, whatever the number of programmes.
"""
from alembic import op
import sqlalchemy as sa

from miti_training.text_search import schema


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

INDEXED = ('updated_at', 'registration_opens_at', 'registration_closes_at')


def upgrade():
    with schema.triggers_set_aside(op.get_bind()), op.batch_alter_table('centres', schema=None) as batch_op:
        batch_op.add_column(sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True))
    op.execute('UPDATE centres SET updated_at = created_at')
    with schema.triggers_set_aside(op.get_bind()), op.batch_alter_table('centres', schema=None) as batch_op:
        batch_op.alter_column(
            'updated_at', existing_type=sa.DateTime(timezone=True), nullable=False
        )
    for column in INDEXED:
        op.create_index(f'ix_programmes_{column}', 'programmes', [column], unique=False)


def downgrade():
    for column in INDEXED:
        op.drop_index(f'ix_programmes_{column}', table_name='programmes')
    with schema.triggers_set_aside(op.get_bind()), op.batch_alter_table('centres', schema=None) as batch_op:
        batch_op.drop_column('updated_at')
