"""The importer: both seed pages, re-encoded copies, crafted bad files, documents, publishing.

The variety of real scraped formats (heading styles, HTML, FAQ pages, non-articles) is in
test_importer_formats.py.
"""

from __future__ import annotations

import re

import pytest
from reversion.models import Version

from articles.documents import dump_document
from articles.importing.cleaning import drop_noise, is_noise, remove_pinyin_annotations
from articles.importing.damage import find_damage
from articles.importing.kinds import kind_for
from articles.importing.lenders import recognise
from articles.models import Article, Lender, Section
from kb.text import opencc_only as convert

from .import_helpers import (
    FIXTURES,
    SEEDS,
    assert_refused,
    copy_as,
    full_text,
    kinds,
    run_import,
)

pytestmark = pytest.mark.django_db

SEED_000 = SEEDS / "000_71f9a0dcbb6eca98.txt"
SEED_002 = SEEDS / "002_facd87dae930e143.txt"
CLEAN = FIXTURES / "clean_article.txt"

TONELESS = str.maketrans("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ", "aaaaeeeeiiiioooouuuuüüüü")

needs_seeds = pytest.mark.skipif(
    not SEED_000.exists() or not SEED_002.exists(),
    reason=f"seed pages not found in {SEEDS}",
)


# Seed 000: simplified, table of contents, stripped 电话, footer and link farm.


@needs_seeds
def test_seed_000_imports_with_sections_in_order():
    out, err, failed = run_import(SEED_000)

    assert not failed, err
    article = Article.objects.get()
    assert article.title == "微粒贷催收电话是哪里打来的"
    assert article.source == SEED_000.name
    assert article.script == "hans"
    assert article.lender.name == "微粒贷"
    assert kinds(article) == [
        "background",
        "origin",
        "call_methods",
        "call_methods",
        "other",
        "legality",
        "coping",
        "risks",
        "summary",
    ]
    headings = list(article.sections.values_list("heading", flat=True))
    assert headings[1] == "微粒贷催收电话的来源"
    assert headings[4] == "微粒贷催收电话的特点"
    assert (
        f"{SEED_000.name}: 已创建「微粒贷催收电话是哪里打来的」 9 段, 借贷产品 微粒贷, 待审核"
        in out
    )
    assert "共 1 个文件：创建 1，更新 0，未变 0，失败 0" in out


@needs_seeds
def test_seed_000_drops_table_of_contents_footer_and_link_farm():
    run_import(SEED_000)
    text = full_text(Article.objects.get())

    # The contents list repeated every heading; each now appears once, as a section or sub-heading.
    assert text.count("微粒贷催收电话的来源") == 1
    assert text.count("1. 催收公司\n") == 1
    assert "是哪里打来的?" not in text  # a contents entry that never had a body
    for noise in (
        "声明",
        "ICP",
        "版权所有",
        "友情链接",
        "szhome.com",
        "最新文章",
        "随机看看",
        "用卡知识",
        "2024-01-30",
    ):
        assert noise not in text


@needs_seeds
def test_seed_000_keeps_sub_headings_and_intro():
    run_import(SEED_000)
    article = Article.objects.get()
    background, origin = article.sections.all()[:2]

    assert background.body.startswith("在金融行业中")
    assert "### 1. 微粒贷催收电话的定义和作用" in background.body
    assert origin.body.startswith("### 1. 催收公司\n\n银行或金融机构")
    assert "### 2. 微粒贷平台" in origin.body
    assert article.summary.startswith("在金融行业中")
    assert len(article.summary) <= 120


@needs_seeds
def test_seed_000_puts_back_the_stripped_word_and_flags_the_doubtful_gaps():
    out, _err, _failed = run_import(SEED_000)
    article = Article.objects.get()
    text = full_text(article)

    assert "通过电话与借款人进行联系" in text
    assert "催收电话的目的" in text
    assert "避免与诈骗电话混淆" in text
    assert "补回" in out
    missing = [f for f in article.import_flags if f["code"] == "missing_word"]
    assert any("委托律师进行 。" in f["excerpt"] for f in missing)
    assert article.status == Article.Status.REVIEW


@needs_seeds
def test_seed_000_ending_paragraph_becomes_the_summary_section():
    run_import(SEED_000)
    article = Article.objects.get()
    risks, summary = list(article.sections.all())[-2:]

    assert summary.heading == "总结"
    assert summary.body.startswith("微粒贷催收电话作为一种重要的沟通工具")
    assert risks.body.rstrip().endswith("避免受到不法分子的欺骗。")


