"""What readers see: stored text in their variant, with the database's part of the rules.

The conversion itself is kb/conversion.py (no database). This module adds the editors'
`ConversionOverride` rows and the lender registry's names (protected as units), read once
per request, and caches each article's converted, rendered page per revision and variant:
`convert("粉丝发布的短信", "zh-hant")` gives 粉絲發布的簡訊 (default override 发布, vocabulary 短信).
"""

from __future__ import annotations

import hashlib
import re
import threading
from functools import lru_cache

from django.core.cache import cache as django_cache
from django.core.signals import request_started
from django.db.models import Count, Max
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.safestring import mark_safe

from kb import conversion
from kb.conversion import Rules
from kb.variants import variant_of

from .markdown import RENDER_REVISION, render_markdown
from .models import ConversionOverride, Lender, LenderAlias

SHORT_TEXT = 200  # strings up to this length are memoised per process (names, titles, snippets)
ARTICLE_CACHE_SECONDS = 7 * 24 * 3600
_HAS_CJK = re.compile(r"[\u3400-\u9fff]")


# The database's rules, read once per request


class _RulesState:
    lock = threading.Lock()
    version: str | None = None


def rules_version() -> str:
    """A short string that changes whenever an override, a lender or an alias changes.

    Read from the database once per request (two aggregates over small tables), so every
    worker process sees an edit at its next request without a shared cache.
    """
    version = _RulesState.version
    if version is None:
        overrides = ConversionOverride.objects.aggregate(n=Count("id"), at=Max("updated_at"))
        lenders = Lender.objects.aggregate(
            n=Count("id", distinct=True),
            at=Max("updated_at"),
            a=Count("aliases"),
            last=Max("aliases__id"),
        )
        version = ":".join(
            str(value.isoformat() if hasattr(value, "isoformat") else value)
            for value in (*overrides.values(), *lenders.values())
        )
        with _RulesState.lock:
            _RulesState.version = version
    return version


def forget_rules_version(**_kwargs) -> None:
    with _RulesState.lock:
        _RulesState.version = None


request_started.connect(forget_rules_version, dispatch_uid="articles.display.request_started")


@receiver(post_save, sender=ConversionOverride, dispatch_uid="articles.display.override_saved")
@receiver(post_delete, sender=ConversionOverride, dispatch_uid="articles.display.override_deleted")
@receiver(post_save, sender=Lender, dispatch_uid="articles.display.lender_saved")
@receiver(post_delete, sender=Lender, dispatch_uid="articles.display.lender_deleted")
@receiver(post_save, sender=LenderAlias, dispatch_uid="articles.display.alias_saved")
@receiver(post_delete, sender=LenderAlias, dispatch_uid="articles.display.alias_deleted")
def _rules_changed(**_kwargs) -> None:
    forget_rules_version()


@lru_cache(maxsize=8)
def _rules(version: str) -> Rules:
    rows = ConversionOverride.objects.values_list("hans", "hant", "hk")
    names = {name for lender in Lender.objects.values_list("name", "operator") for name in lender}
    names.update(LenderAlias.objects.values_list("name", flat=True))
    return Rules(
        overrides=tuple((hans, hant, hk or hant) for hans, hant, hk in rows if hans and hant),
        names=tuple(sorted(name for name in names if name and _HAS_CJK.search(name))),
    )


def current_rules() -> Rules:
    return _rules(rules_version())


# Conversion


@lru_cache(maxsize=8192)
def _convert_short(text: str, variant: str, script: str | None, version: str) -> str:
    return conversion.convert(text, variant, script, _rules(version))


def convert(text: str, variant: str | None, script: str | None = None) -> str:
    """Stored text (either script) in the reader's variant and words (kb/conversion.py).

    `script` is the script the text was written in (Article.script) when known: text already
    in the reader's script is then shown exactly as written.
    """
    if not text:
        return text
    variant = variant_of(variant)
    version = rules_version()
    if len(text) <= SHORT_TEXT:
        return _convert_short(text, variant, script, version)
    return conversion.convert(text, variant, script, _rules(version))


def convert_markdown(source: str, variant: str | None, script: str | None = None) -> str:
    """Like `convert`, for Markdown: link targets and URLs are left as written."""
    if not source:
        return source
    return conversion.convert_markdown(source, variant_of(variant), script, current_rules())


def convert_marked(text: str, spans, variant: str | None, script: str | None = None):
    """`text` converted, as (text, marked) runs for marks given as spans of `text` itself:
    the text is converted whole (names and words keep their context) and the marks land
    on what the reader sees."""
    variant = variant_of(variant)
    version = rules_version()
    if len(text) <= SHORT_TEXT:  # a snippet's window or a title: the same ones come back
        pieces = _pieces_short(text, variant, script, version)
    else:
        pieces = conversion.convert_pieces(text, variant, script, _rules(version))
    return conversion.marked_runs(pieces, spans)


@lru_cache(maxsize=8192)
def _pieces_short(text: str, variant: str, script: str | None, version: str) -> tuple:
    return tuple(conversion.convert_pieces(text, variant, script, _rules(version)))


# Article pages, cached per revision


def _article_fingerprint(article, sections) -> str:
    digest = hashlib.blake2b(digest_size=16)
    parts = [article.updated_at.isoformat() if article.updated_at else "", article.script]
    parts += [article.title, article.summary]
    for section in sections:
        parts += [str(section.pk), section.kind, section.heading, section.body]
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    return digest.hexdigest()


def article_key(article, sections, variant: str) -> str:
    return ":".join(
        (
            f"kb:article:{article.pk}:{variant}",
            conversion.render_version(),
            f"md{RENDER_REVISION}",
            rules_version(),
            _article_fingerprint(article, sections),
        )
    )


def article_display(article, sections, variant: str | None) -> dict:
    """Title, summary and sections (heading, anchor, safe HTML body) in the reader's variant.

    Cached under the article, its revision (a digest of everything shown), the variant, the
    render version (the conversion tables and code) and the rules version (overrides and
    names): a second view converts nothing; an edit of the article, one of its sections,
    an override or a lender shows at once, and so does a new release's conversion.
    """
    variant = variant_of(variant)
    key = article_key(article, sections, variant)
    cached = django_cache.get(key)
    if cached is None:
        script = article.script
        cached = {
            "title": convert(article.title, variant, script),
            "summary": convert(article.summary, variant, script),
            "sections": [
                {
                    "pk": section.pk,
                    "kind": section.kind,
                    "anchor": section.anchor,
                    "heading": convert(section.heading, variant, script),
                    "html": str(render_markdown(convert_markdown(section.body, variant, script))),
                }
                for section in sections
            ],
        }
        django_cache.set(key, cached, ARTICLE_CACHE_SECONDS)
    return {
        "title": cached["title"],
        "summary": cached["summary"],
        "sections": [
            {**section, "html": mark_safe(section["html"])}  # nh3 output, cached
            for section in cached["sections"]
        ],
    }
