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
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from whoosh.filedb.filestore import FileStorage

from . import layout
from .layout import KIND_BITS
from .postings import K1, KIND_LANES, Leaf, PostingsCache, Term, TermCache
from .whoosh_internals import open_segment, segments, toc_stamp

log = logging.getLogger(__name__)


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
    # Per hit, (segment id, document number in it): names the indexed document for good (an
    # edit indexes a new document in a new segment), so what it shows may be cached by it.
    keys: list[tuple[str, int]] = field(default_factory=list)


class Snapshot:
    """One generation of the index, shared by every search until the index changes.

    Segment readers are kept across generations (a save adds one small segment; the others
    stay open): Whoosh's own `Searcher.refresh()` reopens every segment.
    """

    def __init__(self, index, specs: list[FieldSpec], leaf_cache: dict, postings, term_bytes):
        self.generation = index.latest_generation()
        self.specs = specs
        self.postings = postings
        self.terms = TermCache(term_bytes)
        index_segments = segments(index)
        self.leaves, self.leaf_data, self.offsets, self.segment_ids = [], [], [], []
        offset = 0
        for segment in index_segments:
            key = segment.segment_id()
            self.segment_ids.append(key)
            leaf = leaf_cache.get(key)
            if leaf is None:
                reader = open_segment(index.storage, index.schema, segment)
                leaf = leaf_cache[key] = Leaf(reader, specs)
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
        self.each_kind = (KIND_LANES[:, None] & self.kinds) != 0
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

    def _locate(self, docnum: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.offsets, docnum) - 1
        return i, docnum - self.offsets[i]

    def stored_fields(self, docnum: int) -> dict:
        i, local = self._locate(docnum)
        return self.leaf_data[i].stored_fields(local)

    def document_key(self, docnum: int) -> tuple[str, int]:
        i, local = self._locate(docnum)
        return self.segment_ids[i], local

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
        found = self._score(plan)
        matching = _Matching(self, plan, found)
        in_kind = matching.articles(KIND_BITS[kind] if kind else None)
        of_lender = self._of_lender(lender)
        selected = in_kind if of_lender is None else in_kind & of_lender
        # Only the selected articles' scores are ever read: scale just those.
        candidates = np.flatnonzero(selected)
        scores = found.score[candidates] * _coverage(plan.variants, found, candidates)
        hits = Hits()
        hits.total, hits.docnums, hits.scores = _page(candidates, scores, offset, limit)
        if facets:
            hits.lender_counts = self._lender_counts(in_kind)
            hits.kind_counts = _kind_counts(matching, of_lender)
        hits.stored = [self.stored_fields(d) for d in hits.docnums]
        hits.keys = [self.document_key(d) for d in hits.docnums]
        self.terms.trim()
        return hits

    # Scoring

    def _score(self, plan: Plan) -> _Found:
        """BM25 of every article for the plan's units, and the units as Terms."""
        found = _Found(score=np.zeros(self.size))
        for unit, unit_weight in zip(plan.units, plan.weights, strict=True):
            term = self.term(unit.encode("utf-8"))
            for share in term.shares(unit_weight, self.norms):
                if isinstance(share, tuple):
                    docs, values = share
                    found.score[docs] += values
                else:
                    found.score += share
            found.terms.append(term)
            found.weights.append(unit_weight)
            found.idfs.append(term.idf * unit_weight)
            found.dfs.append(term.df)
        return found

    def term(self, termbytes: bytes) -> Term:
        """A term over this snapshot (kept while the snapshot lives, within its budget)."""
        term = self.terms.get(termbytes)
        if term is None:
            lists, df = self._postings_of(termbytes)
            idf = math.log(1 + (self.live_count - df + 0.5) / (df + 0.5)) if df else 0.0
            term = Term(lists, df, idf, self.size)
            self.terms.add(termbytes, term)
        return term

    def _postings_of(self, termbytes: bytes) -> tuple[list, int]:
        """A term's posting lists in every field and segment, as (spec, docnums, frequencies,
        kind masks), docnums counted over the whole snapshot; and its document frequency
        (live documents, in the field where it is most frequent)."""
        lists = []
        df = 0
        for spec in self.specs:
            field_df = 0
            want_values = spec.by_kind
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
    """Per unit of a plan: its Term, weight, idf × weight and document frequency; and the
    articles' summed BM25 score."""

    score: np.ndarray
    terms: list[Term] = field(default_factory=list)
    weights: list[float] = field(default_factory=list)
    idfs: list[float] = field(default_factory=list)
    dfs: list[int] = field(default_factory=list)


