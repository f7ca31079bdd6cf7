"""What readers type for a lender, and the editors' synonyms, loaded from the database.

For every lender: its name, operator and aliases as written, their toneless pinyin
(weilidai) and initials (wld), and the digits of its official numbers. The index stores
them in the article's `lender_names` field; the query side loads the Chinese names into
jieba's dictionary so a query is cut at lender names; suggestions complete them.

Each process keeps one copy and reloads it when the lexicon stamp changes (`changed()`
is called after a lender, alias, number or synonym is saved).
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass, field

from kb.text import fold, phone_digits, pinyin_full, pinyin_initials

from . import state

log = logging.getLogger(__name__)

_HAS_CJK = re.compile(r"[\u3400-\u9fff]")
_SYNONYM_SEPARATORS = re.compile(r"[\s,，、;；/|]+")


@dataclass(frozen=True)
class LenderNames:
    pk: int
    slug: str
    name: str
    names: tuple[str, ...]  # name, operator, aliases, as written
    pinyin: tuple[str, ...]  # weilidai, weizhongyinhang, tengxun …
    initials: tuple[str, ...]  # wld, wzyh, tx …
    numbers: tuple[str, ...]  # digits of official numbers
    own_keys: tuple[str, ...] = ()  # the name itself: folded, pinyin, initials

    def index_text(self) -> str:
        """The text indexed in an article's lender field."""
        return "\n".join([*self.names, *self.pinyin, *self.initials, *self.numbers])

    def search_keys(self) -> set[str]:
        """Folded strings a reader may start typing to get this lender suggested."""
        return {fold(name) for name in self.names} | set(self.pinyin) | set(self.initials)


def lender_names(lender) -> LenderNames:
    """The names of one lender (aliases and numbers read through the relations)."""
    names = lender.all_names()
    pinyin, initials = [], []
    for name in names:
        for value, target in ((pinyin_full(name), pinyin), (pinyin_initials(name), initials)):
            value = re.sub(r"[^0-9a-z]", "", value)
            if value and value not in target:
                target.append(value)
    numbers = []
    for number in lender.numbers.all():
        digits = number.digits or phone_digits(number.number)
        if digits and digits not in numbers:
            numbers.append(digits)
    own = (fold(lender.name), pinyin[0] if pinyin else "", initials[0] if initials else "")
    return LenderNames(
        own_keys=tuple(key for key in own if key),
        pk=lender.pk,
        slug=lender.slug,
        name=lender.name,
        names=tuple(names),
        pinyin=tuple(pinyin),
        initials=tuple(initials),
        numbers=tuple(numbers),
    )


def synonym_groups(terms: str) -> tuple[str, ...]:
    """An editor's synonym line (“暴力催收, 违规催收”) as folded terms."""
    seen = []
    for term in _SYNONYM_SEPARATORS.split(fold(terms or "")):
        term = term.strip()
        if term and term not in seen:
            seen.append(term)
    return tuple(seen)


@dataclass
class Lexicon:
    lenders: list[LenderNames] = field(default_factory=list)
    synonyms: list[tuple[str, ...]] = field(default_factory=list)

    def __post_init__(self):
        self.by_pk = {entry.pk: entry for entry in self.lenders}
        self._words = None
        self._sounds = None
        self._keys = None

    def words(self) -> frozenset[str]:
        """Folded Chinese names, for jieba's dictionary."""
        if self._words is None:
            self._words = frozenset(
                fold(name)
                for entry in self.lenders
                for name in entry.names
                if _HAS_CJK.search(name)
            )
        return self._words

    def sounds(self) -> dict[tuple[str, ...], list[str]]:
        """Folded Chinese names of two or more characters, by their toneless syllables."""
        if self._sounds is None:
            by_sound: dict[tuple[str, ...], list[str]] = {}
            for word in sorted(self.words()):
                syllables = tuple(syllables_of(word))
                if (
                    len(word) >= 2
                    and len(syllables) == len(word)
                    and word not in by_sound.get(syllables, ())
                ):
                    by_sound.setdefault(syllables, []).append(word)
            self._sounds = by_sound
        return self._sounds

    def keys(self) -> frozenset[str]:
        """Every lender's pinyin, initials and number digits: a latin or digit query term
        that is one of them names a lender."""
        if self._keys is None:
            self._keys = frozenset(
                key
                for entry in self.lenders
                for key in (*entry.pinyin, *entry.initials, *entry.numbers)
                if len(key) >= 3
            )
        return self._keys


def syllables_of(folded: str) -> list[str]:
    """Toneless pinyin per character (a character without pinyin stands for itself)."""
    from pypinyin import Style, lazy_pinyin

    return lazy_pinyin(folded, style=Style.NORMAL, errors=lambda chars: list(chars))


def load() -> Lexicon:
    from articles.models import Lender, Synonym

    lenders = Lender.objects.prefetch_related("aliases", "numbers").order_by("name")
    groups = [synonym_groups(s.terms) for s in Synonym.objects.all()]
    return Lexicon(
        lenders=[lender_names(lender) for lender in lenders],
        synonyms=[group for group in groups if len(group) > 1],
    )


_lock = threading.Lock()
_cache: dict = {"key": None, "lexicon": None}


def current() -> Lexicon:
    key = (str(state.index_path()), state.version(state.LEXICON))
    lexicon = _cache["lexicon"]
    if lexicon is not None and _cache["key"] == key:
        return lexicon
    with _lock:
        if _cache["lexicon"] is None or _cache["key"] != key:
            _cache["lexicon"] = load()
            _cache["key"] = key
        return _cache["lexicon"]


def changed() -> None:
    """Lenders, aliases, numbers or synonyms changed: every process reloads."""
    state.touch(state.LEXICON)
    reset()


def reset() -> None:
    with _lock:
        _cache["lexicon"] = None
        _cache["key"] = None


def lender_text(lender) -> str:
    """The indexed lender names of `lender`, from the cached lexicon when it knows them."""
    entry = current().by_pk.get(lender.pk)
    if entry is None or entry.name != lender.name:
        entry = lender_names(lender)
    return entry.index_text()


# jieba: cuts queries into words; it only weights terms (see query.py), never decides a match.

_jieba_lock = threading.Lock()
_jieba: dict = {"tokenizer": None, "synced": frozenset(), "added": frozenset()}


def tokenizer(lexicon: Lexicon | None = None):
    """A private jieba tokenizer whose dictionary holds the current lender names."""
    import logging as _logging

    import jieba

    words = (lexicon or current()).words()
    with _jieba_lock:
        tok = _jieba["tokenizer"]
        if tok is None:
            jieba.setLogLevel(_logging.WARNING)
            tok = jieba.Tokenizer()
            tok.initialize()
            _jieba["tokenizer"] = tok
        if words != _jieba["synced"]:
            # Only words jieba did not know are added, so only those are ever removed.
            added = set(_jieba["added"])
            for word in added - words:
                tok.del_word(word)
                added.discard(word)
            for word in words - added:
                if not tok.FREQ.get(word):
                    tok.add_word(word)
                    added.add(word)
            _jieba["added"] = frozenset(added)
            _jieba["synced"] = words
        return tok
