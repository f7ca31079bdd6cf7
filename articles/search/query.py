"""From what a reader typed to what the engine looks for.

There is no query language. The text is cut to `KB_SEARCH_MAX_QUERY_LENGTH`, folded and
segmented exactly as the index is (`analysis.segment`): anything that is not a term —
operators, quotes, colons after field names, wildcards, emoji, control characters — is
dropped, so no input can raise an error or widen a search.

What must match: enough of the query's terms. A query of one or two terms needs all of
them; a longer one needs `MIN_SHOULD_MATCH` of them (at least two), because a sentence such
as 催收打给通讯录合法吗 has bigrams that straddle words (收打, 录合) and occur nowhere.
Bigrams with a particle, a question word or a pronoun (的, 吗, 怎么, 我…), and those across
the edge of a lender's name (宜人贷催收 → 贷催, which 网贷催收 also has), are optional:
they add score, never decide. This rule is the same whatever jieba says; jieba only weights
terms: a bigram inside one of its words counts fully, a bigram across two words counts less
(it adds score when the words stand side by side).

Variants of the query: synonyms kept by editors (the longest term of a group found in the
query is swapped for each other term), a lender's name typed with the wrong characters of
the same sound (微立贷 → 微粒贷, when they share a character), and run-together pinyin
(wei li dai → weilidai). Besides, a phone number matches on its own, and a lender's name
with part of the rest of the query. An article matching any variant matches.

When nothing matches, `relaxed_plan` is tried (searching.py): a lower bar over the terms
that carry meaning — no bigram with a function character (给, 被, 是, 这…), none across a
lender's name or a question word, and where jieba found at least two whole words, only
those — or, for a query in latin letters, just the lender whose pinyin it holds. Results
found so are flagged as partial matches.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import NamedTuple

from django.conf import settings

from articles.models import Section
from kb import phones
from kb.text import fold

from . import lexicon
from .analysis import runs, segment
from .engine import Plan, Variant

MIN_SHOULD_MATCH = 0.45
RELAXED_SHOULD_MATCH = 0.4
WITH_LENDER_SHOULD_MATCH = 0.3  # of the rest, besides the lender's name
LONE_WORD_MAX_SHARE = 0.5  # of the articles: a lone word commoner than that finds nothing
MAX_TERMS = 40
MAX_VARIANTS = 12
# Bigrams with these are optional: particles, question words, pronouns.
PARTICLES = frozenset("的了吗呢吧啊呀嘛哦哈么怎什我你他她它们咱")
# … and these too carry no topic when nothing matched (relaxed_plan).
FUNCTION_CHARS = PARTICLES | frozenset("给被把是在就都也很这那该样")
# Words that only frame a question (仲裁是什么意思): optional, like particles.
QUESTION_WORDS = frozenset(
    ["意思", "请问", "一下", "知道", "可以", "到底", "如果", "真的"]
    + ["是不是", "有没有", "会不会", "能不能", "要不要", "可不可以"]
)
# What a question asks for, by the words it uses: the section kind that answers it. A hint
# for choosing the section a result links to, never a filter.
INTENTS = [
    (
        Section.Kind.LEGALITY,
        ("合法", "违法", "犯法", "犯罪", "坐牢", "判刑", "侵权", "法律", "有权"),
    ),
    (Section.Kind.COPING, ("怎么办", "怎么处理", "如何处理", "应对", "怎么做", "该怎么", "如何")),
    (Section.Kind.RISKS, ("诈骗", "骗子", "骗局", "真假", "真的吗", "冒充", "注意")),
    (Section.Kind.ORIGIN, ("是谁", "谁打", "哪里打", "为什么")),
    (Section.Kind.CALL_METHODS, ("号码", "热线", "客服电话", "电话是多少")),
]
CROSS_WORD_WEIGHT = 0.6
PARTICLE_WEIGHT = 0.3

_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]"
)
_SPACE = re.compile(r"\s+")
_LATIN_GAP = re.compile(r"(?<=[a-z]) +(?=[a-z])")


@dataclass
class ParsedQuery:
    text: str  # what the reader typed, cleaned and cut: shown back to them
    folded: str  # folded, one space between words: what misses are counted under
    plan: Plan = field(default_factory=lambda: Plan([], [], []))
    marks: frozenset[str] = frozenset()  # terms to highlight
    relaxed_plan: Plan | None = None  # what to try when `plan` finds nothing
    intent: tuple[str, ...] = ()  # section kinds the question asks for (a hint, never a filter)
    phone: phones.Phone | None = None  # the phone number the query is or holds

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


def phone_in(folded: str) -> phones.Phone | None:
    """The number a query is (however it is grouped: 9538 4), or else the first one it holds
    (刚才 021-12345678 打给我)."""
    whole = phones.parse(folded)
    if whole is not None and whole.kind != phones.OTHER:
        return whole
    found = phones.find(folded)
    return found[0] if found else None


def needed(count: int) -> int:
    if count <= 2:
        return count
    return max(2, math.ceil(count * MIN_SHOULD_MATCH))


def needed_relaxed(count: int) -> int:
    return max(2, math.ceil(count * RELAXED_SHOULD_MATCH))


def parse(raw) -> ParsedQuery:
    text = clean(raw)
    folded = _SPACE.sub(" ", fold(text)).strip()
    parsed = ParsedQuery(text=text, folded=folded, phone=phone_in(folded))
    if not folded:
        return parsed
    lex = lexicon.current()
    plans = _Plans()
    for number, variant_text in enumerate(_variant_texts(folded, lex)):
        plans.add(_terms_of(variant_text, lex), as_typed=number == 0)
    parsed.plan = Plan(list(plans.units), plans.weights, plans.variants)
    parsed.marks = frozenset(plans.marks)
    parsed.intent = tuple(kind for kind, cues in INTENTS if any(cue in folded for cue in cues))
    parsed.relaxed_plan = plans.relaxed_plan()
    return parsed


class Term(NamedTuple):
    """One term of a variant of the query, as `_terms_of` finds it."""

    text: str
    weight: float  # how jieba cuts the text around it (scoring only)
    meaningful: bool  # holds no function character and frames nothing (relaxed_plan)
    name: str | None = None  # the lender name, pinyin, initials or number it belongs to
    optional: bool = False  # a particle or question word: adds score, never decides
    whole_word: bool = True  # inside one jieba word (or a term on its own)


@dataclass
class _Plans:
    """The plans of one query, gathered variant by variant: the terms shared by every
    variant (`units`, each with its largest weight), the variants that may match, and those
    to try when nothing does."""

    units: dict[str, int] = field(default_factory=dict)
    weights: list[float] = field(default_factory=list)
    variants: list[Variant] = field(default_factory=list)
    relaxed: list[Variant] = field(default_factory=list)
    marks: set[str] = field(default_factory=set)

    def add(self, found: list[Term], as_typed: bool) -> None:
        new = {term.text for term in found if term.text not in self.units}
        if not as_typed and len(self.units) + len(new) > MAX_TERMS:
            return  # a variant cut short would match more than it says
        counted, optional, words, meaningful, names = [], [], [], [], {}
        for term in found:
            index = self._unit(term)
            if index is None:
                continue
            target = optional if term.optional else counted
            if index not in target:
                target.append(index)
            if term.meaningful and not term.optional and index not in meaningful:
                meaningful.append(index)
                if term.whole_word:
                    words.append(index)
            if term.name:
                names.setdefault(term.name, set()).add(index)
        counted = counted or optional  # nothing but particles: they are the query
        if not counted:
            return
        self.variants.append(Variant(tuple(counted), needed(len(counted))))
        # A phone number says what the reader wants on its own (95188打来的是真的吗); a
        # lender's name, with some of the rest (安逸花客服电话是多少: the 安逸花 article,
        # although it lists no number).
        self.variants.extend(
            Variant((i,), 1)
            for text, i in self.units.items()
            if i in counted and len(counted) > 1 and _says_enough(text)
        )
        self.variants.extend(_with_lender(names, meaningful, len(counted)))
        shown = set(meaningful or counted)  # not 打给, 是不: they carry no meaning
        self.marks.update(text for text, i in self.units.items() if i in shown)
        self.relaxed.extend(_relaxed(words, meaningful, names))

    def _unit(self, term: Term) -> int | None:
        """The term's unit number (None past MAX_TERMS: the query as typed is cut there)."""
        if term.text not in self.units:
            if len(self.units) >= MAX_TERMS:
                return None
            self.units[term.text] = len(self.units)
            self.weights.append(term.weight)
        index = self.units[term.text]
        self.weights[index] = max(self.weights[index], term.weight)
        return index

    def relaxed_plan(self) -> Plan | None:
        strict = {(v.units, v.need) for v in self.variants}
        if any((v.units, v.need) not in strict for v in self.relaxed):
            return Plan(list(self.units), self.weights, self.relaxed)
        return None


