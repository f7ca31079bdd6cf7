"""Whoosh 2.7's on-disk format, written faster and smaller, by subclasses of Whoosh's writers.

What is written is read by Whoosh's own readers; it differs in how, not what
(tests/test_whoosh_writing.py compares every term with what Whoosh's writer stores):

- `codec`, `CompactCodec`: a term in one document keeps its posting in the term table (as
  Whoosh's reader allows; its writer never does), block data is pickled with protocol 4,
  frequencies under 256 take a byte each.
- `UpdatingWriter`: Whoosh's writer, finding the document an update replaces through
  segment readers kept open between writes (an editor's save).
- `BulkWriter`, `ParallelBulkWriter`, `bulk_writer`: writers for many documents (a rebuild,
  a merge) that keep postings in arrays instead of Whoosh's pool and write each term whole.

The private parts of Whoosh used here are checked at start-up (`whoosh_internals.problems`).
"""

from __future__ import annotations

import pickle
import struct
import zlib
from array import array
from itertools import repeat
from typing import NamedTuple

import numpy as np
from whoosh import multiproc
from whoosh.codec.base import OutOfOrderError
from whoosh.codec.whoosh3 import (
    WHOOSH3_HEADER_MAGIC,
    W3Codec,
    W3FieldWriter,
    W3PostingsWriter,
    W3TermInfo,
)
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.reading import SegmentReader
from whoosh.system import pack_int, pack_long, pack_ushort
from whoosh.util.numeric import length_to_byte
from whoosh.writing import SegmentWriter

from .whoosh_internals import open_segment, read_postings

POSTINGS_PER_BLOCK = 512  # Whoosh's default is 128: fewer blocks to decode per query
PICKLE_PROTOCOL = 4  # Whoosh writes protocol 2, where each bytes value becomes a call
_ENTRY_LENGTHS = struct.Struct("!ii")  # a term-table entry's key and value lengths
_FLOAT32 = struct.Struct("f")


def codec() -> CompactCodec:
    """The codec every segment of the project's index is written with."""
    return CompactCodec(blocklimit=POSTINGS_PER_BLOCK)


class CompactCodec(W3Codec):
    """Whoosh 2.7's codec, its postings written by `CompactFieldWriter` and
    `CompactPostingsWriter`; what it writes is read by Whoosh's own readers
    (`W3LeafMatcher`, `W3TermInfo.from_bytes`)."""

    def field_writer(self, storage, segment):
        return CompactFieldWriter(self, storage, segment)

    def postings_writer(self, dbfile, byteids=False):
        return CompactPostingsWriter(
            dbfile,
            blocklimit=self._blocklimit,
            byteids=byteids,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )


