import datetime
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from articles.models import Article, Lender
from tests.factories import make_article, make_lender

pytestmark = pytest.mark.django_db


SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
ATOM = "{http://www.w3.org/2005/Atom}"
BASE = "http://testserver"


@pytest.fixture
def content():
    lender = make_lender("测试贷", operator="测试消费金融公司", description="测试用的借贷产品。")
    idle = make_lender("没有文章贷")
    published = make_article(
        "测试贷催收电话是哪里打来的", lender=lender, summary="谁在打电话，怎么核实，怎么应对。"
    )
    draft = make_article("草稿不应出现", lender=idle, status=Article.Status.DRAFT)
    review = make_article("待审核不应出现", lender=lender, status=Article.Status.REVIEW)
    return {"lender": lender, "idle": idle, "published": published, "hidden": [draft, review]}


def _sitemap(client) -> dict[str, dict[str, str]]:
    """{loc: {hreflang: href}} of every <url> in /sitemap.xml."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    urls = {}
    for url in root.iter(f"{SITEMAP}url"):
        links = {link.get("hreflang"): link.get("href") for link in url.iter(f"{XHTML}link")}
        urls[url.findtext(f"{SITEMAP}loc")] = {
            "alternates": links,
            "lastmod": url.findtext(f"{SITEMAP}lastmod"),
        }
    return urls


def test_sitemap_lists_every_variant_with_hreflang_alternates(client, content):
    urls = _sitemap(client)
    slug = content["published"].slug
    hans, hant = f"{BASE}/articles/{slug}/", f"{BASE}/zh-hant/articles/{slug}/"
    assert hans in urls and hant in urls
    expected = {"zh-hans": hans, "zh-hant": hant, "x-default": hans}
    assert urls[hans]["alternates"] == expected
    assert urls[hant]["alternates"] == expected
    # The site's day (Asia/Shanghai), not UTC's: from 16:00 UTC they differ.
    updated = timezone.localtime(content["published"].updated_at)
    assert urls[hans]["lastmod"] == updated.date().isoformat()
    for page in ("/", "/zh-hant/", "/guides/scam-calls/", "/zh-hant/guides/scam-calls/"):
        assert f"{BASE}{page}" in urls


def test_sitemap_lists_lenders_with_published_articles_only(client, content):
    urls = _sitemap(client)
    assert f"{BASE}/lenders/{content['lender'].slug}/" in urls
    assert f"{BASE}/zh-hant/lenders/{content['lender'].slug}/" in urls
    assert not any(f"/lenders/{content['idle'].slug}/" in loc for loc in urls)
    assert not any("/lenders/weilidai/" in loc for loc in urls)  # registry lender, no articles


def test_sitemap_leaves_out_unpublished_articles(client, content):
    listed = " ".join(_sitemap(client))
    for article in content["hidden"]:
        assert article.slug not in listed


def test_robots_txt_allows_readers_pages_and_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines and "Disallow: /api/" in lines
    assert f"Sitemap: {BASE}/sitemap.xml" in lines
    assert "Disallow: /" not in lines


def _json_ld(html: str) -> dict:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_article_page_has_schema_org_article(client, content):
    article = content["published"]
    data = _json_ld(client.get(article.get_absolute_url()).content.decode())
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Article"
    assert data["headline"] == "测试贷催收电话是哪里打来的"
    assert data["inLanguage"] == "zh-Hans"
    assert data["publisher"]["name"] == "催收电话知识库"
    assert data["about"]["name"] == "测试贷"
    assert data["about"]["provider"]["name"] == "测试消费金融公司"
    assert datetime.datetime.fromisoformat(data["datePublished"]) == article.published_at
    assert datetime.datetime.fromisoformat(data["dateModified"]) == article.updated_at
    assert data["url"] == f"{BASE}{article.get_absolute_url()}"


def test_json_ld_survives_a_title_that_closes_the_script(client):
    title = '</script><script>alert("x")</script> & <!-- 微粒贷'
    article = make_article(title, summary="</SCRIPT>摘要")
    html = client.get(article.get_absolute_url()).content.decode()
    assert '</script><script>alert("x")' not in html
    data = _json_ld(html)
    assert data["headline"] == title
    assert data["description"] == "</SCRIPT>摘要"


def test_traditional_page_has_traditional_json_ld(client, content):
    url = f"/zh-hant{content['published'].get_absolute_url()}"
    data = _json_ld(client.get(url).content.decode())
    assert data["headline"] == "測試貸催收電話是哪裡打來的"
    assert data["inLanguage"] == "zh-Hant"
    assert data["url"] == f"{BASE}{url}"


def _meta(html: str) -> dict[str, str]:
    tags = re.findall(r'<meta (?:name|property)="([^"]+)" content="([^"]*)">', html)
    return dict(tags)


def test_article_page_has_open_graph_and_description(client, content):
    article = content["published"]
    meta = _meta(client.get(article.get_absolute_url()).content.decode())
    assert meta["description"] == "谁在打电话，怎么核实，怎么应对。"
    assert meta["og:type"] == "article"
    assert meta["og:title"] == meta["twitter:title"] == "测试贷催收电话是哪里打来的"
    assert meta["og:description"] == meta["twitter:description"] == meta["description"]
    assert meta["og:url"] == f"{BASE}{article.get_absolute_url()}"
    assert meta["og:site_name"] == "催收电话知识库"
    assert meta["og:locale"] == "zh_CN"
    assert meta["twitter:card"] == "summary"
    assert "robots" not in meta


def test_other_pages_get_general_open_graph_tags(client, content):
    home = _meta(client.get("/").content.decode())
    assert home["og:type"] == "website"
    assert home["og:url"] == f"{BASE}/"
    assert home["description"]
    lender = _meta(client.get(content["lender"].get_absolute_url()).content.decode())
    assert "测试贷" in lender["og:title"]
    assert lender["description"] == "测试用的借贷产品。"
    guide = _meta(client.get("/zh-hant/guides/scam-calls/").content.decode())
    assert guide["og:locale"] == "zh_TW"
    assert guide["og:url"] == f"{BASE}/zh-hant/guides/scam-calls/"


def test_head_links_the_feeds_of_the_readers_variant(client, content):
    html = client.get("/").content.decode()
    assert '<link rel="alternate" type="application/atom+xml"' in html
    assert 'href="/feeds/articles.atom"' in html and 'href="/feeds/articles.rss"' in html
    hant = client.get(f"/zh-hant{content['published'].get_absolute_url()}").content.decode()
    assert 'href="/zh-hant/feeds/articles.atom"' in hant


def test_atom_feed_is_xml_and_lists_only_published_articles(client, content):
    response = client.get("/feeds/articles.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["测试贷催收电话是哪里打来的"]
    entry = entries[0]
    assert entry.find(f"{ATOM}link").get("href") == (
        f"{BASE}{content['published'].get_absolute_url()}"
    )
    assert entry.findtext(f"{ATOM}updated")
    assert entry.findtext(f"{ATOM}summary") == "谁在打电话，怎么核实，怎么应对。"


def test_rss_feed_is_xml_and_lists_only_published_articles(client, content):
    response = client.get("/feeds/articles.rss")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    titles = [item.findtext("title") for item in root.iter("item")]
    assert titles == ["测试贷催收电话是哪里打来的"]


def test_feeds_exist_per_variant(client, content):
    root = ET.fromstring(client.get("/zh-hant/feeds/articles.atom").content)
    entry = root.find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "測試貸催收電話是哪裡打來的"
    assert "/zh-hant/articles/" in entry.find(f"{ATOM}link").get("href")


def test_feed_lists_updated_articles_first(client, content):
    older = make_article("较早的文章")
    Article.objects.filter(pk=older.pk).update(
        updated_at=content["published"].updated_at - datetime.timedelta(days=3)
    )
    root = ET.fromstring(client.get("/feeds/articles.atom").content)
    titles = [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")]
    assert titles == ["测试贷催收电话是哪里打来的", "较早的文章"]


def test_feed_survives_control_characters_in_stored_text(client):
    make_article("标题\x0b里有控制字符", summary="摘要\x1f")
    response = client.get("/feeds/articles.atom")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.find(f"{ATOM}entry").findtext(f"{ATOM}title") == "标题里有控制字符"


def test_lender_registry_is_not_in_sitemap_without_articles(client):
    assert Lender.objects.count() >= 20
    assert not any("/lenders/" in loc for loc in _sitemap(client))
