"""The importer on the many shapes real scraped pages come in (fixtures/import/pages/),
on files that are no article (fixtures/import/refused/), and the pieces that handle them.

Each page is checked as an editor would: title, lender, section kinds and headings in order,
the site's noise gone, and every sentence of the article still there.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

import pytest

from articles.importing import ImportRejected
from articles.importing.cleaning import drop_noise, is_noise
from articles.importing.decoding import decode
from articles.importing.formats import refuse_data, refuse_navigation
from articles.importing.markers import as_list_item, numbering, split_run_together
from articles.importing.markup import decode_entities, to_text
from articles.importing.titles import strip_site_suffix
from articles.models import Article, Section

from .import_helpers import (
    PAGES,
    REFUSED,
    assert_refused,
    full_text,
    headings,
    kinds,
    run_import,
)

pytestmark = pytest.mark.django_db


@dataclass
class Page:
    title: str
    lender: str
    kinds: list[str]
    headings: list[str]
    noise: list[str]  # strings of the site's lines, not the article's: must be gone
    encoding: str = "utf-8"
    script: str = "hans"
    flags: list[str] = field(default_factory=list)
    markers: list[str] = field(default_factory=list)  # the page's markup: gone, its text kept


PAGE_EXPECTATIONS = {
    "anyihua_brackets.txt": Page(
        title="安逸花催收电话是哪里打来的",
        lender="安逸花",
        kinds=["background", "origin", "legality", "coping", "risks"],
        headings=["导语", "安逸花催收电话的来源", "安逸花催收电话合法吗", "接到安逸花催收电话怎么办", "注意事项"],
        noise=["融易贷款网", "首页", "作者：小林", "阅读", "文章目录", "相关阅读", "安逸花逾期三天会怎么样",
               "可以协商还本金", "免责声明", "Copyright", "ICP"],
        markers=["【", "　"],
    ),
    "jiebei_markdown.md": Page(
        title="借呗逾期后催收电话打给家人，合法吗",
        lender="借呗",
        kinds=["background", "origin", "legality", "coping", "summary"],
        headings=["导语", "借呗的催收电话从哪里来", "催收打电话给家人合法吗？", "家人被骚扰时怎么应对", "总结"],
        noise=["本文导读", "标签", "分享到", "QQ空间", "上一篇", "example.com"],
        markers=["# 借呗", "## 一", "> "],
    ),
    "jintiao_html_remnants.txt": Page(
        title="京东金条逾期后催收电话多吗？一文看懂催收流程",
        lender="京东金条",
        kinds=["background", "call_methods", "call_methods", "legality", "coping", "summary"],
        headings=["导语", "京东金条的催收流程", "催收电话的打出方式", "哪些催收行为属于违规", "借款人如何应对", "总结"],
        noise=["<p>", "</p>", "<br>", "&nbsp;", "&amp;", "&ldquo;", "&gt;", "2876", "理财早知道",
               "责任编辑", "分享到", "点击查看更多", "扫码关注"],
        markers=["■", "1、"],
    ),
    "meituan_diamonds.txt": Page(
        title="美团借钱逾期了，催收电话一天打好几个怎么办",
        lender="美团借钱",
        kinds=["background", "origin", "legality", "coping", "summary"],
        headings=["导语", "美团借钱催收电话的来源", "频繁来电是否违规", "应对频繁来电的方法", "总结"],
        noise=["钱袋子财经", "2025-05-20", "广告", "领取额度", "仅代表作者观点", "侵权", "猜你喜欢",
               "逾期一天会上征信吗", "协商延期还款吗", "美团生活费和美团借钱"],
        markers=["◆", "①", "②"],
    ),
    "weilidai_faq.txt": Page(
        title="微粒贷催收常见问题解答（2025年版）",
        lender="微粒贷",
        kinds=["origin", "risks", "legality", "coping", "risks", "summary"],
        headings=[
            "微粒贷逾期后，催收电话是谁打来的？",
            "怎么判断催收电话是不是真的？",
            "催收打电话给家人合法吗？",
            "接到催收电话应该怎么应对？",
            "逾期了不接催收电话会怎么样？",
            "总结",
        ],
        noise=["发布时间", "贷后小助手", "5621", "上一篇", "下一篇", "可以协商分期吗"],
        markers=["问：", "答："],
    ),
    "fenqile_utf16.txt": Page(
        title="分期乐逾期后的催收电话，你需要知道这些",
        lender="分期乐",
        encoding="utf-16",
        kinds=["background", "origin", "coping", "other", "summary"],
        headings=["导语", "分期乐催收电话的来源", "接听催收电话的技巧", "常见问题", "写在最后"],
        noise=[],
        markers=["▍", "Q：", "A：", "\r", "　"],
    ),
    "jiexin_big5.txt": Page(
        title="捷信逾期催收電話怎麼處理？一篇看懂",
        lender="捷信",
        encoding="big5",
        script="hant",
        kinds=["background", "origin", "legality", "coping"],
        headings=["捷信是什麼", "催收電話的來源", "催收的法律界限", "應對方法"],
        noise=["目錄", "責任編輯", "延伸閱讀", "會被起訴嗎", "只還本金嗎"],
        markers=["（一）", "（二）"],
    ),
    "jietiao360_gb18030.txt": Page(
        title="360借条逾期被催收怎么办？三步教你从容应对",
        lender="360借条",
        encoding="gb18030",
        kinds=["background", "coping", "coping", "coping"],
        headings=["导语", "第一步：确认来电身份", "第二步：核对欠款金额", "第三步：协商还款方案"],
        noise=["借贷百科网", "本文导读", "1. 确认来电身份", "热门推荐", "逾期一天会怎么样", "停息挂账"],
    ),
    "paipaidai_plain_headings.txt": Page(
        title="拍拍贷催收打电话给家人合法吗",
        lender="拍拍贷",
        kinds=["background", "origin", "legality", "coping", "summary"],
        headings=[
            "导语",
            "拍拍贷的催收电话一般是谁打的",
            "催收打电话给家人合法吗？",
            "家人接到催收电话怎么应对",
            "写在最后",
        ],
        noise=["贷款知识", "好借好还网", "当前位置", "作者", "987", "相关文章", "多久会被起诉", "停息挂账",
               "Copyright", "ICP"],
    ),
    "huabei_long_lines.txt": Page(
        title="花呗逾期被催收，这些做法千万别碰",
        lender="花呗",
        kinds=["origin", "risks", "coping", "summary"],
        headings=["花呗催收电话的来源", "花呗催收的常见套路和风险", "遇到违规催收的应对方法", "总结"],
        noise=["2025-01-15", "网贷之家", "标签", "版权所有", "ICP", "网安备"],
        markers=["②", "一、"],
        flags=["lost_chars", "lost_chars", "lost_chars"],  # ?花呗官方? ?消除逾期记录? ?爆通讯录?
    ),
    "xiaomi_run_together.txt": Page(
        title="小米随借催收电话是多少？怎么辨别真假",
        lender="小米随借",
        kinds=["background", "origin", "risks", "coping", "summary"],
        headings=["导语", "小米随借催收电话的来源", "怎么辨别真假催收", "接到催收电话的应对技巧", "总结"],
        noise=["财经头条"],
        markers=["【", "】"],
    ),
    "baitiao_article.html": Page(
        title="京东白条逾期催收电话会打给通讯录吗",
        lender="京东白条",
        kinds=["background", "origin", "legality", "coping"],
        headings=["导语", "白条催收电话的来源", "打电话给通讯录的亲友合法吗", "遇到“爆通讯录”怎么办"],
        noise=["<", "_hmt", "display:flex", "信用卡之家", "白条知识", "当前位置", "保险", "3012",
               "相关文章", "逾期一天有影响吗", "可以协商分期吗", "Copyright", "ICP", "&gt;"],
    ),
    "yirendai_paren_headings.txt": Page(
        title="宜人贷逾期后催收电话打到单位怎么办",
        lender="宜人贷",
        kinds=["background", "other", "legality", "coping"],
        headings=["导语", "催收电话为什么会打到单位", "打到单位是否违规", "怎么处理比较好"],
        noise=["网贷百科", "2024-09-12", "1542", "热门推荐", "逾期一个月会怎样", "减免利息吗",
               "点击查看更多", "仅代表作者"],
        markers=["(一)", "(三)"],
    ),
    "wangshangdai_numbered_items.txt": Page(
        title="网商贷逾期接到催收电话怎么办",
        lender="网商贷",
        kinds=["background", "origin", "coping", "risks", "summary"],
        headings=["导语", "网商贷催收电话的来源", "接到电话后的应对步骤", "需要注意的风险", "总结"],
        noise=[],
        markers=["一、", "1、不要"],
    ),
}  # fmt: skip


def import_page(name: str, publish: bool = True) -> Article:
    out, err, failed = run_import(PAGES / name, publish=publish)
    assert not failed, err
    assert f"{name}: 已创建「" in out
    return Article.objects.get(source=name)


def source_text(name: str) -> str:
    raw = (PAGES / name).read_bytes()
    return raw.decode(PAGE_EXPECTATIONS[name].encoding).lstrip("\ufeff")


_PIECE_BREAK = re.compile(r"[。！？!?；;【】]")
_LEADING_MARKER = re.compile(
    r"^(?:[\s■▍◆>#*\-]|[①-⑳]|[\d一二三四五六七八九十]+[、.．)）]|[(（][\d一二三四五六七八九十]+[)）]|[问答QA][:：])+"
)


def sentences(name: str) -> list[str]:
    """The pieces of the page's text (between sentence ends and brackets, tags taken out)
    long enough to matter, minus the title line and the site's noise, list markers cut off."""
    expected = PAGE_EXPECTATIONS[name]
    text = html.unescape(re.sub(r"<[^>]*>", "\n", source_text(name)))
    lines = [line for line in text.splitlines() if line.strip()][1:]
    pieces = []
    for line in lines:
        if any(noise in line for noise in expected.noise):
            continue
        for piece in _PIECE_BREAK.split(line):
            piece = _LEADING_MARKER.sub("", piece).strip()
            if sum(1 for char in piece if "\u4e00" <= char <= "\u9fff") >= 6:
                pieces.append(piece)
    return pieces


