"""Folding and segmentation: the same on the index side and the query side."""

from collections import Counter

import pytest

from articles.models import Synonym
from articles.search.analysis import ChineseTokenizer, plain_text, segment, term_counts, terms
from articles.search.layout import KIND_BITS, with_kind
from articles.search.query import parse
from articles.search.schema import ARTICLE_LEVEL, kind_counts
from kb.text import fold

SAMPLES = [
    "微粒贷的催收电话是哪里打来的？",
    "微粒貸的催收電話是哪裡打來的？",
    "有錢花（度小满）逾期了，催收打给通讯录合法吗",
    "客服热线 95384，或 400-888-8888 / 400 888 8888 / +86 138 0013 8000",
    "ＷｅＢａｎｋ　微众银行 YouQianHua wld 2021年3月1日",
    'AND ( title: * " OR NOT ~ ^ \\ 😀 \x00\x07',
]


@pytest.mark.parametrize("text", SAMPLES)
def test_the_index_counts_exactly_the_terms_the_tokenizer_yields(text):
    tokens = [token.text for token in ChineseTokenizer()(text)]
    assert Counter(tokens) == term_counts(text)
    assert tokens == terms(text)


@pytest.mark.django_db
@pytest.mark.parametrize("text", SAMPLES)
def test_a_query_is_cut_into_the_same_terms_as_the_index(text, search_index):
    Synonym.objects.all().delete()  # the shipped groups add their own terms as variants
    parsed = parse(text)
    typed = set(terms(text[:100]))
    assert typed <= set(parsed.plan.units)
    # The only other terms: latin words run together (wei li dai → weilidai).
    assert all(unit.isalpha() and unit.isascii() for unit in set(parsed.plan.units) - typed)


def test_traditional_simplified_and_mixed_text_give_the_same_terms():
    assert terms("微粒貸催收電話") == terms("微粒贷催收电话") == terms("微粒貸催收电话")
    assert terms("有錢花") == ["有钱", "钱花"]


def test_folding_leaves_ordinary_simplified_text_alone():
    text = "怎么办,著名的微粒贷,接着说"
    assert fold(text) == text


def test_cjk_text_gives_bigrams_and_a_lone_character_itself():
    assert terms("微粒贷") == ["微粒", "粒贷"]
    assert terms("贷 款") == ["贷", "款"]


def test_phone_numbers_are_one_term_however_they_are_written():
    expected = ["4008888888"]
    for written in ("400-888-8888", "4008888888", "400 888 8888", "４００－８８８－８８８８"):
        assert terms(written) == expected, written
    assert terms("+86 138 0013 8000") == ["13800138000"]


def test_short_digit_groups_stay_separate():
    assert terms("2021 年 3 月") == ["2021", "年", "3", "月"]


def test_latin_words_are_lower_cased_and_full_width_folded():
    assert terms("ＷｅＢａｎｋ YouQianHua") == ["webank", "youqianhua"]


def test_punctuation_emoji_control_characters_and_query_syntax_give_nothing():
    assert terms('！？。、“”（）*:^~\\"😀\x00\x07') == []
    assert terms("title:微粒贷") == ["title", "微粒", "粒贷"]


def test_offsets_point_into_the_stored_text():
    text = "他說：微粒貸的電話"
    for term, start, end in segment(fold(text)):
        assert fold(text[start:end]) == term


def test_an_overlong_word_is_cut():
    assert terms("a" * 10_000) == ["a" * 32]


def test_plain_text_drops_markup_links_and_tags():
    text = plain_text("## 标题\n- **催收**时看[官网](https://www.webank.com/)<br>\n> 引用")
    assert "催收时看官网" in text
    assert "webank" not in text and "<" not in text and "#" not in text and "*" not in text


def test_section_kinds_travel_with_the_terms():
    value = with_kind(None, "总结全文\n") + with_kind("legality", "合法性\n")
    counts = kind_counts(value)
    assert counts["合法"] == (1, KIND_BITS["legality"])
    assert counts["总结"] == (1, ARTICLE_LEVEL)
    assert not any("\ue100" <= char <= "\ue10f" for char in "".join(counts))
