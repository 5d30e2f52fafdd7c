"""news posts of programmes and their translations

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04 16:50:00.000000

A centre tells what happened at a programme in a post: plain text in one language with
translations like a programme's, a draft until its director publishes it.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('news_posts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('original_language', sa.String(length=8), nullable=False),
    sa.Column('status', sa.Enum('draft', 'published', name='newspoststatus', native_enum=False, length=20), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_news_posts_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_news_posts_programme_id_programmes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_news_posts'))
    )
    with op.batch_alter_table('news_posts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_news_posts_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_news_posts_programme_id'), ['programme_id'], unique=False)
        batch_op.create_index('ix_news_posts_status_published_at', ['status', 'published_at'], unique=False)

    op.create_table('news_post_translations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['news_posts.id'], name=op.f('fk_news_post_translations_post_id_news_posts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_news_post_translations')),
    sa.UniqueConstraint('post_id', 'language', name=op.f('uq_news_post_translations_post_id_language'))
    )
    with op.batch_alter_table('news_post_translations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_news_post_translations_post_id'), ['post_id'], unique=False)


def downgrade():
    with op.batch_alter_table('news_post_translations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_news_post_translations_post_id'))
    op.drop_table('news_post_translations')
    with op.batch_alter_table('news_posts', schema=None) as batch_op:
        batch_op.drop_index('ix_news_posts_status_published_at')
        batch_op.drop_index(batch_op.f('ix_news_posts_programme_id'))
        batch_op.drop_index(batch_op.f('ix_news_posts_author_id'))
    op.drop_table('news_posts')
