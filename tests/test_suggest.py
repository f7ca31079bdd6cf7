"""Autocomplete (articles/search/suggest.py) called directly: which lenders and titles a
prefix brings, in which order, how they are labelled, and when the titles are reloaded.
The API around it is in tests/test_search.py."""

import pytest

from articles.models import Article
from articles.search import state
from articles.search.suggest import MAX_SUGGESTIONS, suggest
from tests.factories import make_article, make_lender

pytestmark = pytest.mark.django_db


@pytest.fixture
def lenders(search_index):
    """Lenders whose names start alike (测安, 测安逸花…) and one known by an alias."""
    return {
        "own": make_lender("测安"),
        "longer": make_lender("测安逸花", operator="测马上消费"),
        "alias": make_lender("测分期乐", aliases=["测安心分期"]),
    }


def _texts(found):
    return [item["text"] for item in found]


def test_a_lenders_own_name_comes_before_longer_names_and_aliases(lenders):
    found = suggest("测安", "zh-hans")
    assert _texts(found)[:3] == ["测安", "测安逸花", "测分期乐"]
    assert [item["kind"] for item in found[:3]] == ["lender"] * 3
    assert found[0]["url"] == lenders["own"].get_absolute_url()


def test_a_lender_found_by_its_alias_is_labelled_with_the_alias(lenders):
    (found,) = suggest("测安心", "zh-hans")
    assert found["text"] == "测分期乐"
    assert found["label"] == "测分期乐（测安心分期）"


def test_a_lender_found_by_its_name_is_labelled_with_the_name_only(lenders):
    (found,) = suggest("测安逸", "zh-hans")
    assert found["label"] == found["text"] == "测安逸花"


def test_pinyin_and_initials_of_an_alias_find_the_lender(lenders):
    assert "测分期乐" in _texts(suggest("cean", "zh-hans"))
    assert _texts(suggest("caxfq", "zh-hans")) == ["测分期乐"]


def test_names_are_shown_in_the_readers_script(lenders):
    assert _texts(suggest("測安逸", "zh-hant")) == ["測安逸花"]


def test_titles_follow_lenders_starting_ones_first_drafts_never(lenders):
    make_article("测安逸花催收电话是谁打来的", lender=lenders["longer"])
    make_article("关于测安逸花的常见问题")
    make_article("测安逸花草稿", status=Article.Status.DRAFT)
    state.touch(state.TITLES)
    found = suggest("测安逸花", "zh-hans")
    assert _texts(found) == ["测安逸花", "测安逸花催收电话是谁打来的", "关于测安逸花的常见问题"]
    assert [item["kind"] for item in found] == ["lender", "article", "article"]


def test_a_traditional_prefix_finds_a_simplified_title_and_shows_it_traditional(search_index):
    make_article("测借呗逾期了怎么办")
    assert _texts(suggest("測借唄逾期", "zh-hant")) == ["測借唄逾期了怎麼辦"]
    assert _texts(suggest("測借唄逾期", "zh-hans")) == ["测借呗逾期了怎么办"]


def test_titles_are_read_again_only_when_the_titles_stamp_changes(search_index):
    make_article("测缓存标题一")
    assert _texts(suggest("测缓存", "zh-hans")) == ["测缓存标题一"]
    make_article("测缓存标题二")  # indexed later: the stamp is touched then
    assert _texts(suggest("测缓存", "zh-hans")) == ["测缓存标题一"]
    state.touch(state.TITLES)
    assert _texts(suggest("测缓存", "zh-hans")) == ["测缓存标题一", "测缓存标题二"]


def test_never_more_than_the_limit_and_no_duplicates(search_index):
    lender = make_lender("测上限贷")
    for i in range(MAX_SUGGESTIONS + 3):
        make_article(f"测上限贷第{i:02d}篇", lender=lender)
    make_article("测上限贷")  # reads like the lender's name: shown once
    state.touch(state.TITLES)
    found = _texts(suggest("测上限", "zh-hans"))
    assert len(found) == MAX_SUGGESTIONS
    assert found[0] == "测上限贷" and found.count("测上限贷") == 1
    assert len(_texts(suggest("测上限", "zh-hans", limit=3))) == 3


@pytest.mark.parametrize("raw", ["", "   ", "\x00\u200b", None, 12])
def test_nothing_to_complete_suggests_nothing(search_index, raw):
    assert suggest(raw, "zh-hans") == []
