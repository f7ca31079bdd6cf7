"""The editors' admin, driven as an editor would: real logins, real form posts, rendered HTML."""

import re

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from articles.editors import EDITOR_GROUP
from articles.models import Article, Feedback, Lender, OfficialNumber, SearchMiss
from tests.admin_pages import (
    ADD_URL,
    LIST_URL,
    form_data_from,
    make_article,
    messages_of,
    ready_article,
    text_of,
)

pytestmark = pytest.mark.django_db

PASSWORD = "Lan-shan-2026-river"  # the `editor` fixture's (tests/conftest.py)


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def preview_url(article, variant=None):
    url = reverse("admin:articles_article_preview", args=[article.pk])
    return f"{url}?variant={variant}" if variant else url


def add_form_data(title, sections, **fields):
    data = {
        "title": title,
        "lender": "",
        "summary": "",
        "status": "draft",
        "slug": "",
        "script": "hans",
        "source": "原创",
        "sections-TOTAL_FORMS": str(len(sections)),
        "sections-INITIAL_FORMS": "0",
        "sections-MIN_NUM_FORMS": "0",
        "sections-MAX_NUM_FORMS": "1000",
    }
    for i, (order, kind, heading, body) in enumerate(sections):
        data.update(
            {
                f"sections-{i}-order": order,
                f"sections-{i}-kind": kind,
                f"sections-{i}-heading": heading,
                f"sections-{i}-body": body,
            }
        )
    data.update(fields)
    return data


# Accounts and permissions


def test_editor_logs_in_and_sees_the_admin_in_chinese(client, editor):
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "xiaowang", "password": PASSWORD, "next": "/admin/"},
    )
    assert response.status_code == 302
    page = client.get("/admin/").content.decode()
    assert "内容管理" in page
    assert "文章" in page and "借贷产品" in page and "无结果搜索" in page
    assert "/admin/auth/user/" not in page


def test_editor_cannot_manage_users_or_groups(editor_client):
    assert editor_client.get("/admin/auth/user/").status_code == 403
    assert editor_client.get("/admin/auth/group/").status_code == 403
    assert editor_client.get("/admin/auth/user/add/").status_code == 403


def test_editor_group_is_installed_by_migrate(editor):
    assert editor.is_staff and not editor.is_superuser
    assert list(editor.groups.values_list("name", flat=True)) == [EDITOR_GROUP]
    assert editor.has_perm("articles.change_article")
    assert editor.has_perm("articles.view_searchmiss")
    assert not editor.has_perm("articles.add_searchmiss")
    assert not editor.has_perm("auth.change_user")


