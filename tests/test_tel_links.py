"""Tap-to-call: hotlines and service numbers in articles and pages are tel: links."""

import re

import pytest

from articles.markdown import render_markdown
from articles.models import Article
from tests.factories import make_article


def _tel_links(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<a href="(tel:[^"]*)"[^>]*>([^<]*)</a>', str(html))


@pytest.mark.parametrize("number", ["12378", "12363", "110", "12348", "12368", "12321"])
def test_the_hotlines_articles_name_are_tap_to_call(number):
    assert _tel_links(render_markdown(f"可以拨打 {number} 反映。")) == [(f"tel:{number}", number)]


@pytest.mark.parametrize(
    ("text", "links"),
    [
        ("微众银行客服 95384。", [("tel:95384", "95384")]),
        ("拨打 400-888-8888 咨询", [("tel:4008888888", "400-888-8888")]),
        ("支付宝 95188 转 2", [("tel:95188,2", "95188 转 2")]),
        ("美团 10107888", [("tel:10107888", "10107888")]),
        (
            "撥打國家金融監督管理總局的 12378；報警 110。",
            [("tel:12378", "12378"), ("tel:110", "110")],
        ),
        ("**12378**", [("tel:12378", "12378")]),
        (
            "- 征信问题找 12363\n- 骚扰信息找 12321",
            [("tel:12363", "12363"), ("tel:12321", "12321")],
        ),
    ],
)
def test_service_numbers_become_links_around_the_text_as_written(text, links):
    assert _tel_links(render_markdown(text)) == links


@pytest.mark.parametrize(
    "text",
    [
        "`12378`",
        "    拨打 12378\n",
        "[投诉热线](https://www.nfra.gov.cn/) 12378 不在链接里",
        "手机 138 0013 8000、座机 021-12345678 都可能是外包催收",
        "2021-01-01 借了 5000 元，年化 24%，第110条",
        "170、171 开头的虚拟号段",
    ],
)
def test_links_code_mobiles_landlines_dates_and_amounts_are_left_alone(text):
    html = str(render_markdown(text))
    links = _tel_links(html)
    if "不在链接里" in text:
        assert links == [("tel:12378", "12378")]  # the one outside the existing link
        assert 'href="https://www.nfra.gov.cn/"' in html
    else:
        assert links == []


def test_a_tel_link_carries_nothing_but_the_number():
    html = str(render_markdown('12378<script>alert(1)</script>95384"onclick=alert(1)'))
    assert "<script" not in html and " onclick" not in html
    assert _tel_links(html) == [("tel:12378", "12378"), ("tel:95384", "95384")]


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["", "/zh-hant"])
def test_an_article_page_links_its_hotlines_in_both_scripts(client, prefix):
    article = make_article(
        "测投诉渠道",
        sections=[("coping", "投诉", "先找官方客服，再拨打 12378；威胁人身安全，报警 110。")],
        script=Article.Script.HANS,
    )
    html = client.get(prefix + article.get_absolute_url()).content.decode()
    assert ("tel:12378", "12378") in _tel_links(html)
    assert ("tel:110", "110") in _tel_links(html)


@pytest.mark.django_db
def test_pages_listing_numbers_link_them(client):
    guide = client.get("/guides/scam-calls/").content.decode()
    assert 'href="tel:110"' in guide and 'href="tel:96110"' in guide
    lender = client.get("/lenders/weilidai/").content.decode()
    assert 'href="tel:95384"' in lender
    listed = client.get("/number/", {"n": "95188 转 2"}).content.decode()
    assert '<a class="number" href="tel:95188,2">95188 转 2</a>' in listed
    unlisted = client.get("/number/", {"n": "13800138000", "lender": "weilidai"}).content.decode()
    assert 'href="tel:95384"' in unlisted  # the lender's own number, to call back
    assert 'href="tel:13800138000"' not in unlisted  # never the unknown caller