class CompactFieldWriter(W3FieldWriter):
    """W3FieldWriter that writes a term with a single posting straight into the term table.

    In the one-article segment an editor's save writes, every term has one posting; going
    through Whoosh's postings writer costs about 20 µs a term (a term info, a block buffer,
    a pickle), this a few. What lands in the table is what `CompactPostingsWriter` would
    have written (tests/test_whoosh_writing.py compares the two).
    """

    def add_postings(self, schema, lengths, items):
        read_length = lengths.doc_field_length if lengths else (lambda docnum, name: 0)
        known: dict = {}  # docnum → its length in the current field

        def field_length(docnum, fieldname):
            length = known.get(docnum)
            if length is None:
                length = known[docnum] = read_length(docnum, fieldname)
            return length

        lastfn = lasttext = None
        single = None  # the first posting of the current term, not yet written
        for fieldname, btext, docnum, weight, value in items:
            if lastfn is not None and fieldname < lastfn:
                raise OutOfOrderError(f"Field {lastfn!r} .. {fieldname!r}")
            if fieldname == lastfn and lasttext and btext < lasttext:
                raise OutOfOrderError(f"Term {lastfn}:{lasttext!r} .. {fieldname}:{btext!r}")
            if fieldname != lastfn:
                self._end_term(lasttext, single)
                single = None
                if lastfn is not None:
                    self.finish_field()
                self.start_field(fieldname, schema[fieldname])
                lastfn, lasttext = fieldname, None
                known.clear()
            if docnum == -1:  # a spelling word: the schema has none
                continue
            posting = (docnum, weight, value or b"", field_length(docnum, fieldname))
            if btext != lasttext:
                self._end_term(lasttext, single)
                single, lasttext = posting, btext
            elif single is not None:  # a second posting: the usual way for this term
                self.start_term(btext)
                self.add(*single)
                self.add(*posting)
                single = None
            else:
                self.add(*posting)
        self._end_term(lasttext, single)
        if lastfn is not None:
            self.finish_field()

    def start_field(self, fieldname, fieldobj):
        self._pending: list[tuple[bytes, bytes]] = []
        super().start_field(fieldname, fieldobj)

    def finish_term(self):
        terminfo = self._postwriter.finish_postings()
        self._add_term(pack_ushort(self._fieldid) + self._btext, terminfo.to_bytes())

    def finish_field(self):
        self._write_terms()
        super().finish_field()

    def _add_term(self, key: bytes, value: bytes) -> None:
        self._pending.append((key, value))

    def _write_terms(self) -> None:
        """The field's term-table entries, written at once: what OrderedHashWriter.add
        writes and remembers for each, without a call per file write."""
        pending, self._pending = self._pending, []
        if not pending:
            return
        table = self._tindex
        last = table.lastkey
        for key, _ in pending:
            if key <= last:
                raise ValueError(f"Keys must increase: {last!r}..{key!r}")
            last = key
        position = table.dbfile.tell()
        positions, chunks = [], []
        buckets, hashfn = table.buckets, table.hashfn
        for key, value in pending:
            positions.append(position)
            chunks.append(_ENTRY_LENGTHS.pack(len(key), len(value)))
            chunks.append(key)
            chunks.append(value)
            digest = hashfn(key)
            buckets[digest & 255].append((digest, position))
            position += _ENTRY_LENGTHS.size + len(key) + len(value)
        table.dbfile.write(b"".join(chunks))
        table.index.extend(positions)
        table.lastkey = last

    def _end_term(self, btext, single) -> None:
        if btext is None:
            return
        if single is None:
            self.finish_term()
        else:
            self.write_single(btext, *single)

    def write_single(self, btext: bytes, docnum: int, weight, value: bytes, length: int):
        """A term of one posting, inlined in its term-table entry."""
        weight = _as_stored(weight)
        lengthbyte = length_to_byte(length) if length else 0
        stats = (weight, 1, lengthbyte, lengthbyte, max(0, weight), docnum, docnum)
        entry = _inlined_entry(stats, ((docnum,), (weight,), (value,)))
        self._add_term(pack_ushort(self._fieldid) + btext, entry)

    def write_blocks(self, btext: bytes, blocks: list[_Block]) -> None:
        """A term of several postings, cut into blocks already (`_SortedPostings`), written
        as `CompactPostingsWriter` writes them."""
        postfile = self._postfile
        compression = self._codec._compression
        start = postfile.tell()
        postfile.write(WHOOSH3_HEADER_MAGIC)
        total = 0.0
        minlength, maxlength, maxweight = None, 0, 0
        for number, block in enumerate(blocks):
            _write_block(
                postfile,
                (block.deltas, block.weights, block.values),
                (block.count, block.last, block.maxweight),
                (block.minlength, block.maxlength),
                compression,
                last=number == len(blocks) - 1,
            )
            total += block.total
            if block.minlength is not None:
                low = block.minlength
                minlength = low if minlength is None else min(minlength, low)
            maxlength = max(maxlength, block.maxlength)
            maxweight = max(maxweight, block.maxweight)
        head = W3TermInfo._struct.pack(
            False,
            total,
            sum(block.count for block in blocks),
            0 if minlength is None else length_to_byte(minlength),
            length_to_byte(maxlength),
            maxweight,
            blocks[0].first,
            blocks[-1].last,
        )
        extent = pack_long(start) + pack_int(postfile.tell() - start)
        self._add_term(pack_ushort(self._fieldid) + btext, head + extent)


