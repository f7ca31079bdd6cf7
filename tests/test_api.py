"""GET /api/search/: the contract in docs/search.md — pages, filters, facets, suggestions, the
number answer, and a 400 with a JSON error for every parameter that cannot be searched."""

import json
import re

import pytest

from articles.search import views

pytestmark = pytest.mark.django_db

API = "/api/search/"


def _ok(client, **params):
    response = client.get(API, params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def _refused(client, **params):
    response = client.get(API, params)
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


# Pages


def test_an_answer_has_the_documented_keys(client, many):
    body = _ok(client, q="紧急联系人")
    assert list(body) == ["query", "total", "page", "pages", "results", "facets"]
    assert (body["query"], body["total"], body["page"], body["pages"]) == ("紧急联系人", 17, 1, 2)
    for result in body["results"]:
        assert set(result) == {"title", "url", "lender", "snippet", "section", "article_url"}


def test_pages_hold_every_result_once(client, many):
    first = _ok(client, q="紧急联系人")
    second = _ok(client, q="紧急联系人", page="2")
    assert (len(first["results"]), len(second["results"])) == (10, 7)
    assert second["page"] == 2 and second["pages"] == 2
    urls = [r["article_url"] for r in first["results"] + second["results"]]
    assert len(set(urls)) == 17


def test_one_search_per_request_even_past_the_last_page(client, many, monkeypatch):
    searches = []
    real = views.run_search
    monkeypatch.setattr(views, "run_search", lambda *a, **kw: searches.append(1) or real(*a, **kw))
    body = _refused(client, q="紧急联系人", page="3")
    assert body == {"error": "page_out_of_range", "message": "没有第 3 页：这次搜索只有 2 页结果。"}
    response = client.get("/search/", {"q": "紧急联系人", "page": "3"})
    assert "没有第 3 页：这次搜索只有 2 页结果。" in response.content.decode()
    assert len(searches) == 2  # one for the API, one for the page


# Filters and facets


def test_facets_count_by_lender_and_section_as_the_page_does(client, many):
    first, second = many
    body = _ok(client, q="紧急联系人")
    assert body["facets"] == {
        "lender": [
            {"value": first.slug, "label": "测甲贷", "count": 13, "selected": False},
            {"value": second.slug, "label": "测乙贷", "count": 4, "selected": False},
        ],
        "section": [
            {"value": "legality", "label": "合法性", "count": 13, "selected": False},
            {"value": "coping", "label": "应对策略", "count": 4, "selected": False},
        ],
    }
    html = client.get("/search/", {"q": "紧急联系人"}).content.decode()
    for facet in body["facets"]["lender"] + body["facets"]["section"]:
        assert f'{facet["label"]} <span class="count">({facet["count"]})</span>' in html


def test_filters_narrow_the_results_and_mark_the_facet(client, many):
    first, second = many
    body = _ok(client, q="紧急联系人", lender=second.slug)
    assert body["total"] == 4 and {r["lender"] for r in body["results"]} == {"测乙贷"}
    assert [f["value"] for f in body["facets"]["lender"] if f["selected"]] == [second.slug]
    body = _ok(client, q="紧急联系人", section="coping")
    assert body["total"] == 4
    assert all(re.search(r"#coping-\d+$", r["url"]) for r in body["results"])
    body = _ok(client, q="紧急联系人", lender=first.slug, section="legality", page="2")
    assert (body["total"], body["page"], len(body["results"])) == (13, 2, 3)


def test_lang_gives_the_answer_in_traditional_script(client, many):
    body = _ok(client, q="紧急联系人", lang="zh-hant", section="coping")
    assert body["results"][0]["title"].startswith("測乙貸文章")
    assert body["results"][0]["url"].startswith("/zh-hant/articles/")
    selected = [f["label"] for f in body["facets"]["section"] if f["selected"]]
    assert selected == ["應對策略"]
    assert _ok(client, q="紧急联系人", lang="ZH-HANT")["results"][0]["url"].startswith("/zh-hant/")


# Nothing found, a number


def test_suggestions_come_only_when_nothing_matched(client, many):
    first, _ = many
    assert "suggestions" not in _ok(client, q="紧急联系人")
    body = _ok(client, q="测甲贷区块链挖矿教程")
    assert body["total"] == 0 and body["results"] == [] and body["pages"] == 0
    url = first.get_absolute_url()
    assert body["suggestions"]["lenders"] == [{"name": "测甲贷", "url": url}]
    titles = [a["title"] for a in body["suggestions"]["articles"]]
    assert titles and all(t.startswith("测甲贷文章") for t in titles)
    html = client.get("/search/", {"q": "测甲贷区块链挖矿教程"}).content.decode()
    assert "你要找的可能是这些借贷产品" in html and f'href="{url}"' in html
    assert _ok(client, q="区块链挖矿")["suggestions"] == {"lenders": [], "articles": []}


def test_a_query_with_nothing_to_search_is_an_empty_answer(client, many):
    body = _ok(client, q="？？？")
    assert (body["total"], body["pages"], body["results"]) == (0, 0, [])
    assert "suggestions" not in body


def test_the_number_key_is_unchanged(client, many):
    body = _ok(client, q="95016")
    assert set(body["number"]) == {
        "digits", "extension", "kind", "listed", "lender", "line", "source", "source_url",
        "verified_on", "listings", "reports",
    }  # fmt: skip
    assert body["number"]["listed"] is True and body["number"]["lender"] == "测甲贷"


# Bad parameters: 400, a code and a message, nothing searched


BAD = [
    ({"q": "紧急联系人", "page": "abc"}, "bad_page", "页码不对：请用 1 到 50 之间的整数。"),
    ({"q": "紧急联系人", "page": "0"}, "bad_page", "页码不对：请用 1 到 50 之间的整数。"),
    ({"q": "紧急联系人", "page": "-1"}, "bad_page", "页码不对：请用 1 到 50 之间的整数。"),
    ({"q": "紧急联系人", "page": "99999"}, "bad_page", "页码不对：请用 1 到 50 之间的整数。"),
    ({"q": "紧急联系人", "page": "9" * 5000}, "bad_page", "页码不对：请用 1 到 50 之间的整数。"),
    (
        {"q": "紧急联系人", "lender": "no-such-lender"},
        "unknown_lender",
        "没有这个借贷产品，去掉借贷产品的筛选再搜索试试。",
    ),
    (
        {"q": "紧急联系人", "lender": "../../etc/passwd"},
        "unknown_lender",
        "没有这个借贷产品，去掉借贷产品的筛选再搜索试试。",
    ),
    (
        {"q": "紧急联系人", "section": "nonsense"},
        "unknown_section",
        "没有这种段落类型，去掉段落类型的筛选再搜索试试。",
    ),
    (
        {"q": "紧急联系人", "section": "<script>"},
        "unknown_section",
        "没有这种段落类型，去掉段落类型的筛选再搜索试试。",
    ),
    (
        {"q": "微" * 101},
        "query_too_long",
        "搜索的文字太长了：最多 100 个字。请只输入借贷产品的名字、号码或几个关键词。",
    ),
    ({}, "missing_query", "请输入要搜索的内容（参数 q）。"),
    ({"q": "  "}, "missing_query", "请输入要搜索的内容（参数 q）。"),
]


@pytest.mark.parametrize(("params", "code", "message"), BAD)
def test_a_bad_parameter_gets_a_400_with_a_code_and_a_message(
    client, many, monkeypatch, params, code, message
):
    searches = []
    real = views.run_search
    monkeypatch.setattr(views, "run_search", lambda *a, **kw: searches.append(1) or real(*a, **kw))
    body = _refused(client, **params)
    assert body == {"error": code, "message": message}
    assert searches == []


@pytest.mark.parametrize(
    ("params", "code", "message"), [b for b in BAD if b[0].get("q", "").strip()]
)
def test_the_page_shows_the_same_message(client, many, params, code, message):
    response = client.get("/search/", params)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'<p class="notice notice-error" role="alert">{message}</p>' in html
    assert '<li class="result">' not in html


def test_an_unknown_lang_is_refused_in_the_readers_own_script(client, many):
    body = _refused(client, q="紧急联系人", lang="xx")
    assert body == {
        "error": "unknown_lang",
        "message": "不支持这种字体：lang 可以是 zh-hans、zh-hant。",
    }
    body = _refused(client, q="紧急联系人", lang="zh-hant", section="nonsense")
    assert body == {
        "error": "unknown_section",
        "message": "沒有這種段落類型，去掉段落類型的篩選再搜尋試試。",
    }


def test_the_first_bad_parameter_is_the_one_reported(client, many):
    body = _refused(client, q="紧急联系人", page="x", lender="nobody", section="x", lang="x")
    assert body["error"] == "bad_page"


@pytest.mark.parametrize("value", ["\x00", "%00", "１", " 2 ", "2\n", "0x10"])
def test_odd_page_values_never_fail(client, many, value):
    response = client.get(API, {"q": "紧急联系人", "page": value})
    assert response.status_code in (200, 400)
    json.loads(response.content)
