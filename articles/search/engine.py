"""Matching and scoring articles over the Whoosh index.

Whoosh's own searcher scores each posting through several Python calls (about 10 µs); at
10,000 articles a generic query such as 催收电话 has 50,000+ postings, and haystack adds a
search over every document per query to narrow to registered models. Here each posting list
is read block by block from Whoosh's postings file and scored with numpy, so every match is
scored (no cap: ranking is exact) in a few milliseconds, and one snapshot of the index (open
segment readers, field lengths) is reused until the index changes.

Scoring is BM25 per field (k1 = 1.2, b per field), multiplied by the field's weight and
summed over fields, with one idf per term (the largest document frequency over the fields).

Matching is "enough of the query": a query is one or more variants (the text as typed, and
one per synonym substitution), each a set of terms with a minimum number that must occur;
an article matches when any variant is satisfied. Which terms a query has, and how many are
needed, is decided in `query.py`.
"""

from __future__ import annotations

import logging
import math
import threading
from dataclasses import dataclass, field
from itertools import repeat

import numpy as np
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound

from articles.documents import SECTION_KINDS

from .fields import ARTICLE_LEVEL, KIND_BITS

log = logging.getLogger(__name__)

K1 = 1.2


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


class _Leaf:
    """What never changes in one segment: field lengths and each document's lender."""

    def __init__(self, reader, specs, exact_field):
        count = reader.doc_count_all()
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
        if exact_field in reader.schema:
            for i, term in enumerate(reader.lexicon(exact_field)):
                self.lender_terms.append(term.decode("utf-8"))
                docs = _read(_postings(reader, exact_field, term), want_values=False)[0]
                self.lender_codes[docs] = i


def _postings(reader, fieldname, termbytes):
    try:
        matcher = reader.postings(fieldname, termbytes)
    except (TermNotFound, KeyError):
        return None
    # Deleted documents are masked out by the snapshot, all at once.
    while isinstance(matcher, FilterMatcher):
        matcher = matcher.child
    return matcher


def _read(matcher, want_values):
    """A whole posting list as numpy arrays: (docnums, weights, values or None)."""
    if matcher is None:
        return np.empty(0, np.int64), np.empty(0, np.float64), None
    if hasattr(matcher, "_read_data") and hasattr(matcher, "_nextoffset"):
        return _read_blocks(matcher, want_values)
    ids, weights, values = [], [], []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        if want_values:
            values.append(matcher.value())
        matcher.next()
    docs = np.array(ids, dtype=np.int64)
    tf = np.array(weights, dtype=np.float64)
    vals = np.frombuffer(b"".join(values), dtype=">u2") if want_values else None
    return docs, tf, vals


def _read_blocks(matcher, want_values):
    # Fast path for Whoosh 2.7's on-disk postings (W3LeafMatcher): each block is a pickled
    # (delta-encoded ids, weights, values) tuple; decode whole blocks, not postings.
    deltas: list[int] = []
    lengths: list[int] = []
    weights: list[float] = []
    values: list[bytes] = []
    while True:
        matcher._read_data()
        ids, block_weights, block_values = matcher._data
        n = len(ids)
        deltas.extend(ids)
        lengths.append(n)
        if block_weights is None:
            weights.extend(repeat(1.0, n))
        elif isinstance(block_weights, float):
            weights.extend(repeat(block_weights, n))
        else:
            weights.extend(block_weights)
        if want_values:
            values.append(block_values)
        if matcher._lastblock:
            break
        matcher._goto(matcher._nextoffset)
    docs = np.cumsum(np.array(deltas, dtype=np.int64))
    if len(lengths) > 1:
        ends = np.cumsum(lengths)
        base = np.repeat(np.concatenate(([0], docs[ends[:-1] - 1])), lengths)
        docs -= base
    tf = np.array(weights, dtype=np.float64)
    vals = np.frombuffer(b"".join(values), dtype=">u2") if want_values else None
    return docs, tf, vals


