"""Head tags for search engines and link previews: {% load seo %}."""

from django import template
from django.conf import settings
from django.utils.translation import get_language

from articles import seo
from kb.variants import variant_of

register = template.Library()


@register.simple_tag(takes_context=True)
def article_json_ld(context, article):
    return seo.json_ld_script(seo.article_json_ld(article, context.get("request")))


@register.simple_tag
def og_locale() -> str:
    return seo.OG_LOCALES.get(variant_of(get_language()), "zh_CN")


@register.simple_tag
def og_locale_alternates() -> list[str]:
    current = og_locale()
    codes = [seo.OG_LOCALES.get(code, "") for code, _name in settings.LANGUAGES]
    return [code for code in codes if code and code != current]


@register.simple_tag(takes_context=True)
def page_meta(context) -> dict:
    """Title, description, Open Graph type and absolute URL of the page being rendered."""
    meta = seo.page_meta(
        article=context.get("article"),
        lender=context.get("lender"),
        title=context.get("seo_title"),
        description=context.get("seo_description"),
    )
    request = context.get("request")
    path = meta.pop("path") or (request.path if request is not None else "/")
    meta["url"] = request.build_absolute_uri(path) if request is not None else path
    return meta