# Seed 002: traditional, no title, pinyin glosses, lost characters, take-down line.


@needs_seeds
def test_seed_002_imports_with_sections_in_order():
    run_import(SEED_002, publish=True)
    article = Article.objects.get()

    assert kinds(article) == ["background", "coping", "coping", "risks", "legality", "summary"]
    assert article.lender.name == "有钱花"
    assert article.script == "hant"
    assert "有錢花" in article.sections.first().body  # stored as written, not converted


@needs_seeds
def test_seed_002_without_title_gets_a_generated_one_and_is_flagged():
    out, _err, _failed = run_import(SEED_002, publish=True)
    article = Article.objects.get()
    codes = [f["code"] for f in article.import_flags]

    assert article.title == "有錢花催收電話的接聽技巧"
    assert "generated_title" in codes
    assert "lost_chars" in codes
    assert article.status == Article.Status.REVIEW  # even with --publish
    assert (
        f"{SEED_002.name}: 已创建「有錢花催收電話的接聽技巧」 6 段, 借贷产品 有钱花, 待审核" in out
    )
    for item in article.import_flags:
        assert set(item) == {"code", "message", "excerpt"}
        assert item["message"]


@needs_seeds
def test_seed_002_lost_characters_are_flagged_but_real_questions_are_not():
    run_import(SEED_002)
    flags = Article.objects.get().import_flags
    excerpts = " ".join(f["excerpt"] for f in flags if f["code"] == "lost_chars")

    assert "??梢酝ㄟ^" in excerpts
    assert "部分?。" in excerpts or "糠?。" in excerpts
    assert "哪位?" not in excerpts
    assert "還款?”" not in excerpts


@needs_seeds
def test_seed_002_drops_pinyin_glosses_and_take_down_line():
    run_import(SEED_002)
    article = Article.objects.get()
    text = full_text(article)

    assert not re.search(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]+\)", text)
    assert "nèi)" not in text
    assert "現代社會" in text
    for noise in ("15070879527", "qq.com", "刪帖", "小編導語"):
        assert noise not in text
    first = article.sections.first()
    assert "### 1.1 有錢花的基本介紹" in first.body
    assert "### 1.2 催收電話的產生原因" in first.body


@needs_seeds
def test_seed_002_summary_skips_the_damaged_first_sentence():
    run_import(SEED_002)
    summary = Article.objects.get().summary

    assert summary.startswith("隨著金融科技的發展")
    assert "?" not in summary
    assert len(summary) <= 120


# Encodings and line ends


@needs_seeds
@pytest.mark.parametrize(
    "name, encoding",
    [("seed_gb18030.txt", "gb18030"), ("seed_gbk.txt", "gbk"), ("seed_bom.txt", "utf-8-sig")],
)
def test_seed_000_in_other_encodings_imports_the_same(tmp_path, name, encoding):
    text = SEED_000.read_text(encoding="utf-8")
    # GBK has no ©; the footer line goes anyway.
    path = copy_as(tmp_path, name, text.replace("\n", "\r\n"), encoding, errors="ignore")

    _out, err, failed = run_import(path)

    assert not failed, err
    article = Article.objects.get()
    assert article.title == "微粒贷催收电话是哪里打来的"
    assert len(kinds(article)) == 9
    assert "\r" not in full_text(article)


@needs_seeds
def test_seed_002_in_big5_imports(tmp_path):
    # Big5 has no tone-marked letters (the glosses lose their tones) and lacks a few characters.
    text = SEED_002.read_text(encoding="utf-8").translate(TONELESS)
    path = copy_as(tmp_path, "seed_big5.txt", text.replace("\n", "\r"), "cp950", errors="ignore")

    _out, err, failed = run_import(path)

    assert not failed, err
    article = Article.objects.get()
    assert article.lender.name == "有钱花"
    assert kinds(article) == ["background", "coping", "coping", "risks", "legality", "summary"]
    assert "接聽催收電話的技巧" in full_text(article)