def _with_lender(names: dict, meaningful: list[int], counted: int) -> list[Variant]:
    out = []
    for name, indexes in names.items():
        if name.isascii() or len(indexes) >= counted:
            continue
        own = tuple(sorted(indexes))
        rest = tuple(i for i in meaningful if i not in indexes)
        need = max(1, math.ceil(len(rest) * WITH_LENDER_SHOULD_MATCH)) if rest else 0
        out.append(Variant(own + rest, len(own) + need, must=own))
    return out


def _says_enough(term: str) -> bool:
    return term.isdigit() and len(term) >= 5


def _relaxed(words: list[int], meaningful: list[int], names: dict) -> list[Variant]:
    """What one variant of the query may match when nothing matches it in full.

    A share of its terms that carry meaning (whole jieba words when there are two or more),
    or its one such term when that is all it says besides question words (仲裁是什么意思).
    A lender's name never counts here (it is `_with_lender`'s): a name with unrelated words
    finds nothing (测微粒贷区块链挖矿教程). A name with one other whole word finds the
    articles holding that word (借呗会起诉吗: the articles on lawsuits) unless most articles
    hold it (宜人贷催收 does not find every article). A query in latin letters matches at
    least the lender whose pinyin it holds (weilidai cuishou).
    """
    out = [
        Variant(tuple(sorted(indexes)), len(indexes))
        for name, indexes in names.items()
        if name.isascii()
    ]
    named = {i for name, indexes in names.items() if not name.isascii() for i in indexes}
    words = [i for i in words if i not in named]
    meaningful = [i for i in meaningful if i not in named]
    pool = words if len(words) >= 2 else meaningful
    if len(pool) >= 2:
        out.append(Variant(tuple(pool), needed_relaxed(len(pool))))
    elif len(meaningful) == 1 and not named:
        out.append(Variant(tuple(meaningful), 1))
    if named and len(words) == 1:
        out.append(Variant(tuple(words), 1, max_share=LONE_WORD_MAX_SHARE))
    return out


