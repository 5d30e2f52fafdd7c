"""when a nomination's invitation was last sent

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-12 10:00:00.000000

An invitation link expires some days after it was sent; sending it again starts that time
over, so it cannot be the nomination's created_at. Pending invitations count from the
nomination's creation, when their link was sent.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('nominations', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('invitation_sent_at', sa.DateTime(timezone=True), nullable=True)
        )
    op.execute(
        "UPDATE nominations SET invitation_sent_at = created_at WHERE token_hash IS NOT NULL"
    )


def downgrade():
    with op.batch_alter_table('nominations', schema=None) as batch_op:
        batch_op.drop_column('invitation_sent_at')
