"""The one module that reads Whoosh's private parts: its fast path reads exactly the postings
Whoosh's public matcher reads, and start-up says when the installed Whoosh is not the one
it was written for."""

import numpy as np
import pytest
import whoosh
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from whoosh.fields import ID, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.index import FileIndex
from whoosh.writing import NO_MERGE

from articles.models import Section
from articles.search import whoosh_internals
from articles.search.layout import with_kind
from articles.search.schema import ChineseText
from articles.search.whoosh_writing import POSTINGS_PER_BLOCK as BLOCK
from articles.search.whoosh_writing import codec

KINDS = Section.Kind.values


def _value(i: int) -> str:
    """Section text of document i: 催收 in every one (1 to 5 times), 电话 in every other,
    微粒 in every 97th; in a kind that depends on i, and sometimes in the summary too."""
    words = "催收" * (i % 5 + 1) + ("电话" if i % 2 else "") + ("微粒" if i % 97 == 0 else "")
    value = with_kind(KINDS[i % len(KINDS)], words + "\n")
    if i % 3 == 0:
        value = with_kind(None, "催收\n") + value
    return value


@pytest.fixture
def index(tmp_path):
    """Two segments (1,300 and 700 documents) with deletions: all of the first segment's
    first block and every 7th document after it, and every 11th of the second."""
    ix = FileStorage(str(tmp_path)).create_index(Schema(id=ID(stored=True), text=ChineseText()))
    for first, count in ((0, 1300), (1300, 700)):
        with ix.writer(codec=codec()) as writer:
            writer.mergetype = NO_MERGE
            for i in range(first, first + count):
                writer.add_document(id=str(i), text=_value(i))
    with ix.writer(codec=codec()) as writer:
        writer.mergetype = NO_MERGE
        for i in range(2000):
            if i < BLOCK + 3 or (i < 1300 and i % 7 == 0) or (i >= 1300 and i % 11 == 0):
                writer.delete_by_term("id", str(i))
    return FileStorage(str(tmp_path)).open_index()


def _readers(ix):
    return [
        whoosh_internals.open_segment(ix.storage, ix.schema, segment)
        for segment in whoosh_internals.segments(ix)
    ]


def _public(reader, term: bytes):
    """Whoosh's own postings of a term, deleted documents skipped (its public matcher)."""
    matcher = reader.postings("text", term)
    found = []
    while matcher.is_active():
        found.append((matcher.id(), matcher.weight(), int.from_bytes(matcher.value(), "big")))
        matcher.next()
    return found


def _live(reader, postings):
    docs, weights, values = postings
    live = np.array([not reader.is_deleted(int(d)) for d in docs], dtype=bool)
    return [
        (int(d), float(w), int(v))
        for d, w, v in zip(docs[live], weights[live], values[live], strict=True)
    ]


def test_the_index_has_several_blocks_per_term_and_deletions(index):
    first, second = _readers(index)
    assert first.doc_count_all() == 1300 and second.doc_count_all() == 700
    assert first.has_deletions() and second.has_deletions()
    assert first.doc_frequency("text", "催收") == 1300 > 2 * BLOCK  # three blocks
    assert len(_public(first, "催收".encode())) == 1300 - BLOCK - 3 - len(
        [i for i in range(BLOCK + 3, 1300) if i % 7 == 0]
    )


@pytest.mark.parametrize("term", ["催收", "电话", "微粒", "收电"])
def test_the_fast_path_reads_what_whooshs_public_matcher_reads(index, term, monkeypatch):
    def no_fallback(*args):
        raise AssertionError("the fast path fell back to the public matcher")

    monkeypatch.setattr(whoosh_internals, "_read_one_by_one", no_fallback)
    for reader in _readers(index):
        fast = whoosh_internals.read_postings(reader, "text", term.encode(), want_values=True)
        assert _live(reader, fast) == _public(reader, term.encode())
        assert len(fast[0]) == reader.doc_frequency("text", term)  # deleted ones too


def test_the_fallback_reads_the_same_postings_as_the_fast_path(index):
    for reader in _readers(index):
        fast = whoosh_internals.read_postings(reader, "text", "电话".encode(), want_values=True)
        matcher = reader.postings("text", "电话".encode()).child  # the deletion filter's
        matcher.reset()
        slow = whoosh_internals._read_one_by_one(matcher, want_values=True)
        for a, b in zip(fast, slow, strict=True):
            assert np.array_equal(a, b)


def test_postings_without_values_and_of_absent_terms(index):
    reader = _readers(index)[0]
    docs, weights, values = whoosh_internals.read_postings(
        reader, "text", "催收".encode(), want_values=False
    )
    assert values is None and len(docs) == len(weights) == 1300
    assert list(docs) == list(range(1300))
    for absent in ("text", "没有这个词".encode()), ("nofield", b"x"):
        docs, weights, values = whoosh_internals.read_postings(reader, *absent, want_values=True)
        assert len(docs) == 0 and values is None


def test_the_toc_stamp_changes_with_every_commit(index, tmp_path):
    before = whoosh_internals.toc_stamp(tmp_path)
    assert whoosh_internals.toc_file(tmp_path).name.endswith(".toc")
    with index.writer(codec=codec()) as writer:
        writer.add_document(id="new", text=_value(1))
    assert whoosh_internals.toc_stamp(tmp_path) != before


def test_the_pinned_whoosh_passes_the_start_up_check():
    assert whoosh_internals.problems() == ([], [])
    assert not [m for m in checks.run_checks() if m.id.startswith("articles.")]


def test_an_untested_whoosh_version_is_a_warning_at_start_up(monkeypatch):
    monkeypatch.setattr(whoosh, "__version__", (2, 7, 5))
    found = [m for m in checks.run_checks() if m.id == "articles.W001"]
    assert len(found) == 1
    assert "2.7.5" in found[0].msg and found[0].level == checks.WARNING
    call_command("check")  # a warning does not stop the site


def test_a_whoosh_without_the_parts_the_engine_reads_stops_start_up(monkeypatch):
    monkeypatch.delattr(FileIndex, "_segments")
    with pytest.raises(SystemCheckError, match="FileIndex._segments"):
        call_command("check")
