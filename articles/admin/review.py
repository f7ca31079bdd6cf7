"""The review step on the article page: who may edit what, the 审核 buttons and the note.

Editors write and press 保存并提交审核 (待审核); a reviewer (`articles.editors.may_publish`)
presses 保存并发布, or 退回修改 with a note the editor then sees at the top of the article and
in the list. A published article is the reviewers' alone: for an editor its page is read-only.
The rules themselves are `articles.workflow`; this module puts them on the admin's hooks.
"""

from __future__ import annotations

import reversion
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.utils.html import format_html
from django.utils.text import Truncator

from ..editors import may_publish
from ..forms import RestoreArticleForm
from ..models import Article
from ..workflow import ROLE_REFUSAL

BUTTON_COMMENTS = {
    "_submit": "提交审核",
    "_publish": "发布",
    "_send_back": "退回修改",
}


def was_published(request, article) -> bool:
    """Whether readers saw the article when this request began (the restore page and a
    failed save both hold an article changed in memory, so never read it from `article`)."""
    known = getattr(request, "kb_was_published", None)
    if known is not None:
        return known
    return article is not None and article.status == Article.Status.PUBLISHED


def may_edit(request, article) -> bool:
    return article is None or not was_published(request, article) or may_publish(request.user)


def pressed(request) -> str | None:
    return next((name for name in BUTTON_COMMENTS if name in request.POST), None)


class ReviewMixin:
    """For ArticleAdmin (a VersionAdmin)."""

    def has_publish_permission(self, request) -> bool:
        """Django's hook for actions declared with permissions=["publish"]."""
        return may_publish(request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and may_edit(request, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if object_id is not None and not hasattr(request, "kb_was_published"):
            article = self.get_object(request, unquote(object_id))  # None for a bad id
            request.kb_was_published = article is not None and article.is_published
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if getattr(request, "kb_restore", None) is not None:
            kwargs["form"] = RestoreArticleForm
        form = super().get_form(request, obj, change, **kwargs)
        form.user = request.user
        form.was_published = was_published(request, obj)
        form.restoring = getattr(request, "kb_restore", None)
        return form

    def review_fieldsets(self, request, obj) -> tuple[list, list]:
        """(fieldsets for the top of the page, fieldsets for the bottom)."""
        if obj is None or getattr(request, "kb_restore", None) is not None:
            return [], []
        if may_publish(request.user) and self.has_change_permission(request, obj):
            return [], [
                (
                    "审核",
                    {
                        "fields": ["review_note"],
                        "description": "退回修改时写明要改什么（必填）；文章发布时清空。",
                    },
                )
            ]
        if obj.review_note:
            return [
                (
                    "审核意见：请按意见修改，改好后点“保存并提交审核”",
                    {"fields": ["review_note_display"], "classes": ["review-note"]},
                )
            ], []
        return [], []

    def review_buttons(self, request, obj) -> list[tuple[str, str]]:
        if getattr(request, "kb_restore", None) is not None:
            return []
        if obj is not None and not self.has_change_permission(request, obj):
            return []
        status = obj.status if obj is not None else Article.Status.DRAFT
        if status == Article.Status.PUBLISHED:
            return []
        if not may_publish(request.user):
            return [] if status == Article.Status.REVIEW else [("_submit", "保存并提交审核")]
        buttons = [("_publish", "保存并发布")]
        if status == Article.Status.REVIEW:
            buttons.append(("_send_back", "退回修改（附审核意见）"))
        return buttons

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["review_buttons"] = self.review_buttons(request, obj)
        if obj is not None and was_published(request, obj) and not may_publish(request.user):
            context["review_locked"] = ROLE_REFUSAL
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_review_state(self, request, obj, form) -> None:
        """Called by save_model before saving: the note and the history comment."""
        before = form.was_published
        if obj.status == Article.Status.PUBLISHED:
            obj.review_note = ""
        button = pressed(request)
        comment = BUTTON_COMMENTS.get(button) if button else None
        if button == "_send_back":
            comment = f"退回修改：{Truncator(obj.review_note).chars(200)}"
        elif comment is None and before != (obj.status == Article.Status.PUBLISHED):
            comment = "发布" if obj.status == Article.Status.PUBLISHED else "撤回"
        request.kb_comment = comment or ("新建" if obj.pk is None else "在编辑页面保存")

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        self._comment(request)
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        self._comment(request)
        return entry

    def _comment(self, request) -> None:
        # VersionAdmin makes Django's change message ("已修改 状态。") the revision's comment;
        # the history page shows each field's from → to beside this plainer one instead.
        if getattr(request, "kb_comment", None) and reversion.is_active():
            reversion.set_comment(request.kb_comment)

    def review_message(self, request, obj) -> bool:
        """The message after a review button; True if one was given."""
        button = pressed(request)
        if button is None:
            return False
        title = obj.title
        if button == "_submit":
            text = f"已提交审核：《{title}》。审核人发布之前，读者看不到它。"
        elif button == "_publish":
            text = f"已发布《{title}》，读者现在可以看到。"
        else:
            text = f"已把《{title}》退回给编辑修改，审核意见会显示在文章页面和列表里。"
        self.message_user(request, text, messages.SUCCESS)
        return True

    def review_note_column(self, obj):
        if not obj.review_note:
            return None
        return format_html(
            '<span class="review-note-excerpt" title="{}">退回：{}</span>',
            obj.review_note,
            Truncator(obj.review_note).chars(40),
        )

    review_note_column.short_description = "审核意见"