def squeeze(text: str) -> str:
    return re.sub(r"\s+|\*\*", "", text)


@pytest.mark.parametrize("name", sorted(PAGE_EXPECTATIONS))
def test_page_imports_with_title_lender_and_sections_in_order(name):
    expected = PAGE_EXPECTATIONS[name]

    article = import_page(name)

    assert article.title == expected.title
    assert article.lender.name == expected.lender
    assert article.script == expected.script
    assert kinds(article) == expected.kinds
    assert headings(article) == expected.headings
    assert [f["code"] for f in article.import_flags] == expected.flags
    published = Article.Status.REVIEW if expected.flags else Article.Status.PUBLISHED
    assert article.status == published
    assert article.summary and len(article.summary) <= 120


@pytest.mark.parametrize("name", sorted(PAGE_EXPECTATIONS))
def test_page_loses_the_site_noise_and_keeps_every_sentence(name):
    expected = PAGE_EXPECTATIONS[name]
    article = import_page(name)
    text = full_text(article)
    body = squeeze(text)

    for noise in expected.noise + expected.markers:
        assert noise not in text, noise
    pieces = sentences(name)
    assert len(pieces) >= 8
    missing = [piece for piece in pieces if squeeze(piece) not in body]
    assert missing == []


def test_the_reported_bracket_page_is_no_longer_refused(tmp_path):
    # The format an editor reported: 【…】 headings and no contents list to learn them from.
    text = (PAGES / "anyihua_brackets.txt").read_text(encoding="utf-8")
    text = re.sub(r"文章目录\n(.+\n){4}", "", text)
    path = tmp_path / "anyihua.txt"
    path.write_text(text, encoding="utf-8")

    out, err, failed = run_import(path)

    assert not failed, err
    assert "anyihua.txt: 已创建「安逸花催收电话是哪里打来的」 5 段, 借贷产品 安逸花, 草稿" in out


