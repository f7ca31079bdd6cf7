"""“这个号码是官方的吗？”: look a pasted phone number up in the official numbers editors keep.

The answer is only ever “listed, here is the source” or “not listed”: an unlisted number may
still be a lender's collection agency, and a listed one may be spoofed, so neither is “safe”.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from articles.display import convert
from kb import phones

from . import reports
from .models import Lender, OfficialNumber

MAX_INPUT_CHARS = 40
MIN_DIGITS = phones.MIN_DIGITS
MAX_DIGITS = phones.MAX_DIGITS

# After NFKC (full-width digits, brackets and dashes become ASCII): digits, the separators
# people paste with a number and an extension (95188 转 2); anything else is not a number.
_ALLOWED = re.compile(
    r"[0-9\s+\-‐‑‒–—―−().【】\[\]]*(?:(?:转|轉|分机|分機|ext\.?|x)\s*[0-9]+\s*)?", re.I
)
_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,80}")
_CHARACTERS = _("号码里只能有数字、空格、“+”、“-”、括号和分机号（如“95188 转 2”）。")


class NumberCheckForm(forms.Form):
    n = forms.CharField(
        label=_("来电号码"),
        max_length=MAX_INPUT_CHARS,
        error_messages={
            "required": _("请输入给你打电话的号码。"),
            "max_length": _("输入太长了：号码最多 %(limit_value)d 个字符。"),
            "null_characters_not_allowed": _CHARACTERS,
        },
    )

    def clean_n(self) -> phones.Phone:
        text = unicodedata.normalize("NFKC", self.cleaned_data["n"]).strip()
        if phones.looks_like_id_number(text):
            raise forms.ValidationError(
                _("这看起来是身份证号码，不是电话号码。请不要在任何网站上输入身份证号码。")
            )
        if not _ALLOWED.fullmatch(text):
            raise forms.ValidationError(_CHARACTERS)
        digits = phones.digits_of(text)
        if not digits:
            raise forms.ValidationError(_("没有找到数字，请输入完整的来电号码。"))
        if len(digits) < MIN_DIGITS:
            raise forms.ValidationError(
                _("号码太短：至少要有 %(count)d 位数字。"), params={"count": MIN_DIGITS}
            )
        if len(digits) > MAX_DIGITS:
            raise forms.ValidationError(
                _("号码太长：最多 %(count)d 位数字。"), params={"count": MAX_DIGITS}
            )
        phone = phones.parse(text)
        if phone is None:
            raise forms.ValidationError(_("这不像电话号码（是日期吗？），请输入来电显示的号码。"))
        return phone


def _lender_from(data) -> Lender | None:
    """The lender whose page the form was sent from (a hidden field); ignored when odd."""
    slug = str(data.get("lender", ""))
    if not _SLUG.fullmatch(slug):
        return None
    return Lender.objects.filter(slug=slug).first()


@dataclass
class NumberCheck:
    """What the answer page shows for one query."""

    query: str = ""
    phone: phones.Phone | None = None
    errors: list[str] = field(default_factory=list)
    matches: list[OfficialNumber] = field(default_factory=list)
    lender: Lender | None = None
    lenders_with_articles: set[int] = field(default_factory=set)  # of the matches' lenders
    reports: reports.ReportPanel | None = None  # readers' reports of a number nobody lists

    @property
    def digits(self) -> str:
        return self.phone.digits if self.phone else ""

    @property
    def listed(self) -> bool:
        return bool(self.matches)

    @property
    def kind_note(self) -> str:
        """What the number's shape says, for a number no lender publishes."""
        return KIND_NOTES.get(self.phone.kind, "") if self.phone else ""


# What the shape of an unlisted number says (and does not say) about the caller.
KIND_NOTES = {
    phones.MOBILE: _(
        "这是一个手机号码。借贷机构的官方客服一般不用手机号，外包催收却常用手机号打来。"
    ),
    phones.LANDLINE: _("这是一个固定电话号码。外包催收公司和诈骗团伙都可能用座机打来。"),
    phones.SERVICE: _(
        "这是企业服务号码的格式（95、96、400、800 等开头），但不是我们收录的任何借贷产品公布的号码。"
    ),
    phones.HOTLINE: _("12 开头的是政府和公共服务热线，不是借贷机构的号码。"),
    phones.EMERGENCY: _("这是紧急求助电话。警方不会在电话里让你转账。"),
    phones.SMS: _("106 开头的是企业群发短信的号码，只发短信，不会用它打电话。"),
    phones.INTERNATIONAL: _("这是境外号码。国内的借贷机构和催收公司不会用境外号码联系你。"),
}


def number_answer(phone: phones.Phone | None) -> NumberCheck | None:
    """The answer card for a phone number found in a search query (None without one)."""
    if phone is None or phone.kind == phones.OTHER:
        return None
    return _looked_up(NumberCheck(query=phone.digits, phone=phone))


def number_json(check: NumberCheck, variant: str) -> dict:
    """The API's `number` object: the first listing's fields, and every listing."""
    listings = [
        {
            "lender": convert(match.lender.name, variant),
            "line": convert(match.purpose, variant),
            "source": convert(match.source_name, variant),
            "source_url": match.source_url,
            "verified_on": match.verified_on.isoformat() if match.verified_on else None,
        }
        for match in check.matches
    ]
    first = (
        listings[0]
        if listings
        else dict.fromkeys(["lender", "line", "source", "source_url", "verified_on"])
    )
    return {
        "digits": check.digits,
        "extension": check.phone.extension,
        "kind": check.phone.kind,
        "listed": check.listed,
        **first,
        "listings": listings,
        "reports": reports.counts_json(check.reports.counts, variant) if check.reports else [],
    }


def check_number(data) -> NumberCheck:
    """Validate a query (a QueryDict or dict with `n`, optional `lender`) and look it up."""
    query = str(data.get("n", ""))[: MAX_INPUT_CHARS * 2]
    lender = _lender_from(data)
    if not query.strip():
        return NumberCheck(lender=lender)
    form = NumberCheckForm(data)
    if not form.is_valid():
        return NumberCheck(query=query, errors=list(form.errors["n"]), lender=lender)
    return _looked_up(NumberCheck(query=query, phone=form.cleaned_data["n"], lender=lender))


def _looked_up(check: NumberCheck) -> NumberCheck:
    """The check with the listed numbers its phone number is, lenders in name order."""
    check.matches = list(
        OfficialNumber.objects.matching(check.phone)
        .select_related("lender")
        .order_by("lender__name", "purpose", "pk")
    )
    if check.matches:
        check.lenders_with_articles = set(
            Lender.objects.with_published_articles()
            .filter(pk__in=[match.lender_id for match in check.matches])
            .values_list("pk", flat=True)
        )
    else:
        check.reports = reports.panel(check.phone)
    return check


def number_check(request):
    check = check_number(request.GET)
    lender = check.lender
    context = {
        "check": check,
        "number_query": check.query,
        "lender": lender,
        "lender_numbers": list(lender.numbers.all()) if lender else [],
        "seo_title": _("这个号码是官方的吗？"),
        "seo_description": _(
            "输入来电号码，查一查它是不是借贷产品官方公布的号码，以及来源和核实日期。"
        ),
        "seo_noindex": bool(check.query),
    }
    return render(request, "articles/number_result.html", context)


def scam_guide(request):
    context = {
        "seo_title": _("如何识别冒充催收、冒充客服的诈骗电话"),
        "seo_description": _(
            "只认官方渠道，不向个人账户转账，不说验证码；“注销账户”“影响征信”都是常见骗术。"
        ),
    }
    return render(request, "articles/scam_guide.html", context)
