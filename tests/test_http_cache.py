"""Whole pages cached in front of the site (kb/middleware.py, docs/deployment.md): what is
public, what stays private, revalidation with 304, and forms that work from a cached copy."""

import json
import re

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from articles.models import Feedback, NumberReport
from tests.admin_pages import change_url, form_data_from
from tests.factories import make_article, make_lender, make_number

pytestmark = pytest.mark.django_db

PUBLIC = "public, max-age=0, s-maxage=60, stale-while-revalidate=300, stale-if-error=86400"
PRIVATE = "private, no-store"
THIS_SITE = {"origin": "http://testserver", "sec-fetch-site": "same-origin"}


@pytest.fixture(autouse=True)
def _private_version_file(tmp_path):
    with override_settings(DATA_DIR=tmp_path):
        yield


@pytest.fixture
def site(build_index):
    lender = make_lender("缓存页贷", operator="缓存页银行")
    make_number(lender, "95012")
    article = make_article(
        "缓存页贷催收电话",
        lender=lender,
        summary="缓存页贷的摘要。",
        sections=[("coping", "怎么应对", "缓存页贷的催收电话要先核实。")],
    )
    build_index()
    return lender, article


def _public_urls(lender, article):
    return [
        "/",
        "/lenders/",
        lender.get_absolute_url(),
        article.get_absolute_url(),
        "/search/?q=缓存页贷",
        "/api/search/?q=缓存页贷",
        "/api/suggest/?q=缓存",
    ]


def _vary(response) -> set[str]:
    return {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}


# What is public


def test_every_reader_page_and_api_answer_is_public_with_an_etag(site):
    for url in _public_urls(*site):
        response = Client().get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == PUBLIC, url
        assert re.fullmatch(r'W/"[0-9a-f]{24}"', response["ETag"]), url
        assert "cookie" in _vary(response), url
        assert not response.cookies, url  # nothing a shared cache would hand to everyone


def test_only_unprefixed_pages_vary_on_the_browsers_language(site):
    lender, article = site
    for url in ("/", article.get_absolute_url(), "/search/?q=缓存页贷"):
        # Unprefixed: a traditional browser or cookie is redirected to /zh-hant/, others not.
        assert _vary(Client().get(url)) == {"accept-language", "cookie"}, url
        # Prefixed: the URL alone says the variant.
        assert _vary(Client().get(f"/zh-hant{url}")) == {"cookie"}, url


def test_the_api_varies_on_the_browsers_language_only_without_lang(site):
    assert _vary(Client().get("/api/search/?q=缓存页贷")) == {"accept-language", "cookie"}
    assert _vary(Client().get("/api/search/?q=缓存页贷&lang=zh-hant")) == {"cookie"}
    assert _vary(Client().get("/api/suggest/?q=缓存&lang=zh-hans")) == {"cookie"}


def test_each_url_and_variant_has_its_own_etag(site):
    lender, article = site
    urls = _public_urls(lender, article)
    urls += [f"/zh-hant{url}" for url in urls[:5]] + ["/api/search/?q=缓存页贷&lang=zh-hant"]
    etags = {Client().get(url)["ETag"] for url in urls}
    assert len(etags) == len(urls)


