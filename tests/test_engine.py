"""The engine (articles/search/engine.py) on a small Whoosh index written here: what a plan
matches, how it ranks, pages and counts facets, and when the engine reads the index again.
No database: documents are written straight into Whoosh with the project's field types."""

import shutil

import numpy as np
import pytest
from whoosh.fields import ID, KEYWORD, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.writing import NO_MERGE

from articles.models import Section
from articles.search import layout, whoosh_internals
from articles.search.analysis import terms
from articles.search.engine import Engine, FieldSpec, Plan, Variant
from articles.search.postings import PostingsCache
from articles.search.schema import ChineseText
from articles.search.whoosh_writing import codec

K = Section.Kind
SPECS = [FieldSpec("text", 1.0, 0.75, by_kind=True), FieldSpec("title", 4.0, 0.5, by_kind=False)]
SCHEMA = Schema(
    id=ID(stored=True, unique=True),
    django_id=ID(stored=True),
    title=ChineseText(),
    text=ChineseText(),
    lender=ID(),
    kinds=KEYWORD(commas=True),
)


def _document(pk, title, sections=(), summary="", lender=None):
    text = layout.with_kind(None, summary + "\n") + "".join(
        layout.with_kind(kind, body + "\n") for kind, body in sections
    )
    return {
        "id": f"articles.article.{pk}",
        "django_id": str(pk),
        "title": title,
        "text": text,
        "lender": lender,
        "kinds": ",".join(sorted({kind for kind, _ in sections})),
    }


def _write(path, documents, delete=()):
    storage = FileStorage(str(path))
    index = storage.open_index() if storage.index_exists() else storage.create_index(SCHEMA)
    with index.writer(codec=codec()) as writer:
        writer.mergetype = NO_MERGE  # one segment per call, as an editor's save leaves
        for pk in delete:
            writer.delete_by_term("id", f"articles.article.{pk}")
        for document in documents:
            writer.update_document(**{k: v for k, v in document.items() if v is not None})
    layout.write(path)


ARTICLES = [
    _document(
        1,
        "测微粒贷的催收电话",
        [(K.ORIGIN, "委外催收公司打来"), (K.COPING, "先核实身份")],
        summary="测微粒贷逾期",
        lender="weilidai",
    ),
    _document(2, "逾期以后", [(K.LEGALITY, "催收打给通讯录违法吗"), (K.COPING, "投诉")]),
    _document(3, "测有钱花须知", [(K.RISKS, "冒充测微粒贷的诈骗")], lender="youqianhua"),
    _document(4, "通讯录被打爆", [(K.COPING, "通讯录联系人接到催收电话怎么办")], lender="weilidai"),
]


@pytest.fixture
def engine(tmp_path):
    _write(tmp_path, ARTICLES)
    eng = Engine(str(tmp_path), SPECS, cache_bytes=1 << 20)
    yield eng
    eng.close()


def plan(text, need=None, must=(), max_share=None, variants=None):
    """Every term of `text` once, weight 1, one variant needing `need` of them (default all)."""
    units = list(dict.fromkeys(terms(text)))
    variant = Variant(tuple(range(len(units))), need or len(units), tuple(must), max_share)
    return Plan(units, [1.0] * len(units), variants or [variant])


def pks(hits):
    return [int(stored["django_id"]) for stored in hits.stored]


def test_only_articles_holding_enough_of_the_terms_match(engine):
    assert pks(engine.run(plan("通讯录"))) == [4, 2]
    assert engine.run(plan("通讯录 公司")).total == 0  # needs both
    assert sorted(pks(engine.run(plan("通讯录 公司", need=1)))) == [1, 2, 4]


def test_a_heavier_field_ranks_first_and_more_occurrences_rank_higher(engine):
    hits = engine.run(plan("测微粒贷"))
    assert pks(hits) == [1, 3]  # in the title (weight 4) beats in a section
    assert hits.scores[0] > hits.scores[1] > 0
    assert pks(engine.run(plan("通讯录"))) == [4, 2]  # twice (title and section) beats once


def test_must_units_are_required_whatever_the_count(engine):
    query = plan("通讯录 委外", need=1)
    assert sorted(pks(engine.run(query))) == [1, 2, 4]
    all_units = tuple(range(len(query.units)))
    required = Variant(all_units, 1, must=(query.units.index("委外"),))
    assert pks(engine.run(Plan(query.units, query.weights, [required]))) == [1]


def test_any_variant_may_match(engine):
    units = ["投诉", "诈骗"]
    both = Plan(units, [1.0, 1.0], [Variant((0,), 1), Variant((1,), 1)])
    assert sorted(pks(engine.run(both))) == [2, 3]


def test_a_variant_of_words_most_articles_hold_matches_nothing(engine):
    assert engine.run(plan("催收", max_share=0.5)).total == 0  # in 3 of 4 articles
    assert engine.run(plan("催收", max_share=0.8)).total == 3


def test_an_article_covering_more_of_the_query_comes_first(engine):
    # 微粒 is in two articles, 身份 in one: the one with both wins even where 微粒 repeats.
    hits = engine.run(plan("测微粒贷 核实身份", need=1))
    assert pks(hits)[0] == 1


def test_a_kind_narrows_to_matches_in_that_kind_of_section(engine):
    assert pks(engine.run(plan("委外"), kind=K.ORIGIN)) == [1]
    assert engine.run(plan("委外"), kind=K.COPING).total == 0  # article 1 has coping too
    assert pks(engine.run(plan("怎么办"), kind=K.COPING)) == [4]
    # The title and the summary are article level: they count for every kind the article has.
    assert sorted(pks(engine.run(plan("逾期"), kind=K.COPING))) == [1, 2]
    assert engine.run(plan("逾期"), kind=K.RISKS).total == 0


