"""The demo articles (`articles/demo/`) and `manage.py load_demo`.

Two halves: loading (idempotent upsert, editors' changes kept, all or nothing) and the
content itself (coverage, script, law, numbers, originality, safe rendering) — readers act
on these pages, so the checks are about what they will read.
"""

import re
import shutil
import unicodedata
from io import StringIO
from pathlib import Path

import pytest
import reversion
from django.core.management import CommandError, call_command
from reversion.models import Revision, Version

from articles.demo_content import (
    DEMO_DIR,
    REVISION_COMMENT,
    DemoContentError,
    load_demo,
    read_demo_documents,
)
from articles.markdown import render_markdown
from articles.models import Article, Section
from articles.registry import LENDERS
from kb.text import _simplified_only_chars, detect_script, fold

DOCUMENTS = read_demo_documents(DEMO_DIR)
DOC_IDS = [name for name, _doc in DOCUMENTS]
from tests.seeds import SEEDS_DIR  # noqa: E402

REGISTRY_NUMBERS = {
    lender["name"]: {number for number, *_rest in lender["numbers"]} for lender in LENDERS
}
ALL_REGISTRY_NUMBERS = set().union(*REGISTRY_NUMBERS.values())
# Public service lines the articles may name (sources in docs/sources.md).
HOTLINES = {"12378", "12363", "12321", "12368", "12348", "96110", "110"}
STANDARD_NUMBER = re.compile(r"GB/T\s*\d+")
CORE_KINDS = {"background", "origin", "call_methods", "legality", "coping", "risks", "summary"}
NOT_LEGAL_ADVICE = re.compile(
    r"(不构成|不構成|并非|並非|不是|不等于|不等於|不能替代)[^。！？]*法律(意见|意見)"
)
SENTENCE_END = re.compile(r"[。！？!?；;\n]")


def _full_text(doc) -> str:
    parts = [doc.title, doc.summary]
    for section in doc.sections:
        parts += [section.heading, section.body]
    return "\n".join(parts)


def _sentences(text: str) -> list[str]:
    return [part.strip() for part in SENTENCE_END.split(text) if part.strip()]


def _normalise(text: str) -> str:
    """Folded to simplified, punctuation and spaces dropped: what “the same sentence” means."""
    return re.sub(r"[\W_]+", "", fold(unicodedata.normalize("NFKC", text)))


def _long_sentences(text: str, length: int) -> set[str]:
    return {n for n in (_normalise(s) for s in _sentences(text)) if len(n) >= length}


def _demo_copy(tmp_path: Path) -> Path:
    directory = tmp_path / "demo"
    shutil.copytree(DEMO_DIR, directory)
    return directory


def _run_load_demo(*args) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue().strip()


# Loading


@pytest.mark.django_db
def test_load_demo_twice_creates_once_then_changes_nothing():
    first = _run_load_demo()
    counts = (Article.objects.count(), Section.objects.count(), Revision.objects.count())
    second = _run_load_demo()

    assert first == f"示例文章：新建 {len(DOCUMENTS)} 篇，更新 0 篇，未变 0 篇"
    assert second == f"示例文章：新建 0 篇，更新 0 篇，未变 {len(DOCUMENTS)} 篇"
    assert (Article.objects.count(), Section.objects.count(), Revision.objects.count()) == counts
    assert counts[0] == len(DOCUMENTS)
    slugs = list(Article.objects.values_list("slug", flat=True))
    assert len(slugs) == len(set(slugs))


@pytest.mark.django_db
def test_loaded_articles_match_their_files():
    load_demo()
    for _name, doc in DOCUMENTS:
        article = Article.objects.get(slug=doc.slug)
        assert article.title == doc.title
        assert article.is_published and article.published_at is not None
        assert article.script == doc.script
        assert article.source == "原创"
        assert (article.lender.name if article.lender else "") == doc.lender
        sections = list(article.sections.order_by("order"))
        assert [(s.kind, s.heading, s.body) for s in sections] == [
            (s.kind, s.heading, s.body) for s in doc.sections
        ]


@pytest.mark.django_db
def test_each_article_is_saved_in_its_own_revision_with_the_demo_comment():
    load_demo()
    for article in Article.objects.all():
        versions = Version.objects.get_for_object(article)
        assert versions.count() == 1
        assert versions[0].revision.comment == REVISION_COMMENT


