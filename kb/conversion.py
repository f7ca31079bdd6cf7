"""Stored text in the reader's variant, in the words that reader uses.

Text already in the reader's script is shown as written. Text in the other script goes
through, in this order:

1. verbatim: Markdown link targets and URLs (`convert_markdown`) are left as written;
2. names: 《titles》, the statutes and institutions of `kb.vocabulary.PROTECTED_NAMES` and
   the lender registry's names (`Rules.names`) get their characters converted, never their
   words: 《中华人民共和国个人信息保护法》 → 《中華人民共和國個人信息保護法》;
3. editors' overrides (`Rules.overrides`): every form of a term, wherever it appears;
4. vocabulary (`kb.vocabulary.WORDS`, `FORMS`): whole words only, as jieba cuts the folded
   text, so 视频 → 影片 never fires inside 电视频段 (电视/频段);
5. quotes: “”‘’ on simplified pages, 「」『』 on traditional ones;
6. OpenCC's character conversion (s2tw, t2s or tw2s) of what is left, never s2twp/tw2sp,
   whose phrase tables rewrite words (法律程序 → 法律程式, 电视频段 → 電影片段).

The result is a list of `Piece`s, each with its span in the stored text and the table that
produced it: the report (articles/vocab_report.py) counts them, and search snippets place
their marks by them (`marked_runs`), so a mark lands on the displayed word.

>>> convert("他收到一条短信，说要看视频", "zh-hant", "hans")
'他收到一條簡訊，說要看影片'
>>> convert("电视频段", "zh-hant", "hans")
'電視頻段'
>>> convert("《中华人民共和国个人信息保护法》保护个人信息", "zh-hant", "hans")
'《中華人民共和國個人信息保護法》保護個人資訊'
"""

from __future__ import annotations

import bisect
import hashlib
import logging
import re
from dataclasses import dataclass
from functools import cache, lru_cache

from . import vocabulary
from .text import fold, opencc_only
from .variants import HANS, HANT, HK, VARIANTS, variant_of

# Bump when the pipeline changes what it produces; table edits change the version by themselves.
CONVERTER_REVISION = 1

AS_WRITTEN, VERBATIM, OPENCC, OVERRIDE, VOCABULARY, FORM, QUOTES = (
    "as written",
    "verbatim",
    "opencc",
    "override",
    "vocabulary",
    "form",
    "quotes",
)

# Link targets, autolinks and bare URLs in Markdown: converting them would break the link.
MARKDOWN_VERBATIM = re.compile(
    r"\]\([^)\n]*\)"  # [text](target "title")
    r"|^ {0,3}\[[^\]\n]+\]:[^\n]*$"  # [ref]: target
    r"|<[^<>\s]+>"  # <https://…>
    r"|(?:https?|ftp|mailto|tel):[^\s<>()\[\]]+",  # bare URL
    re.MULTILINE,
)
_TITLES = re.compile(r"《[^《》\n]{1,120}》|〈[^〈〉\n]{1,120}〉")

_TO_HANT_QUOTES = {"“": "「", "”": "」", "‘": "『", "’": "』"}
_TO_HANS_QUOTES = {value: key for key, value in _TO_HANT_QUOTES.items()}
_QUOTE_CHARS = re.compile("[“”‘’「」『』]")
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")
_TAIWAN_CHARACTERS = str.maketrans(vocabulary.TAIWAN_CHARACTERS)


@dataclass(frozen=True)
class Piece:
    start: int  # span in the stored text
    end: int
    text: str  # what the reader sees for it
    table: str  # which step produced it

    @property
    def aligned(self) -> bool:
        """One character out per character in: a mark may start or end inside it."""
        return len(self.text) == self.end - self.start


@dataclass(frozen=True)
class Rules:
    """What comes from the database: editors' overrides and the registry's names."""

    overrides: tuple[tuple[str, str, str], ...] = ()  # (simplified, Taiwan, Hong Kong)
    names: tuple[str, ...] = ()


