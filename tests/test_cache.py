"""kb/cache.py: fragments cached per variant and content version; every content edit retires them."""

import os
import subprocess
import sys

import pytest
from django.core.cache import cache
from django.db import transaction
from django.template import Context, RequestContext, Template
from django.test import RequestFactory, override_settings
from django.utils import translation

from articles.models import ConversionOverride, LenderAlias, OfficialNumber, Section
from kb import cache as kb_cache
from tests.factories import make_article, make_lender

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_version_file(tmp_path):
    # The version file is shared by every process using the data dir: keep this test's own.
    with override_settings(DATA_DIR=tmp_path):
        yield


TEMPLATE = Template(
    '{% load kbcache zh %}{% kbcache "titles" %}'
    "{% for article in articles %}{{ article.title|zh }};{% endfor %}{% endkbcache %}"
)


def _render(articles, language="zh-hans"):
    with translation.override(language):
        return TEMPLATE.render(Context({"articles": articles}))


def test_fragment_is_served_from_cache_until_content_changes():
    article = make_article(title="微粒贷催收电话")
    assert _render([article]) == "微粒贷催收电话;"

    # Unchanged content: the cached fragment wins even if the context differs.
    assert _render([]) == "微粒贷催收电话;"

    article.title = "微粒贷的催收电话"
    article.save()
    assert _render([article]) == "微粒贷的催收电话;"


def test_each_variant_has_its_own_fragment():
    article = make_article(title="微粒贷催收电话怎么办")
    assert _render([article], "zh-hans") == "微粒贷催收电话怎么办;"
    assert _render([article], "zh-hant") == "微粒貸催收電話怎麼辦;"
    assert _render([], "zh-hans") == "微粒贷催收电话怎么办;"


@pytest.mark.parametrize(
    "edit",
    [
        "article_delete",
        "section_save",
        "section_delete",
        "lender_save",
        "alias_save",
        "number_save",
        "number_delete",
        "override_save",
    ],
)
def test_every_content_edit_bumps_the_version(edit):
    lender = make_lender(name="测试花呗")
    article = make_article(lender=lender)
    number = OfficialNumber.objects.create(lender=lender, number="95188", source_name="官网")
    before = kb_cache.content_version()

    if edit == "article_delete":
        article.delete()
    elif edit == "section_save":
        section = article.sections.get()
        section.body = "新的正文。"
        section.save()
    elif edit == "section_delete":
        Section.objects.filter(article=article).get().delete()
    elif edit == "lender_save":
        lender.description = "新简介"
        lender.save()
    elif edit == "alias_save":
        LenderAlias.objects.create(lender=lender, name="花呗测试别名")
    elif edit == "number_save":
        number.purpose = "催收核实"
        number.save()
    elif edit == "number_delete":
        number.delete()
    elif edit == "override_save":
        ConversionOverride.objects.create(hans="测试词", hant="測試詞")

    assert kb_cache.content_version() != before


def test_feedback_does_not_retire_fragments():
    article = make_article()
    before = kb_cache.content_version()
    article.feedback.create(helpful=True)
    assert kb_cache.content_version() == before


def test_the_version_is_bumped_again_when_the_edit_commits(django_capture_on_commit_callbacks):
    article = make_article()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with transaction.atomic():
            article.title = "改过的标题"
            article.save()
        during = kb_cache.content_version()
    for callback in callbacks:
        callback()
    # A request that read the old rows between save and commit may have cached them under
    # `during`; that version must not stay current.
    assert kb_cache.content_version() != during


def test_a_fragment_is_stored_under_the_version_read_when_the_request_began():
    article = make_article(title="开始时的标题")
    request = RequestFactory().get("/")
    kb_cache.ContentVersionMiddleware(lambda r: None)(request)
    began = request.kb_content_version

    article.title = "中途改过的标题"
    article.save()  # an edit lands while the request is rendering

    with translation.override("zh-hans"):
        html = TEMPLATE.render(RequestContext(request, {"articles": [article]}))
    assert html == "中途改过的标题;"
    assert cache.get(kb_cache.fragment_key("titles", variant="zh-hans", version=began)) == html
    assert cache.get(kb_cache.fragment_key("titles", variant="zh-hans")) is None


def test_a_fragment_holding_a_csrf_token_is_never_cached():
    template = Template('{% load kbcache %}{% kbcache "form" %}{% csrf_token %}{% endkbcache %}')
    first = template.render(RequestContext(RequestFactory().get("/")))
    second = template.render(RequestContext(RequestFactory().get("/")))
    assert 'name="csrfmiddlewaretoken"' in first
    assert first != second  # each reader gets a token of their own


def test_cached_fragment_renders_once_per_version():
    calls = []

    def render():
        calls.append(1)
        return f"<ul>{len(calls)}</ul>"

    assert kb_cache.cached_fragment("lenders", 7, render=render) == "<ul>1</ul>"
    assert kb_cache.cached_fragment("lenders", 7, render=render) == "<ul>1</ul>"
    assert kb_cache.cached_fragment("lenders", 8, render=render) == "<ul>2</ul>"
    kb_cache.bump_content_version()
    assert kb_cache.cached_fragment("lenders", 7, render=render) == "<ul>3</ul>"


@override_settings(KB_CACHE_SECONDS=0)
def test_caching_can_be_switched_off():
    article = make_article(title="第一版")
    assert _render([article]) == "第一版;"
    assert _render([]) == ""


def test_without_a_shared_cache_the_version_is_shared_through_a_file(tmp_path):
    # Another process (another gunicorn worker) sees the version this one wrote.
    mine = kb_cache.bump_content_version()
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); "
            "from kb.cache import content_version; print(content_version())",
        ],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "KB_DATA_DIR": str(tmp_path)},
    )
    assert result.stdout.strip() == mine
    assert (tmp_path / "content-version").read_text() == mine


def test_with_a_shared_cache_the_version_lives_in_it(tmp_path):
    shared = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path),
        }
    }
    with override_settings(CACHES=shared):
        first = kb_cache.content_version()
        assert cache.get(kb_cache.VERSION_KEY) == first
        assert kb_cache.content_version() == first
        make_article()
        assert cache.get(kb_cache.VERSION_KEY) != first