@pytest.mark.django_db
def test_changed_file_updates_its_article_and_replaces_its_sections(tmp_path):
    directory = _demo_copy(tmp_path)
    load_demo(directory)
    path = directory / DOC_IDS[0]
    text = path.read_text(encoding="utf-8")
    head, _marker, _rest = text.rpartition("<!-- section:")
    edited = head.replace("## ", "## 改过的", 1).rstrip() + "\n"
    path.write_text(edited.replace("title: ", "title: 新版", 1), encoding="utf-8")
    doc = dict(DOCUMENTS)[DOC_IDS[0]]
    old_section_ids = set(
        Section.objects.filter(article__slug=doc.slug).values_list("id", flat=True)
    )

    result = load_demo(directory)

    assert (result.created, result.updated, result.unchanged) == (0, 1, len(DOCUMENTS) - 1)
    article = Article.objects.get(slug=doc.slug)
    assert article.title == "新版" + doc.title
    sections = list(article.sections.order_by("order"))
    assert len(sections) == len(doc.sections) - 1
    assert sections[0].heading == "改过的" + doc.sections[0].heading
    assert not old_section_ids & {s.id for s in sections}
    assert Article.objects.count() == len(DOCUMENTS)
    assert Version.objects.get_for_object(article).count() == 2


@pytest.mark.django_db
def test_editors_change_is_kept_until_forced(tmp_path):
    load_demo()
    slug = DOCUMENTS[0][1].slug
    with reversion.create_revision():
        reversion.set_comment("编辑修改")
        article = Article.objects.get(slug=slug)
        article.title = "编辑改过的标题"
        article.save()

    assert _run_load_demo().endswith("保留编辑改动 1 篇（加 --force 按文件覆盖）")
    assert Article.objects.get(slug=slug).title == "编辑改过的标题"

    assert "更新 1 篇" in _run_load_demo("--force")
    assert Article.objects.get(slug=slug).title == DOCUMENTS[0][1].title


@pytest.mark.django_db
def test_articles_that_are_not_demo_are_left_alone():
    own = Article.objects.create(title="编辑自己写的文章", slug="bianji-ziji-xie", summary="原样")
    Section.objects.create(article=own, kind="other", heading="正文", body="不要动我")
    before = (own.title, own.summary, own.updated_at)

    load_demo()
    load_demo()

    own.refresh_from_db()
    assert (own.title, own.summary, own.updated_at) == before
    assert list(own.sections.values_list("body", flat=True)) == ["不要动我"]


@pytest.mark.django_db
def test_unknown_lender_fails_loudly_and_saves_nothing(tmp_path, monkeypatch):
    directory = _demo_copy(tmp_path)
    path = directory / DOC_IDS[-1]
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^lender: .*$", "lender: 不存在的贷", text), encoding="utf-8")
    monkeypatch.setattr("articles.management.commands.load_demo.DEMO_DIR", directory)

    with pytest.raises(CommandError, match="不存在的贷"):
        _run_load_demo()
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_broken_file_is_named_and_nothing_is_saved(tmp_path):
    directory = _demo_copy(tmp_path)
    (directory / "zz-broken.md").write_text("---\ntitle: 坏文件\nslug: huai\n---\n正文\n", "utf-8")

    with pytest.raises(DemoContentError, match="zz-broken.md"):
        load_demo(directory)
    assert Article.objects.count() == 0


def test_duplicate_slugs_are_refused(tmp_path):
    directory = _demo_copy(tmp_path)
    shutil.copy(directory / DOC_IDS[0], directory / "zz-copy.md")
    with pytest.raises(DemoContentError, match="slug 相同"):
        read_demo_documents(directory)


# Content


def test_demo_set_is_big_enough_and_covers_the_main_lenders():
    docs = [doc for _name, doc in DOCUMENTS]
    lenders = {doc.lender for doc in docs if doc.lender}
    assert len(docs) >= 10
    assert len(lenders) >= 8
    assert {
        "微粒贷",
        "有钱花",
        "借呗",
        "京东金条",
        "美团借钱",
        "安逸花",
        "招联好期贷",
        "360借条",
    } <= lenders
    assert lenders <= set(REGISTRY_NUMBERS)
    assert sum(doc.script == "hant" for doc in docs) >= 3


def test_every_section_kind_appears_and_most_articles_have_the_core_ones():
    kinds_per_doc = [{s.kind for s in doc.sections} for _name, doc in DOCUMENTS]
    assert set().union(*kinds_per_doc) == set(Section.Kind.values)
    complete = sum(kinds >= CORE_KINDS for kinds in kinds_per_doc)
    assert complete * 3 >= len(DOCUMENTS) * 2