def _variant_texts(folded: str, lex: lexicon.Lexicon) -> list[str]:
    texts = [folded]
    joined = _LATIN_GAP.sub("", folded)
    if joined != folded:
        texts.append(joined)
    whole = phones.parse(folded)  # 9538 4, (010) 1234-5678: one number however typed
    if whole is not None:
        texts.append(whole.digits)
    base = _sound_alike(folded, lex)
    if base != folded:
        texts.append(base)
    # Each synonym group found in the text adds a variant per other term, groups taking
    # turns, so that one long group cannot crowd out the others. The swapped-in term stands
    # apart: bigrams across its edges (我爸妈 → 我家人 → 我家) would be artefacts.
    queues = []
    for group in lex.synonyms:
        present = [term for term in group if term in base]
        if present:
            found = max(present, key=len)
            queues.append(
                [
                    _SPACE.sub(" ", base.replace(found, f" {other} ")).strip()
                    for other in group
                    if other != found
                ]
            )
    while queues and len(texts) < MAX_VARIANTS:
        for queue in queues:
            if queue and len(texts) < MAX_VARIANTS:
                texts.append(queue.pop(0))
        queues = [queue for queue in queues if queue]
    return list(dict.fromkeys(texts))


def _sound_alike(folded: str, lex: lexicon.Lexicon) -> str:
    """`folded` with lender names typed as other characters of the same sound put right.

    微立贷 → 微粒贷, 招连 → 招联: the same toneless syllables as a name, at least one
    character in common, and no function character among the others (分期了 is not 分期乐).
    """
    sounds = lex.sounds()
    if not sounds:
        return folded
    names = lex.words()
    lengths = sorted({len(key) for key in sounds}, reverse=True)
    out = list(folded)
    for kind, text, start, _end in runs(folded):
        if kind != "cjk" or len(text) < 2:
            continue
        syllables = lexicon.syllables_of(text)
        if len(syllables) != len(text):
            continue
        i = 0
        while i < len(text) - 1:
            step = 1
            for length in lengths:
                typed = text[i : i + length]
                if len(typed) < length:
                    continue
                if typed in names:
                    step = length
                    break
                name = _sounds_like(typed, sounds.get(tuple(syllables[i : i + length]), ()))
                if name:
                    out[start + i : start + i + length] = name
                    step = length
                    break
            i += step
    return "".join(out)


