"""Editorial rules for moving an article between draft, needs review and published."""

from .models import Article


def publish_refusal(article: Article, clearing_flags: bool = False) -> str | None:
    """Why this article may not be published yet, in words for an editor; None if it may."""
    flags = article.import_flags or []
    if flags and not clearing_flags:
        return (
            f"《{article.title}》还有 {len(flags)} 个导入问题未处理，不能发布。"
            "请在文章页面的“导入问题”中逐条核对正文，改好后勾选“问题已处理”再发布。"
        )
    return None


def flag_count(article: Article) -> int:
    flags = article.import_flags
    return len(flags) if isinstance(flags, list) else int(bool(flags))