def test_numbered_labels_become_sub_headings_and_numbered_sentences_list_items():
    article = import_page("wangshangdai_numbered_items.txt")
    coping = article.sections.get(kind="coping").body
    risks = article.sections.get(kind="risks").body

    assert coping.startswith("### 1、核实身份\n\n先问清对方的姓名和所属机构")
    assert "\n\n### 2、说明情况\n\n" in coping
    assert risks.startswith(
        "1. 不要向任何个人账户转账，还款只通过网商银行官方渠道进行。\n"
        "2. 不要在对方的催促下借新还旧，以免债务越滚越大。\n"
        "3. 不要透露短信验证码和支付密码"
    )
    assert risks.endswith(
        "\n\n另外，逾期记录可能被报送征信，影响以后的贷款和信用卡申请，所以能早还的尽量早还。"
    )


def test_circled_items_run_together_on_one_line_become_a_list():
    article = import_page("huabei_long_lines.txt")
    coping = article.sections.get(kind="coping").body

    assert coping.splitlines()[:3] == [
        "1. 保存证据：把来电号码、通话录音、短信截图都保存好，作为投诉时的依据。",
        "2. 官方核实：拨打支付宝官方客服电话95188核实对方身份，确认催收是否真实存在。",
        "3. 依法投诉：对方有辱骂、恐吓或者骚扰亲友行为的，可以向平台和金融监管部门投诉，必要时报警。",
    ]


