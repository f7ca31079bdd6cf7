"""The search page, the JSON API and autocomplete, as a reader sees them."""

import json
import re

import pytest

from articles.models import Article, SearchMiss, Synonym
from tests.factories import make_article, make_lender, make_number

pytestmark = pytest.mark.django_db

HOSTILE = [
    "AND (",
    "title:",
    "title:微粒贷",
    "*",
    "*:*",
    '"',
    '微粒贷"',
    "OR",
    "NOT 微粒贷",
    "微粒贷~2",
    "微粒贷^10",
    "\\",
    "\\\\\\",
    "😀🔥💸",
    "\x00\x01\x1b[31m",
    "\u200b\u202e微粒贷\ufeff",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "{!xmlparser}",
    "[* TO *]",
    "(((((",
    "微" * 10_000,
    "a b c d e f g h i j k l m n o p q r s t u v w x y z " * 50,
    "\ud7ff\ue000\uffff",
]


@pytest.fixture
def corpus(build_index):
    lender = make_lender("测微粒贷", operator="测试微众银行", aliases=["测腾讯"])
    make_number(lender, "400-888-6666")
    other = make_lender("测有钱花", operator="测度小满")
    main = make_article(
        "测微粒贷的催收电话是谁打来的",
        lender=lender,
        summary="测微粒贷逾期后接到电话，先弄清对方是谁。",
        sections=[
            ("background", "测微粒贷是什么", "测微粒贷是一种小额贷款。"),
            ("legality", "催收打给通讯录合法吗", "催收方不得骚扰通讯录里与借款无关的人。"),
            ("coping", "怎么应对", "记下来电号码 400-888-6666，核实 a < b & c。"),
        ],
    )
    traditional = make_article(
        "測有錢花逾期接到電話怎麼辦",
        lender=other,
        script=Article.Script.HANT,
        sections=[("coping", "先核對身分", "測有錢花的催收電話要先核對身分，再談協商。")],
    )
    draft = make_article("测微粒贷草稿", lender=lender, status=Article.Status.DRAFT)
    build_index()
    return {"lender": lender, "other": other, "main": main, "hant": traditional, "draft": draft}


def _api(client, path="/api/search/", **params):
    response = client.get(path, params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)


# The page


def test_results_page_shows_count_marked_snippet_and_links_to_the_section(client, corpus):
    html = client.get("/search/", {"q": "通讯录合法吗"}).content.decode()
    assert "共找到 1 篇文章" in html
    section = corpus["main"].sections.get(kind="legality")
    assert f'href="/articles/{corpus["main"].slug}/#legality-{section.pk}"' in html
    assert "<mark>通讯录</mark>" in html
    assert 'class="snippet"' in html


def test_drafts_are_never_found(client, corpus):
    body = _api(client, q="测微粒贷草稿")
    assert corpus["draft"].slug not in json.dumps(body)


def test_the_api_answers_exactly_the_documented_shape(client, corpus):
    body = _api(client, q="测微粒貸")
    assert set(body) == {"query", "total", "page", "pages", "results", "facets"}
    assert body["query"] == "测微粒貸" and body["total"] == 1
    (result,) = body["results"]
    assert {"title", "url", "lender", "snippet"} <= set(result)
    assert result["title"] == "测微粒贷的催收电话是谁打来的"
    assert result["lender"] == "测微粒贷"
    assert result["url"].startswith(f"/articles/{corpus['main'].slug}/#")
    assert "<mark>测微粒贷</mark>" in result["snippet"]


def test_snippets_escape_the_article_text(client, corpus):
    (result,) = _api(client, q="400-888-6666")["results"]
    assert "a &lt; b &amp; c" in result["snippet"]
    assert "<mark>400-888-6666</mark>" in result["snippet"]
    assert re.sub(r"</?mark>", "", result["snippet"]).count("<") == 0


def test_traditional_readers_get_converted_results_with_marks_intact(client, corpus):
    response = client.get("/zh-hant/search/", {"q": "测微粒贷 通讯录"})
    html = response.content.decode()
    assert 'lang="zh-Hant"' in html
    assert "測微粒貸的催收電話是誰打來的" in re.sub(r"</?mark>", "", html)
    assert "<mark>通訊錄</mark>" in html
    assert f'href="/zh-hant/articles/{corpus["main"].slug}/#' in html