DEFAULT_RULES = Rules(
    overrides=tuple((hans, hant, hk) for hans, hant, hk, _why in vocabulary.DEFAULT_OVERRIDES)
)


def convert(
    text: str,
    variant: str | None,
    script: str | None = None,
    rules: Rules = DEFAULT_RULES,
    verbatim: re.Pattern | None = None,
) -> str:
    """Stored text (either script) in the reader's variant; see the module's docstring.

    `script` is the script the text was written in (Article.script) when known: text in
    the reader's own script is then shown exactly as written. Text of unknown script gets
    the vocabulary toward Taiwan only (the site writes simplified by default).
    """
    return "".join(piece.text for piece in convert_pieces(text, variant, script, rules, verbatim))


def convert_markdown(
    source: str, variant: str | None, script: str | None = None, rules: Rules = DEFAULT_RULES
) -> str:
    """Like `convert`, for Markdown: link targets and URLs are left as written."""
    return convert(source, variant, script, rules, MARKDOWN_VERBATIM)


def convert_pieces(
    text: str,
    variant: str | None,
    script: str | None = None,
    rules: Rules = DEFAULT_RULES,
    verbatim: re.Pattern | None = None,
) -> list[Piece]:
    if not text:
        return []
    variant = variant_of(variant)
    if script and VARIANTS[variant].script == script:
        if variant != HK:
            return [Piece(0, len(text), text, AS_WRITTEN)]
        script = None  # a Taiwan-standard original for a Hong Kong reader: s2hk
    words = _uses_vocabulary(variant, script)
    pieces: list[Piece] = []
    for start, end, kind in _protected_spans(text, rules.names, verbatim):
        if kind == VERBATIM:
            pieces.append(Piece(start, end, text[start:end], VERBATIM))
        else:
            pieces += _convert_run(text, start, end, variant, script, rules, words and kind is None)
    return pieces


def _uses_vocabulary(variant: str, script: str | None) -> bool:
    if variant == HK:
        return False  # Hong Kong words differ from Taiwan's (短訊, 軟件); not served yet
    if script is None:
        return variant == HANT
    return VARIANTS[variant].script != script


# Names and verbatim spans


def _protected_spans(text: str, names: tuple[str, ...], verbatim: re.Pattern | None):
    """(start, end, kind) covering `text`: VERBATIM, "name", or None for ordinary text."""
    kept = _Spans([] if verbatim is None else [m.span() for m in verbatim.finditer(text)])
    taken = [(start, end, VERBATIM) for start, end in kept.spans]
    found = [m.span() for m in _TITLES.finditer(text)]
    pattern = _names_pattern(names)
    if pattern is not None:
        found += [m.span() for m in pattern.finditer(fold(text))]
    # Verbatim first, then the earliest and longest name.
    last_end = 0
    for start, end in sorted(found, key=lambda span: (span[0], -span[1])):
        if start >= last_end and not kept.overlaps(start, end):
            taken.append((start, end, "name"))
            last_end = end
    taken.sort()
    cursor = 0
    for start, end, kind in taken:
        if cursor < start:
            yield cursor, start, None
        yield start, end, kind
        cursor = end
    if cursor < len(text):
        yield cursor, len(text), None


class _Spans:
    """Sorted, non-overlapping spans, asked whether they overlap a span (in log time)."""

    def __init__(self, spans: list[tuple[int, int]]):
        self.spans = sorted(spans)
        self.starts = [start for start, _end in self.spans]

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self.starts, start) - 1
        if i >= 0 and self.spans[i][1] > start:
            return True
        return i + 1 < len(self.spans) and self.spans[i + 1][0] < end


@lru_cache(maxsize=8)
def _names_pattern(names: tuple[str, ...]) -> re.Pattern | None:
    folded = {fold(name) for name in (*vocabulary.PROTECTED_NAMES, *names) if len(name) >= 2}
    if not folded:
        return None
    return re.compile("|".join(re.escape(name) for name in sorted(folded, key=len, reverse=True)))


# Ordinary text: overrides, vocabulary, quotes, OpenCC