def test_short_labels_under_a_heading_are_sub_headings_and_sentences_a_list():
    article = import_page("meituan_diamonds.txt")
    legality = article.sections.get(kind="legality").body
    coping = article.sections.get(kind="coping").body

    assert legality.startswith("### 1）来电频率\n\n借款人确有逾期")
    assert "\n\n### 2）通话内容\n\n催收人员不能使用侮辱" in legality
    assert coping.startswith("1. 接电话时保持冷静")
    assert "\n2. 登录美团App核对欠款金额" in coping
    assert "\n3. 对骚扰性质的来电进行录音" in coping


def test_html_entities_and_leftover_tags_are_turned_into_text():
    article = import_page("jintiao_html_remnants.txt")
    text = full_text(article)

    assert "“借钱&还款”页面" in text
    assert "“催收电话会不会很多”就成了很多人最担心的事" in text
    assert "提醒借款人还款；如果还是没有还" in text
    # <br> inside a paragraph splits it, and the full-width indent goes.
    process = article.sections.get(heading="京东金条的催收流程").body
    assert process.split("\n\n")[1].startswith("逾期超过一个月以后")
    assert "1. 先核实身份。接到电话后问清对方的单位和姓名" in text


def test_a_whole_html_page_keeps_its_article_and_drops_the_rest():
    article = import_page("baitiao_article.html")
    coping = article.sections.get(kind="coping").body

    assert coping.startswith(
        "- 保存证据：请亲友把来电号码、时间和通话内容记下来，有录音更好。\n- 官方投诉"
    )
    assert coping.endswith("确实有困难时要尽早和平台协商。")


def test_questions_and_answers_become_sections_headed_by_the_questions():
    article = import_page("weilidai_faq.txt")
    second = article.sections.all()[1]

    assert second.body.startswith("不要直接相信来电显示。")
    assert second.body.endswith("凡是要求把钱转到个人账户或者所谓“指定监管账户”的，都要提高警惕。")
    assert article.sections.last().body == "以上就是关于微粒贷催收的常见问题，希望对大家有所帮助。"
    assert article.summary.startswith("微粒贷由微众银行提供")


def test_questions_and_answers_inside_a_section_become_its_sub_headings():
    article = import_page("fenqile_utf16.txt")
    faq = article.sections.get(heading="常见问题").body

    assert faq.startswith("### 催收说要上门，是真的吗？\n\n正规机构在特定情况下可能安排外访")
    assert "\n\n### 逾期会影响征信吗？\n\n" in faq
    assert "\n\n### 可以只还本金吗？\n\n" in faq


def test_markdown_page_keeps_its_sub_headings_lists_and_emphasis():
    article = import_page("jiebei_markdown.md")
    origin = article.sections.get(kind="origin").body
    legality = article.sections.get(kind="legality").body
    coping = article.sections.get(kind="coping").body

    assert "\n\n### 1. 平台自己的提醒\n\n" in origin
    assert "用来**确认联系方式**的" in legality
    assert coping.startswith("- 保留证据：") and "\n- 向平台投诉：" in coping
    assert article.summary.startswith("借呗逾期以后，不少人发现催收电话打到了父母、同事那里。")


