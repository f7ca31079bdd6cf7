"""export_articles writes every article as a front-matter document; import_articles reads it back."""

from io import StringIO

import pytest
import yaml
from django.core.management import call_command

from articles.documents import parse_document
from articles.exporter import export_articles, filename_for
from articles.models import Article, Section
from tests.factories import make_article, make_lender

pytestmark = pytest.mark.django_db

BODY_WITH_EVERYTHING = """先说结论：

- 保留通话录音
- 记下来电号码
  1. 嵌套的编号
  2. 第二项

| 情形 | 怎么办 |
| --- | --- |
| 威胁上门 | 报警 |

## 这一行在正文里，不是新段落

<!-- section: legality -->
\\<!-- section: risks -->
---
最后一行。"""


@pytest.fixture
def library():
    lender = make_lender(name="导出测试贷", operator="导出测试银行")
    published = make_article(
        title="导出测试贷的催收电话是谁打来的？",
        lender=lender,
        status=Article.Status.PUBLISHED,
        summary="一句话摘要：是谁、合不合法、怎么办。",
        sections=[
            ("background", "导出测试贷是什么", "一款消费贷产品。"),
            ("coping", "接到电话怎么办", BODY_WITH_EVERYTHING),
            ("legality", "催收合法吗：民法典怎么说", "依法催收可以，骚扰不行。"),
        ],
    )
    traditional = make_article(
        title="yes: 催收電話打給家人怎麼辦",
        status=Article.Status.DRAFT,
        script=Article.Script.HANT,
        summary="第一行\n---\n第三行：冒號與 # 號",
        sections=[(kind, f"{kind} 小標題", f"{kind} 的內文。") for kind in Section.Kind.values],
    )
    review = make_article(
        title="待审核的文章",
        status=Article.Status.REVIEW,
        sections=[("other", "", "没有小标题的段落。"), ("summary", "总结", "")],
    )
    empty = make_article(title="刚开了个头的草稿", status=Article.Status.DRAFT, sections=[])
    return [published, traditional, review, empty]


def _snapshot():
    rows = {}
    for article in Article.objects.select_related("lender").prefetch_related("sections"):
        rows[article.slug] = {
            "title": article.title,
            "lender": article.lender.name if article.lender else None,
            "status": article.status,
            "script": article.script,
            "summary": article.summary,
            "published_at": article.published_at,
            "sections": [(s.kind, s.heading, s.body) for s in article.sections.all()],
        }
    return rows


def test_every_article_is_written_as_slug_md(library, tmp_path):
    out = StringIO()
    call_command("export_articles", str(tmp_path / "backup"), stdout=out)
    assert out.getvalue().strip() == f"已导出 4 篇文章到 {tmp_path / 'backup'}"
    names = sorted(p.name for p in (tmp_path / "backup").iterdir())
    assert names == sorted(f"{article.slug}.md" for article in library)


def test_front_matter_carries_lender_kinds_status_and_dates(library, tmp_path):
    published = library[0]
    export_articles(tmp_path)
    text = (tmp_path / f"{published.slug}.md").read_text(encoding="utf-8")
    meta = yaml.safe_load(text.split("\n---\n", 1)[0].removeprefix("---\n"))
    assert meta["lender"] == "导出测试贷"
    assert meta["status"] == "published"
    assert meta["kinds"] == ["background", "coping", "legality"]
    assert meta["published_at"] == published.published_at.isoformat()
    assert meta["updated_at"]


def test_documents_read_back_exactly(library, tmp_path):
    export_articles(tmp_path)
    for article in library:
        doc = parse_document((tmp_path / f"{article.slug}.md").read_text(encoding="utf-8"))
        assert doc.title == article.title
        assert doc.slug == article.slug
        assert doc.status == article.status
        assert doc.script == article.script
        assert doc.summary == article.summary
        assert [(s.kind, s.heading, s.body) for s in doc.sections] == [
            (s.kind, s.heading, s.body) for s in article.sections.all()
        ]


def test_export_delete_import_is_lossless(library, tmp_path):
    before = _snapshot()
    export_articles(tmp_path)
    Article.objects.all().delete()
    assert not Article.objects.exists()

    # Restoring a backup is the editor vouching for the files: --publish.
    call_command(
        "import_articles", str(tmp_path), "--publish", stdout=StringIO(), stderr=StringIO()
    )

    assert _snapshot() == before


def test_importing_an_export_twice_changes_nothing(library, tmp_path):
    export_articles(tmp_path)
    before = _snapshot()
    call_command("import_articles", str(tmp_path), stdout=StringIO(), stderr=StringIO())
    assert _snapshot() == before
    assert Article.objects.count() == len(library)


def test_windows_line_ends_from_the_admin_are_written_as_plain_newlines(tmp_path):
    article = make_article(sections=[("coping", "怎么办", "第一段\r\n\r\n- 一\r\n- 二")])
    export_articles(tmp_path)
    raw = (tmp_path / f"{article.slug}.md").read_bytes()
    assert b"\r" not in raw
    (section,) = parse_document(raw.decode("utf-8")).sections
    assert section.body == "第一段\n\n- 一\n- 二"


def test_a_slug_that_is_not_a_file_name_falls_back_to_the_id(tmp_path):
    article = make_article(title="奇怪的网址名")
    Article.objects.filter(pk=article.pk).update(slug="../../etc")
    article.refresh_from_db()
    assert filename_for(article) == f"article-{article.pk}.md"
    export_articles(tmp_path / "out")
    assert [p.name for p in (tmp_path / "out").iterdir()] == [f"article-{article.pk}.md"]
    assert not (tmp_path / "etc.md").exists()


def test_no_temporary_files_are_left_behind(library, tmp_path):
    export_articles(tmp_path)
    export_articles(tmp_path)  # overwriting an earlier backup
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{a.slug}.md" for a in library)
