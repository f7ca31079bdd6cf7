"""Duplicate titles: the same title written in the other script, or with other punctuation.

>>> title_key("微粒贷催收电话是哪里打来的？") == title_key("微粒貸 催收電話是哪裡打來的?")
True
"""

import re

from kb.text import fold

from .models import Article

_NOT_WORD = re.compile(r"[\W_]+")


def title_key(title: str) -> str:
    """The title folded to simplified lower case, without punctuation or whitespace."""
    return _NOT_WORD.sub("", fold(title or ""))


def same_title_articles(article: Article):
    """Other articles whose title has the same key as this one's."""
    key = title_key(article.title)
    if not key:
        return []
    others = Article.objects.exclude(pk=article.pk).values_list("pk", "title")
    ids = [pk for pk, title in others.iterator() if title_key(title) == key]
    return list(Article.objects.filter(pk__in=ids).order_by("pk"))