def test_steps_keep_their_order_in_the_heading_and_count_as_coping():
    article = import_page("jietiao360_gb18030.txt")

    assert "确认来电身份" not in article.sections.first().body  # the 本文导读 list is gone
    assert article.sections.last().body.endswith("借款人可以保存录音向平台和金融监管部门投诉。")


def test_reimporting_a_new_format_page_updates_it():
    import_page("anyihua_brackets.txt")
    sections = Section.objects.count()

    out, _err, failed = run_import(PAGES / "anyihua_brackets.txt", publish=True)

    assert not failed
    assert "anyihua_brackets.txt: 已更新「安逸花催收电话是哪里打来的」 5 段" in out
    assert Article.objects.count() == 1
    assert Section.objects.count() == sections


def test_a_directory_of_pages_imports_every_page_including_html():
    out, err, failed = run_import(PAGES)

    assert not failed, err
    assert (
        f"共 {len(PAGE_EXPECTATIONS)} 个文件：创建 {len(PAGE_EXPECTATIONS)}，更新 0，未变 0，失败 0"
        in out
    )
    assert sorted(Article.objects.values_list("source", flat=True)) == sorted(PAGE_EXPECTATIONS)


PARAGRAPH = (
    "借款人接到电话时应当保持冷静，先问清对方的身份和所属机构，再登录官方App核对欠款金额，"
    "确认无误后再商量还款的安排。"
)


def import_text(tmp_path, text: str) -> Article:
    path = tmp_path / "page.txt"
    path.write_text(text, encoding="utf-8")
    _out, err, failed = run_import(path)
    assert not failed, err
    return Article.objects.get()


def test_a_label_after_the_first_numbered_heading_stays_inside_its_section(tmp_path):
    article = import_text(
        tmp_path,
        f"还呗催收电话合法吗？\n{PARAGRAPH}\n一、还呗催收电话的来源\n{PARAGRAPH}\n★温馨提示\n"
        f"{PARAGRAPH}\n二、催收合法吗\n{PARAGRAPH}\n三、应对方法\n{PARAGRAPH}\n",
    )

    assert headings(article) == ["导语", "还呗催收电话的来源", "催收合法吗", "应对方法"]
    assert "\n\n### 温馨提示\n\n" in article.sections.get(kind="origin").body


def test_site_byline_and_reader_comments_are_dropped(tmp_path):
    article = import_text(
        tmp_path,
        f"省呗催收电话是哪里打来的\n钱袋子财经 小王\n{PARAGRAPH}\n省呗催收电话一般是谁打的\n"
        f"{PARAGRAPH}\n催收电话打给家人合法吗\n{PARAGRAPH}\n写在最后\n{PARAGRAPH}\n网友评论（2）\n"
        "网友甲：我上周也接到了这种电话，对方态度很差，一直说要起诉我，吓得我一晚上没睡着。\n",
    )
    text = full_text(article)

    assert kinds(article) == ["background", "origin", "legality", "summary"]
    assert "钱袋子财经" not in text
    assert "网友" not in text


def test_a_faq_page_on_one_line_becomes_one_section_per_question(tmp_path):
    answer = "不会，紧急联系人没有还款义务，催收人员只能请对方转告借款人，不能要求其代为还款。"
    article = import_text(
        tmp_path,
        f"美团借钱催收电话打给紧急联系人怎么办？问：紧急联系人会被要求还钱吗？答：{answer}"
        f"问：催收可以一直打给紧急联系人吗？答：{answer}问：借款人应该怎么做？答：{answer}"
        f"Q：紧急联系人接到电话时该怎么说？A：{answer}",
    )

    assert article.title == "美团借钱催收电话打给紧急联系人怎么办"
    assert headings(article) == [
        "紧急联系人会被要求还钱吗？",
        "催收可以一直打给紧急联系人吗？",
        "借款人应该怎么做？",
        "紧急联系人接到电话时该怎么说？",
    ]
    assert [s.body for s in article.sections.all()] == [answer] * 4


