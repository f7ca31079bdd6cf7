"""Lines a site repeats on its pages: its navigation, slogan and footer, known by repetition.

Only when several pages are imported in one run. Pages are of one site when they give
the same host as their source (`source_host`: an HTML page's canonical address, or a
`来源: https://…` line at the page's edges), otherwise when they lie in one directory
(`site_of`). `SiteLines` counts, over one site's pages, where each line stands; a page
is then cleaned with its own positions (`drop_site_lines`). Lines are compared folded
(`kb.text.fold`: 頁腳 and 页脚 are one line) and without whitespace.

A single page has nothing to compare with and is left exactly as it was.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from kb.text import fold

from .cleaning import is_paragraph
from .kinds import OTHER, kind_for
from .links import domain_of
from .markers import numbering

# A line is the site's, not the article's, when it is repeated on two pages of the site
# (copies of one article count once) and says nothing of its own: at most SITE_LINE_MAX
# characters, no sentence end (。！？), no heading (a number, a mark, or one phrase with a
# section keyword: 应对策略, 一、背景) and no label opening what follows (详细解答:) — so
# two pages quoting one law, or sharing a heading of a kind or a template's labels, keep
# it. Such a line goes where it stands at the page's edges (before the first paragraph or
# after the last) on this page and on another page, where a site puts its frame; in the
# body only on a site of 3 pages or more that repeats it on at least half of them, since
# two pages alone may share a short line by chance.
SITE_LINE_MAX = 40
MIN_PAGES_FOR_BODY = 3
_SENTENCE_END = re.compile(r"[。！？!?]")
_SEPARATOR = re.compile(r"[\s|｜/·•>»›＞]")
# Two pages sharing this share of their paragraphs are one article twice, not a template.
COPY_SHARE = 0.5

# Where a page says it was published.
_CANONICAL = re.compile(
    r"<(?:link|meta)\b[^>]*?(?:rel=[\"']?canonical|property=[\"']?og:url)[^>]*>", re.I
)
_HREF = re.compile(r"(?:href|content)\s*=\s*[\"']?(https?://[^\s\"'<>]+)", re.I)
_SOURCE_LINE = re.compile(
    r"^(?:来源|原文|原文链接|原文地址|本文链接|本文地址|文章来源|出处|网址|链接|url|source|link)"
    r"\s*[:：]\s*<?(https?://[^\s<>\"']+)",
    re.I,
)
EDGE_LINES = 5


def key(line: str) -> str:
    return re.sub(r"\s+", "", fold(line))


def source_host(text: str) -> str:
    """The host a page says it came from (`www.` dropped), or ''."""
    head = text[:20000]
    for tag in _CANONICAL.findall(head):
        if match := _HREF.search(tag):
            return _host(match.group(1))
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in lines[:EDGE_LINES] + lines[-EDGE_LINES:]:
        if match := _SOURCE_LINE.match(fold(line)):
            return _host(match.group(1))
    return ""


def _host(url: str) -> str:
    return domain_of(url).removeprefix("www.")


def site_of(text: str, directory) -> str:
    host = source_host(text)
    return f"host:{host}" if host else f"dir:{directory}"


def edges(lines: list[str]) -> set[int]:
    """The indexes of the lines before the first paragraph and after the last."""
    paragraphs = [i for i, line in enumerate(lines) if is_paragraph(line)]
    if not paragraphs:
        return set(range(len(lines)))
    return set(range(paragraphs[0])) | set(range(paragraphs[-1] + 1, len(lines)))


def could_be_site_line(line: str) -> bool:
    if len(line) > SITE_LINE_MAX or _SENTENCE_END.search(line) or line.startswith("#"):
        return False
    if numbering(line)[0] is not None or line.endswith((":", "：")):
        return False
    return not (kind_for(line) != OTHER and not _SEPARATOR.search(line.strip()))


@dataclass
class SiteLines:
    """Over one site's pages (copies of one article as one): on how many each line stands,
    and on how many it stands at the page's edges."""

    pages: int = 0
    anywhere: Counter = field(default_factory=Counter)
    at_edges: Counter = field(default_factory=Counter)

    def is_site_line(self, line_key: str, at_edge: bool) -> bool:
        if at_edge and self.at_edges[line_key] >= 2:
            return True
        return (
            self.pages >= MIN_PAGES_FOR_BODY
            and self.anywhere[line_key] >= 2
            and 2 * self.anywhere[line_key] >= self.pages
        )


def count_site_lines(pages: list[list[str]]) -> SiteLines:
    """What one site's pages (their lines after the shape clean-up) repeat."""
    groups = _copies(pages)
    site = SiteLines(pages=len(set(groups)))
    anywhere: dict[str, set[int]] = {}
    at_edges: dict[str, set[int]] = {}
    for lines, group in zip(pages, groups, strict=True):
        edge = edges(lines)
        for i, line in enumerate(lines):
            if could_be_site_line(line):
                line_key = key(line)
                anywhere.setdefault(line_key, set()).add(group)
                if i in edge:
                    at_edges.setdefault(line_key, set()).add(group)
    site.anywhere.update({k: len(v) for k, v in anywhere.items() if len(v) >= 2})
    site.at_edges.update({k: len(v) for k, v in at_edges.items() if len(v) >= 2})
    return site


def _copies(pages: list[list[str]]) -> list[int]:
    """A group number per page; pages sharing COPY_SHARE of their paragraphs share one."""
    bodies = [{key(line) for line in lines if is_paragraph(line)} for lines in pages]
    holders: dict[str, list[int]] = {}
    for i, body in enumerate(bodies):
        for paragraph in body:
            holders.setdefault(paragraph, []).append(i)
    group = list(range(len(pages)))

    def root(i: int) -> int:
        while group[i] != i:
            i = group[i]
        return i

    for i, body in enumerate(bodies):
        shared = Counter(j for paragraph in body for j in holders[paragraph] if j < i)
        for j, count in shared.items():
            if count >= COPY_SHARE * min(len(body), len(bodies[j])):
                group[root(i)] = root(j)
    return [root(i) for i in range(len(pages))]


def drop_site_lines(lines: list[str], site: SiteLines | None) -> tuple[list[str], list[str]]:
    """(lines kept, lines removed as the site's)."""
    if site is None:
        return lines, []
    edge = edges(lines)
    kept, removed = [], []
    for i, line in enumerate(lines):
        if could_be_site_line(line) and site.is_site_line(key(line), i in edge):
            removed.append(line)
        else:
            kept.append(line)
    return kept, removed
