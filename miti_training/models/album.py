"""Photo albums: one per session of a programme, its photos, their captions and their files.

A photo's bytes live in `photo_files`, one row per photo with a column per rendition, so
listing an album never reads an image and serving a thumbnail never reads the original.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from miti_training.extensions import db
from miti_training.models.common import UTCDateTime, utcnow
from miti_training.models.programme import ProgrammeSession
from miti_training.models.translatable import Translatable


class Album(db.Model):
    """The photos of one session; made when its first photo is uploaded."""

    __tablename__ = "albums"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: At most one album per session.
    session_id: Mapped[int] = mapped_column(
        ForeignKey("programme_sessions.id", ondelete="CASCADE"), unique=True
    )
    #: Public photo pages opened, counted by one UPDATE each.
    views: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    session: Mapped[ProgrammeSession] = relationship()
    photos: Mapped[list["Photo"]] = relationship(
        back_populates="album",
        cascade="all, delete-orphan",
        order_by="(Photo.position, Photo.id)",
        passive_deletes=True,
    )

    def __repr__(self) -> str:
        return f"<Album {self.id} of session {self.session_id}>"


class Photo(Translatable, db.Model):
    """One photo of an album: its place, caption, visibility and the sizes of its renditions."""

    __tablename__ = "photos"
    TRANSLATED_FIELDS = ("caption",)

    id: Mapped[int] = mapped_column(primary_key=True)
    album_id: Mapped[int] = mapped_column(ForeignKey("albums.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    caption: Mapped[str] = mapped_column(String(300), default="")
    is_cover: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: Hidden photos are never served publicly; staff still see them.
    is_hidden: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: The web-size image (JPEG) and the thumbnail: their pixels and SHA-256, the ETag.
    width: Mapped[int] = mapped_column()
    height: Mapped[int] = mapped_column()
    thumb_width: Mapped[int] = mapped_column()
    thumb_height: Mapped[int] = mapped_column()
    web_digest: Mapped[str] = mapped_column(String(64))
    thumb_digest: Mapped[str] = mapped_column(String(64))
    #: The uploaded file as it came: its type (image/jpeg, image/png, image/webp) and size.
    original_type: Mapped[str] = mapped_column(String(20))
    original_bytes: Mapped[int] = mapped_column()
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    album: Mapped[Album] = relationship(back_populates="photos")
    translations: Mapped[list["PhotoTranslation"]] = relationship(
        back_populates="photo",
        cascade="all, delete-orphan",
        order_by="PhotoTranslation.language",
        passive_deletes=True,
    )

    def __repr__(self) -> str:
        return f"<Photo {self.id} of album {self.album_id}>"

    @property
    def text_language(self) -> str:
        return self.album.session.programme.original_language


class PhotoTranslation(db.Model):
    """A photo's caption in another language than its programme's original."""

    __tablename__ = "photo_translations"
    __table_args__ = (UniqueConstraint("photo_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    photo_id: Mapped[int] = mapped_column(ForeignKey("photos.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(8))
    caption: Mapped[str] = mapped_column(String(300))

    photo: Mapped[Photo] = relationship(back_populates="translations")


class PhotoFile(db.Model):
    """The bytes of a photo; each column is read only when asked for by name. No relationship
    leads here: the database deletes the row with its photo (ON DELETE CASCADE)."""

    __tablename__ = "photo_files"

    photo_id: Mapped[int] = mapped_column(
        ForeignKey("photos.id", ondelete="CASCADE"), primary_key=True
    )
    #: As uploaded, metadata included: for staff only, never served publicly.
    original: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    #: Re-encoded without metadata, rotated upright.
    web: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    thumbnail: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
