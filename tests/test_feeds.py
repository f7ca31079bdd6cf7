"""Feeds carry text, never markup: read each feed the way a feed reader does.

A reader parses the XML (one un-escape), then renders an RSS title or description and an Atom
`<summary type="html">` as HTML; an Atom `<title>` (no type) is text.
"""

import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from tests.factories import make_article

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE_TITLE = '<img src=x onerror="alert(1)">微粒贷催收电话'
HOSTILE_SUMMARY = "<script>alert(1)</script>“官方”客服？——利率<36% & 罚息：怎么应对。"
CALM_SUMMARY = "微粒贷的催收电话：谁在打？怎么核实、怎么应对（附官方号码）。"


class _Rendered(HTMLParser):
    """What a browser would build from an HTML fragment: its elements and its visible text."""

    def __init__(self, fragment: str):
        super().__init__(convert_charrefs=True)
        self.tags, self.attributes, self.chunks = [], [], []
        self.feed(fragment)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [name for name, _ in attrs]

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        self.chunks.append(data)

    @property
    def text(self) -> str:
        return "".join(self.chunks)


def _as_html(text: str) -> str:
    """The text a reader shows for an HTML field, after checking nothing in it is live."""
    rendered = _Rendered(text)
    assert rendered.tags == [], f"live markup in a feed: {text!r}"
    assert not [name for name in rendered.attributes if name.startswith("on")]
    return rendered.text


def _rss_items(client, prefix=""):
    response = client.get(f"{prefix}/feeds/articles.rss")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return [
        (_as_html(item.findtext("title")), _as_html(item.findtext("description")))
        for item in root.iter("item")
    ]


def _atom_entries(client, prefix=""):
    response = client.get(f"{prefix}/feeds/articles.atom")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    entries = []
    for entry in root.findall(f"{ATOM}entry"):
        title, summary = entry.find(f"{ATOM}title"), entry.find(f"{ATOM}summary")
        assert title.get("type", "text") == "text"
        shown = _as_html(summary.text) if summary.get("type") == "html" else summary.text
        entries.append((title.text, shown))
    return entries


@pytest.mark.parametrize("prefix", ["", "/zh-hant"])
def test_a_script_in_a_summary_reaches_rss_readers_as_text(client, prefix):
    make_article(HOSTILE_TITLE, summary=HOSTILE_SUMMARY)
    [(title, summary)] = _rss_items(client, prefix)
    assert "<script>alert(1)</script>" in summary
    assert 'onerror="alert(1)"' in title


@pytest.mark.parametrize("prefix", ["", "/zh-hant"])
def test_a_script_in_a_summary_reaches_atom_readers_as_text(client, prefix):
    make_article(HOSTILE_TITLE, summary=HOSTILE_SUMMARY)
    [(title, summary)] = _atom_entries(client, prefix)
    assert "<script>alert(1)</script>" in summary
    assert title.startswith('<img src=x onerror="alert(1)">')


def test_readers_see_the_hostile_text_exactly_as_the_editor_wrote_it(client):
    make_article(HOSTILE_TITLE, summary=HOSTILE_SUMMARY)
    assert _rss_items(client) == [(HOSTILE_TITLE, HOSTILE_SUMMARY)]
    assert _atom_entries(client) == [(HOSTILE_TITLE, HOSTILE_SUMMARY)]


def test_chinese_text_and_punctuation_read_unchanged_in_both_feeds(client):
    make_article("微粒贷催收电话是哪里打来的？", summary=CALM_SUMMARY)
    expected = [("微粒贷催收电话是哪里打来的？", CALM_SUMMARY)]
    assert _rss_items(client) == expected
    assert _atom_entries(client) == expected


def test_traditional_feeds_convert_the_text_and_keep_it_text(client):
    make_article("微粒贷催收电话是哪里打来的？", summary="<b>粗体</b>" + CALM_SUMMARY)
    traditional = (
        "微粒貸催收電話是哪裡打來的？",
        "<b>粗體</b>微粒貸的催收電話：誰在打？怎麼核實、怎麼應對（附官方號碼）。",
    )
    assert _rss_items(client, "/zh-hant") == [traditional]
    assert _atom_entries(client, "/zh-hant") == [traditional]
