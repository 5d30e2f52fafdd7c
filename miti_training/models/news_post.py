"""News posts: what happened at a programme, written by its centre after the event."""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from miti_training.extensions import db
from miti_training.models.album import Photo
from miti_training.models.common import UTCDateTime, str_enum, utcnow
from miti_training.models.programme import Programme
from miti_training.models.translatable import Translatable
from miti_training.models.user import User


class NewsPostStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class NewsPost(Translatable, db.Model):
    """A post about one programme (and so of its centre), public once published.

    The body is plain text: paragraphs are separated by a blank line and web addresses become
    links when it is shown (news.rendering), so nothing typed is ever markup.
    """

    TRANSLATED_FIELDS = ("title", "body")

    __tablename__ = "news_posts"
    __table_args__ = (
        #: The public lists: the newest published posts first.
        Index("ix_news_posts_status_published_at", "status", "published_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    #: Language of title and body; translations are separate rows.
    original_language: Mapped[str] = mapped_column(String(8), default="en")
    status: Mapped[NewsPostStatus] = mapped_column(
        str_enum(NewsPostStatus), default=NewsPostStatus.DRAFT
    )
    #: When it was (last) published: the date the public sees and the feeds order by.
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    #: A photo of the programme's albums shown with the post, while the public may see it.
    cover_photo_id: Mapped[int | None] = mapped_column(
        ForeignKey("photos.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    programme: Mapped[Programme] = relationship()
    author: Mapped[User | None] = relationship()
    #: The cover staff chose, whether or not the public may see it now.
    cover_photo: Mapped[Photo | None] = relationship()
    #: The cover as public pages show it: None while the photo is hidden or its album not
    #: public. Only the queries of news.queries fill it, joining the photo under the albums'
    #: rule; it is never loaded on its own, so nothing can show the chosen photo by mistake.
    public_cover: Mapped[Photo | None] = relationship(viewonly=True, lazy="raise")
    translations: Mapped[list["NewsPostTranslation"]] = relationship(
        back_populates="post",
        cascade="all, delete-orphan",
        order_by="NewsPostTranslation.language",
    )

    def __repr__(self) -> str:
        return f"<NewsPost {self.id} {self.status}>"

    @property
    def text_language(self) -> str:
        return self.original_language

    @property
    def is_published(self) -> bool:
        return self.status == NewsPostStatus.PUBLISHED


class NewsPostTranslation(db.Model):
    """Title and body of a news post in another language."""

    __tablename__ = "news_post_translations"
    __table_args__ = (UniqueConstraint("post_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(
        ForeignKey("news_posts.id", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")

    post: Mapped[NewsPost] = relationship(back_populates="translations")
