"""The one module that reads Whoosh's private parts: its fast path reads exactly the postings
Whoosh's public matcher reads, and start-up says when the installed Whoosh is not the one
it was written for."""

import numpy as np
import pytest
import whoosh
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import ID, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.index import FileIndex
from whoosh.query import Term
from whoosh.writing import NO_MERGE

from articles.models import Section
from articles.search import whoosh_internals
from articles.search.layout import with_kind
from articles.search.schema import ChineseText
from articles.search.whoosh_internals import POSTINGS_PER_BLOCK as BLOCK
from articles.search.whoosh_internals import codec

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


# Writing: the compact codec and the updating writer


def _documents():
    """Terms of every shape: in one document only (inlined), in a few, in more than a block,
    a frequency over 255 (a weight too big for a byte), and a field without values."""
    docs = []
    for i in range(BLOCK + 40):
        text = _value(i) + with_kind(KINDS[i % 3], f"独{i:04d}\n")  # a term of its own
        if i == 5:
            text += with_kind(KINDS[0], "重复" * 300)
        docs.append({"id": str(i), "text": text, "boosted": _value(i)})
    return docs


def _schema():
    return Schema(
        id=ID(stored=True, unique=True), text=ChineseText(), boosted=ChineseText(field_boost=1.5)
    )


def _write(path, written_with, batches, deletions=(), bulk=False):
    path.mkdir(exist_ok=True)
    ix = FileStorage(str(path)).create_index(_schema())
    for batch in batches:
        if bulk:
            writer = whoosh_internals.BulkWriter(ix, codec=written_with)
        else:
            writer = ix.writer(codec=written_with)
        for doc in batch:
            writer.add_document(**doc)
        writer.commit(merge=False)
    if deletions:
        with ix.writer(codec=written_with) as writer:
            writer.mergetype = NO_MERGE
            for identifier in deletions:
                writer.delete_by_term("id", identifier)
    return FileStorage(str(path)).open_index()


def _everything(ix):
    """Per term: Whoosh's statistics and postings (public matcher, deletions skipped) and
    the fast path's postings, for every segment."""
    found = {}
    for n, reader in enumerate(_readers(ix)):
        for fieldname in ("id", "text", "boosted"):
            for term in reader.lexicon(fieldname):
                info = reader.term_info(fieldname, term)
                matcher = reader.postings(fieldname, term)
                public = []
                while matcher.is_active():
                    # A field without values: None from a block, b"" from the term table.
                    value = matcher.value() or None
                    public.append((matcher.id(), float(matcher.weight()), value))
                    matcher.next()
                want_values = fieldname != "id"
                docs, weights, values = whoosh_internals.read_postings(
                    reader, fieldname, term, want_values
                )
                fast = (
                    docs.tolist(),
                    weights.tolist(),
                    None if values is None else values.tolist(),
                )
                stats = (
                    info.doc_frequency(),
                    info.weight(),
                    info.min_length(),
                    info.max_length(),
                    info.max_weight(),
                    info.min_id(),
                    info.max_id(),
                )
                found[n, fieldname, term] = (stats, public, fast)
    return found


