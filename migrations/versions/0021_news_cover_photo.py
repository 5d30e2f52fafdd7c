"""a news post's cover photo

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-05 10:00:00.000000

A post may show one photo of its programme's albums; deleting the photo leaves the post
without a cover.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('news_posts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cover_photo_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_news_posts_cover_photo_id'), ['cover_photo_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_news_posts_cover_photo_id_photos'), 'photos', ['cover_photo_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('news_posts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_news_posts_cover_photo_id_photos'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_news_posts_cover_photo_id'))
        batch_op.drop_column('cover_photo_id')
