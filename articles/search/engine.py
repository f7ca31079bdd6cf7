"""Matching and scoring articles over the Whoosh index.

Whoosh's own searcher scores each posting through several Python calls (about 10 µs); at
10,000 articles a generic query such as 催收电话 has 50,000+ postings, and haystack adds a
search over every document per query to narrow to registered models. Here each posting list
is read block by block from Whoosh's postings file (whoosh_internals.py, the one module that
touches Whoosh's private parts) and scored with numpy, so every match is
scored (no cap: ranking is exact) in a few milliseconds, and one snapshot of the index (open
segment readers, field lengths) is reused until the index changes.

Scoring is BM25 per field (k1 = 1.2, b per field), multiplied by the field's weight and
summed over fields, with one idf per term (the largest document frequency over the fields).

Matching is "enough of the query": a query is one or more variants (the text as typed, and
one per synonym substitution), each a set of terms with a minimum number that must occur
(and, optionally, terms that must all occur); an article matches when any variant is
satisfied. Which terms a query has, and how many are needed, is decided in `query.py`.

`Snapshot.run` scores (`_score`), matches (`_Matching`), pages (`_page`) and counts facets
(`_lender_counts`, `_kind_counts`), in that order.
"""

from __future__ import annotations

import bisect
import logging
import math
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np
from whoosh.filedb.filestore import FileStorage

from . import layout
from .layout import KIND_BITS
from .schema import ARTICLE_LEVEL
from .whoosh_internals import EMPTY, open_segment, read_postings, segments, toc_stamp

log = logging.getLogger(__name__)

K1 = 1.2
LENDER_FIELD = "lender"
KINDS_FIELD = "kinds"


@dataclass(frozen=True)
class FieldSpec:
    name: str
    weight: float
    length_norm: float
    by_kind: bool


@dataclass
class Variant:
    units: tuple[int, ...]
    need: int
    must: tuple[int, ...] = ()  # units that must all be present (a lender's name)
    # When set, the variant matches only if each of its units is in at most this share of
    # the articles: a word that most articles hold says nothing on its own.
    max_share: float | None = None


@dataclass
class Plan:
    """What to look for: index terms, their weights, and the variants that may match."""

    units: list[str]
    weights: list[float]
    variants: list[Variant]


@dataclass
class Hits:
    total: int = 0
    docnums: list[int] = field(default_factory=list)
    scores: list[float] = field(default_factory=list)
    lender_counts: dict[str, int] = field(default_factory=dict)
    kind_counts: dict[str, int] = field(default_factory=dict)
    stored: list[dict] = field(default_factory=list)


TINY_SEGMENT = 16  # documents


class _Leaf:
    """What never changes in one segment: field lengths, each document's lender and kinds.

    Editors' saves leave tiny segments (one article each) until they are merged; looking a
    term up in Whoosh's on-disk table has a fixed cost per segment and field, so a tiny
    segment keeps the set of its terms, and the posting lists read from it.
    """

    def __init__(self, reader, specs):
        self.reader = reader
        count = reader.doc_count_all()
        self.terms = set(reader.all_terms()) if count < TINY_SEGMENT else None
        self.read_lists: dict = {}
        self.lengths = {
            spec.name: np.fromiter(
                (reader.doc_field_length(d, spec.name, 0) or 0 for d in range(count)),
                dtype=np.float64,
                count=count,
            )
            for spec in specs
        }
        self.lender_terms: list[str] = []
        self.lender_codes = np.full(count, -1, dtype=np.int32)
        for i, term in enumerate(_terms(reader, LENDER_FIELD)):
            self.lender_terms.append(term.decode("utf-8"))
            self.lender_codes[_docs(reader, LENDER_FIELD, term)] = i
        self.kinds = np.zeros(count, dtype=np.uint16)
        for term in _terms(reader, KINDS_FIELD):
            bit = KIND_BITS.get(term.decode("utf-8"))
            if bit:
                self.kinds[_docs(reader, KINDS_FIELD, term)] |= bit

    def read(self, reader, fieldname, termbytes, want_values):
        """A posting list of a tiny segment."""
        key = (fieldname, termbytes)
        if key not in self.terms:
            return EMPTY
        entry = self.read_lists.get(key)
        if entry is None or (want_values and entry[2] is None):
            entry = self.read_lists[key] = read_postings(reader, fieldname, termbytes, want_values)
        return entry


def _terms(reader, fieldname):
    return list(reader.lexicon(fieldname)) if fieldname in reader.schema else []


def _docs(reader, fieldname, termbytes):
    return read_postings(reader, fieldname, termbytes, want_values=False)[0]


