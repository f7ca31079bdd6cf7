"""The importer on pages shaped like ones it has never seen (issue 11).

Plain paragraphs without a heading, a heading run into its paragraph, a title that is only
a fragment, products the registry shares a name with, and the boilerplate of sites never
met. Every example page and line here is written for this test; the real third-party pages
are measured by reference, as files, in test_real_pages.py.
"""

from __future__ import annotations

import pytest

from articles.importing import ImportRejected
from articles.importing.cleaning import drop_noise
from articles.importing.decoding import decode
from articles.importing.formats import refuse_data
from articles.importing.lenders import recognise
from articles.importing.titles import clean_title, is_fragment
from articles.importing.topics import segment
from articles.models import Article, Lender
from kb.text import opencc_only as convert

from .import_helpers import copy_as, full_text, headings, kinds, run_import

pytestmark = pytest.mark.django_db

PLAIN = [
    "微粒贷是微众银行推出的一款小额信用贷款产品，额度不高，在微信里就能申请，受到不少年轻人欢迎。",
    "逾期以后打来电话的，可能是银行自己的贷后人员，也可能是银行委托的外部催收公司，"
    "还可能是冒充银行的骗子自称工作人员。",
    "催收电话一般在逾期后第三天开始，每天一到两次，先是机器人语音提醒，再由人工拨打，也会发短信。",
    "按照《民法典》和相关规定，催收可以提醒还款，但不得辱骂恐吓，不得向无关的第三人透露欠款，"
    "否则就是违法的。",
    "接到电话先别慌，问清对方的机构和工号，挂断后在官方 App 核实欠款，再主动协商延期或分期，"
    "并保存通话录音作为证据。",
    "拖着不还，罚息和滞纳金会越滚越多，逾期记录还会上征信，以后贷款买房都受影响，严重的会被起诉。",
    "总之，欠款要还，但催收也要守法，遇到越界行为就保留证据并投诉。",
]
PLAIN_KINDS = ["background", "origin", "call_methods", "legality", "coping", "risks", "summary"]
READER_HEADINGS = ["基本情况", "谁在打电话", "怎么催收、何时来电", "是否合法", "怎么应对"]


def import_text(tmp_path, text: str, name: str = "page.txt") -> Article:
    _out, err, failed = run_import(copy_as(tmp_path, name, text))
    assert not failed, err
    return Article.objects.get(source=name)


def codes(article: Article) -> list[str]:
    return [item["code"] for item in article.import_flags]


# Sections from content


def test_a_page_of_plain_paragraphs_is_split_by_what_each_paragraph_says(tmp_path):
    article = import_text(tmp_path, "微粒贷逾期以后，电话是谁打来的\n" + "\n".join(PLAIN))

    assert kinds(article) == PLAIN_KINDS
    assert headings(article)[:5] == READER_HEADINGS
    assert "generated_sections" in codes(article)
    assert article.status == Article.Status.DRAFT or article.status == Article.Status.REVIEW
    bodies = [section.body for section in article.sections.all()]
    assert bodies == PLAIN  # every paragraph kept, in order, each where it belongs


def test_a_traditional_page_without_headings_gets_headings_in_its_own_script(tmp_path):
    text = convert("微粒贷逾期以后，电话是谁打来的\n" + "\n".join(PLAIN), "zh-hant")
    article = import_text(tmp_path, text)

    assert article.script == "hant"
    assert kinds(article) == PLAIN_KINDS
    assert headings(article)[:4] == ["基本情況", "誰在打電話", "怎麼催收、何時來電", "是否合法"]


def test_a_page_whose_headings_come_after_most_of_its_text_is_split_before_them(tmp_path):
    text = "\n".join(["微粒贷逾期以后，电话是谁打来的", *PLAIN[:5], "一、写在最后", PLAIN[6]])
    article = import_text(tmp_path, text)

    assert kinds(article)[:5] == PLAIN_KINDS[:5]
    assert headings(article)[-1] == "写在最后"
    assert "generated_sections" in codes(article)


