"""no unconfirmed accounts: their registrations wait for the address's owner again

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 13:30:00.000000

Accounts are now made only from the link sent to their address. An account whose address was
never confirmed may belong to someone who typed another person's address, so:

- one holding admin rights or a centre role is kept and marked confirmed: an admin chose to
  trust it, and removing it would lock staff out (an audit entry records it for review);
- every other one is deleted. Its registrations are kept but detached, with the account's
  address and without the profile it gave: those still active are invitations again, which
  the address's real owner takes up on signing up; the rest stay as history. Whatever else
  pointed at the account (audit entries, decisions, grants) is kept and no longer names it.

Then users.email_confirmed_at becomes NOT NULL. The downgrade only allows null again: deleted
accounts do not come back.
"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

ACTIVE = ('applied', 'confirmed', 'waitlisted')

users = sa.table(
    'users',
    sa.column('id', sa.Integer()),
    sa.column('email', sa.String()),
    sa.column('is_admin', sa.Boolean()),
    sa.column('email_confirmed_at', sa.DateTime(timezone=True)),
)
memberships = sa.table('memberships', sa.column('user_id', sa.Integer()))
programmes = sa.table(
    'programmes', sa.column('id', sa.Integer()), sa.column('centre_id', sa.Integer())
)
registrations = sa.table(
    'registrations',
    sa.column('id', sa.Integer()),
    sa.column('programme_id', sa.Integer()),
    sa.column('user_id', sa.Integer()),
    sa.column('status', sa.String()),
    sa.column('email', sa.String()),
    sa.column('full_name', sa.String()),
    sa.column('organisation', sa.String()),
    sa.column('country', sa.String()),
    sa.column('job_title', sa.String()),
    sa.column('member_city_id', sa.Integer()),
)
audit_entries = sa.table(
    'audit_entries',
    sa.column('action', sa.String()),
    sa.column('centre_id', sa.Integer()),
    sa.column('programme_id', sa.Integer()),
    sa.column('registration_id', sa.Integer()),
    sa.column('subject_user_id', sa.Integer()),
    sa.column('from_state', sa.String()),
    sa.column('to_state', sa.String()),
    sa.column('reason', sa.Text()),
    sa.column('created_at', sa.DateTime(timezone=True)),
)

#: Every other column that points at users.id; named explicitly because SQLite runs
#: migrations with foreign keys off, so no ON DELETE action would run there.
REFERENCES = (
    ('memberships', 'granted_by_id'),
    ('programmes', 'created_by_id'),
    ('registrations', 'decided_by_id'),
    ('attendance', 'recorded_by_id'),
    ('certificates', 'issued_by_id'),
    ('certificates', 'revoked_by_id'),
    ('audit_entries', 'actor_id'),
    ('audit_entries', 'subject_user_id'),
)


def upgrade():
    now = datetime.now(timezone.utc)
    unconfirmed = users.c.email_confirmed_at.is_(None)
    staff = sa.or_(
        users.c.is_admin.is_(True),
        sa.exists().where(memberships.c.user_id == users.c.id),
    )

    kept = sa.select(users.c.id).where(unconfirmed, staff)
    op.execute(
        audit_entries.insert().from_select(
            ['action', 'subject_user_id', 'from_state', 'to_state', 'reason', 'created_at'],
            sa.select(
                sa.literal('account.confirm'),
                users.c.id,
                sa.literal(''),
                sa.literal('confirmed'),
                sa.literal('Staff account with an unconfirmed address, confirmed by the upgrade.'),
                sa.literal(now, sa.DateTime(timezone=True)),
            ).where(unconfirmed, staff),
        )
    )
    op.execute(users.update().where(users.c.id.in_(kept)).values(email_confirmed_at=now))

    doomed = sa.select(users.c.id).where(unconfirmed)
    op.execute(
        audit_entries.insert().from_select(
            [
                'action',
                'centre_id',
                'programme_id',
                'registration_id',
                'from_state',
                'to_state',
                'reason',
                'created_at',
            ],
            sa.select(
                sa.literal('registration.detach'),
                programmes.c.centre_id,
                registrations.c.programme_id,
                registrations.c.id,
                registrations.c.status,
                registrations.c.status,
                sa.literal(
                    "The account's address was never confirmed; the registration waits for "
                    "the owner of the address."
                ),
                sa.literal(now, sa.DateTime(timezone=True)),
            )
            .select_from(registrations.join(programmes, programmes.c.id == registrations.c.programme_id))
            .where(registrations.c.user_id.in_(doomed), registrations.c.status.in_(ACTIVE)),
        )
    )
    address = (
        sa.select(users.c.email).where(users.c.id == registrations.c.user_id).scalar_subquery()
    )
    op.execute(
        registrations.update()
        .where(registrations.c.user_id.in_(doomed))
        .values(
            email=address,
            user_id=None,
            full_name='',
            organisation='',
            country='',
            job_title='',
            member_city_id=None,
        )
    )
    for table, column in REFERENCES:
        reference = sa.table(table, sa.column(column, sa.Integer()))
        op.execute(
            reference.update().where(reference.c[column].in_(doomed)).values({column: None})
        )
    op.execute(users.delete().where(unconfirmed))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column(
            'email_confirmed_at', existing_type=sa.DateTime(timezone=True), nullable=False
        )


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column(
            'email_confirmed_at', existing_type=sa.DateTime(timezone=True), nullable=True
        )
