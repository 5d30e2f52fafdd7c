"""photo albums of sessions, and the participants' consent to photos

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-04 16:40:00.000000

An album per session; its photos with their translated captions; their bytes (original,
web size, thumbnail) in a table of their own so lists never read them. A registration records
when its participant agreed that photos in which they appear may be published.
"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('albums',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('views', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['programme_sessions.id'], name=op.f('fk_albums_session_id_programme_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_albums')),
    sa.UniqueConstraint('session_id', name=op.f('uq_albums_session_id'))
    )
    op.create_table('photos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('album_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('caption', sa.String(length=300), nullable=False),
    sa.Column('is_cover', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('is_hidden', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('thumb_width', sa.Integer(), nullable=False),
    sa.Column('thumb_height', sa.Integer(), nullable=False),
    sa.Column('web_digest', sa.String(length=64), nullable=False),
    sa.Column('thumb_digest', sa.String(length=64), nullable=False),
    sa.Column('original_type', sa.String(length=20), nullable=False),
    sa.Column('original_bytes', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['album_id'], ['albums.id'], name=op.f('fk_photos_album_id_albums'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_photos_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_photos'))
    )
    with op.batch_alter_table('photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_photos_album_id'), ['album_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_photos_uploaded_by_id'), ['uploaded_by_id'], unique=False)

    op.create_table('photo_files',
    sa.Column('photo_id', sa.Integer(), nullable=False),
    sa.Column('original', sa.LargeBinary(), nullable=False),
    sa.Column('web', sa.LargeBinary(), nullable=False),
    sa.Column('thumbnail', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['photo_id'], ['photos.id'], name=op.f('fk_photo_files_photo_id_photos'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('photo_id', name=op.f('pk_photo_files'))
    )
    op.create_table('photo_translations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('photo_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('caption', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['photo_id'], ['photos.id'], name=op.f('fk_photo_translations_photo_id_photos'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_photo_translations')),
    sa.UniqueConstraint('photo_id', 'language', name=op.f('uq_photo_translations_photo_id_language'))
    )
    with op.batch_alter_table('photo_translations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_photo_translations_photo_id'), ['photo_id'], unique=False)

    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('consent_photos_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_column('consent_photos_at')

    with op.batch_alter_table('photo_translations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_photo_translations_photo_id'))

    op.drop_table('photo_translations')
    op.drop_table('photo_files')
    with op.batch_alter_table('photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_photos_uploaded_by_id'))
        batch_op.drop_index(batch_op.f('ix_photos_album_id'))

    op.drop_table('photos')
    op.drop_table('albums')