def test_a_lender_narrows_to_its_articles(engine):
    assert sorted(pks(engine.run(plan("催收"), lender="weilidai"))) == [1, 4]
    assert engine.run(plan("催收"), lender="nobody").total == 0


def test_facets_count_the_matches_per_lender_and_per_kind(engine):
    hits = engine.run(plan("催收"), facets=True)
    assert hits.lender_counts == {"weilidai": 2}
    # Article 1 has 催收 in its title: it counts for both of its kinds.
    assert hits.kind_counts == {"origin": 1, "legality": 1, "coping": 2}
    narrowed = engine.run(plan("催收"), kind=K.LEGALITY, lender="weilidai", facets=True)
    assert narrowed.total == 0
    assert narrowed.lender_counts == {}  # within the kind
    assert narrowed.kind_counts == {"origin": 1, "coping": 2}  # within the lender


def test_pages_follow_the_ranking_and_a_page_past_the_end_is_empty(engine):
    everything = engine.run(plan("催收 通讯录 诈骗", need=1), limit=10)
    assert everything.total == 4
    first = engine.run(plan("催收 通讯录 诈骗", need=1), limit=3)
    second = engine.run(plan("催收 通讯录 诈骗", need=1), offset=3, limit=3)
    assert pks(first) + pks(second) == pks(everything)
    past = engine.run(plan("催收 通讯录 诈骗", need=1), offset=10)
    assert past.total == 4 and past.docnums == [] and past.stored == []


def test_equal_scores_keep_index_order(tmp_path):
    _write(tmp_path, [_document(pk, "同样的标题") for pk in (5, 3, 9)])
    eng = Engine(str(tmp_path), SPECS)
    hits = eng.run(plan("同样"))
    assert len(set(hits.scores)) == 1 and pks(hits) == [5, 3, 9]


def test_nothing_to_look_for_finds_nothing(engine):
    assert engine.run(Plan([], [], [])).total == 0
    assert engine.run(plan("没有的词")).total == 0


def test_a_save_is_seen_at_once_and_a_deleted_article_is_gone(engine, tmp_path):
    assert engine.run(plan("协商")).total == 0
    _write(tmp_path, [_document(5, "协商还款", [(K.COPING, "和测微粒贷协商")])], delete=[3])
    assert pks(engine.run(plan("协商"))) == [5]
    assert pks(engine.run(plan("测微粒贷"))) == [1, 5]  # 3 deleted
    assert engine.run(plan("诈骗")).total == 0


def test_deleted_articles_do_not_count_in_the_rarity_of_a_word(engine, tmp_path):
    before = engine.run(plan("通讯录")).scores
    # Delete then re-add article 2 with the same text: one live copy, as before.
    _write(tmp_path, [ARTICLES[1]], delete=[2])
    after = engine.run(plan("通讯录")).scores
    assert np.allclose(sorted(before), sorted(after))


def test_segments_that_did_not_change_are_not_read_again(engine, tmp_path):
    engine.run(plan("催收"))
    readers = {id(leaf.reader) for leaf in engine._snapshot.leaf_data}
    _write(tmp_path, [_document(6, "新文章")])
    engine.run(plan("催收"))
    after = {id(leaf.reader) for leaf in engine._snapshot.leaf_data}
    assert readers < after and len(after) == len(readers) + 1


def test_a_commit_racing_the_opening_of_the_index_is_read_not_failed(engine, tmp_path, monkeypatch):
    engine.run(plan("催收"))
    older = whoosh_internals.toc_file(tmp_path)
    _write(tmp_path, [_document(5, "协商还款", [(K.COPING, "测微粒贷协商")])])
    assert not older.exists()  # Whoosh deleted it on commit
    # The search lists the directory just before that commit, then finds its TOC gone.
    newest = whoosh_internals.toc_file
    listed = iter([older])
    monkeypatch.setattr(
        whoosh_internals, "toc_file", lambda path: next(listed, None) or newest(path)
    )
    assert pks(engine.run(plan("测微粒贷"))) == [1, 5, 3]


def test_a_missing_index_directory_fails_at_once(engine, tmp_path):
    engine.run(plan("催收"))
    shutil.rmtree(tmp_path)
    with pytest.raises(FileNotFoundError):
        engine.run(plan("催收"))


def test_an_index_of_another_layout_is_refused_until_it_is_rebuilt(engine, tmp_path):
    assert engine.run(plan("催收")).total == 3
    (tmp_path / layout.FILE).write_text('{"format": 1}')
    _write(tmp_path, [], delete=[4])  # any commit: the engine looks again
    (tmp_path / layout.FILE).write_text('{"format": 1}')
    with pytest.raises(layout.StaleLayout):
        engine.run(plan("催收"))
    layout.write(tmp_path)
    assert engine.run(plan("催收")).total == 2


def test_the_postings_cache_keeps_long_lists_and_drops_the_least_recently_used():
    cache = PostingsCache(max_bytes=3 * 1000)
    entry = (np.zeros(100, np.int32), np.zeros(100, np.float64), None)  # 1,200 bytes
    for key in "abc":
        cache._store(key, entry)
    assert list(cache._entries) == ["b", "c"]
    cache._entries.move_to_end("b")
    cache._store("d", entry)
    assert list(cache._entries) == ["b", "d"] and cache._bytes == 2400
    cache.keep_segments(set())
    assert not cache._entries and cache._bytes == 0
