"""Which lender a page is about, on pages shaped like the second tuning set's (issue 11):
a product the registry lacks that only the body names, a short form of a product's name,
a bank's product the registry lacks, a page without a title, a page naming many lenders.

The products here are made up (青木银行, 青苗花, 青松银行信用卡…) unless a test is about
the registry itself.
"""

from __future__ import annotations

import pytest

from articles.importing.lenders import operator_of, recognise
from articles.models import Article, Lender
from kb.text import opencc_only

from .import_helpers import copy_as, run_import

pytestmark = pytest.mark.django_db

ADVICE = [
    "接到催收电话先别慌，问清对方的机构和工号，挂断以后在官方渠道核实欠款。",
    "按照相关规定，催收可以提醒还款，但不得辱骂恐吓，不得向无关的第三人透露欠款。",
    "确实还不上，就主动联系平台说明情况，协商延期或者分期，并保存好通话录音。",
    "拖着不还，罚息会越滚越多，逾期记录还会报送征信，以后申请房贷车贷都会受影响。",
]


def import_text(tmp_path, text: str, name: str = "page.txt") -> Article:
    _out, err, failed = run_import(copy_as(tmp_path, name, text))
    assert not failed, err
    return Article.objects.get(source=name)


def codes(article: Article) -> list[str]:
    return [item["code"] for item in article.import_flags]


def test_a_product_the_body_keeps_naming_becomes_a_new_lender_without_a_title(tmp_path):
    text = "\n".join(
        [
            "青木银行是一家城市商业银行，信用卡和网贷业务的催收管理比较规范。一般情况下，"
            "青木银行逾期四十五天以上才可能上门。",
            "当青木银行逾期进入上门阶段时，说明逾期已经比较严重。青木银行逾期上门之前，"
            "通常已经打过多次电话、发过多次短信。",
            *ADVICE,
        ]
    )
    article = import_text(tmp_path, text)

    assert article.lender.name == "青木银行"
    assert article.lender.needs_review
    assert "new_lender" in codes(article)
    assert article.title.startswith("青木银行")


def test_a_product_named_in_quotation_marks_throughout_becomes_a_new_lender():
    body = (
        "“青苗花”App以提额为噱头吸引用户，却因高额利息和暴力催收引发争议。"
        "用户通过打车软件的借钱入口接入“青苗花”，运营方还推出了同类产品。"
        "有用户反映，“青苗花”逾期第二天就开始打电话。"
    )
    choice = recognise("", [], body)

    assert choice.lender is None
    assert choice.new_name == "青苗花"


def test_a_page_naming_several_lenders_once_each_is_filed_under_none():
    body = (
        "我欠了八家网贷和五张信用卡。借呗和微粒贷只给紧急联系人发过短信，"
        "某行的信用卡中心天天打电话，另一家寄来了律师函。后来我去找了分期乐协商。"
    )
    choice = recognise("", [], body)

    assert choice.lender is None
    assert not choice.new_name


def test_a_debt_is_not_a_product(tmp_path):
    text = "\n".join(
        [
            "卡债协商状况多，千万不要落入催收陷阱",
            "很多卡债族面对银行催收非常恐惧，其实卡债问题可以通过协商处理，关键是了解协商会遇到的情况。",
            *ADVICE,
        ]
    )
    article = import_text(tmp_path, text)

    assert article.lender is None
    assert not Lender.objects.filter(name__startswith="卡债").exists()


def test_a_short_form_of_a_registered_product_is_that_product(tmp_path):
    Lender.objects.create(name="青松银行信用卡", operator="青松银行")
    text = "\n".join(
        [
            "青松信用卡逾期以后的催款流程是怎样的",
            "青松银行信用卡中心会先发短信提醒还款，不还再打电话提醒。",
            "逾期三个月以后，青松银行信用卡可能委托第三方机构催收，金额较大的会被起诉。",
            *ADVICE,
        ]
    )
    article = import_text(tmp_path, text)

    assert article.lender.name == "青松银行信用卡"
    assert not Lender.objects.filter(name="青松信用卡").exists()


def test_a_banks_product_the_registry_lacks_is_created_with_the_bank_as_operator(tmp_path):
    text = "\n".join(["青木银行信用卡逾期以后会打电话给家人吗", *ADVICE])
    article = import_text(tmp_path, text)
    assert article.lender.name == "青木银行信用卡"
    assert article.lender.operator == "青木银行"

    again = import_text(tmp_path, "\n".join(["青木银行逾期催收会联系单位吗", *ADVICE]), "b.txt")
    assert again.lender == article.lender  # named by its operator, it is the same lender


@pytest.mark.parametrize(
    "name, operator",
    [
        ("青木银行信用卡", "青木银行"),
        ("青木银行", ""),
        ("青苗花", ""),
        ("青木银行信用付", "青木银行"),
    ],
)
def test_only_a_product_named_after_a_bank_gets_the_bank_as_operator(name, operator):
    assert operator_of(name) == operator


def test_a_page_without_a_title_is_about_the_product_its_first_line_names(tmp_path):
    Lender.objects.create(name="青松银行信用卡", operator="青松银行")
    text = "\n".join(
        [
            "青松银行信用卡的催收流程通常包括以下几个步骤：",
            "首次逾期提醒",
            "通过短信、邮件等方式提醒持卡人尽快还款。",
            "电话催收",
            "对逾期超过一定天数的持卡人打电话提醒还款，说明逾期的后果。",
            *ADVICE,
        ]
    )
    article = import_text(tmp_path, text)

    assert article.lender.name == "青松银行信用卡"
    assert article.title.startswith("青松银行信用卡")


def test_a_generated_title_names_the_product_as_the_traditional_page_writes_it(tmp_path):
    text = opencc_only(
        "\n".join(
            [
                "有用户反映，“恒青花”逾期第二天就开始打电话，一天好几次。",
                "“恒青花”的催收人员还会联系紧急联系人，要求转告欠款的事。",
                "遇到“恒青花”这样的催收，先核实欠款，再协商还款。",
                *ADVICE,
            ]
        ),
        "zh-hant",
    ).replace("恆青花", "恒青花")  # the page keeps the simplified character in the name
    article = import_text(tmp_path, text)

    assert article.lender.name == "恒青花"
    assert article.title.startswith("恒青花")


# The registry: the exact product, not a sister product


def test_a_consumption_instalment_product_is_not_filed_under_its_sister_loan():
    choice = recognise("抖音月付逾期了会怎样", [], "正文")

    assert choice.lender.name == "抖音月付"
    assert not Lender.objects.get(name="抖音放心借").aliases.filter(name="抖音月付").exists()


@pytest.mark.parametrize(
    "title, product",
    [
        ("中信信用卡逾期被催收怎么办", "中信银行信用卡"),
        ("交行信用卡逾期催收流程", "交通银行信用卡"),
        ("浦发银行会打电话催收家人吗", "浦发银行信用卡"),
        ("光大信用卡外派催收是真的吗", "光大银行信用卡"),
        ("小米金融催款流程", "小米随借"),
    ],
)
def test_the_banks_cards_borrowers_ask_about_are_in_the_registry(title, product):
    assert recognise(title, [], "正文").lender.name == product