@pytest.mark.parametrize(
    "line",
    [
        "分享到：微信 微博 QQ",
        "标签：借呗 逾期 催收",
        "【广告】急用钱？正规平台最高可借20万",
        "点击查看更多>>",
        "扫码关注公众号，了解更多贷款知识",
        "本文仅代表作者观点，不构成投资建议。如有侵权请联系删除。",
        "图片来源于网络，侵删",
        "京公网安备11010502000001号",
        "阅读(1542)",
        "原标题：借呗逾期怎么办",
        "- [一、借呗的催收电话从哪里来](#一借呗的催收电话从哪里来)",
        "目录：一、来源 二、合法性 三、应对",
    ],
)
def test_more_site_noise(line):
    assert is_noise(line)


@pytest.mark.parametrize(
    "line",
    [
        "不要随便扫描二维码。",
        "可以关注官方公众号查询还款计划。",
        "【案例】小王逾期三个月后，接到了自称律师的电话。",
        "如果对方态度恶劣，可以点击App里的“投诉”按钮反映。",
    ],
)
def test_text_that_only_looks_like_noise_stays(line):
    assert not is_noise(line)
    assert drop_noise(["标题", line, "正文。" * 20]) == ["标题", line, "正文。" * 20]


def test_related_links_in_the_middle_of_a_page_go_but_the_next_heading_stays():
    lines = [
        "正文。" * 20,
        "热门推荐：",
        "借呗逾期一个月会怎样",
        "借呗可以协商吗",
        "写在最后",
        "正文。" * 20,
    ]
    assert drop_noise(lines) == ["正文。" * 20, "写在最后", "正文。" * 20]


# Files that are no article: refused with a reason, nothing saved.


@pytest.mark.parametrize(
    "name, reason",
    [
        ("linkfarm.txt", "没有成段的正文"),
        ("few_lines.txt", "内容太短"),
        ("english.txt", "不是中文文章"),
        ("data.json", "JSON"),
        ("table.csv", "CSV"),
        ("app_shell.html", "HTML 网页去掉标签、脚本和导航后只剩"),
    ],
)
def test_non_article_is_refused(name, reason):
    assert_refused(REFUSED / name, reason)


def test_tab_separated_table_is_refused(tmp_path):
    rows = ["产品\t机构\t说明"] + [
        f"产品{i}\t机构{i}\t这是第{i}个产品的说明文字" for i in range(30)
    ]
    path = tmp_path / "table.txt"
    path.write_text("\n".join(rows), encoding="utf-8")
    assert_refused(path, "TSV")


def test_utf16_without_byte_order_mark_is_read(tmp_path):
    text = (PAGES / "fenqile_utf16.txt").read_bytes().decode("utf-16")
    path = tmp_path / "no_bom.txt"
    path.write_bytes(text.encode("utf-16-le"))

    _out, err, failed = run_import(path)

    assert not failed, err
    assert Article.objects.get().title == "分期乐逾期后的催收电话，你需要知道这些"


def test_utf16_with_a_broken_half_character_is_refused_with_a_reason(tmp_path):
    path = tmp_path / "broken.txt"
    path.write_bytes("催收电话".encode("utf-16") + b"\x00\xd8")  # a lone surrogate
    assert_refused(path, "UTF-16")


# The pieces