def test_a_short_line_in_running_text_stays_as_a_sub_heading(tmp_path):
    text = "\n".join(["微粒贷逾期以后，电话是谁打来的", PLAIN[0], "详细说明", *PLAIN[1:]])
    article = import_text(tmp_path, text)

    assert "### 详细说明" in full_text(article)


def test_segmenting_keeps_a_list_with_the_line_that_introduces_it():
    parts = [
        PLAIN[0],
        "接到催收电话以后，可以按下面的顺序应对：",
        "1. 问清对方的机构和工号。",
        "2. 在官方 App 核实欠款。",
        "3. 主动协商延期或分期。",
    ]
    sections = segment(parts)

    assert [kind for kind, _heading, _parts in sections] == ["background", "coping"]
    assert sections[1][2] == parts[1:]


def test_a_heading_run_into_its_paragraph_is_split_off(tmp_path):
    text = "\n".join(
        [
            "青禾消费金融催收电话须知",
            "一、青禾消费金融简介与催收原则 青禾消费金融是一家持牌的消费金融公司，"
            "逾期以后先由公司自己的贷后团队提醒还款，再视情况委托外部机构。"
            "无论是谁打来，都只能提醒还款，不能辱骂恐吓，也不能骚扰与借款无关的人。",
            "二、接到电话怎么办 先问清对方的身份和所属机构，再到官方 App 核对欠款，"
            "然后主动说明情况，协商还款的时间和方式。通话时可以录音，"
            "遇到威胁就保留证据，向公司投诉，必要时向监管部门反映。",
            "三、逾期的后果 拖得越久，罚息和违约金越多，逾期记录还会报送征信，"
            "以后申请房贷车贷都会受影响，所以越早沟通越好。",
        ]
    )
    article = import_text(tmp_path, text)

    assert headings(article) == ["青禾消费金融简介与催收原则", "接到电话怎么办", "逾期的后果"]
    assert article.sections.first().body.startswith("青禾消费金融是一家持牌的消费金融公司")


def test_a_question_and_answer_page_becomes_one_section_per_question(tmp_path):
    text = "\n".join(
        [
            "借呗逾期常见问题",
            "催收可以打电话给我的家人吗？",
            "可以请家人转告，但不能把欠款细节告诉他们，更不能让他们替你还钱。"
            "如果家人被反复骚扰，可以要求对方停止联系，并向平台投诉。",
            "逾期几天会上征信？",
            "一般逾期以后就会如实报送，具体以平台和征信中心的记录为准，越早还款影响越小。"
            "还清以后，不良记录会保留一段时间，之后不再展示。",
            "接到自称借呗的电话要转账怎么办？",
            "不要转账，挂断后打开支付宝核实欠款，只在官方渠道还款，必要时报警。"
            "正规的催收只会让你在官方渠道还款，不会让你转到个人账户。",
        ]
    )
    article = import_text(tmp_path, text)

    assert headings(article) == [
        "催收可以打电话给我的家人吗？",
        "逾期几天会上征信？",
        "接到自称借呗的电话要转账怎么办？",
    ]


def test_a_page_of_paragraphs_with_ascii_commas_is_prose_not_a_table(tmp_path):
    rows = [
        "借呗逾期以后,平台会先发短信提醒,再打电话,一般不会马上联系家人。",
        "如果一直不还,平台可能会联系紧急联系人,请他们转告,但不能透露欠款细节。",
        "借款人应当主动联系平台,说明情况,协商延期或者分期,并保存好沟通记录。",
        "遇到辱骂威胁,可以录音取证,向平台投诉,必要时向监管部门反映,或者报警。",
        "如果确实还不上,不要躲着不接电话,失联只会让催收升级,还会影响个人征信。",
        "和平台协商的结果,要在官方渠道里能看到,不要只凭电话里的一句口头承诺。",
        "自称平台工作人员让你转账到个人账户的,基本都是骗子,挂断以后自己到官方App核实。",
    ]
    text = "借呗逾期后会联系家人吗\n" + "\n".join(rows)
    refuse_data(text)  # no ImportRejected

    article = import_text(tmp_path, text)
    assert article.lender.name == "借呗"


