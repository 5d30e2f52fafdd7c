"""A post's plain text as HTML: paragraphs, line breaks, links to http(s) addresses only, and
everything typed escaped."""

import re

import pytest
from lxml import html as lxml_html

from miti_training.news.rendering import body_html, paragraphs
from tests.support.testdata import hostile_strings


def _links(markup) -> list:
    return lxml_html.fragment_fromstring(str(markup), create_parent="div").findall(".//a")


def test_blank_lines_make_paragraphs_and_single_newlines_line_breaks():
    markup = str(body_html("Day 1\r\nDay 2\n\n\n  \nThe forum"))
    assert markup == '<p dir="auto">Day 1<br>Day 2</p>\n<p dir="auto">The forum</p>'
    assert paragraphs("") == [] and body_html("  \n ") == ""


def test_web_addresses_become_links_that_the_site_does_not_vouch_for():
    markup = body_html("Photos (see https://metropolis.org/news?a=1&b=2). And http://x.example/y")
    links = _links(markup)
    assert [a.get("href") for a in links] == [
        "https://metropolis.org/news?a=1&b=2",
        "http://x.example/y",
    ]
    assert all(a.get("rel") == "nofollow noopener" for a in links)
    # The punctuation after an address stays text; the ampersand is escaped in the source.
    assert "&amp;b=2</a>). And" in str(markup)


def test_brackets_that_belong_to_an_address_stay_in_it():
    (link,) = _links(body_html("https://en.wikipedia.org/wiki/Seoul_(city)."))
    assert link.get("href") == "https://en.wikipedia.org/wiki/Seoul_(city)"


@pytest.mark.parametrize(
    "text",
    [
        "javascript:alert(1)",
        '<a href="javascript:alert(1)">x</a>',
        "data:text/html,<script>alert(1)</script>",
        "//attacker.example/path",
        "ftp://files.example/x",
        "https://",
    ],
)
def test_nothing_but_an_http_address_is_ever_a_link(text):
    assert _links(body_html(text)) == []


def test_an_address_cannot_break_out_of_its_attribute():
    markup = str(body_html('https://a.example/"onmouseover="alert(1) https://b.example/<script>'))
    links = _links(markup)
    assert [a.get("href") for a in links] == ["https://a.example/", "https://b.example/"]
    assert not any(a.get("onmouseover") for a in links)
    assert "<script>" not in markup and "&lt;script&gt;" in markup


@pytest.mark.parametrize("value", hostile_strings())
def test_hostile_text_stays_text(value):
    markup = str(body_html(value))
    tree = lxml_html.fragment_fromstring(markup, create_parent="div")
    tags = {element.tag for element in tree.iter()} - {"div"}
    assert tags <= {"p", "br", "a"}
    for link in tree.findall(".//a"):
        assert re.match(r"https?://", link.get("href"))
        assert set(link.attrib) == {"href", "rel"}
    # What a reader sees is what was typed (line ends aside).
    assert tree.text_content().replace("\n", "") == "".join(
        "".join(lines) for lines in paragraphs(value)
    )
