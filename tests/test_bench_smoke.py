"""The benchmark's own code on a tiny corpus, so `make bench` cannot rot between runs."""

import pytest

from articles.models import Article, Lender
from articles.search.views import api_search
from bench import corpus, measure

pytestmark = pytest.mark.django_db


def test_the_corpus_is_deterministic_and_looks_like_the_real_thing():
    first, again = corpus.generate(300), corpus.generate(300)
    assert [a.sections for a in first.articles] == [a.sections for a in again.articles]
    assert corpus.generate(50).articles == first.articles[:50]  # sizes share their prefix
    assert {a.lender for a in first.articles} >= {lender["slug"] for lender in _registry()}
    assert 120 <= sum(a.script == "hant" for a in first.articles) <= 180
    assert 2_300 <= first.chars() / len(first.articles) <= 3_100
    assert all(6 <= len(a.sections) <= 8 for a in first.articles)
    traditional = next(a for a in first.articles if a.script == "hant")
    assert "電話" in "".join(body for _, _, body in traditional.sections)


def test_our_engine_finds_the_needles_in_both_scripts(build_index):
    generated = corpus.generate(50)
    corpus.insert(generated)
    assert Article.objects.published().count() == 50
    assert build_index() == 50

    timings = measure.latency(api_search, corpus.queries()[:6], rounds=1, warmup=0)
    assert timings["samples"] == 6 and timings["p95_ms"] > 0
    assert timings["per_query"]["微粒贷"]["total"] == _count_for_lender("weilidai", generated)

    needles = [
        {"slug": n.slug, "script": n.script, "queries": {s: n.query(s) for s in ("hans", "hant")}}
        for n in generated.needles
    ]
    assert len(needles) == 5
    result = measure.recall(api_search, needles)
    assert result["same_script"] == result["cross_script"] == 1.0


def _registry():
    from articles.registry import LENDERS

    assert Lender.objects.count() >= len(LENDERS)
    return LENDERS


def _count_for_lender(slug, generated):
    """Articles that name the lender: its own (lender field) and any that mention 微粒贷."""
    return sum(
        a.lender == slug
        or "微粒贷" in a.title + a.summary + "".join(h + b for _, h, b in a.sections)
        or "微粒貸" in a.title + a.summary + "".join(h + b for _, h, b in a.sections)
        for a in generated.articles
    )


def test_the_report_tables_show_each_figure_its_ratio_and_the_targets():
    from bench.run import markdown, ratios, targets

    def result(seconds, p95, cross):
        return {
            "build": {"seconds": seconds, "articles_per_s": 10_000 / seconds},
            "index_mb": 42.0,
            "query": {"p50_ms": 3.0, "p95_ms": p95},
            "reindex": {"p50_ms": 25.0, "p95_ms": 30.0},
            "recall": {"same_script": 1.0, "cross_script": cross},
        }

    ours, theirs = result(25.0, 7.0, 1.0), result(300.0, 280.0, 0.0)
    sizes = {10_000: {"ours": ours, "tutorial": theirs, "ratios": ratios(ours, theirs)}}
    sizes[10_000]["corpus"] = {"characters": 27_000_000, "traditional_articles": 5_000}
    table = markdown({"sizes": sizes, "targets": targets(sizes)})
    assert "### 10,000 articles (27.0 M characters, 5,000 traditional)" in table
    assert "| full build, s | 25.0 | 300.0 | 0.083 |" in table
    assert "| cross-script recall@10 | 1.00 | 0.00 | – |" in table
    assert "| query_p95_ms ≤ 8 | 7.0 | pass |" in table
    assert "FAIL" not in table
    ours["build"]["seconds"] = 31.0  # one target missed shows
    table = markdown({"sizes": sizes, "targets": targets(sizes)})
    assert "| build_seconds ≤ 30 | 31.0 | FAIL |" in table