@pytest.mark.parametrize("name,doc", DOCUMENTS, ids=DOC_IDS)
def test_front_matter_is_a_published_original_article(name, doc):
    assert doc.status == "published"
    assert doc.source == "原创"
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", doc.slug)
    assert 1 <= len(re.findall(r"[。！？]", doc.summary)) <= 2
    assert doc.summary.endswith(("。", "！", "？"))


@pytest.mark.parametrize("name,doc", DOCUMENTS, ids=DOC_IDS)
def test_script_field_matches_the_text(name, doc):
    text = _full_text(doc)
    assert detect_script(text) == doc.script
    if doc.script == "hant":
        simplified = sorted({char for char in text if char in _simplified_only_chars()})
        assert simplified == []


@pytest.mark.parametrize("name,doc", DOCUMENTS, ids=DOC_IDS)
def test_length_is_a_useful_article(name, doc):
    chinese = len(re.findall(r"[\u4e00-\u9fff]", _full_text(doc)))
    assert 1200 <= chinese <= 2500


@pytest.mark.parametrize("name,doc", DOCUMENTS, ids=DOC_IDS)
def test_article_ends_by_saying_it_is_not_legal_advice(name, doc):
    sentences = [s for s in re.split(r"[。！？\n]", doc.sections[-1].body) if s.strip()]
    last_sentence = sentences[-1]
    assert NOT_LEGAL_ADVICE.search(last_sentence), last_sentence


@pytest.mark.parametrize("name,doc", DOCUMENTS, ids=DOC_IDS)
def test_contract_law_is_only_mentioned_as_replaced(name, doc):
    for sentence in re.split(r"[。！？\n]", _full_text(doc)):
        if "合同法" in sentence:
            assert re.search(r"废止|廢止|取代|替代|失效|不再施行", sentence), sentence


@pytest.mark.parametrize("name,doc", DOCUMENTS, ids=DOC_IDS)
def test_only_known_numbers_appear(name, doc):
    text = STANDARD_NUMBER.sub("", unicodedata.normalize("NFKC", _full_text(doc)))
    runs = set(re.findall(r"\d{5,}", text))
    assert runs <= ALL_REGISTRY_NUMBERS | HOTLINES
    # A lender's number appears only in its own article, introduced as the published official line.
    quoted = runs & ALL_REGISTRY_NUMBERS
    assert quoted <= REGISTRY_NUMBERS.get(doc.lender, set())
    for paragraph in text.split("\n\n"):
        if any(number in paragraph for number in quoted):
            assert re.search(r"官方网站|官方網站", paragraph), paragraph
            assert re.search(r"核对|核對|核实|核實|确认|確認|为准|為準", paragraph), paragraph


@pytest.mark.skipif(not SEEDS_DIR.is_dir(), reason="seed pages not available")
@pytest.mark.parametrize("name,doc", DOCUMENTS, ids=DOC_IDS)
def test_no_sentence_is_shared_with_the_seed_pages(name, doc):
    seeds = ""
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        raw = path.read_bytes()
        for encoding in ("utf-8-sig", "gb18030", "big5"):
            try:
                seeds += raw.decode(encoding) + "\n"
                break
            except UnicodeDecodeError:
                continue
    text = _full_text(doc)
    shared = {s for s in _long_sentences(seeds, 12) if s in _normalise(text)}
    shared |= {s for s in _long_sentences(text, 12) if s in _normalise(seeds)}
    assert shared == set()


def test_no_long_sentence_is_repeated_across_articles():
    owners: dict[str, str] = {}
    repeated = []
    for name, doc in DOCUMENTS:
        for sentence in _long_sentences(_full_text(doc), 16):
            if sentence in owners and owners[sentence] != name:
                repeated.append((owners[sentence], name, sentence))
            owners.setdefault(sentence, name)
    assert repeated == []


@pytest.mark.parametrize("name,doc", DOCUMENTS, ids=DOC_IDS)
def test_bodies_are_plain_markdown_that_renders_cleanly(name, doc):
    for section in doc.sections:
        assert not re.search(r"<[A-Za-z!/]", section.body), section.heading
        assert not re.search(r"(?m)^#{1,2} ", section.body), section.heading
        html = str(render_markdown(section.body))
        assert html.startswith("<")
        assert "&lt;" not in html
        assert set(re.findall(r"<([a-z0-9]+)", html)) <= {
            "p", "br", "strong", "ul", "ol", "li", "h3", "h4", "h5", "h6", "blockquote",
            "table", "thead", "tbody", "tr", "th", "td", "a",
        }  # fmt: skip
        # Links stay on the site (the shared legal page, the scam guide), or dial a hotline.
        assert all(
            re.fullmatch(r"/\S*|tel:\d+", href) for href in re.findall(r'href="([^"]*)"', html)
        )
