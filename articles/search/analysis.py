"""Segmentation shared by the index and the query: fold, then cut into terms.

Text is folded first (`kb.text.fold`: width, traditional → simplified per character, lower
case, offsets kept 1:1) and then cut into terms:

- a run of CJK characters gives its bigrams; a one-character run gives that character;
- a run of other letters gives one word (pinyin, English);
- a phone number (`kb.phones.find`: 400-888-8888, 400 888 8888, +86 138 0013 8000, (021)
  1234 5678) gives its national digits as one term, so every way of writing it is the same
  term; a landline with an area code gives its local number too (what a local call shows);
- any other digit run gives itself (95188 is the same term either way).

Everything else (punctuation, emoji, control characters, Whoosh syntax) gives nothing.

>>> [term for term, _, _ in segment(fold("微粒貸 400-888-8888 WeBank"))]
['微粒', '粒贷', '4008888888', 'webank']
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from whoosh.analysis import Token, Tokenizer

from articles.markdown import without_comments
from kb import phones
from kb.text import fold

MAX_TERM_LENGTH = 32

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
CJK_PAIR = re.compile(rf"[{_CJK}]{{2}}")  # a bigram term
_TERMS = re.compile(
    rf"(?P<cjk>[{_CJK}]+)"
    r"|(?P<digits>[0-9]+)"
    rf"|(?P<word>(?:(?![{_CJK}])[^\W\d_])+)"
)


def _stretches(folded: str, found=None) -> Iterator[tuple[int, int, phones.Phone | None]]:
    """The text cut at phone numbers: (start, end, None) between them, (start, end, phone).
    `found`: the phone numbers of `folded` when they are known already."""
    position = 0
    for phone in phones.find(folded) if found is None else found:
        yield position, phone.start, None
        yield phone.start, phone.end, phone
        position = phone.end
    yield position, len(folded), None


def runs(folded: str, found=None) -> Iterator[tuple[str, str, int, int]]:
    """Runs of already folded text: ("cjk" | "phone" | "digits" | "word", text, start, end).

    A phone run's text is its national digits (a landline's local number follows as a run
    of its own). `found`: the phone numbers of `folded` (`kb.phones.find`), if known.
    """
    for start, end, phone in _stretches(folded, found):
        if phone is None:
            for match in _TERMS.finditer(folded, start, end):
                yield match.lastgroup, match.group(), match.start(), match.end()
        else:
            yield "phone", phone.digits, start, end
            if phone.area_code:
                yield "phone", phone.local, phone.local_start, end


def segment(folded: str) -> Iterator[tuple[str, int, int]]:
    """Terms of already folded text, each with its start and end offset."""
    for kind, text, start, end in runs(folded):
        if kind != "cjk":
            yield text[:MAX_TERM_LENGTH], start, end
        elif len(text) == 1:
            yield text, start, end
        else:
            for i in range(len(text) - 1):
                yield text[i : i + 2], start + i, start + i + 2


def terms(text: str) -> list[str]:
    """Terms of raw text, in order: exactly what the index stores for it."""
    return [term for term, _, _ in segment(fold(text))]


def term_counts(text: str) -> Counter:
    """How often each term occurs in raw text (the fast path used while indexing)."""
    counts: Counter = Counter()
    folded = fold(text)
    for start, end, phone in _stretches(folded):
        if phone is not None:
            counts[phone.digits] += 1
            if phone.area_code:
                counts[phone.local] += 1
            continue
        for match in _TERMS.finditer(folded, start, end):
            run = match.group()
            if match.lastgroup != "cjk":
                counts[run[:MAX_TERM_LENGTH]] += 1
            elif len(run) == 1:
                counts[run] += 1
            else:
                counts.update(map(str.__add__, run, run[1:]))
    return counts


class ChineseTokenizer(Tokenizer):
    """Whoosh tokenizer over `segment`; offsets point into the stored (unfolded) text."""

    def __eq__(self, other):
        return other.__class__ is self.__class__

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            # Whoosh's parser asks for the whole text as one token (wildcards, ranges); only
            # haystack's own commands parse queries, never a reader's text (see query.py).
            token.text = fold(value)
            token.boost = 1.0
            token.stopped = False
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar, token.endchar = start_char, start_char + len(value)
            yield token
            return
        for pos, (term, start, end) in enumerate(segment(fold(value))):
            token.text = term
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = value[start:end]
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token


def ChineseAnalyzer():
    return ChineseTokenizer()


# Each pattern does work linear in the text (a body of 100,000 blank lines or brackets is
# hostile input, not a reason to hang): no pattern may rescan a line from every position.
_MD_LINK_TARGET = re.compile(r"\]\(|\)|\n")  # "](", ")" and line ends, walked in order
_MD_URL = re.compile(r"(?:https?|mailto|tel):[^\s)\]>]+")
_MD_TAG = re.compile(r"<[^>\n]{0,200}>")
_MD_LINE_MARK = re.compile(r"^[ \t]*(?:#{1,6}[ \t]+|>[ \t]?|[-*+][ \t]+|\d{1,3}[.)][ \t]+)", re.M)
_MD_TABLE_RULE = re.compile(r"^[-:| \t]{3,}$", re.M)  # |---|:--:| and --- lines
_MD_INLINE_MARK = re.compile(r"[*_`~]{1,3}|[\[\]]")


def _without_link_targets(text: str) -> str:
    """`text` with each `](target)` cut to `]`: a target ends at the first `)` on its line."""
    pieces, kept_to, opened = [], 0, -1
    for token in _MD_LINK_TARGET.finditer(text):
        if token.group() == "](":
            if opened < 0:
                opened = token.start()
        elif token.group() == ")":
            if opened >= 0:
                pieces.append(text[kept_to : opened + 1])
                kept_to, opened = token.end(), -1
        else:
            opened = -1
    pieces.append(text[kept_to:])
    return "".join(pieces)


def plain_text(markdown: str) -> str:
    """The words a reader sees in a Markdown body: no markup, link targets, URLs or tags.

    Used for the indexed text and for snippets, so both see the same words.

    >>> plain_text("- **催收**时请看[官网](https://www.webank.com/)")
    '催收时请看官网'
    """
    text = without_comments(markdown or "")
    text = _without_link_targets(text)
    text = _MD_URL.sub("", text)
    text = _MD_TAG.sub("", text)
    text = _MD_LINE_MARK.sub("", text)
    text = _MD_TABLE_RULE.sub("", text)
    text = _MD_INLINE_MARK.sub("", text)
    return text
