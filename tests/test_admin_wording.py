"""The admin reads as Chinese to an editor: filter headings, Django's messages, the 403 page,
and the 无结果搜索 list (long queries shortened, junk entries dismissed)."""

import re

import pytest
from django.contrib.auth.models import Permission

from articles.editors import make_editor
from articles.models import SearchMiss
from tests.admin_pages import ADD_URL, LIST_URL, make_article, messages_of, text_of

pytestmark = pytest.mark.django_db

MISSES_URL = "/admin/articles/searchmiss/"


def test_filter_headings_read_by_status_not_django_s_yi(editor_client):
    page = text_of(editor_client.get(LIST_URL).content.decode())
    assert "按状态" in page and "按段落类型" in page
    assert "以 " not in page


def test_save_and_continue_says_so_with_a_chinese_full_stop(editor_client):
    response = editor_client.post(
        ADD_URL,
        {
            "title": "继续编辑的文章",
            "status": "draft",
            "script": "hans",
            "source": "原创",
            "sections-TOTAL_FORMS": "0",
            "sections-INITIAL_FORMS": "0",
            "_continue": "保存并继续编辑",
        },
        follow=True,
    )
    shown = " ".join(messages_of(response))
    assert "你可以在下面继续编辑。" in shown
    assert not re.search(r"[\u4e00-\u9fff]\.", shown)


def test_a_wrong_password_is_told_in_chinese(client, editor):
    response = client.post("/admin/login/", {"username": editor.username, "password": "wrong"})
    page = text_of(response.content.decode())
    assert "请输入正确的用户名和密码（后台账号）。注意两者都区分大小写。" in page


def test_a_typed_delete_address_gets_a_chinese_403_page(editor_client):
    article = make_article(title="不能删除")
    response = editor_client.get(f"/admin/articles/article/{article.pk}/delete/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "没有权限打开这个页面" in page and "回到编辑后台" in page
    assert "403 Forbidden" not in page
    assert "<html" in page and 'lang="zh' in page


def test_a_long_search_miss_is_shortened_so_write_one_stays_beside_it(editor_client):
    query = "微粒贷" + "很长的搜索词" * 16
    SearchMiss.objects.create(query=query[:100], count=3)
    page = editor_client.get(MISSES_URL).content.decode()
    row = page[page.index("微粒贷很长") :]
    assert f'title="{query[:100]}"' in page  # the whole query on hover
    shown = re.search(r'<span title="[^"]*">([^<]*)</span>', row).group(1)
    assert len(shown) <= 24 and shown.startswith(query[:20]) and shown.endswith(("…", "..."))
    assert "写一篇" in row[:2000]


def test_an_editor_dismisses_junk_search_misses(editor_client):
    junk = SearchMiss.objects.create(query="asdfasdf", count=1)
    kept = SearchMiss.objects.create(query="借呗协商", count=4)
    listing = editor_client.get(MISSES_URL).content.decode()
    assert "忽略所选的搜索词" in listing and 'value="delete_selected"' not in listing
    response = editor_client.post(
        MISSES_URL, {"action": "dismiss", "_selected_action": [junk.pk]}, follow=True
    )
    assert "已忽略 1 个搜索词" in " ".join(messages_of(response))
    assert list(SearchMiss.objects.all()) == [kept]


def test_dismissing_needs_the_delete_permission(client):
    user, _ = make_editor("jiandu", "Lan-shan-2026-river")
    for group in user.groups.all():
        group.permissions.remove(Permission.objects.get(codename="delete_searchmiss"))
    client.force_login(user)
    miss = SearchMiss.objects.create(query="别删我", count=1)
    assert "忽略所选的搜索词" not in client.get(MISSES_URL).content.decode()
    client.post(MISSES_URL, {"action": "dismiss", "_selected_action": [miss.pk]})
    assert SearchMiss.objects.filter(pk=miss.pk).exists()