def _batches(segments, single_documents: int) -> list[list[dict]]:
    """`_documents()` in `segments` equal batches, or the first ones a batch each."""
    docs = _documents()
    if segments == "one document each":
        return [[doc] for doc in docs[:single_documents]]
    size = -(-len(docs) // segments)
    return [docs[i : i + size] for i in range(0, len(docs), size)]


@pytest.mark.parametrize("segments", [1, 3, "one document each"])
def test_the_compact_codec_stores_what_whooshs_own_codec_stores(tmp_path, segments):
    batches = _batches(segments, single_documents=30)
    deletions = [str(i) for i in range(0, 30, 4)]
    theirs = _write(tmp_path / "whoosh", W3Codec(blocklimit=BLOCK), batches, deletions)
    ours = _write(tmp_path / "ours", codec(), batches, deletions)
    expected, found = _everything(theirs), _everything(ours)
    assert found.keys() == expected.keys()
    assert found == expected
    inlined = [key for key in found if _readers(ours)[key[0]].term_info(*key[1:]).is_inlined()]
    assert (0, "text", b"0000") in inlined
    assert _size(ours) < _size(theirs)


@pytest.mark.parametrize("segments", [1, 2, "one document each"])
def test_the_bulk_writer_stores_what_whooshs_own_writer_stores(tmp_path, segments):
    batches = _batches(segments, single_documents=12)
    deletions = [str(i) for i in range(1, 30, 5)]
    theirs = _write(tmp_path / "whoosh", W3Codec(blocklimit=BLOCK), batches, deletions)
    ours = _write(tmp_path / "bulk", codec(), batches, deletions, bulk=True)
    assert _everything(ours) == _everything(theirs)
    with ours.searcher() as searcher:
        assert sorted(searcher.stored_fields(n)["id"] for n in searcher.document_numbers()) == (
            sorted(d["id"] for batch in batches for d in batch if d["id"] not in deletions)
        )


def test_the_bulk_writer_merges_segments_into_the_same_postings(tmp_path):
    docs = _documents()[:40]
    expected = _everything(_write(tmp_path / "one", W3Codec(blocklimit=BLOCK), [docs]))
    ix = _write(tmp_path / "parts", codec(), [docs[:25], docs[25:]], bulk=True)
    writer = whoosh_internals.BulkWriter(ix, codec=codec())
    writer.commit(optimize=True)
    assert _everything(FileStorage(str(tmp_path / "parts")).open_index()) == expected


def _size(ix) -> int:
    return sum(ix.storage.file_length(name) for name in ix.storage.list())


def test_one_documents_postings_live_in_the_term_table(tmp_path):
    ix = _write(tmp_path, codec(), [_documents()[:1]])
    (reader,) = _readers(ix)
    infos = [reader.term_info(f, t) for f in ("id", "text") for t in reader.lexicon(f)]
    assert infos and all(info.is_inlined() for info in infos)


def test_segments_of_either_codec_merge_into_the_same_postings(tmp_path):
    """A merge reads inlined postings (and postings without values) through Whoosh's
    ListMatcher and writes them again: nothing is lost or changed."""
    docs = _documents()[:60]
    expected = _everything(_write(tmp_path / "one", W3Codec(blocklimit=BLOCK), [docs]))
    ix = _write(tmp_path / "mixed", W3Codec(blocklimit=BLOCK), [docs[:20]])
    for batch in ([d] for d in docs[20:]):
        with ix.writer(codec=codec()) as writer:
            writer.mergetype = NO_MERGE
            for doc in batch:
                writer.add_document(**doc)
    ix = FileStorage(str(tmp_path / "mixed")).open_index()
    assert len(whoosh_internals.segments(ix)) == 41
    with ix.writer(codec=codec()) as writer:
        writer.optimize = True
    merged = FileStorage(str(tmp_path / "mixed")).open_index()
    assert len(whoosh_internals.segments(merged)) == 1
    assert _everything(merged) == expected


def test_an_update_replaces_the_document_in_whichever_segment_holds_it(tmp_path):
    docs = _documents()[:12]
    ix = _write(tmp_path, codec(), [docs[:4], docs[4:8], docs[8:]], deletions=["9"])

    def update(identifier, text):
        writer = whoosh_internals.UpdatingWriter(ix, codec=codec())
        writer.mergetype = NO_MERGE
        writer.update_document(id=identifier, text=text, boosted="")
        writer.commit(merge=False)

    update("6", "改过的第六篇")
    update("9", "删过又来的第九篇")
    update("6", "再改的第六篇")
    update("new", "新来的一篇")
    with FileStorage(str(tmp_path)).open_index().searcher() as searcher:
        live = sorted(searcher.document_numbers())
        ids = sorted(searcher.stored_fields(n)["id"] for n in live)
        assert ids == sorted([str(i) for i in range(12)] + ["new"])
        assert len(list(searcher.document_numbers(id="6"))) == 1
        assert len(list(searcher.document_numbers(id="9"))) == 1
        assert [hit["id"] for hit in searcher.search(Term("text", "再改"))] == ["6"]
        assert not searcher.search(Term("text", "改过"))
        assert [hit["id"] for hit in searcher.search(Term("text", "又来"))] == ["9"]


def test_the_updating_writer_closes_readers_of_segments_merged_away(tmp_path):
    docs = _documents()[:6]
    ix = _write(tmp_path, codec(), [[doc] for doc in docs])
    writer = whoosh_internals.UpdatingWriter(ix, codec=codec())
    writer.update_document(id="0", text="改", boosted="")
    writer.commit(merge=False)
    assert [key[0] for key in whoosh_internals._kept] == [str(tmp_path)] * 6
    ix = FileStorage(str(tmp_path)).open_index()
    with ix.writer(codec=codec()) as writer:
        writer.optimize = True
    ix = FileStorage(str(tmp_path)).open_index()
    writer = whoosh_internals.UpdatingWriter(ix, codec=codec())
    writer.update_document(id="1", text="又改", boosted="")
    writer.commit(merge=False)
    assert [key[0] for key in whoosh_internals._kept] == [str(tmp_path)]
