"""Stored text shown in the reader's script: OpenCC plus the editors' conversion overrides.

Text is stored as the editor wrote it. For display it is converted into the reader's variant:

- to simplified (zh-hans): t2s, or tw2s for text known to be traditional (tw2s also turns
  Taiwan forms such as 著 in 接著/隨著 into 着; t2s leaves them);
- to traditional (zh-hant, Taiwan standard characters): s2tw (never s2twp, whose phrase
  tables rewrite words); a traditional original is shown as written.

Editors' `ConversionOverride` rows win over OpenCC's phrase choice: every form of an
override term found in the text is swapped for a placeholder OpenCC passes through, and
the placeholder becomes the term's form in the target variant after conversion.

>>> from kb.text import convert as opencc_only
>>> opencc_only("粉丝发布", "zh-hant")  # OpenCC's phrase table: 丝发 → 絲髮
'粉絲髮布'

With the default override 发布 → 發布 (migration 0003), `convert("粉丝发布", "zh-hant")`
gives 粉絲發布.
"""

from __future__ import annotations

import hashlib
import re
import threading
from functools import cache, lru_cache

from django.core.cache import cache as django_cache
from django.core.signals import request_started
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.safestring import mark_safe

from kb import text as _text

HANS, HANT, HK = "zh-hans", "zh-hant", "zh-hk"

# One placeholder per distinct protected string: Supplementary Private Use Area-A code points,
# which OpenCC's dictionaries never contain, so they pass through conversion untouched.
_PLACEHOLDER_BASE = 0xF0000
_PLACEHOLDER_MAX = 0xFFFFD - _PLACEHOLDER_BASE
_PLACEHOLDER_CHARS = re.compile("[\U000f0000-\U000ffffd]")

# Link targets, autolinks and bare URLs in Markdown: converting them would break the link.
_MARKDOWN_LINK_TARGETS = re.compile(
    r"\]\([^)\n]*\)"  # [text](target "title")
    r"|^ {0,3}\[[^\]\n]+\]:[^\n]*$"  # [ref]: target
    r"|<[^<>\s]+>"  # <https://…>
    r"|(?:https?|ftp|mailto|tel):[^\s<>()\[\]]+",  # bare URL
    re.MULTILINE,
)

# Installed as editable rows by migration 0004, and used as they are where no database is at
# hand (the interface catalogue, kb/catalogue.py). (simplified, Taiwan, Hong Kong, why)
DEFAULT_OVERRIDES = (
    ("发布", "發布", "發佈", "台湾标准写法为“發布”；也避免“粉丝发布”被转成“粉絲髮布”"),
    ("账户", "帳戶", "賬戶", "台湾写“帳戶”；台湾原文转简体时应为“账户”而非“帐户”"),
    ("账号", "帳號", "賬號", "台湾写“帳號”"),
    ("账单", "帳單", "賬單", "台湾写“帳單”"),
)

SHORT_TEXT = 200  # strings up to this length are memoised per process (names, titles)


def variant_of(language_code: str | None) -> str:
    """zh-hans, zh-hant or zh-hk for a Django language code (zh-tw → zh-hant)."""
    return _text.variant_of(language_code)


def _family(variant: str) -> str:
    return "hans" if variant == HANS else "hant"


# Overrides


class _OverrideState:
    """Which overrides version this process last saw; forgotten at each request's start."""

    lock = threading.Lock()
    version: str | None = None


def overrides_version() -> str:
    """A short string that changes whenever an editor adds, edits or deletes an override.

    Read from the database once per request (an aggregate over a small table), so every
    worker process sees an edit at its next request without a shared cache.
    """
    version = _OverrideState.version
    if version is None:
        from django.db.models import Count, Max

        from articles.models import ConversionOverride

        agg = ConversionOverride.objects.aggregate(n=Count("id"), latest=Max("updated_at"))
        latest = agg["latest"].isoformat() if agg["latest"] else "-"
        version = f"{agg['n']}:{latest}"
        with _OverrideState.lock:
            _OverrideState.version = version
    return version


def forget_overrides_version(**_kwargs) -> None:
    with _OverrideState.lock:
        _OverrideState.version = None


request_started.connect(forget_overrides_version, dispatch_uid="kb.variants.request_started")


@receiver(post_save, sender="articles.ConversionOverride", dispatch_uid="kb.variants.saved")
@receiver(post_delete, sender="articles.ConversionOverride", dispatch_uid="kb.variants.deleted")
def _override_changed(**_kwargs) -> None:
    forget_overrides_version()


@lru_cache(maxsize=8)
def _override_rows(version: str) -> tuple[tuple[str, str, str], ...]:
    from articles.models import ConversionOverride

    rows = ConversionOverride.objects.values_list("hans", "hant", "hk")
    return tuple((hans, hant, hk or hant) for hans, hant, hk in rows if hans and hant)


@lru_cache(maxsize=16)
def _override_matcher(version: str, variant: str) -> tuple[re.Pattern | None, dict[str, str]]:
    return _matcher(_override_rows(version), variant)