class CompactPostingsWriter(W3PostingsWriter):
    """W3PostingsWriter, with three differences in how the same data is stored:

    - a term in one document keeps its posting in its term-table entry (Whoosh's reader
      supports that, but its writer calls a method that does not exist and never does);
    - block data is pickled with protocol 4 (bytes as bytes);
    - a block's weights that are all small whole numbers (term frequencies) are stored as
      one byte each instead of a tuple of floats.

    An article has about 1,400 postings, most of them the only posting of their term in a
    one-article segment: inlining is what makes an editor's save quick, the rest what makes
    the index small.
    """

    def start_postings(self, format_, terminfo):
        super().start_postings(format_, CompactTermInfo())

    def finish_postings(self):
        if self.written() or len(self) != 1:
            return super().finish_postings()
        terminfo = self._terminfo
        terminfo.add_block(self)
        # Whoosh's ListMatcher gives the str '' for a posting without a value (fields without
        # values keep none), which a merge then refuses: keep an empty bytes value instead.
        values = self._values or [b""] * len(self._ids)
        terminfo.set_inlined(self._ids, _whole(self._weights), values)
        self._terminfo = None
        return terminfo

    def _mini_weights(self):
        return _mini_weights(self._weights)

    def _write_block(self, last=False):
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        _write_block(
            self._postfile,
            (self._mini_ids(), self._mini_weights(), self._mini_values()),
            (len(self._ids), self._ids[-1], self._maxweight),
            (self._minlength, self._maxlength),
            self._compression,
            last,
        )
        self._blockcount += 1
        self._new_block()


def _write_block(postfile, data: tuple, counts: tuple, lengths: tuple, compression, last):
    """One posting block as W3LeafMatcher reads it: its size (negative for a term's last
    block), the info tuple (count, last document, greatest weight, compression, shortest
    and longest field length as bytes) and the data tuple, pickled (and compressed)."""
    databytes = pickle.dumps(data, PICKLE_PROTOCOL)
    if compression:
        databytes = zlib.compress(databytes, compression)
    low, high = lengths
    info = (*counts, compression, length_to_byte(low), length_to_byte(high))
    infobytes = pickle.dumps(info, PICKLE_PROTOCOL)
    size = len(infobytes) + len(databytes)
    postfile.write_int(-size if last else size)
    postfile.write(infobytes)
    postfile.write(databytes)


class CompactTermInfo(W3TermInfo):
    """W3TermInfo whose inlined postings are pickled with protocol 4 (`from_bytes`, Whoosh's,
    reads any protocol)."""

    def to_bytes(self):
        if not self.is_inlined():
            return super().to_bytes()
        minlength = 0 if self._minlength is None else length_to_byte(self._minlength)
        stats = (
            self._weight,
            self._df,
            minlength,
            length_to_byte(self._maxlength),
            self._maxweight,
            0xFFFFFFFF if self._minid is None else self._minid,
            0xFFFFFFFF if self._maxid is None else self._maxid,
        )
        return _inlined_entry(stats, self._inlined)


def _inlined_entry(stats: tuple, postings: tuple) -> bytes:
    """A term-table value that holds its postings: W3TermInfo's fixed fields (the inlined
    flag, then total weight, document frequency, shortest and longest length as bytes,
    greatest weight, first and last document) and the (ids, weights, values) tuple."""
    return W3TermInfo._struct.pack(True, *stats) + pickle.dumps(postings, PICKLE_PROTOCOL)


def _mini_weights(weights):
    """A block's weights as stored: None if all 1.0, one float if all the same, bytes if
    all are whole numbers under 256 (term frequencies), else a tuple of floats."""
    if all(w == 1.0 for w in weights):
        return None
    if all(w == weights[0] for w in weights):
        return float(weights[0])  # a float: the reader tells this case by its type
    whole = _whole(weights)
    if all(isinstance(w, int) and 0 <= w < 256 for w in whole):
        return bytes(whole)
    return tuple(weights)


def _whole(weights) -> tuple:
    """Weights as ints where they are whole numbers (frequencies), else as they are."""
    return tuple(int(w) if w == int(w) else w for w in weights)


def _as_stored(weight):
    """A weight as a posting block keeps it: a 32-bit float, an int when whole."""
    if weight == int(weight) and abs(weight) < 2**24:  # exact in 32 bits
        return int(weight)
    weight = _FLOAT32.unpack(_FLOAT32.pack(weight))[0]
    return int(weight) if weight == int(weight) else weight


