"""Keyboard readers and readers without JavaScript get the whole site."""

import re

import pytest

from .helpers import ARTICLE_SLUG, ARTICLE_TITLE_HANS, screenshot

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect

# How the focused element is marked: an outline or a ring (box-shadow), whichever the CSS uses.
_FOCUS_STYLE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    cls: el.className, tag: el.tagName, id: el.id,
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
    ring: style.boxShadow !== "none",
    inView: box.top >= 0 && box.left >= 0 && box.bottom <= innerHeight && box.width > 0,
  };
}"""


def _focus(page):
    return page.evaluate(_FOCUS_STYLE)


def test_tab_reaches_the_skip_link_first_and_focus_is_always_visible(page):
    page.goto(f"/articles/{ARTICLE_SLUG}/")
    page.keyboard.press("Tab")
    focused = _focus(page)
    assert focused["cls"] == "skip-link"
    assert focused["inView"] and (focused["outline"] or focused["ring"])
    expect(page.locator(".skip-link")).to_have_text("跳到正文")
    screenshot(page, "flow-skip-link-390", full_page=False)

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    assert _focus(page)["id"] == "main"

    # From the main content on, every stop shows where focus is.
    for _ in range(6):
        page.keyboard.press("Tab")
        focused = _focus(page)
        assert focused["tag"] in ("A", "BUTTON", "INPUT", "TEXTAREA", "SELECT"), focused
        assert focused["inView"], focused
        assert focused["outline"] or focused["ring"], focused


def test_tab_order_is_skip_link_site_name_toggle_then_search_box(page):
    page.goto("/lenders/")
    stops = []
    for _ in range(5):
        page.keyboard.press("Tab")
        focused = _focus(page)
        assert focused["outline"] or focused["ring"], focused
        stops.append(
            page.evaluate(
                "document.activeElement.getAttribute('aria-label')"
                " || document.activeElement.textContent.trim()"
                " || document.activeElement.name"
            )
        )
    assert stops == ["跳到正文", "催收电话知识库", "简体中文", "繁體中文", "q"]


def test_without_javascript_search_toggle_and_feedback_still_work(site, new_context):
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/lenders/")

    page.get_by_role("button", name="繁體中文", exact=True).click()
    expect(page).to_have_url(re.compile(r"/zh-hant/lenders/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("全部借貸產品")
    page.get_by_role("button", name="简体中文", exact=True).click()
    expect(page).to_have_url(site.url("/lenders/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("全部借贷产品")

    site.require_search_index()
    search = page.locator(".site-header").get_by_role("searchbox")
    search.fill("微粒贷")
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q="))
    result = page.locator("main").get_by_role("link", name=re.compile("微粒贷逾期后打来的电话"))
    result.first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ARTICLE_TITLE_HANS)


def test_without_javascript_feedback_posts_and_thanks_the_reader(site, new_context):
    slug = "weilidai-yuqi-zhengxin-heimingdan"
    page = new_context(java_script_enabled=False).new_page()
    page.goto(f"/articles/{slug}/")
    page.locator("#feedback").get_by_role("button", name="没帮助").click()

    expect(page).to_have_url(re.compile(rf"/articles/{slug}/#feedback$"))
    expect(page.locator("#feedback .notice-success")).to_have_text(
        "谢谢你的反馈！我们会据此改进这篇文章。"
    )
    rows = site.query(
        "SELECT f.helpful, f.comment FROM articles_feedback f "
        "JOIN articles_article a ON a.id = f.article_id WHERE a.slug = ?",
        (slug,),
    )
    assert rows == [(0, "")]
