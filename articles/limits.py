"""How much of an article a page or a search result reads.

Editors and the importer are held to settings.KB_MAX_SECTIONS, KB_MAX_SECTION_CHARS and
KB_MAX_ARTICLE_CHARS. Rows saved before those limits (or written straight to the database)
may hold anything: such an article is shown and searched by its beginning, so no single row
can make a page or a search do unbounded work. An article within the limits is read whole.
"""

from __future__ import annotations

from django.conf import settings


def first_sections(article):
    """The article's sections in order, at most KB_MAX_SECTIONS of them (one query)."""
    return article.sections.order_by("order", "id")[: settings.KB_MAX_SECTIONS]


def shown_sections(sections) -> list:
    """The sections a reader is shown: at most KB_MAX_SECTIONS, and none after the one that
    takes the bodies past KB_MAX_ARTICLE_CHARS (so the first is always shown)."""
    shown, chars = [], 0
    for section in sections:
        if len(shown) == settings.KB_MAX_SECTIONS or chars > settings.KB_MAX_ARTICLE_CHARS:
            break
        shown.append(section)
        chars += len(section.body)
    return shown