def _convert_run(text, start, end, variant, script, rules, words: bool) -> list[Piece]:
    run = text[start:end]
    fixed: list[tuple[int, int, str, str]] = []
    pattern, mapping = _override_matcher(rules.overrides, variant)
    if pattern is not None:
        fixed += [(m.start(), m.end(), mapping[m.group()], OVERRIDE) for m in pattern.finditer(run)]
    if words:
        overridden = _Spans([(s, e) for s, e, _out, _table in fixed])
        for found in _vocabulary_matches(fold(run), variant):
            if not overridden.overlaps(found[0], found[1]):
                fixed.append(found)
    fixed.sort()
    pieces: list[Piece] = []
    cursor = 0
    for s, e, out, table in fixed:
        pieces += _plain_pieces(run[cursor:s], start + cursor, variant, script)
        pieces.append(Piece(start + s, start + e, out, table))
        cursor = e
    pieces += _plain_pieces(run[cursor:], start + cursor, variant, script)
    return pieces


def _plain_pieces(text: str, offset: int, variant: str, script: str | None) -> list[Piece]:
    """Quotes swapped one by one; the runs between them through OpenCC."""
    quotes = _TO_HANS_QUOTES if VARIANTS[variant].script == "hans" else _TO_HANT_QUOTES
    pieces: list[Piece] = []
    cursor = 0
    for m in _QUOTE_CHARS.finditer(text):
        if m.group() in quotes and not _is_apostrophe(text, m.start()):
            if cursor < m.start():
                pieces.append(
                    _opencc_piece(text[cursor : m.start()], offset + cursor, variant, script)
                )
            pieces.append(Piece(offset + m.start(), offset + m.end(), quotes[m.group()], QUOTES))
            cursor = m.end()
    if cursor < len(text):
        pieces.append(_opencc_piece(text[cursor:], offset + cursor, variant, script))
    return pieces


def _opencc_piece(text: str, offset: int, variant: str, script: str | None) -> Piece:
    out = opencc_only(text, variant, script)
    if variant == HANT:
        out = out.translate(_TAIWAN_CHARACTERS)
    return Piece(offset, offset + len(text), out, OPENCC)


def _is_apostrophe(text: str, index: int) -> bool:
    """don’t, App’s: a curly quote between two Latin letters or digits."""
    return (
        0 < index < len(text) - 1
        and bool(_ASCII_WORD.match(text[index - 1]))
        and bool(_ASCII_WORD.match(text[index + 1]))
    )


@lru_cache(maxsize=16)
def _override_matcher(rows: tuple[tuple[str, str, str], ...], variant: str):
    """A regex matching every form of every override, and each form's target-variant form."""
    target = {HANS: 0, HANT: 1, HK: 2}[variant]
    mapping: dict[str, str] = {}
    # Later assignments win: a string that is some override's simplified form maps the way
    # that override says, even if it is also another override's traditional form.
    for column in (2, 1, 0):
        for row in rows:
            if row[column]:
                mapping[row[column]] = row[target] or row[1]
    if not mapping:
        return None, {}
    forms = sorted(mapping, key=len, reverse=True)
    return re.compile("|".join(re.escape(form) for form in forms)), mapping


# Vocabulary, at jieba's word boundaries


_LONGEST_COMPOUND = 12  # jieba's dictionary words are shorter; a Latin run may be any length


@cache
def vocabulary_index(variant: str) -> dict[str, tuple[str, str]]:
    """Folded word in the source script → (the word in `variant`, the table it is from)."""
    index: dict[str, tuple[str, str]] = {}
    if variant == HANT:
        for table, words in ((VOCABULARY, vocabulary.WORDS), (FORM, vocabulary.FORMS)):
            for word in words:
                if word.direction in (vocabulary.BOTH, vocabulary.TO_HANT):
                    index.setdefault(fold(word.hans), (word.hant, table))
    elif variant == HANS:
        for word in vocabulary.WORDS:
            if word.direction in (vocabulary.BOTH, vocabulary.TO_HANS):
                index.setdefault(fold(word.hant), (word.hans, VOCABULARY))
    return index


