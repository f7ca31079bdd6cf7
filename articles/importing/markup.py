"""HTML in a scraped page → plain lines, and HTML entities → characters.

Two cases. A whole HTML page (`<!DOCTYPE html>`, `<html>`) is read with the standard
library's parser: scripts, styles, the head, navigation, footers, sidebars and "related"
boxes (by tag, or by a class or id saying so) go (headers stay: an article's `<header>` holds
its title, and a site header's links are noise that `cleaning` drops); block elements become line
breaks; `<h1>`–`<h6>` become Markdown headings and `<li>` list items, so the structure
survives; the `<title>` stands in for a missing `<h1>`. Text with a few tags left in it
(`<p>`, `<br>`, `<strong>` from a careless scraper) only has those tags replaced.
Either way `&nbsp;`, `&amp;`, `&ldquo;` and numeric references become characters.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from .charfreq import is_han

_DOCUMENT = re.compile(r"^\s*(<\?xml[^>]*>\s*)?(<!doctype\s+html|<html[\s>])", re.I)
_KNOWN_TAG = re.compile(
    r"</?(p|br|div|span|strong|b|em|i|u|a|img|font|h[1-6]|ul|ol|li|table|tr|td|th|tbody|"
    r"section|article|blockquote|center|small|big|sup|sub|hr|label|code|pre)\b[^<>]{0,500}?/?>",
    re.I,
)
_ENTITY = re.compile(r"&(#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_DOUBLE_ENTITY = re.compile(r"&amp;(?=(#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)")
_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
# A source line break inside Chinese text is no space: 催收\n电话 is 催收电话.
_CJK_BREAK = re.compile(rf"(?<=[{_CJK}])\s*\n\s*(?=[{_CJK}])")
_SPACES = re.compile(r"[ \t\r\n\f\v\xa0]+")

_SKIP_TAGS = frozenset(
    [
        "script",
        "style",
        "noscript",
        "head",
        "nav",
        "footer",
        "aside",
        "form",
        "iframe",
        "svg",
        "select",
        "button",
        "template",
        "object",
        "embed",
        "canvas",
    ]
)
_SKIP_CLASS = re.compile(
    r"(^|[\s_-])(nav|navbar|menu|footer|foot|sidebar|side|aside|related|relate|"
    r"recommend|comments?|share|breadcrumb|crumbs?|copyright|ads?|advert|banner|toolbar|tags?|"
    r"pager|pagination|hot|login)($|[\s_-]|\d)",
    re.I,
)
_ENOUGH_HAN = 200  # the importer's minimum for an article
_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    ]
)
_BLOCK = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "tr",
        "table",
        "thead",
        "tbody",
        "section",
        "article",
        "main",
        "blockquote",
        "pre",
        "hr",
        "figure",
        "figcaption",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "center",
    ]
)


def is_html_document(text: str) -> bool:
    return bool(_DOCUMENT.match(text[:2000]))


def to_text(text: str) -> tuple[str, bool]:
    """(plain text, whether it was a whole HTML page)."""
    if is_html_document(text):
        extracted = _DocumentText.extract(text)
        if sum(1 for char in extracted if is_han(char)) < _ENOUGH_HAN:
            # A class name guessed wrong (the article inside "content-side"): keep those boxes.
            extracted = _DocumentText.extract(text, by_class=False)
        return extracted, True
    if _KNOWN_TAG.search(text):
        text = _strip_fragment_tags(text)
    return decode_entities(text), False


def decode_entities(text: str) -> str:
    if "&" not in text:
        return text
    text = _DOUBLE_ENTITY.sub("&", text)  # &amp;nbsp; from a page escaped twice
    text = _ENTITY.sub(lambda m: html.unescape(m.group()), text)
    return text.replace("\xa0", " ")


def _strip_fragment_tags(text: str) -> str:
    text = re.sub(r"<(script|style)\b.*?</\1\s*>", "", text, flags=re.I | re.S)
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)

    def replace(match: re.Match) -> str:
        tag = match.group(1).lower()
        closing = match.group().startswith("</")
        if tag in ("strong", "b"):
            return "**"
        if tag.startswith("h") and tag[1:].isdigit():
            return "\n" if closing else "\n" + "#" * int(tag[1]) + " "
        if tag == "li" and not closing:
            return "\n- "
        return "\n" if tag in _BLOCK else ""

    return _KNOWN_TAG.sub(replace, text)


class _DocumentText(HTMLParser):
    def __init__(self, by_class: bool = True):
        super().__init__(convert_charrefs=True)
        self.by_class = by_class
        self.out: list[str] = []
        self.skipping: list[str] = []  # the open elements being skipped, innermost last
        self.title: list[str] = []
        self.in_title = False
        self.has_h1 = False

    @classmethod
    def extract(cls, source: str, by_class: bool = True) -> str:
        parser = cls(by_class)
        parser.feed(source)
        parser.close()
        text = "".join(parser.out)
        if not parser.has_h1 and parser.title:
            text = "".join(parser.title).strip() + "\n" + text
        return text.replace("\xa0", " ")

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self.in_title = True
            return
        if tag in _VOID:
            if not self.skipping and tag in _BLOCK:
                self.out.append("\n")
            return
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.append(tag)
            return
        names = " ".join(value or "" for name, value in attrs if name in ("class", "id"))
        if tag in _SKIP_TAGS or (self.by_class and names and _SKIP_CLASS.search(names)):
            self.skipping.append(tag)
            return
        if tag in _BLOCK:
            self.out.append("\n")
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.has_h1 = self.has_h1 or tag == "h1"
            self.out.append("#" * int(tag[1]) + " ")
        elif tag == "li":
            self.out.append("- ")
        elif tag in ("strong", "b"):
            self.out.append("**")

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
            return
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.pop()
            return
        if tag in _BLOCK:
            self.out.append("\n")
        elif tag in ("strong", "b"):
            self.out.append("**")

    def handle_data(self, data):
        if self.in_title:
            self.title.append(data)
        elif not self.skipping:
            data = _CJK_BREAK.sub("", data)
            self.out.append(_SPACES.sub(" ", data))
