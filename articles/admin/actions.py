"""Moving articles between 草稿, 待审核 and 已发布 from the list page, one revision each.

The same rules as the article page (`articles.workflow`): publishing takes the 审核 role and
an article fit for readers; a published article is moved only by a reviewer.
"""

import reversion
from django.contrib import admin, messages

from ..models import Article
from ..workflow import ROLE_REFUSAL, publish_refusal, role_refusal

MAX_REFUSALS_SHOWN = 10


class WorkflowActionsMixin:
    """Bulk actions for ArticleAdmin; needs a BaselineVersionAdmin (ensure_baseline) and
    ReviewMixin (has_publish_permission)."""

    actions = ["submit_for_review", "publish", "withdraw", "clear_import_flags"]

    def changelist_view(self, request, extra_context=None):
        # VersionAdmin wraps the whole list page in one revision; a bulk action would then put
        # every selected article into that one revision, and restoring one of them later would
        # restore them all. Each action below opens a revision per article instead.
        context = {"has_change_permission": self.has_change_permission(request)}
        context.update(extra_context or {})
        return admin.ModelAdmin.changelist_view(self, request, context)

    def _move(self, request, queryset, status, done_message):
        moved, refusals = [], []
        for article in queryset.select_related("lender"):
            reason = self._refusal(request, article, status)
            if reason:
                refusals.append(reason)
                continue
            if article.status == status:
                continue
            self.ensure_baseline(article)
            article.status = status
            if status == Article.Status.PUBLISHED:
                article.review_note = ""
            label = Article.Status(status).label
            with reversion.create_revision():
                article.save()
                reversion.set_user(request.user)
                reversion.set_comment(f"状态改为“{label}”（批量操作）")
            self.log_change(request, article, f"状态改为“{label}”")
            moved.append(article)
        if moved:
            self.message_user(request, done_message.format(n=len(moved)), messages.SUCCESS)
        elif not refusals:
            self.message_user(request, "所选文章已经是这个状态，没有改动。", messages.INFO)
        for reason in refusals[:MAX_REFUSALS_SHOWN]:
            self.message_user(request, reason, messages.ERROR)
        if len(refusals) > MAX_REFUSALS_SHOWN:
            more = len(refusals) - MAX_REFUSALS_SHOWN
            self.message_user(
                request, f"另有 {more} 篇文章没有改动（原因与上面类似）。", messages.ERROR
            )

    def _refusal(self, request, article, status) -> str | None:
        if role_refusal(request.user, article.is_published, status):
            return f"《{article.title}》没有改动：{ROLE_REFUSAL}"
        if status == Article.Status.PUBLISHED:
            return publish_refusal(article)
        return None

    @admin.action(description="提交审核", permissions=["change"])
    def submit_for_review(self, request, queryset):
        self._move(request, queryset, Article.Status.REVIEW, "已将 {n} 篇文章提交审核。")

    @admin.action(description="发布（审核人）", permissions=["publish"])
    def publish(self, request, queryset):
        self._move(
            request, queryset, Article.Status.PUBLISHED, "已发布 {n} 篇文章，读者现在可以看到。"
        )

    @admin.action(description="撤回为草稿", permissions=["change"])
    def withdraw(self, request, queryset):
        self._move(
            request, queryset, Article.Status.DRAFT, "已将 {n} 篇文章撤回为草稿，读者看不到了。"
        )

    @admin.action(description="标记导入问题已处理", permissions=["change"])
    def clear_import_flags(self, request, queryset):
        cleared = 0
        for article in queryset:
            if not article.import_flags:
                continue
            self.ensure_baseline(article)
            article.import_flags = []
            with reversion.create_revision():
                article.save()
                reversion.set_user(request.user)
                reversion.set_comment("导入问题已处理（批量操作）")
            self.log_change(request, article, "导入问题已处理")
            cleared += 1
        self.message_user(request, f"已清除 {cleared} 篇文章的导入问题提示。", messages.SUCCESS)
