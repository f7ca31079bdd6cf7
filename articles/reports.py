"""“这个号码打给我了”: readers report a number no lender publishes that called them about one.

No account. What is kept: the number's digits, the lender named (or none), what the caller
said (a choice, no free text), and a salted hash of the client (`kb.ratelimit.client_key`),
one report per client and number — a second report from the same reader replaces the first.
Limits: `KB_NUMBER_REPORTS_PER_DAY` per client (kb/ratelimit.py, shared by every worker), and
none taken while `KB_NUMBER_REPORTS_MAX_PENDING` wait for an editor. Readers see counts of the
reports editors approved, never the reports, and always with “we cannot verify this”.
The form sits on cached pages (the search answer card), so it carries no CSRF token: a post
from another site is refused by kb/origin.py instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from articles.display import convert
from kb import phones, ratelimit
from kb.origin import same_origin_post

from .models import Lender, NumberReport, OfficialNumber

MAX_NUMBER_CHARS = 40
DAY = 24 * 3600

# What readers are offered (the model's labels are the editors').
SAID_CHOICES = [
    (NumberReport.Said.COLLECTION, gettext_lazy("自称催收")),
    (NumberReport.Said.COURT, gettext_lazy("自称法院、律师或公安")),
    (NumberReport.Said.TRANSFER, gettext_lazy("要求转账")),
    (NumberReport.Said.OTHER, gettext_lazy("其他")),
]
# (with the lender named, without): what the count says.
_SENTENCES = {
    NumberReport.Said.COLLECTION: (
        gettext_lazy("%(count)d 位读者报告这个号码自称%(lender)s催收"),
        gettext_lazy("%(count)d 位读者报告这个号码自称催收"),
    ),
    NumberReport.Said.COURT: (
        gettext_lazy("%(count)d 位读者报告这个号码自称法院、律师或公安，提到%(lender)s"),
        gettext_lazy("%(count)d 位读者报告这个号码自称法院、律师或公安"),
    ),
    NumberReport.Said.TRANSFER: (
        gettext_lazy("%(count)d 位读者报告这个号码要求转账，提到%(lender)s"),
        gettext_lazy("%(count)d 位读者报告这个号码要求转账"),
    ),
    NumberReport.Said.OTHER: (
        gettext_lazy("%(count)d 位读者报告这个号码打来过，提到%(lender)s"),
        gettext_lazy("%(count)d 位读者报告这个号码打来过"),
    ),
}


class ReportForm(forms.Form):
    n = forms.CharField(max_length=MAX_NUMBER_CHARS)
    lender = forms.ModelChoiceField(
        queryset=Lender.objects.all(), to_field_name="slug", required=False
    )
    said = forms.ChoiceField(choices=SAID_CHOICES)

    def clean_n(self) -> phones.Phone:
        text = self.cleaned_data["n"]
        phone = phones.parse(text)
        if phone is None or phones.looks_like_id_number(text):
            raise forms.ValidationError(_("没有认出这个号码，请在查号码页面重新输入。"))
        if not phones.MIN_DIGITS <= len(phone.digits) <= phones.MAX_DIGITS:
            raise forms.ValidationError(_("没有认出这个号码，请在查号码页面重新输入。"))
        return phone


@dataclass
class ReportCount:
    lender: Lender | None
    said: str
    count: int

    @property
    def sentence(self) -> str:
        named, unnamed = _SENTENCES[self.said]
        if self.lender is None:
            return unnamed % {"count": self.count}
        lender = convert(self.lender.name, get_language())
        return named % {"count": self.count, "lender": lender}


@dataclass
class ReportPanel:
    """What the number check and the answer card show about readers' reports of a number."""

    digits: str
    counts: list[ReportCount]

    @cached_property
    def lenders(self) -> list[Lender]:
        """The form's choice (read only when a page shows the form, never for the API)."""
        return list(Lender.objects.order_by("name"))

    @property
    def said_choices(self):
        return SAID_CHOICES


def counts(digits: str) -> list[ReportCount]:
    """Approved reports of a number, by lender and what was said, most reported first."""
    rows = list(
        NumberReport.objects.shown()
        .filter(digits=digits)
        .values("lender", "said")
        .annotate(count=Count("id"))
        .order_by("-count", "lender", "said")
    )
    lenders = Lender.objects.in_bulk([row["lender"] for row in rows if row["lender"]])
    return [ReportCount(lenders.get(row["lender"]), row["said"], row["count"]) for row in rows]


def panel(phone: phones.Phone) -> ReportPanel:
    return ReportPanel(phone.digits, counts(phone.digits))


def counts_json(found: list[ReportCount], variant: str) -> list[dict]:
    return [
        {
            "lender": convert(item.lender.name, variant) if item.lender else None,
            "said": item.said,
            "count": item.count,
        }
        for item in found
    ]


def _problem(request, message: str, status: int, phone: phones.Phone | None = None):
    context = {"message": message, "phone": phone, "seo_noindex": True}
    return render(request, "articles/number_report_problem.html", context, status=status)


@same_origin_post
@require_POST
def report_number(request):
    form = ReportForm(request.POST)
    if not form.is_valid():
        message = " ".join(error for errors in form.errors.values() for error in errors)
        return _problem(request, message, 400)
    phone = form.cleaned_data["n"]
    if OfficialNumber.objects.matching(phone).exists():
        return _problem(request, _("这是借贷机构官方公布的号码，不需要报告。"), 400, phone)
    if NumberReport.objects.filter(status=NumberReport.Status.PENDING).count() >= (
        settings.KB_NUMBER_REPORTS_MAX_PENDING
    ):
        return _problem(request, _("报告太多，编辑正在处理，请过几天再来报告。"), 503, phone)
    # Counted before saving, so two posts at once cannot both slip through; when nothing can
    # count, no report is taken (a report is worth less than the limit).
    if not ratelimit.allow("number-report", request, settings.KB_NUMBER_REPORTS_PER_DAY, DAY):
        return _problem(request, _("你今天已经报告了很多号码，请明天再来。谢谢！"), 429, phone)
    _save(phone.digits, ratelimit.client_key(request), form.cleaned_data)
    messages.success(
        request,
        _("谢谢！报告已收到。编辑审核后，它才会计入这个号码的读者报告人数。"),
        extra_tags="number-report",
    )
    url = reverse("articles:number_check") + "?" + urlencode({"n": phone.digits})
    return HttpResponseRedirect(url + "#number-reports")


def _save(digits: str, client: str, data: dict) -> None:
    """One report per reader and number: a second one replaces the first, to be approved
    again when it says something else."""
    values = {"lender": data["lender"], "said": data["said"]}
    report, created = NumberReport.objects.get_or_create(
        digits=digits, client=client, defaults=values
    )
    if not created and (report.lender, report.said) != (values["lender"], values["said"]):
        report.lender, report.said = values["lender"], values["said"]
        report.status = NumberReport.Status.PENDING
        report.save()