def test_a_real_table_is_still_refused():
    rows = ["产品,机构,热线"] + [f"产品{i},机构{i},9500{i}" for i in range(5)]
    with pytest.raises(ImportRejected, match="CSV"):
        refuse_data("\n".join(rows))


# Titles


@pytest.mark.parametrize(
    "scraped, title",
    [
        ("标题：《青禾贷逾期会上门催收吗》", "青禾贷逾期会上门催收吗"),
        ("题目:「借呗逾期后的催收流程」_贷款知识网", "借呗逾期后的催收流程"),
        ("花呗逾期会打电话给家人吗,一文说清,赶紧收藏!", "花呗逾期会打电话给家人吗"),
        ("📌 网商贷催收电话是谁打的？", "网商贷催收电话是谁打的"),
        ("**招联逾期后怎么协商", "招联逾期后怎么协商"),
    ],
)
def test_a_title_loses_its_label_brackets_site_and_urging_tail(scraped, title):
    assert clean_title(scraped) == title


@pytest.mark.parametrize(
    "line",
    [
        "热门评论",  # a block's label
        "点赞( )",  # a counter left empty
        "您附近的",  # half a phrase
        "高级会员",  # a user's rank
        "工商银行",  # a bank's name alone
        "一、逾期以后会怎样",  # a numbered heading
        "分享到 +",  # a button
        "逾期了",  # too short
        "常见问题与",  # ends on a joining word
    ],
)
def test_a_fragment_is_known_by_its_shape(line):
    assert is_fragment(clean_title(line))


@pytest.mark.parametrize(
    "title",
    [
        "微粒贷催收电话是谁打来的",
        "逾期以后会怎样",
        "银行委外催收合法吗",
        "拍拍贷催款：你需要了解的",
    ],
)
def test_a_title_that_says_something_is_no_fragment(title):
    assert not is_fragment(title)


def test_a_lender_name_alone_is_a_title_only_when_it_is_a_lender():
    assert not is_fragment("安逸花", names={"安逸花"})
    assert is_fragment("安逸花")


def test_the_title_under_a_fragment_line_is_the_pages_title(tmp_path):
    text = "热门评论\n阅读( )\n" + "借呗逾期以后，电话是谁打来的\n" + "\n".join(PLAIN[1:])
    article = import_text(tmp_path, text)

    assert article.title == "借呗逾期以后，电话是谁打来的"
    assert "热门评论" not in full_text(article)
    assert "阅读" not in full_text(article)
    assert "generated_title" not in codes(article)


def test_a_page_with_only_a_fragment_for_a_title_gets_one_built_from_lender_and_topic(tmp_path):
    article = import_text(tmp_path, "热门评论\n" + "\n".join(PLAIN))

    assert article.title.startswith("微粒贷")
    assert not is_fragment(article.title)
    assert codes(article)[0] == "generated_title"


def test_the_title_repeated_in_the_page_is_said_once(tmp_path):
    title = "借呗逾期以后，电话是谁打来的"
    text = "\n".join([title, PLAIN[0], f"《{title}》", *PLAIN[1:4], f"3. {title}", *PLAIN[4:]])
    article = import_text(tmp_path, text)

    assert full_text(article).count("电话是谁打来的") == 1


# Lenders: the exact product first


