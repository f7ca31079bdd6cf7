"""What a reader types, and the article that must come up in the first three results.

Corpus: the demo articles (articles/demo/) and the two seed pages imported by the importer,
indexed once for the module (`relevance_corpus` in conftest.py). Queries go through the JSON
API, as the search box's readers' do.
"""

import json

import pytest

from articles.models import Article

pytestmark = pytest.mark.django_db

WEILIDAI = "weilidai-cuishou-laidian-shi-shei"
WEILIDAI_ZHENGXIN = "weilidai-yuqi-zhengxin-heimingdan"
YOUQIANHUA = "youqianhua-cuishou-hedui-shenfen-xieshang"
JIEBEI = "jiebei-cuishou-jinji-lianxiren-tongxunlu"
HUABEI = "huabei-yuqi-cuishou-jingguo"
JINTIAO = "jingdong-jintiao-cuishou-yejian-pinfan-laidian"
MEITUAN = "meituan-jieqian-lvshihan-shangmen-cuishou"
ANYIHUA = "anyihua-cuishou-yu-zhapian-fenbian"
ZHAOLIAN = "zhaolian-haoqidai-xieshang-huankuan"
JIETIAO360 = "360-jietiao-cuishou-zhudai-chuzifang"
FENQILE = "fenqile-cuishou-tiaojie-zhongcai-qisu"
TOUSU = "cuishou-tousu-qudao-zenme-xuan"
SEED_WEILIDAI = "weilidai-cuishou-dianhua-shi-nali-dalai-de"
SEED_YOUQIANHUA = "youqianhua-cuishou-dianhua-de-jieting-jiqiao"

# (query, slug expected in the top 3)
FOUND = [
    # same script as written
    ("微粒贷", WEILIDAI),
    ("有钱花", YOUQIANHUA),
    ("借呗", JIEBEI),
    ("京东金条", JINTIAO),
    ("美团借钱", MEITUAN),
    ("招联好期贷", ZHAOLIAN),
    ("360借条", JIETIAO360),
    ("分期乐", FENQILE),
    ("安逸花", ANYIHUA),
    ("花唄", HUABEI),
    # the other script
    ("微粒貸", WEILIDAI),
    ("有錢花", YOUQIANHUA),
    ("借唄", JIEBEI),
    ("京東金條", JINTIAO),
    ("美團借錢", MEITUAN),
    ("招聯好期貸", ZHAOLIAN),
    ("花呗", HUABEI),
    ("安逸花来电", ANYIHUA),
    ("微粒贷上黑名单", WEILIDAI_ZHENGXIN),
    ("有钱花核对身份", YOUQIANHUA),
    # mixed script
    ("微粒貸催收电话", WEILIDAI),
    ("有錢花逾期催收电话", YOUQIANHUA),
    ("京东金條半夜打电話", JINTIAO),
    ("借呗緊急联系人", JIEBEI),
    # parts of names
    ("粒贷", WEILIDAI),
    ("好期贷", ZHAOLIAN),
    ("金条", JINTIAO),
    # operators, brands and aliases
    ("腾讯", WEILIDAI),
    ("微众银行", WEILIDAI),
    ("微眾銀行", WEILIDAI),
    ("WeBank", WEILIDAI),
    ("度小满", YOUQIANHUA),
    ("度小滿金融", YOUQIANHUA),
    ("百度", YOUQIANHUA),
    ("支付宝", JIEBEI),
    ("支付宝", HUABEI),
    ("蚂蚁借呗", JIEBEI),
    ("京东金融", JINTIAO),
    ("美团", MEITUAN),
    ("马上消费金融", ANYIHUA),
    ("招联金融", ZHAOLIAN),
    ("奇富借条", JIETIAO360),
    ("乐信", FENQILE),
    # pinyin and initials, either case
    ("weilidai", WEILIDAI),
    ("WeiLiDai", WEILIDAI),
    ("wei li dai", WEILIDAI),
    ("YouQianHua", YOUQIANHUA),
    ("youqianhua", YOUQIANHUA),
    ("jiebei", JIEBEI),
    ("anyihua", ANYIHUA),
    ("wld", WEILIDAI),
    ("WLD", WEILIDAI),
    ("yqh", YOUQIANHUA),
    ("dxm", YOUQIANHUA),
    # official numbers, however they are typed
    ("95384", WEILIDAI),
    ("９５３８４", WEILIDAI),
    ("953 84", WEILIDAI),
    ("95055", YOUQIANHUA),
    ("950-55", YOUQIANHUA),
    ("95188", JIEBEI),
    ("95118", JINTIAO),
    ("1010-7888", MEITUAN),
    ("10107888", MEITUAN),
    ("95786", ZHAOLIAN),
    # what the reader wants to know
    ("催收打给通讯录合法吗", JIEBEI),
    ("催收打電話給通訊錄好友合法嗎", JIEBEI),
    ("紧急联系人被催收", JIEBEI),
    ("半夜打催收电话", JINTIAO),
    ("一天几十通电话", JINTIAO),
    ("收到律师函", MEITUAN),
    ("说要上门催收", MEITUAN),
    ("催收是不是诈骗", ANYIHUA),
    ("调解 仲裁 起诉", FENQILE),
    ("协商延期和分期", ZHAOLIAN),
    ("被违规催收向谁投诉", TOUSU),
    ("12378", TOUSU),
    ("上黑名单", WEILIDAI_ZHENGXIN),
    ("放款人 出资方", JIETIAO360),
    ("逾期后会经历哪些阶段", HUABEI),
    ("核对身分 再谈怎么还", YOUQIANHUA),
]