class Snapshot:
    """One generation of the index, opened once and shared until the index changes."""

    def __init__(self, searcher, specs: list[FieldSpec], exact_field: str, leaf_cache: dict):
        self.searcher = searcher
        self.specs = specs
        reader = searcher.reader()
        self.leaves = reader.leaf_readers()
        self.size = reader.doc_count_all()
        self.live_count = reader.doc_count()
        live = np.ones(self.size, dtype=bool)
        lengths = {spec.name: [] for spec in specs}
        codes, self.lenders = [], []
        lender_index: dict[str, int] = {}
        for segreader, offset in self.leaves:
            key = segreader.segment().segment_id()
            leaf = leaf_cache.get(key)
            if leaf is None:
                leaf = leaf_cache[key] = _Leaf(segreader, specs, exact_field)
            for name in lengths:
                lengths[name].append(leaf.lengths[name])
            remap = np.array(
                [lender_index.setdefault(t, len(lender_index)) for t in leaf.lender_terms] + [-1],
                dtype=np.int32,
            )
            codes.append(remap[leaf.lender_codes])
            if segreader.has_deletions():
                deleted = np.fromiter(segreader.deleted_docs(), dtype=np.int64)
                live[deleted + offset] = False
        self.lenders = list(lender_index)
        self.lender_codes = np.concatenate(codes) if codes else np.empty(0, np.int32)
        self.live = live
        self.norms = {}
        for spec in specs:
            values = np.concatenate(lengths[spec.name]) if lengths[spec.name] else np.empty(0)
            average = values[live].mean() if live.any() else 1.0
            average = average or 1.0
            b = spec.length_norm
            self.norms[spec.name] = K1 * (1 - b + b * values / average)
        # Segments that are gone are dropped from the cache.
        current = {segreader.segment().segment_id() for segreader, _ in self.leaves}
        for key in list(leaf_cache):
            if key not in current:
                del leaf_cache[key]

    def close(self):
        try:
            self.searcher.close()
        except Exception:  # already closed by a refresh
            pass

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
        size = self.size
        if not plan.units or not size:
            return Hits()
        need_kinds = facets or kind is not None
        score = np.zeros(size)
        base = []  # per unit: matched in an article-level field
        kinds = []  # per unit: kinds of the sections it matched in
        for unit, unit_weight in zip(plan.units, plan.weights):
            termbytes = unit.encode("utf-8")
            lists = []
            df = 0
            for spec in self.specs:
                field_df = 0
                for segreader, segoffset in self.leaves:
                    docs, tf, vals = _read(
                        _postings(segreader, spec.name, termbytes),
                        want_values=need_kinds and spec.by_kind,
                    )
                    if len(docs):
                        lists.append((spec, docs + segoffset, tf, vals))
                        field_df += len(docs)
                df = max(df, field_df)
            unit_base = np.zeros(size, dtype=bool)
            unit_kinds = np.zeros(size, dtype=np.uint16) if need_kinds else None
            if df:
                idf = math.log(1 + (self.live_count - df + 0.5) / (df + 0.5))
                for spec, docs, tf, vals in lists:
                    c = idf * spec.weight * unit_weight * (K1 + 1)
                    score[docs] += c * tf / (tf + self.norms[spec.name][docs])
                    if vals is None:
                        unit_base[docs] = True
                    else:
                        unit_base[docs[(vals & ARTICLE_LEVEL) != 0]] = True
                        unit_kinds[docs] |= vals
            base.append(unit_base)
            kinds.append(unit_kinds)

        def matching(kind_bit):
            if kind_bit is None:
                present = [
                    b if k is None else (b | (k != 0)) for b, k in zip(base, kinds, strict=True)
                ]
            else:
                present = [b | ((k & kind_bit) != 0) for b, k in zip(base, kinds, strict=True)]
            result = np.zeros(size, dtype=bool)
            for variant in plan.variants:
                count = np.zeros(size, dtype=np.int32)
                for u in variant.units:
                    count += present[u]
                result |= count >= variant.need
            return result & self.live

        in_kind = matching(KIND_BITS[kind] if kind else None)
        lender_ok = None
        if lender is not None:
            code = self.lenders.index(lender) if lender in self.lenders else -2
            lender_ok = self.lender_codes == code
        selected = in_kind if lender_ok is None else in_kind & lender_ok

        hits = Hits()
        candidates = np.flatnonzero(selected)
        hits.total = len(candidates)
        if hits.total and limit > 0 and offset < hits.total:
            cand_scores = score[candidates]
            order = np.lexsort((candidates, -cand_scores))[offset : offset + limit]
            hits.docnums = [int(d) for d in candidates[order]]
            hits.scores = [float(s) for s in cand_scores[order]]
        if facets:
            codes = self.lender_codes[in_kind]
            counts = np.bincount(codes[codes >= 0], minlength=len(self.lenders))
            hits.lender_counts = {
                slug: int(n) for slug, n in zip(self.lenders, counts, strict=True) if n
            }
            for name in SECTION_KINDS:
                matched = matching(KIND_BITS[name])
                if lender_ok is not None:
                    matched &= lender_ok
                n = int(matched.sum())
                if n:
                    hits.kind_counts[name] = n
        hits.stored = [self.searcher.stored_fields(d) for d in hits.docnums]
        return hits


class Engine:
    """The current snapshot of one index directory, refreshed when the index changes.

    Whoosh readers seek and read shared file handles, so one search runs at a time per
    process (a search takes milliseconds; web workers are processes).
    """

    def __init__(self, open_index, specs: list[FieldSpec], exact_field: str):
        self._open_index = open_index
        self.specs = specs
        self.exact_field = exact_field
        self._lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        self._leaf_cache: dict = {}

    def _current(self) -> Snapshot:
        current = self._snapshot
        if current is not None and current.searcher.up_to_date():
            return current
        if current is None:
            searcher = self._open_index().searcher()
        else:
            searcher = current.searcher.refresh()
        self._snapshot = Snapshot(searcher, self.specs, self.exact_field, self._leaf_cache)
        return self._snapshot

    def run(self, plan: Plan, **options) -> Hits:
        with self._lock:
            return self._current().run(plan, **options)

    def doc_count(self) -> int:
        with self._lock:
            return self._current().live_count

    def close(self):
        with self._lock:
            if self._snapshot is not None:
                self._snapshot.close()
            self._snapshot = None
            self._leaf_cache.clear()
