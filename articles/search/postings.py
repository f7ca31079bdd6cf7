"""Posting lists as the engine reads and keeps them (engine.py scores with them).

Three levels, each kept because measuring showed its cost:

- `Leaf`: what never changes in one segment (field lengths, each document's lender and
  section kinds), read once when the segment is first seen.
- `PostingsCache`: decoded posting lists of immutable segments, kept across index
  generations (a save adds one small segment; the big ones stay).
- `Term`: one query term over a whole snapshot (every field and segment), with what
  matching and scoring need of it worked out once: the articles holding it, and its BM25
  share per field. The same terms come back in most queries (催收, 电话…), and adding a
  kept array is a tenth of the cost of scattering a posting list into the scores.
  A `TermCache` lives as long as its snapshot: a save changes lengths, deletions and so
  document frequencies, which every share depends on.
"""

from __future__ import annotations

from collections import OrderedDict

import numpy as np

from .layout import KIND_BITS
from .schema import ARTICLE_LEVEL
from .whoosh_internals import EMPTY, read_postings

K1 = 1.2  # BM25's term-frequency saturation
LENDER_FIELD = "lender"
KINDS_FIELD = "kinds"
TINY_SEGMENT = 16  # documents
KIND_LANES = np.array(list(KIND_BITS.values()), dtype=np.uint16)
EVERY_KIND = np.uint16((1 << 16) - 1)


class Leaf:
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
        self.stored: dict[int, dict] = {}

    def read(self, reader, fieldname, termbytes, want_values):
        """A posting list of a tiny segment."""
        key = (fieldname, termbytes)
        if key not in self.terms:
            return EMPTY
        entry = self.read_lists.get(key)
        if entry is None or (want_values and entry[2] is None):
            entry = self.read_lists[key] = read_postings(reader, fieldname, termbytes, want_values)
        return entry

    def stored_fields(self, docnum: int) -> dict:
        """A document's stored fields (its id): they never change in a segment."""
        found = self.stored.get(docnum)
        if found is None:
            found = self.stored[docnum] = self.reader.stored_fields(docnum)
        return found


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


# One term over a whole snapshot

DENSE_SHARE = 8  # a field's scores are kept as one array per article once 1/8 of them hold it


class Term:
    """A term's postings in every field and segment of a snapshot, and what scoring and
    matching need of them, each worked out on first use.

    `lists` are (spec, docnums over the snapshot, frequencies, kind masks or None), in the
    order of the specs; `df` counts live articles in the field where the term is most
    frequent. A term whose every posting is deleted (df 0) is held by no article.
    """

    def __init__(self, lists: list, df: int, idf: float, size: int):
        self.lists = lists
        self.df = df
        self.idf = idf
        self.size = size
        self.anywhere = np.zeros(size, dtype=bool)  # the articles holding it
        if df:
            for _spec, docs, _tf, _vals in lists:
                self.anywhere[docs] = True
        self._masks: np.ndarray | None = None
        self._each_kind: np.ndarray | None = None
        self._shares: dict[float, list] = {}
        self.nbytes = self.anywhere.nbytes + sum(
            docs.nbytes + tf.nbytes + (0 if vals is None else vals.nbytes)
            for _spec, docs, tf, vals in lists
        )

    def in_kind(self, kind_bit: int) -> np.ndarray:
        """The articles holding it at article level or in a section of this kind."""
        return (self._kind_masks() & kind_bit) != 0

    def in_each_kind(self) -> np.ndarray:
        """`in_kind` of every kind at once: one row per kind, in KIND_BITS' order."""
        if self._each_kind is None:
            self._each_kind = (KIND_LANES[:, None] & self._kind_masks()) != 0
            self.nbytes += self._each_kind.nbytes
        return self._each_kind

    def _kind_masks(self) -> np.ndarray:
        """Per article, the bits of the kinds it holds the term in (all of them where it
        holds it at article level)."""
        if self._masks is None:
            masks = np.zeros(self.size, dtype=np.uint16)
            if self.df:
                for _spec, docs, _tf, vals in self.lists:
                    if vals is None:
                        masks[docs] |= EVERY_KIND
                    else:
                        masks[docs] |= np.where((vals & ARTICLE_LEVEL) != 0, EVERY_KIND, vals)
            self._masks = masks
            self.nbytes += masks.nbytes
        return self._masks

    def weighted(self, weight: float, candidates: np.ndarray) -> np.ndarray:
        """`anywhere` × weight, as floats, at these articles (what coverage adds up)."""
        return self.anywhere[candidates] * weight

    def shares(self, unit_weight: float, norms: dict) -> list:
        """Its BM25 score per field at this weight: per field either an array over all
        articles (zero where it is absent) or (docnums, scores) for a rare term.

        Computed exactly as a posting list's share always was (c × tf / (tf + norm)); adding
        zero leaves a score unchanged, so an article's score is the same to the last bit.
        """
        found = self._shares.get(unit_weight)
        if found is not None:
            return found
        found = []
        if self.df:
            by_field: dict = {}
            for spec, docs, tf, _vals in self.lists:
                c = self.idf * spec.weight * unit_weight * (K1 + 1)
                share = c * tf / (tf + norms[spec.name][docs])
                by_field.setdefault(spec.name, []).append((docs, share))
            for parts in by_field.values():
                docs = np.concatenate([d for d, _ in parts]) if len(parts) > 1 else parts[0][0]
                share = np.concatenate([s for _, s in parts]) if len(parts) > 1 else parts[0][1]
                if len(docs) * DENSE_SHARE >= self.size:
                    dense = np.zeros(self.size)
                    dense[docs] = share
                    found.append(dense)
                    self.nbytes += dense.nbytes
                else:
                    found.append((docs, share))
                    self.nbytes += share.nbytes
        self._shares[unit_weight] = found
        return found


class TermCache:
    """Terms of one snapshot, least recently used dropped first past `max_bytes`."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._entries: OrderedDict[bytes, Term] = OrderedDict()

    def get(self, termbytes: bytes) -> Term | None:
        term = self._entries.get(termbytes)
        if term is not None:
            self._entries.move_to_end(termbytes)
        return term

    def add(self, termbytes: bytes, term: Term) -> None:
        if self.max_bytes > 0:
            self._entries[termbytes] = term

    def trim(self) -> None:
        """Drop the least recently used terms past the budget (after a search, once the
        terms it used have grown what they keep)."""
        total = sum(term.nbytes for term in self._entries.values())
        while total > self.max_bytes and self._entries:
            _, dropped = self._entries.popitem(last=False)
            total -= dropped.nbytes