def test_traditional_page_in_big5_keeps_its_text_exactly(tmp_path):
    traditional = convert(CLEAN.read_text(encoding="utf-8"), "zh-hant")
    path = copy_as(tmp_path, "big5.txt", traditional.replace("©", ""), "big5")

    _out, err, failed = run_import(path, publish=True)

    assert not failed, err
    article = Article.objects.get()
    assert article.script == "hant"
    assert article.status == Article.Status.PUBLISHED
    assert article.title == convert("借呗逾期后接到催收电话怎么办", "zh-hant")
    legality = article.sections.get(kind="legality")
    assert legality.body in traditional


# Publishing, idempotency, history


def test_clean_page_is_a_draft_without_publish_and_published_with_it(tmp_path):
    run_import(CLEAN)
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    assert article.import_flags == []
    assert kinds(article) == ["background", "origin", "legality", "coping", "risks", "summary"]
    assert article.sections.first().heading == "导语"

    run_import(CLEAN, publish=True)
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at is not None


def test_reimporting_an_unchanged_file_without_publish_leaves_a_published_article_as_it_is():
    run_import(CLEAN, publish=True)
    out, _err, failed = run_import(CLEAN)

    assert not failed
    article = Article.objects.get()
    assert article.status == Article.Status.PUBLISHED
    assert "clean_article.txt: 未变「借呗逾期后接到催收电话怎么办」（与文件相同，已发布）" in out
    assert "共 1 个文件：创建 0，更新 0，未变 1，失败 0" in out


def test_reimport_that_is_now_flagged_moves_a_published_article_to_review(tmp_path):
    path = copy_as(tmp_path, "page.txt", CLEAN.read_text(encoding="utf-8"))
    run_import(path, publish=True)
    damaged = CLEAN.read_text(encoding="utf-8").replace("核实欠款", "核?欠款")
    path.write_text(damaged, encoding="utf-8")

    run_import(path, publish=True)

    article = Article.objects.get()
    assert article.status == Article.Status.REVIEW
    assert [f["code"] for f in article.import_flags] == ["lost_chars"]
    assert "核?欠款" in article.import_flags[0]["excerpt"]


@needs_seeds
def test_importing_twice_updates_the_same_article():
    run_import(SEED_000, SEED_002)
    first = Article.objects.get(source=SEED_000.name)
    first.title = "编辑改过的标题"
    first.save()
    section_ids = set(Section.objects.values_list("pk", flat=True))

    out, _err, failed = run_import(SEED_000, SEED_002)

    assert not failed
    assert Article.objects.count() == 2
    again = Article.objects.get(source=SEED_000.name)
    assert again.pk == first.pk
    assert again.slug == first.slug
    assert again.title == "微粒贷催收电话是哪里打来的"
    assert again.sections.count() == 9
    assert Section.objects.count() == 15
    assert not section_ids & set(Section.objects.values_list("pk", flat=True))
    assert out.count("已更新") == 2
    assert "共 2 个文件：创建 0，更新 2，未变 0，失败 0" in out


def test_import_is_recorded_in_the_history():
    run_import(CLEAN)
    article = Article.objects.get()

    versions = Version.objects.get_for_object(article)
    assert versions.count() == 1
    revision = versions[0].revision
    assert revision.comment == "导入 clean_article.txt"
    saved_sections = revision.version_set.filter(content_type__model="section").count()
    assert saved_sections == article.sections.count() == 6


# Lenders


def test_unknown_lender_is_created_for_review_and_flagged(tmp_path):
    text = CLEAN.read_text(encoding="utf-8").replace("借呗", "青禾贷")
    path = copy_as(tmp_path, "qinghe.txt", text)

    out, _err, _failed = run_import(path, publish=True)

    lender = Lender.objects.get(name="青禾贷")
    assert lender.needs_review
    article = Article.objects.get()
    assert article.lender == lender
    assert article.status == Article.Status.REVIEW
    assert article.import_flags[0]["code"] == "new_lender"
    assert "借贷产品 青禾贷（新建，待核实）" in out

    run_import(path)
    assert Lender.objects.filter(name="青禾贷").count() == 1


def test_product_name_wins_over_brand_and_traditional_matches(tmp_path):
    body = CLEAN.read_text(encoding="utf-8").replace("借呗逾期后接到催收电话怎么办\n", "")
    body = body.replace("支付宝", "百度").replace("借呗", "有錢花")
    path = copy_as(tmp_path, "untitled.txt", body)

    run_import(path)

    assert Article.objects.get().lender.name == "有钱花"


# Files that must be refused: one-line reason, non-zero exit, nothing saved.


