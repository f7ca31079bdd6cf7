"""The importer against hostile files: nothing a file says reaches readers without an editor.

Each test is an attack that once worked: a document publishing itself over a live article,
a scraped link becoming a live one, a symlink read from outside the import directory, a YAML
alias bomb, and a file turned into an article of thousands of sections.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from articles.importing.limits import fit_page
from articles.importing.links import as_text, find_links
from articles.markdown import render_markdown
from articles.models import Article, Section

from .factories import make_article
from .import_helpers import FIXTURES, assert_refused, copy_as, full_text, run_import

pytestmark = pytest.mark.django_db

CLEAN = FIXTURES / "clean_article.txt"
PHISHING = "微粒贷官方通知：请立即拨打 400-000-0000 并转账到安全账户。"


def live_article() -> Article:
    return make_article(
        title="微粒贷的催收电话是谁打来的",
        slug="weilidai-laidian",
        sections=[("origin", "来电来源", "多半来自微众银行的贷后团队。")],
    )


def document(slug: str, status: str = "published", body: str = PHISHING, summary: str = "") -> str:
    summary_line = f"summary: {summary}\n" if summary else ""
    return (
        f"---\ntitle: 微粒贷紧急通知\nslug: {slug}\nstatus: {status}\n{summary_line}---\n\n"
        f"<!-- section: coping -->\n## 请立即处理\n\n{body}\n"
    )


def reader_page(client, article: Article) -> str:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


# 1. A file never publishes itself


def test_a_file_cannot_publish_itself_over_a_live_article(tmp_path, client):
    article = live_article()
    path = copy_as(tmp_path, "notice.md", document(article.slug))

    out, err, failed = run_import(path)

    assert failed
    assert err.strip() == (
        "notice.md: 导入失败：「微粒贷的催收电话是谁打来的」已发布，文件不能直接改动读者看到的文章"
        "（已保持原样）；请在后台编辑，或确认文件可信后加 --publish 再导入"
    )
    assert "失败 1" in out
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.title == "微粒贷的催收电话是谁打来的"
    page = reader_page(client, article)
    assert "多半来自微众银行的贷后团队" in page
    assert PHISHING not in page


def test_a_file_cannot_take_a_live_article_down_either(tmp_path, client):
    article = live_article()
    run_import(copy_as(tmp_path, "notice.md", document(article.slug, status="draft")))

    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert "多半来自微众银行的贷后团队" in reader_page(client, article)


def test_a_scraped_page_cannot_change_a_live_article_without_publish(tmp_path, client):
    path = copy_as(tmp_path, "page.txt", CLEAN.read_text(encoding="utf-8"))
    run_import(path, publish=True)
    article = Article.objects.get()
    path.write_text(
        CLEAN.read_text(encoding="utf-8").replace("先记下来电号码", PHISHING), encoding="utf-8"
    )

    _out, err, failed = run_import(path)

    assert failed
    assert "已发布，文件不能直接改动读者看到的文章" in err
    page = reader_page(client, article)
    assert "先记下来电号码" in page
    assert PHISHING not in page


def test_a_new_document_asking_to_be_published_waits_for_review(tmp_path, client):
    out, err, failed = run_import(copy_as(tmp_path, "notice.md", document("jinji-tongzhi")))

    assert not failed, err
    article = Article.objects.get(slug="jinji-tongzhi")
    assert article.status == Article.Status.REVIEW
    assert "notice.md: 已创建「微粒贷紧急通知」 1 段, 借贷产品 无, 待审核" in out
    assert client.get(article.get_absolute_url()).status_code == 404


def test_with_publish_a_trusted_document_still_updates_a_live_article(tmp_path, client):
    article = live_article()
    text = document(article.slug, body="编辑核实过的新内容。", summary="核实过的摘要。")

    _out, err, failed = run_import(copy_as(tmp_path, "update.md", text), publish=True)

    assert not failed, err
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.slug == "weilidai-laidian"
    assert "编辑核实过的新内容" in reader_page(client, article)


def test_a_refused_document_does_not_stop_the_other_files(tmp_path):
    article = live_article()
    folder = tmp_path / "incoming"
    folder.mkdir()
    copy_as(folder, "a_notice.md", document(article.slug))
    copy_as(folder, "b_page.txt", CLEAN.read_text(encoding="utf-8"))

    out, err, failed = run_import(folder)

    assert failed
    assert err.startswith("a_notice.md: 导入失败：")
    assert "b_page.txt: 已创建「借呗逾期后接到催收电话怎么办」" in out
    assert Article.objects.get(slug=article.slug).sections.get().body.startswith("多半来自")


# 2. Links in scraped text stay text


LINK_PARAGRAPH = (
    "如需协商，请[点此联系官方客服](https://evil.example/phish)，"
    "或打开 <https://evil.example/kefu> 留下手机号，不要轻信陌生来电。"
)


def test_a_link_in_a_scraped_page_is_shown_as_text_and_flagged(tmp_path, client):
    text = CLEAN.read_text(encoding="utf-8").replace(
        "四、需要注意的风险\n", f"四、需要注意的风险\n{LINK_PARAGRAPH}\n"
    )
    out, _err, _failed = run_import(copy_as(tmp_path, "page.txt", text), publish=True)

    article = Article.objects.get()
    assert article.status == Article.Status.REVIEW
    assert "待审核 (1 处问题)" in out
    (link_flag,) = article.import_flags
    assert link_flag["code"] == "link"
    assert "evil.example" in link_flag["message"]
    assert "\n" not in link_flag["message"]

    # Even an editor who ticks “问题已处理” without editing publishes no live link.
    Article.objects.filter(pk=article.pk).update(status=Article.Status.PUBLISHED, import_flags=[])
    page = reader_page(client, article)
    assert 'href="https://evil.example' not in page
    assert "[点此联系官方客服](https://evil.example/phish)" in page
    assert "&lt;https://evil.example/kefu&gt;" in page


@pytest.mark.parametrize(
    "scraped",
    [
        "[客服](https://evil.example/a)",
        "![二维码](https://evil.example/qr.png)",
        "[客服][1]\n\n[1]: https://evil.example/a",
        "<https://evil.example/a>",
        "<https://evil.example/a> 和 <b>",
        "<kefu@evil.example>",
        "\\[客服](https://evil.example/a)",
        "\\\\[客服](https://evil.example/a)",
        "\\<https://evil.example/a\\>",
    ],
)
def test_scraped_link_syntax_renders_as_the_text_it_was(scraped):
    html = render_markdown(as_text(scraped))
    assert "<a " not in html
    assert "<img" not in html
    expected = render_markdown(
        scraped.replace("\\", "\\\\").replace("[", "\\[").replace(">", "\\>")
    )
    assert html == expected


@pytest.mark.parametrize(
    ("line", "domains"),
    [
        ("请点击https://evil.example/x查询", ["evil.example"]),
        ("官网www.Evil.com，或HTTP://a.example:8080/x?y=1。", ["www.evil.com", "a.example"]),
        ("[客服](https://evil.example/a)，<https://evil.example/b>", ["evil.example"]),
        ("拨打95188，或发邮件到 kefu@example.com", []),
    ],
)
def test_addresses_in_running_chinese_text_are_flagged_by_domain(line, domains):
    flags = find_links([line])
    assert [f["code"] for f in flags] == ["link"] * len(domains)
    for found, domain in zip(flags, domains, strict=True):
        assert f"原文含网址（{domain}）" in found["message"]


def test_markdown_the_importer_writes_itself_is_left_alone():
    body = "### 1. 核实身份\n\n- **先问清**对方单位\n- 再核对欠款 > 0 元\n\n\\#借呗#"
    assert as_text(body) == body


# 3. Nothing is read through a symbolic link


def test_a_symlink_in_the_import_directory_is_refused_and_the_rest_imported(tmp_path):
    outside = copy_as(tmp_path, "outside.txt", CLEAN.read_text(encoding="utf-8"))
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "a_secret.txt").symlink_to(outside)
    copy_as(folder, "b_page.txt", CLEAN.read_text(encoding="utf-8"))

    out, err, failed = run_import(folder)

    assert failed
    assert err.strip() == (
        "a_secret.txt: 导入失败：这是符号链接，为安全起见不跟随；请直接给出它指向的文件"
    )
    assert "b_page.txt: 已创建" in out
    assert list(Article.objects.values_list("source", flat=True)) == ["b_page.txt"]


def test_a_symlink_given_by_name_is_refused(tmp_path):
    outside = copy_as(tmp_path, "outside.txt", CLEAN.read_text(encoding="utf-8"))
    link = tmp_path / "link.txt"
    link.symlink_to(outside)
    assert_refused(link, "符号链接")


def test_a_symlinked_directory_is_refused(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    copy_as(real, "page.txt", CLEAN.read_text(encoding="utf-8"))
    linked = tmp_path / "linked"
    linked.symlink_to(real, target_is_directory=True)
    assert_refused(linked, "符号链接")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_in_the_directory_is_refused_without_waiting(tmp_path):
    folder = tmp_path / "incoming"
    folder.mkdir()
    os.mkfifo(folder / "pipe.txt")

    out, err, failed = run_import(folder)

    assert failed
    assert err.strip() == "pipe.txt: 导入失败：文件不存在或不是普通文件"
    assert "失败 1" in out


def test_an_unreadable_directory_is_reported_not_a_stack_trace(tmp_path, monkeypatch):
    folder = tmp_path / "incoming"
    folder.mkdir()
    copy_as(folder, "page.txt", CLEAN.read_text(encoding="utf-8"))

    def denied(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "iterdir", denied)
    assert_refused(folder, "无法列出目录（Permission denied）")


# 4. YAML front matter is data, never a program


BILLION_LAUGHS = """---
kinds: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
source: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
slug: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
lender: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
script: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
summary: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
published_at: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
updated_at: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
title: [*h,*h,*h,*h,*h,*h,*h,*h,*h]
---

