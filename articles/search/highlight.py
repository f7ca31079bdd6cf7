"""Which section of an article answers the query, and a snippet of it with <mark>ed terms.

Haystack's Whoosh highlighting re-analyses text with an English stemmer; here the section's
text is folded (offsets stay 1:1) and cut into the same terms as the index, so a term found
in folded text is marked at the same offsets in the stored text, in either script. The
window is converted whole (names and words keep their context: articles/display.py) into
runs with and without a mark, each escaped, so conversion can never break or inject markup.

Work per result is bounded, whatever an article holds: each section is read up to
settings.KB_MAX_SECTION_CHARS (every section the admin or the importer accepts is read
whole; a longer legacy one, its beginning), at most `MAX_MATCHES` matches are considered,
and the window is chosen in one pass over them.
"""

from __future__ import annotations

import heapq
import html
import re
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

from articles.display import convert_marked
from kb import phones
from kb.text import fold

from .analysis import CJK_PAIR, MAX_TERM_LENGTH, runs

_SPACES = re.compile(r"\s+")

SNIPPET_CHARS = 110
CONTEXT_BEFORE = 24
PREFERRED_KIND_BONUS = 2.0  # as much as one more term in the heading
# Matches considered per result: a 110-character window shows a few dozen at most.
MAX_MATCHES = 200


@dataclass
class Match:
    section: object | None
    score: float
    spans: list[tuple[int, int]]  # in the section's plain text
    text: str  # the section's plain text


def _scanned(text: str) -> str:
    """The part of a text that search reads (all of it, for text within the limits)."""
    return text[: settings.KB_MAX_SECTION_CHARS]


def spans_of(text: str, marks, limit: int = MAX_MATCHES) -> list[tuple[int, int]]:
    """Merged (start, end) spans of `marks` terms in `text` (offsets into `text` itself):
    the first `limit` of them, found in the first KB_MAX_SECTION_CHARS characters."""
    return folded_spans(fold(_scanned(text)), marks, limit)


def folded_spans(
    folded: str, marks, limit: int = MAX_MATCHES, found_phones=None
) -> list[tuple[int, int]]:
    """`spans_of` for text already folded (and cut to what search reads); `found_phones`:
    its phone numbers (`kb.phones.find`), when known.

    The terms are those `segment` yields. Two adjacent CJK characters outside a phone number
    are always a bigram term, so marked bigrams are found by one regular expression over the
    whole text; the other terms (words, digits, numbers, lone characters) run by run, and
    only when the query has any.
    """
    marks = frozenset(marks)
    pairs, others = _split_marks(marks)
    if found_phones is None:
        found_phones = phones.find(folded)
    found = []
    if pairs is not None:
        found.append(_pair_spans(pairs, folded, found_phones))
    if others:
        found.append(
            (start, end)
            for kind, run, start, end in runs(folded, found_phones)
            if not (kind == "cjk" and len(run) > 1) and run[:MAX_TERM_LENGTH] in others
        )
    spans: list[list[int]] = []
    for start, end in heapq.merge(*found):
        if spans and start <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], end)
        elif len(spans) == limit:
            break
        else:
            spans.append([start, end])
    return [(start, end) for start, end in spans]


def _pair_spans(pairs: re.Pattern, folded: str, found_phones):
    numbers = [(phone.start, phone.end) for phone in found_phones]
    i = 0
    for match in pairs.finditer(folded):
        start = match.start()
        while i < len(numbers) and numbers[i][1] <= start:
            i += 1
        if i < len(numbers) and numbers[i][0] < start + 2:
            continue  # inside a phone number (400转分机…): not a bigram term there
        yield start, start + 2


@lru_cache(maxsize=512)
def _split_marks(marks: frozenset[str]) -> tuple[re.Pattern | None, frozenset[str]]:
    """A pattern finding where each bigram mark starts (overlapping ones too: 催收收 holds 催收
    and 收收), and the other marks."""
    pairs = sorted(term for term in marks if CJK_PAIR.fullmatch(term))
    others = marks.difference(pairs)
    if not pairs:
        return None, others
    return re.compile("(?=(?:" + "|".join(re.escape(pair) for pair in pairs) + "))"), others


def best_section(
    sections, marks, kind: str | None = None, identity=frozenset(), prefer=()
) -> Match:
    """The section with the most query terms (a heading counts double).

    `sections` are shown.ShownSection (bodies already plain and folded). `identity` are the
    query's terms that name the article's lender: they say which article, not which section,
    so they count a quarter. A section of a kind in `prefer` (what the question asks: 合法吗
    → legality) gets `PREFERRED_KIND_BONUS` if it holds any term.
    """
    best = Match(None, 0.0, [], "")
    # Each term's weight; a sum of quarters and wholes is exact in any order.
    weighted = [(term, 0.25 if term in identity else 1.0, term.isdigit()) for term in marks]
    for section in sections:
        if kind and section.kind != kind:
            continue
        # A term is a bigram, a word or a digit run: finding it as a substring of the folded
        # text is (near enough, for choosing a section) finding it as a term, and much faster.
        heading, body = section.folded_heading, section.body.folded
        score = 0.0
        for term, weight, digits in weighted:
            count = 2 * (term in heading)
            if term in body or (digits and term in section.body.digits):
                count += 1
            if count:
                score += weight * count
        if score and section.kind in prefer:
            score += PREFERRED_KIND_BONUS
        if best.section is None or score > best.score:
            best = Match(section, score, [], "")
    if best.section is not None:
        body = best.section.body
        best.text = body.shown
        if best.score:
            best.spans = folded_spans(body.folded, marks, found_phones=body.phones)
    return best


def _densest(spans: list[tuple[int, int]], width: int) -> int:
    """Start of the first span that begins the most spans ending within `width` of it.

    `spans` are sorted and disjoint, so their ends rise too: the spans a window starting at
    span i holds are i..j-1, and j only moves forward (one pass, however many spans).
    """
    best_start, best_count = spans[0][0], 0
    j = 0
    for i, (start, _) in enumerate(spans):
        j = max(j, i)
        while j < len(spans) and spans[j][1] <= start + width:
            j += 1
        if j - i > best_count:
            best_start, best_count = start, j - i
    return best_start


def _window(text: str, spans: list[tuple[int, int]], width: int) -> tuple[int, int]:
    if len(text) <= width:
        return 0, len(text)
    if not spans:
        return 0, min(len(text), width)
    best_start = _densest(spans, width)
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
    shown_html = "".join(pieces).strip()
    if start > 0:
        shown_html = "…" + shown_html
    if end < len(text.rstrip()):
        shown_html += "…"
    return mark_safe(shown_html)


def _plain(text: str) -> str:
    return html.escape(
        _SPACES.sub(" ", text)
    )  # as django.utils.html.escape, without its lazy wrapper


def summary_snippet(summary: str, marks, variant: str, script: str | None = None) -> SafeString:
    return snippet(summary, spans_of(summary, marks), variant, script)


def marked(text, marks, variant: str, script: str | None = None, width=SNIPPET_CHARS):
    """`snippet` of a shown.Text (folded once, when it was first shown)."""
    spans = folded_spans(text.folded, marks, found_phones=text.phones)
    return snippet(text.shown, spans, variant, script, width)