def test_simplified_readers_see_a_traditional_original_in_simplified(client, corpus):
    (result,) = _api(client, q="测有钱花 核对身分")["results"]
    assert result["title"] == "测有钱花逾期接到电话怎么办"
    assert "<mark>核对身份</mark>" in result["snippet"]  # the mainland word, marked


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_fail_or_widen_the_search(client, corpus, query):
    page = client.get("/search/", {"q": query})
    if len(" ".join(query.split())) > 100:
        # Longer than the search box takes: refused with a message, nothing searched.
        assert page.status_code == 400 and "搜索的文字太长了" in page.content.decode()
        response = client.get("/api/search/", {"q": query})
        assert response.status_code == 400
        assert json.loads(response.content)["error"] == "query_too_long"
        return
    assert page.status_code == 200
    body = _api(client, q=query)
    assert len(body["query"]) <= 100
    all_articles = Article.objects.published().count()
    assert body["total"] < all_articles or query.startswith(("title:微粒贷", "NOT 微粒贷"))


def test_query_syntax_is_searched_as_text_not_obeyed(client, corpus):
    assert _api(client, q="NOT 测微粒贷")["total"] == _api(client, q="测微粒贷")["total"] == 1
    assert _api(client, q="title:测有钱花")["total"] == 1


def test_a_query_longer_than_the_search_box_takes_is_refused(client, corpus, settings):
    response = client.get("/api/search/", {"q": "测微粒贷" + "啊" * 5000})
    assert response.status_code == 400
    assert json.loads(response.content)["error"] == "query_too_long"
    longest = "测微粒贷" + "啊" * (settings.KB_SEARCH_MAX_QUERY_LENGTH - 4)
    assert _api(client, q=longest)["query"] == longest


def test_an_empty_query_shows_tips_and_popular_lenders(client, corpus):
    html = client.get("/search/", {"q": "   "}).content.decode()
    assert "可以这样搜" in html
    assert f'href="{corpus["lender"].get_absolute_url()}"' in html
    response = client.get("/api/search/", {"q": ""})
    assert response.status_code == 400
    assert json.loads(response.content)["error"] == "missing_query"


def test_punctuation_only_says_there_is_nothing_to_search(client, corpus):
    html = client.get("/search/", {"q": "？？！！"}).content.decode()
    assert "没有可以搜索的文字或数字" in html


def test_nothing_found_suggests_lenders_and_close_articles(client, corpus):
    html = client.get("/search/", {"q": "测微粒贷区块链挖矿教程"}).content.decode()
    assert "没有找到与“测微粒贷区块链挖矿教程”相关的文章" in html
    assert f'href="{corpus["lender"].get_absolute_url()}"' in html
    assert f'href="{corpus["main"].get_absolute_url()}"' in html


def test_pinyin_suggests_the_lender_when_nothing_is_found(client, corpus):
    html = client.get("/search/", {"q": "ceweilidai xyz"}).content.decode()
    assert f'href="{corpus["lender"].get_absolute_url()}"' in html


# Filters and pages


def test_the_article_holding_the_rest_of_the_query_outranks_name_repetition(client, build_index):
    other = make_lender("测丁贷")
    for i in range(30):  # so that 测丙贷 is a rare name, worth a high score
        make_article(f"测丁贷文章{i}", lender=other, sections=[("coping", "应对", "保留证据。")])
    lender = make_lender("测丙贷")
    for i in range(8):  # the name everywhere: title, headings, body
        make_article(
            f"测丙贷催收电话{i}",
            lender=lender,
            sections=[("coping", "测丙贷催收怎么办", "测丙贷的催收电话。测丙贷逾期。" * 3)],
        )
    wanted = make_article(
        "一位读者的来信",
        lender=lender,
        sections=[("other", "来信", "测丙贷的催收员在庙会那天打给了我表哥，说要去他单位。")],
    )
    build_index()
    for query in ("测丙贷 庙会 表哥", "测丙貸 廟會"):
        results = json.loads(client.get("/api/search/", {"q": query}).content)["results"]
        assert results[0]["url"].startswith(wanted.get_absolute_url()), (query, results)


