"""Every use of Whoosh's private parts, in one place, for the Whoosh this project pins.

The engine (engine.py) reads whole posting lists block by block, lists an index's segments
and tells index generations apart by their table-of-contents file: none of that is Whoosh's
public API. It is all here (and, for writing, in whoosh_writing.py), so a Whoosh upgrade
has these two modules to re-read:

- `read_postings`: a posting list as numpy arrays. For Whoosh 2.7's on-disk postings
  (`W3LeafMatcher`) whole blocks are unpickled at once (`_read_data`, `_data`, `_goto`,
  `_nextoffset`, `_lastblock`); anything else is walked through the public matcher.
  tests/test_whoosh_internals.py proves both give Whoosh's own postings, deletions and all.
- `segments`, `open_segment`: an index's segments (`FileIndex._segments()`) and a reader on
  one of them, so segments that did not change are not reopened.
- `add_segments`, `commit_segments`: a merge's body (segments copied into a writer), and
  a new table of contents naming given segments (merging.py swaps a segment merged outside
  Whoosh's writer in for the ones it replaces).
- `toc_stamp`, `toc_file`: the newest `_MAIN_<generation>.toc` file, which changes with
  every commit and every rebuild.
- `problems`: what the system check (checks.py) says about the installed Whoosh, the
  private parts whoosh_writing.py builds on included.
"""

from __future__ import annotations

import os
import re
from itertools import repeat
from pathlib import Path

import numpy as np
import whoosh
from whoosh.codec.whoosh3 import (
    W3LeafMatcher,
    W3PostingsWriter,
    W3TermInfo,
)
from whoosh.index import TOC, EmptyIndexError, FileIndex, clean_files
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import SegmentReader, TermNotFound
from whoosh.writing import SegmentWriter

TESTED_VERSIONS = {(2, 7, 4)}  # pyproject.toml pins whoosh>=2.7.4,<2.8

EMPTY = (np.empty(0, np.int64), np.empty(0, np.float64), None)

_TOC = re.compile(r"^_MAIN_(\d+)\.toc$")


_PRIVATE_METHODS = (
    (W3LeafMatcher, ("_read_data", "_goto", "reset")),
    (W3PostingsWriter, ("_new_block", "_mini_ids", "_mini_values", "written")),
    (W3TermInfo, ("set_inlined", "add_block")),
    (SegmentWriter, ("_unique_fields", "_check_state", "delete_document")),
)


def problems() -> tuple[list[str], list[str]]:
    """(missing, untested): the private parts this module needs that the installed Whoosh
    lacks (searches cannot work), and a note when its version is not one tested here."""
    missing = []
    if not callable(getattr(FileIndex, "_segments", None)):
        missing.append("whoosh.index.FileIndex._segments")
    for owner, names in _PRIVATE_METHODS:
        for name in names:
            if not callable(getattr(owner, name, None)):
                missing.append(f"{owner.__module__}.{owner.__name__}.{name}")
    if not hasattr(getattr(W3TermInfo, "_struct", None), "pack"):
        missing.append("whoosh.codec.whoosh3.W3TermInfo._struct")
    toc_name = getattr(TOC, "_filename", lambda *args: "")("MAIN", 7)
    if not _TOC.match(toc_name):
        missing.append(f"table of contents named _MAIN_<generation>.toc (found {toc_name!r})")
    version = tuple(whoosh.__version__)
    untested = []
    if version not in TESTED_VERSIONS:
        tested = ", ".join(".".join(map(str, v)) for v in sorted(TESTED_VERSIONS))
        untested.append(f"Whoosh {'.'.join(map(str, version))} (tested: {tested})")
    return missing, untested


# Segments


def segments(index) -> list:
    """The segments of an open FileIndex, in document-number order."""
    return index._segments()


def open_segment(storage, schema, segment) -> SegmentReader:
    return SegmentReader(storage, schema, segment)


def add_segments(writer, storage, schema, chosen) -> None:
    """Copy the live documents of the segments `chosen` (of the index in `storage`) into
    `writer`, in order: the body of a merge."""
    for segment in chosen:
        reader = open_segment(storage, schema, segment)
        writer.add_reader(reader)
        reader.close()


def commit_segments(storage, index, new_segments) -> None:
    """Commit the next generation of `index` as `new_segments` and delete the files of the
    segments it no longer names, as a Whoosh writer's commit does (the caller holds the
    writers' lock)."""
    generation = index.latest_generation() + 1
    TOC(index.schema, new_segments, generation).write(storage, index.indexname)
    clean_files(storage, index.indexname, generation, new_segments)


# Posting lists


def read_postings(reader, fieldname: str, termbytes: bytes, want_values: bool):
    """A segment reader's whole posting list for a term, deleted documents included, as
    (docnums int64, weights float64, kind values >u2 or None); EMPTY without the term."""
    try:
        matcher = reader.postings(fieldname, termbytes)
    except (TermNotFound, KeyError):
        return EMPTY
    # Deleted documents are masked by the caller, all at once. The filter that skips them
    # has already moved its child past the deleted documents at the start.
    filtered = isinstance(matcher, FilterMatcher)
    while isinstance(matcher, FilterMatcher):
        matcher = matcher.child
    if filtered:
        matcher.reset()
    if isinstance(matcher, W3LeafMatcher) and not matcher._byteids:
        return _read_blocks(matcher, want_values)
    return _read_one_by_one(matcher, want_values)


def _read_one_by_one(matcher, want_values):
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
    # Each block is a pickled (ids delta-encoded from 0, weights, values) tuple: decode whole
    # blocks, not postings. Weights are None (all 1.0), one float for the block, or a list.
    deltas: list[int] = []
    weights: list[float] = []
    lengths: list[int] = []
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


# The table of contents


def toc_file(path: str | os.PathLike) -> Path:
    """The newest table-of-contents file of the index in `path`.

    Raises FileNotFoundError without an index directory, EmptyIndexError without a TOC.
    """
    newest = None
    with os.scandir(path) as entries:
        for entry in entries:
            match = _TOC.match(entry.name)
            if match and (newest is None or int(match.group(1)) > newest[0]):
                newest = (int(match.group(1)), entry)
    if newest is None:
        raise EmptyIndexError(f"no search index in {path}")
    return Path(newest[1].path)


def toc_stamp(path: str | os.PathLike) -> tuple:
    """Identifies the index's current table of contents: (directory, generation, TOC file).

    The generation alone is not enough: `rebuild_index` deletes the directory and writes a
    new index, whose generation (and, on ext4, directory inode) may equal the old one's.
    """
    toc = toc_file(path)
    generation = int(_TOC.match(toc.name).group(1))
    st = toc.stat()
    return (os.stat(path).st_ino, generation, st.st_ino, st.st_mtime_ns, st.st_size)
