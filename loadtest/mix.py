"""What the load test asks for: a reader's mix of pages, searches and API calls, and the
scenarios that single out one kind of page.

Weights follow how readers arrive (docs/performance.md): mostly from a search engine straight
onto an article or a lender page, then the site's own search, and the autocomplete calls that
typing in the search box makes. A third of page views are in traditional script.

Scenarios (`--scenario`, docs/performance.md):
- `mix`: that mix, every request rendered (no cache in front);
- `article-304`, `search-304`: article pages, or search pages, asked for the way a CDN or nginx
  revalidates the copy it holds: with the ETag it got (If-None-Match), answered 304;
- `search`: search pages only, every request rendered.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from urllib.parse import urlencode

# The server under test also holds an article of one 100,000-character section ("龘靐 " over
# and over, saved straight to the database as a row from before the admin's limits could be):
# one search for it used to hold a worker for 18 s (issue 17). Readers search for it too.
LONG_ARTICLE_TERM = "龘靐"
LONG_ARTICLE_TITLE = "超长的旧文章"

# Queries as readers type them: lender and operator names in both scripts, partial names,
# pinyin and initials, phone numbers in several formats, questions, and nonsense; and the
# long article, by its term alone and with a word of its title.
SEARCHES = [
    "微粒贷", "微粒貸", "借呗", "花呗逾期", "花唄", "京东金条", "京東金條", "美团借钱",
    "分期乐", "安逸花", "有钱花", "招联好期贷", "360借条", "度小满", "微众银行", "螞蟻",
    "粒贷", "好期贷", "金条", "weilidai", "wld", "jiebei", "huabei", "fenqile",
    "95188", "95384", "400-888-8888", "400 888 8888", "+86 138 0013 8000", "021-12345678",
    "催收电话", "催收打给通讯录合法吗", "催收打電話給家人合法嗎", "紧急联系人", "上门催收",
    "逾期会上征信吗", "律师函是真的吗", "协商还款", "停息挂账", "暴力催收怎么投诉",
    "12378", "冒充催收诈骗", "催收说要起诉我", "夜间催收", "区块链挖矿教程", "？？？",
    LONG_ARTICLE_TERM, f"{LONG_ARTICLE_TERM} 旧文章",
]  # fmt: skip
PREFIXES = ["微", "微粒", "借", "花", "京东", "度", "wei", "weil", "jd", "fq", "有钱", "招联", "95"]


@dataclass(frozen=True)
class Request:
    endpoint: str  # the name figures are reported under
    path: str


@dataclass
class Site:
    """What exists on the server under test (read from the demo content)."""

    articles: list[str]  # slugs
    lenders: list[str]  # slugs
    paged: list[str] = field(default_factory=list)  # queries with a second page of results


def _variant(rng: random.Random, path: str) -> str:
    return f"/zh-hant{path}" if rng.random() < 0.33 else path


def _article(rng, site):
    return Request("article", _variant(rng, f"/articles/{rng.choice(site.articles)}/"))


def _lender(rng, site):
    return Request("lender", _variant(rng, f"/lenders/{rng.choice(site.lenders)}/"))


def _home(rng, site):
    return Request("home", _variant(rng, "/"))


def _lender_index(rng, site):
    return Request("lender index", _variant(rng, "/lenders/"))


def _search_page(rng, site):
    params = {"q": rng.choice(SEARCHES)}
    if rng.random() < 0.1 and site.paged:
        # A page past the last one is refused (400): only queries that have a second page.
        params = {"q": rng.choice(site.paged), "page": "2"}
    return Request("search page", _variant(rng, "/search/?" + urlencode(params)))


def _api_search(rng, site):
    return Request("api search", "/api/search/?" + urlencode({"q": rng.choice(SEARCHES)}))


def _api_suggest(rng, site):
    return Request("api suggest", "/api/suggest/?" + urlencode({"q": rng.choice(PREFIXES)}))


MIX = [
    (_article, 35),
    (_lender, 15),
    (_home, 10),
    (_lender_index, 3),
    (_search_page, 15),
    (_api_search, 10),
    (_api_suggest, 12),
]


@dataclass(frozen=True)
class Scenario:
    mix: list
    revalidate: bool = False  # send If-None-Match with the ETag last seen for the URL


SCENARIOS = {
    "mix": Scenario(MIX),
    "article-304": Scenario([(_article, 1)], revalidate=True),
    "search": Scenario([(_search_page, 1)]),
    "search-304": Scenario([(_search_page, 1)], revalidate=True),
}


def next_request(rng: random.Random, site: Site, mix=MIX) -> Request:
    (make,) = rng.choices([m for m, _ in mix], weights=[w for _, w in mix])
    return make(rng, site)