class PostingsCache:
    """Decoded posting lists of immutable segments, least recently used dropped first.

    Decoding (unpickling, inflating, converting to arrays) is most of a query's cost, and
    the long lists — common bigrams such as 催收, 电话 — are the same in most queries.
    Short lists are cheap to decode and are not kept.
    """

    MIN_POSTINGS = 256
    # Terms a segment does not have: synonym and spelling variants of a query add terms that
    # mostly occur nowhere, and each lookup in Whoosh's term table costs a few file reads.
    MAX_ABSENT = 50_000

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._entries: OrderedDict = OrderedDict()
        self._bytes = 0
        self._absent: set = set()

    def read(self, segreader, fieldname, termbytes, want_values):
        key = (segreader.segment().segment_id(), fieldname, termbytes)
        if key in self._absent:
            return EMPTY
        entry = self._entries.get(key)
        if entry is not None and (entry[2] is not None or not want_values):
            self._entries.move_to_end(key)
            return entry
        docs, tf, vals = read_postings(segreader, fieldname, termbytes, want_values)
        if not len(docs) and self.max_bytes > 0:
            if len(self._absent) >= self.MAX_ABSENT:
                self._absent.clear()
            self._absent.add(key)
        if len(docs) >= self.MIN_POSTINGS and self.max_bytes > 0:
            entry = (docs.astype(np.int32), tf, vals)
            self._store(key, entry)
            return entry
        return docs, tf, vals

    def _store(self, key, entry):
        size = sum(a.nbytes for a in entry if a is not None)
        old = self._entries.pop(key, None)
        if old is not None:
            self._bytes -= sum(a.nbytes for a in old if a is not None)
        self._entries[key] = entry
        self._bytes += size
        while self._bytes > self.max_bytes and self._entries:
            _, dropped = self._entries.popitem(last=False)
            self._bytes -= sum(a.nbytes for a in dropped if a is not None)

    def keep_segments(self, segment_ids: set) -> None:
        for key in [key for key in self._entries if key[0] not in segment_ids]:
            entry = self._entries.pop(key)
            self._bytes -= sum(a.nbytes for a in entry if a is not None)
        self._absent = {key for key in self._absent if key[0] in segment_ids}

    def clear(self) -> None:
        self._entries.clear()
        self._bytes = 0
        self._absent.clear()


