"""Readers' reports of numbers that called them: editors approve (the count goes public),
hide, and merge reports of one number typed two ways or of one lender named two ways."""

from collections import Counter

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery

from kb import phones
from kb.cache import bump_content_version

from ..models import NumberReport
from .search import LimitedSearchMixin


def _same_number():
    return Subquery(
        NumberReport.objects.filter(digits=OuterRef("digits"))
        .values("digits")
        .annotate(total=Count("id"))
        .values("total")[:1]
    )


@admin.register(NumberReport)
class NumberReportAdmin(LimitedSearchMixin, admin.ModelAdmin):
    list_display = ["digits", "lender", "said", "status", "reports_of_number", "updated_at"]
    list_filter = ["status", "said", ("lender", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["lender"]
    search_fields = ["digits"]
    date_hierarchy = "updated_at"
    fields = ["digits", "lender", "said", "status", "created_at", "updated_at"]
    readonly_fields = ["digits", "created_at", "updated_at"]
    actions = ["show", "hide", "merge_numbers", "merge_lenders"]

    def has_add_permission(self, request):
        return False  # reports come from readers

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(same_number=_same_number())

    @admin.display(description="这个号码的报告数", ordering="same_number")
    def reports_of_number(self, obj):
        return obj.same_number

    @admin.action(description="审核通过：计入页面上的人数", permissions=["change"])
    def show(self, request, queryset):
        count = queryset.update(status=NumberReport.Status.SHOWN)
        bump_content_version()  # update() sends no signal; counts show on cached pages
        self.message_user(request, f"{count} 条报告已计入页面上的人数。")

    @admin.action(description="隐藏：不计入人数", permissions=["change"])
    def hide(self, request, queryset):
        count = queryset.update(status=NumberReport.Status.HIDDEN)
        bump_content_version()  # update() sends no signal; counts show on cached pages
        self.message_user(request, f"{count} 条报告已隐藏。")

    @admin.action(description="合并号码：都改成所选报告里最多的号码", permissions=["change"])
    @transaction.atomic
    def merge_numbers(self, request, queryset):
        pks = list(queryset.values_list("pk", flat=True))
        reports = list(NumberReport.objects.filter(pk__in=pks).select_for_update())
        # On a tie, a number of a known shape wins over a mistyped one.
        target = _most_common([report.digits for report in reports], prefer=_known)
        moved = dropped = 0
        for report in reports:
            if report.digits == target:
                continue
            if NumberReport.objects.filter(digits=target, client=report.client).exists():
                report.delete()  # the same reader reported the target number already
                dropped += 1
            else:
                report.digits = target
                report.save(update_fields=["digits", "updated_at"])
                moved += 1
        note = f"，删除 {dropped} 条同一读者的重复报告" if dropped else ""
        self.message_user(request, f"{moved} 条报告已合并到 {target}{note}。")

    @admin.action(description="合并借贷产品：都改成所选报告里最多的那个", permissions=["change"])
    def merge_lenders(self, request, queryset):
        named = [report.lender for report in queryset.select_related("lender") if report.lender]
        if not named:
            self.message_user(request, "所选报告都没有提到借贷产品。", messages.WARNING)
            return
        target = _most_common(named)
        count = queryset.exclude(lender=target).update(lender=target)
        bump_content_version()  # update() sends no signal; counts show on cached pages
        self.message_user(request, f"{count} 条报告已改为“{target}”。")


def _known(digits: str) -> bool:
    phone = phones.parse(digits)
    return phone is not None and phone.kind != phones.OTHER


def _most_common(values, prefer=lambda value: False):
    """The commonest value; on a tie, one that `prefer` likes, else the one seen first."""
    counts = Counter(values)
    return max(counts, key=lambda value: (counts[value], prefer(value)))