class UpdatingWriter(SegmentWriter):
    """Whoosh's SegmentWriter whose `update_document` finds the document it replaces through
    segment readers kept open between writes, in this process.

    Whoosh opens every segment (its compound file and term table) on each update to look
    the unique term up, about 0.6 ms a segment; segments never change once written (their
    deletions are the writer's), so the readers of earlier writes serve.
    """

    def update_document(self, **fields):
        self._check_state()
        for name in self._unique_fields(fields):
            for docnum in list(self._documents_with(name, fields[name])):
                self.delete_document(docnum)
        self.add_document(**fields)

    def _documents_with(self, fieldname, value):
        termbytes = self.schema[fieldname].to_bytes(value)
        readers = _kept_readers(self.storage, self.schema, self.segments)
        base = 0
        for segment, reader in zip(self.segments, readers, strict=True):
            docs, _, _ = read_postings(reader, fieldname, termbytes, False)
            for docnum in docs.tolist():
                if not segment.is_deleted(docnum):
                    yield base + docnum
            base += segment.doc_count_all()


_kept: dict[tuple, SegmentReader] = {}


def _kept_readers(storage, schema, index_segments) -> list[SegmentReader]:
    """A reader per segment, reused from earlier calls; readers of segments no longer in
    the index (or of another index) are closed."""
    folder = getattr(storage, "folder", id(storage))
    keys = [(folder, segment.segment_id()) for segment in index_segments]
    for key in set(_kept) - set(keys):
        _kept.pop(key).close()
    for key, segment in zip(keys, index_segments, strict=True):
        if key not in _kept:
            _kept[key] = open_segment(storage, schema, segment)
    return [_kept[key] for key in keys]


class BulkWriter(UpdatingWriter):
    """A writer for a rebuild: postings gathered in typed arrays, not Whoosh's pool.

    Whoosh's writer spends about 10 µs of Python per posting (a tuple in its pool, the pool's
    sort, a call per posting while writing), and an article has about 1,400 postings. Here
    a field hands a document's terms over at once (`term_postings(value)`, or Whoosh's
    `index(value)` for other fields), each field's postings are ordered with numpy at the
    end, and each term is written whole (`CompactFieldWriter.write_single`/`write_blocks`):
    the segment is the one `CompactCodec` writes posting by posting. Spelling and term
    vectors are not supported (the project's schema has neither).
    """

    def __init__(self, ix, **kwargs):
        super().__init__(ix, **kwargs)
        self._postings: dict[str, _FieldPostings] = {}

    def _field(self, fieldname) -> _FieldPostings:
        found = self._postings.get(fieldname)
        if found is None:
            found = self._postings[fieldname] = _FieldPostings(self.schema[fieldname])
        return found

    def add_document(self, **fields):
        self._check_state()
        perdocwriter = self.perdocwriter
        docnum = self.docnum
        docboost = self._doc_boost(fields)
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(self.schema, fieldnames)
        perdocwriter.start_doc(docnum)
        for fieldname in fieldnames:
            value = fields.get(fieldname)
            if value is None:
                continue
            field = self.schema[fieldname]
            if field.separate_spelling() or field.vector:
                raise NotImplementedError(f"{fieldname}: spelling and vectors are not supported")
            length = 0
            if field.indexed:
                boost = self._field_boost(fields, fieldname, docboost)
                length = self._field(fieldname).add(docnum, value, boost)
            stored = fields.get(f"_stored_{fieldname}", value)
            perdocwriter.add_field(fieldname, field, stored if field.stored else None, length)
            if field.column_type and stored is not None:
                column_value = field.to_column_value(stored)
                perdocwriter.add_column_value(fieldname, field.column_type, column_value)
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def add_postings_to_pool(self, reader, startdoc, docmap):
        # add_reader (a merge) hands another segment's postings over one by one.
        for fieldname, btext, docnum, weight, vbytes in self._process_posts(
            reader.iter_postings(), startdoc, docmap
        ):
            self._field(fieldname).add_one(btext, docnum, weight, vbytes)

    def _flush_segment(self):
        self.perdocwriter.close()
        lengths = self.per_document_reader()
        fieldwriter = self.fieldwriter
        try:
            for fieldname in sorted(self._postings):
                fieldwriter.start_field(fieldname, self.schema[fieldname])
                self._postings[fieldname].write(fieldwriter, _lengths(lengths, fieldname))
                fieldwriter.finish_field()
        finally:
            lengths.close()
        fieldwriter.close()


def _lengths(reader, fieldname) -> np.ndarray:
    """Each document's length in a field as Whoosh stores it (a byte's worth of precision)."""
    count = reader.doc_count_all()
    return np.fromiter(
        (reader.doc_field_length(d, fieldname) or 0 for d in range(count)),
        dtype=np.int64,
        count=count,
    )


