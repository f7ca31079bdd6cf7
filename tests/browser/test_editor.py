"""An editor writes an article in the admin and submits it; a reviewer publishes it; readers
find it on the public site."""

import re

import pytest

from .helpers import (
    ARTICLE_SLUG,
    ARTICLE_TITLE_HANS,
    DESKTOP,
    EDITOR_PASSWORD,
    EDITOR_USERNAME,
    REVIEWER_PASSWORD,
    REVIEWER_USERNAME,
    reviewer_code,
    screenshot,
)

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect

TITLE = "微粒贷催收短信里的链接能不能点"
HEADING = "收到带链接的短信怎么办"


def test_an_editor_submits_a_reviewer_publishes_and_readers_see_it(site, new_context):
    page = new_context(viewport=DESKTOP).new_page()
    sign_in(page, EDITOR_USERNAME, EDITOR_PASSWORD)
    expect(page.locator("#user-tools")).to_contain_text(EDITOR_USERNAME)

    page.goto("/admin/articles/article/add/")
    expect(page.locator("#id_status option[value=published]")).to_have_count(0)
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_lender").select_option(label="微粒贷")
    page.locator("#id_summary").fill("短信里的链接可能是钓鱼网站。本文说明怎样核对短信的真假。")
    section = page.locator("#sections-0")
    section.locator("[name='sections-0-kind']").select_option(label="应对策略")
    section.locator("[name='sections-0-heading']").fill(HEADING)
    section.locator("[name='sections-0-body']").fill(
        "**先别点链接。**打开微粒贷的官方入口，自己查一查有没有逾期。\n\n"
        "- 不在陌生网页上输入密码和验证码\n- 不向个人账户转账"
    )
    screenshot(page, "flow-admin-add-1280")
    page.locator("[name='_submit']").click()

    expect(page.locator(".messagelist")).to_contain_text(f"已提交审核：《{TITLE}》")
    expect(page.locator(".errorlist")).to_have_count(0)
    change_url = page.get_by_role("link", name=TITLE).get_attribute("href")

    reviewer = new_context(viewport=DESKTOP).new_page()
    sign_in(reviewer, REVIEWER_USERNAME, REVIEWER_PASSWORD)
    reviewer.locator("#id_code").fill(reviewer_code())
    reviewer.locator("#login-form [type=submit]").click()
    expect(reviewer.locator("#user-tools")).to_contain_text(REVIEWER_USERNAME)
    reviewer.goto(change_url)
    reviewer.locator("[name='_publish']").click()
    expect(reviewer.locator(".messagelist")).to_contain_text(f"已发布《{TITLE}》")

    reader = new_context().new_page()
    reader.goto("/lenders/weilidai/")
    reader.get_by_role("link", name=TITLE).click()
    expect(reader).to_have_url(re.compile(r"/articles/[a-z0-9-]+/$"))
    expect(reader.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(reader.get_by_role("heading", level=2, name=HEADING)).to_be_visible()
    expect(reader.locator(".article-body strong")).to_have_text("先别点链接。")
    expect(reader.locator(".article-body li")).to_have_count(2)
    screenshot(reader, "flow-admin-published-390")

    reader.get_by_role("button", name="繁體中文", exact=True).click()
    expect(reader.get_by_role("heading", level=1)).to_contain_text("微粒貸催收")
    expect(reader.get_by_role("heading", level=2, name="收到帶連結的簡訊怎麼辦")).to_be_visible()


def sign_in(page, username: str, password: str) -> None:
    page.goto("/admin/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("#login-form [type=submit]").click()


def test_a_reviewer_compares_two_versions_and_restores_the_older_keeping_it_live(site, new_context):
    reviewer = new_context(viewport=DESKTOP).new_page()
    sign_in(reviewer, REVIEWER_USERNAME, REVIEWER_PASSWORD)
    reviewer.locator("#id_code").fill(reviewer_code())
    reviewer.locator("#login-form [type=submit]").click()
    expect(reviewer.locator("#user-tools")).to_contain_text(REVIEWER_USERNAME)

    [(article_id,)] = site.query("SELECT id FROM articles_article WHERE slug = ?", (ARTICLE_SLUG,))
    reviewer.goto(f"/admin/articles/article/{article_id}/change/")
    expect(reviewer.locator("#id_title")).to_have_value(ARTICLE_TITLE_HANS)
    body = reviewer.locator("[name='sections-0-body']")
    original = body.input_value()
    body.fill(original.replace("微众银行", "微众银行（WeBank）", 1) + "\n\n新加的一行。")
    reviewer.locator("[name='_continue']").click()
    expect(reviewer.locator(".messagelist")).to_contain_text("成功修改了")

    reviewer.get_by_role("link", name="历史").click()
    expect(reviewer.locator(".version-changes").first).to_contain_text("正文已修改")
    screenshot(reviewer, "admin-history-1280")
    reviewer.get_by_role("button", name="比较所选的两个版本").click()
    expect(reviewer.locator(".body-diff ins").first).to_be_visible()
    expect(reviewer.locator(".version-compare")).to_contain_text("新加的一行。")
    screenshot(reviewer, "admin-compare-1280")

    reviewer.go_back()
    reviewer.locator("#change-history tbody tr").nth(1).locator("th a").click()
    expect(reviewer.get_by_label("保持现在的状态：已发布（读者照常可以看到）")).to_be_checked()
    screenshot(reviewer, "admin-restore-1280")
    reviewer.locator("[name='_save']").click()
    expect(reviewer.locator(".messagelist")).to_contain_text("文章仍为已发布")

    reader = new_context().new_page()
    response = reader.goto(f"/articles/{ARTICLE_SLUG}/")
    assert response.status == 200
    expect(reader.locator(".article-body")).not_to_contain_text("新加的一行。")