def test_facets_count_results_by_lender_and_by_section(client, many):
    first, second = many
    html = client.get("/search/", {"q": "紧急联系人"}).content.decode()
    assert "共找到 17 篇文章" in html
    assert re.search(r"测甲贷 <span class=\"count\">\(13\)</span>", html)
    assert re.search(r"测乙贷 <span class=\"count\">\(4\)</span>", html)
    assert re.search(r"合法性 <span class=\"count\">\(13\)</span>", html)
    assert re.search(r"应对策略 <span class=\"count\">\(4\)</span>", html)


def test_filtering_by_lender_and_section(client, many):
    first, second = many
    html = client.get("/search/", {"q": "紧急联系人", "lender": second.slug}).content.decode()
    assert "共找到 4 篇文章" in html and "测甲贷文章" not in html
    html = client.get("/search/", {"q": "紧急联系人", "section": "coping"}).content.decode()
    assert "共找到 4 篇文章" in html
    assert re.search(r'href="/articles/[^"]+#coping-\d+"', html)
    response = client.get("/search/", {"q": "紧急联系人", "section": "nonsense"})
    assert response.status_code == 400
    assert "没有这种段落类型" in response.content.decode()


@pytest.mark.parametrize(
    ("page", "shown"), [("2", "第 2/2 页"), ("1", "第 1/2 页"), ("", "第 1/2 页")]
)
def test_pages(client, many, page, shown):
    response = client.get("/search/", {"q": "紧急联系人", "page": page})
    assert response.status_code == 200
    html = response.content.decode()
    assert shown in html
    assert html.count('<li class="result">') == (7 if shown == "第 2/2 页" else 10)


@pytest.mark.parametrize("page", ["abc", "-5", "0", "999", "9" * 40, "1.5"])
def test_a_bad_page_number_is_refused_with_a_message(client, many, page):
    response = client.get("/search/", {"q": "紧急联系人", "page": page})
    assert response.status_code == 400
    html = response.content.decode()
    assert "页码不对：请用 1 到 50 之间的整数。" in html
    assert '<li class="result">' not in html


