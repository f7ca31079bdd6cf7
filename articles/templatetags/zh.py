"""Show stored text in the reader's script: {% load zh %}{{ article.title|zh }}."""

from django import template
from django.utils.translation import get_language

from kb.text import convert

register = template.Library()


@register.filter(name="zh")
def zh(text):
    if not text:
        return text
    return convert(str(text), get_language())
