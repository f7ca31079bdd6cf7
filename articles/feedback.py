"""“这篇文章有帮助吗？”: a yes/no vote with an optional short comment, rate-limited per client.

Clients are told apart by a salted hash of REMOTE_ADDR kept only in the cache, never stored.
Behind a reverse proxy, KB_BEHIND_PROXY=1 makes kb.middleware.RealIPMiddleware put the
client's address there; otherwise all readers would share the proxy's limit.
"""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

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


def _client_key(request) -> str:
    address = request.META.get("REMOTE_ADDR", "")
    return salted_hmac("articles.feedback.client", address).hexdigest()[:32]


def _rate_limited(client: str, article: Article) -> bool:
    if cache.get(f"feedback:article:{client}:{article.pk}"):
        return True
    return cache.get(f"feedback:hour:{client}", 0) >= settings.KB_FEEDBACK_PER_HOUR


def _count(client: str, article: Article) -> None:
    cache.set(f"feedback:article:{client}:{article.pk}", 1, settings.KB_FEEDBACK_ARTICLE_SECONDS)
    hour_key = f"feedback:hour:{client}"
    if cache.add(hour_key, 1, 3600):
        return
    try:
        cache.incr(hour_key)
    except ValueError:  # expired between add and incr
        cache.add(hour_key, 1, 3600)


def _wants_json(request) -> bool:
    return request.headers.get(
        "x-requested-with"
    ) == "XMLHttpRequest" or "application/json" in request.headers.get("accept", "")


def _problem(request, article, message: str, status: int, form=None):
    if _wants_json(request):
        return JsonResponse({"ok": False, "message": message}, status=status)
    context = {"article": article, "message": message, "form": form, "seo_noindex": True}
    return render(request, "articles/feedback_problem.html", context, status=status)


@require_POST
def submit_feedback(request, slug):
    article = get_object_or_404(Article.objects.published(), slug=slug)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        message = " ".join(error for errors in form.errors.values() for error in errors)
        return _problem(request, article, message, 400, form)

    client = _client_key(request)
    if _rate_limited(client, article):
        message = _("你刚刚已经提交过反馈了，谢谢！请过一会儿再试。")
        return _problem(request, article, message, 429)

    Feedback.objects.create(
        article=article,
        helpful=form.cleaned_data["vote"] == "yes",
        comment=form.cleaned_data["comment"],
    )
    _count(client, article)
    thanks = _("谢谢你的反馈！我们会据此改进这篇文章。")
    if _wants_json(request):
        return JsonResponse({"ok": True, "message": thanks})
    messages.success(request, thanks, extra_tags="feedback")
    return HttpResponseRedirect(f"{article.get_absolute_url()}#feedback")
