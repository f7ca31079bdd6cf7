"""A reader reports a number from the search answer card; an editor approves it in the admin;
the count appears, as a count, on the number check and on the card."""

import re

import pytest

from .helpers import DESKTOP, EDITOR_PASSWORD, EDITOR_USERNAME, screenshot

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect

CALLER = "+86 139-1234-5678"
DIGITS = "13912345678"
COUNTED = "1 位读者报告这个号码自称微粒贷催收"


def test_a_report_is_submitted_moderated_and_shown_as_a_count(site, new_context):
    reader = new_context().new_page()
    reader.goto("/search/?q=" + CALLER.replace("+", "%2B").replace(" ", "+"))
    card = reader.locator(".number-card")
    expect(card.get_by_role("heading", level=2)).to_contain_text("不是任何借贷机构公布的号码")
    card.get_by_label("对方提到的借贷产品").select_option(label="微粒贷")
    card.get_by_label("自称催收").check()
    screenshot(reader, "number-report-card-390")
    card.get_by_role("button", name="这个号码打给我了").click()

    expect(reader).to_have_url(re.compile(rf"/number/\?n={DIGITS}#number-reports$"))
    reports = reader.locator("#number-reports")
    expect(reports.get_by_role("status")).to_contain_text("报告已收到")
    expect(reports).to_contain_text("还没有经过审核的读者报告")
    assert site.query("SELECT digits, said, status FROM articles_numberreport") == [
        (DIGITS, "collection", "pending")
    ]

    editor = new_context(viewport=DESKTOP).new_page()
    editor.goto("/admin/")
    editor.locator("#id_username").fill(EDITOR_USERNAME)
    editor.locator("#id_password").fill(EDITOR_PASSWORD)
    editor.locator("#login-form [type=submit]").click()
    expect(editor.locator("#user-tools")).to_contain_text(EDITOR_USERNAME)
    editor.goto("/admin/articles/numberreport/")
    row = editor.locator("#result_list tbody tr", has_text=DIGITS)
    expect(row).to_contain_text("待审核")
    row.locator("input.action-select").check()
    editor.locator("select[name=action]").select_option(label="审核通过：计入页面上的人数")
    editor.locator("button[name=index]").click()
    expect(editor.locator(".messagelist")).to_contain_text("1 条报告已计入页面上的人数")
    screenshot(editor, "number-report-admin-1280")

    reader.goto(f"/number/?n={DIGITS}")
    expect(reader.locator("#number-reports")).to_contain_text(COUNTED)
    expect(reader.locator("#number-reports")).to_contain_text("我们无法核实")
    reader.goto("/zh-hant/search/?q=" + DIGITS)
    expect(reader.locator(".number-card")).to_contain_text("1 位讀者報告這個號碼自稱微粒貸催收")
    screenshot(reader, "number-report-counted-390")