def test_empty_file_is_refused(tmp_path):
    assert_refused(copy_as(tmp_path, "empty.txt", ""), "空")


def test_whitespace_only_file_is_refused(tmp_path):
    assert_refused(copy_as(tmp_path, "blank.txt", "\ufeff \r\n\r\n  \n"), "空")


def test_binary_file_is_refused(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    assert_refused(path, "二进制")


def test_undecodable_bytes_are_refused(tmp_path):
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes((i * 37 + 11) % 127 + 128 for i in range(3000)))
    assert_refused(path, "编码")


def test_text_without_chinese_is_refused(tmp_path):
    text = "This is a plain English note about phone calls.\n" * 40
    assert_refused(copy_as(tmp_path, "notes.txt", text), "不是中文文章")


def test_too_short_text_is_refused(tmp_path):
    assert_refused(copy_as(tmp_path, "short.txt", "借呗催收电话\n一、来源\n来自平台。\n"), "太短")


def test_text_without_headings_is_imported_as_one_article_and_flagged(tmp_path):
    paragraph = "借款以后要按时还款，如果确实有困难，应当主动联系平台说明情况，协商延期或者分期。"
    _out, err, failed = run_import(copy_as(tmp_path, "essay.txt", (paragraph + "\n") * 8))

    assert not failed, err
    article = Article.objects.get()
    assert article.sections.exists()
    bodies = "\n".join(article.sections.values_list("body", flat=True))
    assert bodies.count(paragraph) == 8
    assert "generated_sections" in [f["code"] for f in article.import_flags]


def test_oversize_file_is_refused(tmp_path, settings):
    settings.KB_IMPORT_MAX_BYTES = 1000
    assert_refused(copy_as(tmp_path, "big.txt", CLEAN.read_text(encoding="utf-8")), "太大")


def test_malformed_front_matter_is_refused(tmp_path):
    text = "---\ntitle: [没有闭合\nstatus: published\n---\n\n<!-- section: background -->\n## 背景\n\n正文。\n"
    assert_refused(copy_as(tmp_path, "doc.md", text), "文件头")


def test_front_matter_with_unknown_kind_is_refused(tmp_path):
    text = "---\ntitle: 标题\n---\n\n<!-- section: gossip -->\n## 背景\n\n正文。\n"
    assert_refused(copy_as(tmp_path, "doc.md", text), "gossip")


def test_missing_file_is_refused(tmp_path):
    assert_refused(tmp_path / "nowhere.txt", "不存在")


def test_one_bad_file_does_not_stop_the_others(tmp_path):
    empty = copy_as(tmp_path, "empty.txt", "")

    out, err, failed = run_import(empty, CLEAN)

    assert failed
    assert "empty.txt: 导入失败：文件是空的" in err
    assert "clean_article.txt: 已创建「借呗逾期后接到催收电话怎么办」 6 段" in out
    assert Article.objects.count() == 1


def test_a_file_failing_midway_leaves_nothing_behind(tmp_path, monkeypatch):
    text = CLEAN.read_text(encoding="utf-8").replace("借呗", "青禾贷")
    path = copy_as(tmp_path, "qinghe.txt", text)
    original_save = Section.save
    saved = []

    def failing_save(self, *args, **kwargs):
        saved.append(self)
        if len(saved) == 3:
            raise RuntimeError("disk full")
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(Section, "save", failing_save)
    lenders = Lender.objects.count()

    _out, err, failed = run_import(path)

    assert failed
    assert "qinghe.txt: 导入失败：内部错误，已撤销" in err
    assert Article.objects.count() == 0
    assert Section.objects.count() == 0
    assert Lender.objects.count() == lenders
    assert not Lender.objects.filter(name="青禾贷").exists()


# The project's own document format


def make_article() -> Article:
    lender = Lender.objects.get(name="微粒贷")
    article = Article.objects.create(
        title="微粒贷逾期后的电话从哪里来",
        slug="weilidai-dianhua-laiyuan",
        lender=lender,
        status=Article.Status.PUBLISHED,
        script=Article.Script.HANS,
        summary="说明来电的几种来源。",
        source="原创",
    )
    sections = [
        (
            "background",
            "先说结论",
            "来电多半来自放款机构或其委托的机构。\n\n## 正文里的二级标题\n\n- 列表项",
        ),
        ("origin", "来电来源", "**贷后团队**和第三方机构。\n\n<!-- 编辑备注 -->"),
        ("coping", "怎么办", "1. 记录\n2. 核实\n3. 协商"),
    ]
    for order, (kind, heading, body) in enumerate(sections, start=1):
        Section.objects.create(article=article, kind=kind, heading=heading, body=body, order=order)
    article.refresh_from_db()
    return article


