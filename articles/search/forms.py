"""The search parameters, checked once for the page and the API (docs/search.md).

    ?q=&page=&lender=&section=        the page (/search/) and the API (/api/search/)
    &lang=                            the API only: zh-hans or zh-hant

A parameter that is not what it should be is an error with a code (the API's `error`) and a
message for readers (the API's `message`, the page's notice); nothing is searched.
"""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from articles.models import Lender, Section

_DIGITS = re.compile(r"[0-9]{1,6}")
_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,80}")
# The order errors are reported in: the first one found is the answer.
FIELDS = ("q", "page", "lender", "section", "lang")


class _TextField(forms.Field):
    """Any text, kept as sent: the query parser (query.py) drops what it cannot search, so a
    NUL byte or a control character is not an error (Django's CharField would refuse one)."""

    def to_python(self, value) -> str:
        return "" if value is None else str(value)


class SearchForm(forms.Form):
    q = _TextField(required=False)
    page = _TextField(required=False)
    lender = _TextField(required=False)
    section = _TextField(required=False)

    query_required = False

    def clean_q(self) -> str:
        text = self.cleaned_data["q"]
        # Counted as the parser sees it: runs of spaces are one.
        if len(" ".join(text.split())) > settings.KB_SEARCH_MAX_QUERY_LENGTH:
            raise forms.ValidationError(
                _(
                    "搜索的文字太长了：最多 %(limit)d 个字。请只输入借贷产品的名字、号码或几个关键词。"
                ),
                code="query_too_long",
                params={"limit": settings.KB_SEARCH_MAX_QUERY_LENGTH},
            )
        if self.query_required and not text.strip():
            raise forms.ValidationError(_("请输入要搜索的内容（参数 q）。"), code="missing_query")
        return text

    def clean_page(self) -> int:
        value = self.cleaned_data["page"].strip()
        if not value:
            return 1
        last = settings.KB_SEARCH_MAX_PAGES
        number = int(value) if _DIGITS.fullmatch(value) else 0
        if not 1 <= number <= last:
            raise forms.ValidationError(
                _("页码不对：请用 1 到 %(last)d 之间的整数。"),
                code="bad_page",
                params={"last": last},
            )
        return number

    def clean_lender(self) -> str | None:
        slug = self.cleaned_data["lender"].strip()
        if not slug:
            return None
        if not _SLUG.fullmatch(slug) or not Lender.objects.filter(slug=slug).exists():
            raise forms.ValidationError(
                _("没有这个借贷产品，去掉借贷产品的筛选再搜索试试。"), code="unknown_lender"
            )
        return slug

    def clean_section(self) -> str | None:
        kind = self.cleaned_data["section"].strip()
        if not kind:
            return None
        if kind not in Section.Kind.values:
            raise forms.ValidationError(
                _("没有这种段落类型，去掉段落类型的筛选再搜索试试。"), code="unknown_section"
            )
        return kind

    def first_error(self) -> tuple[str, str] | None:
        """(code, message) of the first parameter found wrong, or None."""
        errors = self.errors.as_data()
        for name in FIELDS:
            if name in errors:
                error = errors[name][0]
                message = error.message % error.params if error.params else error.message
                return error.code, str(message)
        return None


class ApiSearchForm(SearchForm):
    """The API's parameters: the page's, a query that must be there, and the variant."""

    lang = _TextField(required=False)

    query_required = True

    def clean_lang(self) -> str | None:
        code = self.cleaned_data["lang"].strip().lower()
        if not code:
            return None
        served = dict(settings.LANGUAGES)
        if code not in served:
            raise forms.ValidationError(
                _("不支持这种字体：lang 可以是 %(codes)s。"),
                code="unknown_lang",
                params={"codes": "、".join(served)},
            )
        return code
