"""What a search result shows of an article, read from the database once per indexed document.

A result needs the article's title, address, lender and the text of its sections (to choose
the section that answers and cut a snippet). Fetching them through the ORM, and folding and
stripping the Markdown of every section, was most of a query's time. Here they are kept,
ready to match, per indexed document: (segment id, document number) names one document for
good, because an edit indexes a new document in a new segment. A result whose article was
shown before costs a dictionary look-up; the cache is bounded (least recently used dropped
first, KB_SEARCH_SHOWN_CACHE_MB per process).

Whether an article is still published is not cached: searching.py asks the database on
every search, so an article taken down is never shown, even while its removal from the
index waits in the queue.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.db.models import Prefetch

from articles.limits import shown_sections
from articles.models import Article, Lender, Section
from kb import phones
from kb.text import fold

from . import lexicon
from .analysis import plain_text, terms

NUMBER_SEPARATORS = re.compile(r"(?<=[0-9])[ \-.()+]+(?=[0-9])")


@dataclass(frozen=True)
class Text:
    """A text as shown, and folded (same length: offsets are shared) with its phone numbers
    (kb.phones.find), ready to be matched and marked (highlight.py)."""

    shown: str
    folded: str
    phones: tuple

    @classmethod
    def of(cls, text: str, scanned: int | None = None) -> Text:
        """`text`, its first `scanned` characters folded (all of them by default)."""
        folded = fold(text[:scanned])
        return cls(text, folded, tuple(phones.find(folded)))

    def size(self) -> int:
        return 2 * (len(self.shown) + len(self.folded)) + 100 * len(self.phones) + 100

    @cached_property
    def digits(self) -> str:
        """`folded` without what separates digits: 400-888-8888 holds 4008888888."""
        return NUMBER_SEPARATORS.sub("", self.folded)


@dataclass(frozen=True)
class ShownSection:
    pk: int
    kind: str
    heading: str
    anchor: str
    folded_heading: str
    body: Text  # the words a reader sees in the body, as far as search reads it

    def size(self) -> int:
        return 4 * len(self.heading) + self.body.size() + 200


@dataclass(frozen=True)
class ShownArticle:
    pk: int
    slug: str
    title: Text
    summary: Text
    script: str
    lender_id: int | None
    lender_name: str
    lender_slug: str
    lender_terms: frozenset[str]  # the terms of the lender's indexed names
    sections: tuple[ShownSection, ...]  # the sections a reader is shown (articles.limits)

    def size(self) -> int:
        own = self.title.size() + self.summary.size() + 50 * len(self.lender_terms) + 400
        return own + sum(section.size() for section in self.sections)

    def instance(self) -> Article:
        """The article as a model instance, without a query (other fields load on access)."""
        article = _from_db(
            Article,
            id=self.pk,
            slug=self.slug,
            title=self.title.shown,
            summary=self.summary.shown,
            script=self.script,
            status=Article.Status.PUBLISHED,
            lender_id=self.lender_id,
        )
        if self.lender_id is not None:
            article.lender = _from_db(
                Lender, id=self.lender_id, name=self.lender_name, slug=self.lender_slug
            )
        return article


def _from_db(model, **values):
    """A model instance as the ORM makes one from a row holding only these columns."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(None, names, [values[name] for name in names])


def _limits() -> tuple[int, int, int]:
    return (
        settings.KB_MAX_SECTIONS,
        settings.KB_MAX_SECTION_CHARS,
        settings.KB_MAX_ARTICLE_CHARS,
    )


class ShownCache:
    """ShownArticle per indexed document, least recently used dropped first."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._entries: OrderedDict = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get_many(self, keys, pks) -> dict:
        """key → ShownArticle for these documents (`pks`: their articles), reading the ones
        not kept yet from the database in one go. An article no longer in the database is
        left out."""
        limits = _limits()
        found, missing = {}, {}
        with self._lock:
            for key, pk in zip(keys, pks, strict=True):
                entry = self._entries.get((key, limits))
                if entry is None:
                    missing[key] = pk
                else:
                    self._entries.move_to_end((key, limits))
                    found[key] = entry
        if missing:
            fetched = fetch(set(missing.values()))
            with self._lock:
                for key, pk in missing.items():
                    if pk in fetched:
                        found[key] = fetched[pk]
                        self._store((key, limits), fetched[pk])
        return found

    def _store(self, key, entry: ShownArticle) -> None:
        size = entry.size()
        if size > self.max_bytes:
            return
        old = self._entries.pop(key, None)
        if old is not None:
            self._bytes -= old.size()
        self._entries[key] = entry
        self._bytes += size
        while self._bytes > self.max_bytes:
            _, dropped = self._entries.popitem(last=False)
            self._bytes -= dropped.size()

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0


def fetch(pks) -> dict[int, ShownArticle]:
    """ShownArticle of these articles, from the database (published or not)."""
    sections = Section.objects.order_by("order", "id")[: settings.KB_MAX_SECTIONS]
    articles = (
        Article.objects.filter(pk__in=pks)
        .select_related("lender")
        .prefetch_related(Prefetch("sections", queryset=sections, to_attr="first_sections"))
    )
    return {article.pk: _shown(article) for article in articles}


def _shown(article) -> ShownArticle:
    lender = article.lender if article.lender_id else None
    return ShownArticle(
        pk=article.pk,
        slug=article.slug,
        title=Text.of(article.title),
        summary=Text.of(article.summary, scanned=settings.KB_MAX_SECTION_CHARS),
        script=article.script,
        lender_id=article.lender_id,
        lender_name=lender.name if lender else "",
        lender_slug=lender.slug if lender else "",
        lender_terms=frozenset(terms(lexicon.lender_text(lender))) if lender else frozenset(),
        sections=tuple(_section(s) for s in shown_sections(article.first_sections)),
    )


def _section(section) -> ShownSection:
    return ShownSection(
        pk=section.pk,
        kind=section.kind,
        heading=section.heading,
        anchor=section.anchor,
        folded_heading=fold(section.heading),
        body=Text.of(plain_text(section.body[: settings.KB_MAX_SECTION_CHARS])),
    )


_cache: dict = {"shown": None}
_cache_lock = threading.Lock()


def cache() -> ShownCache:
    with _cache_lock:
        shown = _cache["shown"]
        if shown is None or shown.max_bytes != settings.KB_SEARCH_SHOWN_CACHE_MB << 20:
            shown = _cache["shown"] = ShownCache(settings.KB_SEARCH_SHOWN_CACHE_MB << 20)
        return shown


def reset() -> None:
    with _cache_lock:
        _cache["shown"] = None
