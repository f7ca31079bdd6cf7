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
from tests.factories import make_article, make_lender

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


def test_rules_version_changes_with_every_override_lender_or_alias_edit():
    keep = ConversionOverride.objects.create(hans="测试", hant="測試一")
    versions = [display.rules_version()]
    override = ConversionOverride.objects.create(hans="试验", hant="試驗一")
    versions.append(display.rules_version())
    override.hant = "試驗二"
    override.save()
    versions.append(display.rules_version())
    keep.delete()
    versions.append(display.rules_version())
    lender = make_lender("版本贷")
    versions.append(display.rules_version())
    lender.aliases.create(name="版本花")
    versions.append(display.rules_version())
    assert len(set(versions)) == 6


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


# Vocabulary: the words each reader uses, both directions

MAINLAND_TO_TAIWAN = [
    ("收到一条短信", "收到一條簡訊"),
    ("下载会议软件，共享屏幕", "下載會議軟體，共享螢幕"),
    ("检查网络后再试", "檢查網路後再試"),
    ("不要向个人账户转账", "不要向個人帳戶轉帳"),
    ("拍下身份证，核对身份", "拍下身分證，核對身分"),
    ("不要泄露个人信息", "不要洩露個人資訊"),
    ("录一段视频", "錄一段影片"),
    ("点开短信里的链接", "點開簡訊裡的連結"),
    ("虚拟运营商号段", "虛擬營運商號段"),
    ("紧急联系人的联系方式", "緊急聯絡人的聯絡方式"),
    ("只走官方渠道", "只走官方管道"),
]

TAIWAN_TO_MAINLAND = [
    ("收到一則簡訊", "收到一则短信"),
    ("下載會議軟體，共享螢幕", "下载会议软件，共享屏幕"),
    ("檢查網路後再試", "检查网络后再试"),
    ("不要向個人帳戶轉帳", "不要向个人账户转账"),
    ("拍下身分證，核對身分", "拍下身份证，核对身份"),
    ("不要洩露個人資訊", "不要泄露个人信息"),
    ("錄一段影片", "录一段视频"),
    ("保留通話紀錄", "保留通话记录"),
    ("透過官方管道還款", "通过官方渠道还款"),
    ("緊急聯絡人的聯絡方式", "紧急联系人的联系方式"),
]


@pytest.mark.parametrize(("hans", "hant"), MAINLAND_TO_TAIWAN)
def test_taiwan_readers_see_taiwan_words(hans, hant):
    assert display.convert(hans, "zh-hant", "hans") == hant


@pytest.mark.parametrize(("hant", "hans"), TAIWAN_TO_MAINLAND)
def test_mainland_readers_see_mainland_words(hant, hans):
    assert display.convert(hant, "zh-hans", "hant") == hans


@pytest.mark.parametrize(
    ("text", "variant", "script", "expected"),
    [
        ("粉丝发布的视频", "zh-hant", "hans", "粉絲發布的影片"),
        ("先了解情况", "zh-hant", "hans", "先了解情況"),
        ("这个电视频段", "zh-hant", "hans", "這個電視頻段"),
        ("這個電影片段", "zh-hans", "hant", "这个电影片段"),
        ("依法律程序处理，拒不执行判决", "zh-hant", "hans", "依法律程序處理，拒不執行判決"),
        ("依法律程序處理，拒不執行判決", "zh-hans", "hant", "依法律程序处理，拒不执行判决"),
        ("投诉对象和问题类型", "zh-hant", "hans", "投訴對象和問題類型"),
        ("那只会让机构认为", "zh-hant", "hans", "那只會讓機構認為"),
        ("写在合同里的条款", "zh-hant", "hans", "寫在合同裡的條款"),
    ],
)
def test_known_traps_never_happen(text, variant, script, expected):
    assert display.convert(text, variant, script) == expected


def test_a_statute_title_keeps_its_own_words_in_both_scripts():
    hans = "《中华人民共和国个人信息保护法》保护个人信息，个人信息保护法也管催收。"
    hant = display.convert(hans, "zh-hant", "hans")
    assert hant == "《中華人民共和國個人信息保護法》保護個人資訊，個人信息保護法也管催收。"
    assert "個人資料保護法" not in hant
    assert display.convert(hant, "zh-hans", "hant") == hans


def test_taiwans_own_statute_keeps_its_name_on_a_simplified_page():
    assert display.convert("《個人資料保護法》保護個人資訊", "zh-hans", "hant") == (
        "《个人资料保护法》保护个人信息"
    )


def test_institutions_and_crimes_are_names_not_vocabulary():
    text = "向12321网络不良与垃圾信息举报受理中心举报；可能构成侵犯公民个人信息罪。"
    assert display.convert(text, "zh-hant", "hans") == (
        "向12321網絡不良與垃圾信息舉報受理中心舉報；可能構成侵犯公民個人信息罪。"
    )


def test_any_book_title_is_protected_from_vocabulary():
    assert display.convert("《短信里的网络》讲短信", "zh-hant", "hans") == "《短信裡的網絡》講簡訊"


