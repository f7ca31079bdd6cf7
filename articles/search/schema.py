"""Whoosh field types of the article index (pickled into the index's schema, so this module
imports neither Django nor haystack).

Section text is indexed once, in one field, but each posting remembers the kinds of section
the term occurred in (a 16-bit mask stored as the posting's value). That lets a search be
narrowed to one kind of section, and count matches per kind, without a second copy of the
text or a document per section.

A field value carries the kinds as private-use marker characters in front of each chunk
(see `with_kind`); the tokenizer ignores them, so they never become terms.
"""

from __future__ import annotations

import re
from collections import defaultdict

from whoosh.fields import TEXT
from whoosh.formats import Format
from whoosh.system import pack_ushort

from articles.documents import SECTION_KINDS

from .analysis import ChineseAnalyzer, term_counts

KIND_BITS = {kind: 1 << i for i, kind in enumerate(SECTION_KINDS)}
ARTICLE_LEVEL = 1 << 8  # the term also occurs outside any section (e.g. in the summary)

_MARKER_BASE = 0xE100
_MARKERS = re.compile("([\ue100-\ue108])")
_ARTICLE_MARKER = chr(_MARKER_BASE + 8)


def with_kind(kind: str | None, text: str) -> str:
    """Prefix a chunk of field text with the marker of its section kind (None: article level)."""
    if kind is None:
        return _ARTICLE_MARKER + text
    return chr(_MARKER_BASE + SECTION_KINDS.index(kind)) + text


def kind_counts(value: str) -> dict[str, tuple[int, int]]:
    """term → (frequency, kind mask) for a field value built with `with_kind`."""
    freqs: dict[str, int] = defaultdict(int)
    masks: dict[str, int] = defaultdict(int)
    bit = ARTICLE_LEVEL
    for chunk in _MARKERS.split(value):
        if len(chunk) == 1 and _MARKERS.fullmatch(chunk):
            bit = 1 << (ord(chunk) - _MARKER_BASE)
            continue
        for term, freq in term_counts(chunk).items():
            freqs[term] += freq
            masks[term] |= bit
    return {term: (freq, masks[term]) for term, freq in freqs.items()}


class KindFrequency(Format):
    """Postings with a frequency (as the weight) and a 16-bit kind mask (as the value)."""

    posting_size = 2
    __inittypes__ = {"field_boost": float}

    def __init__(self, field_boost=1.0, **options):
        self.field_boost = field_boost
        self.options = options

    def word_values(self, value, analyzer, **kwargs):
        boost = self.field_boost
        for term, (freq, mask) in kind_counts(value).items():
            yield term, freq, freq * boost, pack_ushort(mask)

    def decode_kinds(self, valuestring):
        return int.from_bytes(valuestring, "big")


class ChineseText(TEXT):
    """Bigram-analysed text without positions, postings carrying section kinds.

    Indexing counts terms with `analysis.term_counts` instead of Whoosh's per-token loop; a
    test pins that the terms are exactly those `ChineseTokenizer` yields.
    """

    def __init__(self, analyzer=None, field_boost=1.0):
        super().__init__(analyzer=analyzer or ChineseAnalyzer(), phrase=False)
        self.format = KindFrequency(field_boost=field_boost)

    def index(self, value, **kwargs):
        if isinstance(value, (list, tuple)):
            value = "\n".join(value)
        for term, freq, weight, valuebytes in self.format.word_values(value, None):
            yield term.encode("utf-8"), freq, weight, valuebytes
