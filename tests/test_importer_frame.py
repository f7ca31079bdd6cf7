"""The importer on a site's frame it has never seen, and on page shapes met a second time
(issue 11, the second tuning set): contact blocks and banners at a page's edges,
breadcrumbs, ages beside a byline, pictures, things said twice, text wrapped at a width, a
title below a site's frame, a section numbered by a number alone on its line.

Every page and line here is written for this test (青松理财网, 青禾贷 and the rest are made
up); the real third-party pages are measured by reference in test_real_pages.py.
"""

from __future__ import annotations

import pytest

from articles.importing.cleaning import drop_noise, is_noise, join_wrapped_lines
from articles.importing.structure import parse
from articles.importing.titles import is_fragment
from articles.models import Article

from .import_helpers import copy_as, full_text, headings, kinds, run_import

pytestmark = pytest.mark.django_db

TITLE = "青禾贷逾期以后，催收电话是谁打来的"
BODY = [
    "青禾贷是一款线上小额信用贷款，额度不高，在手机上就能申请，受到不少年轻人的欢迎。",
    "逾期以后打来电话的，可能是平台自己的贷后人员，也可能是平台委托的外部催收公司。",
    "催收电话一般在逾期后第三天开始，每天一到两次，先是语音提醒，再由人工拨打。",
    "按照相关规定，催收可以提醒还款，但不得辱骂恐吓，不得向无关的第三人透露欠款。",
    "接到电话先别慌，问清对方的机构和工号，挂断后在官方 App 核实欠款，再主动协商。",
    "拖着不还，罚息会越滚越多，逾期记录还会上征信，以后申请贷款都会受影响。",
]


def import_text(tmp_path, text: str, name: str = "page.txt") -> Article:
    _out, err, failed = run_import(copy_as(tmp_path, name, text))
    assert not failed, err
    return Article.objects.get(source=name)


# A site's frame at the page's edges


def test_a_contact_block_and_a_banner_above_the_title_do_not_reach_the_reader(tmp_path):
    frame = [
        "专业、可靠的法律咨询平台",
        "全国咨询热线:13900001111",
        "切换城市",
        "青松法务",
        "地址:某市某区青松路8号",
        "Q Q:13900001111",
        "电话:13900001111",
        "邮箱:",
        "当前位置: 首页 > 新闻资讯 > 行业资讯",
    ]
    article = import_text(tmp_path, "\n".join([*frame, TITLE, *BODY]))

    text = full_text(article)
    assert article.title == "青禾贷逾期以后，催收电话是谁打来的"
    for noise in ("13900001111", "青松路", "当前位置", "切换城市"):
        assert noise not in text
    assert "generated_title" not in [flag["code"] for flag in article.import_flags]


def test_a_number_the_article_gives_in_its_text_stays():
    page = [TITLE, BODY[0], "客服电话：95000", BODY[4], BODY[5]]
    assert drop_noise(page) == page


@pytest.mark.parametrize(
    "line",
    [
        "您所在的位置:首页 > 助贷",
        "现在位置:相关法条 > 函释查询",
        "逾期 > > 正文",
        "首页 » 信用卡 » 催收",
        '<image>data:image/png;base64,iVBORw0KGgo alt="示意图"</image>',
        "很抱歉！您的浏览器不支持JavaScript，将无法正常使用本系统的功能",
        "24小时LINE @客服帮你解决资金难题",
        "🔄 广告加载中...",
        "急需周转？立即免费注册，发布你的借款需求",
        "插画：青松",
        "• 回列表",
        "扫一扫，关注青松财经",
        "点击查看大图",
    ],
)
def test_a_line_of_a_sites_frame_is_noise_wherever_it_stands(line):
    assert is_noise(line)


@pytest.mark.parametrize(
    "byline",
    [
        "青松律师3天前 (05-12)金融债务12",
        "金融债务34秒前1",
        "青松财经 2个月前",
        "阿青 昨天 12:30",
    ],
)
def test_a_byline_with_the_age_of_the_post_goes_from_the_page_head(byline):
    page = [TITLE, byline, *BODY]
    assert drop_noise(page) == [TITLE, *BODY]


def test_a_banners_counters_go_from_the_page_head():
    page = ["3779万累计借款金额", "17570累计借款需求", TITLE, *BODY]
    assert drop_noise(page) == [TITLE, *BODY]


# Things said twice


def test_a_caption_said_twice_under_its_picture_is_said_once():
    page = [BODY[0], "青禾贷借款", "青禾贷借款", BODY[1]]
    assert drop_noise(page) == [BODY[0], "青禾贷借款", BODY[1]]


def test_a_list_the_scraper_caught_twice_is_kept_once():
    items = ["1. 先发短信提醒还款，再打电话。", "2. 多次联系不上，再联系紧急联系人。"]
    page = [BODY[0], *items, *items, BODY[5]]
    assert drop_noise(page) == [BODY[0], *items, BODY[5]]


def test_a_paragraph_said_twice_in_a_row_is_left_for_an_editor():
    page = [BODY[0], BODY[1], BODY[1], BODY[2]]
    assert drop_noise(page) == page


def test_a_lead_the_next_paragraph_opens_with_again_is_said_once():
    lead = "很多人被催收电话吓到以后，第一反应是不接电话，这样做其实只会让事情更糟。"
    page = [TITLE, lead, "来源：青松财经 作者：阿青", lead + BODY[4], BODY[5]]
    assert drop_noise(page) == [TITLE, lead + BODY[4], BODY[5]]


def test_a_tables_header_row_is_kept_with_its_rows():
    table = [
        "情况 | 正确做法 | 错误做法 |",
        "---|---|---|",
        "刚逾期 | 主动联系客服 | 不接电话 |",
    ]
    page = [BODY[0], *table, BODY[5]]
    assert drop_noise(page) == page


