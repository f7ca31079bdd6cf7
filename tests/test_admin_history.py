"""An article's history in the admin: restoring an old version never changes who can see the
article unless the reviewer chooses so; each version says what changed, from → to; any two
versions can be compared, section by section."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article
from tests.admin_pages import (
    change_url,
    form_data_from,
    history_url,
    make_article,
    messages_of,
    ready_article,
    text_of,
    version_links,
)

pytestmark = pytest.mark.django_db


def reader_status(article) -> int:
    return Client().get(article.get_absolute_url()).status_code


def save(client, article, **changes):
    data = form_data_from(client.get(change_url(article)))
    data.update(changes)
    response = client.post(change_url(article), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    article.refresh_from_db()


def published_with_a_draft_past(reviewer_client) -> Article:
    """Written as a draft (first version), published, then its text changed."""
    article = ready_article(
        title="微粒贷催收电话是谁打的",
        sections=[("origin", "来源", "最早的草稿正文。")],
    )
    save(reviewer_client, article, summary="最早的摘要。")
    save(reviewer_client, article, _publish="保存并发布")
    save(reviewer_client, article, **{"sections-0-body": "发布后改过的正文。"})
    assert article.status == Article.Status.PUBLISHED
    return article


def compare_url(article, old, new) -> str:
    url = reverse("admin:articles_article_compare", args=[article.pk])
    return f"{url}?old={old}&new={new}"


def version_ids(client, article) -> list[int]:
    return [int(link.rstrip("/").rsplit("/", 1)[1]) for link in version_links(client, article)]


# Restore


def test_restoring_an_old_draft_version_keeps_a_published_article_published(reviewer_client):
    article = published_with_a_draft_past(reviewer_client)
    published_at, slug = article.published_at, article.slug
    first_draft = version_links(reviewer_client, article)[-2]  # the oldest is the baseline

    page = reviewer_client.get(first_draft)
    assert "最早的草稿正文" in page.content.decode()
    response = reviewer_client.post(first_draft, form_data_from(page), follow=True)

    message = " ".join(messages_of(response))
    assert re.search(r"已恢复 \d{4} 年 \d+ 月 \d+ 日 \d\d:\d\d 的版本；文章仍为已发布", message)
    article.refresh_from_db()
    assert article.sections.get().body == "最早的草稿正文。"
    assert article.status == Article.Status.PUBLISHED
    assert (article.published_at, article.slug) == (published_at, slug)
    assert reader_status(article) == 200
    assert "最早的草稿正文" in Client().get(article.get_absolute_url()).content.decode()


def test_the_restore_page_asks_who_may_see_it_with_keep_as_the_default(reviewer_client):
    article = published_with_a_draft_past(reviewer_client)
    page = reviewer_client.get(version_links(reviewer_client, article)[-2])
    html = text_of(page.content.decode())
    assert "恢复后谁能看到" in html
    assert "保持现在的状态：已发布（读者照常可以看到）" in html
    assert "改为这个版本当时的状态：草稿（读者将看不到这篇文章，他们的链接会打不开）" in html
    assert page.context["adminform"].form["restore_status"].value() == "keep"
    assert 'name="status"' not in page.content.decode()


def test_restore_takes_the_versions_status_only_when_chosen(reviewer_client):
    article = published_with_a_draft_past(reviewer_client)
    first_draft = version_links(reviewer_client, article)[-2]
    data = form_data_from(reviewer_client.get(first_draft))
    data["restore_status"] = "version"
    response = reviewer_client.post(first_draft, data, follow=True)
    assert "文章改为草稿，读者已看不到" in " ".join(messages_of(response))
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert reader_status(article) == 404


def test_a_version_unfit_for_readers_cannot_be_restored_over_a_live_article(reviewer_client):
    # Imported without a summary (the baseline), then completed and published.
    article = ready_article(title="导入后补全的文章", summary="")
    save(reviewer_client, article, summary="补上的摘要。", _publish="保存并发布")
    baseline = version_links(reviewer_client, article)[-1]

    response = reviewer_client.post(baseline, form_data_from(reviewer_client.get(baseline)))
    assert response.status_code == 200
    assert "不能发布：还没有摘要" in response.content.decode()
    article.refresh_from_db()
    assert article.summary == "补上的摘要。" and article.status == Article.Status.PUBLISHED

    data = form_data_from(reviewer_client.get(baseline))
    data["restore_status"] = "version"  # withdrawn with it: allowed
    assert reviewer_client.post(baseline, data).status_code == 302
    article.refresh_from_db()
    assert article.summary == "" and article.status == Article.Status.DRAFT


def test_restore_of_an_unknown_version_is_404(reviewer_client):
    article = ready_article()
    url = reverse("admin:articles_article_revision", args=[article.pk, 999999])
    assert reviewer_client.get(url).status_code == 404


# History


def test_history_shows_each_field_from_to_and_each_section_change(reviewer_client):
    article = make_article(title="历史测试", sections=[("origin", "来源", "原文。")])
    save(reviewer_client, article, summary="新的摘要。")
    save(
        reviewer_client,
        article,
        lender=str(Article._meta.get_field("lender").related_model.objects.get(name="借呗").pk),
        _submit="保存并提交审核",
    )
    save(reviewer_client, article, **{"sections-0-heading": "来电来源", "sections-0-body": "改了"})

    page = text_of(reviewer_client.get(history_url(article)).content.decode())
    assert "摘要：（空） → 新的摘要。" in page
    assert "借贷产品：（无） → 借呗" in page
    assert "段落小标题「来源」→「来电来源」" in page
    assert "段落「来电来源」的正文已修改" in page
    assert "提交审核" in page
    # Django's own change message ("已修改 摘要。") said which field, never from what to what.
    assert "已修改 摘要" not in page and "已修改 状态" not in page


def test_history_of_a_bulk_publish_says_status_from_to(editor_client, reviewer_client):
    article = ready_article(title="批量发布")
    save(editor_client, article, _submit="保存并提交审核")
    reviewer_client.post(
        "/admin/articles/article/", {"action": "publish", "_selected_action": [article.pk]}
    )
    page = text_of(reviewer_client.get(history_url(article)).content.decode())
    assert "状态：草稿 → 待审核" in page
    assert "状态：待审核 → 已发布" in page
    assert "发布时间：（无） →" in page


# Compare


def test_comparing_two_versions_shows_removed_and_added_text_escaped(reviewer_client):
    article = make_article(
        title="比较测试",
        sections=[
            ("origin", "来源", "第一行不变。\n催收员会在白天打电话。\n最后一行不变。"),
            ("risks", "风险", "这一段会被删掉。"),
        ],
    )
    data = form_data_from(reviewer_client.get(change_url(article)))
    data.update(
        {
            "sections-0-body": "第一行不变。\n催收员会在深夜打电话<script>x</script>。\n最后一行不变。",
            "sections-1-DELETE": "on",
            "sections-2-kind": "coping",
            "sections-2-heading": "应对",
            "sections-2-body": "新加的应对方法。",
            "sections-TOTAL_FORMS": "3",
        }
    )
    assert reviewer_client.post(change_url(article), data).status_code == 302
    newest, oldest = (
        version_ids(reviewer_client, article)[0],
        version_ids(reviewer_client, article)[-1],
    )

    history = reviewer_client.get(history_url(article)).content.decode()
    assert "比较所选的两个版本" in history

    response = reviewer_client.get(compare_url(article, oldest, newest))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<del>白天</del><ins>深夜</ins>" in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "<script>x" not in html
    page = text_of(html)
    assert "【删除】风险" in page and "这一段会被删掉。" in page
    assert "【新增】应对" in page and "新加的应对方法。" in page
    assert "旧版本" in page and "新版本" in page
    # Either order of the two choices gives old → new.
    swapped = reviewer_client.get(compare_url(article, newest, oldest)).content.decode()
    assert comparison(swapped) == comparison(html)


def comparison(html: str) -> str:
    return html[html.index('class="version-compare"') : html.index("返回历史")]


def test_compare_refuses_bad_choices_in_chinese(reviewer_client):
    article = make_article(title="比较一")
    other = make_article(title="比较二")
    save(reviewer_client, article, summary="改了")
    save(reviewer_client, other, summary="也改了")
    mine = version_ids(reviewer_client, article)
    theirs = version_ids(reviewer_client, other)
    for query in (
        f"?old={mine[0]}&new={theirs[0]}",  # another article's version
        f"?old={mine[0]}&new={mine[0]}",
        "?old=abc&new=<script>",
        "?old=99999999999999999999999&new=1",
        "",
    ):
        url = reverse("admin:articles_article_compare", args=[article.pk]) + query
        response = reviewer_client.get(url, follow=True)
        assert response.status_code == 200
        assert "请在下面的列表里选两个不同的版本再比较" in " ".join(messages_of(response))


def test_compare_is_for_staff_only(reviewer_client):
    article = make_article(title="不给外人看")
    save(reviewer_client, article, summary="改了")
    ids = version_ids(reviewer_client, article)
    response = Client().get(compare_url(article, ids[-1], ids[0]))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_browser_s_crlf_line_ends_are_not_a_change(reviewer_client):
    article = make_article(title="换行", sections=[("origin", "来源", "第一段。\n\n第二段。")])
    data = form_data_from(reviewer_client.get(change_url(article)))
    data["sections-0-body"] = data["sections-0-body"].replace("\n", "\r\n")  # as browsers post
    data["summary"] = "摘要第一行\r\n第二行"
    save(reviewer_client, article, **data)
    assert article.sections.get().body == "第一段。\n\n第二段。"
    assert article.summary == "摘要第一行\n第二行"
    page = text_of(reviewer_client.get(history_url(article)).content.decode())
    assert "正文已修改" not in page


def test_a_made_up_version_address_is_404_not_a_crash(reviewer_client):
    article = ready_article()
    for version in ("99999999999999999999999", "0"):
        url = f"/admin/articles/article/{article.pk}/history/{version}/"
        assert reviewer_client.get(url).status_code == 404
    assert reviewer_client.get("/admin/articles/article/abc/history/1/").status_code == 404
