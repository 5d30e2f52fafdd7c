"""messages people can answer, their history, and automatic reminders

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 00:14:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('mail_outbox') as batch:
        batch.add_column(
            sa.Column('reply_to', sa.String(length=254), server_default='', nullable=False)
        )
        batch.add_column(sa.Column('attachments', sa.JSON(), nullable=True))
    with op.batch_alter_table('programmes') as batch:
        batch.add_column(
            sa.Column('sends_reminder', sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch.add_column(
            sa.Column('reminder_days', sa.Integer(), server_default='3', nullable=False)
        )
    op.create_table(
        'sent_messages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('programme_id', sa.Integer(), nullable=False),
        sa.Column('sender_id', sa.Integer(), nullable=True),
        sa.Column('sender_name', sa.String(length=200), nullable=False),
        sa.Column('audience', sa.String(length=20), nullable=False),
        sa.Column('reply_to', sa.String(length=254), nullable=False),
        sa.Column('languages', sa.String(length=60), nullable=False),
        sa.Column('subject', sa.Text(), nullable=False),
        sa.Column('recipient_count', sa.Integer(), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['programme_id'], ['programmes.id'],
            name=op.f('fk_sent_messages_programme_id_programmes'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['sender_id'], ['users.id'],
            name=op.f('fk_sent_messages_sender_id_users'), ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sent_messages')),
    )
    op.create_index(
        op.f('ix_sent_messages_programme_id'), 'sent_messages', ['programme_id'], unique=False
    )
    op.create_index(
        op.f('ix_sent_messages_sender_id'), 'sent_messages', ['sender_id'], unique=False
    )
    op.create_index(
        'ix_sent_messages_programme_id_sent_at',
        'sent_messages',
        ['programme_id', 'sent_at'],
        unique=False,
    )
    op.create_table(
        'sent_message_recipients',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('message_id', sa.Integer(), nullable=False),
        sa.Column('registration_id', sa.Integer(), nullable=False),
        sa.Column('language', sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(
            ['message_id'], ['sent_messages.id'],
            name=op.f('fk_sent_message_recipients_message_id_sent_messages'),
            ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['registration_id'], ['registrations.id'],
            name=op.f('fk_sent_message_recipients_registration_id_registrations'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sent_message_recipients')),
    )
    op.create_index(
        op.f('ix_sent_message_recipients_message_id'),
        'sent_message_recipients',
        ['message_id'],
        unique=False,
    )
    op.create_index(
        op.f('ix_sent_message_recipients_registration_id'),
        'sent_message_recipients',
        ['registration_id'],
        unique=False,
    )
    op.create_table(
        'reminders_sent',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('registration_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('message_id', sa.String(length=32), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['registration_id'], ['registrations.id'],
            name=op.f('fk_reminders_sent_registration_id_registrations'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reminders_sent')),
        sa.UniqueConstraint(
            'registration_id', 'kind', name=op.f('uq_reminders_sent_registration_id_kind')
        ),
    )
    op.create_index(
        op.f('ix_reminders_sent_registration_id'),
        'reminders_sent',
        ['registration_id'],
        unique=False,
    )


def downgrade():
    op.drop_index(op.f('ix_reminders_sent_registration_id'), table_name='reminders_sent')
    op.drop_table('reminders_sent')
    op.drop_index(
        op.f('ix_sent_message_recipients_registration_id'), table_name='sent_message_recipients'
    )
    op.drop_index(
        op.f('ix_sent_message_recipients_message_id'), table_name='sent_message_recipients'
    )
    op.drop_table('sent_message_recipients')
    op.drop_index('ix_sent_messages_programme_id_sent_at', table_name='sent_messages')
    op.drop_index(op.f('ix_sent_messages_sender_id'), table_name='sent_messages')
    op.drop_index(op.f('ix_sent_messages_programme_id'), table_name='sent_messages')
    op.drop_table('sent_messages')
    with op.batch_alter_table('programmes') as batch:
        batch.drop_column('reminder_days')
        batch.drop_column('sends_reminder')
    with op.batch_alter_table('mail_outbox') as batch:
        batch.drop_column('attachments')
        batch.drop_column('reply_to')
