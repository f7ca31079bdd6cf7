"""Both directions on the demo articles in Chromium: each reader sees their own words and
quotes, and the names of laws stay as the law writes them."""

import pytest

from .helpers import screenshot

pytestmark = pytest.mark.browser

SIMPLIFIED_ARTICLE = "/articles/jiebei-cuishou-jinji-lianxiren-tongxunlu/"
TRADITIONAL_ARTICLE = "/articles/huabei-yuqi-cuishou-jingguo/"


def test_a_taiwan_reader_sees_taiwan_words_on_a_simplified_article(page):
    page.goto("/zh-hant" + SIMPLIFIED_ARTICLE)
    text = page.locator("main").inner_text()
    for word in ("緊急聯絡人", "簡訊", "身分證號", "個人資訊", "「緊急聯絡人」", "據報導"):
        assert word in text, word
    # The statute keeps its own name beside the Taiwan word for what it protects.
    assert "緊急聯絡人的電話同樣是個人資訊，個人信息保護法要求" in text
    for mainland in (
        "短信",
        "緊急聯繫人",
        "個人資訊保護法",
        "個人資料保護法",
        "報道",
        "“",
        "”",
        "瞭解",
    ):
        assert mainland not in text, mainland
    screenshot(page, "regional-words-zh-hant-jiebei-390", full_page=False)
    page.get_by_text("個人信息保護法要求").first.scroll_into_view_if_needed()
    screenshot(page, "regional-words-zh-hant-jiebei-law-390", full_page=False)


def test_a_mainland_reader_sees_mainland_words_on_a_traditional_article(page):
    page.goto(TRADITIONAL_ARTICLE)
    text = page.locator("main").inner_text()
    for word in (
        "短信",
        "信用记录",
        "渠道",
        "转账",
        "“暴力催收”",
        "据报道",
        "《征信业管理条例》，不良信息",
    ):
        assert word in text, word
    for taiwan in ("简讯", "纪录", "管道", "转帐", "资讯", "报导", "「", "」"):
        assert taiwan not in text, taiwan
    screenshot(page, "regional-words-zh-hans-huabei-390", full_page=False)