# Text wrapped at a fixed width


def test_a_paragraph_wrapped_at_a_fixed_width_is_one_line_again():
    wrapped = [
        "一、金融机构只能向债务人本人及其保证人催收，",  # opens with a number: its own line
        "不得向与债务无关的第三人催讨，也不得在晚上十",
        "点以后打电话，否则债务人可以向主管机关投诉，",
        "由主管机关依法查处。",
        "二、金融机构以电话催收时，应当全程录音，录音",
        "至少保存六个月，以便稽核或发生争议时查证。",
    ]
    assert join_wrapped_lines(wrapped) == [
        "一、金融机构只能向债务人本人及其保证人催收，不得向与债务无关的第三人催讨，"
        "也不得在晚上十点以后打电话，否则债务人可以向主管机关投诉，由主管机关依法查处。",
        "二、金融机构以电话催收时，应当全程录音，录音至少保存六个月，以便稽核或发生争议时查证。",
    ]


def test_lines_of_one_length_that_end_their_sentences_stay_apart():
    lines = ["逾期以后平台会先发短信提醒还款。", "多次联系不上才会打给紧急联系人。", BODY[0]]
    assert join_wrapped_lines(lines) == lines


def test_a_line_opening_with_a_comma_continues_the_line_before():
    assert join_wrapped_lines(["催收人员不得在深夜打电话", "，也不得骚扰家人。"]) == [
        "催收人员不得在深夜打电话，也不得骚扰家人。"
    ]


def test_table_rows_are_never_joined_as_wrapped_text():
    rows = ["刚逾期 | 联系客服，申请延期 | 不接电话，假装没看见 |"] * 2 + [
        "被威胁 | 录音取证，向平台投诉 | 害怕妥协，支付不合理费用 |"
    ]
    assert join_wrapped_lines(rows) == rows


# Titles and headings


def test_a_title_told_again_as_a_pictures_caption_is_dropped(tmp_path):
    caption = "青禾贷逾期以后，催款电话是谁打来的-示意大图"
    article = import_text(tmp_path, "\n".join([TITLE, caption, *BODY]))

    assert "示意大图" not in full_text(article)


def test_a_title_that_breaks_off_on_a_helping_word_is_a_fragment():
    assert is_fragment("青禾贷逾期几天会")
    assert is_fragment("逾期以后催收电话会打给")
    assert not is_fragment("青禾贷逾期以后如何应对")


def test_a_tag_in_front_of_the_title_is_not_taken_for_a_heading(tmp_path):
    title = "【2026最新】青禾贷逾期以后，催收电话会打给家人吗？一次说清楚"
    article = import_text(tmp_path, "\n".join([title, "- 回列表", title, *BODY]))

    assert article.title == "青禾贷逾期以后，催收电话会打给家人吗？一次说清楚"
    assert "2026最新" not in full_text(article)
    assert "回列表" not in full_text(article)


def test_a_number_alone_on_its_line_numbers_the_heading_after_it():
    lines = [
        TITLE,
        "1",
        "收到催收短信严不严重？",
        BODY[2],
        "2",
        "怎么判断短信真假,防骗第一课,",
        BODY[4],
    ]
    page = parse(lines)

    assert [section.heading for section in page.sections] == [
        "收到催收短信严不严重？",
        "怎么判断短信真假,防骗第一课",
    ]
    assert "2" not in [part for section in page.sections for part in section.parts]


def test_a_page_written_a_line_at_a_time_gets_no_sub_headings_from_its_short_lines(tmp_path):
    story = [
        "有一段时间，我天天接到找我朋友的电话。",
        "起初对方还算客气，说朋友借了钱联系不上，请我帮忙转告。",
        "后来就换了人",
        "语气越来越硬",
        "再后来就是整天的短信轰炸，一分钟十几条，我只好把号码拉黑。",
        "我想着",
        "他现在比谁都难受吧",
        "朋友最后还是还上了钱，我们也没有再提这件事。",
        "人总有难处",
        "但总要面对",
        "后来我才知道，催收打给通讯录里的朋友，是为了让借钱的人在熟人面前抬不起头，逼他还钱。",
        "如果你也接到这样的电话，可以告诉对方你不是担保人，不会替人还款，再把号码拉黑。",
    ]
    article = import_text(tmp_path, "\n".join(story))

    assert "###" not in full_text(article)


def test_a_heading_without_a_kinds_keyword_takes_the_kind_its_cue_words_give(tmp_path):
    text = "\n".join(
        [
            TITLE,
            "一、青禾贷逾期以后多久会打电话给紧急联系人",
            BODY[2],
            BODY[1],
            "二、常见问题",
            BODY[3],
            BODY[5],
        ]
    )
    article = import_text(tmp_path, text)

    assert kinds(article) == ["call_methods", "other"]
    assert headings(article) == ["青禾贷逾期以后多久会打电话给紧急联系人", "常见问题"]


# A short answer is an article


def test_an_answer_of_two_paragraphs_imports(tmp_path):
    text = "\n".join(
        [
            "贷款逾期以后，如果有陌生号码的催收电话打进来，最好接听，问清对方是谁、代表哪家机构、"
            "欠款多少。一直拒接，平台会认为你在逃避，催收只会升级，还可能联系你的家人。",
            "正确的做法是接听以后，和对方约定还款的时间和金额，并在官方渠道核实，"
            "约定好以后按时还款，之后就不会再接到催收电话了。",
        ]
    )
    article = import_text(tmp_path, text)

    assert article.sections.exists()