class _FieldPostings:
    """One field's postings in the order they were added (documents rising)."""

    def __init__(self, field):
        self.field = field
        size = field.format.fixed_value_size()
        if size is None or size < 0:
            raise NotImplementedError(f"{field}: values of varying size are not supported")
        self.value_size = size
        self.text_terms = callable(getattr(field, "term_postings", None))
        self.numbers: dict = {}  # term (str for text_terms, else bytes) → its number
        self.terms = array("I")
        self.docs = array("I")
        self.weights = array("d")
        self.values = bytearray()

    def add(self, docnum: int, value, boost: float) -> int:
        """Add a document's postings for `value`; return its length in the field."""
        numbers = self.numbers
        if self.text_terms:
            terms, freqs, values = self.field.term_postings(value)
            field_boost = self.field.format.field_boost
            fresh = set(terms).difference(numbers)
            if fresh:
                numbers.update(
                    zip(fresh, range(len(numbers), len(numbers) + len(fresh)), strict=True)
                )
            self.terms.extend(map(numbers.__getitem__, terms))
            self.docs.extend(repeat(docnum, len(terms)))
            self.weights.extend([freq * field_boost * boost for freq in freqs])
            self.values += values
        else:
            freqs = []
            for tbytes, freq, weight, vbytes in self.field.index(value):
                self.add_one(tbytes, docnum, weight * boost, vbytes)
                freqs.append(freq)
        return int(sum(freqs)) if self.field.scorable else 0

    def add_one(self, tbytes: bytes, docnum: int, weight: float, vbytes) -> None:
        term = tbytes.decode("utf-8") if self.text_terms else tbytes
        self.terms.append(self.numbers.setdefault(term, len(self.numbers)))
        self.docs.append(docnum)
        self.weights.append(weight)
        if self.value_size:
            self.values += vbytes

    def write(self, fieldwriter: CompactFieldWriter, lengths: np.ndarray) -> None:
        if len(self.values) != len(self.docs) * self.value_size:
            raise ValueError(f"{self.field}: values of another size than the format's")
        terms = list(self.numbers)
        order = sorted(range(len(terms)), key=terms.__getitem__)  # str sorts as UTF-8 does
        rank = np.empty(len(terms), dtype=np.int64)
        rank[order] = np.arange(len(terms))
        numbers = np.frombuffer(self.terms, dtype=np.uint32)
        by_term = np.argsort(rank[numbers], kind="stable")  # documents stay rising
        docs = np.frombuffer(self.docs, dtype=np.uint32)[by_term].astype(np.int64)
        weights = np.frombuffer(self.weights, dtype=np.float64)[by_term]
        values = None
        if self.value_size:
            values = np.frombuffer(bytes(self.values), dtype=f"V{self.value_size}")[by_term]
        counts = np.bincount(numbers, minlength=len(terms))[order]
        postings = _SortedPostings(
            docs, weights, values, lengths[docs], counts, fieldwriter._codec._blocklimit
        )
        for term_index, number in enumerate(order):
            term = terms[number]
            btext = term.encode("utf-8") if self.text_terms else term
            single = postings.single(term_index)
            if single is not None:
                fieldwriter.write_single(btext, *single)
            else:
                fieldwriter.write_blocks(btext, postings.blocks(term_index))


class _Block(NamedTuple):
    """One block of a posting list, as W3PostingsWriter would write it."""

    count: int
    first: int  # document
    last: int
    deltas: tuple  # each document minus the one before it (the first minus 0)
    weights: object  # as `_mini_weights` keeps them
    values: bytes | None
    total: float  # of the weights as stored (32-bit floats)
    maxweight: float
    minlength: int | None
    maxlength: int


