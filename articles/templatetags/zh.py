"""Reader-script helpers for templates.

- `{{ text|zh }}` shows stored text in the reader's script and words (articles/display.py);
  `{{ article.title|zh:article.script }}` when the script it was written in is known.
- `{{ LANGUAGE_CODE|html_lang }}` gives the BCP 47 tag for `<html lang>` (zh-Hans, zh-Hant).
- `{% variant_links %}` writes the canonical link and one `hreflang` alternate per variant
  (plus x-default) for the current page.
- `{% served_variants as variants %}` lists the served variants (kb/variants.py: label,
  switch character, html lang) for the switch.
- `{% variant_url "zh-hant" %}` is the current page's address (with its query) in another
  variant: the toggle posts it as `next`, because Django's `set_language` cannot translate a
  prefixed address back while the default language is active.
- `{{ url|web_url }}` keeps only http(s) addresses (a source link an editor typed).
"""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language

from articles.display import convert
from kb.variants import VARIANTS, variant_of

register = template.Library()


@register.filter(name="zh")
def zh(text, script=None):
    if not text:
        return text
    return convert(str(text), get_language(), script or None)


@register.filter
def html_lang(language_code):
    code = str(language_code).lower()
    return VARIANTS[code].html_lang if code in VARIANTS else language_code


@register.simple_tag
def served_variants():
    """The variants the site serves (settings.LANGUAGES), each with its labels and tag."""
    return [VARIANTS[variant_of(code)] for code, _label in settings.LANGUAGES]


@register.filter
def web_url(url):
    url = str(url or "").strip()
    return url if url.lower().startswith(("https://", "http://")) else ""


def _page_path(request) -> str | None:
    """The current page's path, or None when no view matched (a 404)."""
    if request is None or getattr(request, "resolver_match", None) is None:
        return None
    return request.path


@register.simple_tag(takes_context=True)
def variant_url(context, language_code):
    request = context.get("request")
    path = _page_path(request)
    if path is None:
        return request.get_full_path() if request is not None else "/"
    query = request.META.get("QUERY_STRING", "")
    return translate_url(path, language_code) + (f"?{query}" if query else "")


@register.simple_tag(takes_context=True)
def variant_links(context):
    request = context.get("request")
    path = _page_path(request)
    if path is None:
        return ""
    canonical = request.build_absolute_uri(path)
    alternates = [
        (
            VARIANTS[variant_of(code)].html_lang,
            request.build_absolute_uri(translate_url(path, code)),
        )
        for code, _name in settings.LANGUAGES
    ]
    alternates.append(
        ("x-default", request.build_absolute_uri(translate_url(path, settings.LANGUAGE_CODE)))
    )
    return format_html(
        '<link rel="canonical" href="{}">\n{}',
        canonical,
        format_html_join("\n", '<link rel="alternate" hreflang="{}" href="{}">', alternates),
    )
