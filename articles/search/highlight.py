"""Which section of an article answers the query, and a snippet of it with <mark>ed terms.

Haystack's Whoosh highlighting re-analyses text with an English stemmer; here the section's
text is folded (offsets stay 1:1) and cut into the same terms as the index, so a term found
in folded text is marked at the same offsets in the stored text, in either script. The
window is converted whole (names and words keep their context: articles/display.py) into
runs with and without a mark, each escaped, so conversion can never break or inject markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles.display import convert_marked
from kb.text import fold

from .analysis import plain_text, segment

_SPACES = re.compile(r"\s+")
_NUMBER_SEPARATORS = re.compile(r"(?<=[0-9])[ \-.()+]+(?=[0-9])")

SNIPPET_CHARS = 110
CONTEXT_BEFORE = 24
PREFERRED_KIND_BONUS = 2.0  # as much as one more term in the heading


@dataclass
class Match:
    section: object | None
    score: float
    spans: list[tuple[int, int]]  # in the section's plain text
    text: str  # the section's plain text


def spans_of(text: str, marks) -> list[tuple[int, int]]:
    """Merged (start, end) spans of `marks` terms in `text` (offsets into `text` itself)."""
    spans: list[list[int]] = []
    for term, start, end in segment(fold(text)):
        if term not in marks:
            continue
        if spans and start <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], end)
        else:
            spans.append([start, end])
    return [(start, end) for start, end in spans]


def best_section(
    sections, marks, kind: str | None = None, identity=frozenset(), prefer=()
) -> Match:
    """The section with the most query terms (a heading counts double).

    `identity` are the query's terms that name the article's lender: they say which article,
    not which section, so they count a quarter. A section of a kind in `prefer` (what the
    question asks: 合法吗 → legality) gets `PREFERRED_KIND_BONUS` if it holds any term.
    """
    best = Match(None, 0.0, [], "")
    for section in sections:
        if kind and section.kind != kind:
            continue
        # A term is a bigram, a word or a digit run: finding it as a substring of the folded
        # text is (near enough, for choosing a section) finding it as a term, and much faster.
        heading, body = fold(section.heading), fold(section.body)
        heading_terms = {term for term in marks if term in heading}
        body_terms = {term for term in marks if term in body}
        if any(term.isdigit() for term in marks - body_terms):
            # A phone number is one term however it is written: 400-888-8888 holds 4008888888.
            digits = _NUMBER_SEPARATORS.sub("", body)
            body_terms |= {term for term in marks if term.isdigit() and term in digits}
        score = sum(
            (0.25 if term in identity else 1.0)
            * (2 * (term in heading_terms) + (term in body_terms))
            for term in heading_terms | body_terms
        )
        if score and section.kind in prefer:
            score += PREFERRED_KIND_BONUS
        if best.section is None or score > best.score:
            best = Match(section, score, [], "")
    if best.section is not None:
        best.text = plain_text(best.section.body)
        best.spans = spans_of(best.text, marks) if best.score else []
    return best


def _window(text: str, spans: list[tuple[int, int]], width: int) -> tuple[int, int]:
    if len(text) <= width:
        return 0, len(text)
    if not spans:
        return 0, min(len(text), width)
    best_start, best_count = spans[0][0], 0
    for i, (start, _) in enumerate(spans):
        count = sum(1 for s, e in spans[i:] if e <= start + width)
        if count > best_count:
            best_start, best_count = start, count
    start = max(0, best_start - CONTEXT_BEFORE)
    # Start at a sentence or line boundary when one is close.
    for boundary in ("\n", "。", "；", "，"):
        cut = text.rfind(boundary, start, best_start)
        if cut != -1 and best_start - cut <= CONTEXT_BEFORE:
            start = cut + 1
            break
    return start, min(len(text), start + width)


def snippet(text: str, spans, variant: str, script: str | None = None, width=SNIPPET_CHARS):
    """HTML for a window of `text` around `spans`, marked, converted and escaped."""
    start, end = _window(text, spans, width)
    shown = [(s - start, e - start) for s, e in spans if s < end and e > start]
    pieces = [
        f"<mark>{_plain(run)}</mark>" if marked else _plain(run)
        for run, marked in convert_marked(text[start:end], shown, variant, script)
    ]
    html = "".join(pieces).strip()
    if start > 0:
        html = "…" + html
    if end < len(text.rstrip()):
        html += "…"
    return mark_safe(html)


def _plain(text: str) -> str:
    return escape(_SPACES.sub(" ", text))


def summary_snippet(summary: str, marks, variant: str, script: str | None = None) -> SafeString:
    return snippet(summary, spans_of(summary, marks), variant, script)