<!-- section: origin -->
## 来源

正文。
"""


def test_a_yaml_alias_bomb_is_refused_at_once(tmp_path):
    path = copy_as(tmp_path, "bomb.md", BILLION_LAUGHS)
    assert len(BILLION_LAUGHS.encode()) < 600

    started = time.perf_counter()
    assert_refused(path, "文件头格式有误：文件头不能使用 YAML 锚点和别名（& 和 *）")
    assert time.perf_counter() - started < 5  # was 73 s and 3.2 GB


@pytest.mark.parametrize(
    ("front_matter", "reason"),
    [
        ("title: " + "长" * 9000, "文件头太长（9,007 个字符，上限 8,192）"),
        ("title: [[[[[[[[[[[[[[[[嵌套]]]]]]]]]]]]]]]]", "文件头嵌套太深"),
        ("title: 标题\nslug: {a: 1}", "文件头的 slug 只能是一个值"),
        ("title: 标题\nsummary: " + "9" * 5000, "文件头有无法读取的值"),
        ("title: &t 标题", "文件头不能使用 YAML 锚点和别名"),
    ],
)
def test_front_matter_that_is_more_than_data_is_refused(tmp_path, front_matter, reason):
    text = f"---\n{front_matter}\n---\n\n<!-- section: origin -->\n## 来源\n\n正文。\n"
    assert_refused(copy_as(tmp_path, "doc.md", text), reason)


# 5. An article holds what the admin would let it hold


def big_page(questions: int, paragraph: str) -> str:
    lines = ["借呗催收电话常见问题大全"]
    for n in range(1, questions + 1):
        lines += [f"问{n}：第{n}个常见问题是什么？", f"答：{paragraph}"]
    return "\n".join(lines) + "\n"


ANSWER = (
    "接到催收电话时应当保持冷静，先问清对方的身份和所属机构，再登录官方App核对欠款金额，"
    "确认无误后再商量还款的安排，并保留通话记录。"
)


def test_a_huge_page_is_refused_quickly_and_nothing_is_written(tmp_path):
    path = copy_as(tmp_path, "huge.txt", big_page(7_000, ANSWER))
    assert path.stat().st_size > 1_500_000

    started = time.perf_counter()
    assert_refused(path, "超过每篇文章 60,000 字的上限")
    assert time.perf_counter() - started < 10  # well under the seconds parsing would take


def test_a_faq_with_more_questions_than_sections_allowed_is_merged_not_refused(tmp_path):
    out, err, failed = run_import(copy_as(tmp_path, "faq.txt", big_page(45, ANSWER)))

    assert not failed, err
    article = Article.objects.get()
    assert article.sections.count() <= 40
    text = full_text(article)
    for n in range(1, 46):
        assert f"第{n}个常见问题是什么" in text
    bodies = "\n".join(article.sections.values_list("body", flat=True))
    assert bodies.count(ANSWER) == 45


def test_merging_keeps_the_outline_and_stops_before_a_section_outgrows_its_limit(settings):
    settings.KB_MAX_SECTIONS = 2
    settings.KB_MAX_SECTION_CHARS = 40
    sections = [
        ("other", "问一", "### 小节\n\n正文一"),
        ("other", "问二", "### 小节二\n\n正文二"),
        ("other", "问三", "正文三" * 10),
        ("coping", "办法", "做法"),
    ]
    assert fit_page(sections) == [
        ("other", "问一", "### 小节\n\n正文一\n\n### 问二\n\n#### 小节二\n\n正文二"),
        ("other", "问三", "正文三" * 10),
        ("coping", "办法", "做法"),
    ]


def test_the_section_limit_is_read_when_importing(tmp_path, settings):
    settings.KB_MAX_SECTIONS = 3
    assert_refused(
        copy_as(tmp_path, "page.txt", CLEAN.read_text(encoding="utf-8")),
        "分成了 6 段，超过每篇文章 3 段的上限",
    )


def test_a_scraped_section_over_the_character_limit_is_refused(tmp_path, settings):
    settings.KB_MAX_SECTION_CHARS = 100
    assert_refused(
        copy_as(tmp_path, "page.txt", CLEAN.read_text(encoding="utf-8")),
        "正文 101 字，超过每段 100 字的上限",
    )


def document_with(sections: list[tuple[str, str]]) -> str:
    parts = ["---\ntitle: 很长的文章\n---\n"]
    for heading, body in sections:
        parts.append(f"<!-- section: other -->\n## {heading}\n\n{body}\n")
    return "\n".join(parts)


@pytest.mark.parametrize(
    ("sections", "reason"),
    [
        ([(f"第{n}段", "正文。") for n in range(41)], "分成了 41 段，超过每篇文章 40 段的上限"),
        (
            [("太长的一段", "字" * 10_001)],
            "第 1 段「太长的一段」正文 10,001 字，超过每段 10,000 字的上限",
        ),
        (
            [(f"第{n}段", "字" * 9_000) for n in range(7)],
            "正文共 63,000 字，超过每篇文章 60,000 字的上限",
        ),
    ],
)
def test_a_document_over_a_limit_is_refused_with_the_reason(tmp_path, sections, reason):
    assert_refused(copy_as(tmp_path, "long.md", document_with(sections)), reason)
    assert Section.objects.count() == 0