@lru_cache(maxsize=16)
def _matcher(rows: tuple[tuple[str, str, str], ...], variant: str):
    """A regex matching every form of every override, and each form's target-variant form."""
    target = {HANS: 0, HANT: 1, HK: 2}[variant]
    mapping: dict[str, str] = {}
    # Later assignments win: a string that is some override's simplified form maps the way
    # that override says, even if it is also another override's traditional form.
    for column in (2, 1, 0):
        for row in rows:
            if row[column]:
                mapping[row[column]] = row[target]
    if not mapping:
        return None, {}
    forms = sorted(mapping, key=len, reverse=True)
    return re.compile("|".join(re.escape(form) for form in forms)), mapping


# Conversion


class _Placeholders:
    def __init__(self):
        self.values: list[str] = []
        self.index: dict[str, int] = {}

    def put(self, value: str) -> str:
        if value not in self.index:
            if len(self.values) > _PLACEHOLDER_MAX:
                raise ValueError("too many protected fragments")
            self.index[value] = len(self.values)
            self.values.append(value)
        return chr(_PLACEHOLDER_BASE + self.index[value])

    def restore(self, text: str) -> str:
        if not self.values:
            return text
        return _PLACEHOLDER_CHARS.sub(
            lambda m: self.values[ord(m.group()) - _PLACEHOLDER_BASE], text
        )


def _opencc(text: str, variant: str, script: str | None) -> str:
    """The OpenCC step alone (tests patch this to count conversions)."""
    if variant == HANS and script == _text.SCRIPT_HANT:
        return _tw2s(text)
    return _text.convert(text, variant)


@cache
def _tw2s_converter():
    import opencc

    return opencc.OpenCC("tw2s")


def _tw2s(text: str) -> str:
    # tw2s's Taiwan-variant table also maps the simplified 么 to 幺; a traditional text that
    # quotes a simplified 么 keeps it.
    holder = _Placeholders()
    protected = text.replace("么", holder.put("么")) if "么" in text else text
    return holder.restore(_tw2s_converter().convert(protected))


def _convert(
    text: str, variant: str, script: str | None, matcher, protect: re.Pattern | None
) -> str:
    if script and _family(variant) == ("hans" if script == _text.SCRIPT_HANS else "hant"):
        if variant != HK:
            return text  # shown as written
        script = None  # Taiwan-standard original for a Hong Kong reader: s2hk is idempotent enough
    text = _PLACEHOLDER_CHARS.sub("", text)
    holder = _Placeholders()
    if protect is not None:
        text = protect.sub(lambda m: holder.put(m.group()), text)
    pattern, mapping = matcher
    if pattern is not None:
        text = pattern.sub(lambda m: holder.put(mapping[m.group()]), text)
    return holder.restore(_opencc(text, variant, script))


@lru_cache(maxsize=8192)
def _convert_short(text: str, variant: str, script: str | None, version: str) -> str:
    return _convert(text, variant, script, _override_matcher(version, variant), None)


def convert(text: str, variant: str | None, script: str | None = None) -> str:
    """Stored text (either script) in the reader's variant, editors' overrides applied.

    `script` is the script the text was written in (Article.script) when known: text already
    in the reader's script is then shown exactly as written.
    """
    if not text:
        return text
    variant = variant_of(variant)
    version = overrides_version()
    if len(text) <= SHORT_TEXT:
        return _convert_short(text, variant, script, version)
    return _convert(text, variant, script, _override_matcher(version, variant), None)


def convert_markdown(source: str, variant: str | None, script: str | None = None) -> str:
    """Like `convert`, for Markdown: link targets and URLs are left as written."""
    if not source:
        return source
    variant = variant_of(variant)
    matcher = _override_matcher(overrides_version(), variant)
    return _convert(source, variant, script, matcher, _MARKDOWN_LINK_TARGETS)


def convert_without_database(text: str, variant: str | None, script: str | None = None) -> str:
    """Like `convert`, with the default overrides instead of the editors' rows."""
    if not text:
        return text
    variant = variant_of(variant)
    rows = tuple((hans, hant, hk) for hans, hant, hk, _why in DEFAULT_OVERRIDES)
    return _convert(text, variant, script, _matcher(rows, variant), None)


# Article pages, cached per revision

ARTICLE_CACHE_SECONDS = 7 * 24 * 3600


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


def article_display(article, sections, variant: str | None) -> dict:
    """Title, summary and sections (heading, anchor, safe HTML body) in the reader's variant.

    Cached under the article, its revision (a digest of everything shown), the variant and
    the overrides version: a second view converts nothing; an edit of the article, one of
    its sections or an override shows at once.
    """
    from articles.markdown import render_markdown

    variant = variant_of(variant)
    key = f"kb:article:{article.pk}:{variant}:{overrides_version()}:{_article_fingerprint(article, sections)}"
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
            {**section, "html": mark_safe(section["html"])}  # noqa: S308 - nh3 output, cached
            for section in cached["sections"]
        ],
    }
