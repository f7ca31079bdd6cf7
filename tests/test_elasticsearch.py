"""The Elasticsearch 7 scale-out path (kb/elasticsearch_engine.py, docs/elasticsearch/).

The mapping and query tests run everywhere. The relevance tests need a real cluster with the
stconvert, ik and pinyin plugins: set ELASTICSEARCH_URL (kb/settings.py then switches the
search engine for the whole suite) and they build the index and search it.
"""

import json
import os

import pytest
from django.core.management import call_command
from haystack import fields

from kb.elasticsearch_engine import SETTINGS_FILE, ChineseElasticsearchBackend

ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
needs_cluster = pytest.mark.skipif(
    not ELASTICSEARCH_URL,
    reason="ELASTICSEARCH_URL is not set: no Elasticsearch 7 cluster to run the relevance "
    "checks against (see docs/deployment.md, 'Scaling out search')",
)

BUILT_IN = {
    "char_filter": {"html_strip", "mapping", "pattern_replace"},
    "tokenizer": {
        "standard",
        "keyword",
        "whitespace",
        "ik_max_word",
        "ik_smart",
        "smartcn_tokenizer",
    },
    "filter": {"cjk_width", "cjk_bigram", "lowercase", "icu_folding", "icu_normalizer"},
}


def _backend():
    return ChineseElasticsearchBackend("default", URL="http://127.0.0.1:9", INDEX_NAME="kb_test")


def _field(cls, name, **kw):
    field = cls(**kw)
    field.set_instance_name(name)
    return field


def test_every_analyzer_uses_only_defined_parts():
    analysis = json.loads(SETTINGS_FILE.read_text(encoding="utf-8"))["settings"]["analysis"]
    for name, analyzer in analysis["analyzer"].items():
        for part in analyzer.get("char_filter", []):
            assert part in analysis.get("char_filter", {}) or part in BUILT_IN["char_filter"], name
        assert analyzer["tokenizer"] in BUILT_IN["tokenizer"], name
        for part in analyzer.get("filter", []):
            assert part in analysis.get("filter", {}) or part in BUILT_IN["filter"], name
    assert analysis["char_filter"]["kb_t2s"] == {"type": "stconvert", "convert_type": "t2s"}


def test_text_fields_match_on_bigrams_and_score_on_words():
    _, mapping = _backend().build_schema(
        {
            "text": _field(fields.CharField, "text", document=True),
            "title": _field(fields.CharField, "title"),
        }
    )
    for name in ("text", "title"):
        assert mapping[name]["analyzer"] == "kb_text"
        assert mapping[name]["fields"]["words"]["analyzer"] == "kb_words"
        assert "pinyin" not in mapping[name]["fields"]


def test_lender_fields_are_searchable_as_pinyin():
    _, mapping = _backend().build_schema({"lender": _field(fields.CharField, "lender")})
    assert mapping["lender"]["fields"]["pinyin"] == {
        "type": "text",
        "analyzer": "kb_pinyin",
        "search_analyzer": "kb_pinyin_search",
    }


def test_filter_fields_stay_plain_keywords():
    _, mapping = _backend().build_schema(
        {
            "kind": _field(fields.FacetCharField, "kind"),
            "published": _field(fields.DateTimeField, "published"),
        }
    )
    assert mapping["kind"] == {"type": "keyword"}
    assert mapping["published"] == {"type": "date"}


def _scored_query(query: dict) -> dict:
    """The text query inside haystack's wrapping: with a model registered it becomes
    ``bool.must`` beside a ``django_ct`` filter, and pinyin adds a ``should`` around it."""
    if "filter" in query["bool"]:
        query = query["bool"]["must"]
    if "minimum_should_match" in query["bool"]:
        query = query["bool"]["should"][0]
    return query


def test_words_add_score_but_the_bigram_query_decides_the_match():
    query = _backend().build_search_kwargs("微粒贷")["query"]
    assert query["bool"]["filter"] == {"terms": {"django_ct": ["articles.article"]}}
    scored = _scored_query(query)
    assert scored["bool"]["must"]["query_string"]["query"] == "微粒贷"
    assert scored["bool"]["should"] == [{"match": {"text.words": {"query": "微粒贷"}}}]


# Against a real cluster


@pytest.fixture
def indexed(db):
    from tests.factories import make_article, make_lender, make_number

    weilidai = make_lender(name="测微粒贷", operator="测试微众银行")
    make_number(weilidai, "400-888-6666")
    make_article(
        title="测微粒贷的催收电话是谁打来的",
        lender=weilidai,
        sections=[("origin", "来电来源", "委外催收公司用 400-888-6666 以外的号码打来。")],
    )
    make_article(
        title="紧急联系人被催收怎么办",
        sections=[("coping", "怎么办", "告诉对方你不是借款人。")],
    )
    call_command("rebuild_index", interactive=False, verbosity=0)
    yield
    call_command("clear_index", interactive=False, verbosity=0)


def _titles(query):
    from haystack.query import SearchQuerySet

    return [result.object.title for result in SearchQuerySet().auto_query(query)[:10]]


@needs_cluster
@pytest.mark.parametrize(
    "query",
    ["测微粒贷", "測微粒貸", "微粒贷催收", "粒贷", "４００－８８８－６６６６", "4008886666"],
)
def test_the_lender_article_is_found_first(indexed, query):
    titles = _titles(query)
    assert titles and titles[0] == "测微粒贷的催收电话是谁打来的"


@needs_cluster
def test_a_generic_query_finds_the_generic_article(indexed):
    assert _titles("紧急聯繫人")[0] == "紧急联系人被催收怎么办"


@needs_cluster
def test_nothing_unrelated_matches(indexed):
    assert _titles("信用卡年费") == []