@pytest.mark.parametrize(
    "title, product, operator",
    [
        ("平安银行信用卡逾期会上门催收吗", "平安银行信用卡", "平安银行"),
        ("平安信用卡逾期了怎么办", "平安银行信用卡", "平安银行"),
        ("美团月付逾期了会打电话给家人吗", "美团月付", "美团"),
        ("招商银行信用卡逾期催收电话是谁打的", "招商银行信用卡", "招商银行"),
        ("苏宁易购任性付逾期会怎样", "苏宁任性付", "苏宁消费金融"),
    ],
)
def test_a_product_is_never_filed_under_a_sister_product(title, product, operator):
    choice = recognise(title, [], "正文")

    assert choice.lender.name == product
    assert choice.lender.operator == operator
    assert not choice.guessed


def test_the_registry_has_the_products_borrowers_ask_about_with_operator_and_aliases():
    for name in (
        "美团月付",
        "平安银行信用卡",
        "招商银行信用卡",
        "京东白条",
        "拍拍贷",
        "捷信",
        "分期乐",
    ):
        lender = Lender.objects.get(name=name)
        assert lender.operator
        assert len(lender.all_names()) >= 2


def test_a_product_the_registry_lacks_is_created_even_when_it_contains_a_known_brand(tmp_path):
    text = "平安好车贷逾期以后，电话是谁打来的\n" + "\n".join(PLAIN[1:])
    article = import_text(tmp_path, text)

    assert article.lender.name == "平安好车贷"
    assert article.lender.needs_review
    assert "new_lender" in codes(article)


def test_an_operator_of_several_products_gives_a_guess_an_editor_is_asked_to_check(tmp_path):
    body = "京东金融逾期以后会先发短信提醒。京东金融的催收电话一般在白天打来。"
    choice = recognise("", [], body)
    assert choice.lender.name == "京东金条"  # the operator's product registered first
    assert choice.guessed and choice.named == "京东金融"

    article = import_text(tmp_path, body.replace("。", "。\n") + "\n" + "\n".join(PLAIN[1:]))
    assert "guessed_lender" in codes(article)
    assert article.title.startswith("京东金融")  # the page's own name for it


def test_a_brand_shared_by_several_products_still_chooses_none():
    assert recognise("蚂蚁集团旗下产品的催收", [], "正文").lender is None


# Boilerplate by shape


@pytest.mark.parametrize(
    "line",
    [
        "青松理财网声明：本站部分文章整理自网络，仅供参考。",  # a site never seen
        "本文为原创内容，未经允许不得转载。",
        "本站所有文章，如无特殊说明，均为本站原创，禁止任何形式的采集。",
        "青松網聲明：本站部分內容整理自網絡，僅供參考。",  # the same, traditional
        "日期: 栏目:贷款知识 浏览:12",  # a row of fields
        "点赞( )",  # a counter left empty
        "评论 (3)",
        "小编：阿青",
        "扫码下载青松App",
    ],
)
def test_site_boilerplate_is_recognised_by_its_shape(line):
    page = ["借呗催收电话是谁打的", PLAIN[1], line, PLAIN[4]]
    assert drop_noise(page) == ["借呗催收电话是谁打的", PLAIN[1], PLAIN[4]]


@pytest.mark.parametrize(
    "line",
    [
        "催收人员未经允许不得进入你的住处，也不能拿走你的东西。",
        "不要随便扫描陌生人发来的二维码，更不要按对方的要求转账。",
        "对方让你加微信私下还款，基本就是骗局，正规机构只让你在官方渠道还款。",
        "平台声明的催收时间是每天早上八点到晚上九点，超出这个时间可以投诉。",
    ],
)
def test_article_text_that_only_looks_like_boilerplate_stays(line):
    page = ["借呗催收电话是谁打的", PLAIN[1], line, PLAIN[4]]
    assert drop_noise(page) == page


def test_an_advertisers_contact_goes_with_its_list_heading_and_caption():
    page = [
        PLAIN[1],
        "逾期了怎么上岸",
        "- 专业团队：帮你制定还款计划，减轻还款压力。",
        "- 一对一咨询：（微信：点击复制微信号）帮你和平台谈判。",
        "青禾客户协商成功案例",
        "二、催收是否合法",
        PLAIN[3],
    ]
    assert drop_noise(page) == [PLAIN[1], "二、催收是否合法", PLAIN[3]]


