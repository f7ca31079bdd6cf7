"""A phone number in the search box: the lender first, an answer card, the API's `number`.

Corpus: the demo articles and the lender registry's official numbers (`relevance_corpus`).
"""

import datetime
import json
import re

import pytest

from articles.models import Lender, OfficialNumber
from tests.factories import make_lender, make_number

pytestmark = pytest.mark.django_db


def _api(client, q, path="/api/search/", **params):
    response = client.get(path, {"q": q, **params})
    assert response.status_code == 200
    return json.loads(response.content)


def _card(html: str) -> str:
    match = re.search(r'<section class="number-answer number-card.*?</section>', html, re.S)
    assert match, "no answer card on the page"
    return match.group()


# (as typed, a lender that publishes it)
LISTED = [
    ("95384", "微粒贷"),
    ("+86 95188", "借呗"),
    ("0086 95188", "借呗"),
    ("+86 10107888", "美团借钱"),
    ("(+86)95384", "微粒贷"),
    ("（＋８６）９５３８４", "微粒贷"),
    ("9538 4", "微粒贷"),
    ("086-95055", "有钱花"),
    ("95384 转 1", "微粒贷"),
    ("95188-2", "借呗"),
    ("95384打来的是真的吗", "微粒贷"),
]


@pytest.mark.parametrize(("typed", "lender"), LISTED)
def test_a_listed_number_in_any_format_finds_its_lender_first(
    client, relevance_corpus, typed, lender
):
    body = _api(client, typed)
    owners = set(
        OfficialNumber.objects.filter(digits=body["number"]["digits"]).values_list(
            "lender__name", flat=True
        )
    )
    assert lender in owners
    assert body["total"] > 0
    assert body["results"][0]["lender"] in owners
    assert body["number"]["listed"] is True
    assert body["number"]["lender"] == sorted(owners)[0]


def test_the_api_number_object_has_the_documented_shape(client, relevance_corpus):
    number = _api(client, "(+86)95384")["number"]
    assert number == {
        "digits": "95384",
        "extension": "",
        "kind": "service",
        "listed": True,
        "lender": "微粒贷",
        "line": "客服热线",
        "source": "微众银行官方网站",
        "source_url": "https://www.webank.com/",
        "verified_on": None,
        "listings": [
            {
                "lender": "微粒贷",
                "line": "客服热线",
                "source": "微众银行官方网站",
                "source_url": "https://www.webank.com/",
                "verified_on": None,
            }
        ],
        "reports": [],
    }


def test_a_number_several_lenders_publish_lists_each(client, relevance_corpus):
    number = _api(client, "+86 95188")["number"]
    assert [listing["lender"] for listing in number["listings"]] == ["借呗", "花呗"]


def test_an_unknown_number_is_not_listed_and_has_no_lender(client, relevance_corpus):
    number = _api(client, "+86 138-0013-8000")["number"]
    assert number["digits"] == "13800138000"
    assert number["kind"] == "mobile"
    assert number["listed"] is False
    assert number["lender"] is None and number["listings"] == []


@pytest.mark.parametrize(
    "query", ["微粒贷", "催收打给通讯录合法吗", "2021-01-01", "借了5000元", "？？？"]
)
def test_a_query_without_a_number_has_no_number_key(client, relevance_corpus, query):
    assert "number" not in _api(client, query)


def test_a_verified_date_is_given_in_iso_form(client, relevance_corpus):
    lender = make_lender("测号码贷")
    make_number(lender, "400-123-4567", verified_on=datetime.date(2026, 1, 15))
    number = _api(client, "400 123 4567")["number"]
    assert number["lender"] == "测号码贷"
    assert number["verified_on"] == "2026-01-15"


def test_traditional_readers_get_the_lender_in_traditional(client, relevance_corpus):
    number = _api(client, "+86 95188", lang="zh-hant")["number"]
    assert number["lender"] == "借唄"


def test_a_local_call_without_area_code_matches_a_listed_landline(client, relevance_corpus):
    lender = make_lender("测座机贷")
    make_number(lender, "0755-8601 3860", purpose="催收中心")
    for typed in ("86013860", "0755 8601 3860", "+86 755 8601 3860"):
        number = _api(client, typed)["number"]
        assert number["lender"] == "测座机贷", typed
        assert number["line"] == "催收中心"


# The page


def test_the_search_page_answers_a_listed_number_before_the_results(client, relevance_corpus):
    html = client.get("/search/", {"q": "(+86)95384"}).content.decode()
    card = _card(html)
    assert html.index(card) < html.index('class="search-results"')
    assert "95384：官方公布的号码" in card
    assert '<a class="number" href="tel:95384">95384</a>' in card
    assert "这是 微粒贷（微众银行）公布的官方号码：客服热线。" in card
    assert "微众银行官方网站" in card and "待核实" in card
    assert "改号软件" in card
    assert 'href="/number/?n=95384"' in card
    assert 'href="/guides/scam-calls/"' in card
    assert 'href="/lenders/weilidai/"' in card


