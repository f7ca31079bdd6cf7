"""The demo articles in `articles/demo/`, loaded by `python manage.py load_demo`.

Each file is one article in the project's document format (`articles.documents`). Loading
upserts by slug, so running it again changes nothing, and a file edited since the last load
updates its article and replaces its sections. Every article saved gets its own revision.

`make run` loads the demo on every start, so an article an editor has changed in the admin
since the last load is left as the editor made it (counted as `kept`), unless `force` is set.
Articles whose slug is not in the demo files are never touched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import reversion
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from reversion.models import Version

from .documents import ArticleDoc, DocumentError, parse_document
from .models import Article, Lender, Section
from .workflow import publish_refusal

DEMO_DIR = Path(__file__).resolve().parent / "demo"
REVISION_COMMENT = "载入示例内容"
# The shared page on the law of debt collection, which the other articles link to.
LEGAL_PAGE_SLUG = "cuishou-de-falv-dixian"
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


class DemoContentError(Exception):
    """A demo file cannot be loaded; nothing has been saved."""


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: int = 0


def read_demo_documents(directory: Path = DEMO_DIR) -> list[tuple[str, ArticleDoc]]:
    """Parse every `*.md` file in `directory`, checking what loading relies on."""
    paths = sorted(path for path in Path(directory).glob("*.md") if path.is_file())
    if not paths:
        raise DemoContentError(f"{directory} 里没有示例文章（*.md 文件）")
    documents: list[tuple[str, ArticleDoc]] = []
    seen: dict[str, str] = {}
    for path in paths:
        try:
            doc = parse_document(path.read_text(encoding="utf-8"))
        except (DocumentError, UnicodeDecodeError) as exc:
            raise DemoContentError(f"{path.name}：{exc}") from exc
        if not _SLUG.fullmatch(doc.slug):
            raise DemoContentError(
                f"{path.name}：slug 必须是小写拼音、数字和连字符，现在是“{doc.slug}”"
            )
        if doc.slug in seen:
            raise DemoContentError(f"{path.name} 和 {seen[doc.slug]} 的 slug 相同：{doc.slug}")
        seen[doc.slug] = path.name
        documents.append((path.name, doc))
    return documents


def load_demo(directory: Path = DEMO_DIR, *, force: bool = False) -> LoadResult:
    """Create or update the demo articles, all or nothing; returns what happened to each."""
    documents = read_demo_documents(directory)
    lenders = _lenders_by_name(documents)
    result = LoadResult()
    with transaction.atomic():
        for _name, doc in documents:
            lender = lenders.get(doc.lender)
            _check_publishable(_name, doc, lender)
            wanted = _doc_state(doc, lender)
            article = Article.objects.filter(slug=doc.slug).first()
            if article is None:
                _save(Article(slug=doc.slug), doc, lender)
                result.created += 1
                continue
            current = _article_state(article)
            if current == wanted:
                result.unchanged += 1
            elif not force and _last_loaded_state(article) != current:
                result.kept += 1
            else:
                _save(article, doc, lender)
                result.updated += 1
    return result


def _lenders_by_name(documents: list[tuple[str, ArticleDoc]]) -> dict[str, Lender]:
    names = {doc.lender for _name, doc in documents if doc.lender}
    lenders = {lender.name: lender for lender in Lender.objects.filter(name__in=names)}
    missing = [
        f"{name}（{doc.lender}）"
        for name, doc in documents
        if doc.lender and doc.lender not in lenders
    ]
    if missing:
        raise DemoContentError(
            "这些示例文章的借贷产品不在数据库里（先运行 migrate 安装借贷产品名录）："
            + "、".join(missing)
        )
    return lenders


def _check_publishable(name: str, doc: ArticleDoc, lender: Lender | None) -> None:
    """A demo article readers will see passes the same checks as an editor's."""
    if doc.status != Article.Status.PUBLISHED:
        return
    probe = Article(title=doc.title, summary=doc.summary, lender=lender, general=lender is None)
    refusal = publish_refusal(probe, sections=[s.body for s in doc.sections], flags=[])
    if refusal:
        raise DemoContentError(f"{name}：{refusal}")


def _save(article: Article, doc: ArticleDoc, lender: Lender | None) -> None:
    with reversion.create_revision():
        reversion.set_comment(REVISION_COMMENT)
        if article.pk:
            # Old sections go first, so the revision never follows a section about to vanish.
            article.sections.all().delete()
        article.title = doc.title
        article.lender = lender
        article.general = lender is None  # a demo article without a lender is for everyone
        article.summary = doc.summary
        article.status = doc.status
        article.script = doc.script
        article.source = doc.source
        article.save()
        for order, section in enumerate(doc.sections):
            Section.objects.create(
                article=article,
                kind=section.kind,
                heading=section.heading,
                body=section.body,
                order=order,
            )
        reversion.add_to_revision(article)


def _state(fields: dict, sections: list[dict]) -> tuple:
    return (
        fields["title"],
        fields["lender_id"],
        fields["summary"],
        fields["status"],
        fields["script"],
        fields["source"],
        tuple((s["kind"], s["heading"], s["body"]) for s in sections),
    )


def _doc_state(doc: ArticleDoc, lender: Lender | None) -> tuple:
    fields = {
        "title": doc.title,
        "lender_id": lender.pk if lender else None,
        "summary": doc.summary,
        "status": doc.status,
        "script": doc.script,
        "source": doc.source,
    }
    sections = [{"kind": s.kind, "heading": s.heading, "body": s.body} for s in doc.sections]
    return _state(fields, sections)


def _article_state(article: Article) -> tuple:
    names = ("title", "lender_id", "summary", "status", "script", "source")
    fields = {name: getattr(article, name) for name in names}
    sections = list(article.sections.order_by("order", "id").values("kind", "heading", "body"))
    return _state(fields, sections)


def _last_loaded_state(article: Article) -> tuple | None:
    """The article as `load_demo` last saved it, read back from that revision."""
    version = (
        Version.objects.get_for_object(article).filter(revision__comment=REVISION_COMMENT).first()
    )
    if version is None:
        return None
    section_type = ContentType.objects.get_for_model(Section)
    sections = sorted(
        (v.field_dict for v in version.revision.version_set.filter(content_type=section_type)),
        key=lambda fields: (fields["order"], fields["id"]),
    )
    return _state(version.field_dict, sections)