def snapshot(article: Article) -> dict:
    return {
        "title": article.title,
        "slug": article.slug,
        "lender": article.lender.name,
        "status": article.status,
        "script": article.script,
        "summary": article.summary,
        "source": article.source,
        "sections": [(s.kind, s.heading, s.body) for s in article.sections.all()],
    }


@pytest.mark.parametrize("line_end", ["\n", "\r\n"])
def test_document_round_trips_through_export_and_import(tmp_path, line_end):
    article = make_article()
    before = snapshot(article)
    published_at = article.published_at
    path = copy_as(tmp_path, "exported.md", dump_document(article).replace("\n", line_end))
    article.delete()

    out, err, failed = run_import(path, publish=True)

    assert not failed, err
    imported = Article.objects.get()
    assert snapshot(imported) == before
    assert imported.published_at == published_at
    assert imported.import_flags == []
    assert "exported.md: 已创建「微粒贷逾期后的电话从哪里来」 3 段, 借贷产品 微粒贷, 已发布" in out


def test_document_reimport_updates_the_article_with_that_slug(tmp_path):
    article = make_article()
    text = dump_document(article).replace("先说结论", "结论先行")
    path = copy_as(tmp_path, "exported.md", text)

    run_import(path, publish=True)

    assert Article.objects.count() == 1
    assert Article.objects.get().sections.first().heading == "结论先行"


def test_document_with_unknown_lender_is_never_published(tmp_path):
    text = (
        "---\ntitle: 青禾贷的来电\nlender: 青禾贷\nstatus: published\n---\n\n"
        "<!-- section: origin -->\n## 来源\n\n来自平台。\n"
    )
    run_import(copy_as(tmp_path, "doc.md", text), publish=True)

    article = Article.objects.get()
    assert article.status == Article.Status.REVIEW
    assert article.import_flags[0]["code"] == "new_lender"
    assert Lender.objects.get(name="青禾贷").needs_review


# The pieces


@pytest.mark.parametrize(
    "heading, kind",
    [
        ("微粒贷催收电话的风险和注意事项", "risks"),
        ("應對催收電話的注意事項", "risks"),
        ("催收電話中的法律保護", "legality"),
        ("微粒贷催收电话的合法性", "legality"),
        ("接聽催收電話的準備工作", "coping"),
        ("接听催收电话的技巧", "coping"),
        ("微粒贷催收电话的应对策略", "coping"),
        ("微粒贷催收电话的来源", "origin"),
        ("微粒贷催收电话的打出地点", "call_methods"),
        ("微粒贷催收电话的打出方式", "call_methods"),
        ("有钱花的基本介绍", "background"),
        ("小編總結", "summary"),
        ("微粒贷催收电话的特点", "other"),
    ],
)
def test_heading_kinds(heading, kind):
    assert kind_for(heading) == kind


def test_pinyin_glosses_go_and_other_brackets_stay():
    text = "小編導(dǎo)語，在現(xiàn)代社會(huì)中，人們?nèi)粘，微粒贷(WLD)和借呗(app)"
    cleaned, removed = remove_pinyin_annotations(text)
    assert cleaned == "小編導語，在現代社會中，人們?粘，微粒贷(WLD)和借呗(app)"
    assert removed == 4


def test_toneless_gloss_goes_only_when_it_is_the_characters_reading():
    cleaned, _removed = remove_pinyin_annotations("人們(men)都說(shuo)好，甲方(an)不同意")
    assert cleaned == "人們都說好，甲方(an)不同意"


@pytest.mark.parametrize(
    "line",
    [
        "微粒贷催收电话是哪里打来的?",
        "请问您是哪位?”这样开场比较好。",
        "逾期一天会上征信吗？不一定。",
        "详见 https://example.com/a?b=1 的说明。",
        "在官方应用里查看应还金额和逾期天数，与电话里说的数字逐项比对。",
    ],
)
def test_real_question_marks_and_clean_text_are_not_flagged(line):
    assert find_damage([line]) == []


