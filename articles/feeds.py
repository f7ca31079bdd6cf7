"""Atom and RSS feeds of published articles, newest change first, in the reader's script.

Mounted inside i18n_patterns, so /feeds/articles.atom is simplified and
/zh-hant/feeds/articles.atom traditional.

Titles and summaries are plain text, and a feed reader renders an RSS title or description
and an Atom `<summary type="html">` as HTML after un-escaping the XML once. So those carry the
text HTML-escaped (`<script>` arrives as the characters, never as markup); an Atom `<title>`
has no type, which Atom defines as text, so it carries the text as it is.
"""

import html
import re

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .display import convert
from .models import Article

FEED_LENGTH = 30

# XML 1.0 cannot carry these; Django's feed writer refuses them with an error.
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: str, script: str | None = None) -> str:
    return _XML_INVALID.sub("", convert(value or "", get_language(), script))


def _html(value: str, script: str | None = None) -> str:
    return html.escape(_text(value, script), quote=False)


class ArticlesFeed(Feed):
    feed_type = Rss201rev2Feed

    def title(self):
        return _("催收电话知识库：最新文章")

    def description(self):
        return _("新发布和更新的文章：谁在打电话、是否合法、怎么应对。")

    def subtitle(self):
        return self.description()

    def link(self):
        return reverse("articles:home")

    def author_name(self):
        return _("催收电话知识库")

    def items(self):
        return Article.objects.published().select_related("lender").latest_first()[:FEED_LENGTH]

    def item_title(self, article):
        return _html(article.title, article.script)

    def item_description(self, article):
        return _html(article.summary, article.script)

    def item_pubdate(self, article):
        return article.published_at or article.created_at

    def item_updateddate(self, article):
        return article.updated_at

    def item_categories(self, article):
        return [_text(article.lender.name)] if article.lender else []


class AtomArticlesFeed(ArticlesFeed):
    feed_type = Atom1Feed

    def item_title(self, article):
        return _text(article.title, article.script)
