"""The article as a reader would see it, for editors, before or after publishing."""

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation

from kb.variants import VARIANTS

from ..display import article_display
from ..limits import first_sections, shown_sections
from ..models import Article


def preview_variants() -> list[str]:
    """The reader variants the site serves (its LANGUAGES that conversion knows)."""
    return [code for code, _name in settings.LANGUAGES if code in VARIANTS]


def choose_variant(article: Article, requested: str | None) -> str:
    variants = preview_variants()
    if requested in variants:
        return requested
    written_in = "zh-hant" if article.script == Article.Script.HANT else "zh-hans"
    return written_in if written_in in variants else variants[0]


def render_preview(request, article: Article, variant: str):
    """Render through the readers' own conversion and Markdown pipeline (article_display)."""
    variants = [
        {"code": code, "label": VARIANTS[code].short_label, "current": code == variant}
        for code in preview_variants()
    ]
    sections = shown_sections(first_sections(article))
    # Build and render inside the reader's language, so the layout and links follow it.
    with translation.override(variant):
        context = {
            "article": article,
            "lender": article.lender,
            "numbers": list(article.lender.numbers.all()) if article.lender else [],
            "display": article_display(article, sections, variant),
            "variant": variant,
            "variants": variants,
            "change_url": reverse("admin:articles_article_change", args=[article.pk]),
            "reader_url": article.get_absolute_url() if article.is_published else "",
            "seo_noindex": True,
        }
        return render(request, "admin/articles/preview.html", context)