class Snapshot:
    """One generation of the index, shared by every search until the index changes.

    Segment readers are kept across generations (a save adds one small segment; the others
    stay open): Whoosh's own `Searcher.refresh()` reopens every segment.
    """

    def __init__(self, index, specs: list[FieldSpec], leaf_cache: dict, postings):
        self.generation = index.latest_generation()
        self.specs = specs
        self.postings = postings
        index_segments = segments(index)
        self.leaves, self.leaf_data, self.offsets = [], [], []
        offset = 0
        for segment in index_segments:
            key = segment.segment_id()
            leaf = leaf_cache.get(key)
            if leaf is None:
                reader = open_segment(index.storage, index.schema, segment)
                leaf = leaf_cache[key] = _Leaf(reader, specs)
            self.leaves.append((leaf.reader, offset))
            self.leaf_data.append(leaf)
            self.offsets.append(offset)
            offset += segment.doc_count_all()
        self.size = offset
        live = np.ones(self.size, dtype=bool)
        for segment, segoffset in zip(index_segments, self.offsets, strict=True):
            if segment.has_deletions():
                deleted = np.fromiter(segment.deleted_docs(), dtype=np.int64)
                live[deleted + segoffset] = False
        self.live = live
        self.live_count = int(live.sum())
        lender_index: dict[str, int] = {}
        codes = []
        for leaf in self.leaf_data:
            remap = np.array(
                [lender_index.setdefault(t, len(lender_index)) for t in leaf.lender_terms] + [-1],
                dtype=np.int32,
            )
            codes.append(remap[leaf.lender_codes])
        self.lenders = list(lender_index)
        self.lender_codes = np.concatenate(codes) if codes else np.empty(0, np.int32)
        self.kinds = (
            np.concatenate([leaf.kinds for leaf in self.leaf_data])
            if self.leaf_data
            else np.empty(0, np.uint16)
        )
        self.norms = {}
        for spec in specs:
            parts = [leaf.lengths[spec.name] for leaf in self.leaf_data]
            values = np.concatenate(parts) if parts else np.empty(0)
            average = (values[live].mean() if live.any() else 1.0) or 1.0
            b = spec.length_norm
            self.norms[spec.name] = K1 * (1 - b + b * values / average)
        # Segments that are gone (merged away) are dropped from the caches.
        current = {segment.segment_id() for segment in index_segments}
        for key in list(leaf_cache):
            if key not in current:
                leaf_cache.pop(key).reader.close()
        postings.keep_segments(current)

    def stored_fields(self, docnum: int) -> dict:
        i = bisect.bisect_right(self.offsets, docnum) - 1
        return self.leaf_data[i].reader.stored_fields(docnum - self.offsets[i])

    def run(
        self,
        plan: Plan,
        *,
        lender: str | None = None,
        kind: str | None = None,
        offset: int = 0,
        limit: int = 10,
        facets: bool = False,
    ) -> Hits:
        if not plan.units or not self.size:
            return Hits()
        found = self._score(plan, with_kinds=facets or kind is not None)
        matching = _Matching(self, plan, found)
        found.score *= _coverage(plan.variants, matching.anywhere, found.idfs, self.size)
        in_kind = matching.articles(KIND_BITS[kind] if kind else None)
        of_lender = self._of_lender(lender)
        selected = in_kind if of_lender is None else in_kind & of_lender
        hits = Hits()
        hits.total, hits.docnums, hits.scores = _page(selected, found.score, offset, limit)
        if facets:
            hits.lender_counts = self._lender_counts(in_kind)
            hits.kind_counts = _kind_counts(matching, of_lender)
        hits.stored = [self.stored_fields(d) for d in hits.docnums]
        return hits

    # Scoring

    def _score(self, plan: Plan, with_kinds: bool) -> _Found:
        """BM25 of every article for the plan's units, and where each unit occurs."""
        found = _Found(score=np.zeros(self.size))
        for unit, unit_weight in zip(plan.units, plan.weights, strict=True):
            lists, df = self._postings_of(unit.encode("utf-8"), with_kinds)
            base = np.zeros(self.size, dtype=bool)
            kinds = np.zeros(self.size, dtype=np.uint16) if with_kinds else None
            idf = math.log(1 + (self.live_count - df + 0.5) / (df + 0.5)) if df else 0.0
            if df:
                for spec, docs, tf, vals in lists:
                    c = idf * spec.weight * unit_weight * (K1 + 1)
                    found.score[docs] += c * tf / (tf + self.norms[spec.name][docs])
                    if vals is None or kinds is None:
                        base[docs] = True
                    else:
                        base[docs[(vals & ARTICLE_LEVEL) != 0]] = True
                        kinds[docs] |= vals
            found.base.append(base)
            found.kinds.append(kinds)
            found.idfs.append(idf * unit_weight)
            found.dfs.append(df)
        return found

    def _postings_of(self, termbytes: bytes, with_kinds: bool) -> tuple[list, int]:
        """A term's posting lists in every field and segment, as (spec, docnums, frequencies,
        kind masks), docnums counted over the whole snapshot; and its document frequency
        (live documents, in the field where it is most frequent)."""
        lists = []
        df = 0
        for spec in self.specs:
            field_df = 0
            want_values = with_kinds and spec.by_kind
            for (segreader, segoffset), leaf in zip(self.leaves, self.leaf_data, strict=True):
                if leaf.terms is not None:
                    docs, tf, vals = leaf.read(segreader, spec.name, termbytes, want_values)
                else:
                    docs, tf, vals = self.postings.read(
                        segreader, spec.name, termbytes, want_values
                    )
                if len(docs):
                    docs = docs + segoffset
                    lists.append((spec, docs, tf, vals))
                    field_df += int(np.count_nonzero(self.live[docs]))
            df = max(df, field_df)
        return lists, df

    # Filters and facets

    def _of_lender(self, lender: str | None) -> np.ndarray | None:
        if lender is None:
            return None
        code = self.lenders.index(lender) if lender in self.lenders else -2
        return self.lender_codes == code

    def _lender_counts(self, selected: np.ndarray) -> dict[str, int]:
        codes = self.lender_codes[selected]
        counts = np.bincount(codes[codes >= 0], minlength=len(self.lenders))
        return {slug: int(n) for slug, n in zip(self.lenders, counts, strict=True) if n}


@dataclass
class _Found:
    """Per unit of a plan: the articles holding it at article level (`base`), the kinds of
    section it occurs in (`kinds`, None unless asked for), idf × weight, document frequency;
    and the articles' summed BM25 score."""

    score: np.ndarray
    base: list[np.ndarray] = field(default_factory=list)
    kinds: list[np.ndarray | None] = field(default_factory=list)
    idfs: list[float] = field(default_factory=list)
    dfs: list[int] = field(default_factory=list)


