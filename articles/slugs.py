"""Readable ASCII slugs for Chinese titles: 微粒贷催收电话 → weilidai-cuishou-dianhua."""

import re
from functools import cache

from django.utils.text import slugify

from kb.text import fold

_SEPARATOR = re.compile(r"[^a-z0-9]+")


@cache
def _segmenter():
    import logging

    import jieba

    from .registry import LENDERS

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    for entry in LENDERS:
        tokenizer.add_word(entry["name"], freq=100000)
        for alias, _kind in entry["aliases"]:
            tokenizer.add_word(alias, freq=100000)
    return tokenizer


def pinyin_slug(text: str, max_length: int = 80) -> str:
    import pypinyin

    words = []
    for word in _segmenter().lcut(fold(text)):
        words.append("".join(pypinyin.lazy_pinyin(word, style=pypinyin.Style.NORMAL)))
    slug = _SEPARATOR.sub("-", "-".join(words).lower()).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0]
    return slug or slugify(text)[:max_length] or "article"


def unique_slug(text: str, model, instance=None, max_length: int = 80) -> str:
    base = pinyin_slug(text, max_length=max_length - 4)
    others = model._default_manager.all()
    if instance is not None and instance.pk:
        others = others.exclude(pk=instance.pk)
    slug, n = base, 2
    while others.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug
