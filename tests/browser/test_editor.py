"""An editor writes an article in the admin, publishes it, and finds it on the public site."""

import re

import pytest

from .helpers import DESKTOP, EDITOR_PASSWORD, EDITOR_USERNAME, screenshot

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect

TITLE = "微粒贷催收短信里的链接能不能点"
HEADING = "收到带链接的短信怎么办"


def test_editor_adds_and_publishes_an_article_with_a_section_and_readers_see_it(site, new_context):
    page = new_context(viewport=DESKTOP).new_page()
    page.goto("/admin/")
    page.locator("#id_username").fill(EDITOR_USERNAME)
    page.locator("#id_password").fill(EDITOR_PASSWORD)
    page.locator("#login-form [type=submit]").click()
    expect(page.locator("#user-tools")).to_contain_text(EDITOR_USERNAME)

    page.goto("/admin/articles/article/add/")
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_lender").select_option(label="微粒贷")
    page.locator("#id_summary").fill("短信里的链接可能是钓鱼网站。本文说明怎样核对短信的真假。")
    page.locator("#id_status").select_option(label="已发布")
    section = page.locator("#sections-0")
    section.locator("[name='sections-0-kind']").select_option(label="应对策略")
    section.locator("[name='sections-0-heading']").fill(HEADING)
    section.locator("[name='sections-0-body']").fill(
        "**先别点链接。**打开微粒贷的官方入口，自己查一查有没有逾期。\n\n"
        "- 不在陌生网页上输入密码和验证码\n- 不向个人账户转账"
    )
    screenshot(page, "flow-admin-add-1280")
    page.locator("[name='_save']").click()

    expect(page.locator(".messagelist")).to_contain_text(TITLE)
    expect(page.locator(".errorlist")).to_have_count(0)

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
