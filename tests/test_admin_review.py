"""The review step, through the real admin: editors submit, reviewers (审核) publish or send
back with a note, and nobody without the role puts an article in front of readers."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client

from articles.editors import EDITOR_GROUP, REVIEWER_GROUP, needs_second_factor
from articles.models import Article
from tests.admin_pages import (
    LIST_URL,
    change_url,
    form_data_from,
    history_url,
    messages_of,
    ready_article,
    text_of,
    version_links,
)

pytestmark = pytest.mark.django_db

NOTE = "第二段的号码没有来源，请补上官网链接后再提交。"


def reader_status(article) -> int:
    return Client().get(article.get_absolute_url()).status_code


# The role


def test_migrate_installs_the_reviewer_group_with_the_right_to_publish():
    group = Group.objects.get(name=REVIEWER_GROUP)
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert "publish_article" in codenames and "change_article" in codenames
    editors = Group.objects.get(name=EDITOR_GROUP)
    assert not editors.permissions.filter(codename="publish_article").exists()


def test_create_editor_with_reviewer_grants_the_role_and_asks_for_a_second_factor(monkeypatch):
    answers = iter(["Qing-shui-77-bridge", "Qing-shui-77-bridge"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    out = call_command_output("create_editor", "老周", "--reviewer")
    assert "审核人" in out and "两步验证" in out
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="老周")
    assert set(user.groups.values_list("name", flat=True)) == {EDITOR_GROUP, REVIEWER_GROUP}
    assert user.has_perm("articles.publish_article")
    assert needs_second_factor(user)


def test_create_editor_reviewer_promotes_an_existing_editor(editor):
    out = call_command_output("create_editor", editor.username, "--reviewer")
    assert "审核人" in out
    editor.refresh_from_db()
    assert editor.groups.filter(name=REVIEWER_GROUP).exists()


def call_command_output(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


# An editor cannot publish, by any door


def test_an_editor_cannot_publish_by_choosing_published_in_the_form(editor_client):
    article = ready_article(title="编辑想直接发布")
    page = editor_client.get(change_url(article)).content.decode()
    assert '<option value="published"' not in page
    data = form_data_from(editor_client.get(change_url(article)))
    data["status"] = "published"  # a forged post
    response = editor_client.post(change_url(article), data)
    assert response.status_code == 200
    assert "只有审核人可以发布文章" in response.content.decode()
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert reader_status(article) == 404


def test_an_editor_cannot_publish_with_the_publish_button(editor_client):
    article = ready_article(title="编辑按发布按钮", status=Article.Status.REVIEW)
    data = form_data_from(editor_client.get(change_url(article)))
    response = editor_client.post(change_url(article), {**data, "_publish": "保存并发布"})
    assert response.status_code == 200
    assert "只有审核人可以发布文章" in response.content.decode()
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW


def test_an_editor_cannot_publish_from_the_list(editor_client):
    article = ready_article(title="编辑在列表里发布", status=Article.Status.REVIEW)
    listing = editor_client.get(LIST_URL).content.decode()
    assert 'value="publish"' not in listing
    editor_client.post(LIST_URL, {"action": "publish", "_selected_action": [article.pk]})
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW


def test_a_published_article_is_read_only_for_an_editor(editor_client):
    article = ready_article(title="已发布的文章", status=Article.Status.PUBLISHED)
    response = editor_client.get(change_url(article))
    page = response.content.decode()
    assert "只有审核人可以发布文章，或修改、撤回已发布的文章" in page
    assert 'name="title"' not in page and 'name="_save"' not in page
    data = form_data_from(response)
    data.update({"title": "编辑偷偷改的标题", "status": "draft"})
    assert editor_client.post(change_url(article), data).status_code == 403
    article.refresh_from_db()
    assert article.title == "已发布的文章" and article.status == Article.Status.PUBLISHED


def test_an_editor_cannot_withdraw_or_resubmit_a_published_article_from_the_list(editor_client):
    article = ready_article(title="列表里撤回", status=Article.Status.PUBLISHED)
    for action in ("withdraw", "submit_for_review"):
        response = editor_client.post(
            LIST_URL, {"action": action, "_selected_action": [article.pk]}, follow=True
        )
        assert "只有审核人可以" in " ".join(messages_of(response))
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert reader_status(article) == 200


def test_an_editor_cannot_restore_over_a_published_article(editor_client, reviewer_client):
    article = ready_article(title="恢复的文章", status=Article.Status.REVIEW)
    data = form_data_from(reviewer_client.get(change_url(article)))
    reviewer_client.post(change_url(article), {**data, "_publish": "保存并发布"})
    data = form_data_from(reviewer_client.get(change_url(article)))
    data["sections-0-body"] = "审核人改过的正文。"
    reviewer_client.post(change_url(article), data)
    oldest = version_links(reviewer_client, article)[-1]

    page = editor_client.get(oldest)
    assert 'name="_save"' not in page.content.decode()
    assert editor_client.post(oldest, form_data_from(page)).status_code == 403
    article.refresh_from_db()
    assert article.sections.get().body == "审核人改过的正文。"
    assert article.status == Article.Status.PUBLISHED


# Submitting, sending back, publishing


def test_an_editor_submits_and_the_reviewer_sees_it_waiting(editor_client, reviewer_client):
    article = ready_article(title="等待审核的文章")
    data = form_data_from(editor_client.get(change_url(article)))
    response = editor_client.post(
        change_url(article), {**data, "_submit": "保存并提交审核"}, follow=True
    )
    assert "已提交审核：《等待审核的文章》" in " ".join(messages_of(response))
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW
    waiting = reviewer_client.get(LIST_URL, {"status__exact": "review"})
    assert [a.title for a in waiting.context["cl"].result_list] == ["等待审核的文章"]
    page = reviewer_client.get(change_url(article)).content.decode()
    assert 'name="_publish"' in page and 'name="_send_back"' in page


def test_a_reviewer_sends_back_with_a_note_the_editor_sees_on_the_page_and_in_the_list(
    editor_client, reviewer_client
):
    article = ready_article(title="要退回的文章", status=Article.Status.REVIEW)
    data = form_data_from(reviewer_client.get(change_url(article)))
    data["review_note"] = NOTE
    response = reviewer_client.post(
        change_url(article), {**data, "_send_back": "退回修改"}, follow=True
    )
    assert "已把《要退回的文章》退回给编辑修改" in " ".join(messages_of(response))
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT and article.review_note == NOTE

    page = text_of(editor_client.get(change_url(article)).content.decode())
    assert "审核意见：请按意见修改" in page and NOTE in page
    listing = text_of(editor_client.get(LIST_URL).content.decode())
    assert "退回：第二段的号码没有来源" in listing
    history = editor_client.get(history_url(article))
    assert f"退回修改：{NOTE}" in text_of(history.content.decode())


def test_sending_back_without_a_note_is_refused(reviewer_client):
    article = ready_article(title="没写意见", status=Article.Status.REVIEW)
    data = form_data_from(reviewer_client.get(change_url(article)))
    response = reviewer_client.post(change_url(article), {**data, "_send_back": "退回修改"})
    assert response.status_code == 200
    assert "退回修改时请写明要改什么" in response.content.decode()
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW


def test_a_reviewer_publishes_with_the_button_and_the_note_is_cleared(reviewer_client):
    article = ready_article(title="改好了的文章", status=Article.Status.REVIEW, review_note=NOTE)
    data = form_data_from(reviewer_client.get(change_url(article)))
    response = reviewer_client.post(
        change_url(article), {**data, "_publish": "保存并发布"}, follow=True
    )
    assert "已发布《改好了的文章》，读者现在可以看到" in " ".join(messages_of(response))
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED and article.review_note == ""
    assert reader_status(article) == 200


def test_a_reviewer_may_publish_their_own_article(reviewer_client):
    article = ready_article(title="审核人自己写的")
    data = form_data_from(reviewer_client.get(change_url(article)))
    reviewer_client.post(change_url(article), {**data, "_publish": "保存并发布"})
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED


def test_an_administrator_may_publish(admin_client):
    article = ready_article(title="管理员发布")
    response = admin_client.post(
        LIST_URL, {"action": "publish", "_selected_action": [article.pk]}, follow=True
    )
    assert "已发布 1 篇文章" in " ".join(messages_of(response))
    assert reader_status(article) == 200


def test_enter_in_a_text_box_saves_rather_than_publishes(reviewer_client):
    article = ready_article(title="按回车", status=Article.Status.REVIEW)
    page = reviewer_client.get(change_url(article)).content.decode()
    form = page[page.index('id="article_form"') :]
    # A browser submits with the form's first submit button: Django's 保存.
    first_submit = form.index('type="submit"')
    assert 'name="_save"' in form[first_submit : first_submit + 80]
    assert form.index('name="_save"') < form.index('name="_publish"')


def test_a_made_up_article_address_is_a_chinese_message_not_a_crash(editor_client):
    for path in ("abc/change/", "99999999999999999999999/change/", "%00/change/"):
        response = editor_client.get(LIST_URL + path, follow=True)
        assert response.status_code == 200
        assert "不存在" in " ".join(messages_of(response))