def test_the_same_page_has_the_same_etag_for_every_reader(site):
    _, article = site
    first = Client().get(article.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-CN")
    second = Client().get(article.get_absolute_url(), HTTP_USER_AGENT="other")
    assert first["ETag"] == second["ETag"]
    assert first.content == second.content


# Revalidation


def test_a_matching_if_none_match_gets_304_without_running_the_view(site):
    _, article = site
    url = article.get_absolute_url()
    etag = Client().get(url)["ETag"]
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(url, headers={"if-none-match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert len(queries) == 0  # nothing rendered, nothing read
    assert response["ETag"] == etag and response["Cache-Control"] == PUBLIC
    # A strong copy of the tag, a list, and * match too (weak comparison).
    for header in (etag.removeprefix("W/"), f'"x", {etag}', "*"):
        assert Client().get(url, headers={"if-none-match": header}).status_code == 304


def test_search_and_api_answers_revalidate_too(site):
    for url in ("/search/?q=缓存页贷", "/api/search/?q=缓存页贷&lang=zh-hant"):
        etag = Client().get(url)["ETag"]
        assert Client().get(url, headers={"if-none-match": etag}).status_code == 304, url


def test_a_head_request_revalidates_like_a_get(site):
    _, article = site
    etag = Client().get(article.get_absolute_url())["ETag"]
    response = Client().head(article.get_absolute_url(), headers={"if-none-match": etag})
    assert response.status_code == 304


def test_an_old_etag_gets_the_page(site):
    _, article = site
    response = Client().get(article.get_absolute_url(), headers={"if-none-match": 'W/"old"'})
    assert response.status_code == 200 and "缓存页贷催收电话" in response.content.decode()


def test_an_editors_save_changes_the_etag_and_the_page(site, reviewer_client):
    _, article = site
    url = article.get_absolute_url()
    etag = Client().get(url)["ETag"]

    data = form_data_from(reviewer_client.get(change_url(article)))
    body = next(key for key, value in data.items() if key.endswith("-body") and "先核实" in value)
    data[body] = "缓存页贷的催收电话，改过的应对方法。"
    assert reviewer_client.post(change_url(article), data).status_code == 302

    response = Client().get(url, headers={"if-none-match": etag})
    assert response.status_code == 200
    assert "改过的应对方法" in response.content.decode()
    assert response["ETag"] != etag


def test_a_search_answer_changes_when_the_index_catches_up(site, build_index):
    lender, _ = site
    url = "/api/search/?q=缓存页贷&lang=zh-hans"
    first = Client().get(url)
    # Written to the index without a save this process saw (another worker, a queue drain):
    # the content version may not change, the index's generation does.
    make_article("缓存页贷第二篇", lender=lender)
    build_index()
    response = Client().get(url, headers={"if-none-match": first["ETag"]})
    assert response.status_code == 200
    assert json.loads(response.content)["total"] == 2


def test_an_editors_approval_changes_the_number_answer(site, editor_client):
    url = "/api/search/?q=13800138000&lang=zh-hans"
    Client().post("/number/report/", {"n": "13800138000", "said": "collection"})
    etag = Client().get(url)["ETag"]  # a reader's report waits for an editor: same answer
    assert Client().get(url, headers={"if-none-match": etag}).status_code == 304

    report = NumberReport.objects.get()
    editor_client.post(
        "/admin/articles/numberreport/", {"action": "show", "_selected_action": [report.pk]}
    )
    response = Client().get(url, headers={"if-none-match": etag})
    assert response.status_code == 200
    assert json.loads(response.content)["number"]["reports"][0]["count"] == 1


# What stays private


def test_nothing_is_public_for_a_signed_in_editor(site, editor_client):
    lender, article = site
    for url in _public_urls(lender, article):
        public_etag = Client().get(url)["ETag"]
        response = editor_client.get(url, headers={"if-none-match": public_etag})
        assert response.status_code == 200, url  # never a 304 from the public copy
        assert response["Cache-Control"] == PRIVATE, url
        assert not response.has_header("ETag"), url


def test_a_page_showing_a_message_is_private(site):
    _, article = site
    url = article.get_absolute_url()
    reader = Client()
    etag = reader.get(url)["ETag"]
    response = reader.post(f"{url}feedback/", {"vote": "yes"})
    assert response.status_code == 302 and response["Cache-Control"] == PRIVATE
    # The browser revalidates its copy; the answer carries the thanks, for this reader only.
    response = reader.get(url, headers={"if-none-match": etag})
    assert response.status_code == 200
    assert "谢谢你的反馈" in response.content.decode()
    assert response["Cache-Control"] == PRIVATE and not response.has_header("ETag")


@pytest.mark.parametrize(
    ("method", "url", "status"),
    [
        ("get", "/admin/login/", 200),
        ("get", "/healthz", 200),
        ("get", "/articles/no-such-article/", 404),
        ("get", "/zh-hant/articles/no-such-article/", 404),
        ("get", "/number/?n=95012", 200),
        ("post", "/i18n/setlang/?language=zh-hant", 302),
        ("post", "/number/report/", 400),
        ("get", "/search/?q=缓存页贷&page=abc", 400),
        ("get", "/search/?q=缓存页贷&page=3", 400),
        ("get", "/api/search/?q=缓存页贷&lender=nobody", 400),
    ],
)
def test_other_answers_are_never_cached(site, method, url, status):
    path, _, query = url.partition("?")
    if method == "post":
        response = Client().post(path, dict([query.split("=")]) if query else {}, headers=THIS_SITE)
    else:
        response = Client().get(url)
    assert response.status_code == status, url
    assert "no-store" in response["Cache-Control"], url
    assert "public" not in response["Cache-Control"], url
    assert not response.has_header("ETag"), url


def test_a_search_while_the_index_is_recovering_is_not_cached(site, search_index):
    import shutil

    shutil.rmtree(search_index)
    from articles.search import searching

    searching.reset()
    for url in ("/search/?q=缓存页贷", "/api/search/?q=缓存页贷"):
        response = Client().get(url)
        assert response.status_code == 503, url
        assert response["Cache-Control"] == "no-store", url


# Forms on a cached page


def _form(html: str, action: str) -> str:
    match = re.search(rf'<form[^>]*action="{re.escape(action)}".*?</form>', html, re.S)
    assert match, f"no form posting to {action}"
    return match.group()


def test_the_feedback_form_works_from_a_page_cached_for_someone_else(site):
    _, article = site
    cached = Client().get(article.get_absolute_url())  # what the CDN keeps
    assert cached["Cache-Control"] == PUBLIC
    form = _form(cached.content.decode(), f"{article.get_absolute_url()}feedback/")
    assert "csrfmiddlewaretoken" not in form

    reader = Client(enforce_csrf_checks=True)  # another reader: no cookie, Django's checks on
    response = reader.post(
        f"{article.get_absolute_url()}feedback/",
        {"vote": "yes", "comment": "有用"},
        headers=THIS_SITE,
        follow=True,
    )
    assert response.status_code == 200
    assert "谢谢你的反馈" in response.content.decode()
    assert Feedback.objects.get().comment == "有用"


def test_the_report_form_works_from_a_cached_search_answer(site):
    cached = Client().get("/search/", {"q": "021-12345678"})
    assert cached["Cache-Control"] == PUBLIC
    form = _form(cached.content.decode(), "/number/report/")
    assert "csrfmiddlewaretoken" not in form
    digits = re.search(r'name="n" value="(\d+)"', form).group(1)

    reader = Client(enforce_csrf_checks=True)
    response = reader.post(
        "/number/report/", {"n": digits, "said": "collection"}, headers=THIS_SITE, follow=True
    )
    assert response.status_code == 200
    assert "报告已收到" in response.content.decode()
    assert NumberReport.objects.get().digits == "02112345678"


def test_the_variant_toggle_works_from_a_cached_page(site):
    _, article = site
    cached = Client().get(article.get_absolute_url())
    form = _form(cached.content.decode(), "/i18n/setlang/")
    assert "csrfmiddlewaretoken" not in form
    reader = Client(enforce_csrf_checks=True)
    response = reader.post(
        "/i18n/setlang/",
        {"language": "zh-hant", "next": f"/zh-hant{article.get_absolute_url()}"},
        headers=THIS_SITE,
    )
    assert response.status_code == 302
    assert reader.cookies["django_language"].value == "zh-hant"


def test_a_toggle_post_from_another_site_changes_nothing(site):
    reader = Client(enforce_csrf_checks=True)
    response = reader.post(
        "/i18n/setlang/",
        {"language": "zh-hant", "next": "/"},
        headers={"origin": "https://evil.example"},
    )
    assert response.status_code == 403
    assert "django_language" not in reader.cookies


def test_search_etags_need_no_index_directory(settings):
    from articles.search import views

    es = {"ENGINE": "kb.elasticsearch_engine.ChineseElasticsearchEngine", "URL": "http://x"}
    settings.HAYSTACK_CONNECTIONS = {"default": es}
    assert views._index_generation(None) == "-"  # Elasticsearch: the content version alone
