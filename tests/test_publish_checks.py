"""An article unfit for readers (no summary, no section with text, no lender, an unresolved
import problem) is published by no path: the article page's select and button, the list
action, a restore, the importer's --publish, load_demo. The refusal says what is missing."""

from contextlib import suppress
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from articles.demo_content import DemoContentError, load_demo
from articles.models import Article, Lender
from articles.workflow import publish_refusal
from tests.admin_pages import (
    ADD_URL,
    LIST_URL,
    change_url,
    form_data_from,
    make_article,
    messages_of,
    ready_article,
    text_of,
)

pytestmark = pytest.mark.django_db

EVERYTHING_MISSING = (
    "《只有标题》不能发布：还没有摘要（请写一两句话，读者在搜索结果和列表里先看到它）；"
    "还没有写了正文的段落（至少要有一段正文）；"
    "还没有选借贷产品（适用于各家的文章请勾选“通用文章”）。"
)


def title_only() -> Article:
    return make_article(title="只有标题", sections=[])


def reader_status(article) -> int:
    return Client().get(article.get_absolute_url()).status_code


# What the check asks


def test_the_refusal_names_everything_missing():
    assert publish_refusal(title_only()) == EVERYTHING_MISSING


def test_a_section_with_only_whitespace_is_not_a_section():
    article = ready_article(sections=[("origin", "来源", " \n\u3000 ")])
    assert "还没有写了正文的段落" in publish_refusal(article)


def test_unresolved_import_flags_are_counted():
    article = ready_article(import_flags=[{"code": "lost_chars", "message": "乱码"}])
    assert "还有 1 个导入问题未处理" in publish_refusal(article)


def test_a_general_article_needs_no_lender():
    assert publish_refusal(ready_article(lender=None, general=True)) is None
    assert "借贷产品" in publish_refusal(ready_article(lender=None))


# The article page


def test_the_status_select_cannot_publish_a_title_only_article(reviewer_client):
    article = title_only()
    data = form_data_from(reviewer_client.get(change_url(article)))
    data["status"] = "published"
    response = reviewer_client.post(change_url(article), data)
    assert response.status_code == 200
    assert EVERYTHING_MISSING in text_of(response.content.decode())
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_the_publish_button_cannot_publish_a_title_only_article(reviewer_client):
    article = title_only()
    data = form_data_from(reviewer_client.get(change_url(article)))
    response = reviewer_client.post(change_url(article), {**data, "_publish": "保存并发布"})
    assert response.status_code == 200
    assert "不能发布" in response.content.decode()
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_a_new_article_with_only_a_title_cannot_be_published_on_creation(reviewer_client):
    data = {
        "title": "只有标题",
        "lender": "",
        "summary": "",
        "status": "published",
        "slug": "",
        "script": "hans",
        "source": "原创",
        "sections-TOTAL_FORMS": "0",
        "sections-INITIAL_FORMS": "0",
        "sections-MIN_NUM_FORMS": "0",
        "sections-MAX_NUM_FORMS": "1000",
    }
    response = reviewer_client.post(ADD_URL, data)
    assert response.status_code == 200
    assert EVERYTHING_MISSING in text_of(response.content.decode())
    assert not Article.objects.exists()


def test_emptying_a_published_article_is_refused(reviewer_client):
    article = ready_article(title="已发布", status=Article.Status.PUBLISHED)
    data = form_data_from(reviewer_client.get(change_url(article)))
    data.update({"summary": "", "sections-0-DELETE": "on"})
    response = reviewer_client.post(change_url(article), data)
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.summary and article.sections.exists()


def test_the_page_publishes_once_the_sections_in_the_same_post_have_text(reviewer_client):
    article = make_article(title="同一次提交补全", sections=[])
    data = form_data_from(reviewer_client.get(change_url(article)))
    data.update(
        {
            "summary": "补上摘要。",
            "lender": str(Lender.objects.get(name="花呗").pk),
            "sections-TOTAL_FORMS": "1",
            "sections-0-kind": "coping",
            "sections-0-heading": "应对",
            "sections-0-body": "补上正文。",
            "_publish": "保存并发布",
        }
    )
    assert reviewer_client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert reader_status(article) == 200


# The list action


def test_the_list_action_publishes_the_fit_and_says_why_not_for_the_rest(reviewer_client):
    empty, fit = title_only(), ready_article(title="合格的文章")
    response = reviewer_client.post(
        LIST_URL, {"action": "publish", "_selected_action": [empty.pk, fit.pk]}, follow=True
    )
    shown = " ".join(messages_of(response))
    assert "已发布 1 篇文章" in shown
    assert EVERYTHING_MISSING in shown
    empty.refresh_from_db()
    fit.refresh_from_db()
    assert empty.status == Article.Status.DRAFT and fit.status == Article.Status.PUBLISHED
    assert reader_status(empty) == 404


# The importer


def document(slug: str, summary: str = "", lender: str = "微粒贷", body: str = "正文。") -> str:
    lines = ["---", "title: 导入的文章", f"slug: {slug}", "status: published"]
    if summary:
        lines.append(f"summary: {summary}")
    if lender:
        lines.append(f"lender: {lender}")
    return "\n".join([*lines, "---", "", "<!-- section: coping -->", "## 应对", "", body, ""])


def run_import(tmp_path, name: str, text: str) -> tuple[str, str]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    out, err = StringIO(), StringIO()
    with suppress(CommandError):  # a failed file: the report says why
        call_command("import_articles", str(path), "--publish", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_with_publish_holds_an_article_without_a_summary_for_review(tmp_path):
    out, _err = run_import(tmp_path, "a.md", document("daoru-wenzhang"))
    article = Article.objects.get(slug="daoru-wenzhang")
    assert article.status == Article.Status.REVIEW
    assert "没有发布：还没有摘要" in out
    assert reader_status(article) == 404


def test_import_with_publish_publishes_a_complete_document(tmp_path):
    run_import(tmp_path, "a.md", document("wanzheng", summary="完整的摘要。"))
    article = Article.objects.get(slug="wanzheng")
    assert article.status == Article.Status.PUBLISHED


def test_import_with_publish_never_empties_a_live_article(tmp_path):
    live = ready_article(title="线上的文章", slug="xianshang", status=Article.Status.PUBLISHED)
    _out, err = run_import(tmp_path, "a.md", document("xianshang", body=""))
    assert "已发布，文件里的版本不能发布" in err and "已保持原样" in err
    live.refresh_from_db()
    assert live.status == Article.Status.PUBLISHED and live.title == "线上的文章"
    assert reader_status(live) == 200


# load_demo


def test_load_demo_refuses_a_published_demo_file_without_a_summary(tmp_path):
    (tmp_path / "kong.md").write_text(document("kong-demo"), encoding="utf-8")
    with pytest.raises(DemoContentError, match="kong.md：《导入的文章》不能发布：还没有摘要"):
        load_demo(tmp_path)
    assert not Article.objects.filter(slug="kong-demo").exists()


def test_every_demo_article_passes_the_checks():
    load_demo()
    for article in Article.objects.published():
        assert publish_refusal(article) is None, article.slug