@pytest.mark.parametrize(
    "line, style, rest",
    [
        ("【安逸花催收电话的来源】", "bracket", "安逸花催收电话的来源"),
        ("【一、来源】：", "bracket", "来源"),
        ("■ 京东金条的催收流程", "mark■", "京东金条的催收流程"),
        ("▍分期乐催收电话的来源", "mark▍", "分期乐催收电话的来源"),
        ("◆ 总结", "mark◆", "总结"),
        ("## 一、借呗的催收电话从哪里来", "md2", "借呗的催收电话从哪里来"),
        ("### 1. 平台自己的提醒", "md3", "平台自己的提醒"),
        ("## 来源 ##", "md2", "来源"),
        ("**二、合法性**", "cn", "合法性"),
        ("**写在最后**", "bold", "写在最后"),
        ("第一步：确认来电身份", "step", "确认来电身份"),
        ("第一，先核实身份", "ordinal", "先核实身份"),
        ("问：催收打电话给家人合法吗？", "qa", "催收打电话给家人合法吗？"),
        ("Q1：逾期会影响征信吗？", "qa", "逾期会影响征信吗？"),
        ("1）来电频率", "num_rparen", "来电频率"),
        ("(1)正常核实", "num_paren", "正常核实"),
        ("１．全角数字", "num", "全角数字"),
        ("01 催收电话的来源", "num_zero", "催收电话的来源"),
        ("02丨催收是否合法", "num_zero", "催收是否合法"),
        ("👉 应对方法", "mark👉", "应对方法"),
        ("問：催收打電話給家人合法嗎？", "qa", "催收打電話給家人合法嗎？"),
        ("第二節 應對方法", "chapter", "應對方法"),
        ("#借呗# 逾期了怎么办", None, "#借呗# 逾期了怎么办"),
        ("【案例】小王逾期三个月后接到了电话。", None, "【案例】小王逾期三个月后接到了电话。"),
        ("● ", None, "● "),
    ],
)
def test_numbering_and_markers(line, style, rest):
    assert numbering(line) == (style, rest)


@pytest.mark.parametrize(
    "line, item",
    [
        ("1、先核实身份。接到电话后问清对方。", "1. 先核实身份。接到电话后问清对方。"),
        ("（2）向无关的亲友透露欠款；", "2. 向无关的亲友透露欠款；"),
        ("3）不要转账。", "3. 不要转账。"),
        ("②官方核实：拨打95188核实。", "2. 官方核实：拨打95188核实。"),
        ("● 不要透露验证码。", "- 不要透露验证码。"),
        ("· 保留录音。", "- 保留录音。"),
        ("一、催收的来源", None),
        ("2024年以后，规定更严格了。", None),
    ],
)
def test_list_items(line, item):
    assert as_list_item(line) == item


def test_headings_written_with_their_paragraph_on_one_line_are_split_off():
    text = "安逸花的催收电话一般来自平台的贷后团队，逾期较久的会委托外部机构。"
    assert split_run_together(
        [f"【来源】{text}", f"一、合法性：{text}", f"（二）应对：{text}"]
    ) == [
        "【来源】",
        text,
        "一、合法性",
        text,
        "（二）应对",
        text,
    ]
    # Once on a page it is a label opening a paragraph.
    assert split_run_together([f"【案例】{text}", text]) == [f"【案例】{text}", text]


def test_run_together_lines_are_split_at_headings_items_and_answers():
    lines = [
        "导语文字。【来源】来自平台。【合法吗】要看方式。",
        "①保存证据。②官方核实。③依法投诉。",
        "问：会上门吗？答：一般不会。问：会起诉吗？答：可能会。",
        "文中只有一个【标签】不拆开。",
    ]
    assert split_run_together(lines) == [
        "导语文字。",
        "【来源】",
        "来自平台。",
        "【合法吗】",
        "要看方式。",
        "①保存证据。",
        "②官方核实。",
        "③依法投诉。",
        "问：会上门吗？",
        "答：一般不会。",
        "问：会起诉吗？",
        "答：可能会。",
        "文中只有一个【标签】不拆开。",
    ]


@pytest.mark.parametrize(
    "scraped, title",
    [
        ("安逸花催收电话是哪里打来的？_融易贷款网", "安逸花催收电话是哪里打来的？"),
        ("拍拍贷催收打电话给家人合法吗-贷款知识-好借好还网", "拍拍贷催收打电话给家人合法吗"),
        ("美团借钱逾期了怎么办|钱袋子财经", "美团借钱逾期了怎么办"),
        ("宜人贷催收电话打到单位怎么办 - 网贷百科", "宜人贷催收电话打到单位怎么办"),
        ("京东白条催收_白条知识_信用卡之家", "京东白条催收"),
        ("微粒贷催收电话 - www.example.com", "微粒贷催收电话"),
        ("95188-9是借呗的催收电话吗", "95188-9是借呗的催收电话吗"),
        ("借呗-花呗逾期的区别", "借呗-花呗逾期的区别"),
        ("催收_某某网", "催收_某某网"),  # what would remain says too little
        ("【干货】还呗催收电话合法吗？（组图）", "还呗催收电话合法吗？"),
        ("捷信逾期催收電話怎麼處理_貸款知識網", "捷信逾期催收電話怎麼處理"),
    ],
)
def test_site_suffix_is_cut_from_titles(scraped, title):
    assert strip_site_suffix(scraped) == title


