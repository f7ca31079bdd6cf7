"""Lines a site repeats on its pages, removed when several pages are imported together
(issue 11: boilerplate known "by lines repeated across pages of one site").

Every page and line here is written for this test: 禾木小站 and its pages are made up.
"""

from __future__ import annotations

import pytest

from articles.importer import import_file, import_files
from articles.importing.repeats import count_site_lines, drop_site_lines, source_host
from articles.models import Article

from .import_helpers import copy_as, full_text, headings, run_import

pytestmark = pytest.mark.django_db

NAV = "首页 借款知识 催收问答 法律常识"
FOOTER = "禾木小站：陪你把账算明白"
FOOTER_HANT = "禾木小站：陪你把賬算明白"
# A rule two pages of one site may well quote: a sentence, kept however often it repeats.
LAW = (
    "借款人没有按约定的期限还钱的，出借人可以要求支付逾期利息，但约定的利率不能超过"
    "合同成立时一年期贷款市场报价利率的四倍。"
)
LENDERS = ("微粒贷", "借呗", "花呗")


def page(lender: str, head=(NAV,), foot=(FOOTER,), middle=(), source: str = "") -> str:
    lines = [
        *head,
        f"{lender}逾期以后，催收电话是谁打来的",
        f"{lender}逾期以后，很多人都会接到催收电话，先弄清楚对方是谁，再决定怎么处理，"
        "不必一接到电话就慌了手脚。",
        "一、催收电话从哪里来",
        f"打来电话的可能是{lender}平台自己的贷后人员，也可能是平台委托的外部催收公司，"
        "号码多是归属各地的手机号。",
        *middle,
        "二、应对策略",
        f"接到电话先问清对方的机构和工号，挂断后在{lender}的官方入口核实欠款，"
        "再主动联系平台协商还款时间。",
        *foot,
    ]
    if source:
        lines.insert(0, f"来源: {source}")
    return "\n".join(lines)


def write_site(tmp_path, pages: dict[str, str]):
    for name, text in pages.items():
        copy_as(tmp_path, name, text)
    return tmp_path


def article(name: str) -> Article:
    return Article.objects.get(source=name)


# Pages of one site imported together


def test_a_footer_and_a_nav_line_three_pages_of_a_site_share_never_reach_the_reader(
    tmp_path, client
):
    site = write_site(tmp_path, {f"{i}.txt": page(lender) for i, lender in enumerate(LENDERS)})

    out, err, failed = run_import(site, publish=True)

    assert not failed, err
    assert out.count("去掉 2 行同一网站各页重复的内容") == 3
    for i in range(3):
        shown = article(f"{i}.txt")
        assert shown.status == Article.Status.PUBLISHED
        reader = client.get(shown.get_absolute_url())
        assert reader.status_code == 200
        html = reader.content.decode()
        assert "陪你把账算明白" not in html
        assert "借款知识 催收问答" not in html
        assert "核实欠款" in html


def test_two_pages_of_a_site_are_enough_for_lines_at_their_edges(tmp_path):
    site = write_site(tmp_path, {"a.txt": page("微粒贷"), "b.txt": page("借呗")})

    report = import_files([site])

    assert [result.site_lines for result in report.results] == [[NAV, FOOTER], [NAV, FOOTER]]
    assert FOOTER not in full_text(article("a.txt"))


def test_a_traditional_and_a_simplified_copy_of_a_footer_are_one_line(tmp_path):
    site = write_site(
        tmp_path,
        {"a.txt": page("微粒贷", head=()), "b.txt": page("借唄", head=(), foot=(FOOTER_HANT,))},
    )

    report = import_files([site])

    assert [result.site_lines for result in report.results] == [[FOOTER], [FOOTER_HANT]]
    assert "算明白" not in full_text(article("b.txt"))


def test_a_law_sentence_and_a_heading_every_page_of_a_site_shares_are_kept(tmp_path):
    middle = ("应对策略", LAW)
    site = write_site(
        tmp_path,
        {
            f"{i}.txt": page(lender, middle=middle, foot=(LAW, FOOTER))
            for i, lender in enumerate(LENDERS)
        },
    )

    report = import_files([site])

    assert all(result.site_lines == [NAV, FOOTER] for result in report.results)
    for i in range(3):
        saved = article(f"{i}.txt")
        assert LAW in full_text(saved)
        assert full_text(saved).count(LAW) == 2
        assert "应对策略" in headings(saved)


