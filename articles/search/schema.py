"""Whoosh field types of the article index (pickled into the index's schema, so this module
imports neither Django nor haystack).

Section text is indexed once, in one field, but each posting remembers the kinds of section
the term occurred in (a 16-bit mask stored as the posting's value). That lets a search be
narrowed to one kind of section, and count matches per kind, without a second copy of the
text or a document per section.

This module knows masks, not kinds: the top bit (`ARTICLE_LEVEL`) says the term also occurs
outside any section, and which section kind owns which of the other bits is layout.py's.
A field value carries the bits as private-use marker characters in front of each chunk
(`marker`); the tokenizer ignores them, so they never become terms.
"""

from __future__ import annotations

import re
import struct
from collections import defaultdict

from whoosh.fields import TEXT
from whoosh.formats import Format
from whoosh.system import pack_ushort

from .analysis import ChineseAnalyzer, term_counts

MASK_BITS = 16  # a posting's value is an unsigned short
ARTICLE_LEVEL = 1 << (MASK_BITS - 1)  # the term also occurs outside any section (the summary)

_MARKER_BASE = 0xE100
_MARKERS = re.compile("([\ue100-\ue10f])")


def marker(bit: int) -> str:
    """The character that marks the text after it as belonging to `bit` (one bit of the mask)."""
    if bit <= 0 or bit & (bit - 1) or bit > ARTICLE_LEVEL:
        raise ValueError(f"not one bit of a {MASK_BITS}-bit mask: {bit}")
    return chr(_MARKER_BASE + bit.bit_length() - 1)


def kind_counts(value: str) -> dict[str, tuple[int, int]]:
    """term → (frequency, kind mask) for a field value whose chunks start with `marker`s
    (text before the first marker is article level)."""
    freqs, masks = _counts_and_masks(value)
    return {term: (freq, masks[term]) for term, freq in freqs.items()}


def _counts_and_masks(value: str) -> tuple[dict[str, int], dict[str, int]]:
    """(term → frequency, term → kind mask), the same terms in the same order."""
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
    return freqs, masks


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

    def term_postings(self, value) -> tuple[list[str], list[int], bytes]:
        """What `index` yields, at once: (terms, frequencies, kind masks as 2-byte big-endian
        values), for whoosh_writing.BulkWriter."""
        if isinstance(value, (list, tuple)):
            value = "\n".join(value)
        freqs, masks = _counts_and_masks(value)
        return list(freqs), list(freqs.values()), struct.pack(f">{len(masks)}H", *masks.values())