def test_a_page_past_the_end_is_refused_and_links_to_the_last(client, many):
    response = client.get("/search/", {"q": "紧急联系人", "page": "3"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "没有第 3 页：这次搜索只有 2 页结果。" in html
    assert "page=2" in html and '<li class="result">' not in html


# Misses and synonyms


def test_queries_that_find_nothing_are_counted_folded_without_client_data(client, corpus):
    for query in ("區塊鏈  挖礦", "区块链 挖矿", "ＱＱ群 区块链"):
        client.get("/search/", {"q": query}, HTTP_USER_AGENT="Secret/1.0", REMOTE_ADDR="9.9.9.9")
    client.get("/search/", {"q": "测微粒贷"})
    misses = {miss.query: miss.count for miss in SearchMiss.objects.all()}
    assert misses == {"区块链 挖矿": 2, "qq群 区块链": 1}
    stored = json.dumps(list(SearchMiss.objects.values()), default=str)
    assert "9.9.9.9" not in stored and "Secret" not in stored


def test_editors_synonyms_apply_at_once(client, build_index, django_capture_on_commit_callbacks):
    make_article("测乙文章", sections=[("legality", "违规", "这是测软催行为。")])
    build_index()
    assert _api(client, q="测硬催")["total"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        Synonym.objects.create(terms="测硬催， 测软催")
    assert _api(client, q="测硬催")["total"] == 1
    assert _api(client, q="測硬催")["total"] == 1


# Regional vocabulary: 短信 and 簡訊 are one word to search, each reader's own on display


@pytest.fixture
def regional(build_index):
    make_article(
        "测甲收到短信怎么办",
        sections=[("coping", "测甲应对", "测甲不要点开短信里的链接，也不要转账。")],
    )
    make_article(
        "測乙收到簡訊怎麼辦",
        script=Article.Script.HANT,
        sections=[("coping", "測乙應對", "測乙不要點開簡訊裡的連結，也不要轉帳。")],
    )
    make_article(
        "测丙：个人信息保护法怎么说",
        sections=[("legality", "测丙法律", "《中华人民共和国个人信息保护法》保护你的个人信息。")],
    )
    build_index()


@pytest.mark.parametrize("query", ["短信", "簡訊", "简讯", "转账", "轉帳"])
def test_mainland_and_taiwan_words_find_the_same_articles(client, regional, query):
    titles = {result["title"] for result in _api(client, q=query)["results"]}
    assert titles == {"测甲收到短信怎么办", "测乙收到短信怎么办"}


def test_marks_land_on_the_words_each_reader_sees(client, regional):
    hant = {r["title"]: r["snippet"] for r in _api(client, q="短信", lang="zh-hant")["results"]}
    assert "<mark>簡訊</mark>" in hant["測甲收到簡訊怎麼辦"]
    assert "<mark>簡訊</mark>" in hant["測乙收到簡訊怎麼辦"]
    hans = {r["title"]: r["snippet"] for r in _api(client, q="簡訊", lang="zh-hans")["results"]}
    assert "<mark>短信</mark>" in hans["测乙收到短信怎么办"]


def test_a_mark_inside_a_statute_title_keeps_the_titles_words(client, regional):
    (result,) = _api(client, q="测丙 个人信息", lang="zh-hant")["results"]
    assert "《中華人民共和國<mark>個人信息</mark>保護法》" in result["snippet"]
    assert "保護你的<mark>個人資訊</mark>" in result["snippet"]


# Autocomplete


@pytest.mark.parametrize(
    "prefix", ["测微", "测微粒", "ceweili", "CeWeiLi", "cwld", "测腾", "测試微眾"]
)
def test_suggest_completes_lender_names_aliases_pinyin_and_initials(client, corpus, prefix):
    body = _api(client, "/api/suggest/", q=prefix)
    assert body["query"] == prefix
    lenders = [s for s in body["suggestions"] if s["kind"] == "lender"]
    assert lenders and lenders[0]["text"] == "测微粒贷"
    assert lenders[0]["url"] == corpus["lender"].get_absolute_url()


def test_suggest_completes_article_titles_in_the_readers_script(client, corpus):
    body = _api(client, "/api/suggest/", q="测有錢", lang="zh-hant")
    titles = [s["text"] for s in body["suggestions"] if s["kind"] == "article"]
    assert titles == ["測有錢花逾期接到電話怎麼辦"]
    body = _api(client, "/api/suggest/", q="测有钱花逾期")
    assert [s["text"] for s in body["suggestions"]] == ["测有钱花逾期接到电话怎么办"]


@pytest.mark.parametrize("query", ["", "   ", "?!", "*", "\x00", "微" * 5000])
def test_suggest_handles_empty_and_hostile_input(client, corpus, query):
    body = _api(client, "/api/suggest/", q=query)
    assert isinstance(body["suggestions"], list)
    assert len(body["query"]) <= 100


def test_suggest_follows_a_new_alias(client, corpus, django_capture_on_commit_callbacks):
    assert _api(client, "/api/suggest/", q="测新名")["suggestions"] == []
    with django_capture_on_commit_callbacks(execute=True):
        corpus["lender"].aliases.create(name="测新名字")
    (suggestion,) = _api(client, "/api/suggest/", q="测新名")["suggestions"]
    assert suggestion["text"] == "测微粒贷" and "测新名字" in suggestion["label"]


# When the index is not there


def test_a_missing_index_gives_a_message_not_an_error(client, search_index):
    make_article("测文章")
    html = client.get("/search/", {"q": "测文章"}).content.decode()
    assert "搜索正在恢复" in html
    response = client.get("/api/search/", {"q": "测文章"})
    assert response.status_code == 503  # tests/test_search_recovery.py has the rest
    body = json.loads(response.content)
    assert body["total"] == 0 and "error" in body
