"""Helpers shared by the importer tests: run the command, read back what an editor sees."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command

from articles.models import Article, Lender, Section
from tests.seeds import SEEDS_DIR  # noqa: E402

SEEDS = SEEDS_DIR
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"
PAGES = FIXTURES / "pages"
REFUSED = FIXTURES / "refused"


def run_import(*paths, publish=False):
    """Run the command; returns (stdout, stderr, failed)."""
    out, err = StringIO(), StringIO()
    args = [str(p) for p in paths] + (["--publish"] if publish else [])
    try:
        call_command("import_articles", *args, stdout=out, stderr=err)
        failed = False
    except CommandError:
        failed = True
    return out.getvalue(), err.getvalue(), failed


def full_text(article: Article) -> str:
    parts = [article.title, article.summary]
    for section in article.sections.all():
        parts += [section.heading, section.body]
    return "\n".join(parts)


def kinds(article: Article) -> list[str]:
    return list(article.sections.values_list("kind", flat=True))


def headings(article: Article) -> list[str]:
    return list(article.sections.values_list("heading", flat=True))


def copy_as(tmp_path: Path, name: str, text: str, encoding="utf-8", errors="strict") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding, errors=errors))
    return path


def assert_refused(path, reason_part):
    """One-line reason on stderr, non-zero exit, nothing saved."""
    lenders = Lender.objects.count()
    out, err, failed = run_import(path, publish=True)
    assert failed
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1
    assert lines[0].startswith(f"{Path(path).name}: 导入失败：")
    assert reason_part in lines[0]
    assert "失败 1" in out
    assert Article.objects.count() == 0
    assert Section.objects.count() == 0
    assert Lender.objects.count() == lenders
