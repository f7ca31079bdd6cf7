"""Display conversion: OpenCC, the vocabulary, names, quotes and editors' overrides, pinned on
sentences that trap converters."""

import re
from unittest import mock

import pytest
from django.template import Context, Template
from django.utils import translation

from articles import display
from articles.models import Article, ConversionOverride
from kb import conversion
from tests.factories import make_article

pytestmark = pytest.mark.django_db


# Simplified originals and how a Taiwan-standard reader must see them (zh-hant).
HANS_TO_HANT = [
    ("他的头发很长，新版本今天发布。", "他的頭髮很長，新版本今天發布。"),
    ("粉丝发布的视频里有理发店。", "粉絲發布的影片裡有理髮店。"),
    ("经济发展很快，发现问题要及时处理。", "經濟發展很快，發現問題要及時處理。"),
    ("电视频段和后台管理，皇后的故事。", "電視頻段和後臺管理，皇后的故事。"),
    ("干净的桌面，干部，树干。", "乾淨的桌面，幹部，樹幹。"),
    ("面条和面对面，里面有三公里。", "麵條和面對面，裡面有三公里。"),
    ("钟表店里的一见钟情。", "鐘錶店裡的一見鍾情。"),
    ("借呗、花呗、有钱花和微粒贷都能借钱。", "借唄、花唄、有錢花和微粒貸都能借錢。"),
    ("京东金条、美团借钱、安逸花的催收电话。", "京東金條、美團借錢、安逸花的催收電話。"),
    ("我们接着看看，随着时间推移，他着急了。", "我們接著看看，隨著時間推移，他著急了。"),
    ("一只猫，怎么办？", "一隻貓，怎麼辦？"),
    ("还款账户余额不足，请查看账单和账号。", "還款帳戶餘額不足，請查看帳單和帳號。"),
]

# Traditional originals and how a simplified reader must see them (zh-hans).
HANT_TO_HANS = [
    ("他的頭髮很長，新版本今天發布。", "他的头发很长，新版本今天发布。"),
    ("粉絲發佈的影片。", "粉丝发布的视频。"),
    ("我們接著看看，隨著時間推移，他著急了。", "我们接着看看，随着时间推移，他着急了。"),
    ("著名的微粒貸，借唄、花唄、有錢花。", "著名的微粒贷，借呗、花呗、有钱花。"),
    ("後台管理，皇后，乾淨，幹部，樹幹。", "后台管理，皇后，干净，干部，树干。"),
    ("麵條和面對面，裡面有三公里，裏面也是。", "面条和面对面，里面有三公里，里面也是。"),
    ("鐘錶店裡的一見鍾情。", "钟表店里的一见钟情。"),
    ("怎麼辦？這麼多。", "怎么办？这么多。"),
    ("帳戶餘額不足，請於週末前還款；賬戶也一樣。", "账户余额不足，请于周末前还款；账户也一样。"),
]


@pytest.mark.parametrize(("hans", "hant"), HANS_TO_HANT)
def test_simplified_trap_sentences_in_traditional(hans, hant):
    assert display.convert(hans, "zh-hant", "hans") == hant
    assert display.convert(hans, "zh-hant") == hant


@pytest.mark.parametrize(("hans", "_hant"), HANS_TO_HANT)
def test_simplified_original_is_shown_as_written_in_simplified(hans, _hant):
    assert display.convert(hans, "zh-hans", "hans") == hans
    assert display.convert(hans, "zh-hans") == hans


@pytest.mark.parametrize(("hant", "hans"), HANT_TO_HANS)
def test_traditional_trap_sentences_in_simplified(hant, hans):
    assert display.convert(hant, "zh-hans", "hant") == hans


@pytest.mark.parametrize(("hant", "_hans"), HANT_TO_HANS)
def test_traditional_original_is_shown_as_written_in_traditional(hant, _hans):
    assert display.convert(hant, "zh-hant", "hant") == hant


def test_simplified_me_inside_traditional_text_is_not_turned_into_yao():
    # tw2s maps 么 to 幺; a traditional article quoting a simplified word keeps it.
    assert display.convert("他說「怎么办」", "zh-hans", "hant") == "他说“怎么办”"


def test_opencc_alone_gets_the_default_override_wrong():
    from kb.text import opencc_only

    assert opencc_only("粉丝发布", "zh-hant") == "粉絲髮布"
    assert display.convert("粉丝发布", "zh-hant") == "粉絲發布"


def test_an_editors_override_wins_in_both_directions():
    ConversionOverride.objects.create(hans="电视频段", hant="電視頻段（TW）", hk="電視頻段（HK）")
    assert display.convert("这个电视频段", "zh-hant") == "這個電視頻段（TW）"
    assert display.convert("這個電視頻段（TW）", "zh-hans", "hant") == "这个电视频段"
    assert display.convert("這個電視頻段（HK）", "zh-hans", "hant") == "这个电视频段"


def test_overrides_apply_longest_term_first():
    ConversionOverride.objects.create(hans="头发", hant="頭髮")
    ConversionOverride.objects.create(hans="头发布", hant="頭發布")
    assert display.convert("头发布满灰尘的头发", "zh-hant") == "頭發布滿灰塵的頭髮"


def test_editing_or_deleting_an_override_takes_effect_at_once():
    override = ConversionOverride.objects.create(hans="微粒贷", hant="微粒貸款")
    assert display.convert("微粒贷", "zh-hant") == "微粒貸款"
    override.hant = "微粒貸（改）"
    override.save()
    assert display.convert("微粒贷", "zh-hant") == "微粒貸（改）"
    override.delete()
    assert display.convert("微粒贷", "zh-hant") == "微粒貸"