SEED_FOUND = [
    ("微粒贷催收电话是哪里打来的", SEED_WEILIDAI),
    ("微粒貸催收電話是哪裡打來的", SEED_WEILIDAI),
    ("有钱花催收电话的接听技巧", SEED_YOUQIANHUA),
    ("有錢花催收電話的接聽技巧", SEED_YOUQIANHUA),
]

NOTHING = [
    "区块链挖矿教程",
    "區塊鏈挖礦教程",
    "！！！？？？",
    "。。。，，，",
    "*",
    '"',
    "AND (",
    "title:",
    "title:* OR *",
    "NOT ~ ^ \\ ||",
    "😀😀😀",
    "\x00\x07\x1b",
    "比特币合约交易",
    "iphone 15 pro max",
]


def _search(client, query):
    response = client.get("/api/search/", {"q": query})
    assert response.status_code == 200
    return json.loads(response.content)


def _slugs(body):
    return [result["url"].split("/")[2] for result in body["results"]]


@pytest.mark.parametrize(("query", "slug"), FOUND)
def test_the_expected_article_is_in_the_top_three(client, relevance_corpus, query, slug):
    body = _search(client, query)
    assert slug in _slugs(body)[:3], (query, _slugs(body))


@pytest.mark.parametrize(("query", "slug"), SEED_FOUND)
def test_imported_seed_pages_are_found(client, relevance_corpus, query, slug):
    if not relevance_corpus["seeds"]:
        pytest.skip("the seed files (../shared/seeds) are not on this machine")
    body = _search(client, query)
    assert slug in _slugs(body)[:3], (query, _slugs(body))


@pytest.mark.parametrize("query", NOTHING)
def test_unrelated_text_and_query_syntax_find_nothing(client, relevance_corpus, query):
    body = _search(client, query)
    assert body["total"] == 0 and body["results"] == [], (query, _slugs(body))


@pytest.mark.parametrize(
    ("simplified", "traditional"),
    [
        ("微粒贷催收电话", "微粒貸催收電話"),
        ("紧急联系人", "緊急聯繫人"),
        ("有钱花逾期", "有錢花逾期"),
        ("催收打给通讯录合法吗", "催收打給通訊錄合法嗎"),
    ],
)
def test_both_scripts_give_the_same_results(client, relevance_corpus, simplified, traditional):
    first, second = _search(client, simplified), _search(client, traditional)
    assert first["total"] > 0
    assert _slugs(first) == _slugs(second) and first["total"] == second["total"]


@pytest.mark.parametrize("query", ["微粒贷", "微粒貸", "腾讯", "weilidai", "wld", "95384"])
def test_a_lenders_own_articles_come_before_articles_that_mention_it(
    client, relevance_corpus, query
):
    own = set(
        Article.objects.published().filter(lender__name="微粒贷").values_list("slug", flat=True)
    )
    slugs = _slugs(_search(client, query))
    assert set(slugs[: len(own)]) == own, slugs