class _Matching:
    """Which live articles satisfy a plan: any variant with `need` of its units present (and
    all of its `must` units), optionally in one kind of section."""

    def __init__(self, snapshot: Snapshot, plan: Plan, found: _Found):
        self.size = snapshot.size
        self.live = snapshot.live
        self.kinds = snapshot.kinds
        self.found = found
        # Per unit: the articles that hold it anywhere.
        self.anywhere = [
            b if k is None else (b | (k != 0)) for b, k in zip(found.base, found.kinds, strict=True)
        ]
        share = snapshot.live_count
        self.variants = [
            v
            for v in plan.variants
            if v.max_share is None or all(found.dfs[u] <= v.max_share * share for u in v.units)
        ]

    def articles(self, kind_bit: int | None = None) -> np.ndarray:
        if kind_bit is None:
            present = self.anywhere
        else:
            present = [
                b | ((k & kind_bit) != 0)
                for b, k in zip(self.found.base, self.found.kinds, strict=True)
            ]
        result = np.zeros(self.size, dtype=bool)
        for variant in self.variants:
            count = np.zeros(self.size, dtype=np.int32)
            for u in variant.units:
                count += present[u]
            matched = count >= variant.need
            for u in variant.must:
                matched &= present[u]
            result |= matched
        result &= self.live
        if kind_bit is not None:
            result &= (self.kinds & kind_bit) != 0
        return result


def _page(selected: np.ndarray, score: np.ndarray, offset: int, limit: int):
    """(total, docnums, scores) of one page of the selected articles, best first (ties: index
    order)."""
    candidates = np.flatnonzero(selected)
    total = len(candidates)
    if not total or limit <= 0 or offset >= total:
        return total, [], []
    scores = score[candidates]
    order = np.lexsort((candidates, -scores))[offset : offset + limit]
    return total, [int(d) for d in candidates[order]], [float(s) for s in scores[order]]


def _kind_counts(matching: _Matching, of_lender: np.ndarray | None) -> dict[str, int]:
    """Per section kind, the articles that match in that kind (and are the lender's)."""
    counts = {}
    for name, bit in KIND_BITS.items():
        matched = matching.articles(bit)
        if of_lender is not None:
            matched &= of_lender
        n = int(matched.sum())
        if n:
            counts[str(name)] = n
    return counts


def _coverage(variants: list[Variant], present, idfs, size) -> np.ndarray:
    """Per article, the largest share of a variant's weight (idf × term weight) it holds.

    BM25 adds up terms, so an article that repeats a lender's name in many places can outrank
    the one article holding both the name and the rare words the reader added (京东金条
    行书庙会). Scaling by the share of the query an article covers puts those first.
    """
    best = np.zeros(size)
    for variant in variants:
        total = sum(idfs[u] for u in variant.units)
        if total <= 0:
            continue
        held = np.zeros(size)
        for u in variant.units:
            held += present[u] * idfs[u]
        np.maximum(best, held / total, out=best)
    return best


OPEN_ATTEMPTS = 5  # commits racing one search's opening of the index, before it gives up


class Engine:
    """The current snapshot of one index directory, refreshed when the index changes.

    Whoosh readers seek and read shared file handles, so one search runs at a time per
    process (a search takes milliseconds; web workers are processes).
    """

    def __init__(self, path: str, specs: list[FieldSpec], cache_bytes: int = 64 << 20):
        self.path = path
        self.specs = specs
        self.postings = PostingsCache(cache_bytes)
        self._lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        self._index = None
        self._stamp = None
        self._leaf_cache: dict = {}

    def _current(self) -> Snapshot:
        stamp = toc_stamp(self.path)
        if self._snapshot is not None and stamp == self._stamp:
            return self._snapshot
        if self._stamp is None or stamp[0] != self._stamp[0]:
            self._forget()  # another directory: build_search_index swapped in a new index
        layout.check(self.path)
        try:
            # No mmap: a segment file cut short under a running process (a bad restore, a
            # full disk) must fail one search with an exception, not kill the worker with
            # SIGBUS. Measured at 3,000 articles: the same latency within 2 %.
            self._index = FileStorage(self.path, supports_mmap=False).open_index()
            self._snapshot = Snapshot(self._index, self.specs, self._leaf_cache, self.postings)
        except BaseException:
            self._forget()  # start from scratch next time
            raise
        self._stamp = stamp
        return self._snapshot

    def _forget(self):
        for leaf in self._leaf_cache.values():
            leaf.reader.close()
        self._leaf_cache.clear()
        self.postings.clear()
        self._snapshot = None
        self._index = None
        self._stamp = None

    def run(self, plan: Plan, **options) -> Hits:
        with self._lock:
            try:
                return self._opened().run(plan, **options)
            except BaseException:
                # A damaged segment fails only when read: reopen everything next time, so a
                # rebuilt index is picked up and nothing half-read is kept.
                self._forget()
                raise

    def _opened(self) -> Snapshot:
        attempts = OPEN_ATTEMPTS
        while True:
            try:
                return self._current()
            except FileNotFoundError:
                # Another process committed between our finding the newest table of contents
                # and opening it (or a segment it names), and Whoosh deleted the older files:
                # a newer generation is there to read. A missing directory is not a race.
                self._forget()
                attempts -= 1
                if not attempts or not os.path.isdir(self.path):
                    raise

    def close(self):
        with self._lock:
            self._forget()
