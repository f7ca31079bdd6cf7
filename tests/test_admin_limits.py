"""Every admin search and every free-text lender field has a length limit."""

import pytest
from axes.models import AccessAttempt
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.admin.search import MAX_SEARCH_CHARS
from articles.forms import MAX_LENDER_DESCRIPTION_CHARS
from articles.models import ConversionOverride, Feedback, Lender, SearchMiss, SignIn, Synonym
from tests.factories import make_article
from tests.test_admin import form_data_from, messages_of

pytestmark = pytest.mark.django_db

NEVER = "绝不会出现的词"


@pytest.fixture
def chief_client(admin_client):
    return admin_client


def _rows(admin_user):
    article = make_article(title="限长测试文章")
    Feedback.objects.create(article=article, helpful=False, comment="限长留言")
    AccessAttempt.objects.create(
        username="xianchang", ip_address="203.0.113.7", user_agent="ua", failures_since_start=1
    )
    SignIn.objects.create(username="xianchang", outcome=SignIn.Outcome.WRONG_PASSWORD)
    ConversionOverride.objects.create(hans="限长词", hant="限長詞")
    Synonym.objects.create(terms="限长甲, 限长乙")
    SearchMiss.objects.create(query="限长搜索")
    return {
        "/admin/articles/conversionoverride/": "限长词",
        "/admin/articles/synonym/": "限长甲",
        "/admin/articles/searchmiss/": "限长搜索",
        "/admin/articles/feedback/": "限长留言",
        "/admin/articles/article/": "限长测试文章",
        "/admin/articles/lender/": "微粒贷",
        "/admin/auth/user/": admin_user.username,
        "/admin/auth/group/": "编辑",
        "/admin/axes/accessattempt/": "xianchang",
        "/admin/articles/signin/": "xianchang",
    }


def test_every_admin_list_searches_only_the_first_100_characters(chief_client, admin_user):
    for url, word in _rows(admin_user).items():
        # Beyond the limit comes a word no row has: it must not take part in the search.
        query = word.ljust(MAX_SEARCH_CHARS) + NEVER
        response = chief_client.get(url, {"q": query})
        assert response.status_code == 200, url
        assert response.context["cl"].result_count >= 1, url
        assert f"搜索词太长，只按前 {MAX_SEARCH_CHARS} 个字搜索。" in messages_of(response), url


def test_a_search_within_the_limit_is_used_whole(chief_client, admin_user):
    _rows(admin_user)
    response = chief_client.get("/admin/articles/synonym/", {"q": f"限长甲 {NEVER}"})
    assert response.context["cl"].result_count == 0
    assert messages_of(response) == []


def test_a_huge_admin_search_stays_a_small_sql_statement(chief_client):
    huge = " ".join(["催收"] * 50_000)
    with CaptureQueriesContext(connection) as queries:
        response = chief_client.get("/admin/articles/article/", {"q": huge})
    assert response.status_code == 200
    assert max(len(query["sql"]) for query in queries.captured_queries) < 60_000


def _lender_form(chief_client, lender):
    url = f"/admin/articles/lender/{lender.pk}/change/"
    return url, form_data_from(chief_client.get(url))


def test_a_lender_description_longer_than_the_limit_is_refused(chief_client):
    lender = Lender.objects.get(slug="weilidai")
    before = lender.description
    url, data = _lender_form(chief_client, lender)
    data["description"] = "长" * (MAX_LENDER_DESCRIPTION_CHARS + 1)
    response = chief_client.post(url, data)
    assert response.status_code == 200  # the form again, with the reason
    errors = response.context["adminform"].form.errors["description"]
    assert f"{MAX_LENDER_DESCRIPTION_CHARS}" in errors[0]
    assert "字符" in errors[0]
    assert f'maxlength="{MAX_LENDER_DESCRIPTION_CHARS}"' in response.content.decode()
    lender.refresh_from_db()
    assert lender.description == before


def test_a_lender_description_at_the_limit_is_saved(chief_client):
    lender = Lender.objects.get(slug="weilidai")
    url, data = _lender_form(chief_client, lender)
    data["description"] = "长" * MAX_LENDER_DESCRIPTION_CHARS
    response = chief_client.post(url, data)
    assert response.status_code == 302
    lender.refresh_from_db()
    assert lender.description == "长" * MAX_LENDER_DESCRIPTION_CHARS