def test_the_search_page_says_what_an_unknown_number_does_and_does_not_mean(
    client, relevance_corpus
):
    html = client.get("/search/", {"q": "刚才 021-12345678 打给我"}).content.decode()
    card = _card(html)
    assert "021-12345678：不是任何借贷机构公布的号码" in card
    assert "固定电话" in card
    assert "外包" in card and "改号软件" in card  # agencies and spoofing
    assert "既不证明是诈骗，也不证明可信" in card
    assert "安全" not in card
    assert 'href="/number/?n=02112345678"' in card


def test_the_answer_card_in_traditional_script(client, relevance_corpus):
    html = client.get("/zh-hant/search/", {"q": "+86 95188"}).content.decode()
    card = _card(html)
    assert "官方公佈的號碼" in card
    assert "借唄" in card and "花唄" in card
    assert "官方公布" not in card
    unknown = _card(client.get("/zh-hant/search/", {"q": "138 0013 8000"}).content.decode())
    assert "不是任何借貸機構公佈的號碼" in unknown and "手機號碼" in unknown


def test_no_card_without_a_number(client, relevance_corpus):
    html = client.get("/search/", {"q": "微粒贷"}).content.decode()
    assert "number-card" not in html


def test_the_card_is_answered_while_the_index_is_missing(client, search_index):
    response = client.get("/search/", {"q": "+86 95384"})
    assert response.status_code == 503
    assert "95384：官方公布的号码" in _card(response.content.decode())
    assert _api_status(client, "+86 95384") == (503, "微粒贷")


def _api_status(client, q):
    response = client.get("/api/search/", {"q": q})
    return response.status_code, json.loads(response.content)["number"]["lender"]


# The number check agrees


@pytest.mark.parametrize("typed", ["(+86)95384", "+86 95384", "0086 95384", "95384 转 1"])
def test_the_number_check_agrees_with_search(client, typed):
    html = client.get("/number/", {"n": typed}).content.decode()
    assert "95384：号码在官方公布列表中" in html
    assert "8695384" not in html


def test_the_number_check_refuses_an_id_number_and_says_why(client):
    html = client.get("/number/", {"n": "11010519491231002X"}).content.decode()
    assert 'role="alert"' in html and "身份证" in html
    assert "number-answer" not in html


def test_the_number_check_names_the_kind_of_an_unknown_number(client):
    html = client.get("/number/", {"n": "106 9012 3456"}).content.decode()
    assert "只发短信" in html


def test_the_registry_numbers_are_still_the_lenders_own():
    assert Lender.objects.get(slug="weilidai").numbers.get().digits == "95384"


# Autocomplete


def _suggest(client, q, **params):
    return _api(client, q, path="/api/suggest/", **params)["suggestions"]


@pytest.mark.parametrize("typed", ["9538", "95384", "+86 9538", "0086-9538", "９５３８"])
def test_autocomplete_offers_a_listed_number_and_its_lender_from_four_digits(
    client, relevance_corpus, typed
):
    first = _suggest(client, typed)[0]
    assert first["kind"] == "number"
    assert first["text"] == "95384"
    assert "微粒贷" in first["label"] and "客服热线" in first["label"]
    assert first["url"] == "/search/?q=95384"


def test_autocomplete_names_every_lender_of_a_shared_number(client, relevance_corpus):
    (number,) = [s for s in _suggest(client, "9518") if s["kind"] == "number"]
    assert "借呗、花呗" in number["label"]


def test_autocomplete_needs_four_digits_and_only_numbers_it_lists(client, relevance_corpus):
    assert not [s for s in _suggest(client, "953") if s["kind"] == "number"]
    assert not [s for s in _suggest(client, "1380") if s["kind"] == "number"]


def test_autocomplete_finds_a_landline_by_its_local_number(client, relevance_corpus):
    make_number(make_lender("测座机贷"), "0755-8601 3860", purpose="催收中心")
    (number,) = [s for s in _suggest(client, "8601") if s["kind"] == "number"]
    assert number["text"] == "075586013860"
    assert number["label"] == "0755-86013860 测座机贷 · 催收中心"


def test_autocomplete_in_traditional_script(client, relevance_corpus):
    first = _suggest(client, "9518", lang="zh-hant")[0]
    assert "借唄、花唄" in first["label"]
    assert first["url"] == "/zh-hant/search/?q=95188"