def _vocabulary_matches(folded: str, variant: str) -> list[tuple[int, int, str, str]]:
    index = vocabulary_index(variant)
    if not index:
        return []
    tok = _tokenizer()
    longest = max(map(len, index))
    tokens = list(tok.cut(folded, HMM=False))
    starts, position = [], 0
    for token in tokens:
        starts.append(position)
        position += len(token)
    boundaries = {*starts, len(folded)}
    found: list[tuple[int, int, str, str]] = []
    k = 0
    while k < len(tokens):
        start = starts[k]
        for length in range(min(longest, len(folded) - start), 0, -1):
            word = folded[start : start + length]
            if start + length in boundaries and word in index:
                found.append((start, start + length, *index[word]))
                while k < len(tokens) and starts[k] < start + length:
                    k += 1
                break
        else:
            if 3 <= len(tokens[k]) <= _LONGEST_COMPOUND:
                found += _inside_compound(tokens[k], start, index, tok.FREQ)
            k += 1
    return found


def _inside_compound(token: str, start: int, index, freq) -> list[tuple[int, int, str, str]]:
    """A table word at one end of a longer jieba word whose rest is itself a word of two or
    more characters: 个人信息 = 个人 + 信息, 通话记录 = 通话 + 记录 (电视频道 has no such cut)."""
    for cut in range(2, len(token) - 1):
        head, tail = token[:cut], token[cut:]
        if tail in index and len(tail) >= 2 and freq.get(head):
            return [(start + cut, start + len(token), *index[tail])]
        if head in index and len(head) >= 2 and freq.get(tail):
            return [(start, start + cut, *index[head])]
    return []


@cache
def _tokenizer():
    """A private jieba tokenizer that knows every table word (the search has its own)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    for variant in (HANS, HANT):
        for word in vocabulary_index(variant):
            if len(word) > 1 and not tok.FREQ.get(word):
                tok.add_word(word)
    return tok


# Search snippets


def marked_runs(pieces: list[Piece], spans) -> list[tuple[str, bool]]:
    """The converted text as (text, marked) runs, for marks given as spans of the stored
    text. A piece that changed length (互联网 → 網路) is marked whole if a mark touches it."""
    runs: list[tuple[str, bool]] = []

    def add(text: str, marked: bool) -> None:
        if not text:
            return
        if runs and runs[-1][1] == marked:
            runs[-1] = (runs[-1][0] + text, marked)
        else:
            runs.append((text, marked))

    for piece in pieces:
        inside = [(max(s, piece.start), min(e, piece.end)) for s, e in spans]
        inside = [(s, e) for s, e in inside if s < e]
        if not inside:
            add(piece.text, False)
        elif not piece.aligned:
            add(piece.text, True)
        else:
            cursor = piece.start
            for s, e in inside:
                add(piece.text[cursor - piece.start : s - piece.start], False)
                add(piece.text[max(s, cursor) - piece.start : e - piece.start], True)
                cursor = max(cursor, e)
            add(piece.text[cursor - piece.start :], False)
    return runs


# Cache keys


@cache
def render_version() -> str:
    """Changes with the tables, the pipeline or the libraries: part of every cache key for
    converted text, so a conversion change shows without editing every article."""
    import importlib.metadata

    digest = hashlib.blake2b(digest_size=6)
    parts = [
        str(CONVERTER_REVISION),
        repr(vocabulary.WORDS),
        repr(vocabulary.FORMS),
        repr(vocabulary.PROTECTED_NAMES),
        repr(sorted(vocabulary.TAIWAN_CHARACTERS.items())),
        repr(sorted(_TO_HANT_QUOTES.items())),
        MARKDOWN_VERBATIM.pattern,
    ]
    for package in ("opencc-python-reimplemented", "jieba"):
        try:
            parts.append(importlib.metadata.version(package))
        except importlib.metadata.PackageNotFoundError:
            parts.append("-")
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()