class _Matching:
    """Which live articles satisfy a plan: any variant with `need` of its units present (and
    all of its `must` units), optionally in one kind of section."""

    def __init__(self, snapshot: Snapshot, plan: Plan, found: _Found):
        self.size = snapshot.size
        self.live = snapshot.live
        self.kinds = snapshot.kinds
        self.each_kind = snapshot.each_kind
        self.found = found
        share = snapshot.live_count
        self.variants = [
            v
            for v in plan.variants
            if v.max_share is None or all(found.dfs[u] <= v.max_share * share for u in v.units)
        ]

    def articles(self, kind_bit: int | None = None) -> np.ndarray:
        terms = self.found.terms
        if kind_bit is None:
            present = [term.anywhere for term in terms]
        else:
            present = [term.in_kind(kind_bit) for term in terms]
        result = self._satisfied(present, self.size)
        result &= self.live
        if kind_bit is not None:
            result &= (self.kinds & kind_bit) != 0
        return result

    def in_each_kind(self) -> np.ndarray:
        """`articles(bit)` of every kind at once: one row per kind, in KIND_BITS' order (one
        pass over the variants instead of one per kind; rows, not columns, of kinds: numpy
        is ten times as fast along the long axis)."""
        present = [term.in_each_kind() for term in self.found.terms]
        result = self._satisfied(present, self.each_kind.shape)
        result &= self.live
        result &= self.each_kind
        return result

    def _satisfied(self, present: list[np.ndarray], shape) -> np.ndarray:
        """Where any variant is satisfied, given where each unit is present."""
        # A count of units never passes 255 (a query is at most 100 characters, plus the
        # synonyms of its words): one byte per article is a quarter of the memory traffic.
        dtype = np.uint8 if len(present) < 256 else np.int32
        # Counts are integers, the same whatever the order of the additions: each variant's
        # units are added the commonest first, so that variants share longer running sums.
        shared = Counter(u for v in self.variants for u in v.units)
        orders = [tuple(sorted(v.units, key=lambda u: (-shared[u], u))) for v in self.variants]
        counts = _sums(orders, present, dtype, shape)
        result = np.zeros(shape, dtype=bool)
        for variant, count in zip(self.variants, counts, strict=True):
            matched = count >= variant.need
            for u in variant.must:
                matched &= present[u]
            result |= matched
        return result


def _sums(sequences, arrays, dtype, size) -> list[np.ndarray]:
    """For each sequence of unit indexes, the sum of their arrays, added in that order.

    A query's variants differ only where a synonym stands in, so most begin alike: taken in
    sorted order, each shares the running sums of the prefix it has in common with the one
    before (the same additions in the same order: the same values, to the last bit).
    The arrays returned may be shared: never change them in place.
    """
    results: list = [None] * len(sequences)
    path: list[int] = []
    stack = [np.zeros(size, dtype)]
    for i in sorted(range(len(sequences)), key=lambda i: sequences[i]):
        units = sequences[i]
        common = 0
        while common < min(len(path), len(units)) and path[common] == units[common]:
            common += 1
        del path[common:]
        del stack[common + 1 :]
        for u in units[common:]:
            stack.append(stack[-1] + arrays[u])
            path.append(u)
        results[i] = stack[len(units)]
    return results


def _page(candidates: np.ndarray, scores: np.ndarray, offset: int, limit: int):
    """(total, docnums, scores) of one page of the candidates, best first (ties: index
    order)."""
    total = len(candidates)
    if not total or limit <= 0 or offset >= total:
        return total, [], []
    wanted = offset + limit
    if wanted * 4 < total:
        # Only what can reach the page is sorted: every article scoring at least the
        # wanted-th best score (ties at the edge included, so the order is unchanged).
        edge = np.partition(scores, total - wanted)[total - wanted]
        keep = scores >= edge
        candidates, scores = candidates[keep], scores[keep]
    order = np.lexsort((candidates, -scores))[offset : offset + limit]
    return total, [int(d) for d in candidates[order]], [float(s) for s in scores[order]]


def _kind_counts(matching: _Matching, of_lender: np.ndarray | None) -> dict[str, int]:
    """Per section kind, the articles that match in that kind (and are the lender's)."""
    matched = matching.in_each_kind()
    if of_lender is not None:
        matched &= of_lender
    counts = [np.count_nonzero(row) for row in matched]
    return {str(name): int(n) for name, n in zip(KIND_BITS, counts, strict=True) if n}


def _coverage(variants: list[Variant], found: _Found, candidates: np.ndarray) -> np.ndarray:
    """Per candidate article, the largest share of a variant's weight (idf × term weight) it
    holds.

    BM25 adds up terms, so an article that repeats a lender's name in many places can outrank
    the one article holding both the name and the rare words the reader added (京东金条
    行书庙会). Scaling by the share of the query an article covers puts those first.
    """
    size = len(candidates)
    best = np.zeros(size)
    idfs = found.idfs
    counted = [v for v in variants if sum(idfs[u] for u in v.units) > 0]
    used = {u for v in counted for u in v.units}
    # The same values as over every article, gathered: the sums are the same to the bit.
    weighted = {u: found.terms[u].weighted(idfs[u], candidates) for u in used}
    held = _sums([v.units for v in counted], weighted, np.float64, size)
    for variant, sums in zip(counted, held, strict=True):
        total = sum(idfs[u] for u in variant.units)
        np.maximum(best, sums / total, out=best)
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
        self.term_bytes = cache_bytes // 2
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
            self._snapshot = Snapshot(
                self._index, self.specs, self._leaf_cache, self.postings, self.term_bytes
            )
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
