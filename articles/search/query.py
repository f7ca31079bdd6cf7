"""From what a reader typed to what the engine looks for.

There is no query language. The text is cut to `KB_SEARCH_MAX_QUERY_LENGTH`, folded and
segmented exactly as the index is (`analysis.segment`): anything that is not a term —
operators, quotes, colons after field names, wildcards, emoji, control characters — is
dropped, so no input can raise an error or widen a search.

What must match: enough of the query's terms. A query of one or two terms needs all of
them; a longer one needs `MIN_SHOULD_MATCH` of them (at least two), because a sentence such
as 催收打给通讯录合法吗 has bigrams that straddle words (收打, 录合) and occur nowhere.
Bigrams with a particle (的, 了, 吗…) are optional. This rule is the same whatever jieba
says; jieba only weights terms: a bigram inside one of its words counts fully, a bigram
across two words counts less (it adds score when the words stand side by side).

Synonyms (kept by editors) and run-together pinyin (wei li dai → weilidai) add variants of
the query; an article matching any variant matches.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from django.conf import settings

from kb.text import fold, phone_digits

from . import lexicon
from .analysis import runs, segment
from .engine import Plan, Variant

MIN_SHOULD_MATCH = 0.45
MAX_TERMS = 40
MAX_VARIANTS = 8
PARTICLES = frozenset("的了吗呢吧啊呀嘛哦哈")
CROSS_WORD_WEIGHT = 0.6
PARTICLE_WEIGHT = 0.3

_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]"
)
_SPACE = re.compile(r"\s+")
_LATIN_GAP = re.compile(r"(?<=[a-z]) +(?=[a-z])")
_NUMBER_ONLY = re.compile(r"[0-9 +\-.()]+")


@dataclass
class ParsedQuery:
    text: str  # what the reader typed, cleaned and cut: shown back to them
    folded: str  # folded, one space between words: what misses are counted under
    plan: Plan = field(default_factory=lambda: Plan([], [], []))
    marks: frozenset[str] = frozenset()  # terms to highlight

    @property
    def is_empty(self) -> bool:
        return not self.text

    @property
    def has_terms(self) -> bool:
        return bool(self.plan.units)


def clean(raw) -> str:
    """The query as typed, without control characters, on one line, cut to the maximum."""
    text = _INVISIBLE.sub("", str(raw or ""))
    text = _SPACE.sub(" ", text).strip()
    return text[: settings.KB_SEARCH_MAX_QUERY_LENGTH].strip()


def needed(count: int) -> int:
    if count <= 2:
        return count
    return max(2, math.ceil(count * MIN_SHOULD_MATCH))


def parse(raw) -> ParsedQuery:
    text = clean(raw)
    folded = _SPACE.sub(" ", fold(text)).strip()
    parsed = ParsedQuery(text=text, folded=folded)
    if not folded:
        return parsed

    units: dict[str, int] = {}
    weights: list[float] = []
    variants: list[Variant] = []
    marks: set[str] = set()
    for variant_text in _variant_texts(folded):
        counted, optional = [], []
        for term, weight in _weighted_terms(variant_text):
            if term not in units:
                if len(units) >= MAX_TERMS:
                    continue
                units[term] = len(units)
                weights.append(weight)
            index = units[term]
            weights[index] = max(weights[index], weight)
            target = optional if weight == PARTICLE_WEIGHT else counted
            if index not in target:
                target.append(index)
        if not counted:  # nothing but particles: they are the query
            counted, optional = optional, []
        if counted:
            variants.append(Variant(tuple(counted), needed(len(counted))))
            marks.update(term for term, i in units.items() if i in counted)
    parsed.plan = Plan(list(units), weights, variants)
    parsed.marks = frozenset(marks)
    return parsed


def _variant_texts(folded: str) -> list[str]:
    texts = [folded]
    joined = _LATIN_GAP.sub("", folded)
    if joined != folded:
        texts.append(joined)
    if _NUMBER_ONLY.fullmatch(folded):  # 9538 4, (010) 1234-5678: one number however typed
        digits = phone_digits(folded)
        if len(digits) >= 5:
            texts.append(digits)
    for group in lexicon.current().synonyms:
        for term in group:
            if term not in folded:
                continue
            for other in group:
                if other != term and len(texts) < MAX_VARIANTS:
                    texts.append(folded.replace(term, other))
    return list(dict.fromkeys(texts))


def _weighted_terms(folded: str) -> list[tuple[str, float]]:
    """The query's terms in order, each weighted by how jieba cuts the text around it."""
    word_of = _word_ids(folded)
    out = []
    for term, start, end in segment(folded):
        if end - start == 2 and len(term) == 2 and not term.isascii():
            if PARTICLES & set(term):
                weight = PARTICLE_WEIGHT
            elif word_of[start] != word_of[start + 1]:
                weight = CROSS_WORD_WEIGHT
            else:
                weight = 1.0
        else:
            weight = 1.0
        out.append((term, weight))
    return out


def _word_ids(folded: str) -> list[int]:
    """For each character, the number of the jieba word it belongs to."""
    ids = list(range(len(folded)))
    if not any(kind == "cjk" for kind, *_ in runs(folded)):
        return ids
    for number, (_word, start, end) in enumerate(lexicon.tokenizer().tokenize(folded)):
        for i in range(start, end):
            ids[i] = -1 - number
    return ids
