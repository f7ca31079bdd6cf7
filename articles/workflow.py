"""Editorial rules for moving an article between 草稿, 待审核 and 已发布.

Two questions, each answered here and nowhere else:

- `publish_refusal`: is the article fit for readers (a summary, a section with text, a lender
  or the 通用文章 mark, no unresolved import problem)? Every path that publishes asks it: the
  change form, the list action, restoring an old version, the importer's --publish, load_demo.
- `role_refusal`: may this user do it? Editors write and submit (待审核); putting an article
  in front of readers, or changing or withdrawing one that is there, takes the 审核 role
  (`articles.editors.may_publish`) — so nobody publishes their own change without it.
"""

from __future__ import annotations

from collections.abc import Iterable

from .editors import may_publish
from .models import Article

ROLE_REFUSAL = (
    "只有审核人可以发布文章，或修改、撤回已发布的文章。"
    "请保存后点“提交审核”，审核人会看到它；要修改已发布的文章，请联系审核人。"
)


def missing_for_publishing(
    article: Article, sections: Iterable[str] | None = None, flags: list | None = None
) -> list[str]:
    """What the article lacks before readers may see it, in words for an editor.

    `sections` are the section bodies as they are about to be saved (the admin form's inline
    rows, an importer's plan); None reads the saved sections. `flags` likewise stands in for
    `article.import_flags` (an editor ticking 问题已处理 passes []).
    """
    if sections is None:
        sections = article.sections.values_list("body", flat=True) if article.pk else []
    if flags is None:
        flags = article.import_flags
    missing = []
    if not (article.summary or "").strip():
        missing.append("还没有摘要（请写一两句话，读者在搜索结果和列表里先看到它）")
    if not any((body or "").strip() for body in sections):
        missing.append("还没有写了正文的段落（至少要有一段正文）")
    if article.lender_id is None and not article.general:
        missing.append("还没有选借贷产品（适用于各家的文章请勾选“通用文章”）")
    count = _count(flags)
    if count:
        missing.append(
            f"还有 {count} 个导入问题未处理（请在“导入问题”中逐条核对正文，改好后勾选“问题已处理”）"
        )
    return missing


def publish_refusal(
    article: Article, sections: Iterable[str] | None = None, flags: list | None = None
) -> str | None:
    """Why this article may not be published yet, in one Chinese sentence; None if it may."""
    missing = missing_for_publishing(article, sections, flags)
    if not missing:
        return None
    return f"《{article.title}》不能发布：" + "；".join(missing) + "。"


def role_refusal(user, was_published: bool, status: str) -> str | None:
    """Why this user may not move an article (published before: `was_published`) to
    `status` or edit it, or None. Drafts and 待审核 are every editor's."""
    if (was_published or status == Article.Status.PUBLISHED) and not may_publish(user):
        return ROLE_REFUSAL
    return None


def flag_count(article: Article) -> int:
    return _count(article.import_flags)


def _count(flags) -> int:
    return len(flags) if isinstance(flags, list) else int(bool(flags))