def test_registry_names_are_protected_and_follow_edits():
    lender = make_lender("网络花", aliases=["信息宝"])
    assert display.convert("网络花的网络，信息宝的信息", "zh-hant") == "網絡花的網路，信息寶的資訊"
    lender.name = "测试贷"
    lender.save()
    assert display.convert("网络花的网络", "zh-hant") == "網路花的網路"


def test_an_editors_override_wins_over_the_vocabulary():
    ConversionOverride.objects.create(hans="短信", hant="短訊")
    assert display.convert("收到短信", "zh-hant", "hans") == "收到短訊"
    assert display.convert("收到短訊", "zh-hans", "hant") == "收到短信"


def test_text_of_unknown_script_gets_vocabulary_toward_taiwan_only():
    assert display.convert("新闻简讯", "zh-hans") == "新闻简讯"
    assert display.convert("发短信", "zh-hant") == "發簡訊"


def test_hong_kong_gets_characters_and_quotes_not_taiwan_words():
    assert display.convert("收到“短信”", "zh-hk", "hans") == "收到「短信」"


# Quotes


@pytest.mark.parametrize(
    ("hans", "hant"),
    [
        ("他说“别怕”。", "他說「別怕」。"),
        ("他说“对方说‘马上立案’”。", "他說「對方說『馬上立案』」。"),
        ("“注销账户”“影响征信”", "「註銷帳戶」「影響徵信」"),
    ],
)
def test_quotes_follow_each_variant_nested_included(hans, hant):
    assert display.convert(hans, "zh-hant", "hans") == hant
    assert display.convert(hant, "zh-hans", "hant") == hans


def test_apostrophes_and_ascii_quotes_are_left_alone():
    assert display.convert('App’s “说明” "原文"', "zh-hant", "hans") == 'App’s 「說明」 "原文"'


def test_markdown_link_targets_keep_their_quotes_and_words():
    source = '见[“说明”](https://example.com/短信 "“标题”")和 <https://example.com/“网络”>'
    result = display.convert_markdown(source, "zh-hant", "hans")
    assert (
        result == '見[「說明」](https://example.com/短信 "“标题”")和 <https://example.com/“网络”>'
    )


# Layering, the variants table, cache keys


def test_kb_never_imports_articles():
    import ast
    from pathlib import Path

    from django.conf import settings

    offenders = []
    for path in Path(settings.BASE_DIR, "kb").rglob("*.py"):
        if path.name == "urls.py":
            continue  # the root URLconf wires the apps in
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            offenders += [
                f"{path.name}: {name}" for name in names if name.split(".")[0] == "articles"
            ]
    assert not offenders


def test_languages_html_lang_and_og_locale_come_from_one_table():
    from django.conf import settings

    from articles import seo
    from articles.templatetags.zh import html_lang
    from kb.variants import VARIANTS

    assert settings.LANGUAGES == [("zh-hans", "简体中文"), ("zh-hant", "繁體中文")]
    for code, _label in settings.LANGUAGES:
        assert html_lang(code) == VARIANTS[code].html_lang
        assert seo.OG_LOCALES[code] == VARIANTS[code].og_locale
    assert not hasattr(seo, "LANGUAGE_TAGS")


def test_a_conversion_change_reaches_cached_pages_without_editing_them(client, monkeypatch):
    from kb import vocabulary
    from kb.cache import fragment_key

    article = make_article(title="接到短信怎么办", sections=[("coping", "应对", "先看短信。")])
    url = "/zh-hant" + article.get_absolute_url()
    assert "先看簡訊。" in client.get(url).content.decode()
    key_before = fragment_key("titles", variant="zh-hant", version="v1")

    words = (vocabulary.Word("短信", "短訊", vocabulary.BOTH), *vocabulary.WORDS)
    monkeypatch.setattr(vocabulary, "WORDS", words)
    for cached in (conversion.vocabulary_index, conversion.render_version, display._convert_short):
        cached.cache_clear()
    try:
        assert "先看短訊。" in client.get(url).content.decode()
        assert fragment_key("titles", variant="zh-hant", version="v1") != key_before
    finally:
        monkeypatch.undo()
        for cached in (
            conversion.vocabulary_index,
            conversion.render_version,
            display._convert_short,
        ):
            cached.cache_clear()


def test_every_vocabulary_pair_is_a_search_synonym():
    from articles.search.lexicon import synonym_groups
    from articles.search.synonyms import DEFAULT_SYNONYMS, VOCABULARY_SYNONYMS
    from kb.text import fold
    from kb.vocabulary import WORDS

    groups = [synonym_groups(terms) for terms in (*DEFAULT_SYNONYMS, *VOCABULARY_SYNONYMS)]
    pairs = [(a, b) for group in groups for a in group for b in group if a != b]
    words_of_their_own = {("通过", "透过"), ("运营", "营运"), ("智能", "智慧"), ("互联网", "网路")}
    missing = []
    for word in WORDS:
        hans, hant = fold(word.hans), fold(word.hant)
        if hans == hant or (hans, hant) in words_of_their_own:
            continue
        # 紧急联系人 / 紧急联络人 is found through the group 联系人 / 联络人.
        if not any(a in hans and hans.replace(a, b) == hant for a, b in pairs):
            missing.append((word.hans, word.hant))
    assert not missing
