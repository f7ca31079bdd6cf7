"""“这篇文章有帮助吗？”: a yes/no vote with an optional short comment, rate-limited per client.

Limits are counted by kb/ratelimit.py (shared by every worker, kept across restarts; clients
are a salted hash of REMOTE_ADDR, never stored). Behind a reverse proxy, KB_BEHIND_PROXY=1
makes kb.middleware.RealIPMiddleware put the client's address there; otherwise all readers
would share the proxy's limit.

Article pages are cached for everyone (kb/middleware.py), so the form carries no CSRF token:
a post from another site is refused by kb/origin.py instead.
"""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kb import ratelimit
from kb.origin import same_origin_post

from .models import Article, Feedback

MAX_COMMENT_CHARS = 500

# C0/C1 controls except tab and newline, and the bidi overrides that make text read backwards.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean_comment(text: str) -> str:
    """Strip control characters, keep line breaks.

    >>> clean_comment("有用\\r\\n谢谢\\x00\\u202e")
    '有用\\n谢谢'
    """
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


class CommentField(forms.CharField):
    def to_python(self, value) -> str:
        return clean_comment(super().to_python(value))


class FeedbackForm(forms.Form):
    vote = forms.ChoiceField(
        choices=[("yes", gettext_lazy("有帮助")), ("no", gettext_lazy("没帮助"))],
        error_messages={
            "required": gettext_lazy("请点“有帮助”或“没帮助”。"),
            "invalid_choice": gettext_lazy("请点“有帮助”或“没帮助”。"),
        },
    )
    comment = CommentField(
        required=False,
        max_length=MAX_COMMENT_CHARS,
        error_messages={
            "max_length": gettext_lazy("留言最多 %(limit_value)d 个字，请删短一些再提交。"),
        },
    )


def _within_limits(request, article: Article) -> bool:
    # Counted before the vote is saved, so two posts at once cannot both slip through. When
    # nothing can count, readers are let through: refusing everyone is worse than a few votes.
    article_seconds = settings.KB_FEEDBACK_ARTICLE_SECONDS
    per_hour = settings.KB_FEEDBACK_PER_HOUR
    return ratelimit.allow(
        f"feedback-article-{article.pk}", request, 1, article_seconds, fail_open=True
    ) and ratelimit.allow("feedback", request, per_hour, 3600, fail_open=True)


def _wants_json(request) -> bool:
    return request.headers.get(
        "x-requested-with"
    ) == "XMLHttpRequest" or "application/json" in request.headers.get("accept", "")


def _problem(request, article, message: str, status: int, form=None):
    if _wants_json(request):
        return JsonResponse({"ok": False, "message": message}, status=status)
    context = {"article": article, "message": message, "form": form, "seo_noindex": True}
    return render(request, "articles/feedback_problem.html", context, status=status)


@same_origin_post
@require_POST
def submit_feedback(request, slug):
    article = get_object_or_404(Article.objects.published(), slug=slug)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        message = " ".join(error for errors in form.errors.values() for error in errors)
        return _problem(request, article, message, 400, form)

    if not _within_limits(request, article):
        message = _("你刚刚已经提交过反馈了，谢谢！请过一会儿再试。")
        return _problem(request, article, message, 429)

    Feedback.objects.create(
        article=article,
        helpful=form.cleaned_data["vote"] == "yes",
        comment=form.cleaned_data["comment"],
    )
    thanks = _("谢谢你的反馈！我们会据此改进这篇文章。")
    if _wants_json(request):
        return JsonResponse({"ok": True, "message": thanks})
    messages.success(request, thanks, extra_tags="feedback")
    return HttpResponseRedirect(f"{article.get_absolute_url()}#feedback")