@pytest.mark.parametrize(
    "line, code",
    [
        ("借貸已成為生活的一部分?。隨著發展", "lost_chars"),
        ("應確認號碼是否為官方號碼??梢酝ㄟ^官方網站查詢", "lost_chars"),
        ("借款人可以?系平台", "lost_chars"),
        ("这里有替换字符\ufffd的痕迹", "lost_chars"),
        ("可以梢哉f这样说", "mojibake"),
        ("乱码鍙互閫氳繃官方渠道", "mojibake"),
        ("å¾®ç²\u2019è´·催收", "mojibake"),
    ],
)
def test_damaged_text_is_flagged(line, code):
    flags = find_damage([line])
    assert [f["code"] for f in flags] == [code]
    assert flags[0]["excerpt"]


def test_contents_list_with_numbered_headings(tmp_path):
    run_import(FIXTURES / "toc_numbered.txt")
    article = Article.objects.get()
    text = full_text(article)

    assert article.title == "招联好期贷催收电话合法吗"
    assert article.lender.name == "招联好期贷"
    assert kinds(article) == ["background", "legality", "coping", "summary"]
    assert text.count("催收是否合法") == 1
    legality = article.sections.get(kind="legality").body
    assert "1. 在晚上十点以后反复来电，影响正常休息；\n2. 向与债务无关的亲友" in legality
    for noise in ("目录", "作者", "上一篇", "下一篇"):
        assert noise not in text
    assert article.import_flags == []  # 请问…有用吗？ is a question, not lost text


def test_question_headings_and_related_articles_footer():
    run_import(FIXTURES / "question_headings.txt")
    article = Article.objects.get()
    text = full_text(article)

    assert article.title == "有钱花逾期了怎么办？一文讲清楚"
    assert list(article.sections.values_list("heading", flat=True)) == [
        "逾期后会有什么后果？",
        "催收电话是谁打来的？",
        "怎样和催收人员沟通？",
        "写在最后",
    ]
    assert kinds(article)[1:] == ["origin", "coping", "summary"]
    assert "拨打12378向监管部门反映" in text
    assert "相关文章" not in text
    assert "借呗逾期一天" not in text


@pytest.mark.parametrize(
    "line",
    [
        "示例网声明：资讯来源于网络，仅供参考。 投诉",
        "示例网 © 版权所有 粤ICP备00000000号",
        "友情链接: 天气网 传媒网 之窗 综合资讯 法律频道 房产网 老友网",
        "内容侵权、删帖举报联系方式：13000000000 10000@qq.com",
        "example.com",
        "最新文章",
        "上一篇：借呗逾期怎么办",
        "首页 > 贷款 > 正文",
    ],
)
def test_site_noise_lines(line):
    assert is_noise(line)


@pytest.mark.parametrize(
    "line",
    [
        "遇到侵权行为，可以拨打12378向监管部门反映。",
        "来源不明的号码不要回拨，先在官方应用里核对。",
        "《民法典》自2021年1月1日起施行，合同法同时废止。",
        "1.1 有钱花的基本介绍",
        "微粒贷 是 微众银行 的 产品",
    ],
)
def test_article_text_is_not_noise(line):
    assert not is_noise(line)
    assert drop_noise(["标题", line, "正文。" * 20]) == ["标题", line, "正文。" * 20]


@pytest.mark.parametrize(
    "title, body, expected",
    [
        ("微粒贷催收电话是哪里打来的", "腾讯 腾讯 腾讯 微信 有钱花", ("微粒贷", "")),
        ("度小满催收电话", "正文", ("有钱花", "")),
        ("腾讯旗下贷款的催收电话", "正文", ("微粒贷", "")),
        ("蚂蚁集团旗下产品的催收", "正文", (None, "")),
        ("接到网贷催收电话怎么办", "网贷 网贷 接到", (None, "")),
        ("青禾贷的催收电话是多少", "青禾贷逾期以后", (None, "青禾贷")),
        ("", "京东金条 京东金条 随借随还 随借随还 随借随还", ("京东金条", "")),
    ],
)
def test_lender_recognition(title, body, expected):
    choice = recognise(title, [], body)
    assert (choice.lender.name if choice.lender else None, choice.new_name) == expected


def test_a_directory_imports_its_text_files_and_skips_the_readme():
    out, err, failed = run_import(FIXTURES)

    assert not failed, err
    assert "共 3 个文件：创建 3" in out
    assert Article.objects.count() == 3
