"""What one imported article may hold: the limits the admin enforces too.

`settings.KB_MAX_SECTIONS`, `KB_MAX_SECTION_CHARS` (one section's body) and
`KB_MAX_ARTICLE_CHARS` (all bodies together), read at call time. `check` refuses a file
that breaks one, with a one-line reason; nothing of it is saved. `check_page_text` refuses
a page far over the limit before the work of parsing it.

A scraped page may be cut into more sections than that by its own headings (a FAQ of 60
questions) rather than by being too long, so `fit_page` first merges runs of neighbouring
sections of one kind: the first keeps its heading and the others' headings become `###`
sub-headings in its body (their own sub-headings one level lower), so no word is lost and
the outline skips no level; a merge stops where the body would outgrow a section's limit.
A page still over the limit after that is refused.
"""

from __future__ import annotations

import re

from django.conf import settings

from . import ImportRejected

Sections = list[tuple[str, str, str]]  # (kind, heading, Markdown body)

_HEADING_LINE = re.compile(r"^(#{1,5}) ", re.MULTILINE)


def fit_page(sections: Sections) -> Sections:
    """Sections of a scraped page within the section limit, merging same-kind neighbours."""
    if len(sections) <= settings.KB_MAX_SECTIONS:
        return sections
    merged: Sections = []
    for kind, heading, body in sections:
        if merged and merged[-1][0] == kind:
            _kind, first_heading, first_body = merged[-1]
            parts = [first_body, f"### {heading}", _HEADING_LINE.sub(r"#\1 ", body)]
            joined = "\n\n".join(part for part in parts if part)
            if len(joined) <= settings.KB_MAX_SECTION_CHARS:
                merged[-1] = (kind, first_heading, joined)
                continue
        merged.append((kind, heading, body))
    return merged


def check(sections: Sections) -> None:
    """Raise `ImportRejected` when the article would break one of the limits."""
    most = settings.KB_MAX_SECTIONS
    if len(sections) > most:
        raise ImportRejected(f"分成了 {len(sections)} 段，超过每篇文章 {most} 段的上限")
    per_section = settings.KB_MAX_SECTION_CHARS
    for number, (_kind, heading, body) in enumerate(sections, start=1):
        if len(body) > per_section:
            raise ImportRejected(
                f"第 {number} 段「{heading[:20]}」正文 {len(body):,} 字，"
                f"超过每段 {per_section:,} 字的上限"
            )
    total, most_chars = sum(len(body) for _k, _h, body in sections), settings.KB_MAX_ARTICLE_CHARS
    if total > most_chars:
        raise ImportRejected(f"正文共 {total:,} 字，超过每篇文章 {most_chars:,} 字的上限")


def check_page_text(lines: list[str]) -> None:
    """Refuse a page whose cleaned text is twice an article's limit before parsing it.

    The exact limits are checked on its sections; this only keeps the work on a huge page
    (a 1.7 MB file takes seconds to parse) from being done for nothing.
    """
    total, most = sum(len(line) for line in lines), settings.KB_MAX_ARTICLE_CHARS
    if total > 2 * most:
        raise ImportRejected(f"正文约 {total:,} 字，超过每篇文章 {most:,} 字的上限")