def test_entities_are_decoded_even_when_escaped_twice():
    assert decode_entities("A&amp;B&nbsp;C &ldquo;好&rdquo; &#20511;&#x5457; &amp;nbsp;") == (
        "A&B C “好” 借呗  "
    )
    assert decode_entities("R&D 部门 & 同事") == "R&D 部门 & 同事"


def test_leftover_tags_become_lines_and_headings():
    text, was_page = to_text(
        "<p>第一段。<br/>第二段。</p><h2>来源</h2><p>正文<strong>重点</strong>。</p>"
    )
    assert not was_page
    assert [line for line in text.splitlines() if line] == [
        "第一段。",
        "第二段。",
        "## 来源",
        "正文**重点**。",
    ]


def test_html_page_drops_scripts_navigation_and_footer_and_uses_title_without_h1():
    paragraph = (
        "正文第一段，催收\n电话的说明。" + "借款人应当按时还款，确有困难的可以主动协商分期。" * 10
    )
    page = (
        "<!doctype html><html><head><title>借呗催收_某某网</title><script>var a='脚本';</script>"
        "</head><body><div class='nav'><a>首页</a></div><div class='content'><p>"
        f"{paragraph}</p></div><div id='footer'>版权</div></body></html>"
    )
    text, was_page = to_text(page)
    assert was_page
    assert [line.strip() for line in text.splitlines() if line.strip()] == [
        "借呗催收_某某网",
        paragraph.replace("\n", ""),
    ]


def test_html_page_whose_article_box_has_a_sidebar_like_class_keeps_its_article():
    paragraph = "<p>" + "借款人接到催收电话时应当保持冷静，先核实对方身份和欠款金额。" * 3 + "</p>"
    page = f"<html><body><div class='content-side'><h1>借呗催收</h1>{paragraph * 3}</div></body></html>"
    text, _was_page = to_text(page)
    assert text.count("先核实对方身份") == 9


@pytest.mark.parametrize(
    "text, reason",
    [
        ('{"title": "借呗", "body": "正文"}', "JSON"),
        ('[{"a": 1}, {"b": 2}, {"c": 3}', "JSON"),
        ("<?xml version='1.0'?><rss><item>借呗</item></rss>", "XML"),
        ("名称,机构,电话\n微粒贷,微众银行,95384\n借呗,蚂蚁,95188\n", "CSV"),
    ],
)
def test_data_files_are_refused(text, reason):
    with pytest.raises(ImportRejected, match=reason):
        refuse_data(text)


def test_prose_with_ascii_commas_is_not_a_table():
    prose = [
        "微粒贷催收 作为一种主动催收手段,具有及时、高效的特点,可以有效提醒借款人还款。",
        "1. 催收公司:",
        "银行或金融机构往往将逾期债务委托给专业的催收公司进行处理,催收公司会联系借款人。",
        "2. 微粒贷平台:",
        "微粒贷平台作为一种线上借贷平台,其内部也设有专门的催收团队,逾期后会联系借款人,提醒还款。",
    ]
    refuse_data("\n".join(prose))  # no exception


def test_headlines_without_prose_are_a_navigation_page():
    headlines = [f"借呗逾期第{i}天会怎么样 2025-06-{i:02d}" for i in range(1, 25)]
    with pytest.raises(ImportRejected, match="导航页"):
        refuse_navigation(headlines, 100)
    refuse_navigation(
        headlines[:3] + ["借款人应当按时还款，确有困难的，可以主动联系平台协商分期。" * 8], 100
    )


def test_utf16_big_endian_with_bom_is_decoded():
    text, encoding = decode("\ufeff借呗催收电话".encode("utf-16-be"))
    assert (text.lstrip("\ufeff"), encoding) == ("借呗催收电话", "utf-16")
