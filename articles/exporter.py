"""Write every article, whatever its status, as a front-matter document (`<slug>.md`).

The files are what `import_articles` reads back, so an export is also a backup of the content
that survives a change of database.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from .documents import dump_document
from .models import Article

_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,119}$")


def export_articles(directory: Path | str) -> int:
    """Export all articles into ``directory`` (created if missing); return how many."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    articles = (
        Article.objects.select_related("lender").prefetch_related("sections").order_by("slug")
    )
    count = 0
    for article in articles.iterator(chunk_size=200):
        _write_atomically(directory / filename_for(article), dump_document(article))
        count += 1
    return count


def filename_for(article) -> str:
    """`<slug>.md`; a slug that is not a plain file name falls back to the article's id."""
    if _SAFE_NAME.match(article.slug or ""):
        return f"{article.slug}.md"
    return f"article-{article.pk}.md"


def _write_atomically(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
