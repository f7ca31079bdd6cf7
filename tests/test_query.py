"""What a query asks the engine for (articles/search/query.py): which terms decide a match,
which only add score, and what is tried when nothing matches."""

import pytest

from articles.search.query import CROSS_WORD_WEIGHT, PARTICLE_WEIGHT, parse
from tests.factories import make_lender

pytestmark = pytest.mark.django_db


def _counted(parsed, variant=0):
    return [parsed.plan.units[i] for i in parsed.plan.variants[variant].units]


def _weight(parsed, term):
    return parsed.plan.weights[parsed.plan.units.index(term)]


def test_a_bigram_with_a_particle_adds_score_but_never_decides(search_index):
    parsed = parse("催收的电话")
    assert {"收的", "的电"} <= set(parsed.plan.units)
    assert _counted(parsed) == ["催收", "电话"]
    assert _weight(parsed, "收的") == PARTICLE_WEIGHT
    assert "收的" not in parsed.marks


def test_a_bigram_across_two_words_weighs_less_but_still_counts(search_index):
    parsed = parse("催收电话")
    assert _counted(parsed) == ["催收", "收电", "电话"]
    assert _weight(parsed, "收电") == CROSS_WORD_WEIGHT
    assert _weight(parsed, "催收") == 1.0


def test_a_query_of_particles_only_is_its_own_query(search_index):
    parsed = parse("的了吗")
    assert parsed.has_terms
    assert _counted(parsed) == parsed.plan.units


def test_a_lenders_name_must_be_there_with_part_of_the_rest(search_index):
    make_lender("测安心贷")
    parsed = parse("测安心贷客服电话是多少")
    with_name = [v for v in parsed.plan.variants if v.must]  # one per synonym variant too
    assert with_name
    for variant in with_name:
        assert [parsed.plan.units[i] for i in variant.must] == ["测安", "安心", "心贷"]
        assert variant.need < len(variant.units)


def test_a_question_names_the_kind_of_section_it_wants(search_index):
    assert parse("催收打给通讯录合法吗").intent == ("legality",)
    assert parse("催收电话").intent == ()


def test_a_long_sentence_has_a_relaxed_plan_and_a_name_alone_has_none(search_index):
    assert parse("晚上十点以后还能催收吗").relaxed_plan is not None
    assert parse("催收").relaxed_plan is None
