"""A borrower on a phone: searches, reads, switches script, checks a number, sends feedback."""

import re

import pytest

from .helpers import (
    ARTICLE_SLUG,
    ARTICLE_TITLE_HANS,
    ARTICLE_TITLE_HANT,
    ROOT,
    screenshot,
)

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect

ARTICLE_PATH = f"/articles/{ARTICLE_SLUG}/"


def _header_search(page):
    # A searchbox without JavaScript, a combobox with the autocomplete: found by its label.
    return page.locator(".site-header").get_by_label("搜索借贷产品、公司或号码")


def test_reader_searches_a_lender_in_traditional_script_and_opens_its_article(site, page):
    site.require_search_index()
    page.goto("/lenders/")
    _header_search(page).fill("微粒貸")
    _header_search(page).press("Enter")

    expect(page).to_have_url(re.compile(r"/search/\?q="))
    result = page.locator("main").get_by_role("link", name=re.compile("微粒贷逾期后打来的电话"))
    expect(result.first).to_be_visible()
    screenshot(page, "flow-search-results-390", full_page=False)

    result.first.click()
    expect(page).to_have_url(re.compile(rf"{ARTICLE_PATH}(#[-\w]+)?$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(ARTICLE_TITLE_HANS)
    toc = page.get_by_role("navigation", name="目录")
    expect(toc).to_be_visible()
    expect(toc.get_by_role("link")).to_have_count(7)
    expect(page.locator(".notice-legal")).to_contain_text("不构成法律意见")


@pytest.mark.skipif(
    not (ROOT / "static" / "js" / "suggest.js").exists(), reason="no autocomplete script yet"
)
def test_suggestions_appear_while_typing_and_enter_opens_the_chosen_one(site, page):
    site.require_search_index()
    page.goto("/lenders/")
    box = _header_search(page)
    box.press_sequentially("微粒", delay=30)
    options = page.get_by_role("option")
    expect(options.first).to_be_visible()
    expect(page.get_by_role("listbox")).to_contain_text("微粒贷")
    screenshot(page, "flow-suggest-390", full_page=False)

    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", re.compile(r".+"))
    box.press("Enter")
    expect(page).not_to_have_url(re.compile(r"/lenders/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("微粒贷")


def test_toggle_switches_the_page_to_traditional_and_back_and_is_remembered(site, page):
    page.goto(ARTICLE_PATH)
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")

    page.get_by_role("button", name="繁體中文", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/zh-hant{ARTICLE_PATH}$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hant")
    expect(page.get_by_role("heading", level=1)).to_have_text(ARTICLE_TITLE_HANT)
    expect(page.get_by_role("navigation", name="目錄")).to_be_visible()
    expect(page.locator(".article-body")).to_contain_text("微眾銀行")
    expect(page.get_by_role("button", name="繁體中文", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    screenshot(page, "flow-article-zh-hant-390", full_page=False)

    # The choice is remembered: an unprefixed address now opens the traditional copy.
    page.goto("/lenders/")
    expect(page).to_have_url(re.compile(r"/zh-hant/lenders/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("全部借貸產品")
    page.get_by_role("link", name="微粒貸", exact=True).click()
    expect(page).to_have_url(re.compile(r"/zh-hant/lenders/weilidai/$"))

    page.get_by_role("button", name="简体中文", exact=True).click()
    expect(page).to_have_url(site.url("/lenders/weilidai/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("微粒贷")
    page.goto(ARTICLE_PATH)
    expect(page).to_have_url(site.url(ARTICLE_PATH))
    expect(page.get_by_role("heading", level=1)).to_have_text(ARTICLE_TITLE_HANS)


def test_number_check_says_a_messy_official_number_is_listed_with_its_source(page):
    page.goto("/")
    page.get_by_label("来电号码").fill("+86 953-84")
    page.get_by_role("button", name="查一查").click()

    answer = page.locator(".number-answer")
    expect(answer.get_by_role("heading", level=2)).to_have_text("95384：号码在官方公布列表中")
    expect(answer).to_contain_text("微粒贷（微众银行）公布的官方号码")
    expect(answer).to_contain_text("来源：微众银行官方网站")
    expect(answer).to_contain_text(re.compile("核实于|待核实"))
    expect(answer).to_contain_text("来电显示是官方号码，也不一定就是官方打来的")
    screenshot(page, "flow-number-listed-390", full_page=False)


def test_number_check_says_an_unknown_mobile_is_not_listed_and_links_the_scam_guide(page):
    page.goto("/lenders/weilidai/")
    page.get_by_label("来电号码").fill("139 0000 0000")
    page.get_by_label("来电号码").press("Enter")

    answer = page.locator(".number-answer")
    # The phone parser shows a mobile number grouped 3-4-4, as a reader reads it aloud.
    expect(answer.get_by_role("heading", level=2)).to_have_text(
        "139 0000 0000：这个号码不在我们收录的官方号码里"
    )
    expect(answer).not_to_contain_text("官方公布列表中")
    screenshot(page, "flow-number-unlisted-390", full_page=False)
    page.get_by_role("link", name="如何识别冒充催收、冒充客服的诈骗电话").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "如何识别冒充催收、冒充客服的诈骗电话"
    )


def test_reader_sends_helpful_feedback_with_a_comment(site, page):
    comment = "第三节的号码核对方法很实用（浏览器测试）"
    page.goto(ARTICLE_PATH)
    feedback = page.locator("#feedback")
    feedback.get_by_label(re.compile("想补充什么")).fill(comment)
    feedback.get_by_role("button", name="有帮助").click()

    expect(feedback.get_by_role("status")).to_have_text("谢谢你的反馈！我们会据此改进这篇文章。")
    expect(feedback.get_by_label(re.compile("想补充什么"))).to_have_value("")
    screenshot(page, "flow-feedback-390", full_page=False)
    rows = site.query(
        "SELECT f.helpful, f.comment FROM articles_feedback f "
        "JOIN articles_article a ON a.id = f.article_id WHERE a.slug = ?",
        (ARTICLE_SLUG,),
    )
    assert rows == [(1, comment)]
