"""Reader pages over HTTP, in both scripts: what a reader sees, where, and how fast."""

import datetime
import re
from html.parser import HTMLParser
from unittest import mock

import pytest
from django.contrib.staticfiles import finders
from django.template.loader import get_template
from django.test import Client
from django.urls import path
from django.utils import translation

from articles.models import Article, ConversionOverride
from kb import conversion
from tests.factories import make_article, make_lender, make_number

pytestmark = pytest.mark.django_db


@pytest.fixture
def lender():
    lender = make_lender("示例贷", operator="示例银行", aliases=["示例借钱", "示例集团"])
    make_number(
        lender,
        "400-000-0001",
        purpose="客服热线",
        source_name="示例银行官网·联系我们",
        source_url="https://example.com/contact",
        verified_on=datetime.date(2025, 3, 1),
    )
    make_number(lender, "95000", purpose="催收专线", source_name="示例银行 App 公告")
    return lender


@pytest.fixture
def hans_article(lender):
    return make_article(
        "示例贷的催收电话是谁打来的",
        lender=lender,
        summary="谁在打电话、后台怎么处理。",
        sections=[
            ("background", "示例贷是什么", "示例贷是一款**消费信贷**产品。"),
            ("coping", "接到电话怎么办", "# 先核实\n\n- 保留录音\n- 不向个人账户转账"),
        ],
    )


@pytest.fixture
def hant_article(lender):
    return make_article(
        "示例貸催收電話的接聽技巧",
        lender=lender,
        summary="隨著逾期時間變長，電話會變多。",
        script=Article.Script.HANT,
        sections=[("coping", "接著怎麼辦", "先別著急，記下對方的工號。")],
    )


