"""translations of every text staff write: sessions, questions, centres, member cities, venue

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 14:20:00.000000

Programme translations get the venue; sessions (title), custom questions (label, help text,
choices), centres (name and a new description) and member cities (name) get translation rows
of the same shape: one per object and language, deleted with their object.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def _translation_table(name, owner_column, owner_table, *columns):
    op.create_table(
        name,
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column(owner_column, sa.Integer(), nullable=False),
        sa.Column('language', sa.String(length=8), nullable=False),
        *columns,
        sa.ForeignKeyConstraint(
            [owner_column], [f'{owner_table}.id'], name=f'fk_{name}_{owner_column}_{owner_table}',
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=f'pk_{name}'),
        sa.UniqueConstraint(owner_column, 'language', name=f'uq_{name}_{owner_column}_language'),
    )
    op.create_index(f'ix_{name}_{owner_column}', name, [owner_column], unique=False)


def upgrade():
    with op.batch_alter_table('programme_translations', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('venue', sa.String(length=300), nullable=False, server_default='')
        )
    with op.batch_alter_table('centres', schema=None) as batch_op:
        batch_op.add_column(sa.Column('description', sa.Text(), nullable=False, server_default=''))

    _translation_table(
        'session_translations', 'session_id', 'programme_sessions',
        sa.Column('title', sa.String(length=200), nullable=False),
    )
    _translation_table(
        'question_translations', 'question_id', 'programme_questions',
        sa.Column('label', sa.String(length=300), nullable=False),
        sa.Column('help_text', sa.String(length=500), nullable=False),
        sa.Column('choices', sa.JSON(), nullable=False),
    )
    _translation_table(
        'centre_translations', 'centre_id', 'centres',
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
    )
    _translation_table(
        'member_city_translations', 'member_city_id', 'member_cities',
        sa.Column('name', sa.String(length=200), nullable=False),
    )


def downgrade():
    for name, owner_column in (
        ('member_city_translations', 'member_city_id'),
        ('centre_translations', 'centre_id'),
        ('question_translations', 'question_id'),
        ('session_translations', 'session_id'),
    ):
        op.drop_index(f'ix_{name}_{owner_column}', table_name=name)
        op.drop_table(name)
    with op.batch_alter_table('centres', schema=None) as batch_op:
        batch_op.drop_column('description')
    with op.batch_alter_table('programme_translations', schema=None) as batch_op:
        batch_op.drop_column('venue')