def test_a_short_line_in_the_body_goes_only_when_half_the_pages_of_a_site_repeat_it(tmp_path):
    banner = "禾木小站APP 借钱前先算一算"
    lenders = ("微粒贷", "借呗", "花呗", "美团借钱", "有钱花")

    def site_lines(name: str, with_banner: int, pages: int) -> list[bool]:
        site = tmp_path / name
        site.mkdir()
        for i, lender in enumerate(lenders[:pages]):
            middle = (banner,) if i < with_banner else ()
            copy_as(site, f"{i}.txt", page(lender, middle=middle))
        return [banner in result.site_lines for result in import_files([site]).results]

    assert site_lines("two-of-two", 2, 2) == [False, False]  # two pages may share it by chance
    assert site_lines("two-of-three", 2, 3) == [True, True, False]
    assert site_lines("two-of-five", 2, 5) == [False] * 5


def test_two_copies_of_one_article_do_not_strip_each_other(tmp_path):
    text = page("微粒贷", head=("禾木小站",), foot=("返回禾木",))
    site = write_site(tmp_path, {"a.txt": text, "a-copy.txt": text})

    report = import_files([site])

    assert [result.site_lines for result in report.results] == [[], []]


# What makes pages one site


def test_pages_from_different_hosts_keep_their_lines(tmp_path):
    site = write_site(
        tmp_path,
        {
            "a.txt": page("微粒贷", source="https://a.example.com/p/1.html"),
            "b.txt": page("借呗", source="https://b.example.org/p/2.html"),
        },
    )

    report = import_files([site])

    assert [result.site_lines for result in report.results] == [[], []]
    assert FOOTER in full_text(article("a.txt"))


def test_pages_of_one_host_are_one_site_across_directories(tmp_path):
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    a = copy_as(tmp_path / "one", "a.txt", page("微粒贷", source="https://www.heumu.example/1"))
    b = copy_as(tmp_path / "two", "b.txt", page("借呗", source="http://heumu.example/2"))

    report = import_files([a, b])

    assert [result.site_lines for result in report.results] == [[NAV, FOOTER], [NAV, FOOTER]]


def test_pages_of_different_directories_without_an_address_are_different_sites(tmp_path):
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    a = copy_as(tmp_path / "one", "a.txt", page("微粒贷"))
    b = copy_as(tmp_path / "two", "b.txt", page("借呗"))

    report = import_files([a, b])

    assert [result.site_lines for result in report.results] == [[], []]


def test_a_caller_may_say_which_site_each_page_is_from(tmp_path):
    a = copy_as(tmp_path, "a.txt", page("微粒贷"))
    b = copy_as(tmp_path, "b.txt", page("借呗"))

    report = import_files([a, b], sites={a: "heumu.example", b: "other.example"})

    assert [result.site_lines for result in report.results] == [[], []]


def test_a_page_names_its_host_in_a_source_line_or_its_canonical_link():
    assert source_host("来源：https://www.Heumu.example/a/1.html\n正文") == "heumu.example"
    assert source_host("正文\n原文链接: http://m.heumu.example/1") == "m.heumu.example"
    html = '<html><head><link rel="canonical" href="https://heumu.example/x"></head>'
    assert source_host(html) == "heumu.example"
    assert source_host("来源: 禾木小站\n正文") == ""


# One page alone


def test_a_page_imported_alone_is_left_as_it_was(tmp_path):
    path = copy_as(tmp_path, "a.txt", page("微粒贷"))

    out, err, failed = run_import(path)
    alone = full_text(article("a.txt"))
    report = import_files([tmp_path])  # a directory holding only this page: the same

    assert not failed, err
    assert FOOTER in alone
    assert "去掉" not in out
    assert report.results[0].site_lines == []
    assert full_text(article("a.txt")) == alone
    assert import_file(path).site_lines == []


def test_cleaning_without_a_site_changes_nothing():
    lines = [NAV, "正文" * 30, FOOTER]
    assert drop_site_lines(lines, None) == (lines, [])
    assert drop_site_lines(lines, count_site_lines([lines])) == (lines, [])