class _SortedPostings:
    """A field's postings ordered by term and document, cut into blocks of `blocklimit`
    with each block's statistics worked out for all blocks at once (numpy)."""

    def __init__(self, docs, weights, values, lengths, counts, blocklimit: int):
        ends = np.cumsum(counts)
        starts = ends - counts
        per_term = (counts + blocklimit - 1) // blocklimit
        term_of_block = np.repeat(np.arange(len(counts)), per_term)
        self.first_block = np.cumsum(per_term) - per_term
        within = np.arange(int(per_term.sum())) - self.first_block[term_of_block]
        start = starts[term_of_block] + within * blocklimit
        end = np.minimum(start + blocklimit, ends[term_of_block])
        previous = np.empty_like(docs)
        previous[1:] = docs[:-1]
        previous[start] = 0
        stored = weights.astype(np.float32).astype(np.float64)  # what a block keeps
        whole = stored == np.floor(stored)
        big = np.iinfo(np.int64).max
        present = lengths > 0
        self.starts, self.counts = starts.tolist(), counts.tolist()
        self.per_term = per_term.tolist()
        self.first_block = self.first_block.tolist()
        self.start, self.end = start.tolist(), end.tolist()
        self.docs, self.deltas = docs.tolist(), (docs - previous).tolist()
        self.weights, self.lengths = stored.tolist(), lengths.tolist()
        self.raw_weights = weights.tolist()
        self.bytes_weights = np.clip(stored, 0, 255).astype(np.uint8).tobytes()
        self.values = None if values is None else values.tobytes()
        self.value_size = 0 if values is None else values.dtype.itemsize
        self.all_one = np.logical_and.reduceat(stored == 1.0, start).tolist()
        same = stored == np.repeat(stored[start], end - start)
        self.all_same = np.logical_and.reduceat(same, start).tolist()
        self.all_whole = np.logical_and.reduceat(whole, start).tolist()
        small = whole & (stored >= 0) & (stored < 256)
        self.all_small = np.logical_and.reduceat(small, start).tolist()
        self.totals = np.add.reduceat(stored, start).tolist()
        self.maxweights = np.maximum.reduceat(weights, start).tolist()
        self.minlengths = np.minimum.reduceat(np.where(present, lengths, big), start).tolist()
        self.maxlengths = np.maximum.reduceat(np.where(present, lengths, 0), start).tolist()
        self._none = big

    def single(self, term: int):
        """(document, weight, value, length) of a term with one posting, else None."""
        if self.counts[term] != 1:
            return None
        at = self.starts[term]
        size = self.value_size
        value = self.values[at * size : (at + 1) * size] if size else b""
        return self.docs[at], self.raw_weights[at], value, self.lengths[at]

    def blocks(self, term: int) -> list[_Block]:
        first = self.first_block[term]
        return [self._block(b) for b in range(first, first + self.per_term[term])]

    def _block(self, b: int) -> _Block:
        start, end = self.start[b], self.end[b]
        if self.all_one[b]:
            weights = None
        elif self.all_same[b]:
            weights = self.weights[start]
        elif self.all_small[b]:
            weights = self.bytes_weights[start:end]
        else:
            weights = tuple(self.weights[start:end])
        size = self.value_size
        minlength = self.minlengths[b]
        return _Block(
            count=end - start,
            first=self.docs[start],
            last=self.docs[end - 1],
            deltas=tuple(self.deltas[start:end]),
            weights=weights,
            values=self.values[start * size : end * size] if size else None,
            # Whole numbers add up exactly in any order; others as Whoosh adds them.
            total=self.totals[b] if self.all_whole[b] else sum(self.weights[start:end]),
            maxweight=max(0, self.maxweights[b]),
            minlength=None if minlength == self._none else minlength,
            maxlength=self.maxlengths[b],
        )


class _BulkTask(SubWriterTask):
    """Whoosh's writer process, writing with BulkWriter (the swap happens in the child)."""

    def run(self):
        multiproc.SegmentWriter = BulkWriter
        super().run()


class ParallelBulkWriter(MpWriter):
    """Whoosh's multiprocessing writer whose processes write with BulkWriter, each its own
    segment (Whoosh's single-segment mode merges through the pool BulkWriter does not use)."""

    def __init__(self, ix, **kwargs):
        super().__init__(ix, multisegment=True, **kwargs)

    def _new_task(self):
        task = _BulkTask(
            self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs, True
        )
        self.tasks.append(task)
        task.start()
        return task


def bulk_writer(index, procs: int = 1, multisegment: bool = True, **options):
    """The fastest writer for adding many documents to `index` with these options."""
    if procs > 1 and multisegment:
        return ParallelBulkWriter(index, procs=procs, codec=codec(), **options)
    if procs > 1:
        return MpWriter(index, procs=procs, codec=codec(), **options)
    return BulkWriter(index, codec=codec(), **options)