def test_overrides_version_changes_with_every_edit():
    keep = ConversionOverride.objects.create(hans="测试", hant="測試一")
    before = display.rules_version()
    override = ConversionOverride.objects.create(hans="试验", hant="試驗一")
    created = display.rules_version()
    override.hant = "試驗二"
    override.save()
    edited = display.rules_version()
    keep.delete()
    deleted = display.rules_version()
    assert len({before, created, edited, deleted}) == 4


def test_overrides_are_read_once_per_request_not_per_string(django_assert_num_queries):
    display.convert("预热", "zh-hant")
    with django_assert_num_queries(0):
        for word in ("催收", "电话", "还款", "逾期"):
            display.convert(word, "zh-hant")


def test_markdown_link_targets_and_urls_are_not_converted():
    source = '见[官方说明](https://example.com/发布/说明 "发布")和 <https://example.com/后台> 以及 https://example.com/头发'
    result = display.convert_markdown(source, "zh-hant")
    assert '[官方說明](https://example.com/发布/说明 "发布")' in result
    assert "<https://example.com/后台>" in result
    assert "https://example.com/头发" in result
    assert result.startswith("見")


def test_reference_link_definitions_are_not_converted():
    result = display.convert_markdown(
        "说明见[来源][1]。\n\n[1]: https://example.com/发布", "zh-hant"
    )
    assert result == "說明見[來源][1]。\n\n[1]: https://example.com/发布"


def test_private_use_characters_in_input_cannot_smuggle_overrides():
    # No placeholders are used: private-use characters pass through as they are.
    sneaky = "\U000f0000头发\U000f0001"
    assert display.convert(sneaky, "zh-hant") == "\U000f0000頭髮\U000f0001"


def test_long_text_is_converted_like_short_text():
    sentence = "粉丝发布了还款账户的说明。"
    assert display.convert(sentence * 40, "zh-hant") == display.convert(sentence, "zh-hant") * 40


def test_zh_filter_uses_active_language_and_script():
    template = Template("{% load zh %}{{ text|zh }}|{{ text|zh:script }}")
    context = Context({"text": "隨著時間", "script": "hant"})
    with translation.override("zh-hans"):
        assert template.render(context) == "随著时间|随着时间"
    with translation.override("zh-hant"):
        assert template.render(context) == "隨著時間|隨著時間"


def test_article_display_converts_everything_and_renders_markdown():
    article = make_article(
        title="隨著催收電話",
        summary="摘要：帳戶",
        script=Article.Script.HANT,
        sections=[
            ("coping", "接著怎麼辦", "# 小標題\n\n- 保留錄音\n- [來源](https://example.com/發布)")
        ],
    )
    shown = display.article_display(article, list(article.sections.all()), "zh-hans")
    assert shown["title"] == "随着催收电话"
    assert shown["summary"] == "摘要：账户"
    (section,) = shown["sections"]
    assert section["heading"] == "接着怎么办"
    assert section["anchor"] == article.sections.get().anchor
    assert "<h3>小标题</h3>" in section["html"]
    assert "<li>保留录音</li>" in section["html"]
    assert 'href="https://example.com/發布"' in section["html"]


def test_article_display_is_cached_per_revision_and_variant():
    article = make_article(title="催收电话怎么办", sections=[("coping", "怎么办", "保留录音。")])
    sections = list(article.sections.all())
    first = display.article_display(article, sections, "zh-hant")
    with mock.patch.object(conversion, "opencc_only", wraps=conversion.opencc_only) as opencc:
        again = display.article_display(article, sections, "zh-hant")
        assert opencc.call_count == 0
        section = sections[0]
        section.body = "保留录音和截图。"
        section.save()
        changed = display.article_display(article, list(article.sections.all()), "zh-hant")
        assert opencc.call_count > 0
    assert again == first
    assert "截圖" in changed["sections"][0]["html"]


# Interface catalogue


def _template_msgids():
    from pathlib import Path

    from django.conf import settings

    pattern = re.compile(r"""\{%\s*translate\s+(["'])(.+?)\1""")
    found = set()
    for template in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        found.update(match.group(2) for match in pattern.finditer(template.read_text("utf-8")))
    return found


def test_every_template_string_has_a_traditional_form():
    msgids = _template_msgids()
    assert "跳到正文" in msgids
    with translation.override("zh-hant"):
        missing = sorted(
            m for m in msgids if translation.gettext(m) == m and display.convert(m, "zh-hant") != m
        )
    assert not missing, f"run `make messages` and commit locale/: {missing}"


def test_catalogue_fill_converts_only_missing_or_fuzzy_entries(tmp_path):
    from kb.catalogue import fill

    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: \\n"\n\n'
        'msgid "发布于"\nmsgstr ""\n\n'
        'msgid "目录"\nmsgstr "目錄（人工）"\n\n'
        '#, fuzzy, python-format\nmsgid "%(n)s 篇"\nmsgstr "舊的"\n\n'
        'msgid "一篇"\nmsgid_plural "%(n)s 篇"\nmsgstr[0] ""\n',
        encoding="utf-8",
    )
    assert fill(po, lambda text: conversion.convert(text, "zh-hant", "hans")) == 3
    text = po.read_text("utf-8")
    assert 'msgid "发布于"\nmsgstr "發布於"' in text
    assert 'msgstr "目錄（人工）"' in text
    assert '#, python-format\nmsgid "%(n)s 篇"\nmsgstr "%(n)s 篇"' in text
    assert 'msgstr[0] "%(n)s 篇"' in text
    assert "Plural-Forms: nplurals=1; plural=0;" in text
