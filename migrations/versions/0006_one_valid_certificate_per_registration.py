"""at most one valid certificate per registration

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28 00:05:00.000000

"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

INDEX = 'uq_certificates_one_valid_per_registration'
VALID = sa.text('revoked_at IS NULL')

certificates = sa.table(
    'certificates',
    sa.column('id', sa.Integer()),
    sa.column('registration_id', sa.Integer()),
    sa.column('revoked_at', sa.DateTime(timezone=True)),
    sa.column('revocation_reason', sa.Text()),
)


def upgrade():
    # Two simultaneous bulk issues could create a second valid certificate: the newest one
    # stays valid, older duplicates are revoked so that the index can be built.
    newest = (
        sa.select(sa.func.max(certificates.c.id))
        .where(certificates.c.revoked_at.is_(None))
        .group_by(certificates.c.registration_id)
    )
    op.execute(
        certificates.update()
        .where(certificates.c.revoked_at.is_(None), certificates.c.id.not_in(newest))
        .values(
            revoked_at=datetime.now(timezone.utc),
            revocation_reason='Duplicate: a newer certificate of the same registration is valid.',
        )
    )
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.create_index(
            INDEX, ['registration_id'], unique=True, postgresql_where=VALID, sqlite_where=VALID
        )


def downgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_index(INDEX)
