"""whoosh_writing.py: what our writers store is what Whoosh's own writer stores, term by
term, read back through Whoosh's public matcher and the engine's fast path."""

import pytest
from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import ID, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.query import Term
from whoosh.writing import NO_MERGE

from articles.search import whoosh_internals, whoosh_writing
from articles.search.layout import with_kind
from articles.search.schema import ChineseText
from articles.search.whoosh_writing import POSTINGS_PER_BLOCK as BLOCK
from articles.search.whoosh_writing import codec
from tests.test_whoosh_internals import KINDS, _readers, _value


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
            writer = whoosh_writing.BulkWriter(ix, codec=written_with)
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
    writer = whoosh_writing.BulkWriter(ix, codec=codec())
    writer.commit(optimize=True)
    assert _everything(FileStorage(str(tmp_path / "parts")).open_index()) == expected


def _size(ix) -> int:
    return sum(ix.storage.file_length(name) for name in ix.storage.list())


def test_one_documents_postings_live_in_the_term_table(tmp_path):
    ix = _write(tmp_path, codec(), [_documents()[:1]])
    (reader,) = _readers(ix)
    infos = [reader.term_info(f, t) for f in ("id", "text") for t in reader.lexicon(f)]
    assert infos and all(info.is_inlined() for info in infos)


@pytest.mark.parametrize("merged_by", ["whoosh's writer", "the bulk writer"])
def test_segments_of_either_codec_merge_into_the_same_postings(tmp_path, merged_by):
    """A merge reads inlined postings (and postings without values) through Whoosh's
    ListMatcher and writes them again: nothing is lost or changed. An index written before
    the compact codec has old segments; the merging child merges them with the bulk writer."""
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
    if merged_by == "the bulk writer":
        whoosh_writing.BulkWriter(ix, codec=codec()).commit(optimize=True)
    else:
        with ix.writer(codec=codec()) as writer:
            writer.optimize = True
    merged = FileStorage(str(tmp_path / "mixed")).open_index()
    assert len(whoosh_internals.segments(merged)) == 1
    assert _everything(merged) == expected


def test_an_update_replaces_the_document_in_whichever_segment_holds_it(tmp_path):
    docs = _documents()[:12]
    ix = _write(tmp_path, codec(), [docs[:4], docs[4:8], docs[8:]], deletions=["9"])

    def update(identifier, text):
        writer = whoosh_writing.UpdatingWriter(ix, codec=codec())
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
    writer = whoosh_writing.UpdatingWriter(ix, codec=codec())
    writer.update_document(id="0", text="改", boosted="")
    writer.commit(merge=False)
    assert [key[0] for key in whoosh_writing._kept] == [str(tmp_path)] * 6
    ix = FileStorage(str(tmp_path)).open_index()
    with ix.writer(codec=codec()) as writer:
        writer.optimize = True
    ix = FileStorage(str(tmp_path)).open_index()
    writer = whoosh_writing.UpdatingWriter(ix, codec=codec())
    writer.update_document(id="1", text="又改", boosted="")
    writer.commit(merge=False)
    assert [key[0] for key in whoosh_writing._kept] == [str(tmp_path)]
