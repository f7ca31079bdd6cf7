"""What search engines and feed readers see: robots.txt, schema.org JSON-LD, language tags."""

from __future__ import annotations

import json

from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kb.variants import VARIANTS, variant_of

from .display import convert
from .models import Article, Lender

# The same escapes as django.utils.html.json_script: no "</script>" or "<!--" can close or
# confuse the surrounding <script> element, and the JSON still parses to the same values.
_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}

# Open Graph wants a locale per variant (Open Graph protocol, og:locale), from kb/variants.py.
OG_LOCALES = {code: variant.og_locale for code, variant in VARIANTS.items()}


def page_meta(article=None, lender=None, title=None, description=None) -> dict:
    """What link previews and search results show for a page, in the reader's script.

    An article describes itself; a page may pass its own title and description; a lender page
    describes the lender; anything else gets the site's own description.
    """
    language = get_language()
    site_description = _(
        "谁在打来催收电话、催收是否合法、接到电话怎么应对；附各借贷产品官方公布的号码和来源。"
    )
    meta = {"og_type": "website", "path": None}
    if isinstance(article, Article):
        meta["og_type"] = "article"
        meta["title"] = convert(article.title, language, article.script)
        meta["description"] = convert(article.summary, language, article.script) or meta["title"]
        meta["path"] = article.get_absolute_url()
    elif title:
        meta["title"] = str(title)
        meta["description"] = str(description or site_description)
    elif isinstance(lender, Lender):
        name = convert(lender.name, language)
        meta["title"] = _("%(name)s催收电话、官方号码与应对") % {"name": name}
        meta["description"] = convert(lender.description, language) or site_description
        meta["path"] = lender.get_absolute_url()
    else:
        meta["title"] = _("催收电话知识库")
        meta["description"] = site_description
    meta["description"] = Truncator(" ".join(meta["description"].split())).chars(160)
    return meta


def robots_txt(request):
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
    return render(
        request,
        "robots.txt",
        {"sitemap_url": sitemap_url},
        content_type="text/plain; charset=utf-8",
    )


def json_ld_script(data: dict) -> str:
    """A <script type="application/ld+json"> element, safe for any string inside `data`."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # HTML-escaping the JSON would break it; the escapes above make it inert instead.
    return mark_safe(
        f'<script type="application/ld+json">{text.translate(_JSON_SCRIPT_ESCAPES)}</script>'
    )


def article_json_ld(article, request=None) -> dict:
    """schema.org Article for an article page, in the reader's script."""
    language = get_language()

    def absolute(path: str) -> str:
        return request.build_absolute_uri(path) if request is not None else path

    site_name = _("催收电话知识库")
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": convert(article.title, language, article.script)[:110],
        # schema.org inLanguage takes BCP 47 tags, the same as <html lang>.
        "inLanguage": VARIANTS[variant_of(language)].html_lang,
        "datePublished": (article.published_at or article.created_at).isoformat(),
        "dateModified": article.updated_at.isoformat(),
        "url": absolute(article.get_absolute_url()),
        "mainEntityOfPage": absolute(article.get_absolute_url()),
        "publisher": {
            "@type": "Organization",
            "name": site_name,
            "url": absolute(reverse("articles:home")),
        },
        "author": {"@type": "Organization", "name": site_name},
    }
    if article.summary:
        data["description"] = convert(article.summary, language, article.script)
    lender = article.lender
    if lender is not None:
        about = {
            "@type": "LoanOrCredit",
            "name": convert(lender.name, language),
            "url": absolute(lender.get_absolute_url()),
        }
        if lender.operator:
            about["provider"] = {
                "@type": "Organization",
                "name": convert(lender.operator, language),
            }
        data["about"] = about
    return data