class _Page(HTMLParser):
    """Everything tests look at in a page: tags with attributes, and visible text."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.tags, self.text, self._skip = [], [], 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style", "title"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "title"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)

    def find(self, tag, **attrs):
        return [
            a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())
        ]

    @property
    def visible(self):
        return re.sub(r"\s+", " ", "".join(self.text))


def _url(obj):
    """The simplified (unprefixed) address, whatever language the last request left active."""
    with translation.override("zh-hans"):
        return obj.get_absolute_url()


def _get(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code)
    return response, _Page(response.content.decode())


def _pages(hans_article, lender):
    return [
        "/",
        _url(hans_article),
        _url(lender),
        "/lenders/",
    ]


# Both variants, every page


def test_every_page_has_lang_canonical_and_hreflang_in_both_variants(client, hans_article, lender):
    for url in _pages(hans_article, lender):
        for prefix, lang in (("", "zh-Hans"), ("/zh-hant", "zh-Hant")):
            response, page = _get(client, prefix + url)
            assert page.find("html")[0]["lang"] == lang
            canonical = page.find("link", rel="canonical")
            assert [link["href"] for link in canonical] == [f"http://testserver{prefix}{url}"]
            alternates = {
                a["hreflang"]: a["href"]
                for a in page.find("link", rel="alternate")
                if "hreflang" in a
            }
            assert alternates == {
                "zh-Hans": f"http://testserver{url}",
                "zh-Hant": f"http://testserver/zh-hant{url}",
                "x-default": f"http://testserver{url}",
            }


def test_interface_strings_follow_the_variant(client, hans_article):
    _, simplified = _get(client, _url(hans_article))
    _, traditional = _get(client, "/zh-hant" + _url(hans_article))
    assert "不构成法律意见" in simplified.visible
    assert "不構成法律意見" in traditional.visible
    assert "目录" in simplified.visible and "目錄" in traditional.visible


def test_simplified_article_is_shown_in_traditional_under_zh_hant(client, hans_article):
    response, page = _get(client, "/zh-hant" + _url(hans_article))
    assert "<title>示例貸的催收電話是誰打來的 · " in response.content.decode()
    assert "示例貸的催收電話是誰打來的" in page.visible
    assert "誰在打電話、後臺怎麼處理。" in page.visible
    assert "示例貸是一款消費信貸產品。" in page.visible
    assert "不向個人帳戶轉帳" in page.visible  # default override 账户 → 帳戶; vocabulary 转账
    assert "示例貸的催收電話" not in _get(client, _url(hans_article))[1].visible


def test_traditional_article_is_shown_in_simplified_at_the_plain_url(client, hant_article):
    response, page = _get(client, _url(hant_article))
    assert "<title>示例贷催收电话的接听技巧 · " in response.content.decode()
    assert "随着逾期时间变长，电话会变多。" in page.visible
    assert "接着怎么办" in page.visible
    assert "先别着急，记下对方的工号。" in page.visible
    _, original = _get(client, "/zh-hant" + _url(hant_article))
    assert "先別著急，記下對方的工號。" in original.visible  # shown as written


def test_lists_convert_titles_and_lender_names(client, hans_article, hant_article):
    _, home = _get(client, "/zh-hant/")
    assert "示例貸的催收電話是誰打來的" in home.visible
    assert "示例貸催收電話的接聽技巧" in home.visible
    _, home_hans = _get(client, "/")
    assert "示例贷催收电话的接听技巧" in home_hans.visible
    _, lender_page = _get(client, "/zh-hant/lenders/shili-dai/")
    assert "示例銀行" in lender_page.visible
    assert "示例借錢" in lender_page.visible


# Home


def test_home_has_search_guidance_lenders_latest_and_number_check(client, hans_article, lender):
    response, page = _get(client, "/")
    html = response.content.decode()
    (search,) = page.find("input", type="search")
    assert search["name"] == "q" and search["data-suggest-url"] == "/api/suggest/"
    forms = [a for t, a in page.tags if t == "form" and a.get("action") == "/search/"]
    assert forms and forms[0].get("method") == "get"
    assert '<script src="/static/js/suggest.js" defer></script>' in html
    assert "刚接到催收电话？" in page.visible
    assert page.find("a", href=_url(lender))
    assert page.find("a", href="/lenders/")
    assert page.find("a", href=_url(hans_article))
    assert 'id="number-check"' in html


def test_home_lists_only_lenders_with_published_articles(client, hans_article):
    make_article("草稿文章", lender=make_lender("草稿贷"), status=Article.Status.DRAFT)
    _, page = _get(client, "/")
    assert "示例贷" in page.visible
    assert "草稿贷" not in page.visible
    assert "草稿文章" not in page.visible


def test_every_page_has_the_header_search_and_the_toggle(client, hans_article, lender):
    for url in _pages(hans_article, lender)[1:]:
        _, page = _get(client, url)
        (search,) = page.find("input", type="search")
        assert search["data-suggest-url"] == "/api/suggest/"
        toggles = [a for t, a in page.tags if t == "button" and a.get("name") == "language"]
        assert [b["value"] for b in toggles] == ["zh-hans", "zh-hant"]
        forms = [a for t, a in page.tags if t == "form" and a.get("action") == "/i18n/setlang/"]
        assert [form["method"] for form in forms] == ["post", "post"]
        assert [i["value"] for i in page.find("input", name="next")] == [url, f"/zh-hant{url}"]


# Article


def test_article_shows_lender_box_with_numbers_sources_and_verification(client, hans_article):
    response, page = _get(client, _url(hans_article))
    html = response.content.decode()
    assert "示例银行" in page.visible
    assert "400-000-0001 客服热线" in page.visible
    assert page.find("a", href="https://example.com/contact")
    assert "核实于 2025-03-01" in page.visible
    assert "95000 催收专线" in page.visible
    assert "示例银行 App 公告 · 待核实" in page.visible
    assert 'href="tel:4000000001"' in html


def test_article_has_toc_linking_each_section_heading(client, hans_article):
    response, page = _get(client, _url(hans_article))
    html = response.content.decode()
    for section in hans_article.sections.all():
        assert page.find("a", href=f"#{section.anchor}")
        assert f'<h2 id="{section.anchor}">{section.heading}</h2>' in html


def test_article_body_is_rendered_markdown_with_headings_below_the_section(client, hans_article):
    response, _ = _get(client, _url(hans_article))
    html = response.content.decode()
    assert "<strong>消费信贷</strong>" in html
    assert "<h3>先核实</h3>" in html
    assert "<li>保留录音</li>" in html


def test_article_shows_dates_notice_feedback_and_more_from_the_lender(client, hans_article, lender):
    other = make_article("示例贷逾期多久会被催收", lender=lender)
    response, page = _get(client, _url(hans_article))
    html = response.content.decode()
    today = hans_article.updated_at.astimezone(datetime.timezone(datetime.timedelta(hours=8)))
    assert f"更新于 {today:%Y-%m-%d}" in page.visible
    assert "发布于" in page.visible
    assert "不构成法律意见" in page.visible
    assert 'id="feedback"' in html
    assert html.index('class="article-body"') < html.index('id="feedback"')
    assert page.find("a", href=_url(other))
    assert "示例贷的更多文章" in page.visible


def test_article_without_lender_or_numbers_still_renders(client):
    article = make_article("通用：催收电话合法吗", lender=None)
    _, page = _get(client, _url(article))
    assert "通用：催收电话合法吗" in page.visible
    bare = make_lender("无号码贷")
    article = make_article("无号码贷的催收", lender=bare)
    _, page = _get(client, _url(article))
    assert "还没有收录注明来源的官方号码" in page.visible


@pytest.mark.parametrize("status", [Article.Status.DRAFT, Article.Status.REVIEW])
def test_unpublished_article_is_404_in_both_variants(client, status):
    article = make_article("未发布的文章", status=status)
    assert client.get(_url(article)).status_code == 404
    assert client.get("/zh-hant" + _url(article)).status_code == 404


def test_source_link_is_only_shown_for_web_addresses(client, lender):
    make_number(lender, "95001", source_name="可疑来源", source_url="javascript:alert(1)")
    article = make_article("号码来源", lender=lender)
    response, page = _get(client, _url(article))
    assert "可疑来源" in page.visible
    assert "javascript:" not in response.content.decode()


# Lenders


def test_lender_page_shows_operator_aliases_numbers_articles_and_number_check(
    client, hans_article, lender
):
    draft = make_article("示例贷草稿", lender=lender, status=Article.Status.DRAFT)
    response, page = _get(client, _url(lender))
    html = response.content.decode()
    assert page.find("h1")
    assert "示例银行" in page.visible
    assert "示例借钱、示例集团" in page.visible
    assert "400-000-0001" in page.visible and "核实于 2025-03-01" in page.visible
    assert page.find("a", href=_url(hans_article))
    assert not page.find("a", href=_url(draft))
    assert 'id="number-check"' in html


def test_lender_index_lists_every_lender_with_its_article_count(client, hans_article, lender):
    _, page = _get(client, "/lenders/")
    assert page.find("a", href=_url(lender))
    assert page.find("a", href="/lenders/weilidai/")  # the registry ships with the code
    assert "示例银行 · 1 篇文章" in page.visible


def test_unknown_lender_is_404(client):
    assert client.get("/lenders/no-such-lender/").status_code == 404


# Errors


def test_unknown_slug_gets_the_friendly_404_page(client, settings):
    settings.DEBUG = False
    for prefix, heading in (("", "没有找到这个页面"), ("/zh-hant", "沒有找到這個頁面")):
        response = client.get(prefix + "/articles/no-such-article/")
        assert response.status_code == 404
        page = _Page(response.content.decode())
        assert heading in page.visible
        assert page.find("input", type="search")
        assert page.find("meta", name="robots", content="noindex")
        assert not page.find("link", rel="canonical")


def test_500_template_renders_without_database_or_context(django_db_blocker):
    with django_db_blocker.block():
        html = get_template("500.html").render()
    assert "服务器出错了" in html
    assert "伺服器出錯了" in html
    assert "{%" not in html


def _boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", _boom)]


def test_server_error_shows_the_static_500_page(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "服务器出错了" in response.content.decode()


# Variant negotiation


@pytest.mark.parametrize("accept", ["zh-TW,zh;q=0.9", "zh-HK", "zh-Hant", "zh-Hant-TW,en;q=0.5"])
def test_first_visit_from_a_traditional_browser_goes_to_zh_hant(client, hans_article, accept):
    url = _url(hans_article)
    response = client.get(url + "?utm=x", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 302
    assert response["Location"] == f"/zh-hant{url}?utm=x"
    assert "Accept-Language" in response["Vary"] and "Cookie" in response["Vary"]
    followed = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE=accept)
    assert followed.status_code == 200  # the prefixed page never redirects again


@pytest.mark.parametrize("accept", ["zh-CN,zh;q=0.9", "zh", "en-US,en", ""])
def test_first_visit_from_other_browsers_stays_simplified(client, hans_article, accept):
    response = client.get(_url(hans_article), HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 200
    assert _Page(response.content.decode()).find("html")[0]["lang"] == "zh-Hans"


def test_no_redirect_for_admin_api_or_post(client):
    assert client.get("/api/suggest/?q=a", HTTP_ACCEPT_LANGUAGE="zh-TW").status_code == 200
    admin = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="zh-TW")
    assert admin.status_code == 200
    assert client.post("/", HTTP_ACCEPT_LANGUAGE="zh-TW").status_code != 302


def test_toggle_sets_the_cookie_and_the_choice_is_remembered(client, hans_article):
    url = _url(hans_article)
    _, page = _get(client, url)
    next_hant = page.find("input", name="next")[1]["value"]
    response = client.post("/i18n/setlang/", {"language": "zh-hant", "next": next_hant})
    assert response.status_code == 302
    assert response["Location"] == f"/zh-hant{url}"
    assert client.cookies["django_language"].value == "zh-hant"
    # Later, a plain link (e.g. from a search engine) brings the reader back to their choice.
    assert client.get("/")["Location"] == "/zh-hant/"
    # Switching back to simplified wins over a traditional browser.
    _, page = _get(client, f"/zh-hant{url}")
    next_hans = page.find("input", name="next")[0]["value"]
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": next_hans})
    assert response["Location"] == url
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-TW")
    assert response.status_code == 200
    assert 'lang="zh-Hans"' in response.content.decode()


def test_an_explicit_variant_url_is_served_whatever_the_cookie(client, hans_article):
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    response = client.get("/zh-hant" + _url(hans_article))
    assert response.status_code == 200
    assert 'lang="zh-Hant"' in response.content.decode()


# Overrides and caching


def test_overrides_are_applied_on_pages(client, hans_article):
    ConversionOverride.objects.create(hans="示例贷", hant="示例貸（官方）")
    _, page = _get(client, "/zh-hant" + _url(hans_article))
    assert "示例貸（官方）的催收電話是誰打來的" in page.visible


def test_second_view_converts_nothing(client, hans_article):
    url = "/zh-hant" + _url(hans_article)
    _get(client, url)
    with mock.patch.object(conversion, "opencc_only", wraps=conversion.opencc_only) as opencc:
        _, page = _get(client, url)
    assert opencc.call_count == 0
    assert "示例貸的催收電話是誰打來的" in page.visible


def test_edits_show_at_once_despite_the_cache(client, hans_article):
    url = "/zh-hant" + _url(hans_article)
    _get(client, url)
    section = hans_article.sections.get(kind="background")
    section.body = "示例贷已经更名。"
    section.save()
    assert "示例貸已經更名。" in _get(client, url)[1].visible
    ConversionOverride.objects.create(hans="更名", hant="改名")
    assert "示例貸已經改名。" in _get(client, url)[1].visible


# Weight and hygiene


def _page_weight(client, url):
    response = client.get(url)
    html = response.content.decode()
    total = len(response.content)
    assets = re.findall(r'(?:href|src)="/static/([^"]+)"', html)
    assert "css/site.css" in assets
    for asset in assets:
        found = finders.find(asset)  # a script another part has not written yet weighs nothing
        if found:
            with open(found, "rb") as fh:
                total += len(fh.read())
    return total


def test_every_page_weighs_under_100_kb(client, hans_article, lender):
    long_body = "\n\n".join(
        ["催收电话的应对办法：先核实身份，保留录音，不向个人账户转账。" * 4] * 40
    )
    big = make_article("很长的文章", lender=lender, sections=[("coping", "应对", long_body)] * 3)
    for url in [*_pages(hans_article, lender), _url(big)]:
        for prefix in ("", "/zh-hant"):
            assert _page_weight(client, prefix + url) < 100 * 1024, url


def test_pages_have_no_inline_script_or_style(client, hans_article, lender):
    for url in _pages(hans_article, lender):
        response, page = _get(client, url)
        html = response.content.decode()
        assert "<style" not in html
        assert not [a for _t, a in page.tags if "style" in a]
        for attrs in page.find("script"):
            assert (
                attrs.get("src", "").startswith("/static/")
                or attrs.get("type") == "application/ld+json"
            )
        assert not [a for _t, a in page.tags for name in a if name.startswith("on")]
        assert "fonts.googleapis" not in html and "//cdn" not in html


def test_skip_link_and_landmarks(client, hans_article):
    _, page = _get(client, _url(hans_article))
    assert page.find("a", href="#main")
    assert page.find("main", id="main")
    assert page.find("header") and page.find("footer") and page.find("nav")