def test_a_sign_off_asking_for_comments_and_follows_goes():
    page = [PLAIN[1], PLAIN[4], "对这个问题还有疑问的，欢迎在评论区留言讨论，关注我们的公众号。"]
    assert drop_noise(page) == [PLAIN[1], PLAIN[4]]


def test_a_teaser_cut_off_with_dots_goes_when_the_page_gives_it_in_full():
    page = ["导读 " + PLAIN[1][:30] + "...", PLAIN[1], PLAIN[4]]
    assert drop_noise(page) == [PLAIN[1], PLAIN[4]]


def test_a_comments_block_and_a_forum_rank_above_the_title_do_not_reach_the_reader(tmp_path):
    text = "\n".join(
        [
            "精彩评论",
            "借呗逾期以后，电话是谁打来的",
            "qingsong 高级会员",
            "2025-01-02 10:00:00 评论 0 浏览 16",
            *PLAIN[1:],
        ]
    )
    article = import_text(tmp_path, text)

    text = full_text(article)
    assert article.title == "借呗逾期以后，电话是谁打来的"
    for noise in ("精彩评论", "高级会员", "qingsong", "浏览"):
        assert noise not in text


# Decoding: charset-normalizer decides


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "big5", "cp950"])
def test_a_short_legacy_encoded_page_decodes_to_its_text(encoding):
    text = "借呗逾期后，催收电话是谁打来的？接到电话先核实身份。"
    if encoding in ("big5", "cp950"):
        text = convert(text, "zh-hant")
    decoded, _name = decode(text.encode(encoding))
    assert decoded == text


def test_utf16_without_its_mark_is_found_by_the_detector():
    text = "\n".join(PLAIN)
    decoded, name = decode(text.encode("utf-16-be"))
    assert decoded == text
    assert name.startswith("utf-16")


def test_a_login_page_is_refused_with_a_reason(tmp_path):
    page = "\n".join(
        [
            "青松理财网",
            "会员登录",
            "用户名",
            "密码",
            "记住我",
            "忘记密码？",
            "登录",
            "还没有账号？立即注册",
        ]
    )
    _out, err, failed = run_import(copy_as(tmp_path, "login.txt", page))

    assert failed
    assert "login.txt: 导入失败：" in err
    assert Article.objects.count() == 0


def test_short_lines_between_the_title_and_the_text_stay_when_they_say_something(tmp_path):
    text = "\n".join(
        [
            "借呗逾期以后，电话是谁打来的",
            "身份核实、协商与投诉指南",
            "- 第一时间问清身份",
            *PLAIN[1:],
        ]
    )
    body = full_text(import_text(tmp_path, text))

    assert "身份核实、协商与投诉指南" in body
    assert "第一时间问清身份" in body


def test_an_answer_that_ends_with_a_colon_is_not_taken_for_a_row_of_fields():
    page = [PLAIN[1], "回答:逾期可能会导致以下后果:", "1. 罚息：按合同约定收取。", PLAIN[5]]
    assert drop_noise(page) == page


def test_a_numbered_item_with_its_label_is_an_item_even_when_cut_short(tmp_path):
    text = "\n".join(
        [
            "借呗逾期以后会怎样",
            *PLAIN[:5],
            "一、逾期的后果",
            "1. 信用影响：逾期会报送征信，以后申请贷款可能受限。",
            "2. 产生罚息：逾期会按合同收取罚息，越拖越多。",
            "4. 法律后果：长时间逾期未还可能会导致",
        ]
    )
    article = import_text(tmp_path, text)

    assert "### 4." not in full_text(article)
    assert "4. 法律后果：长时间逾期未还可能会导致" in article.sections.last().body