def test_create_editor_command_prompts_for_a_password(monkeypatch, client):
    answers = iter(["Qing-shui-77-bridge", "Qing-shui-77-bridge"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    call_command("create_editor", "小李")
    assert client.login(username="小李", password="Qing-shui-77-bridge")
    assert client.get(LIST_URL).status_code == 200


def test_create_editor_command_rejects_mismatched_passwords(monkeypatch):
    answers = iter(["Qing-shui-77-bridge", "something-else-99"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    with pytest.raises(Exception, match="不一致"):
        call_command("create_editor", "小赵")


# The whole editorial flow


def test_editor_writes_and_submits_a_reviewer_publishes_edits_and_restores(
    editor_client, reviewer_client
):
    client = editor_client
    add_page = client.get(ADD_URL).content.decode()
    assert "支持 Markdown" in add_page and "保存并预览" in add_page
    assert "保存并提交审核" in add_page and "保存并发布" not in add_page
    assert '<option value="published"' not in add_page  # 已发布 is the reviewers' choice

    weilidai = Lender.objects.get(name="微粒贷")
    response = client.post(
        ADD_URL,
        add_form_data(
            "微粒贷催收电话是真的吗",
            [
                (
                    "10",
                    "background",
                    "微粒贷是什么",
                    "微粒贷由**微众银行**运营。\n\n- 第一点\n- 第二点",
                ),
                ("20", "coping", "怎样应对", "先核实号码。<script>alert('x')</script>"),
            ],
            lender=str(weilidai.pk),
            summary="怎样判断来电是不是微粒贷的催收。",
        ),
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    article = Article.objects.get(title="微粒贷催收电话是真的吗")
    assert article.status == Article.Status.DRAFT
    assert article.slug.startswith("weilidai-cuishou-dianhua")
    assert [s.heading for s in article.sections.all()] == ["微粒贷是什么", "怎样应对"]
    assert client.get(article.get_absolute_url()).status_code == 404

    change_page = client.get(change_url(article)).content.decode()
    assert preview_url(article) in change_page
    assert "在站点上查看" not in change_page  # a draft has no reader page yet

    preview = client.get(preview_url(article)).content.decode()
    assert "读者还看不到这篇文章" in preview
    assert "<strong>微众银行</strong>" in preview
    assert "<li>第一点</li>" in preview
    assert "<script>alert" not in preview
    assert "&lt;script&gt;alert" in preview

    data = form_data_from(client.get(change_url(article)))
    response = client.post(change_url(article), {**data, "_submit": "保存并提交审核"}, follow=True)
    assert "已提交审核" in " ".join(messages_of(response))
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW

    response = reviewer_client.post(
        LIST_URL, {"action": "publish", "_selected_action": [article.pk]}, follow=True
    )
    assert "已发布 1 篇文章" in " ".join(messages_of(response))
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED and article.published_at
    published_at = article.published_at
    assert client.get(article.get_absolute_url()).status_code == 200

    response = reviewer_client.get(change_url(article))
    assert "在站点上查看" in response.content.decode()
    data = form_data_from(response)
    body_field = next(k for k, v in data.items() if k.endswith("-body") and "先核实号码" in v)
    data[body_field] = "改过的应对方法。"
    response = reviewer_client.post(change_url(article), data)
    assert response.status_code == 302
    assert article.sections.get(heading="怎样应对").body == "改过的应对方法。"

    history = reviewer_client.get(reverse("admin:articles_article_history", args=[article.pk]))
    history_html = history.content.decode()
    assert "xiaowang" in history_html and "shenhe" in history_html
    revision_links = re.findall(r'href="(/admin/articles/article/\d+/history/\d+/)"', history_html)
    assert len(revision_links) == 4  # added, submitted, published, edited
    first_version = revision_links[-1]  # latest first

    old = reviewer_client.get(first_version)
    assert old.status_code == 200
    assert "先核实号码" in old.content.decode()
    assert (
        article.sections.get(heading="怎样应对").body == "改过的应对方法。"
    )  # GET changes nothing

    response = reviewer_client.post(first_version, form_data_from(old), follow=True)
    assert response.redirect_chain[-1][1] == 302
    assert article.sections.get(heading="怎样应对").body.startswith("先核实号码。")
    article.refresh_from_db()
    # The first version was a draft; the article stays what it is now, as the page offered.
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at == published_at
    assert article.sections.count() == 2
    assert client.get(article.get_absolute_url()).status_code == 200


def test_restore_removes_sections_added_after_that_version(editor_client):
    client = editor_client
    client.post(ADD_URL, add_form_data("有钱花催收", [("10", "origin", "来源", "原文。")]))
    article = Article.objects.get(title="有钱花催收")
    data = form_data_from(client.get(change_url(article)))
    data.update(
        {
            "sections-TOTAL_FORMS": "2",
            "sections-1-kind": "risks",
            "sections-1-heading": "新加的段落",
            "sections-1-body": "后来写的。",
        }
    )
    data.pop("sections-1-article", None)
    assert client.post(change_url(article), data).status_code == 302
    assert article.sections.count() == 2

    history = client.get(reverse("admin:articles_article_history", args=[article.pk]))
    first = re.findall(
        r'href="(/admin/articles/article/\d+/history/\d+/)"', history.content.decode()
    )[-1]
    old = client.get(first)
    assert client.post(first, form_data_from(old)).status_code == 302
    assert list(article.sections.values_list("heading", flat=True)) == ["来源"]


def test_save_and_preview_opens_the_preview(editor_client):
    response = editor_client.post(
        ADD_URL, add_form_data("借呗催收", [("", "other", "说明", "正文")], _preview="保存并预览")
    )
    article = Article.objects.get(title="借呗催收")
    assert response.status_code == 302
    assert response["Location"] == preview_url(article)


def test_sections_left_without_order_go_last(editor_client):
    editor_client.post(
        ADD_URL,
        add_form_data(
            "花呗催收", [("", "summary", "总结", "结尾"), ("5", "background", "开头", "开头")]
        ),
    )
    article = Article.objects.get(title="花呗催收")
    assert [(s.heading, s.order) for s in article.sections.all()] == [("开头", 5), ("总结", 15)]


def test_bad_input_gets_a_chinese_message_not_a_crash(editor_client):
    response = editor_client.post(
        ADD_URL,
        add_form_data("", [("-3", "nonsense", "", "x" * 200_001)], status="hacked", slug="中文"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "请更正以下错误" in page
    assert "这个字段是必填项" in page
    assert "网址名只能用" in page
    assert "这一段正文有 200001 字，超过了每段 10000 字的上限" in page
    assert not Article.objects.exists()


# Limits: what one article may hold (settings.KB_MAX_*), so no article can make a page or a
# search do unbounded work. The admin used to take 100,000 characters a section, any number
# of sections.


def _errors_of(response):
    return text_of(response.content.decode())


def test_an_overlong_section_body_is_refused_with_a_message_and_nothing_is_saved(editor_client):
    article = make_article(title="长正文", sections=[("background", "背景", "原来的正文。")])
    data = form_data_from(editor_client.get(change_url(article)))
    data["sections-0-body"] = "龘靐" * 5_001
    response = editor_client.post(change_url(article), data)
    assert response.status_code == 200
    page = _errors_of(response)
    assert "请更正以下错误" in page
    assert "这一段正文有 10002 字，超过了每段 10000 字的上限：请删减，或把它分成几段" in page
    assert article.sections.get().body == "原来的正文。"


def test_a_body_of_exactly_the_limit_is_saved(editor_client):
    article = make_article(title="长正文", sections=[("background", "背景", "原来的正文。")])
    data = form_data_from(editor_client.get(change_url(article)))
    data["sections-0-body"] = "字" * 10_000
    assert editor_client.post(change_url(article), data).status_code == 302
    assert len(article.sections.get().body) == 10_000


def _sections(count, body="正文。"):
    return [(str(10 * (i + 1)), "other", f"第{i + 1}段", body) for i in range(count)]


def test_an_article_of_41_sections_is_refused_and_not_created(editor_client):
    response = editor_client.post(ADD_URL, add_form_data("四十一段", _sections(41)))
    assert response.status_code == 200
    assert "一篇文章最多 40 段，现在有 41 段：请合并几段，或把内容分成几篇文章。" in _errors_of(
        response
    )
    assert not Article.objects.filter(title="四十一段").exists()


def test_an_article_of_40_sections_is_created(editor_client):
    response = editor_client.post(ADD_URL, add_form_data("四十段", _sections(40)))
    assert response.status_code == 302
    assert Article.objects.get(title="四十段").sections.count() == 40


def test_adding_a_section_past_the_limit_is_refused_and_changes_nothing(editor_client):
    article = make_article(
        title="满四十段", sections=[("other", f"第{i}段", "正文。") for i in range(40)]
    )
    response = editor_client.get(change_url(article))
    assert 'name="sections-MAX_NUM_FORMS" value="40"' in response.content.decode()
    data = form_data_from(response)
    data.update(
        {
            "sections-TOTAL_FORMS": "41",
            "sections-40-order": "999",
            "sections-40-kind": "other",
            "sections-40-heading": "第四十一段",
            "sections-40-body": "多出来的一段。",
        }
    )
    response = editor_client.post(change_url(article), data)
    assert response.status_code == 200
    assert "一篇文章最多 40 段，现在有 41 段" in _errors_of(response)
    assert article.sections.count() == 40


def test_sections_over_60000_characters_together_are_refused(editor_client):
    sections = _sections(7, body="字" * 9_000)  # 63,000 characters, each within the limit
    response = editor_client.post(ADD_URL, add_form_data("全文太长", sections))
    assert response.status_code == 200
    assert (
        "全文正文共 63000 字，超过了一篇文章 60000 字的上限：请删减，或把内容分成几篇文章。"
        in _errors_of(response)
    )
    assert not Article.objects.filter(title="全文太长").exists()


def test_deleted_sections_do_not_count_towards_the_limits(editor_client):
    article = make_article(
        title="删段", sections=[("other", f"第{i}段", "字" * 9_000) for i in range(6)]
    )
    data = form_data_from(editor_client.get(change_url(article)))
    data["sections-0-DELETE"] = "on"
    data.update(
        {
            "sections-TOTAL_FORMS": "7",
            "sections-6-order": "999",
            "sections-6-kind": "other",
            "sections-6-heading": "新的一段",
            "sections-6-body": "字" * 9_000,  # 54,000 after the deletion plus this one
        }
    )
    assert editor_client.post(change_url(article), data).status_code == 302
    assert article.sections.count() == 6


@override_settings(KB_MAX_SECTION_CHARS=100, KB_MAX_SECTIONS=3, KB_MAX_ARTICLE_CHARS=250)
def test_the_limits_are_the_sites_settings(editor_client):
    page = _errors_of(editor_client.post(ADD_URL, add_form_data("设置", _sections(4))))
    assert "一篇文章最多 3 段，现在有 4 段" in page
    page = _errors_of(editor_client.post(ADD_URL, add_form_data("设置", _sections(1, "字" * 101))))
    assert "超过了每段 100 字的上限" in page
    page = _errors_of(editor_client.post(ADD_URL, add_form_data("设置", _sections(3, "字" * 90))))
    assert "全文正文共 270 字，超过了一篇文章 250 字的上限" in page
    assert not Article.objects.filter(title="设置").exists()


# Slugs


def test_slug_is_read_only_once_published(reviewer_client):
    article = ready_article(title="京东金条催收", status=Article.Status.PUBLISHED)
    response = reviewer_client.get(change_url(article))
    assert 'name="slug"' not in response.content.decode()
    data = form_data_from(response)
    data["slug"] = "hijacked"
    assert reviewer_client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.slug.startswith("jingdong")


def test_slug_can_be_set_on_a_draft(editor_client):
    article = make_article(title="安逸花催收")
    data = form_data_from(editor_client.get(change_url(article)))
    data["slug"] = "anyihua-guide"
    assert editor_client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.slug == "anyihua-guide"


# Import problems


FLAGS = [
    {
        "code": "lost_chars",
        "message": "疑似乱码：原文丢字",
        "excerpt": "催收人员会?打电话给<b>联系人</b>",
    },
    {"code": "generated_title", "message": "标题是自动生成的", "excerpt": ""},
]


def test_import_flags_are_shown_with_the_question_mark_highlighted(editor_client):
    article = make_article(title="美团借钱催收", import_flags=FLAGS)
    page = editor_client.get(change_url(article)).content.decode()
    assert "疑似乱码：原文丢字" in page
    assert "催收人员会<mark>?</mark>打电话给&lt;b&gt;联系人&lt;/b&gt;" in page
    assert "标题是自动生成的" in page
    assert "问题已处理" in page
    listing = editor_client.get(LIST_URL).content.decode()
    assert "⚠ 2" in listing


def test_publishing_a_flagged_article_is_refused(reviewer_client):
    article = ready_article(title="美团借钱催收", import_flags=FLAGS)
    response = reviewer_client.post(
        LIST_URL, {"action": "publish", "_selected_action": [article.pk]}, follow=True
    )
    assert "《美团借钱催收》不能发布：还有 2 个导入问题未处理" in " ".join(messages_of(response))
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT

    data = form_data_from(reviewer_client.get(change_url(article)))
    data["status"] = "published"
    response = reviewer_client.post(change_url(article), data)
    assert response.status_code == 200
    assert "还有 2 个导入问题未处理" in response.content.decode()
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_ticking_problems_handled_clears_flags_and_allows_publishing(reviewer_client):
    article = ready_article(title="美团借钱催收", import_flags=FLAGS)
    data = form_data_from(reviewer_client.get(change_url(article)))
    data.update({"status": "published", "clear_flags": "on"})
    assert reviewer_client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED and article.import_flags == []
    assert reviewer_client.get(article.get_absolute_url()).status_code == 200


def test_clear_flags_action_then_publish(editor_client, reviewer_client):
    article = ready_article(title="美团借钱催收", import_flags=FLAGS)
    editor_client.post(LIST_URL, {"action": "clear_import_flags", "_selected_action": [article.pk]})
    response = reviewer_client.post(
        LIST_URL, {"action": "publish", "_selected_action": [article.pk]}, follow=True
    )
    assert "已发布 1 篇文章" in " ".join(messages_of(response))


def test_review_and_withdraw_actions(editor_client, reviewer_client):
    article = ready_article(title="分期乐催收")
    response = editor_client.post(
        LIST_URL, {"action": "submit_for_review", "_selected_action": [article.pk]}, follow=True
    )
    assert "提交审核" in " ".join(messages_of(response))
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW
    assert "待审核" in response.content.decode()
    reviewer_client.post(LIST_URL, {"action": "publish", "_selected_action": [article.pk]})
    response = reviewer_client.post(
        LIST_URL, {"action": "withdraw", "_selected_action": [article.pk]}, follow=True
    )
    assert "撤回为草稿" in " ".join(messages_of(response))
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert editor_client.get(article.get_absolute_url()).status_code == 404


def test_a_bulk_action_records_one_revision_per_article(reviewer_client):
    from reversion.models import Version

    first, second = ready_article(title="甲文章"), ready_article(title="乙文章")
    reviewer_client.post(LIST_URL, {"action": "publish", "_selected_action": [first.pk, second.pk]})
    versions = Version.objects.get_for_model(Article)
    assert {v.object_id for v in versions} == {str(first.pk), str(second.pk)}
    for version in versions:
        assert version.revision.version_set.filter(content_type=version.content_type).count() == 1


def test_an_imported_article_can_be_restored_to_its_state_before_the_first_edit(editor_client):
    article = make_article(title="导入的文章", sections=[("origin", "来源", "导入时的原文")])
    data = form_data_from(editor_client.get(change_url(article)))
    data["sections-0-body"] = "编辑改坏了"
    assert editor_client.post(change_url(article), data).status_code == 302

    history = editor_client.get(reverse("admin:articles_article_history", args=[article.pk]))
    page = history.content.decode()
    assert "编辑前的原始内容" in page
    baseline = re.findall(r'href="(/admin/articles/article/\d+/history/\d+/)"', page)[-1]
    old = editor_client.get(baseline)
    assert editor_client.post(baseline, form_data_from(old)).status_code == 302
    assert article.sections.get().body == "导入时的原文"


# Duplicates


def test_same_title_in_the_other_script_warns_with_a_link(editor_client):
    original = make_article(title="微粒贷催收电话是哪里打来的？")
    response = editor_client.post(
        ADD_URL,
        add_form_data("微粒貸催收電話是哪裡打來的", [("10", "origin", "來源", "內容")]),
        follow=True,
    )
    warning = " ".join(messages_of(response))
    assert "可能重复" in warning
    assert f'href="{change_url(original)}"' in warning
    assert Article.objects.filter(title="微粒貸催收電話是哪裡打來的").exists()


def test_different_titles_do_not_warn(editor_client):
    make_article(title="微粒贷催收电话是哪里打来的")
    response = editor_client.post(
        ADD_URL, add_form_data("微粒贷逾期会怎样", [("10", "risks", "风险", "内容")]), follow=True
    )
    assert "可能重复" not in " ".join(messages_of(response))


# Preview


def test_preview_converts_to_traditional(editor_client):
    article = make_article(
        title="微粒贷催收电话", sections=[("background", "简单介绍", "这是简体写的说明。")]
    )
    page = editor_client.get(preview_url(article, "zh-hant")).content.decode()
    assert "微粒貸催收電話" in page
    assert "這是簡體寫的說明。" in page
    simplified = editor_client.get(preview_url(article, "zh-hans")).content.decode()
    assert "这是简体写的说明。" in simplified


def test_preview_of_a_traditional_article_converts_to_simplified(editor_client):
    article = make_article(
        title="有錢花催收", script="hant", sections=[("coping", "應對", "保留通話記錄。")]
    )
    assert "保留通話記錄" in editor_client.get(preview_url(article)).content.decode()
    page = editor_client.get(preview_url(article, "zh-hans")).content.decode()
    assert "保留通话记录" in page and "有钱花催收" in page


def test_preview_ignores_an_unknown_variant(editor_client):
    article = make_article(title="借呗")
    response = editor_client.get(preview_url(article, "<script>"))
    assert response.status_code == 200


def test_preview_is_for_staff_only(client, editor_client):
    article = make_article(title="草稿文章")
    url = preview_url(article)
    client.logout()
    response = client.get(url)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_preview_of_a_missing_article_is_404(editor_client):
    assert editor_client.get("/admin/articles/article/999999/preview/").status_code == 404


def test_preview_shows_official_numbers_with_their_source(editor_client):
    lender = Lender.objects.get(name="微粒贷")
    OfficialNumber.objects.create(lender=lender, number="95384", source_name="测试来源")
    article = make_article(title="微粒贷", lender=lender)
    page = editor_client.get(preview_url(article)).content.decode()
    assert "95384" in page and "测试来源" in page and "待核实" in page


# Lists, filters, search


def test_changelist_filters_by_kind_status_lender_and_problems(editor_client):
    weilidai = Lender.objects.get(name="微粒贷")
    legal = make_article(title="合法吗", lender=weilidai, sections=[("legality", "合法性", "")])
    flagged = make_article(title="有问题的", import_flags=FLAGS, status=Article.Status.REVIEW)

    def titles(query):
        response = editor_client.get(LIST_URL + query)
        assert response.status_code == 200
        return {a.title for a in response.context["cl"].result_list}

    assert titles("?kind=legality") == {legal.title}
    assert titles("?problems=yes") == {flagged.title}
    assert titles("?problems=no") == {legal.title}
    assert titles("?status__exact=review") == {flagged.title}
    assert titles(f"?lender__id__exact={weilidai.pk}") == {legal.title}
    assert titles("?script__exact=hant") == set()
    page = editor_client.get(LIST_URL).content.decode()
    assert "段落类型" in page and "导入问题" in page


def test_changelist_search_covers_bodies_lender_names_and_both_scripts(editor_client):
    lender = Lender.objects.get(name="有钱花")
    make_article(title="标题甲", sections=[("coping", "应对", "记得保留通话录音")])
    make_article(title="標題乙", lender=lender, summary="摘要里的词")

    def titles(q):
        response = editor_client.get(LIST_URL, {"q": q})
        assert response.status_code == 200
        return {a.title for a in response.context["cl"].result_list}

    assert titles("通话录音") == {"标题甲"}
    assert titles("通話錄音") == {"标题甲"}
    assert titles("有钱花") == {"標題乙"}
    assert titles("标题乙") == {"標題乙"}
    assert titles("摘要里") == {"標題乙"}
    assert titles('AND ( title:* "') == set()


def test_bad_filter_values_do_not_crash(editor_client):
    for query in ["?kind=<x>", "?problems=maybe", "?updated_at__year=abc", "?q=" + "字" * 5000]:
        assert editor_client.get(LIST_URL + query).status_code in (200, 302)


# Lenders


def test_a_number_without_a_source_is_rejected(editor_client):
    lender = Lender.objects.create(name="测试贷", operator="测试公司")
    url = reverse("admin:articles_lender_change", args=[lender.pk])
    data = form_data_from(editor_client.get(url))
    data.update({"numbers-0-number": "400-123-4567", "numbers-0-purpose": "客服热线"})
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "没有来源的号码不能录入" in response.content.decode()
    assert not lender.numbers.exists()

    data["numbers-0-source_name"] = "测试公司官网·联系我们"
    assert editor_client.post(url, data).status_code == 302
    assert lender.numbers.get().digits == "4001234567"


def test_lender_edits_keep_history_with_aliases(editor_client):
    lender = Lender.objects.create(name="测试贷")
    url = reverse("admin:articles_lender_change", args=[lender.pk])
    data = form_data_from(editor_client.get(url))
    data.update({"aliases-0-name": "测试花", "aliases-0-kind": "alias"})
    assert editor_client.post(url, data).status_code == 302
    assert list(lender.aliases.values_list("name", flat=True)) == ["测试花"]
    history = editor_client.get(reverse("admin:articles_lender_history", args=[lender.pk]))
    page = history.content.decode()
    assert "xiaowang" in page
    baseline = re.findall(r'href="(/admin/articles/lender/\d+/history/\d+/)"', page)[-1]
    old = editor_client.get(baseline)
    assert editor_client.post(baseline, form_data_from(old)).status_code == 302
    assert not lender.aliases.exists()


def test_lender_list_searches_aliases_and_counts_published_articles(editor_client):
    weilidai = Lender.objects.get(name="微粒贷")
    make_article(title="一", lender=weilidai, status=Article.Status.PUBLISHED)
    make_article(title="二", lender=weilidai)
    response = editor_client.get("/admin/articles/lender/", {"q": "腾讯"})
    lenders = list(response.context["cl"].result_list)
    assert weilidai in lenders
    assert next(item for item in lenders if item == weilidai).published_articles == 1
    assert "已发布文章" in response.content.decode()


# Search misses, feedback, synonyms


def test_search_misses_are_a_read_only_list_ordered_by_count(editor_client):
    SearchMiss.objects.create(query="少见的词", count=2)
    SearchMiss.objects.create(query="常见的词", count=9)
    response = editor_client.get("/admin/articles/searchmiss/")
    page = response.content.decode()
    assert page.index("常见的词") < page.index("少见的词")
    assert "写一篇" in page
    assert "/admin/articles/searchmiss/add/" not in page
    assert editor_client.get("/admin/articles/searchmiss/add/").status_code == 403
    write_link = re.search(r'href="(/admin/articles/article/add/\?title=[^"]+)"', page).group(1)
    add_page = editor_client.get(write_link.replace("&amp;", "&")).content.decode()
    assert 'value="常见的词"' in add_page


def test_feedback_summary_on_the_article_page(editor_client):
    article = make_article(title="有反馈的文章")
    Feedback.objects.create(article=article, helpful=True, comment="很有用<script>x</script>")
    Feedback.objects.create(article=article, helpful=True)
    Feedback.objects.create(article=article, helpful=False, comment="没说清楚")
    page = editor_client.get(change_url(article)).content.decode()
    assert "👍 2 / 👎 1" in page
    assert "没说清楚" in page and "很有用&lt;script&gt;" in page
    listing = editor_client.get("/admin/articles/feedback/", {"helpful__exact": "0"})
    assert [f.comment for f in listing.context["cl"].result_list] == ["没说清楚"]
    assert editor_client.get("/admin/articles/feedback/add/").status_code == 403


def test_a_synonym_needs_two_terms(editor_client):
    response = editor_client.post("/admin/articles/synonym/add/", {"terms": "催收"})
    assert "至少要有两个词" in response.content.decode()
    response = editor_client.post("/admin/articles/synonym/add/", {"terms": "催收，催款 、催债"})
    assert response.status_code == 302
    from articles.models import Synonym

    assert Synonym.objects.filter(terms="催收, 催款, 催债").exists()


def test_conversion_overrides_show_the_default_conversion(editor_client):
    response = editor_client.post(
        "/admin/articles/conversionoverride/add/",
        {"hans": "微众银行", "hant": "微眾銀行", "hk": "", "note": ""},
    )
    assert response.status_code == 302
    page = editor_client.get("/admin/articles/conversionoverride/").content.decode()
    assert "微眾銀行" in page and "不修正时的转换结果" in page
