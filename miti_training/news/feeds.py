"""Atom feeds of published posts (RFC 4287), made with feedgen.

One entry per post, in the language it was written in (xml:lang on the entry); its
translations stay on the post's page, where the reader's language chooses. Titles are text and
the content is the post's HTML as the page shows it (escaped again inside the XML, type="html"),
so a feed reader shows exactly what the page does and nothing typed becomes markup. The author
of each entry is the centre, never the person who wrote it. A post's cover, while the public may
see it, is the entry's enclosure: a link to its web-size image.
"""

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator

from miti_training.models import NewsPost, Photo
from miti_training.news.rendering import body_html

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: The type of the images served of a photo (re-encoded as JPEG, albums.images).
COVER_TYPE = "image/jpeg"
#: Characters XML 1.0 cannot hold at all (the forms refuse them; older rows may not have).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(value: str) -> str:
    return _NOT_XML.sub("", value or "")


@dataclass(frozen=True)
class FeedInfo:
    """What the feed says of itself: its permanent id and the page it stands for, its own
    address, title, language and author, and when it was updated when it has no posts."""

    feed_id: str
    page_url: str
    self_url: str
    title: str
    language: str
    author: str
    empty_updated: datetime


class _Entry(FeedEntry):
    """An entry that says its language (feedgen knows only the feed's) and the relation and
    type of each of its links (feedgen 1.0 writes an entry's links with their address only)."""

    def __init__(self, language: str):
        super().__init__()
        self._language = language

    def atom_entry(self, extensions=True):
        entry = super().atom_entry(extensions)
        entry.set(_XML_LANG, self._language)
        elements = [child for child in entry if child.tag.rpartition("}")[2] == "link"]
        for element, link in zip(elements, self.link() or [], strict=True):
            for name in ("rel", "type"):
                if link.get(name):
                    element.set(name, link[name])
        return entry


def atom_feed(
    info: FeedInfo,
    posts: Sequence[NewsPost],
    post_url: Callable[[NewsPost], str],
    cover_url: Callable[[Photo], str],
):
    """The feed as UTF-8 bytes, the posts in the order given (newest first), loaded with their
    public covers (news.queries)."""
    feed = FeedGenerator()
    feed.id(info.feed_id)
    feed.title(_xml_text(info.title))
    feed.author({"name": _xml_text(info.author)})
    feed.link(href=info.page_url, rel="alternate", type="text/html")
    feed.link(href=info.self_url, rel="self", type="application/atom+xml")
    feed.language(info.language)
    feed.generator("MITI Training")
    feed.updated(max((post.updated_at for post in posts), default=info.empty_updated))
    for post in posts:
        url = post_url(post)
        entry = _Entry(post.original_language)
        entry.id(url)
        entry.title(_xml_text(post.title))
        entry.link(href=url, rel="alternate", type="text/html")
        if post.public_cover is not None:
            entry.link(href=cover_url(post.public_cover), rel="enclosure", type=COVER_TYPE)
        entry.author({"name": _xml_text(post.programme.centre.name)})
        entry.published(post.published_at)
        entry.updated(max(post.updated_at, post.published_at or post.updated_at))
        entry.content(_xml_text(str(body_html(post.body))), type="html")
        feed.add_entry(entry, order="append")
    return feed.atom_str(pretty=True)