def _sounds_like(typed: str, names) -> str | None:
    for name in names:
        differ = [t for t, n in zip(typed, name, strict=True) if t != n]
        if len(differ) < len(name) and not FUNCTION_CHARS & set(differ):
            return name
    return None


def _terms_of(folded: str, lex: lexicon.Lexicon) -> list[Term]:
    """The query's terms in order.

    The weight says how jieba cuts the text around a bigram (inside a word, across words);
    a bigram with a particle, or in a question phrase (什么意思), is optional. A term carries
    meaning unless it holds a function character. Bigrams inside a lender's name are always
    counted in full (你我贷), and say which name they belong to, as do latin and digit terms
    that are a lender's pinyin, initials or number.
    """
    keys = lex.keys()
    words = _words(folded, lex)
    out = []
    for term, start, end in segment(folded):
        if end - start == 2 and len(term) == 2 and not term.isascii():
            out.append(_bigram(term, words[start], words[start + 1]))
        elif term in PARTICLES:  # a lone 吗 or 我
            out.append(Term(term, PARTICLE_WEIGHT, False, optional=True, whole_word=False))
        else:
            meaningful = not (len(term) == 1 and term in FUNCTION_CHARS)
            out.append(Term(term, 1.0, meaningful, name=term if term in keys else None))
    return out


def _bigram(term: str, first: Word, second: Word) -> Term:
    same = first.number == second.number
    name = first.text if same and first.is_name else None
    # Across a name or a question word (有钱花打给 → 花打): the bigram means nothing.
    framing = first.is_name or first.is_question or second.is_name or second.is_question
    meaningful = bool(name) or not (FUNCTION_CHARS & set(term) or framing)
    if name:
        return Term(term, 1.0, meaningful, name=name)
    if PARTICLES & set(term) or (same and first.is_question) or first.is_name or second.is_name:
        return Term(term, PARTICLE_WEIGHT, meaningful, optional=True, whole_word=False)
    if not same:
        return Term(term, CROSS_WORD_WEIGHT, meaningful, whole_word=False)
    return Term(term, 1.0, meaningful)


class Word(NamedTuple):
    """The jieba word a character of the query belongs to."""

    number: int  # which word (a character jieba did not cut: a negative number of its own)
    text: str
    is_name: bool  # a lender's name
    is_question: bool  # only frames a question (QUESTION_WORDS)


def _words(folded: str, lex: lexicon.Lexicon) -> list[Word]:
    """For each character of `folded`, its jieba word."""
    out = [Word(-1 - i, ch, False, False) for i, ch in enumerate(folded)]
    if not any(kind == "cjk" for kind, *_ in runs(folded)):
        return out
    names = lex.words()
    for number, (word, start, end) in enumerate(lexicon.tokenizer(lex).tokenize(folded)):
        entry = Word(number, word, word in names, word in QUESTION_WORDS)
        for i in range(start, end):
            out[i] = entry
    return out
